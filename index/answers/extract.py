"""One source's answer to a question: the best-supported span of the expected type, or none.

Every sentence of the source's top passages is scored for how much it is about the question
(its subject named or referred to, its focus words present), and every span of the expected
type in it for how it is introduced (a cue such as "lives in X", "founder X", "X, a group",
"30-year-old", see `index.answers.cues`) and how near it stands to the question's words. Spans that
say the same thing ("Maria Lopes" and "Lopes", "Ghana" and a city the texts place in Ghana)
pool their support, and the most precise of them is the answer. If the best score
does not clear `THRESHOLD` the source abstains: a guess would look like a disagreement. A
source whose passages never name the question's subject does not answer at all: its passages
matched other words.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

from index.answers import cues
from index.answers.evidence import Sentence, sentences
from index.answers.mentions import (
    Mention,
    date_mentions,
    name_mentions,
    number_mentions,
    weekday_mentions,
)
from index.answers.question import CAPITALISED_CONNECTORS as NAME_CONNECTORS
from index.answers.question import Question
from index.answers.values import is_bounded, relate, value_key
from index.answers.words import (
    MIN_PREFIX,
    Word,
    find_term,
    is_demonym,
    light_stem,
    stems_match,
    words,
)
from index.result import Passage

THRESHOLD = 0.5
# How much of a sentence's relevance comes from naming the subject vs repeating the focus.
W_SUBJECT, W_FOCUS = 0.55, 0.45
# A candidate's score: relevance scaled by its cue (a weak cue keeps CUE_FLOOR of it) plus
# a little for standing near the question's words.
CUE_FLOOR, W_NEAR = 0.25, 0.10
SUPPORT_BONUS, MAX_SUPPORT_BONUS, SUPPORT_CUE = 0.05, 0.15, 0.5
# Only the best-scoring distinct values are pooled: the rest cannot win.
MAX_POOLED_VALUES = 40
# Present-tense questions ("where does X live?") ask about now: a sentence anchored in the
# past ("earlier this year", "in 2006", "formerly") describes what was, one saying
# "currently" or "now" what is.
PAST_ANCHORS = frozenset(
    ["earlier", "formerly", "previously", "once", "former", "ago", "originally"]
)
PRESENT_ANCHORS = frozenset(["currently", "now", "today", "still", "presently"])
TENSE_SHIFT = 0.1
# A news article tells one story: a sentence of an article that names the question's subject
# elsewhere is about it by context ("There were 49 people killed and 53 were injured", three
# paragraphs after "the Riverton attack"), less surely than one that names it (1) or opens with
# a pronoun for it (0.6). For numbers only: a story's counts and sums are reported without
# repeating what they are of, while a name's cues are tied to another object as often as to
# the subject ("a rail start-up's co-founder X" in a story about another company), and a
# story holds the dates of many other events ("the Dec. 27 attack", "the Nov. 6 election").
STORY_SUBJECT = 0.5
_YEAR = re.compile(r"\b(1\d{3}|20\d{2})\b")

Within = Callable[[str, str], bool]


@dataclass
class Candidate:
    value: str
    sentence: str
    span: tuple[int, int]  # of `value` in `sentence`
    article: str
    paragraph: int
    score: float  # this mention's own score
    support: int = 1  # mentions pooled into it (set on the chosen one)
    cue: float = 0.0


def extract(q: Question, passages: list[Passage], within: Within | None = None) -> Candidate | None:
    """The source's answer, or None when it has no confident one."""
    found = ranked(q, passages, within)
    return found[0] if found and found[0].score >= THRESHOLD else None


def ranked(q: Question, passages: list[Passage], within: Within | None = None) -> list[Candidate]:
    """Every distinct value the source could be answering with, best supported first: what
    `extract` takes the first of, and what a comparison of sources consults before calling a
    difference between two of them a disagreement."""
    found = candidates(q, passages)
    return choose_all(q, found, within) if found else []


def mentions_subject(q: Question, passages: list[Passage]) -> bool:
    if not q.subject:
        return True
    return any(
        s.subject == 1.0 for p in passages for s in sentences(p.text, p.sentences, q.subject)
    )


