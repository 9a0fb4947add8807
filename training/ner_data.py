"""Named-entity spans from GUM's coreference mentions and wikigold's tags, in one convention.

GUM marks every mention of every entity ("the team", "she", "University of Portsmouth,
United Kingdom"), typed, nested, each as the whole noun phrase. A named-entity tagger wants
CoNLL-style names instead, as wikigold and Universal NER have them: the proper-noun run
only, no determiner or title, no apposition, the outermost name when names nest. So a GUM
mention becomes a name when its syntactic head is a proper noun (PTB NNP/NNPS), and its span
is cut to the proper nouns around the head (with the "of", "de", "&" that join two of them:
"Gulf of Mexico"); a person's span never reaches left past a title ("U.S. President Donald
Trump" gives "Donald Trump"). Of overlapping names the longest wins; a nested name outside it
stays ("University of Portsmouth" and "United Kingdom").

Types: person, place, organization as such; time mentions are left out (dates are found by
rules at run time, index/answers/entities.py); every other GUM type (event, abstract, object,
animal, plant, substance) is MISC, as wikigold's MISC is. wikigold's one-word MISC names that
the part-of-speech tagger calls adjectives ("Japanese band") are dropped, because GUM never
marks nationality adjectives and the two corpora must not teach opposite things.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from training.conll import Sentence, Span, gum_mentions

NAME_TAGS = {"NNP", "NNPS"}
JOINERS = {"of", "de", "du", "del", "della", "la", "le", "von", "van", "der", "den", "da", "di"}
JOINERS |= {"&", "-", "the", "y", "al"}
# Titles and honorifics stop a person's name on the left (generic English, no one named).
TITLES = {
    "mr",
    "mr.",
    "mrs",
    "mrs.",
    "ms",
    "ms.",
    "miss",
    "dr",
    "dr.",
    "prof",
    "prof.",
    "professor",
    "sir",
    "dame",
    "lord",
    "lady",
    "st",
    "st.",
    "saint",
    "king",
    "queen",
    "prince",
    "princess",
    "emperor",
    "empress",
    "pope",
    "president",
    "vice",
    "prime",
    "minister",
    "secretary",
    "senator",
    "sen.",
    "governor",
    "gov.",
    "mayor",
    "judge",
    "justice",
    "general",
    "gen.",
    "colonel",
    "col.",
    "captain",
    "capt.",
    "lieutenant",
    "lt.",
    "sergeant",
    "sgt.",
    "chief",
    "director",
    "chairman",
    "chancellor",
    "ambassador",
    "representative",
    "rep.",
    "congressman",
    "congresswoman",
    "rev.",
    "reverend",
    "father",
    "bishop",
    "archbishop",
    "cardinal",
    "rabbi",
    "imam",
    "sheikh",
    "coach",
    "officer",
    "commissioner",
    "deputy",
    "premier",
    "speaker",
}
TYPE_OF_GUM = {"person": "PER", "place": "LOC", "organization": "ORG", "time": ""}


def mention_head(sentence: Sentence, start: int, end: int) -> int:
    """The first token of the span whose syntactic head lies outside it."""
    for i in range(start, end):
        if not start < sentence.heads[i] <= end:
            return i
    return start


def name_span(sentence: Sentence, start: int, end: int, person: bool) -> tuple[int, int] | None:
    """The name inside a mention (see the module docstring), or None if it is no name."""
    head = mention_head(sentence, start, end)
    xpos, words = sentence.xpos, sentence.words
    if xpos[head] not in NAME_TAGS:
        return None
    lo = head
    while lo - 1 >= start and xpos[lo - 1] in NAME_TAGS:
        if person and words[lo - 1].lower() in TITLES:
            break
        lo -= 1
    hi = head + 1
    while hi < end:
        if xpos[hi] in NAME_TAGS or (xpos[hi] == "CD" and not person):
            hi += 1
            continue
        k = hi
        while k < end and words[k].lower() in JOINERS and xpos[k] not in NAME_TAGS:
            k += 1
        if k > hi and k < end and xpos[k] in NAME_TAGS:
            hi = k
            continue
        break
    return lo, hi


def gum_names(sentence: Sentence) -> list[Span]:
    """The sentence's names, flat, as (start, end, PER/LOC/ORG/MISC)."""
    candidates: list[Span] = []
    for mention in gum_mentions(sentence):
        label = TYPE_OF_GUM.get(mention.etype, "MISC")
        if not label:
            continue
        span = name_span(sentence, mention.start, mention.end, label == "PER")
        if not span:
            continue
        a, b = span
        if label == "PER" and all(sentence.words[i].lower() in TITLES for i in range(a, b)):
            continue  # a title standing for its holder: "the Senator"
        if label == "PER" and b - a == 1 and sentence.xpos[a] == "NNPS":
            label = "MISC"  # a people, "Muslims": CoNLL-style corpora call these MISC
        candidates.append((a, b, label))
    chosen: list[Span] = []
    taken: set[int] = set()
    for a, b, label in sorted(set(candidates), key=lambda s: (s[0] - s[1], s[0], s[2])):
        if not taken & set(range(a, b)):
            chosen.append((a, b, label))
            taken.update(range(a, b))
    return sorted(chosen)


def gum_time_spans(sentence: Sentence, date_word: Callable[[str, str], bool]) -> list[Span]:
    """GUM's time mentions that are dates (a word `date_word` accepts in them, at most six
    words: longer ones are clauses about a time), "the" dropped: the reference the date rules
    are scored against."""
    out: set[Span] = set()
    for mention in gum_mentions(sentence):
        if mention.etype != "time":
            continue
        a, b = mention.start, mention.end
        if sentence.words[a].lower() == "the":
            a += 1
        if b - a <= 6 and any(date_word(sentence.words[i], sentence.xpos[i]) for i in range(a, b)):
            out.add((a, b, "date"))
    # Nested time mentions ("Friday, July 21, 2017" holds "July 21, 2017"): the outermost.
    return sorted(s for s in out if not any(t != s and t[0] <= s[0] and s[1] <= t[1] for t in out))


def drop_adjective_misc(spans: Sequence[Span], tags: Sequence[str]) -> list[Span]:
    """wikigold's spans without one-word MISC names tagged as adjectives."""
    return [s for s in spans if not (s[2] == "MISC" and s[1] - s[0] == 1 and tags[s[0]] == "JJ")]


def bio(n: int, spans: Sequence[Span]) -> list[str]:
    labels = ["O"] * n
    for a, b, label in spans:
        labels[a] = "B-" + label
        for i in range(a + 1, b):
            labels[i] = "I-" + label
    return labels
