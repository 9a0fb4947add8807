"""The learned answer layer: the scorer loads and scores, a source that does not say abstains,
"who" never answers with the question's subject, a number is the one that counts the noun asked
about, and "Sources disagree" needs two confident, shown answers about the subject. All texts are
written here."""

from __future__ import annotations

import pytest

from index.answers.annotate import annotate, read_source, trusted_conflict
from index.answers.candidates import tagged
from index.answers.features import source_candidates, view
from index.answers.layers import answer_layer
from index.answers.learned import learned_answer
from index.answers.question import analyse
from index.answers.scorer import SCORER_WEIGHTS, Scorer, load, scorer
from index.articles import Article, Paragraph
from index.result import Answer, ArticleRef, Passage, SearchResult, SourceResult


def passages(*texts: str) -> list[Passage]:
    return [Passage("a", i, 1.0, text) for i, text in enumerate(texts)]


def answer(question: str, *texts: str) -> str | None:
    found, _ = learned_answer(analyse(question), passages(*texts))
    return found.value if found else None


def test_scorer_loads_and_gives_probabilities() -> None:
    model = load(SCORER_WEIGHTS)
    assert len(model.weights) > 100
    assert 0.0 < model.threshold <= model.confident < 1.0
    q = analyse("When was the Harbor Bridge opened?")
    cands = source_candidates(q, passages("The Harbor Bridge was opened in 1932 by the mayor."))
    assert cands
    for c in cands:
        assert 0.0 <= model.probability(c.features) <= 1.0


def test_candidates_include_quantities_with_their_noun() -> None:
    spans = {s.text for s in tagged("The storm destroyed 58 houses on the 32nd floor.").spans}
    assert "58 houses" in spans
    assert "58" in spans


def test_answers_a_date_stated_in_the_passage() -> None:
    got = answer("When was the Harbor Bridge opened?", "The Harbor Bridge was opened in 1932.")
    assert got == "1932"


def test_a_pronoun_after_the_subject_counts_as_naming_it() -> None:
    got = answer(
        "When was the Harbor Bridge opened?",
        "The Harbor Bridge crosses the bay. It was opened in 1932 by the mayor.",
    )
    assert got == "1932"


def test_abstains_when_the_passage_does_not_say() -> None:
    assert answer("When was the Harbor Bridge opened?", "The weather was mild all week.") is None
    assert (
        answer(
            "Who designed the Harbor Bridge?",
            "The Harbor Bridge is painted green. Fog often hides it from the ferries.",
        )
        is None
    )


def test_who_never_answers_with_the_questions_subject() -> None:
    text = "Tomlinson was accused by Maria Delgado, a former colleague, of hiding the losses."
    got = answer("Who accused Tomlinson?", text)
    assert got is None or "Tomlinson" not in got
    q = analyse("Who accused Tomlinson?")
    _, ranked = learned_answer(q, passages(text))
    assert all("Tomlinson" not in c.value for c in ranked)


def test_a_number_counts_the_noun_asked_about() -> None:
    got = answer(
        "How many people died in the fire?",
        "The 52-year-old owner said the fire in the 12-storey building killed 58 people.",
    )
    assert got is not None and "58" in got


def test_a_date_or_length_question_is_never_answered_with_another_kind_of_figure() -> None:
    text = "The $40 million deal funds the Harbor Bridge works until March 15 for 800 workers."
    _, ranked = learned_answer(analyse("Until what date is the Harbor Bridge funded?"),
                               passages(text))  # fmt: skip
    assert ranked and all("$" not in c.value and "800" not in c.value for c in ranked)
    text = "The strike at the Harbor Bridge lasted 12 days and idled 800 workers."
    _, ranked = learned_answer(analyse("How long did the Harbor Bridge strike last?"),
                               passages(text))  # fmt: skip
    assert ranked and all("workers" not in c.value for c in ranked)
    assert any(c.value in ("12 days", "12") for c in ranked)
    text = "The gunman, 29, held hostages during a three-hour siege and a 10-mile chase."
    _, ranked = learned_answer(analyse("How old was the gunman?"), passages(text))
    assert [c.value for c in ranked] == ["29"]