def candidates(q: Question, passages: list[Passage]) -> list[Candidate]:
    """Every span of the expected type in the passages, with its own score."""
    if q.answer_type in ("other", "yesno") or not mentions_subject(q, passages):
        return []
    split_passages = [(p, sentences(p.text, p.sentences, q.subject)) for p in passages]
    if any(len(phrase) >= 2 for phrase in q.subject):
        split_passages = _with_short_names(q, split_passages)
    if q.focus:
        split_passages = _with_aliases(q, split_passages)
    if q.subject and q.answer_type == "number":
        split_passages = _with_story_subject(q, split_passages)
    if q.answer_type == "date" and cues.life_event(q):
        split_passages = [
            (p, [_with_life_dates(q, s) for s in sents]) for p, sents in split_passages
        ]
    lower_seen = {
        w.norm
        for _, sents in split_passages
        for s in sents
        for w in s.words
        if w.text[:1].islower()
    }
    out: list[Candidate] = []
    # A sentence that neither names the subject nor has a focus word gives its spans no score
    # (see `score_mention`): reading them costs most of the time on a large corpus and adds
    # nothing, except an explicit age, sum or share (`_lone_explicit_value`).
    explicit = q.answer_type == "number" and q.number_kind in EXPLICIT_KINDS
    # Whose age: the subject's, if the question names them; if it asks by a role ("the
    # gunman"), the name an article gives the role (`_with_aliases`), where it gives one.
    whose_age_known: set[str] = set()  # the articles where an apposed age can be told apart
    if q.number_kind == "age":
        named = {w for phrase in q.subject for w in phrase}
        by_role = any(cues.role_noun(w) for w in q.words - named)
        whose_age_known = {p.article for p, sents in split_passages
                           if not by_role or any(s.aliases for s in sents)}  # fmt: skip
    for p, sents in split_passages:
        for sent in sents:
            about = Relevance.of(q, sent)
            if about.score == 0 and not explicit:
                continue
            typed = typed_mentions(q, sent, lower_seen)
            if q.subject and sent.subject == STORY_SUBJECT:  # (0.5 too when there is none)
                typed = [(m, c) for m, c in typed if _story_answer(q, sent, m)]
            if q.number_kind == "tally":
                typed = [(m, c) for m, c in typed if tally_of_the_question(q, sent.words, m)]
            if q.stance:
                typed = [(m, c) for m, c in typed if not cues.says_other_side(q, sent.words, m)]
            if q.modifiers and q.answer_type == "person":
                typed = [(m, c) for m, c in typed if said_with_modifiers(q, sent.words, m)]
            if p.article in whose_age_known:
                typed = [(m, c) for m, c in typed if not age_of_another_name(q, sent, m)]
            if not typed:
                continue
            for mention, cue in typed:
                if value_key(q.answer_type, mention.text) is None:
                    continue
                score = score_mention(q, sent, mention, cue, about)
                span = (mention.start, mention.end)
                out.append(
                    Candidate(mention.text, sent.text, span, p.article, p.paragraph, score, 1, cue)
                )
    return _lone_explicit_value(q, out)


def age_of_another_name(q: Question, sent: Sentence, m: Mention) -> bool:
    """Whether an age stands in apposition to a name that is neither the question's subject
    nor its alias in the story ("her brother, Sam, 27," for "How old is Dana Okafor?";
    "Carter, 20," where the story names the gunman Mateen): news gives a person's age right
    after their name, so such an age is that person's, whoever else the sentence or the story
    is about. Read only where it is known whose age is asked (`candidates`): a story may name
    "the gunman" without an apposition this reading finds ("identified the gunman as X")."""
    name = next((i for i in range(len(sent.words) - 1, -1, -1)
                 if sent.words[i].end <= m.start), None)  # fmt: skip
    if name is None or not re.fullmatch(r"\s*,\s*", sent.text[sent.words[name].end : m.start]):
        return False
    named = sent.words[name]
    if not named.capitalised or any(named.norm in phrase for phrase in q.subject):
        return False
    return not any(name in hits for hits in sent.aliases.values())


