"""What a question asks for: the type of its answer, what it is about, and its other terms.

Rules over the question's words only, following how English questions are built:

- a question opening with an auxiliary ("Has…", "Does…", "Is…") asks yes or no;
- otherwise the wh-word, wherever it stands ("The game was played on what date?"), sets the
  type: where → place, when → date, who → person, how many/much/old/long → number, why and
  plain how → other;
- "what"/"which" take the type of the noun they govern ("what year", "which team", "the name
  of the group"), looked up in small lists of English nouns for places, times, quantities,
  people and organisations; an unknown noun gives "other".

The *subject* is what the answer must be about: the question's proper names (capitalised
words after its first word, outside the wh-phrase, which describes the answer itself). The
*focus* is the remaining content words, which a sentence about the same fact tends to repeat.
For yes/no questions the *key* term is the last content word: English puts new information
at the end of a clause (end-focus), so "does the campaign receive foreign funding?" turns on
"funding". Their *predicate* is the verb the question asks about, the one a sentence must say
to answer it: after "do"/"did" or a modal, the word after the subject ("Did the agency
*interview* …"); after "be"/"have", the participle ("Were any soldiers *killed* or *wounded*
…", "Has the museum *reopened*?"), found by the part-of-speech tagger. A question without one
("Is the museum open?") turns on its key term alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.answers import values
from index.answers.values import MONTHS, ORDINAL_WORDS, UNITS
from index.answers.words import Word, is_stopword, light_stem, words

ANSWER_TYPES = ("place", "date", "number", "person", "organization", "yesno", "other")

AUXILIARIES = frozenset(
    [
        "is",
        "are",
        "was",
        "were",
        "am",
        "do",
        "does",
        "did",
        "has",
        "have",
        "had",
        "can",
        "could",
        "will",
        "would",
        "should",
        "shall",
        "may",
        "might",
        "must",
    ]
)
WH_WORDS = frozenset(["who", "whom", "whose", "what", "which", "when", "where", "why", "how"])

PLACE_NOUNS = frozenset(
    [
        "city",
        "cities",
        "town",
        "towns",
        "village",
        "country",
        "countries",
        "nation",
        "state",
        "states",
        "province",
        "region",
        "county",
        "district",
        "place",
        "places",
        "location",
        "area",
        "continent",
        "island",
        "river",
        "mountain",
        "capital",
        "neighborhood",
        "neighbourhood",
        "street",
        "venue",
        "stadium",
        "port",
        "territory",
        "borough",
        "suburb",
        "municipality",
        "state's",
        "sea",
        "ocean",
        "lake",
        "valley",
        "desert",
        "airport",
    ]
)
DATE_NOUNS = frozenset(
    ["year", "years", "date", "day", "month", "century", "decade", "era", "time", "week"]
)
NUMBER_NOUNS = frozenset(
    [
        "number",
        "percentage",
        "percent",
        "amount",
        "population",
        "cost",
        "price",
        "age",
        "total",
        "sum",
        "size",
        "count",
        "rate",
        "figure",
        "length",
        "height",
        "distance",
        "temperature",
        "speed",
        "share",
        "toll",
    ]
)
# Prepositions that ask for one side of a date: "Until what date is the plan funded?" is
# answered by "through Feb. 15", not by "began on Dec. 22".
DATE_BOUNDS = frozenset(["until", "till", "since", "by"])
# What a tally of two figures answers: "What was the final vote?" ("50-48"), "the score".
TALLY_NOUNS = frozenset(["vote", "score", "tally", "scoreline"])
# "What type of vote …" asks for a kind, not a result.
KIND_WORDS = frozenset(["type", "kind", "sort", "form", "method"])
PERSON_NOUNS = frozenset(
    [
        "person",
        "man",
        "woman",
        "president",
        "leader",
        "founder",
        "author",
        "writer",
        "player",
        "coach",
        "king",
        "queen",
        "emperor",
        "scientist",
        "artist",
        "actor",
        "actress",
        "singer",
        "director",
        "chairman",
        "chairwoman",
        "ceo",
        "minister",
        "governor",
        "mayor",
        "senator",
        "pope",
        "inventor",
        "composer",
        "architect",
        "poet",
        "philosopher",
        "physicist",
        "chemist",
        "explorer",
        "spokesman",
        "spokeswoman",
        "official",
        "officer",
        "head",
        "chief",
        "owner",
        "manager",
        "general",
        "commander",
        "prince",
        "princess",
        "ruler",
        "monarch",
        "husband",
        "wife",
        "son",
        "daughter",
        "father",
        "mother",
        "brother",
        "sister",
        "saint",
    ]
)
ORG_NOUNS = frozenset(
    [
        "group",
        "organization",
        "organisation",
        "company",
        "firm",
        "party",
        "team",
        "club",
        "movement",
        "agency",
        "university",
        "college",
        "school",
        "institution",
        "institute",
        "network",
        "newspaper",
        "channel",
        "band",
        "corporation",
        "business",
        "league",
        "union",
        "association",
        "council",
        "committee",
        "ministry",
        "department",
        "church",
        "bank",
        "airline",
        "campaign",
        "charity",
        "foundation",
        "brand",
        "publisher",
        "studio",
        "label",
        "society",
        "manufacturer",
        "broadcaster",
        "station",
        "magazine",
        "outlet",
        "alliance",
        "coalition",
        "body",
    ]
)
# Words that sit between "what" and the noun that decides the type.
SKIP_AFTER_WH = frozenset(
    [
        "is",
        "was",
        "are",
        "were",
        "the",
        "a",
        "an",
        "of",
        "name",
        "names",
        "kind",
        "type",
        "sort",
        "exact",
        "specific",
        "main",
        "first",
        "last",
        "new",
        "old",
        "other",
    ]
)
MONEY_WORDS = frozenset(
    [
        "cost",
        "costs",
        "pay",
        "paid",
        "spend",
        "spent",
        "worth",
        "price",
        "raise",
        "raised",
        "earn",
        "earned",
        "money",
        "fund",
        "funds",
        "budget",
        "fee",
        "fine",
        "salary",
        "revenue",
        "sell",
        "sold",
        "buy",
        "bought",
        "charge",
    ]
)
PRESENT_AUX = frozenset(["is", "are", "am", "do", "does", "has", "have"])
PAST_AUX = frozenset(["was", "were", "did", "had"])
# Quantity questions: "how" + one of these.
HOW_NUMBER = {
    "many": "count",
    "much": "count",
    "old": "age",
    "long": "duration",
    "far": "count",
    "big": "count",
    "large": "count",
    "tall": "count",
    "high": "count",
    "deep": "count",
    "wide": "count",
    "often": "count",
    "heavy": "count",
}


@dataclass
class Question:
    text: str
    answer_type: str
    number_kind: str | None = None  # count, money, percent, age, duration (number questions)
    head: str | None = None  # the noun the wh-word governs ("team", "supporters")
    subject: list[tuple[str, ...]] = field(default_factory=list)  # phrases, normalised words
    focus: list[str] = field(default_factory=list)  # stems of the other content words
    key: str | None = None  # yes/no: the stem the answer turns on
    # yes/no: the verb asked about, and its alternatives; count questions: the event counted
    predicate: tuple[str, ...] = ()
    counted: str | None = None  # count questions: the noun counted ("workers" in "how many
    # federal workers"), normalised; `head` is the word after "how many"
    # what/which questions: stems of the words that narrow the head noun ("Democratic" in
    # "Which Democratic senator …"); a sentence that names someone must say them too
    modifiers: tuple[str, ...] = ()
    # what/which questions: stems of the possessor in the wh-phrase ("the Senate Judiciary
    # Committee's vote"): whose the thing asked for is
    owner: tuple[str, ...] = ()
    # the preposition before the wh-word ("*Until* what date …", "*Since* when …"): which side
    # of a date the question asks for
    bound: str | None = None
    # stems of words that only say what kind of answer is asked for, or that something
    # happened ("Where is X *located*?", "How long did X *last*?", "When did X *take place*?"):
    # a sentence that says them is more about the question, one that does not is not less
    optional: list[str] = field(default_factory=list)
    # a stance verb and its side ("voted *for* X": ("vot", "for")): a sentence saying the
    # other side of it ("would vote against X") does not answer
    stance: tuple[str, str] | None = None
    tense: str = "present"  # "present" or "past", from the auxiliary
    words: set[str] = field(default_factory=set)  # every normalised word of the question


def wh_word(q: Question) -> str | None:
    """The question's first wh-word ("who", "what", ...), None for a search without one."""
    norms = [w.lower() for w in re.findall(r"\w+", q.text)]
    return next((n for n in norms if n in WH_WORDS), None)