def test_a_span_knows_which_side_of_the_questions_verb_it_stands_on() -> None:
    assert view(analyse("Who sacked the quarterback?")).role == "doer"
    assert view(analyse("Who was sacked by the linebacker?")).role == "passive"
    assert view(analyse("What did the company buy?")).role == "object"
    assert view(analyse("Who was the president of the club?")).role == ""
    q = analyse("Who sacked the Riverton quarterback?")
    text = "The Riverton quarterback Dana Okafor was sacked by Lee Park in the third quarter."
    feats = {c.span.text: dict(c.features) for c in source_candidates(q, passages(text))}
    assert feats["Lee Park"].get("role=doer|by") == 1.0
    assert feats["Lee Park"].get("role=doer|after|passive") == 1.0
    assert feats["Dana Okafor"].get("role=doer|before|passive") == 1.0


def test_a_count_the_question_rules_out_is_never_an_answer() -> None:
    q = analyse("How many people were wounded in the blast?")
    text = "The blast killed 12 people and wounded 40 others, police said on Friday."
    _, ranked = learned_answer(q, passages(text))
    assert all("12" not in c.value for c in ranked)
    q = analyse("How many missiles did the navy fire at the ships?")
    _, ranked = learned_answer(q, passages("The navy fired a dozen missiles at two ships."))
    assert all("two" not in c.value for c in ranked)
    # a count of another noun, though the sentence does not say the event ("hit")
    q = analyse("How many missiles hit the harbor base?")
    _, ranked = learned_answer(q, passages("The navy fired its missiles at two harbor bases."))
    assert all("two" not in c.value for c in ranked)
    q = analyse("How much money did the mayor demand for the bridge?")
    _, ranked = learned_answer(q, passages("The mayor demanded funds for the 230-mile road."))
    assert all("230" not in c.value for c in ranked)


def test_a_day_of_the_week_of_another_clause_is_never_an_answer() -> None:
    q = analyse("When did rebels shell the port of Varna?")
    text = "The minister on Monday praised the troops after rebels shelled the port of Varna."
    _, ranked = learned_answer(q, passages(text))
    assert all("Monday" not in c.value for c in ranked)
    _, ranked = learned_answer(q, passages("Rebels shelled the port of Varna late Tuesday."))
    assert any("Tuesday" in c.value for c in ranked)


def test_the_other_end_of_life_dates_is_never_an_answer() -> None:
    text = "Dana Imre Okafor (12 March 1901 – 4 May 1977) was a Kenyan judge and writer."
    _, ranked = learned_answer(analyse("When was Dana Okafor born?"), passages(text))
    assert all("1977" not in c.value for c in ranked) and ranked[0].value == "12 March 1901"
    _, ranked = learned_answer(analyse("When did Dana Okafor die?"), passages(text))
    assert all("12 March 1901" not in c.value for c in ranked) and ranked[0].value == "4 May 1977"