def _articles_naming(split_passages: list[tuple[Passage, list[Sentence]]]) -> set[str]:
    """The articles with a sentence that names the question's subject in full."""
    return {p.article for p, sents in split_passages if any(s.subject == 1.0 for s in sents)}


def _with_short_names(
    q: Question, split_passages: list[tuple[Passage, list[Sentence]]]
) -> list[tuple[Passage, list[Sentence]]]:
    """In an article that names the subject in full ("Dana Okafor", "the Riverton Water
    Board"), a sentence that writes only the name's last word, capitalised ("Okafor said",
    "the Board"), names it too: news names a person or body in full once, then short. Only in
    such an article: elsewhere "Okafor" may be anyone. Not for a name with a connector ("the
    Governor of Victoria"), nor for a last word the story also writes as a place ("Yes
    California": "in California"): those name something else."""
    short = {
        phrase[-1]
        for phrase in q.subject
        if len(phrase) >= 2 and all(w.isalpha() and w not in NAME_CONNECTORS for w in phrase)
    }
    naming = _articles_naming(split_passages)
    if not short or not naming:
        return split_passages

    # A word the story writes after "in", "at", … is a place ("in California"), not the
    # short name of the subject ("Yes California").
    placed = {
        (p.article, w.norm)
        for p, sents in split_passages
        if p.article in naming
        for s in sents
        for k, w in enumerate(s.words)
        if w.norm in short and k > 0 and s.words[k - 1].norm in PLACE_PREPOSITIONS
    }

    def named(article: str, s: Sentence) -> Sentence:
        at = [i for i, w in enumerate(s.words)
              if w.norm in short and w.capitalised and (article, w.norm) not in placed]  # fmt: skip
        return replace(s, subject=1.0, subject_at=at) if at else s

    return [
        (p, [named(p.article, s) if p.article in naming and s.subject < 1.0 else s for s in sents])
        for p, sents in split_passages
    ]


def _with_aliases(
    q: Question, split_passages: list[tuple[Passage, list[Sentence]]]
) -> list[tuple[Passage, list[Sentence]]]:
    """A story names the person a question calls by a common noun once, beside that noun
    ("the gunman, Omar Mateen,", "gunman Omar Mateen", "Omar Mateen, the gunman"), and then
    by name: "Mateen, 29, lived in Fort Pierce" says how old the gunman was. In an article
    that writes such an apposition, the name's last word says the noun."""
    found: dict[tuple[str, str], str] = {}  # (article, focus stem) -> the name's last word
    prefixes = [t[:MIN_PREFIX] for t in q.focus]
    for p, sents in split_passages:
        for s in sents:
            lower = s.text.lower()
            if not any(f in lower for f in prefixes):
                continue  # no focus word: no apposition to read (a cheap test first)
            for name_end, term in _appositions(q, s):
                found.setdefault((p.article, term), s.words[name_end].norm)
    if not found:
        return split_passages

    def aliased(article: str, s: Sentence) -> Sentence:
        said = {
            term: at
            for (a, term), last in found.items()
            if a == article
            and (at := [i for i, w in enumerate(s.words) if w.norm == last and w.capitalised])
        }
        return replace(s, aliases=said) if said else s

    return [(p, [aliased(p.article, s) for s in sents]) for p, sents in split_passages]


def _with_life_dates(q: Question, s: Sentence) -> Sentence:
    """Life dates after a name ("X (22 October 1828 – 17 September 1908)") say "born" and
    "died" without the words: the question's word counts as said where its date stands."""
    if "(" not in s.text:
        return s
    asked = cues.life_event(q)
    terms = [t for t in q.focus if t in cues.BIRTH_STEMS | cues.DEATH_STEMS]
    at = [
        next(i for i, w in enumerate(s.words) if w.end > m.start)
        for m in date_mentions(s.text)
        if cues.life_date(s.text, m) == asked
    ]
    if not at or not terms:
        return s
    return replace(s, aliases={**s.aliases, **{t: at for t in terms}})