def asks_why(q: Question) -> bool:
    """Whether the question's wh-word is "why": a reason, which is a clause ("to be near his
    wife"), not a name, a figure or a noun phrase, the only answers either layer reads."""
    return wh_word(q) == "why"


def analyse(text: str) -> Question:
    """Classify a question and pick out its subject and focus terms."""
    ws = words(text)
    norms = [w.norm for w in ws]
    q = Question(text=text, answer_type="other", words=set(norms))
    if not ws:
        return q
    q.tense = _tense(norms)
    owners = _possessors(ws)
    if norms[0] in AUXILIARIES and not (set(norms) & WH_WORDS - {"which"}):
        q.answer_type = "yesno"
    else:
        _wh_type(q, norms, owners)
    wh_span = _wh_span(norms, q.head, owners)
    excluded = _excluded(text, ws)
    q.modifiers = _modifiers(ws, wh_span, q.head)
    if wh_span:
        q.owner = tuple(
            light_stem(ws[i].norm) for i in range(min(wh_span), max(wh_span) + 1) if owners[i]
        )
    if q.answer_type == "yesno":
        q.subject = _grammatical_subject(ws)
    else:
        q.subject = _subject(
            [w for i, w in enumerate(ws) if i not in wh_span and i not in excluded], first=ws[0]
        )
    subject_words = {w for phrase in q.subject for w in phrase}
    content = [
        w
        for i, w in enumerate(ws)
        if (
            i not in wh_span
            or i > 0
            and ws[i].capitalised
            or _is_head_word(w.norm, q.head)
            and q.answer_type in ("person", "organization", "number")
        )
        and not is_stopword(w.norm)
        and w.norm not in AUXILIARIES
        and w.norm not in WH_WORDS
        and w.norm not in HOW_NUMBER
        and not (w.norm in SKIP_AFTER_WH and i in wh_span)
        and i not in excluded
    ]
    typing = {i for i in range(len(ws)) if _says_the_type(q, norms, i)}
    q.focus = list(
        dict.fromkeys(
            light_stem(w.norm)
            for i, w in enumerate(ws)
            if w in content and w.norm not in subject_words and i not in typing
        )
    )
    q.optional = [light_stem(norms[i]) for i in sorted(typing) if ws[i] in content]
    q.stance = _stance(ws)
    if q.answer_type == "yesno" and content:
        q.key = light_stem(content[-1].norm)
        if content[-1].norm in subject_words and len(content) > 1:
            q.key = light_stem(content[-2].norm)
        q.predicate = _predicate(ws)
    elif q.answer_type == "number" and q.head == "toll":
        # a toll counts the event its modifier names ("death toll"), in whatever noun, and a
        # sentence says that event, not "toll" ("31 people died")
        at = next(i for i, n in enumerate(norms) if _is_head_word(n, "toll"))
        q.predicate = tuple(n for n in norms[:at][-1:] if not is_stopword(n))
        q.focus = [t for t in q.focus if t != "toll"] + [light_stem(n) for n in q.predicate]
    elif q.answer_type == "number" and q.number_kind in (None, "count", "money"):
        # counts and sums are read by their verb ("How much money did X *demand*?")
        q.counted, q.predicate = _counted_event(ws, wh_span)
        q.counted = q.counted or q.head
    return q