def test_a_span_the_rules_answer_with_by_a_strong_cue_needs_only_the_rules_backed_floor(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import index.answers.learned as learned

    # every span scores 0.5: under the threshold, over the floor
    flat = Scorer({}, threshold=0.7, confident=0.9, rules_backed=0.4)
    monkeypatch.setattr(learned, "scorer", lambda: flat)
    q = analyse("How old is Okafor?")
    text = "Dana Okafor, 30, moved to Leeds in 2009 with her brother Sam, 27."
    found, ranked = learned_answer(q, passages(text))
    assert found is not None and found.value == "30"
    assert [c.value for c in ranked if c.cue == 1.0] == ["30"]  # the rules' answer only
    # without the rules' strong cue, nothing clears the threshold
    found, _ = learned_answer(q, passages("Dana Okafor moved to Leeds in 2009 at 30."))
    assert found is None
    flat = Scorer({}, threshold=0.7, confident=0.9, rules_backed=0.6)
    monkeypatch.setattr(learned, "scorer", lambda: flat)
    assert learned_answer(q, passages(text))[0] is None


def test_a_tally_of_another_vote_is_never_an_answer() -> None:
    q = analyse("What was the final Senate vote on Okafor's confirmation?")
    text = (
        "The Senate debated the Okafor nomination. The Senate voted 51-49 on Friday to end "
        "debate on the Okafor nomination."
    )
    _, ranked = learned_answer(q, passages(text))
    assert all("51" not in c.value for c in ranked)
    assert all(c.value != "Senate" for c in ranked)  # nor anything but a tally


# -- comparison, precision first -----------------------------------------------------------------


def source(name: str, key: str, paragraph: int = 0) -> SourceResult:
    return SourceResult(
        name, [ArticleRef(key, None, None, None)], [Passage(key, paragraph, 1.0, "")]
    )


def sided(name: str, key: str, value: str, confidence: float, group: str, paragraph: int = 0):
    sentence = f"The Lin plan vote was held in {value}."
    start = sentence.index(value)
    a = Answer(value, sentence, (start, start + len(value)), key, paragraph, confidence, group)
    return name, a


class NoArticles:
    def article(self, key: str) -> Article:
        raise KeyError(key)

    def copies(self, key: str) -> list[str]:
        return [key]

    def source_names(self) -> list[str]:
        return []


def verdict_of(
    answers: list[tuple[str, Answer]],
    shown_paragraph: int = 0,
    question: str = "When was the vote on the Lin plan held?",
) -> str:
    from index.answers.annotate import _ArticleCache

    q = analyse(question)
    result = SearchResult(q.text, [source(n, a.article, shown_paragraph) for n, a in answers])
    verdict, _ = trusted_conflict(
        q, result, answers, lambda a, b: False, _ArticleCache(NoArticles())
    )
    return verdict


def test_two_confident_shown_answers_about_the_subject_disagree() -> None:
    sure = scorer().confident
    answers = [sided("Ledger", "l", "2019", sure, "A"), sided("Post", "p", "2016", sure, "B")]
    assert verdict_of(answers) == "conflict"


def test_an_unsure_answer_is_shown_beside_the_others_without_a_conflict() -> None:
    sure = scorer().confident
    answers = [sided("Ledger", "l", "2019", sure, "A"), sided("Post", "p", "2016", sure / 2, "B")]
    assert verdict_of(answers) != "conflict"


def test_a_count_from_a_sentence_that_does_not_say_the_event_makes_no_conflict() -> None:
    sure = scorer().confident

    def said(name: str, sentence: str, value: str, group: str) -> tuple[str, Answer]:
        start = sentence.index(value)
        return name, Answer(value, sentence, (start, start + len(value)), name, 0, sure, group)

    question = "How many missiles hit the Varna base?"
    hit = said("Ledger", "Eleven missiles hit the Varna base.", "Eleven", "A")
    fired = said("Post", "The navy targeted the Varna base with 24 missiles.", "24", "B")
    assert verdict_of([hit, fired], question=question) != "conflict"
    also_hit = said("Post", "Twenty-four missiles hit the Varna base.", "Twenty-four", "B")
    assert verdict_of([hit, also_hit], question=question) == "conflict"


def test_answers_from_passages_not_shown_do_not_make_a_conflict() -> None:
    sure = scorer().confident
    answers = [sided("Ledger", "l", "2019", sure, "A"), sided("Post", "p", "2016", sure, "B")]
    assert verdict_of(answers, shown_paragraph=5) != "conflict"


def test_the_layer_is_chosen_by_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READER_ANSWERS", "rules")
    assert answer_layer() == "rules"
    monkeypatch.setenv("READER_ANSWERS", "learned")
    assert answer_layer() == "learned"
    monkeypatch.setenv("READER_ANSWERS", "combined")
    assert answer_layer() == "combined"


def annotate_texts(question: str, texts: dict[str, str], sources: dict[str, str]) -> SearchResult:
    """`question` answered from one-paragraph articles (`texts`, by key), one a source
    (`sources`: source name → article key), each paragraph its source's passage."""

    class Corpus(NoArticles):
        def article(self, key: str) -> Article:
            return Article(key, key, key, None, None, None, None, [Paragraph(texts[key])])

    found = SearchResult(
        question,
        [
            SourceResult(name, [ArticleRef(k, None, None, None)], [Passage(k, 0, 1.0, texts[k])])
            for name, k in sources.items()
        ],
    )
    return annotate(analyse(question), found, Corpus())


def test_annotate_with_the_learned_layer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READER_ANSWERS", "learned")
    texts = {
        "l": "The vote on the Lin plan was held in 2019, the council said.",
        "p": "Nobody at the council would talk about the weather.",
    }

    sources = {"Ledger": "l", "Post": "p"}
    result = annotate_texts("When was the vote on the Lin plan held?", texts, sources)
    got = {s.source: (s.answer.value if s.answer else None) for s in result.sources}
    assert got == {"Ledger": "2019", "Post": None}
    assert result.verdict == "single"


# -- candidates, question typing and choosing among spans -----------------------------------------


def spans_of(sentence: str) -> dict[str, str]:
    return {s.text: s.kind for s in tagged(sentence).spans}


def test_pairs_lists_and_ranges_are_candidates() -> None:
    spans = spans_of("The guests were Ana Ruiz and Tom Berg, and the score was 24–10.")
    assert spans.get("Ana Ruiz and Tom Berg") == "coordination"
    assert spans.get("24–10") == "range"
    assert "Tom Berg, and the score" not in spans  # "and the ..." starts a new clause
    listed = spans_of("Rain falls from May through September in Lima, Cusco and Puno.")
    assert listed.get("May through September") == "range"
    assert listed.get("Lima, Cusco and Puno") == "coordination"


def test_names_the_tokenizer_or_the_chunker_would_cut_are_candidates() -> None:
    # a hyphen or slash between words joins them; not after a figure ("61-yard")
    assert "Kessel-Brandt Holdings" in spans_of("The company Kessel-Brandt Holdings was fined.")
    assert "Harbour Lines/Vela" in spans_of("The merger formed Harbour Lines/Vela, Inc. in 1986.")
    spans = spans_of("Ruiz ran a record 61-yard return.")
    assert "61" in spans and "61-yard" not in spans
    spans = spans_of("Schools follow a three-tier model.")
    assert "three" in spans and "three-tier" not in spans
    # a quoted title, a possessive name, a person's name after a title
    assert spans_of('She sang "Rain on the Harbour" at the gala.').get("Rain on the Harbour") == (
        "quoted"
    )
    assert "Okafor's Arena" in spans_of("They watched Okafor's Arena fill.")
    assert "Dana Okafor" in spans_of("League Commissioner Dana Okafor spoke.")
    # an opening quote or a stray hyphen never starts a span
    assert not any(t.startswith(("-", '"')) for t in spans_of('He said "we will win" today.'))


def test_a_title_before_a_name_is_also_left_off() -> None:
    spans = spans_of("Linebacker Von Miller forced four fumbles.")
    assert "Von Miller" in spans


def test_a_number_question_reads_the_sentence_with_the_number() -> None:
    # Every sentence names the subject; the one with the age comes last.
    texts = [
        "Okafor said the plan was good.",
        "Okafor thanked the crowd.",
        "Okafor met the mayor.",
        "Okafor waved to the press.",
        "Okafor spoke about the plan on stage.",
        "Okafor, 47, moved to Lagos from Accra.",
    ]
    _, ranked = learned_answer(analyse("How old is Okafor?"), passages(*texts))
    assert "47" in [c.value for c in ranked]


def test_the_most_precise_of_two_answers_that_say_the_same_is_shown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from index.answers import learned
    from index.answers.extract import Candidate

    sure = scorer().threshold + 0.01

    def spans(value: str, p: float) -> Candidate:
        return Candidate(value, f"in {value}", (3, 3 + len(value)), "a", 0, p)

    found = [spans("Nigeria", 0.9), spans("Lagos", sure), spans("Accra", 0.95 * sure)]
    monkeypatch.setattr(learned, "ranked_spans", lambda q, passages: found)
    q = analyse("Where does Okafor live?")
    within = lambda a, b: (a, b) in {("Lagos", "Nigeria"), ("Accra", "Ghana")}  # noqa: E731
    got, _ = learned.learned_answer(q, [], within)
    assert got is not None and got.value == "Lagos" and got.confidence == 0.9
    got, _ = learned.learned_answer(q, [], lambda a, b: False)
    assert got is not None and got.value == "Nigeria"
    found[1] = spans("Lagos", 0.9 * scorer().threshold)  # below the threshold: not shown
    got, _ = learned.learned_answer(q, [], within)
    assert got is not None and got.value == "Nigeria"


def test_an_unconfirmed_difference_is_said_in_the_headline() -> None:
    from reader.headlines import UNCONFIRMED, UNCONFIRMED_ALONE, headline

    assert headline("agree", unconfirmed=True) == f"Sources agree; {UNCONFIRMED}"
    assert headline("single", unconfirmed=True) == UNCONFIRMED_ALONE
    assert headline("agree") == "Sources agree"


# -- the rules layer's disagreements on numbers and dates need a second reading ------------------


def annotate_rules(monkeypatch: pytest.MonkeyPatch, support: dict[str, float]) -> SearchResult:
    """Two sources giving different numbers (the rules layer), the learned scorer's probability
    for each source's number replaced by `support` (by article key). A number is confirmed when
    it is the scorer's best span in its source or clears the answering threshold."""
    import re

    from index.answers import learned
    from index.answers.extract import Candidate

    monkeypatch.setenv("READER_ANSWERS", "rules")
    texts = {
        "l": "The flood killed 12 people in the valley, officials said on Monday.",
        "p": "The flood killed 15 people in the valley, officials said on Monday.",
        "h": "Officials said the flood killed 12 in the valley.",
        "w": "The flood killed 12 in the valley on Monday.",
    }

    def ranked_spans(q, passages):
        """The number at probability `support`, below the scorer's own best pick, "the
        valley", at half the answering threshold."""
        out = []
        for p in passages:
            m = re.search(r"\d+", p.text)
            if m:
                out.append(Candidate(m.group(), p.text, m.span(), p.article, p.paragraph,
                                     support[p.article]))  # fmt: skip
                start, half = p.text.index("the valley"), scorer().threshold_for("number") / 2
                out.append(Candidate("the valley", p.text, (start, start + 10), p.article,
                                     p.paragraph, half))  # fmt: skip
        return sorted(out, key=lambda c: -c.score)

    monkeypatch.setattr(learned, "ranked_spans", ranked_spans)

    sources = {name: k for name, k in (("Ledger", "l"), ("Post", "p"), ("Herald", "h"),
                                       ("Wire", "w")) if k in support}  # fmt: skip
    return annotate_texts("How many people did the flood kill?", texts, sources)


def test_numbers_both_confirmed_by_the_scorer_disagree(monkeypatch: pytest.MonkeyPatch) -> None:
    result = annotate_rules(monkeypatch, {"l": 0.9, "p": 0.9})
    assert [s.answer.value for s in result.sources if s.answer] == ["12", "15"]
    assert result.verdict == "conflict" and not result.unconfirmed


def test_a_number_the_scorer_does_not_confirm_makes_no_disagreement(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    result = annotate_rules(monkeypatch, {"l": 0.9, "p": 0.01})
    assert [s.answer.value for s in result.sources if s.answer] == ["12", "15"]  # still shown
    assert result.verdict != "conflict" and result.unconfirmed
    assert any("a second reading" in note and "Post says 15" in note for note in result.notes)


def test_a_number_that_is_the_scorers_own_best_pick_is_confirmed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    low = scorer().threshold_for("number") / 2 + 0.01  # under the threshold, over "the valley"
    result = annotate_rules(monkeypatch, {"l": 0.9, "p": low})
    assert result.verdict == "conflict" and not result.unconfirmed


def test_sources_that_say_a_confirmed_value_agree_with_it(monkeypatch: pytest.MonkeyPatch) -> None:
    # only the Ledger's 12 is confirmed; the Herald and the Wire say 12 too, the Post 15
    result = annotate_rules(monkeypatch, {"l": 0.9, "p": 0.01, "h": 0.01, "w": 0.01})
    assert result.verdict == "agree" and result.unconfirmed


def test_a_count_knows_whether_it_counts_the_event_asked_about() -> None:
    q = analyse("How many people were wounded in the blast?")
    text = "The blast killed 12 people and wounded 40 others, police said on Friday."
    found = {c.span.text: dict(c.features) for c in source_candidates(q, passages(text))}
    assert found["40"].get("count_of_the_event_asked") == 1.0
    assert found["12"].get("count_of_another_event") == 1.0


def test_with_no_number_confirmed_the_verdict_is_that_of_the_group_most_sources_give(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    result = annotate_rules(monkeypatch, {"p": 0.01, "h": 0.01, "w": 0.01})
    assert sorted(s.answer.value for s in result.sources if s.answer) == ["12", "12", "15"]
    assert result.verdict == "agree" and result.unconfirmed


# -- the combined layer: the rules where they answer, the scorer where they do not --------------


def flat_scorer(monkeypatch: pytest.MonkeyPatch, **settings: float) -> None:
    """Every span scores 0.5 (no weights); thresholds as given."""
    import index.answers.learned as learned
    import index.answers.scorer as scorer_module

    flat = Scorer({}, **settings)  # type: ignore[arg-type]
    monkeypatch.setattr(learned, "scorer", lambda: flat)
    monkeypatch.setattr(scorer_module, "scorer", lambda: flat)


def test_the_combined_layer_keeps_the_rules_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    flat_scorer(monkeypatch, threshold=0.3, confident=0.9, fill_in=0.4)
    text = "Dana Okafor, 30, moved to Leeds in 2009 with her brother Sam, 27."
    found, _, by_scorer = read_source(analyse("How old is Dana Okafor?"), passages(text),
                                      None, "combined")  # fmt: skip
    assert found is not None and found.value == "30" and not by_scorer


def test_the_combined_layer_fills_in_where_the_rules_say_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    q = analyse("What instrument does Dana Okafor play?")  # no type the rules answer
    text = passages("Dana Okafor plays the cello in the Leeds orchestra.")
    assert read_source(q, text, None, "rules")[0] is None
    flat_scorer(monkeypatch, threshold=0.3, confident=0.9, fill_in=0.4)
    found, _, by_scorer = read_source(q, text, None, "combined")
    assert found is not None and by_scorer
    assert found.value != "Dana Okafor"  # never the question's own words
    # the fill-in threshold is the scorer's: over the span's 0.5, nothing is added ...
    flat_scorer(monkeypatch, threshold=0.3, confident=0.9, fill_in=0.6)
    assert read_source(q, text, None, "combined")[0] is None
    # ... though the learned layer alone, whose threshold is lower, answers
    assert read_source(q, text, None, "learned")[0] is not None


def test_the_shipped_scorer_has_a_fill_in_threshold_at_least_its_own() -> None:
    model = scorer()
    assert model.threshold <= model.fill_in < 1.0


def test_the_fill_in_threshold_is_saved_and_loaded(tmp_path) -> None:
    from index.answers.scorer import save

    path = tmp_path / "s.npz"
    save(path, {"bias": 0.5}, 0.4, 0.8, {"date": 0.45}, 0.1, 0.62)
    model = load(path)
    assert (model.threshold, model.confident, model.rules_backed, model.fill_in) == (
        0.4, 0.8, 0.1, 0.62,
    )  # fmt: skip
    assert model.threshold_for("date") == 0.45


def test_answers_follow_a_descriptive_question_except_with_the_rules_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from index.answers.layers import answers_follow

    what, why = analyse("What book did Okafor write?"), analyse("Why did Okafor move?")
    when, search = analyse("When did Okafor move?"), analyse("Okafor book launch")
    for layer, follows in (("combined", True), ("learned", True), ("rules", False)):
        monkeypatch.setenv("READER_ANSWERS", layer)
        assert answers_follow(what) is follows
        assert answers_follow(why) is False
        assert answers_follow(search) is False  # a search asks nothing
        assert answers_follow(when) is True


def test_why_questions_are_never_answered_with_a_span(monkeypatch: pytest.MonkeyPatch) -> None:
    flat_scorer(monkeypatch, threshold=0.3, confident=0.9, fill_in=0.4)
    q = analyse("Why did Dana Okafor move to Leeds?")
    text = "Dana Okafor moved to Leeds with her Russian wife, partly for visa reasons."
    assert learned_answer(q, passages(text))[0] is None
    monkeypatch.setenv("READER_ANSWERS", "combined")
    result = annotate_texts(q.text, {"l": text}, {"Ledger": "l"})
    assert result.verdict is None and result.sources[0].answer is None


def test_differing_descriptive_answers_are_a_conflict_only_when_confident(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("READER_ANSWERS", "combined")
    texts = {"l": "Dana Okafor plays the cello.", "p": "Dana Okafor plays the oboe."}
    sources = {"Ledger": "l", "Post": "p"}
    question = "What instrument does Dana Okafor play?"
    flat_scorer(monkeypatch, threshold=0.3, confident=0.9, fill_in=0.4)
    result = annotate_texts(question, texts, sources)
    values = {s.source: s.answer.value for s in result.sources if s.answer}
    assert len(values) == 2 and len({v.lower() for v in values.values()}) == 2
    assert result.verdict != "conflict" and result.unconfirmed
    flat_scorer(monkeypatch, threshold=0.3, confident=0.45, fill_in=0.4)
    assert annotate_texts(question, texts, sources).verdict == "conflict"


def test_a_person_given_another_role_is_no_answer_to_the_relation_asked() -> None:
    q = analyse("Who founded the Lin Party?")
    other_role = "The vice president of the Lin Party, Dana Okafor, directs its campaign."
    _, ranked = learned_answer(q, passages(other_role))
    assert all(c.value != "Dana Okafor" for c in ranked)
    treasurer = "Lin Party treasurer Dana Okafor said the party had raised $2,000."
    _, ranked = learned_answer(q, passages(treasurer))
    assert all(c.value != "Dana Okafor" for c in ranked)
    # a sentence that says the relation too: one person may hold both roles
    both = "Dana Okafor, the chairman of the Lin Party, founded it in 2015."
    _, ranked = learned_answer(q, passages(both))
    assert any(c.value == "Dana Okafor" for c in ranked)
    # the role asked about, as its agent noun or in the question itself
    leader = "Lin Party leader Dana Okafor spoke on Monday."
    _, ranked = learned_answer(analyse("Who leads the Lin Party?"), passages(leader))
    assert any(c.value == "Dana Okafor" for c in ranked)
    chair = "In May, Lin Party chairman Dana Okafor outlined a plan."
    _, ranked = learned_answer(analyse("Who was the chairman of the Lin Party?"), passages(chair))
    assert any(c.value == "Dana Okafor" for c in ranked)


def test_the_possessor_of_the_role_asked_is_no_answer() -> None:
    q = analyse("Which firm employed the courier?")
    text = "Okafor's employer, the delivery firm Q7R, said it was shocked."
    _, ranked = learned_answer(q, passages(text))
    values = [c.value for c in ranked]
    assert "Okafor" not in values
    assert "Q7R" in values  # a capital and a figure in one word is a name
    # the possessor of an event noun is its agent, and may answer
    q = analyse("Who gave a definition of the lattice?")
    _, ranked = learned_answer(q, passages("Dana Okafor's definition of the lattice came in 1961."))
    assert any(c.value == "Dana Okafor" for c in ranked)


def test_a_name_marked_with_another_party_is_no_answer() -> None:
    q = analyse("Which Democratic senator backed the Lin bill?")
    text = (
        "Sen. Dana Okafor (R-Ohio) backed the Lin bill on Monday, as did Sen. Sam Reyes (D-Iowa)."
    )
    _, ranked = learned_answer(q, passages(text))
    values = [c.value for c in ranked]
    assert not any("Okafor" in v for v in values)
    assert any("Sam Reyes" in v for v in values)
    gop = "GOP Sen. Dana Okafor backed the Lin bill."
    _, ranked = learned_answer(q, passages(gop))
    assert not any("Okafor" in c.value for c in ranked)


def test_a_capitalised_word_the_tagger_never_saw_is_a_name_candidate() -> None:
    spans = {s.text for s in tagged("Zorvanning became the first mayor of Lin in 1990.").spans}
    assert "Zorvanning" in spans
    spans = {s.text for s in tagged("It was produced by a young Qerrin Vashtel in Leeds.").spans}
    assert "Qerrin Vashtel" in spans
    # a capitalised word the tagger knows opens a sentence, and is no name
    assert "Running" not in {s.text for s in tagged("Running became popular in 1990.").spans}