def _appositions(q: Question, s: Sentence) -> list[tuple[int, str]]:
    """(index of the name's last word, focus stem) for each focus noun written beside a name
    of two or more capitalised words in this sentence."""
    ws, out = s.words, []
    for term, k in ((t, k) for t in q.focus for k in find_term(ws, t)):
        w = ws[k]
        if w.capitalised:
            continue
        # "gunman Omar Mateen", "the gunman, Omar Mateen,": the name right after the noun
        end = _name_run(s, k + 1, s.text[w.end : ws[k + 1].start] if k + 1 < len(ws) else "")
        if end is not None:
            out.append((end, term))
            continue
        # "Omar Mateen, the gunman": the name, a comma and a determiner before the noun
        d = next((j for j in range(k - 1, max(k - 4, 0), -1) if ws[j].norm in ("the", "a")), None)
        if d is None or d == 0 or "," not in s.text[ws[d - 1].end : ws[d].start]:
            continue
        start = d - 1
        while start > 0 and ws[start - 1].capitalised:
            start -= 1
        if d - 1 - start >= 1:
            out.append((d - 1, term))
    return out


def _name_run(s: Sentence, j: int, gap: str) -> int | None:
    """The index of the last word of a run of two or more capitalised words starting at `j`,
    after nothing but spaces or a comma; None if there is none."""
    ws = s.words
    if gap.strip() not in ("", ","):
        return None
    end = j
    while (
        end < len(ws)
        and ws[end].capitalised
        and (end == j or s.text[ws[end - 1].end : ws[end].start].isspace())
    ):
        end += 1
    return end - 1 if end - j >= 2 else None


# `cues.LOCATIVE` without "to", "from", "into", "toward", "around", "between": a letter "to
# Okafor" or "from Okafor" is a person's.
PLACE_PREPOSITIONS = frozenset(["in", "at", "near", "across", "throughout", "inside", "outside",
                                "within"])  # fmt: skip


def _with_story_subject(
    q: Question, split_passages: list[tuple[Passage, list[Sentence]]]
) -> list[tuple[Passage, list[Sentence]]]:
    """The sentences with `STORY_SUBJECT` for those of an article that names the subject in
    another of them (`Sentence.subject` is 0 for them otherwise), if they say at least half
    of the question's focus words: a story also tells of other events ("the Dec. 27 attack
    that killed a contractor"), and a sentence about one of them shares little else with the
    question."""
    naming = _articles_naming(split_passages)

    def story(s: Sentence) -> Sentence:
        return replace(s, subject=STORY_SUBJECT) if _says_half_the_focus(q, s) else s

    return [
        (p, [story(s) if p.article in naming and s.subject < STORY_SUBJECT else s for s in sents])
        for p, sents in split_passages
    ]


def _says_half_the_focus(q: Question, sent: Sentence, besides: range = range(0)) -> bool:
    """Whether the words `ws`, apart from those at `besides` (an answer span), say at least
    half of the question's focus words."""
    said = sum(1 for t in q.focus if any(i not in besides for i in _focus_hits(q, sent, t)))
    return 2 * said >= len(q.focus)


def _story_answer(q: Question, sent: Sentence, m: Mention) -> bool:
    """Whether a span of a sentence about the question by its story only (`STORY_SUBJECT`)
    may answer: the sentence says half the focus words outside the span ("50 of them" does not
    say "them"), and a count counts what is asked, not another noun ("two bases" for "How many
    missiles were intercepted?")."""
    span = range(
        next((i for i, w in enumerate(sent.words) if w.end > m.start), len(sent.words)),
        next((i for i, w in enumerate(sent.words) if w.start >= m.end), len(sent.words)),
    )
    if not _says_half_the_focus(q, sent, span):
        return False
    return not cues.counts_something_else(q, sent.text, m)


# How far from a person's name the words narrowing the question's noun may stand: "Joe Manchin
# was the only Democrat", "One Democrat, Manchin, voted", "Democratic Sen. Joe Manchin". People
# are described beside their names; an organisation's or place's qualifier is as often in its
# name ("the Russian group": "… Movement of Russia") or elsewhere in the story, so those are
# not held to it.
MODIFIER_REACH = 4