DO_AUXILIARIES = frozenset(["do", "does", "did", "can", "could", "will", "would", "should",
                            "shall", "may", "might", "must"])  # fmt: skip
# Words that open the subject noun phrase before its head: determiners, possessives, numbers,
# adjectives ("the two sides", "the Iranian government").
SUBJECT_MODIFIER_TAGS = ("DT", "PDT", "PRP$", "CD", "JJ")
PARTICIPLE_TAGS = ("VBN", "VBD", "VBG")
NOT_PREDICATES = frozenset(["been", "being", "having", "done", "doing"])


def _predicate(
    ws: list[Word], aux_at: int = 0, subject_first: bool = True, tags: list[str] | None = None
) -> tuple[str, ...]:
    """The verb a question asks about (normalised, as written), with a verb coordinated with it
    by "or"/"and" as an alternative ("killed or wounded"); () when none is found. The question's
    auxiliary is word `aux_at`; `subject_first` False when the subject came before it (the
    wh-phrase of "How many people were wounded …"); `tags` the question's, if already tagged.

    After "do" or a modal the verb follows the subject noun phrase, whose head is its first
    word that is not a determiner, number or adjective (with the capitalised words that continue
    a name); after "be" or "have" it is the first participle after the auxiliary (and the
    subject). The tagger is trained on statements, where it tags a bare verb after a noun ("Did
    the agency interview") as a noun, so for "do" the position decides, not the tag."""
    from index.answers.tagging import pos_tag  # its weights load on first use

    if len(ws) < aux_at + 2:
        return ()
    tags = tags or pos_tag([w.text for w in ws])
    at: int | None = None
    if ws[aux_at].norm in DO_AUXILIARIES and subject_first:
        head = aux_at + 1
        while head < len(ws) - 1 and tags[head].startswith(SUBJECT_MODIFIER_TAGS):
            head += 1
        while head + 1 < len(ws) and ws[head].capitalised:
            if ws[head + 1].capitalised:
                head += 1
            elif (  # "the University *of* Lagos": a connector inside the name
                ws[head + 1].norm in CAPITALISED_CONNECTORS
                and head + 2 < len(ws)
                and ws[head + 2].capitalised
            ):
                head += 2
            else:
                break
        if _name_modifies_noun(ws, tags, aux_at, head):
            head += 1
        at = head + 1 if head + 1 < len(ws) else None
    elif ws[aux_at].norm in DO_AUXILIARIES:
        at = aux_at + 1
    else:
        first = aux_at + (2 if subject_first else 1)
        # with the subject before "be", an adjective is the predicate too ("were undecided")
        kinds = PARTICIPLE_TAGS if subject_first else (*PARTICIPLE_TAGS, "JJ")
        at = next(
            (i for i in range(first, len(ws)) if tags[i] in kinds
             and ws[i].norm not in NOT_PREDICATES and not ws[i].capitalised),
            None,
        )  # fmt: skip
    if at is None or ws[at].capitalised or ws[at].norm in AUXILIARIES:
        return ()
    if is_stopword(ws[at].norm) and ws[aux_at].norm not in DO_AUXILIARIES:
        return ()  # after "do" the position decides: "Does the trust own …" asks about "own"
    found = [ws[at].norm]
    if at + 2 < len(ws) and ws[at + 1].norm in ("or", "and"):
        nxt = ws[at + 2]
        if not nxt.capitalised and not is_stopword(nxt.norm) and tags[at + 2][:2] in ("VB", "JJ"):
            found.append(nxt.norm)
    return tuple(found)


