"""Per-source answers: typed spans, cues, abstention, yes/no stances and citations.

All texts here are written by the tests (news-like sentences about made-up people)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from index.answers import cues
from index.answers.annotate import answer_from
from index.answers.citations import cited_source
from index.answers.cues import describes_a_name, strip_title
from index.answers.evidence import sentences
from index.answers.extract import extract
from index.answers.mentions import Mention, date_mentions, name_mentions, number_mentions
from index.answers.places import Containment
from index.answers.question import analyse
from index.answers.values import relate
from index.answers.words import is_demonym, light_stem, stems_match, words
from index.articles import Article, Paragraph
from index.result import Passage


def passages(*texts: str, article: str = "a.txt") -> list[Passage]:
    return [Passage(article, i, 1.0, t) for i, t in enumerate(texts)]


def answer(question: str, *texts: str) -> str | None:
    found = answer_from(analyse(question), passages(*texts))
    return found.value if found else None


# -- shapes ---------------------------------------------------------------------------------


def test_date_shapes() -> None:
    text = "It opened on February 7, 2016, closed 7 March 2017, reopened in June 2018 and in 2019."
    assert [m.text for m in date_mentions(text)] == [
        "February 7, 2016", "7 March 2017", "June 2018", "2019",
    ]  # fmt: skip


def test_number_shapes_and_kinds() -> None:
    text = (
        "A 30-year-old raised $54,000, or 3.5 million rubles, from half a million donors, "
        "5.4 percent more than the two years before."
    )
    found = [(m.text, m.kind) for m in number_mentions(text)]
    assert ("30", "age") in found
    assert ("$54,000", "money") in found
    assert ("3.5 million rubles", "money") in found
    assert ("half a million", "count") in found
    assert ("5.4 percent", "percent") in found
    assert ("two years", "duration") in found
    text = "The navy fired some two dozen missiles, and a dozen more the next day."
    assert [m.text for m in number_mentions(text)] == ["two dozen", "a dozen"]


def test_models_times_of_day_and_articles_are_not_counts() -> None:
    text = "Just after 2 a.m., at 2:30 p.m. and at 5pm the man fired an AR-15 and an F-16 flew."
    assert number_mentions(text) == []
    text = "It was a three-hour siege that cost $7-billion."
    assert [(m.text, m.kind) for m in number_mentions(text)] == [
        ("three-hour", "duration"), ("$7-billion", "money"),
    ]  # fmt: skip


def test_a_tally_is_one_mention_and_no_count() -> None:
    assert [(m.text, m.kind) for m in number_mentions("It passed 50-48 on Saturday.")] == [
        ("50-48", "pair")
    ]
    assert [m.kind for m in number_mentions("The team won 24–10.")] == ["pair"]
    assert [m.text for m in number_mentions("the 1976–77 season, COVID-19, an AR-15")] == []
    # a tally does not answer "how many": it holds two counts; a range of one count does
    assert answer("How many senators voted for the bill?", "The bill passed 52-48.") is None
    text = "Between 100–150 species of the genus have been described."
    assert answer("How many species of the genus have been described?", text) == "100–150"


def test_a_tally_answers_the_vote_it_is_said_with() -> None:
    lead = "The Senate debated the Okafor nomination all week."
    question = "What was the final Senate vote on Okafor's confirmation?"
    text = "The Senate voted 50-48 on Saturday to confirm Okafor."
    assert answer(question, lead, text) == "50-48"
    # another vote of the same story: on ending the debate, not on the confirmation
    text = "The Senate voted 51-49 on Friday to end debate on the Okafor nomination."
    assert answer(question, lead, text) is None
    # whose vote it was, beside the tally
    question = "What was the Senate Judiciary Committee's vote on Okafor's nomination?"
    assert answer(question, lead, text) is None
    text = "The Judiciary Committee voted 11-10 on Friday to advance the Okafor nomination."
    assert answer(question, lead, text) == "11-10"


def test_a_year_is_a_date_not_a_count() -> None:
    assert [m.kind for m in number_mentions("in 2016 there were 14,000 of them")] == ["count"]


def test_the_tail_of_a_span_of_years_is_not_a_count() -> None:
    text = "In the 1976–77 season and fiscal 2023-24, 77 people came."
    assert [m.text for m in number_mentions(text)] == ["77"]
    assert number_mentions(text)[0].start == text.index("77 people")


def test_names_skip_sentence_openers_the_text_also_writes_in_lower_case() -> None:
    text = "Officials said the Green Valley Water Board met in Port Ellen."
    names = [m.text for m in name_mentions(text, words(text), {"officials", "said", "the"})]
    assert names == ["Green Valley Water Board", "Port Ellen"]


# -- places ---------------------------------------------------------------------------------


def test_residence_cues_answer_where_someone_lives() -> None:
    assert (
        answer("Where does Okafor live?", "Ada Okafor, a Leeds resident, spoke first.") == "Leeds"
    )
    assert answer("Where does Okafor live?", "Okafor currently lives in Dundee.") == "Dundee"
    assert answer("Where is Brightwave based?", "The Oslo-based Brightwave hired staff.") == "Oslo"


def test_present_residence_beats_a_past_move() -> None:
    got = answer(
        "Where does Okafor live?",
        "Okafor moved to Lagos in 2009 for work.",
        "Today Okafor lives in Accra with her family.",
    )
    assert got == "Accra"


def test_a_more_precise_place_in_the_same_pool_answers() -> None:
    q = analyse("Where does Okafor live?")
    found = extract(
        q,
        passages("Okafor moved to Ghana last year.", "Okafor lives in Accra."),
        Containment([("Accra", "Ghana")]).within,
    )
    assert found is not None and found.value == "Accra"


def test_the_place_a_questions_adjective_names_is_no_answer() -> None:
    question = "In which Moravian city was the plant built?"
    text = "The plant was built in Zlin, a city in Moravia, in 1931."
    assert answer(question, text) == "Zlin"
    assert answer(question, "The plant was built in Moravia in 1931.") is None
    # the root must be long enough to tell: "Roman" does not name "Rome"
    assert is_demonym("iraqi", "iraq") and is_demonym("chinese", "china")
    assert not is_demonym("roman", "rome") and not is_demonym("iraqi", "iran")


def test_a_source_that_never_names_the_subject_does_not_answer() -> None:
    assert answer("Where does Okafor live?", "Mensah lives in Kumasi.") is None


def test_a_bare_mention_is_not_enough_to_answer() -> None:
    assert answer("Where does Okafor live?", "Okafor spoke about trade with Kenya.") is None


# -- people, organisations, numbers, dates -----------------------------------------------------


def test_role_noun_before_a_name_answers_who() -> None:
    got = answer("Who founded Brightwave?", "Brightwave founder Maria Lopes says sales doubled.")
    assert got == "Maria Lopes"


def test_a_different_role_does_not_answer() -> None:
    got = answer("Who founded Brightwave?", "Brightwave chairman Maria Lopes says sales doubled.")
    assert got is None


def test_naming_phrase_after_the_question_noun_answers_which_group() -> None:
    got = answer(
        "What is the name of the group that funds the clinic?",
        "The clinic is funded by a charity group called the Northern Light Trust.",
    )
    assert got == "Northern Light Trust"


def test_appositive_age_and_hyphenated_age() -> None:
    assert answer("How old is Okafor?", "Okafor, 41, runs the shop.") == "41"
    assert answer("How old is Okafor?", "Okafor is a 41-year-old engineer.") == "41"


def test_count_with_the_counted_noun() -> None:
    got = answer(
        "How many volunteers does the Okafor campaign have?",
        "Okafor said 1,200 volunteers, registered on the site, will help in 2020.",
    )
    assert got == "1,200"


def test_date_question() -> None:
    got = answer(
        "When did Brightwave open its plant?", "Brightwave opened its plant on May 3, 2012."
    )
    assert got == "May 3, 2012"


# -- yes/no ---------------------------------------------------------------------------------


def stance_of(question: str, *texts: str) -> str | None:
    found = answer_from(analyse(question), passages(*texts))
    return found.stance if found else None


def test_stances() -> None:
    question = "Has the museum reopened?"
    assert stance_of(question, "The museum reopened on Monday.") == "affirms"
    assert stance_of(question, "The museum has not reopened since the flood.") == "denies"
    assert stance_of(question, "The museum plans to reopen in spring.") == "pending"
    assert stance_of(question, "The museum is preparing for visitors again.") == "pending"
    assert stance_of(question, "The weather was fine.") is None


def test_a_count_is_the_one_tied_to_the_verb_asked_about() -> None:
    text = "The blast killed 12 people and wounded 40 others, police said on Friday."
    assert answer("How many people were wounded in the blast?", text) == "40"
    assert answer("How many people were killed in the blast?", text) == "12"
    text = "The storm left 7 people dead and 30 more injured across the county."
    assert answer("How many people were injured by the storm?", text) == "30"


def test_a_person_answer_is_never_the_questions_subject_nor_an_institution() -> None:
    question = "Which senator praised Okafor?"
    text = "Senator Dana Okafor thanked the committee on Monday. Okafor was praised by colleagues."
    assert answer(question, text) != "Dana Okafor"
    question = "Which judge blocked the order?"
    assert answer(question, "The Supreme Court blocked the order on Friday.") is None


def test_a_number_in_a_name_is_not_a_count() -> None:
    question = "How many people died in the crash?"
    assert answer(question, "Flight 318 crashed on Monday and 84 people died.") == "84"
    assert answer(question, "All passengers of Flight 318 died in the crash.") is None
    assert answer(question, "TOWNSVILLE — About 84 people died in the crash on Monday.") == "84"


def test_a_count_must_be_of_the_event_asked_about() -> None:
    question = "How many missiles hit the base?"
    assert answer(question, "The navy fired 24 missiles at the base on Monday.") is None
    assert answer(question, "Eleven missiles hit the base on Monday.") == "Eleven"
    question = "How many people were killed in the blast?"
    assert answer(question, "The blast in the market left 12 people dead.") == "12"
    assert answer(question, "The blast in the market was heard by 300 people.") is None
    # a light verb is not an event the sentence must repeat
    question = "How many workers were affected by the shutdown?"
    assert answer(question, "The shutdown left 800,000 workers without pay.") == "800,000"


def test_a_name_written_short_after_it_was_written_in_full_names_the_subject() -> None:
    question = "When did the flood Dana Okafor reported take place?"
    lead = "Dana Okafor, a hydrologist, spoke on Monday."
    text = "Okafor said the river flooded the valley in 1982."
    assert answer(question, lead, text) == "1982"
    # not in an article that never names her in full
    other = [Passage("a.txt", 0, 1.0, lead), Passage("b.txt", 0, 1.0, text)]
    assert answer_from(analyse(question), other) is None
    assert analyse(question).focus == ["flood", "report"]  # "take place" says it happened
    # a last word the story writes as a place is not the subject's short name
    question = "Who founded Free Dorvan?"
    lead = "Free Dorvan, a campaign for independence, opened an office in Dorvan on Monday."
    text = "Dorvan was founded by settlers led by Ana Ruiz in 1841."
    assert answer(question, lead, text) is None


def test_a_sum_or_count_taken_by_another_verb_is_not_the_one_asked_about() -> None:
    question = "How much money did the mayor demand for the bridge?"
    text = "The city expects to lose $3 million over the mayor's demand for the bridge."
    assert answer(question, text) is None
    assert answer(question, "The mayor demanded $40 million for the bridge.") == "$40 million"
    # a word of the event's family, a reporting verb and an adjective before the sum do not
    assert answer(question, "The mayor requested $40 million for the bridge.") == "$40 million"
    text = "The mayor's demand for the bridge: the proposed $40 million, aides said."
    assert answer(question, text) == "$40 million"
    question = "How many people were killed in the Riverton blast?"
    text = "Police have identified 28 of the 31 people killed in the Riverton blast."
    assert answer(question, text) == "31"
    text = "Officials reported 31 deaths after people were killed in the Riverton blast."
    assert answer(question, text) == "31"
    # a verb of another clause is not the figure's
    question = "How many officials were indicted in the Riverton inquiry?"
    text = "After the Riverton inquiry was convened to investigate, 12 officials were indicted."
    assert answer(question, text) == "12"


def test_an_agent_noun_spelled_either_way_is_one_word() -> None:
    assert stems_match(light_stem("protestors"), light_stem("protesters"))
    assert stems_match(light_stem("advisor"), light_stem("adviser"))
    assert not stems_match(light_stem("minor"), light_stem("miner"))  # too short to tell
    lead = "Police cleared the Riverton square on Monday."
    text = "Police said they arrested 31 people from among the protestors."
    assert answer("How many protesters were arrested in Riverton?", lead, text) == "31"


def test_a_name_written_beside_the_questions_noun_says_the_noun() -> None:
    question = "How old was the Riverton gunman?"
    lead = "A gunman opened fire at a Riverton club. The gunman, Dana Okafor, was arrested."
    text = "Okafor, 29, lived in Port Ellen. Lee Park, 20, hid in a storeroom."
    assert answer(question, lead, text) == "29"
    assert answer(question, "A gunman Dana Okafor opened fire at a Riverton club.", text) == "29"
    lead = "Dana Okafor, the gunman, opened fire at a Riverton club."
    assert answer(question, lead, text) == "29"
    # without the apposition, Okafor is nobody the question asks about
    lead = "A gunman opened fire at a Riverton club. Police named Dana Okafor."
    assert answer(question, lead, text) is None


def test_a_dotted_abbreviation_is_the_same_name_without_dots() -> None:
    question = "How many people did the FBI interview for the inquiry?"
    text = "The F.B.I. contacted 10 people for the inquiry and interviewed nine of them."
    assert answer(question, text) == "nine"
    assert [w.stems for w in words("3.5 percent")][0] == ("3.5",)  # a figure keeps its dot


def test_a_count_in_an_article_that_names_the_subject_elsewhere() -> None:
    lead = "A gunman opened fire at a Riverton nightclub early on Sunday."
    count = "There were 31 people killed and 44 were injured, officials said."
    question = "How many people were wounded in the Riverton attack?"
    assert answer(question, lead, count) == "44"  # "injured" says "wounded"
    assert answer("How many people were killed in the Riverton shooting?", lead, count) == "31"
    # only an article that names the subject lends it to its other sentences
    assert answer(question, count) is None
    other = [Passage("b.txt", 0, 1.0, lead), Passage("c.txt", 0, 1.0, count)]
    assert answer_from(analyse(question), other) is None


def test_a_person_is_named_without_origin_and_a_party_noun_is_no_name() -> None:
    question = "Which Democratic senator voted for the bill?"
    lead = "The Senate passed the bill on Friday."
    text = "Senator Dana Okafor of North Dakota, a Democrat, voted for it."
    assert answer(question, lead, text) == "Dana Okafor"
    text = "The Illinois Democrat voted for the bill, a Democratic aide said."
    assert answer(question, lead, text) is None
    assert answer("Who was Catherine of Aragon's daughter?", "Mary was the daughter.") != (
        "Catherine"
    )


def test_someone_said_to_take_the_other_side_does_not_answer() -> None:
    question = "Which Democratic senator voted for the bill?"
    lead = "The Senate passed the bill on Friday."
    text = "A Democratic senator, Dana Okafor, said she would vote against the bill."
    assert answer(question, lead, text) is None
    assert answer("Which Democratic senator voted against the bill?", lead, text) == "Dana Okafor"
    text = (
        "Democratic Senator Lee Park voted for the bill, while Democratic Senator Dana Okafor "
        "voted no."
    )
    assert answer(question, lead, text) == "Lee Park"


def test_until_what_date_asks_for_the_date_said_as_an_end() -> None:
    question = "Until what date does the deal keep the government funded?"
    text = "The shutdown that began on December 22 ended when the deal was funded."
    assert answer(question, text) is None  # a date of the sentence, not the funding's end
    text = "The deal funds the government through February 15, officials said."
    assert answer(question, text) == "February 15"
    text = "The deal funds the government, but only to the February 15 deadline."
    assert answer(question, text) == "February 15"
    assert answer("When did the shutdown begin?", "The shutdown began on December 22.") == (
        "December 22"
    )


def test_a_count_on_the_day_asked_about() -> None:
    question = "How many protesters were arrested on Thursday, Oct. 4?"
    text = "Police arrested more than 300 people Thursday at the Capitol."
    assert answer(question, text) == "300"  # "Thursday" is when, not what is counted
    assert answer(question, "Police arrested 40 people at the Capitol.") is None


def test_a_death_toll_is_the_count_of_the_dead() -> None:
    lead = "Floods swept through Riverton on Sunday."
    text = "Officials said 31 people died and 12 were injured."
    assert answer("What was the death toll in the Riverton floods?", lead, text) == "31"


def test_a_story_sentence_must_say_the_question_and_count_what_is_asked() -> None:
    lead = "Kestria fired missiles at two bases in Dorvan on Tuesday."
    question = "How many of Kestria's missiles were intercepted?"
    # the sentence says "intercepted", but its count is of bases
    text = "Aircraft that intercepted the messages showed that two bases were the targets."
    assert answer(question, lead, text) is None
    # a story also tells of other events: too little of the question is said
    question = "How many people died when the airliner crashed near the capital of Kestria?"
    text = "Dorvan responded with raids on militia camps that killed 24 people."
    assert answer(question, lead, text) is None
    # a generic noun counts the people asked about
    question = "How many protesters were arrested after Kestria's strike?"
    text = "Police said 164 people were arrested during the protests."
    assert answer(question, lead, text) == "164"


def test_a_count_of_another_of_the_questions_nouns_is_not_the_answer() -> None:
    question = "How many missiles did the navy fire at the ships?"
    text = "The navy fired a dozen missiles at two ships."
    assert answer(question, text) == "a dozen"
    text = "The navy fired the missiles at two ships located offshore."
    assert answer(question, text) is None


def test_a_vague_count_is_a_count_of_its_own_conjunct() -> None:
    text = "The blast left 12 people dead and dozens injured, police said."
    assert answer("How many people were injured in the blast?", text) == "dozens"
    assert answer("How many people were killed in the blast?", text) == "12"
    text = "Hundreds of thousands of workers were furloughed during the shutdown."
    assert answer("How many workers were furloughed?", text) == "Hundreds of thousands"


def test_a_duration_modifier_measures_its_noun_and_a_bare_count_is_no_duration() -> None:
    question = "How long did the strike last?"
    assert answer(question, "Workers returned after a 12-day strike on Monday.") == "12-day"
    assert answer(question, "The strike ended with a three-week cooling-off deal.") is None
    assert answer(question, "The strike ended after six union leaders met on Monday.") is None
    assert answer("How long is the bridge?", "The bridge is 1,280 m long.") is not None
    # the strike's length, not a window still to come; the question's "last" need not be said
    assert answer(question, "The union warned of a strike within the next three weeks.") is None
    assert answer(question, "The nurses' strike ended after 12 days.") == "12 days"


def test_a_name_answers_only_beside_the_words_that_narrow_the_question() -> None:
    question = "Which Liberal senator voted for the bill?"
    text = "Senator Dana Okafor voted for the bill, and the Liberal caucus met on Monday."
    assert answer(question, text) is None
    text = "Dana Okafor was the only Liberal to vote for the bill on Monday."
    assert answer(question, text) == "Dana Okafor"
    assert analyse("Which two senators voted?").modifiers == ()
    assert analyse("Which other company bid?").modifiers == ()


def test_a_verb_in_a_clause_without_a_count_does_not_take_the_count_away() -> None:
    from index.answers.cues import WRONG_CONJUNCT, number_cue

    q = analyse("How many people were killed in the blast?")
    text = "The blast left 12 people dead, police said of the bomber, who was killed at the scene."
    (twelve,) = number_mentions(text)
    assert number_cue(q, text, twelve) > WRONG_CONJUNCT


def test_a_yes_no_answer_must_say_the_verb_asked_about() -> None:
    question = "Was the ferry brought down by a torpedo?"
    # the key term alone, or with the subject, is not the fact asked about
    assert stance_of(question, "The navy tested a new torpedo on Monday.") is None
    assert stance_of(question, "Hours after the torpedo test, the ferry sank in a storm.") is None
    assert stance_of(question, "Divers say the ferry was brought down by a torpedo.") == "affirms"
    assert stance_of(question, "The ferry was not brought down by a torpedo, divers said.") == (
        "denies"
    )


def test_a_yes_no_answer_must_be_about_the_subject_and_the_rest_of_the_question() -> None:
    question = "Did the agency interview the senator?"
    assert stance_of(question, "A witness was not interviewed by the agency.") is None
    assert stance_of(question, "The agency did not interview the senator.") == "denies"
    assert stance_of(question, "A local radio host interviewed the senator.") is None


def test_a_negated_subject_denies_and_a_noun_in_ing_is_not_the_verb() -> None:
    question = "Were any soldiers killed or wounded in the attack?"
    assert stance_of(question, "No soldiers were killed in the attack, officials said.") == "denies"
    assert stance_of(question, "Two soldiers were wounded in the attack.") == "affirms"
    killing = "The attack on the soldiers' base followed the killing of a general."
    assert stance_of(question, killing) is None


def test_planning_counts_only_next_to_the_subject() -> None:
    question = "Has the museum reopened?"
    assert stance_of(question, "The museum will reopen in May.") == "pending"
    assert (
        stance_of(
            question,
            "The museum's director spoke of her long career and said she plans to retire.",
        )
        is None
    )


def test_denial_span_reaches_from_the_negation_to_the_key_term() -> None:
    found = answer_from(
        analyse("Does the club receive public funding?"),
        passages("The club receives no public funding, its treasurer said."),
    )
    assert found is not None and found.stance == "denies"
    assert found.sentence[found.span[0] : found.span[1]] == "no public funding"


# -- citations ------------------------------------------------------------------------------


def article(source: str, *texts: str) -> Article:
    return Article("k", "k", source, None, None, None, None, [Paragraph(t) for t in texts])


SOURCES = ["Daily Ledger", "Evening Post", "blog"]


def test_citation_formulas() -> None:
    for sentence in (
        "According to a report by the Daily Ledger, the mayor resigned.",
        "The mayor resigned, Daily Ledger reports.",
        "The mayor told Daily Ledger he would resign.",
        "The resignation was first reported by the Daily Ledger.",
    ):
        assert cited_source(article("Evening Post", sentence), 0, sentence, SOURCES) == (
            "Daily Ledger"
        ), sentence


def test_lead_attribution_covers_the_whole_story() -> None:
    story = article(
        "Evening Post",
        "According to a report by Daily Ledger, the mayor will resign.",
        "He has lived in the town for decades.",
    )
    assert cited_source(story, 1, "He has lived in the town for decades.", SOURCES) == (
        "Daily Ledger"
    )


def test_no_citation_of_itself_of_unknown_outlets_or_of_generic_names() -> None:
    text = "The mayor told the Evening Post, and Reuters reported, as a blog said."
    assert cited_source(article("Evening Post", text), 0, text, SOURCES) is None


def test_a_credit_to_itself_does_not_hide_another_sources() -> None:
    text = "The mayor told the Evening Post on Monday, as first reported by the Daily Ledger."
    assert cited_source(article("Evening Post", text), 0, text, SOURCES) == "Daily Ledger"
    assert cited_source(article("Daily Ledger", text), 0, text, SOURCES) == "Evening Post"


# -- robustness -----------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300), st.sampled_from(["Where does Okafor live?", "How many?", "Is it?"]))
def test_any_text_gives_an_answer_or_none(text: str, question: str) -> None:
    found = answer_from(analyse(question), passages(text))
    if found is not None:
        assert found.sentence[found.span[0] : found.span[1]] == found.value


def test_a_day_of_the_week_answers_when_its_clause_says_the_event() -> None:
    question = "When did rebels shell the port of Varna?"
    assert answer(question, "Rebels shelled the port of Varna late Tuesday, officials said.") == (
        "late Tuesday"
    )
    # the day dates another clause: what the minister did, or when something was said
    assert answer(question, "The minister on Monday praised the troops after rebels shelled "
                  "the port of Varna.") is None  # fmt: skip
    assert answer(question, "Rebels shelled the port of Varna, the minister said Monday.") is None
    # a weekday written with its date: the date answers
    assert answer(question, "Rebels shelled the port of Varna on Wednesday, March 12.") == (
        "March 12"
    )


def test_a_name_typed_without_its_accents_is_the_name() -> None:
    assert light_stem("Möngke") == light_stem("Mongke") and light_stem("Gospić") == "gospic"
    text = "Dana Ruiz-Peña moved to Quito in 2004."
    assert answer("Where did Dana Ruiz-Pena move?", text) == "Quito"


def test_an_irregular_past_form_says_its_verb() -> None:
    assert light_stem("paid") == light_stem("pay") and light_stem("struck") == light_stem("strikes")
    assert light_stem("won") == light_stem("wins")
    # forms that are also other words keep their own stem
    assert light_stem("found") != light_stem("find") and light_stem("left") != light_stem("leave")
    assert light_stem("shot") != light_stem("shooting")  # "shots fired" is not the shooting
    question = "When will the nurses get their back pay?"
    assert answer(
        question, "The nurses will be paid their back pay by Friday, the union said."
    ) == ("Friday")


# -- descriptions before names, life dates, titles, topics ------------------------------------


def test_a_description_before_a_name_is_not_the_name() -> None:
    # the capitalised word that qualifies a role noun names no one; the agent after it does
    question = "Who accused the senator of fraud?"
    text = "The senator was accused of fraud by Ohio professor Dana Okafor in 2019."
    assert answer(question, text) == "Dana Okafor"
    question = "Who founded Brightwave?"
    assert answer(question, "Brightwave was founded by Norwegian engineer Lars Berg.") == (
        "Lars Berg"
    )
    text = "Brightwave was founded in 1999 by Lars Berg, a Norwegian engineer."
    assert answer(question, text) == "Lars Berg"
    # a verb before the role noun ends the description: the speaker is a name of their own
    found = answer("Who praised Lars Berg?", "Mayor Ana Ruiz praised engineer Lars Berg.")
    assert found == "Ana Ruiz"
    text = "Ana Ruiz said senator Lars Berg left."
    assert not describes_a_name(text, name(text))
    text = "Ana Ruiz thanked Ohio senator Lars Berg."
    assert describes_a_name(text, name(text, 1))


def name(text: str, k: int = 0) -> Mention:
    return name_mentions(text, words(text), set())[k]


def test_a_nationality_after_an_article_is_no_person() -> None:
    text = "Brightwave was founded by Lars Berg, a Norwegian engineer."
    assert answer("Who founded Brightwave?", text) == "Lars Berg"
    assert answer("Who founded Brightwave?", "Brightwave was founded by a Norwegian.") is None


def test_life_dates_after_a_name_give_birth_and_death() -> None:
    text = "Dana Imre Okafor (12 March 1901 – 4 May 1977) was a Kenyan judge and writer."
    assert answer("When was Dana Okafor born?", text) == "12 March 1901"
    assert answer("When did Dana Okafor die?", text) == "4 May 1977"
    assert answer("When was Dana Okafor born?", "Dana Okafor (born 1 June 1950) is a judge.") == (
        "1 June 1950"
    )
    # one year in brackets is a campaign, a ruling or a book, not a life
    text = "Voters still remember Dana Okafor (1988), who lost by a wide margin."
    assert answer("When was Dana Okafor born?", text) is None


def test_a_middle_name_or_initial_still_names_the_subject() -> None:
    text = "Dana R. Okafor moved to Quito in 2004."
    assert answer("Where did Dana Okafor move?", text) == "Quito"
    text = "Dana Imre Okafor moved to Quito in 2004."
    assert answer("Where did Dana Okafor move?", text) == "Quito"
    # not across punctuation: another person
    assert answer("Where did Dana Okafor move?", "Dana, Lee Okafor's aunt, moved to Quito.") is None


def test_a_title_the_text_leaves_out_still_names_the_subject() -> None:
    text = "Charles Imre Okafor (May 22, 1841 – March 17, 1905) was a federal judge."
    assert answer("When was Justice Okafor born?", text) == "May 22, 1841"
    # an organisation's word after the title: "Justice Department" is not "Department"
    question = "When was the Justice Department founded?"
    assert answer(question, "The Commerce Department was founded in 1903.") is None


def test_a_figure_given_as_the_asked_noun_is_explicit() -> None:
    question = "What is the population of Riverton?"
    text = "Riverton is a city in Ohio. The population was 874 at the 2010 census, in 310 homes."
    assert answer(question, text) == "874"
    text = "Riverton spans 420 km2 and had a population of 16,337 in 2002."
    assert answer(question, text) == "16,337"


def test_the_subjects_noun_after_an_opening_phrase_refers_back_to_it() -> None:
    question = "When was the Riverton Southern Depot built?"
    text = (
        "The Riverton Southern Depot is a former station in Zwolle. Built in 1914, the depot is "
        "the only surviving building of the line."
    )
    assert answer(question, text) == "1914"
    subject = [("riverton", "southern", "depot")]
    text = "The Riverton Southern Depot closed. In 1990, the depot was sold. A fire hit the depot."
    assert [s.subject for s in sentences(text, None, subject)] == [1.0, 0.6, 0.0]
    # in capitals it is another name: "the House" after "the White House"
    text = "The White House hosted a dinner. After the vote, the House adjourned."
    assert [s.subject for s in sentences(text, None, [("white", "house")])] == [1.0, 0.0]


def test_a_kin_noun_asked_about_is_a_role_and_its_owner_is_no_answer() -> None:
    question = "What is the name of the gunman's ex-wife?"
    text = (
        "The gunman, Lev Harlan, was killed. Harlan's ex-wife, Mira Solt, said he beat her. "
        "The body was identified as gunman Lev Harlan."
    )
    assert answer(question, text) == "Mira Solt"


def test_a_capitalised_word_before_the_kin_noun_asked_is_its_modifier_not_its_holder() -> None:
    text = "Harlan moved to Riga in May with his Latvian wife, Mira Solt, for visa reasons."
    assert answer("What is the name of Harlan's wife?", text) == "Mira Solt"
    # the name right before the verb asked is still its doer
    assert answer("Who founded the Lin Party?", "Mira Solt founded the Lin Party in 2015.") == (
        "Mira Solt"
    )


def test_a_title_inside_a_run_of_capitals_is_left_off_but_not_before_of() -> None:
    def stripped(text: str) -> str:
        return strip_title(text, Mention(0, len(text), text, "name")).text

    assert stripped("NASA Administrator Dana R. Okafor") == "Dana R. Okafor"
    assert stripped("Ming Emperor Zhu Yuan") == "Zhu Yuan"
    assert stripped("Emperor Gegeen Khan") == "Gegeen Khan"
    # a title with what it is of is no name after a title; a name ending in a title keeps it
    assert stripped("President of Ruritania") == "President of Ruritania"
    assert stripped("Genghis Khan") == "Genghis Khan"


def test_a_capitalised_function_word_opening_a_sentence_is_not_part_of_a_name() -> None:
    text = "Although Okafor won, the board resigned. Upon Ruiz's return, it met."
    assert [m.text for m in name_mentions(text, words(text), set())] == ["Okafor", "Ruiz"]


def test_a_measure_in_a_unit_is_not_a_count_of_the_noun_asked() -> None:
    text = "Dana Okafor threw for 3,837 yards and scored 12 goals in 2015."
    assert answer("How many interceptions did Dana Okafor throw?", text) is None
    assert answer("How many yards did Dana Okafor throw for?", text) == "3,837"


def test_the_name_of_an_event_or_a_thing_is_no_person() -> None:
    question = "Who did the Riverton Hawks beat?"
    text = "The Riverton Hawks beat the Ohio Owls in the Prairie Bowl to reach the World Cup."
    assert answer(question, text) != "Prairie Bowl"
    text = "The Riverton Hawks beat Dana Okafor's side before the Prairie Championship Game."
    assert answer(question, text) != "Prairie Championship Game"
    assert cues.person_cue(analyse(question), text, name(text, 2)) == 0.0


def test_a_figure_joined_to_a_unit_does_not_end_a_name() -> None:
    text = "Okafor ran to the Owls 14-yard line before Super Bowl 50."
    assert [m.text for m in name_mentions(text, words(text), set())] == [
        "Okafor", "Owls", "Super Bowl 50",
    ]  # fmt: skip


def test_a_date_of_another_conjunct_does_not_answer() -> None:
    text = "Dana Okafor was born in Riverton in 1901 and died there in 1977."
    assert answer("What year did Dana Okafor die?", text) == "1977"
    assert answer("In what year was Dana Okafor born?", text) == "1901"
    text = "The line took over the depot in 1830 but began to rebuild the station after 1850."
    assert answer("When did the line begin to rebuild the station?", text) == "1850"


def test_born_to_and_married_to_name_people_not_places() -> None:
    text = "Dana Okafor was born to Lev Okafor and Mira Solt in 1901."
    assert answer("Where was Dana Okafor born?", text) is None
    text = "Dana Okafor was born in Riverton in 1901."
    assert answer("Where was Dana Okafor born?", text) == "Riverton"


def test_a_capitalised_determiner_opening_a_sentence_is_not_part_of_a_name() -> None:
    text = "Another Okafor ally, Several Ruiz aides and Every Riverton voter came."
    assert [m.text for m in name_mentions(text, words(text), set())] == [
        "Okafor", "Ruiz", "Riverton",
    ]  # fmt: skip


def test_an_age_given_to_another_name_is_that_persons() -> None:
    # whose age is asked is known: the subject's name, or the name the story gives the role
    text = "Dana Okafor moved to Leeds. Her brother, Sam, 27, joined her in 2012."
    assert answer("How old is Dana Okafor?", text) is None  # Sam's age, not hers
    assert answer("How old is Dana Okafor?", "Dana Okafor, 30, lives in Leeds.") == "30"
    story = "The gunman, Sam Reyes, opened fire at 2 a.m. "
    survivor = "Dana Okafor, 20, who survived, told reporters he had hidden in a bathroom."
    assert answer("How old was the gunman?", story + survivor) is None
    assert answer("How old was the gunman?", story + survivor + " Reyes, 29, had a rifle.") == "29"
    # a story that names the gunman without an apposition: the lone age may still be his
    assert answer("How old was the gunman?", "Police named Sam Reyes, 29, as the gunman.") == "29"


def test_an_adjective_of_the_subject_before_a_thing_does_not_name_them() -> None:
    question = "Were any Canadians killed in the Lin raids?"
    drone = "A Canadian drone strike in the Lin raids killed Sam Reyes, a militia commander."
    assert stance_of(question, drone) is None
    assert stance_of(question, "No Canadians were killed in the Lin raids.") == "denies"
    assert stance_of(question, "The Lin raids killed two Canadians, officials said.") == "affirms"
    contractor = "A Canadian contractor was killed in the Lin raids, officials said."
    assert stance_of(question, contractor) == "affirms"


def test_a_decade_is_a_date() -> None:
    assert [m.text for m in date_mentions("Built in the 1960s, it closed in the mid-1990s.")] == [
        "1960s", "mid-1990s",
    ]  # fmt: skip
    question = "When did the Lin Party form?"
    text = "The Lin Party formed in the early 1980s, when its founders were students."
    assert answer(question, text) == "early 1980s"
    # a year inside a decade is a more precise answer, one in another decade a different one
    assert relate("date", "1982", "the early 1980s")[0] == "compatible"
    assert relate("date", "1992", "the 1980s")[0] == "different"
    assert relate("date", "the 1980s", "early 1980s")[0] != "different"