def said_with_modifiers(q: Question, ws: list[Word], m: Mention) -> bool:
    """Whether every word that narrows the question's head noun ("Democratic" in "Which
    Democratic senator …") stands within `MODIFIER_REACH` words of the person's name: a
    sentence that names a senator without saying which party does not tell which Democratic
    senator."""
    inside = [i for i, w in enumerate(ws) if m.start <= w.start and w.end <= m.end]
    if not inside:
        return False
    first, last = inside[0], inside[-1]
    if last + 2 < len(ws) and ws[last + 1].norm == "of" and ws[last + 2].capitalised:
        last += 2  # the reach runs from the end of an origin: "Dana Okafor of North Dakota"
        while last + 1 < len(ws) and ws[last + 1].capitalised:
            last += 1
    for term in q.modifiers:
        hits = find_term(ws, term)
        if not any(first - MODIFIER_REACH <= i <= last + MODIFIER_REACH for i in hits):
            return False
    return True


# How far from a tally its owner may stand: "the committee voted 11-10", "the committee's
# 11-10 vote".
TALLY_REACH = 6


def tally_of_the_question(q: Question, ws: list[Word], m: Mention) -> bool:
    """Whether a tally is the one asked about. A story reports several votes (a procedural
    one, the final one, a committee's), each in the same shape: the sentence must say what the
    vote was on ("confirmation" in "What was the final Senate vote on X's confirmation?": a
    vote "to end debate on X's nomination" is another), and whose it was, if the question
    says ("the committee's vote"), beside the tally."""
    head = light_stem(q.head or "")
    relation = [t for t in q.focus if not stems_match(t, head)
                and t not in q.modifiers and t not in q.owner]  # fmt: skip
    if relation and not any(find_term(ws, t) for t in relation):
        return False
    if not q.owner:
        return True
    inside = [i for i, w in enumerate(ws) if m.start <= w.start and w.end <= m.end]
    hits = find_term(ws, q.owner[-1])
    return bool(inside) and any(
        inside[0] - TALLY_REACH <= i <= inside[-1] + TALLY_REACH for i in hits
    )


# Number kinds whose cue leaves no doubt about what the number is ("30-year-old", "$54,000",
# "5.4 percent").
EXPLICIT_KINDS = ("age", "money", "percent")
LONE_VALUE_FLOOR = THRESHOLD


def _lone_explicit_value(q: Question, found: list[Candidate]) -> list[Candidate]:
    """When a source that names the subject gives exactly one explicit age (or sum, or
    percentage) in all its passages, that value is taken to be the subject's even if its
    sentence does not name them: a news story gives the age of the person it is about and
    rarely of anyone else ("a 30-year-old American who lives..."). Two different explicit
    values leave it undecided."""
    if q.answer_type != "number" or q.number_kind not in EXPLICIT_KINDS:
        return found
    explicit = [c for c in found if c.cue >= 0.9]
    values = {value_key("number", c.value) for c in explicit}
    if len(values) == 1:
        for c in explicit:
            c.score = max(c.score, LONE_VALUE_FLOOR)
    return found


def choose_all(
    q: Question, found: list[Candidate], within: Within | None = None
) -> list[Candidate]:
    """Pool mentions that say the same thing; each pool's most precise member, with the pool's
    score, best pool first.

    Pools are built around the best mentions first, so a weak mention cannot chain two strong
    but different answers together."""
    by_value: dict[str, list[Candidate]] = {}
    for c in sorted(found, key=lambda c: -c.score):  # stable: ties keep passage order
        by_value.setdefault(c.value, []).append(c)
    pools: list[list[Candidate]] = []
    for same in list(by_value.values())[:MAX_POOLED_VALUES]:
        for pool in pools:
            if relate(q.answer_type, pool[0].value, same[0].value, within)[0] != "different":
                pool.extend(same)
                break
        else:
            pools.append(list(same))

    def pool_score(pool: list[Candidate]) -> float:
        # Only cued mentions count as more support: a name that is merely mentioned often
        # (the story's protagonist) is not thereby the answer.
        cued = sum(1 for c in pool[1:] if c.cue >= SUPPORT_CUE)
        return min(1.0, pool[0].score + min(MAX_SUPPORT_BONUS, SUPPORT_BONUS * cued))

    out: list[Candidate] = []
    for pool in pools:
        head = chosen = pool[0]
        for c in pool[1:]:
            if c.score >= 0.5 * head.score and more_precise(q, c.value, chosen.value, within):
                chosen = c
        out.append(
            Candidate(
                chosen.value,
                chosen.sentence,
                chosen.span,
                chosen.article,
                chosen.paragraph,
                round(pool_score(pool), 3),
                len(pool),
                chosen.cue,
            )  # fmt: skip
        )
    out.sort(key=lambda c: -c.score)  # stable: equal scores keep the order of their best mention
    return out