def _name_modifies_noun(ws: list[Word], tags: list[str], aux_at: int, head: int) -> bool:
    """Whether the name at `head`, after a determiner, is a modifier of the noun that follows
    ("did the Orlando gunman fire", "does the Trump administration plan") rather than the
    subject's head ("did the FBI interview Kavanaugh"): it is when two lowercase content words
    follow it and end the clause, the noun and the verb ("does the Okafor campaign have")."""

    def content(i: int) -> bool:
        return i < len(ws) and not ws[i].capitalised and not is_stopword(ws[i].norm)

    return (
        head > aux_at + 1
        and ws[aux_at + 1].norm == "the"
        and ws[head].capitalised
        and content(head + 1)
        and (content(head + 2) or head + 2 < len(ws) and tags[head + 2].startswith("VB"))
        and not content(head + 3)
    )


def _counted_event(ws: list[Word], wh_span: set[int]) -> tuple[str | None, tuple[str, ...]]:
    """What a count question counts: the noun ("How many federal *workers* …", "How many of
    Iran's *missiles* …") and the verb of its instances ("How many people were *wounded* in the
    attack?", "How many missiles did Iran *fire* …", "How many people *live* in …"). A sentence
    that reports several counts ties each to its own noun and verb ("killing 50 people and
    wounding 53"); this says which count is asked about."""
    norms = [w.norm for w in ws]
    many = next((i for i, n in enumerate(norms[:-1]) if n == "how" and norms[i + 1] in HOW_NUMBER),
                None)  # fmt: skip
    start = many + 2 if many is not None else max(wh_span, default=-1) + 1
    if start >= len(ws):
        return None, ()
    from index.answers.tagging import pos_tag

    # The counted noun phrase ends at its first plural noun, or at a noun no other noun follows:
    # "federal workers quit", "home runs did", "of Iran's missiles were".
    tags = pos_tag([w.text for w in ws])
    at, counted = start, None
    while at < len(ws) and norms[at] not in AUXILIARIES:
        tag = tags[at]
        if ws[at].text.endswith(("'s", "\u2019s")):
            pass  # a possessor: "of Iran's missiles"
        elif tag.startswith("NN"):
            counted = at
            nxt = tags[at + 1] if at + 1 < len(ws) else ""
            if nxt != "POS" and (tag in ("NNS", "NNPS") or not nxt.startswith("NN")):
                at += 1
                break
        elif not (tag.startswith(("JJ", "DT", "PRP$", "POS", "CD")) or norms[at] == "of"):
            break
        at += 1
    noun = norms[counted] if counted is not None and not ws[counted].text.isupper() else None
    if at < len(ws) and norms[at] in AUXILIARIES:
        do = norms[at] in DO_AUXILIARIES
        return noun, _predicate(ws, at, subject_first=do, tags=tags)
    verb = ws[at] if at < len(ws) else None
    if verb is None or verb.capitalised or is_stopword(verb.norm):
        return noun, ()
    return noun, (verb.norm,)


