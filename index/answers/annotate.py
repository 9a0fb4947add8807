"""From ranked passages to each source's answer and how the answers compare.

`annotate` is called after search. For each source it reads the source's top passages and the
paragraphs around them (the sentence that answers a question often shares few words with it:
"Who founded X?" is answered by "X founder Y" a paragraph away from the one that matched),
takes one answer or none (`extract`, `stance`), re-reads both answers where two sources print
the same sentence with different values in it (`align`), notes whom each source credits
(`citations`), and then groups the answers (`compare`). It also reads the other copies of each
answering article: copies of one story that differ in the fact asked about are worth a note of
their own, which grouping the copies as one source would otherwise hide.

Two readings exist, and three layers are built on them (READER_ANSWERS selects one; the
benchmark compares them, docs/models.md). The hand-written rules (`index.answers.extract`) read
names, dates and figures by the cues news writes them with, and answer only typed questions.
The learned one (`index.answers.learned`: a trained span scorer with a calibrated "this source
does not say") answers every kind of question, and calls a disagreement only between confident
answers (`trusted_conflict`). The default, "combined", takes a source's answer from the rules
where they give one and from the scorer where they do not, over a higher threshold chosen for
what it adds (`Scorer.fill_in`): on real news the rules are right more often than the scorer,
which learned from Wikipedia, reviews and Reddit; on everything they cannot read (descriptive
questions, sentences without their cues) the scorer answers. Where the rules' numbers or dates
differ, the scorer reads the sources a second time and a disagreement is called only between
answers it confirms (`supported_answers`); between the scorer's own answers, only confident
ones count (`firm_answers`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import replace
from typing import Any, Protocol

from index.answers import cues
from index.answers.align import Side, align_answers
from index.answers.citations import cited_source
from index.answers.compare import compare, parse_iso_date, time_note
from index.answers.evidence import PRONOUNS, sentences
from index.answers.extract import THRESHOLD, Candidate, ranked
from index.answers.layers import answer_layer, answers_follow
from index.answers.mentions import name_mentions
from index.answers.places import Containment
from index.answers.question import Question
from index.answers.stance import stance
from index.answers.values import bound_start, relate, resolve_weekday, resolve_year
from index.articles import Article
from index.errors import ReaderError
from index.result import Answer, Passage, SearchResult

# Paragraphs read on each side of a retrieved passage, and at most this many per source. A
# news story states a fact once and goes on about it in the next paragraphs without the
# words that matched ("Okafor, 41, runs ..." three paragraphs from the one that matched
# "How old is Okafor?").
WINDOW = 3
MAX_EVIDENCE_PARAGRAPHS = 40
# A source whose passages support another source's answer nearly as well as its own pick
# (within this much of the 0-1 score) is not read as disagreeing with it: the extraction
# could not tell the two apart, and a disagreement must come from the texts, not from a
# close call between two spans of one text.
AMBIGUITY_MARGIN = 0.1
# Types whose disagreements the rules layer calls only when the learned scorer confirms two of
# the differing answers (`supported_answers`): numbers and dates, the values a news story is
# full of (casualties of an earlier attack, a vote from another year, a population, a video's
# running time), which the rules read from the wrong sentence more often than names.
SECOND_READING_TYPES = ("number", "date")


def _with_its_bound(answer: Answer) -> None:
    """Widen a number answer to the bound or estimate word before it ("more than a dozen",
    "nearly 800,000"): what the source says, and what the comparison must know to see that
    "more than $5 billion" does not contradict "$5.7 billion"."""
    start, end = answer.span
    wider = bound_start(answer.sentence, start)
    if wider < start and answer.sentence[start:end] == answer.value:
        answer.span = (wider, end)
        answer.value = answer.sentence[wider:end]


def _shown(answer: Answer) -> str:
    """An answer as a note names it: a day of the week with the date it names."""
    return f"{answer.value} ({answer.when})" if answer.when else answer.value


def _with_its_day(answer: Answer, article: Article | None) -> None:
    """Give a date answer that leaves its year or its date to the article's (a day of the week,
    `values.resolve_weekday`; a day and month, `values.resolve_year`) the date it names:
    "late Tuesday" in stories of two days may be two days, "Tuesday" is one day with "January
    7", and "Jan. 3" in a story of 2020 is no day of 2015. An article without a full date
    leaves it as written."""
    day_of = article.date if article is not None else None
    published = parse_iso_date(day_of)
    if published is None or not re.match(r"\s*\d{4}-\d{1,2}-\d{1,2}", day_of or ""):
        return
    day = resolve_weekday(answer.value, answer.sentence, answer.span[0], published)
    day = day or resolve_year(answer.value, published)
    if day is not None:
        answer.when = day.isoformat()


class CorpusView(Protocol):
    def article(self, key: str) -> Article: ...
    def copies(self, key: str) -> list[str]: ...
    def source_names(self) -> list[str]: ...


def annotate(q: Question, found: SearchResult, corpus: CorpusView) -> SearchResult:
    """`found` with each source's answer, the verdict, the answer groups and the notes: a new
    result (its sources are new objects; `found` is left as it was)."""
    result = replace(
        found,
        sources=[replace(s, answer=None) for s in found.sources],
        answer_type=q.answer_type,
        verdict=None,
        groups=[],
        notes=[],
    )
    layer = answer_layer()
    learned = layer == "learned"
    if not answers_follow(q):
        return result
    articles = _ArticleCache(corpus)
    evidence = {id(s): evidence_passages(s.passages, articles.get) for s in result.sources}
    places = Containment()
    if q.answer_type == "place":
        places = containment([p for ps in evidence.values() for p in ps])
    names = corpus.source_names()
    alternatives: dict[int, list[Candidate]] = {}
    scored: set[str] = set()  # the sources whose answer the learned scorer read
    for source in result.sources:
        source.answer, alternatives[id(source)], by_scorer = read_source(
            q, evidence[id(source)], places.within, layer
        )
        if by_scorer:
            scored.add(source.source)
    aligned_notes: list[str] = []
    aligned: set[int] = set()
    if not learned:  # the slot re-reading is the rules layer's: it reads spans by its rules
        aligned_notes, aligned = align_sources(q, result, evidence, alternatives)
        scored -= {s.source for s in result.sources if id(s) in aligned}  # read by the rules
    # a scorer's answer is not weighed against the rules' scores of its alternatives
    kept = aligned | {id(s) for s in result.sources if s.source in scored}
    aligned_notes += settle_close_calls(q, result, alternatives, kept, places.within)
    answered: list[tuple[str, Answer]] = []
    for source in result.sources:
        answer = source.answer
        if answer is None:
            continue
        article = articles.get(answer.article)
        if article is not None:
            answer.cites = cited_source(article, answer.paragraph, answer.sentence, names)
        if q.answer_type == "number":
            _with_its_bound(answer)
        if q.answer_type == "date":
            _with_its_day(answer, article)
        answered.append((source.source, answer))
    comparison = compare(q.answer_type, answered, places.within)
    result.verdict = comparison.verdict
    result.groups = comparison.groups
    result.notes = comparison.notes + aligned_notes
    for name, answer in answered:
        answer.group = comparison.labels.get(name)
    if learned and comparison.verdict == "conflict":
        result.verdict, said = trusted_conflict(q, result, answered, places.within, articles)
        result.notes.append(said)
        result.unconfirmed = result.verdict != "conflict"
    elif layer == "combined" and comparison.verdict == "conflict":
        firm = firm_answers(q, result, answered, evidence, scored, places.within)
        if len({a.group for _, a in firm}) < 2:
            result.verdict, said = unsupported_conflict(q, answered, firm, places.within, articles)
            result.notes.append(said)
            result.unconfirmed = True
    elif comparison.verdict == "conflict" and q.answer_type in SECOND_READING_TYPES:
        supported = supported_answers(q, result, answered, evidence, places.within)
        if len({a.group for _, a in supported}) < 2:
            result.verdict, said = unsupported_conflict(q, answered, supported, places.within,
                                                        articles)  # fmt: skip
            result.notes.append(said)
            result.unconfirmed = True
    result.notes += copies_differ(q, answered, corpus, articles, places.within, layer)
    if result.verdict == "conflict":
        dated = [
            (name, ans.stance or ans.value if q.answer_type == "yesno" else _shown(ans),
             a.date if (a := articles.get(ans.article)) is not None else None)
            for name, ans in answered
        ]  # fmt: skip
        note = time_note(dated)
        if note:
            result.notes.append(note)
    return result


def align_sources(
    q: Question,
    result: SearchResult,
    evidence: dict[int, list[Passage]],
    alternatives: dict[int, list[Candidate]],
) -> tuple[list[str], set[int]]:
    """Re-read answers where two sources print one sentence with different values in it
    (see `index.answers.align`); each source is re-read at most once, in ranking order. Returns the
    notes and the ids of the sources re-read."""
    notes: list[str] = []
    done: set[int] = set()
    sources = result.sources
    sides = {id(s): Side(evidence[id(s)], s.answer, alternatives[id(s)]) for s in sources}
    for i, a in enumerate(sources):
        for b in sources[i + 1 :]:
            if id(a) in done or id(b) in done:
                continue
            diff = align_answers(q, sides[id(a)], sides[id(b)])
            if diff is None:
                continue
            a.answer, b.answer = diff.a, diff.b
            done |= {id(a), id(b)}
            notes.append(
                f"{a.source} and {b.source} print the same sentence with "
                f"{diff.a.value} and {diff.b.value}"
            )
    return notes, done


def settle_close_calls(
    q: Question,
    result: SearchResult,
    alternatives: dict[int, list[Candidate]],
    aligned: set[int],
    within: Callable[[str, str], bool],
) -> list[str]:
    """Where two sources' answers differ but one of them supports the other's value within
    `AMBIGUITY_MARGIN` of its own pick, read that source as giving the other's value.

    Sources are taken in ranking order and each is re-read at most once; a source whose
    answer came from a sentence another source prints differently (`align_sources`) keeps
    it, as that difference is in the texts."""
    if q.answer_type in ("yesno", "other"):
        return []
    notes: list[str] = []
    changed: set[int] = set()
    sources = [s for s in result.sources if s.answer is not None]
    for i, a in enumerate(sources):
        for b in sources[i + 1 :]:
            assert a.answer is not None and b.answer is not None  # only answered sources
            if relate(q.answer_type, a.answer.value, b.answer.value, within)[0] != "different":
                continue
            for mine, theirs in ((b, a), (a, b)):
                if id(mine) in aligned or id(mine) in changed:
                    continue
                assert mine.answer is not None and theirs.answer is not None
                alt = _close_alternative(q, mine.answer, alternatives[id(mine)], theirs.answer,
                                         within)  # fmt: skip
                if alt is None:
                    continue
                notes.append(
                    f"{mine.source}'s passages support {mine.answer.value} and {alt.value} about "
                    f"equally; read as {alt.value}, which {theirs.source} gives"
                )
                mine.answer = Answer(alt.value, alt.sentence, alt.span, alt.article,
                                     alt.paragraph, alt.score)  # fmt: skip
                changed.add(id(mine))
                break
    return notes


def _close_alternative(
    q: Question,
    own: Answer,
    alternatives: list[Candidate],
    other: Answer,
    within: Callable[[str, str], bool],
) -> Candidate | None:
    for c in alternatives:
        if c.score < own.confidence - AMBIGUITY_MARGIN:
            return None  # ranked best first: the rest are further away
        if c.value != own.value and relate(q.answer_type, c.value, other.value, within)[0] != (
            "different"
        ):
            return c
    return None


def trusted_conflict(
    q: Question,
    result: SearchResult,
    answered: list[tuple[str, Answer]],
    within: Callable[[str, str], bool],
    articles: _ArticleCache,
) -> tuple[str, str]:
    """The verdict where answers fall in different groups, precision first: "conflict" only
    when at least two independent sources, in different groups, each give a confident answer
    (`scorer.confident`; for yes/no, a stance that affirms or denies: "pending" is not an
    answer) about the question's subject from a passage that is shown, and for a count, from a
    sentence that says the event counted (`cues.says_event`: "targeted the base with some two
    dozen missiles" is shown for "How many missiles hit the base?", but does not say how many
    hit). Otherwise
    the answers stay side by side in their groups and the verdict is that of the trusted
    answers alone (or of the most confident group's, when none is trusted). Returns the
    verdict and a note that names the sources, their dates and their answers."""
    trusted = trusted_answers(q, result, answered, answered)
    said = "; ".join(_says(name, a, articles) for name, a in answered[:6])
    if len({a.group for _, a in trusted}) >= 2:
        return "conflict", f"sources disagree: {said}"
    verdict = _verdict_of_firm(q, trusted, answered, within, lambda a: a.confidence)
    return verdict, (
        "the answers differ, but too few are confident, independent and about the question's "
        f"subject in a shown passage to call it: {said}"
    )


def trusted_answers(
    q: Question,
    result: SearchResult,
    candidates: list[tuple[str, Answer]],
    answered: list[tuple[str, Answer]],
) -> list[tuple[str, Answer]]:
    """The learned scorer's answers among `candidates` that a disagreement may be built on
    (see `trusted_conflict`); `answered` is every source's answer, for the citations."""
    from index.answers.scorer import scorer

    confident = scorer().confident
    shown = {s.source: {(p.article, p.paragraph) for p in s.passages} for s in result.sources}
    return [
        (name, a)
        for name, a in candidates
        if (a.confidence >= confident if a.stance is None else a.stance in ("affirms", "denies"))
        and (a.article, a.paragraph) in shown.get(name, set())
        and _about_subject(q, a.sentence)
        and not (q.answer_type == "number" and cues.says_event(q, a.sentence) is False)
        and not (a.cites and any(a.cites == other for other, _ in answered))
    ]


def firm_answers(
    q: Question,
    result: SearchResult,
    answered: list[tuple[str, Answer]],
    evidence: dict[int, list[Passage]],
    scored: Collection[str],
    within: Callable[[str, str], bool],
) -> list[tuple[str, Answer]]:
    """The combined layer's answers a disagreement may be built on: the rules' answers as the
    rules layer takes them (numbers and dates confirmed by the scorer, `supported_answers`) and
    the scorer's own answers (sources in `scored`) as the learned layer does
    (`trusted_answers`)."""
    by_rules = [(name, a) for name, a in answered if name not in scored]
    if q.answer_type in SECOND_READING_TYPES and by_rules:
        by_rules = supported_answers(q, result, by_rules, evidence, within)
    by_scorer = [(name, a) for name, a in answered if name in scored]
    return by_rules + trusted_answers(q, result, by_scorer, answered)


def supported_answers(
    q: Question,
    result: SearchResult,
    answered: list[tuple[str, Answer]],
    evidence: dict[int, list[Passage]],
    within: Callable[[str, str], bool],
) -> list[tuple[str, Answer]]:
    """The rules layer's answers that the learned scorer also finds in their source: its best
    span there, or one that clears its answering threshold for the question's type, says the
    same value (`values.relate`: the same, a variant or compatible). Two independent readings
    agreeing that a source says a value is what a disagreement between sources is built on;
    the rules alone take numbers from the wrong sentence too often on real news to call one
    by themselves."""
    from index.answers.learned import ranked_spans  # its weights load on first use
    from index.answers.scorer import scorer

    threshold = scorer().threshold_for(q.answer_type)
    by_name = {s.source: s for s in result.sources}
    out = []
    for name, a in answered:
        source = by_name.get(name)
        if source is None:
            continue
        found = ranked_spans(q, evidence[id(source)])
        if any(
            (i == 0 or c.score >= threshold)
            and relate(q.answer_type, c.value, a.value, within)[0] != "different"
            for i, c in enumerate(found)
        ):
            out.append((name, a))
    return out


def unsupported_conflict(
    q: Question,
    answered: list[tuple[str, Answer]],
    supported: list[tuple[str, Answer]],
    within: Callable[[str, str], bool],
    articles: _ArticleCache,
) -> tuple[str, str]:
    """The verdict and note where the rules' answers differ but fewer than two groups are
    supported (`supported_answers`): the verdict of the supported answers alone, or, when none
    is, of the group most sources give (the rules' scores are not probabilities: three sources
    saying 29 outweigh one saying 20 more firmly); the answers still shown side by side."""
    size = Counter(a.group for _, a in answered)
    verdict = _verdict_of_firm(q, supported, answered, within,
                               lambda a: (size[a.group], a.confidence))  # fmt: skip
    said = "; ".join(_says(name, a, articles) for name, a in answered[:6])
    return verdict, (
        "the answers differ, but a second reading of the sources confirms too few of them "
        f"to call it: {said}"
    )


def _verdict_of_firm(
    q: Question,
    firm: list[tuple[str, Answer]],
    answered: list[tuple[str, Answer]],
    within: Callable[[str, str], bool],
    rank: Callable[[Answer], Any],
) -> str:
    """The verdict of the groups of the firm answers, with every answer in them (four sources
    saying 29, one of them confirmed, agree: a source needs no second reading to say the same
    value as a firm one); with none firm, of the group of the answer `rank` puts first."""
    if firm:
        groups = {a.group for _, a in firm}
        return compare(q.answer_type, [na for na in answered if na[1].group in groups],
                       within).verdict  # fmt: skip
    top = max((a for _, a in answered), key=rank).group
    return compare(q.answer_type, [na for na in answered if na[1].group == top], within).verdict


def _about_subject(q: Question, sentence: str) -> bool:
    """Whether a sentence names the question's subject or opens with a pronoun for it (the
    answer's own paragraph named it before: it was read from there)."""
    if not q.subject:
        return True
    found = sentences(sentence, None, q.subject)
    return any(s.subject >= 1.0 for s in found) or bool(
        sentence.split()[:1] and sentence.split()[0].lower() in PRONOUNS
    )


def _says(name: str, answer: Answer, articles: _ArticleCache) -> str:
    article = articles.get(answer.article)
    when = f" ({article.date[:10]})" if article is not None and article.date else ""
    value = answer.stance if answer.stance else answer.value
    return f"{name}{when} says {value}"


def answer_from(
    q: Question,
    passages: list[Passage],
    within: Callable[[str, str], bool] | None = None,
    layer: str = "rules",
) -> Answer | None:
    """One source's answer from its evidence passages, or None (it abstains)."""
    return read_source(q, passages, within, layer)[0]


def read_source(
    q: Question,
    passages: list[Passage],
    within: Callable[[str, str], bool] | None = None,
    layer: str = "rules",
) -> tuple[Answer | None, list[Candidate], bool]:
    """The source's answer (or None), every value it could be answering with, best first, and
    whether the learned scorer gave the answer: by the `layer` named ("rules", "learned", or
    "combined": the rules where they answer, else the scorer; the values are the rules')."""
    if q.answer_type == "yesno":
        said = stance(q, passages)
        if said is None:
            return None, [], False
        return Answer(
            said.value, said.sentence, said.span, said.article, said.paragraph,
            said.score, stance=said.stance,
        ), [], False  # fmt: skip
    found: list[Candidate] = []
    if layer != "learned" and q.answer_type != "other":
        found = ranked(q, passages, within)
        if found and found[0].score >= THRESHOLD:
            best = found[0]
            return Answer(
                best.value, best.sentence, best.span, best.article, best.paragraph, best.score
            ), found, False  # fmt: skip
    if layer == "rules":
        return None, found, False
    from index.answers.learned import learned_answer  # its weights load on first use
    from index.answers.scorer import scorer

    at_least = scorer().fill_in if layer == "combined" else 0.0
    answer, alternatives = learned_answer(q, passages, within, at_least)
    if layer == "combined":  # the rules' candidates stay the ones the slot re-reading reads
        return answer, found, answer is not None
    return answer, alternatives, True


def evidence_passages(
    passages: list[Passage], article: Callable[[str], Article | None]
) -> list[Passage]:
    """The retrieved passages, then the paragraphs around them, nearest first."""
    out = list(passages)
    seen = {(p.article, p.paragraph) for p in passages}
    for distance in range(1, WINDOW + 1):
        for p in passages:
            found = article(p.article)
            if found is None:
                continue
            for idx in (p.paragraph - distance, p.paragraph + distance):
                if 0 <= idx < len(found.paragraphs) and (p.article, idx) not in seen:
                    seen.add((p.article, idx))
                    para = found.paragraphs[idx]
                    out.append(Passage(p.article, idx, 0.0, para.text, [], list(para.sentences)))
    return out[:MAX_EVIDENCE_PARAGRAPHS]


def whole_article(article: Article) -> list[Passage]:
    return [
        Passage(article.key, i, 0.0, p.text, [], list(p.sentences))
        for i, p in enumerate(article.paragraphs)
    ]


def containment(passages: list[Passage]) -> Containment:
    """Which place lies in which, as the passages themselves write it ("in X, Y")."""
    places = Containment()
    for p in passages:
        for sent in sentences(p.text, p.sentences, []):
            names = name_mentions(sent.text, sent.words, set())
            for inner, outer in cues.containment_facts(sent.text, names):
                places.add(inner, outer)
    return places


def copies_differ(
    q: Question,
    answered: list[tuple[str, Answer]],
    corpus: CorpusView,
    articles: _ArticleCache,
    within: Callable[[str, str], bool],
    layer: str = "rules",
) -> list[str]:
    """Notes for answering articles whose copies give an incompatible answer. Each copy is read
    whole, the same way, so that only a difference in the texts can make them disagree."""
    notes: list[str] = []
    for _, answer in answered:
        keys = corpus.copies(answer.article)
        if len(keys) < 2:
            continue
        found: list[tuple[str, Answer]] = []
        for key in keys:
            article = articles.get(key)
            if article is None:
                continue
            got = answer_from(q, whole_article(article), within, layer)
            if got is not None:
                found.append((key, got))
        values = _distinct_incompatible(q, [a for _, a in found], within)
        if values:
            shown = articles.get(keys[0])
            title = (shown.title if shown else None) or keys[0]
            notes.append(f"the copies of “{title}” differ: {' vs '.join(values)}")
    return notes


def _distinct_incompatible(
    q: Question, answers: list[Answer], within: Callable[[str, str], bool]
) -> list[str]:
    values: list[Answer] = []
    for a in answers:
        if all(_incompatible(q, a, b, within) for b in values):
            values.append(a)
    if len(values) < 2:
        return []
    return [a.stance if q.answer_type == "yesno" and a.stance else a.value for a in values]


def _incompatible(q: Question, a: Answer, b: Answer, within: Callable[[str, str], bool]) -> bool:
    if q.answer_type == "yesno":
        return a.stance != b.stance
    return relate(q.answer_type, a.value, b.value, within)[0] == "different"


class _ArticleCache:
    """Articles read once per question; a key the corpus cannot resolve gives None."""

    def __init__(self, corpus: CorpusView) -> None:
        self._corpus = corpus
        self._cache: dict[str, Article | None] = {}

    def get(self, key: str) -> Article | None:
        if key not in self._cache:
            try:
                self._cache[key] = self._corpus.article(key)
            except (ReaderError, KeyError):  # a missing article only costs its context
                self._cache[key] = None
        return self._cache[key]