def more_precise(q: Question, a: str, b: str, within: Within | None) -> bool:
    kind, _ = relate(q.answer_type, a, b, within)
    if kind != "compatible":
        return False
    if within is not None and within(a, b):
        return True
    if q.answer_type == "date":
        return len(re.findall(r"\w+", a)) > len(re.findall(r"\w+", b))
    if q.answer_type == "number":  # an exact figure is more precise than a bound or estimate
        return is_bounded(b) and not is_bounded(a)
    return len(a) > len(b) and not (within is not None and within(b, a))


@dataclass
class Relevance:
    """How much a sentence is about the question (its subject, then its focus words), and
    where in it the question's words are."""

    score: float
    anchors: list[int]

    @classmethod
    def of(cls, q: Question, sent: Sentence) -> Relevance:
        parts: list[tuple[float, float]] = []
        focus_hits = [_focus_hits(q, sent, t) for t in q.focus]
        # an optional word ("located", "last") counts when said, and is not missed when not
        focus_hits += [h for h in (find_term(sent.words, t) for t in q.optional) if h]
        if q.subject:
            parts.append((W_SUBJECT, sent.subject))
        if focus_hits:
            parts.append((W_FOCUS, sum(1 for h in focus_hits if h) / len(focus_hits)))
        score = sum(w * v for w, v in parts) / sum(w for w, _ in parts) if parts else 0.5
        return cls(score, [i for hits in focus_hits for i in hits] + sent.subject_at)


def _focus_hits(q: Question, sent: Sentence, term: str) -> list[int]:
    """Where the sentence says a focus word, itself or by another name (`Sentence.aliases`)."""
    return _find_focus(q, sent.words, term) or sent.aliases.get(term, [])


def _find_focus(q: Question, ws: list[Word], term: str) -> list[int]:
    """Where a focus word is said; the event a count asks about also by its family ("injured"
    says "wounded", "died" says "killed": `cues.event_stems`)."""
    hits = find_term(ws, term)
    if hits or not q.predicate or q.answer_type != "number":
        return hits
    family = cues.event_words(q.predicate)
    if not any(stems_match(term, e) for e in family):
        return hits
    return [i for i, w in enumerate(ws) if any(stems_match(s, e) for s in w.stems for e in family)]


def relevant_sentences(
    q: Question, passages: list[Passage], limit: int, floor: float
) -> list[tuple[str, Passage]]:
    """The `limit` sentences most about the question (at least `floor`), best first."""
    scored = [
        (Relevance.of(q, sent).score, n, sent.text, p)
        for n, (p, sent) in enumerate(
            (p, sent) for p in passages for sent in sentences(p.text, p.sentences, q.subject)
        )
    ]
    scored = [row for row in scored if row[0] >= floor]
    scored.sort(key=lambda row: (-row[0], row[1]))
    return [(text, p) for _, _, text, p in scored[:limit]]


def score_mention(
    q: Question, sent: Sentence, m: Mention, cue: float, about: Relevance | None = None
) -> float:
    """Relevance scaled by the cue, plus nearness to the question's words, shifted by tense."""
    ws = sent.words
    about = about or Relevance.of(q, sent)
    at = next((i for i, w in enumerate(ws) if w.end > m.start), None)
    near = 0.0
    if about.anchors and at is not None:
        near = 1.0 / (1.0 + min(abs(at - a) for a in about.anchors) / 4.0)
    score = about.score * (CUE_FLOOR + (1 - CUE_FLOOR) * cue) + W_NEAR * near
    if q.tense == "present":
        norms = {w.norm for w in ws}
        if norms & PRESENT_ANCHORS:
            score += TENSE_SHIFT
        elif norms & PAST_ANCHORS or _YEAR.search(sent.text):
            score -= TENSE_SHIFT
    return max(0.0, min(1.0, score))