def _tense(norms: list[str]) -> str:
    for n in norms[:6]:
        if n in PAST_AUX:
            return "past"
        if n in PRESENT_AUX:
            return "present"
    return "past" if any(n.endswith("ed") for n in norms) else "present"


def _wh_type(q: Question, norms: list[str], possessive: list[bool]) -> None:
    wh_at = next((i for i, n in enumerate(norms) if n in WH_WORDS), None)
    if wh_at is None:
        return
    wh = norms[wh_at]
    after = norms[wh_at + 1 :]
    if wh_at and norms[wh_at - 1] in DATE_BOUNDS:
        q.bound = norms[wh_at - 1]
    if wh == "where":
        q.answer_type = "place"
    elif wh == "when":
        q.answer_type = "date"
    elif wh in ("who", "whom", "whose"):
        q.answer_type = "person"
    elif wh == "why":
        q.answer_type = "other"
    elif wh == "how":
        kind = HOW_NUMBER.get(after[0]) if after else None
        if kind is None:
            return
        q.answer_type = "number"
        q.number_kind = kind
        rest = after[1:]
        if after[0] == "much" and (set(rest) & MONEY_WORDS or "$" in q.text):
            q.number_kind = "money"
        if after[0] in ("many", "much") and rest and not is_stopword(rest[0]):
            q.head = rest[0]
            if rest[0] in ("percent", "percentage"):
                q.number_kind = "percent"
    else:  # what / which
        head = _head_noun(after, possessive[wh_at + 1 :])
        if head is None:
            return
        q.head = head
        if head in DATE_NOUNS:
            q.answer_type = "date"
        elif head in PLACE_NOUNS:
            q.answer_type = "place"
        elif (
            head in TALLY_NOUNS
            and not set(after[: next(i for i, n in enumerate(after) if _is_head_word(n, head))])
            & KIND_WORDS
        ):
            q.answer_type = "number"
            q.number_kind = "tally"
        elif head in NUMBER_NOUNS:
            q.answer_type = "number"
            q.number_kind = "percent" if head in ("percentage", "percent", "share") else "count"
            if head in ("cost", "price"):
                q.number_kind = "money"
            if head == "age":
                q.number_kind = "age"
        elif head in PERSON_NOUNS:
            q.answer_type = "person"
        elif head in ORG_NOUNS:
            q.answer_type = "organization"


