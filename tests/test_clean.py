"""Cleaning scraped article text: paragraph recovery, chrome removal, title inference.

The sample corpus is real scraped text (one glued line, a mangled one-line dataset copy,
pages with app/comment/donation chrome); the other cases are texts written here.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.ingest.chrome import chrome_rule, is_tag_list
from index.ingest.clean import CleanText, clean_text
from tests.conftest import SAMPLE_CORPUS


def _clean(name: str) -> CleanText:
    return clean_text((SAMPLE_CORPUS / name).read_text(encoding="utf-8"))


def _has_boundary(blocks: list[str], end: str, start: str) -> bool:
    """True when one block ends with `end` and the next one starts with `start`."""
    return any(
        a.endswith(end) and b.startswith(start) for a, b in zip(blocks, blocks[1:], strict=False)
    )


# --- the glued one-line text ----------------------------------------------------------


@pytest.fixture(scope="module")
def bloomberg() -> CleanText:
    return _clean("bloomberg-calexit-leader.txt")


@pytest.mark.parametrize(
    ("end", "start"),
    [
        ("that open onto Red Square.", "“California is a much more open"),
        ("sees Trump—and the Kremlin—as a boon.", "It’s 1 p.m. in Yekaterinburg"),
        ("from the National Charity Foundation", "The National Charity Foundation, which"),
        ("universal health care.", "So how did he get mixed up"),
        ("“This is an adequate response to the aggression that comes from the U.S.”", "Asked"),
        ("make his country great again.”", "“I’d like to meet him someday,”"),
    ],
)
def test_glued_paragraph_boundaries_are_recovered(bloomberg: CleanText, end: str, start: str):
    assert _has_boundary(bloomberg.blocks, end, start)


def test_credit_glued_to_the_first_paragraph_is_split_off_and_removed(bloomberg: CleanText):
    assert "Illustration: Steph Davidson" in bloomberg.removed
    assert bloomberg.blocks[0].startswith("A leader of ‘Calexit,’")
    assert not any("Davidson" in block for block in bloomberg.blocks)


def test_dek_ending_with_a_period_is_not_a_title(bloomberg: CleanText):
    assert bloomberg.title is None
    assert bloomberg.blocks[0].endswith("as a boon.")


@pytest.mark.parametrize("abbreviation", ["U.S.", "L.A.", "p.m."])
def test_no_paragraph_ends_at_an_abbreviation(bloomberg: CleanText, abbreviation: str):
    assert not any(block.endswith(abbreviation) for block in bloomberg.blocks)
    assert any(f"{abbreviation} " in block for block in bloomberg.blocks)


@pytest.mark.parametrize(
    "inside",
    [
        "as far as you can get from L.A. But the heart",
        "an interview with pravda.ru. More fancifully, a post dated Nov. 14 calls",
        "fell 5.4 percent short",
        "It’s 1 p.m. in Yekaterinburg",
        "Born and raised in the U.S., he said",
    ],
)
def test_abbreviations_domains_and_decimals_stay_inside_a_paragraph(
    bloomberg: CleanText, inside: str
):
    assert any(inside in block for block in bloomberg.blocks)


def test_glued_text_yields_a_plausible_paragraph_count(bloomberg: CleanText):
    assert 28 <= len(bloomberg.blocks) <= 40


# --- the mangled one-line dataset copy --------------------------------------------------


@pytest.fixture(scope="module")
def dataset_copy() -> CleanText:
    return _clean("breitbart-russia-putin-back-secession-dataset-copy.txt")


def test_trailing_tag_list_is_cut_from_a_one_line_text(dataset_copy: CleanText):
    assert dataset_copy.blocks[-1].endswith("The left, and Russia, have a different view.")
    assert any(item.endswith("Vladimir Putin") for item in dataset_copy.removed)
    assert not any("calexit, Russia, secession" in block for block in dataset_copy.blocks)


def test_space_runs_are_collapsed_and_edges_stripped(dataset_copy: CleanText):
    for block in dataset_copy.blocks:
        assert "  " not in block
        assert block == block.strip()
    assert dataset_copy.blocks[0].startswith("Californians who want")
    assert "Louis Marinelli — a disgruntled Trump voter" in dataset_copy.blocks[0]


# --- chrome on each sample file ---------------------------------------------------------


def test_cbs_app_and_browser_chrome_removed_and_headline_kept():
    cbs = _clean("cbs-los-angeles-embassy-moscow.txt")
    assert cbs.title == "Pro-Secession Group Opens California 'Embassy' In Moscow"
    for chrome in [
        "Watch CBS News",
        "View CBS News In",
        "CBS News App Open",
        "Chrome Safari Continue",
        "Be the first to know",
    ]:
        assert chrome in cbs.removed
    assert any(r.startswith("Get browser notifications") for r in cbs.removed)
    assert cbs.blocks[0].startswith("LOS ANGELES")
    assert cbs.blocks[-1].startswith("The move comes amid heightened tensions")
    assert not any("CBS News" in block or "browser" in block for block in cbs.blocks)


def test_blog_donation_footer_removed_and_last_paragraph_kept():
    blog = _clean("blog-california-embassy-moscow.txt")
    assert blog.title is None
    assert blog.blocks[0].startswith("I recently blogged")
    assert blog.blocks[-1].endswith("movement will be full of “No.”")
    assert any("tax deductible" in r for r in blog.removed)
    assert not any("extent allowed by law" in block for block in blog.blocks)


def test_breitbart_credits_and_comment_notes_removed_short_last_sentence_kept():
    page = _clean("breitbart-russia-putin-back-secession.txt")
    assert page.title == "Report: Russia, Putin Back Left-Wing California Secession Movement"
    assert "Rich Pedroncelli / Associated Press" in page.removed
    assert "Calexit (Rich Pedroncelli / Associated Press)" in page.removed
    assert "Please let us know if you're having issues with commenting." in page.removed
    assert any(r.startswith("*** This article has also been posted") for r in page.removed)
    assert page.blocks[0].startswith("Left-wing Californians who want")
    assert page.blocks[-1] == "The left, and Russia, have a different view."
    assert not any("Associated Press" in block or "commenting" in block for block in page.blocks)


def test_title_is_not_also_a_block():
    page = _clean("breitbart-russia-putin-back-secession.txt")
    assert page.title not in page.blocks


# --- glue rules on text written here ----------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Executives from McDonald and Apple met on Tuesday to discuss the iPhone deal.",
        "He posted the clip on YouTube after Gov. Ron DeSantis spoke with LeBron James.",
        "The report was shared on LinkedIn and Facebook by MoveOn and its allies.",
        "MoveOn Political Action said Ryan MacKenzie and JoAnn Smith would attend.",
        "Officials in the U.S.Army and at Amazon.Com said Ph.D. students e-mailed "
        "jane.doe@example.org about the 5.4 percent rise.",
        "The hashtag #StandWithHer trended while Gov.Brown spoke.",
    ],
)
def test_names_abbreviations_and_addresses_are_not_split(sentence: str):
    assert clean_text(sentence).blocks == [sentence]


@pytest.mark.parametrize(
    ("glued", "pieces"),
    [
        (
            "The board met on Monday.The vote was close.",
            ["The board met on Monday.", "The vote was close."],
        ),
        (
            "Grants were paid. Funding came from the Example FoundationThe foundation declined.",
            [
                "Grants were paid. Funding came from the Example Foundation",
                "The foundation declined.",
            ],
        ),
        (
            "Grants were paid. Support came from the councilIt is not clear how much was given.",
            [
                "Grants were paid. Support came from the council",
                "It is not clear how much was given.",
            ],
        ),
        (
            "He spoke last.“We will win,” he said.Was it true?Nobody knew.",
            ["He spoke last.", "“We will win,” he said.", "Was it true?", "Nobody knew."],
        ),
        (
            "He said “no.”She left the room.",
            ["He said “no.”", "She left the room."],
        ),
    ],
)
def test_glued_paragraphs_are_split(glued: str, pieces: list[str]):
    assert clean_text(glued).blocks == pieces


def test_straight_quotes_are_split_on_the_correct_side():
    text = 'He called it "unfair."She disagreed with him openly."This is wrong," she said.'
    assert clean_text(text).blocks == [
        'He called it "unfair."',
        "She disagreed with him openly.",
        '"This is wrong," she said.',
    ]


def test_ellipsis_and_initials_do_not_split():
    text = "He paused...And then left with J.K.Rowling and Plan B.Nothing changed."
    assert len(clean_text(text).blocks) == 1


# --- structure ----------------------------------------------------------------------


def test_hard_wrapped_text_is_unwrapped_into_paragraphs():
    paragraph_a = (
        "The council voted on Tuesday to approve the new budget for the coming year, "
        "which raises spending on roads and schools by a combined 40 million dollars "
        "over the previous plan, officials said."
    )
    paragraph_b = (
        "Opponents said the plan relied on optimistic revenue forecasts and warned that "
        "the city could face a shortfall if the local economy slowed in the spring."
    )

    def wrap(text: str, width: int = 68) -> list[str]:
        lines, line = [], ""
        for word in text.split():
            if line and len(line) + 1 + len(word) > width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        return [*lines, line]

    wrapped = "\n".join(wrap(paragraph_a)) + "\n    " + "\n".join(wrap(paragraph_b))
    assert clean_text(wrapped).blocks == [paragraph_a, paragraph_b]


def test_one_paragraph_per_line_text_is_not_unwrapped():
    lines = [f"Line number {i} is a complete short sentence of its own." for i in range(6)]
    assert clean_text("\n".join(lines)).blocks == lines


def test_broken_footer_line_is_joined_to_its_start():
    text = "The article body ends here.\n\nSupport our reporting\nwith a gift today"
    result = clean_text(text)
    assert result.blocks == ["The article body ends here."]
    assert result.removed == ["Support our reporting with a gift today"]


def test_control_characters_and_escape_sequences_are_removed():
    text = "\x1b[31mRed\x1b[0m alert:\x07 the\u200b vote\u202e passed.\r\nNext line here."
    assert clean_text(text).blocks == ["Red alert: the vote passed.", "Next line here."]


@pytest.mark.parametrize("text", ["", "   \n\n\t ", None, 42])
def test_empty_or_non_text_input_gives_an_empty_result(text: object):
    assert clean_text(text) == CleanText(title=None, blocks=[], removed=[])  # type: ignore[arg-type]


# --- head and tail ------------------------------------------------------------------


def test_head_drops_short_lines_between_chrome_but_keeps_the_headline():
    text = "\n".join(
        [
            "Advertisement",
            "City Council Approves New Budget After Long Debate",
            "Photo: Example Agency",
            "Local news",
            "Updated 3:45 PM ET",
            "The council approved the budget on Tuesday after a long debate.",
            "The mayor said she would sign it.",
        ]
    )
    result = clean_text(text)
    assert result.title == "City Council Approves New Budget After Long Debate"
    assert result.blocks == [
        "The council approved the budget on Tuesday after a long debate.",
        "The mayor said she would sign it.",
    ]
    assert "Local news" in result.removed


def test_tail_drops_footer_run_but_keeps_a_short_last_sentence():
    text = "\n\n".join(
        [
            "The council approved the budget on Tuesday after a long debate.",
            "Nobody was surprised.",
            "Share this story on Facebook",
            "Stay with us",
            "Sign up for our daily newsletter",
        ]
    )
    result = clean_text(text)
    assert result.blocks[-1] == "Nobody was surprised."
    assert result.removed == [
        "Share this story on Facebook",
        "Stay with us",
        "Sign up for our daily newsletter",
    ]


def test_advert_marker_at_the_end_does_not_remove_the_line_after_it():
    text = "First paragraph of the story.\n\nAdvertisement\n\nAnd yes, he could actually win:"
    result = clean_text(text)
    assert result.blocks == ["First paragraph of the story.", "And yes, he could actually win:"]
    assert result.removed == ["Advertisement"]


def test_tag_list_line_at_the_end_is_removed_but_an_enumeration_sentence_stays():
    body = "The senator toured the state this week."
    tags = "Politics, Elections, Farm policy, Midwest, Senate"
    assert clean_text(f"{body}\n{tags}").blocks == [body]
    ending = "He visited Ohio, Iowa, Texas, and Maine."
    assert clean_text(f"{body}\n{ending}").blocks == [body, ending]


# --- title --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Mayor Wins Second Term\n\nThe mayor won. Turnout was low.", "Mayor Wins Second Term"),
        (
            "Will the mayor run again?\n\nShe has not said. Her aides are silent.",
            "Will the mayor run again?",
        ),
        (
            "Will the mayor, who has served two terms and lost her party's backing, run again?"
            "\n\nShe has not said.",
            None,
        ),
        ("Mayor wins. Council loses\n\nThe mayor won. Turnout was low.", None),
        ('He called it "unfair."\n\nThe mayor won. Turnout was low.', None),
        ("The mayor won a second term.\n\nTurnout was low.", None),
        ("Mayor Wins Second Term", None),
        ("By Jane Doe and John Roe\n\nThe mayor won. Turnout was low.", None),
        ("Mayor, council at odds:\n\nThe mayor won. Turnout was low.", None),
    ],
)
def test_title_inference(text: str, title: str | None):
    assert clean_text(text).title == title


# --- chrome rules in general (text written here, not copied from any site) ----------------


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("ADVERTISEMENT", "advert"),
        ("Story continues below", "advert"),
        ("Advertisement Continue reading the main story", "advert"),
        ("Share Tweet Email Print", "share-bar"),
        ("Click here for the full interview", "call-to-action"),
        ("Follow the reporter on Twitter @example_reporter", "call-to-action"),
        ("Listen to the podcast on your favourite app", "call-to-action"),
        ("Download the app", "call-to-action"),
        ("Example News App Open", "app-prompt"),
        ("Firefox Edge Continue", "browser"),
        ("Your browser does not support the video tag.", "browser"),
        ("The best stories, delivered to your inbox every morning.", "newsletter"),
        ("Photo: Example Photo Agency", "credit"),
        ("Jane Example / Example Wire Service", "credit"),
        ("Protesters march downtown on Sunday. (AP Photo/Jane Example)", "credit"),
        ("Image copyright Example Agency", "credit"),
        ("(Example Images)", "bracketed-note"),
        ("Please tell us if you have trouble commenting.", "comments"),
        ("Comments are closed.", "comments"),
        ("All donations are tax-deductible.", "donation"),
        ("Copyright © 2020 Example Media Group. All rights reserved.", "copyright"),
        ("READ MORE: Council passes budget after long night", "related-link"),
        ("Related:", "related-link"),
        ("3 years ago", "timestamp"),
        ("Updated at 4:10 p.m. ET", "timestamp"),
        ("By Jane Example, Staff Writer", "byline"),
        ("[pullquote]", "bracketed-note"),
        ("* * *", "separator"),
    ],
)
def test_chrome_rules_catch_general_chrome(line: str, rule: str):
    assert chrome_rule(line) == rule


@pytest.mark.parametrize(
    "sentence",
    [
        "He declined to comment.",
        "Follow the money, she said.",
        "More than 200 people attended the rally.",
        "Related to that, the board resigned.",
        "Apple will open its App Store to rival payment systems.",
        "Support for the work requirement has grown among voters.",
        "Copyright law was not written for the internet age.",
        "Donations to the charity fell sharply last year.",
        "Watch what happens next.",
        "Photographers gathered outside the court on Monday morning.",
        "Trump and Putin Meet in Helsinki",
        "The group urged supporters to sign up today for health coverage before the deadline.",
        "Posted on Monday, the video drew two million views.",
        "(Stanley Example would be proud of that.)",
        "[two days later]",
        "Times/Ipsos poll shows the race tightening",
    ],
)
def test_chrome_rules_leave_article_prose_alone(sentence: str):
    assert chrome_rule(sentence) is None


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        ("Politics, Elections, Farm policy, Midwest", True),
        ("Tags: budget, council", True),
        ("Politics, Elections, and the economy, too", False),
        ("He came, he saw, he conquered, then he left.", False),
        ("Ohio, Iowa, Texas", False),
    ],
)
def test_tag_list_detection(block: str, expected: bool):
    assert is_tag_list(block) is expected


# --- invariants on arbitrary input --------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_clean_text_never_fails_and_blocks_are_clean(text: str):
    result = clean_text(text)
    for block in [*result.blocks, *([result.title] if result.title else [])]:
        assert block
        assert block == block.strip()
        assert "\n" not in block
        assert "  " not in block
        assert not _CONTROL.search(block)


# --- fast paths give what the plain patterns give ----------------------------------------
# Cleaning runs over every article of an archive, so its commonest cases skip work: a text
# with no control or separator character is not run through the normalising patterns, an
# already-collapsed line is not re-joined, a line with no sentence punctuation before a
# word is not searched for glued sentence ends, and chrome rules are looked up by word
# count. Each must give exactly what the plain version gives.

from index.ingest import chrome as chrome_rules  # noqa: E402
from index.ingest import clean as cleaning  # noqa: E402


def _plain_normalise(text: str) -> str:
    if "\x1b" in text:
        text = cleaning._ESCAPE_SEQUENCE.sub("", text)
    text = cleaning._LINE_BREAK.sub("\n", text)
    return cleaning._CONTROL.sub("", text)


def _plain_chrome_rule(block: str) -> str | None:
    if not chrome_rules._ALNUM.search(block):
        return "separator"
    words = chrome_rules.word_count(block)
    lowered = block.lower()
    for name, max_words, needles, test in chrome_rules._RULES:
        if words > max_words or (needles and not any(n in lowered for n in needles)):
            continue
        if test(block):
            return name
    return None


_CLEAN_ALPHABET = [
    *"ab .?!\"”“‘’'()[]\t\n\r\x0b\x0c\x1b\x1c\x1f\x85\u2028\xa0\u00ad\u200b\x00\u2003AZ9,:;-/©",
    *["Mr.", "U.S.", "Advertisement", "Share", "By Jane Doe", "Photo:", "  ", "The", "lead."],
    *["FoundationThe National", "said.“We", "Sign up for our newsletter", "(AP Photo/Jo Roe)"],
]
_generated = st.lists(st.sampled_from(_CLEAN_ALPHABET), max_size=50).map("".join)


@settings(max_examples=400, deadline=None)
@given(_generated)
def test_fast_paths_equal_the_plain_patterns(text: str):
    assert cleaning._normalise(text) == _plain_normalise(text)
    lines = text.split("\n")
    fast = [cleaning._glue_points(line) for line in lines]
    prefilter = cleaning._MAYBE_GLUED_END
    cleaning._MAYBE_GLUED_END = re.compile("")  # matches every line: no shortcut
    try:
        assert fast == [cleaning._glue_points(line) for line in lines]
    finally:
        cleaning._MAYBE_GLUED_END = prefilter
    for line in lines:
        assert cleaning._collapse(line) == " ".join(line.split())
        assert chrome_rules.chrome_rule(line) == _plain_chrome_rule(line)


def test_chrome_rules_by_word_count_on_the_sample_corpus():
    for path in sorted(SAMPLE_CORPUS.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            for block in (line, line.strip(), line[:80]):
                assert chrome_rules.chrome_rule(block) == _plain_chrome_rule(block)


# --- media players, galleries, teasers and prompts (issue #12) -----------------------------
# Text written here in the shapes the AllSides survey found (`benchmarks/chrome.py`): each
# rule removes its chrome, and keeps the real sentences that look most like it.


@pytest.mark.parametrize(
    "line",
    [
        "Play Video 2:14 Flood waters rise in the valley – video",
        "JUST WATCHED Mayor speaks on the flood Replay More Videos ... MUST WATCH Mayor speaks "
        "on the flood 01:55",
        "JUST WATCHED Officials say the dam is safe in Replay More Videos ... MUST WATCH "
        "Officials say the dam is safe in 01:26",
        "Politics City Council Weighs New Budget City Council Weighs New Budget Listen · 3:33 3:33",
        "Related Video Video length 41 seconds :41 Crowds gather at the river Crowds gather at "
        "the river",
        "Embed Senator explains her vote 4:42 autoplay autoplay Copy this code to your website",
        "LISTEN TO ARTICLE 4:18",
        "Mayor: We will rebuild the bridge 05:02",
        "Rep. Jane Example 0:07",
        "On the budget deal (34:51)",
        "Thanks for watching! Visit Website",
        "x YouTube video",
    ],
)
def test_media_player_lines_are_removed(line: str):
    assert chrome_rule(line) == "media-player"


@pytest.mark.parametrize(
    "sentence",
    [
        "The vote closed at 1:55 p.m. on Tuesday.",
        "Shots were fired at 1:55",
        "Polls close at 20:00",
        "Polls open 07:00 and close 22:00 BST",
        "Doors open 7:30",
        "He won the race in 2:08:37.",
        "Runner wins the city marathon in 2:08:37",
        "The clip, which runs 1:55, shows officers arriving at the scene.",
        "Replay showed the ball crossed the line at 1:55 of the third period",
        "Students play video games for 2:40 each day",
        "Thanks for watching, he told the crowd.",
        "Ephesians 4:32",
        "“Be kind to one another.” —Ephesians 4:32",
        "- Jane Roe, a friend of the family (51:21)",
        "Update at 9:25 ET: Senate passes the bill",
    ],
)
def test_times_in_prose_are_not_taken_for_a_player(sentence: str):
    assert chrome_rule(sentence) is None
    assert clean_text(f"The council met on Monday.\n\n{sentence}").blocks[-1] == sentence


def test_player_glued_into_a_paragraph_is_cut_out_and_its_running_time_goes_with_it():
    before = "By the end, 13 people had been rescued and 20 were dead, officials said."
    after = "The photos were posted while the siege was still going on."
    player = (
        "JUST WATCHED Army chief: knives used on hostages Replay More Videos ... MUST WATCH "
        "Army chief: knives used on hostages 01:55"
    )
    result = clean_text(f"{before} {player} {after}")
    assert result.blocks == [before, after]
    assert result.removed == [player]
    assert not any("55" in block for block in result.blocks)


def test_audio_teasers_run_together_are_each_removed():
    teasers = [
        "Politics Council Debates Budget Council Debates Budget Listen · 3:39 3:39",
        "Politics Senate Passes Farm Bill Senate Passes Farm Bill Listen · 6:13 6:13",
    ]
    body = "The council met on Monday and debated the budget for three hours."
    result = clean_text(f"{body}\n\n{' '.join(teasers)}\n\n{body}")
    assert result.blocks == [body, body]
    assert result.removed == teasers


def test_capitalised_player_label_is_cut_from_the_text_before_it():
    bio = "Jane Example writes about courts and taught law at the state university. Read on"
    result = clean_text(
        f"The court ruled on Monday against the state.\n\n{bio} LISTEN TO ARTICLE 4:18 "
        "SHARE THIS ARTICLE Share Tweet Post Email"
    )
    assert bio in result.blocks
    assert "LISTEN TO ARTICLE 4:18" in result.removed


def test_repeated_clip_title_goes_with_its_player_entry_but_a_headline_stays():
    body = [
        "The council voted on Tuesday to fund the repairs, which are expected to take two "
        "years and cost the city a great deal of money.",
        "Work on the bridge will start in the spring, the mayor said on Tuesday afternoon.",
    ]
    title = "Mayor: We will rebuild the bridge"
    result = clean_text("\n\n".join([body[0], title, f"{title} 05:02", title, body[1]]))
    assert result.blocks == body
    assert result.removed == [title, f"{title} 05:02", title]
    headline = "Mayor Says City Will Rebuild the Bridge"
    result = clean_text("\n\n".join([headline, f"{headline} 05:02", *body]))
    assert result.title == headline
    assert result.blocks == body


def test_gallery_of_any_length_is_removed_and_prose_about_captions_stays():
    caption = "A man walks past a flooded street in the city centre on Sunday morning. "
    gallery = " ".join(
        f"Photos: Floods in the valley {caption * 20}Hide Caption {i} of 3" for i in (1, 2, 3)
    )
    assert chrome_rule(gallery) == "gallery"
    body = "The river rose by two metres overnight, officials said on Sunday."
    assert clean_text(f"{body}\n\n{gallery}\n\n{body}").blocks == [body, body]
    prose = "The caption under the photo said 3 of 4 houses on the street had been flooded."
    assert chrome_rule(prose) is None


@pytest.mark.parametrize(
    "line",
    [
        "Show caption Hide caption " + "A crowd gathers outside the court building. " * 12,
        "Next Image 1 of 9 Prev",
        "Story continues below video.",
        "Scroll down for video",
        "Advertising",
    ],
)
def test_caption_toggles_counters_and_video_folds_are_removed(line: str):
    assert chrome_rule(line) is not None


def test_read_more_teaser_is_removed_but_a_paragraph_loses_only_the_label():
    teaser = "Council approves budget after a long night of debate Read more"
    assert chrome_rule(teaser) == "related-link"
    paragraph = (
        "The council approved the budget on Tuesday after a debate that lasted most of the "
        "night, and the mayor said she would sign it before the end of the week, when the "
        "new fiscal year begins."
    )
    result = clean_text(f"{paragraph} Read more »")
    assert result.blocks == [paragraph]
    assert result.removed == ["Read more »"]
    for sentence in ["Students who read more", "Read more books, the teacher said."]:
        assert chrome_rule(sentence) is None


def test_related_video_labels_are_removed_and_a_sentence_about_a_film_stays():
    for label in ["NOW WATCH: ‘Senator defends the farm bill’", "Now playing: Watch this: Floods"]:
        assert chrome_rule(label) == "related-link"
    assert chrome_rule("Now playing at the theatre is a film about the war.") is None


def test_click_here_prompts_are_removed_but_a_quoted_one_stays():
    for prompt in [
        "Can't see the video? Click here.",
        "For more on the school budget, click here.",
        "Residents can click here to contact their state senators about the bill.",
    ]:
        assert chrome_rule(prompt) == "call-to-action"
    quoted = "The e-mail read: “Click here to reset your password,” investigators said."
    assert chrome_rule(quoted) is None
    paragraph = (
        "The district spent most of the new money on teachers, and a smaller share on "
        "buildings and buses, according to the figures it released on Friday."
    )
    result = clean_text(f"{paragraph} Click here to see the figures.")
    assert result.blocks == [paragraph]
    assert result.removed == ["Click here to see the figures."]


def test_advertisement_label_at_the_end_of_a_paragraph_is_cut_off():
    result = clean_text("The court ruled against the state on Monday. Advertisement")
    assert result.blocks == ["The court ruled against the state on Monday."]
    assert result.removed == ["Advertisement"]
    sentence = "The campaign bought a political Advertisement"
    assert clean_text(sentence).blocks == [sentence]
    assert chrome_rule("Advertising revenue fell by a third last year.") is None


def test_signup_form_is_removed_however_long_but_a_report_about_one_stays():
    form = (
        "Morning Example newsletter Your guide to the council, every weekday morning in your "
        "inbox. Email Sign Up By signing up you agree to receive email newsletters or alerts "
        "from Example News. You can unsubscribe at any time. This site is protected by "
        "reCAPTCHA and the Privacy Policy and Terms of Service apply. Please verify you're "
        "not a robot by clicking the box. Invalid email address. Please re-enter."
    )
    assert len(form.split()) > 45
    assert chrome_rule(form) == "newsletter"
    report = "The notice said subscribers “can unsubscribe at any time,” regulators found."
    assert chrome_rule(report) is None


@pytest.mark.parametrize(
    "line",
    [
        'poster="https://example.com/clip.jpg" The senator explains her vote on the farm bill',
        '{"unitName":"slot1","display":"mobile"} hidden ad unit',
        '[player file="https://example.com/a.mp4" image="https://example.com/a.jpg"][/player]',
        '[pullquote align="center"]We will rebuild the bridge.[/pullquote]',
    ],
)
def test_embed_source_lines_are_removed(line: str):
    assert chrome_rule(line) == "markup"


def test_a_sentence_that_opens_like_an_attribute_stays():
    assert chrome_rule("Poster sales rose by a third, the company said.") is None
    assert chrome_rule("The code read x=1 on every line, engineers said.") is None


_PLAYER_ALPHABET = [
    *_CLEAN_ALPHABET,
    *["JUST WATCHED", "Replay More Videos", "01:55", " 3:39", "Listen ·", "Play Video", "at "],
    *["LISTEN TO ARTICLE", "p.m.", "Read more", "Click here to see.", " Advertisement", "x"],
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PLAYER_ALPHABET), max_size=40).map("".join))
def test_player_prefilters_equal_the_plain_patterns(text: str):
    for line in text.split("\n"):
        fast = cleaning._split_chrome(line)
        prefilter, words = cleaning._MAYBE_RUNNING_TIME, cleaning._PLAYER_WORDS
        cleaning._MAYBE_RUNNING_TIME, cleaning._PLAYER_WORDS = re.compile(""), ("",)
        try:
            assert fast == cleaning._split_chrome(line)
        finally:
            cleaning._MAYBE_RUNNING_TIME, cleaning._PLAYER_WORDS = prefilter, words
        assert chrome_rules.chrome_rule(line) == _plain_chrome_rule(line)