def typed_mentions(
    q: Question, sent: Sentence, lower_seen: set[str]
) -> list[tuple[Mention, float]]:
    """(span, cue strength) pairs of the question's type; spans made only of the question's
    own words are dropped: an answer says something the question does not."""
    text = sent.text
    out: list[tuple[Mention, float]] = []
    if q.answer_type == "date":
        out = [
            (m, cues.life_date_cue(q, text, m, cues.bounded_date_cue(q, text, m)))
            for m in date_mentions(text)
        ]
        out += [
            (m, cues.bounded_date_cue(q, text, m, cues.weekday_cue(q, text, m)))
            for m in weekday_mentions(text)
        ]
    elif q.answer_type == "number":
        out = [(m, cues.number_cue(q, text, m)) for m in number_mentions(text)]
    else:
        names = name_mentions(text, sent.words, lower_seen)
        if q.answer_type == "place":
            out = [(m, cues.place_cue(q, text, m)) for m in names + cues.joined_places(text, names)]
        elif q.answer_type == "person":
            stripped = [cues.strip_origin(text, cues.strip_title(text, m)) for m in names]
            out = [(m, cues.person_cue(q, text, m)) for m in stripped
                   if not names_the_subject(q, m.text) and not cues.only_titles(m)]  # fmt: skip
        else:
            out = [(m, cues.organization_cue(q, text, m)) for m in names]
    return [(m, c) for m, c in out if c > 0 and not _only_question_words(q, m.text)]


def shaped_mentions(q: Question, sent: Sentence) -> list[Mention]:
    """Spans with the shape of the question's type, however they are introduced: a name, a
    date, a number (of a kind the question could be asking for)."""
    text = sent.text
    if q.answer_type == "date":
        found = date_mentions(text) + weekday_mentions(text)
    elif q.answer_type == "number":
        found = [m for m in number_mentions(text) if cues.number_cue(q, text, m) > 0]
    else:
        found = name_mentions(text, sent.words, set())
        if q.answer_type == "place":  # not a person ("founder Ana Ruiz")
            found = found + cues.joined_places(text, found)
            found = [m for m in found if not cues.introduces_person(text, m)]
        if q.answer_type == "person":  # not a place ("at Quebec") or an organisation
            found = [m for m in found if cues.person_cue(q, text, m) > cues.UNLIKELY_PERSON]
    return [m for m in found if not _only_question_words(q, m.text)]


def names_the_subject(q: Question, text: str) -> bool:
    """A span naming the question's subject: all its words are the subject's, or the subject
    is one word that is the span's last ("Brett Kavanaugh" for "Who accused Kavanaugh?"). A
    "who" answer never is: the question asks about someone else."""
    subject = [tuple(light_stem(w) for w in phrase) for phrase in q.subject]
    ws = [light_stem(w) for w in text.lower().replace("'s", "").split() if w.isalpha()]
    if not ws:
        return False
    stems = {w for phrase in subject for w in phrase}
    return all(w in stems for w in ws) or any(phrase == (ws[-1],) for phrase in subject)


def _only_question_words(q: Question, text: str) -> bool:
    return _made_of(text, frozenset(q.words))


@lru_cache(maxsize=65536)
def _made_of(text: str, question_words: frozenset[str]) -> bool:
    """Whether every word of `text` is a question word, by stem or as the place a question's
    adjective names ("Iraq" for "Which Iraqi city …")."""
    stems = {light_stem(w) for w in question_words}
    ws: list[Word] = [w for w in words(text) if w.norm not in ("the", "of", "a", "an")]
    return all(
        any(stems_match(s, t) for s in w.stems for t in stems)
        or any(is_demonym(t, w.norm) for t in question_words)
        for w in ws
    )