def _head_noun(after: list[str], possessive: list[bool]) -> str | None:
    """The first type-deciding noun within a few words of what/which. A possessor is not the
    head: "the committee's vote" asks for a vote, "the city's population" for a number."""
    for n, owner in zip(after[:7], possessive, strict=False):
        base = n[:-1] if n.endswith("s") and n[:-1] in _ALL_TYPE_NOUNS else n
        if "-" in base and base.rsplit("-", 1)[1] in _ALL_TYPE_NOUNS:
            base = base.rsplit("-", 1)[1]  # "ex-wife", "co-founder", "vice-president"
        if base in _ALL_TYPE_NOUNS and not owner:
            return base
        if owner or n in SKIP_AFTER_WH or not is_stopword(n):
            continue
        if n not in ("the", "a", "an", "of"):
            return None
    return None


_ALL_TYPE_NOUNS = PLACE_NOUNS | DATE_NOUNS | NUMBER_NOUNS | TALLY_NOUNS | PERSON_NOUNS | ORG_NOUNS


def _is_head_word(norm: str, head: str | None) -> bool:
    """Whether a question word is its head noun as `_head_noun` found it: the same, its plural
    ("tolls", "votes"), or its last part ("ex-wife")."""
    return head is not None and (norm == head or norm == head + "s" or norm.endswith("-" + head))


def _possessors(ws: list[Word]) -> list[bool]:
    """Which words are a possessor: a word ending in 's and the name it ends ("the Senate
    Judiciary Committee's")."""
    out = [w.text.endswith(("'s", "\u2019s")) for w in ws]
    for k in range(len(ws) - 1, 0, -1):
        if out[k] and ws[k].capitalised:
            j = k - 1
            while j > 0 and ws[j].capitalised and ws[j].norm not in WH_WORDS:
                out[j] = True
                j -= 1
    return out


def _wh_span(norms: list[str], head: str | None, possessive: list[bool]) -> set[int]:
    """Indexes of the wh-phrase: the wh-word up to its head noun ("how old", "what is the name
    of the local group"). Its words describe the answer itself, not what it is about; a
    possessor says whose it is ("the gunman's ex-wife"), so it is left to the subject."""
    out: set[int] = set()
    for i, n in enumerate(norms):
        if n not in WH_WORDS:
            continue
        out.add(i)
        if n == "how" and i + 1 < len(norms) and norms[i + 1] in HOW_NUMBER:
            out.add(i + 1)
        ends = [k for k in range(i + 1, min(i + 9, len(norms))) if _is_head_word(norms[k], head)]
        if ends:
            out.update(k for k in range(i, ends[0] + 1) if not possessive[k])
        break
    return out


# Adjectives that narrow nothing a sentence would repeat ("Which other company …").
_VAGUE = "other another same different main major particular specific famous notable known"
VAGUE_MODIFIERS = frozenset([*_VAGUE.split(), "certain", "following", "former", "current"])


def _modifiers(ws: list[Word], wh_span: set[int], head: str | None) -> tuple[str, ...]:
    """The words of a what/which phrase between the wh-word and its head noun ("Which
    *Democratic* senator", "What *Silicon Valley* investor"), as light stems: no articles,
    numbers or vague adjectives."""
    if head is None or not wh_span or ws[min(wh_span)].norm not in ("what", "which"):
        return ()
    return tuple(
        light_stem(ws[i].norm)
        for i in sorted(wh_span)[1:-1]
        if not is_stopword(ws[i].norm)
        and ws[i].norm not in SKIP_AFTER_WH
        and ws[i].norm not in VAGUE_MODIFIERS
        and ws[i].norm not in UNITS
        and ws[i].norm not in ORDINAL_WORDS
        and ws[i].norm != "last"
        and not ws[i].text[:1].isdigit()
    )


CAPITALISED_CONNECTORS = frozenset(
    ["of", "de", "del", "la", "le", "von", "van", "der", "da", "di", "du", "y", "&", "and"]
)
_SENTENCE_START = re.compile(r"^\W*$")


def _subject(ws: list[Word], first: Word) -> list[tuple[str, ...]]:
    """Proper-name phrases (capitalised runs after the question's first word), else the first
    content noun: what a sentence must be about to answer the question."""
    phrases: list[tuple[str, ...]] = []
    run: list[Word] = []

    def close() -> None:
        while run and run[-1].norm in CAPITALISED_CONNECTORS:
            run.pop()
        if run:
            phrases.append(tuple(w.norm for w in run))
        run.clear()

    for i, w in enumerate(ws):
        if (
            w is not first
            and w.capitalised
            and w.norm not in WH_WORDS
            and w.text != "I"
            or run
            and w.norm in CAPITALISED_CONNECTORS
            and i + 1 < len(ws)
            and ws[i + 1].capitalised
        ):
            run.append(w)
        elif run and w.text[:1].isdigit():
            run.append(w)  # "Super Bowl 50"
        else:
            close()
    close()
    # Without proper names the subject cannot be told from the other content words without a
    # tagger ("that supports the campaign"): all of them then count as focus.
    return [_weekday_of(p) for p in phrases]


# What opens a phrase the answer is not ("*Besides* the capital, which city …", "… *other
# than* Lagos"): its words say what to leave out, not what the answer's sentence says.
_EXCLUDING = ("besides", "except", "excluding", "apart from", "aside from", "other than")
# Verbs that only say what kind of answer is asked for, as the wh-word does: "Where is X
# *located*?", "How long did X *last*?"; a sentence that places X, or says how long it ran
# ("the 35-day strike"), need not repeat them (`Question.optional`).
PLACE_VERBS = frozenset(["located", "situated"])
DURATION_VERBS = frozenset(["last", "lasted", "lasts"])
# Verbs that carry little meaning of their own: the word they govern does ("*keep* the
# government funded", "*get* their back pay", "*stay* open"), and a sentence that answers says
# that word ("would fund the government through February 15", "will be paid by Friday").
LIGHT_VERBS = frozenset(
    ["keep", "keeps", "kept", "get", "gets", "got", "gotten", "stay", "stays", "stayed", "remain",
     "remains", "remained"]
)  # fmt: skip


def _says_the_type(q: Question, norms: list[str], i: int) -> bool:
    """Whether word `i` only says what kind of answer is asked for, or that something
    happened ("located", "last", "take place"), or is a light verb ("keep X funded"): not a
    word a sentence must say."""
    if q.answer_type == "place" and norms[i] in PLACE_VERBS:
        return True
    if q.number_kind == "duration" and norms[i] in DURATION_VERBS:
        return True
    if norms[i] in LIGHT_VERBS and i + 1 < len(norms):
        return True
    return q.answer_type != "yesno" and _takes_place(norms, i)


def _takes_place(norms: list[str], i: int) -> bool:
    """Whether word `i` is part of "take place" ("When did the vote take place?"): it says
    that something happened, which a sentence that dates it need not say."""
    takes = ("take", "takes", "took", "taken", "taking")
    return (
        norms[i] in takes and i + 1 < len(norms) and norms[i + 1] == "place"
        or norms[i] == "place" and i > 0 and norms[i - 1] in takes
    )  # fmt: skip


def _excluded(text: str, ws: list[Word]) -> set[int]:
    """The indexes of an excluding phrase's words, its opening word(s) included: up to a
    comma or the wh-word, or a name's last word."""
    norms = [w.norm for w in ws]
    for i in range(len(ws)):
        for opener in _EXCLUDING:
            parts = opener.split()
            if norms[i : i + len(parts)] != parts:
                continue
            end = first = i + len(parts)
            name = first < len(ws) and ws[first].capitalised  # "other than Lagos hosts …"
            while end < len(ws) and norms[end] not in WH_WORDS:
                if name and not ws[end].capitalised:
                    break
                end += 1
                if "," in text[ws[end - 1].end : ws[end].start if end < len(ws) else None]:
                    break
            return set(range(i, end))
    return set()


# Verbs that take a side, "for" or "against" something: news reports votes, rulings and
# campaigns either way ("voted against the bill", "ruled in favor of the city").
STANCE_VERBS = frozenset(
    light_stem(w) for w in ["vote", "argue", "campaign", "testify", "rule", "speak", "lobby",
                            "side", "decide"]
)  # fmt: skip
SIDES = {"for": "for", "against": "against", "favor": "for", "favour": "for"}


def _stance(ws: list[Word]) -> tuple[str, str] | None:
    """The stance verb of the question and the side it asks about: "Which senator voted *for*
    X?", "… ruled *in favor of* …"."""
    for i in range(1, len(ws)):
        side = SIDES.get(ws[i].norm)
        verb_at = i - 2 if side and ws[i].norm in ("favor", "favour") else i - 1
        if side and verb_at >= 0 and light_stem(ws[verb_at].norm) in STANCE_VERBS:
            return light_stem(ws[verb_at].norm), side
    return None


WEEKDAYS = frozenset(values.WEEKDAYS)


def _weekday_of(phrase: tuple[str, ...]) -> tuple[str, ...]:
    """A date's weekday, the word a story about that day repeats ("arrested 300 people
    Thursday" for "… on Thursday, Oct. 4?"), without the date's other words, which it
    writes many ways ("Oct. 4", "October 4th"); any other phrase as it is."""
    is_date = all(w in WEEKDAYS or w.rstrip(".") in MONTHS or w.isdigit() for w in phrase)
    weekday = [w for w in phrase if w in WEEKDAYS]
    return (weekday[0],) if is_date and weekday else phrase


def _grammatical_subject(ws: list[Word]) -> list[tuple[str, ...]]:
    """A yes/no question's subject follows its auxiliary: the first content word after it,
    with the capitalised words that continue it ("Does Green Valley Trust ...")."""
    for i, w in enumerate(ws[1:], start=1):
        if is_stopword(w.norm) or w.norm in AUXILIARIES:
            continue
        phrase = [w.norm]
        if w.capitalised:
            for nxt in ws[i + 1 :]:
                if not nxt.capitalised:
                    break
                phrase.append(nxt.norm)
        return [tuple(phrase)]
    return []
