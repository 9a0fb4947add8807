"""How strongly the words around a span mark it as the answer's type (0 = not at all, 1 = an
explicit cue). The patterns are the ones news English uses to introduce each kind of fact:

- places: "lives in X", "a X resident", "X-based", "based in X" state where someone is;
  "moved to X", "relocation to X" where someone went; a bare preposition ("in X", "at X")
  only says the span is a location; the question's own verb before the preposition ("played
  at X", "born in X") ties it to the question;
- people: a role noun before a name ("founder Maria Lopes", "Brightwave founder X"),
  an appositive role after it ("X, the founder of"), a passive agent ("founded by X");
- organisations: a naming phrase after the question's noun ("a group called the X"), an
  appositive ("the X, a state-funded group"), the kind of word names of organisations end
  in ("Movement", "Party", "University"), acronyms;
- numbers: the counted noun after the number ("14,000 supporters" for "how many supporters"),
  a currency or percent sign for money and percent questions, "N-year-old" for ages; where a
  sentence reports several counts, each is the count of the verb in its own conjunct
  ("killing 50 people and wounding 53": 53 for "how many were wounded"), and a number that
  counts another of the question's nouns is not the count asked for ("a dozen missiles at two
  bases" for "how many missiles … at the bases"). A count question's sentence must say the
  event counted ("fired" does not say how many "hit").
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from index.answers.mentions import Mention, date_mentions, number_mentions
from index.answers.question import (
    DO_AUXILIARIES,
    ORG_NOUNS,
    PERSON_NOUNS,
    SIDES,
    WEEKDAYS,
    Question,
)
from index.answers.words import (
    IRREGULAR_PAST,
    Word,
    find_term,
    is_stopword,
    light_stem,
    stems_match,
    words,
)

LOCATIVE = frozenset(
    [
        "in",
        "at",
        "near",
        "from",
        "to",
        "into",
        "across",
        "outside",
        "inside",
        "throughout",
        "within",
        "toward",
        "towards",
        "around",
        "between",
    ]
)
_RESIDENCE_BEFORE = re.compile(
    r"\b(?:lives?|living|resides?|residing|resident of|based|headquartered|home)\s+(?:in|at)"
    r"\s+(?:the\s+)?$",
    re.I,
)
_RESIDENCE_AFTER = re.compile(r"^(?:-based\b|\s+residents?\b|\s*-\s*based\b)", re.I)
_MOVE_BEFORE = re.compile(
    r"\b(?:moved|moving|moves|relocated|relocating|relocation|emigrated|settled|settling"
    r"(?:\s+down)?|returned|returning)\s+(?:back\s+)?(?:to|in)\s+(?:the\s+)?$",
    re.I,
)
ORG_WORDS = frozenset(
    [
        "movement",
        "party",
        "group",
        "organization",
        "organisation",
        "company",
        "corporation",
        "corp",
        "inc",
        "ltd",
        "llc",
        "university",
        "college",
        "institute",
        "institution",
        "foundation",
        "association",
        "council",
        "committee",
        "agency",
        "ministry",
        "department",
        "bank",
        "union",
        "federation",
        "league",
        "alliance",
        "coalition",
        "front",
        "network",
        "church",
        "society",
        "club",
        "team",
        "trust",
        "fund",
        "commission",
        "board",
        "authority",
        "service",
        "services",
        "bureau",
        "office",
        "academy",
        "school",
        "press",
        "times",
        "post",
        "news",
        "journal",
        "army",
        "navy",
        "campaign",
        "center",
        "centre",
        "court",
        "senate",
        "congress",
        "parliament",
        "assembly",
        "administration",
        "government",
        "police",
        "cabinet",
        "tribunal",
        "embassy",
        "hospital",
        "museum",
    ]
)
TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "sir",
        "lord",
        "lady",
        "president",
        "senator",
        "sen",
        "governor",
        "gov",
        "rep",
        "representative",
        "lt",
        "lieutenant",
        "sgt",
        "sergeant",
        "admiral",
        "adm",
        "captain",
        "colonel",
        "commissioner",
        "mayor",
        "king",
        "queen",
        "prince",
        "princess",
        "pope",
        "saint",
        "st",
        "general",
        "gen",
        "col",
        "capt",
        "rev",
        "professor",
        "prof",
        "judge",
        "justice",
        "minister",
        "president-elect",
        "chairman",
    ]
)
# Titles that are also the first word of other names ("King County", "General Motors", "St.
# Louis", "Prince George"): not dropped from a question's subject (`evidence`).
AMBIGUOUS_TITLES = frozenset(
    ["king", "queen", "prince", "princess", "pope", "saint", "st", "general", "gen", "lord", "lady"]
)
# Words that introduce a person, not a place, in news text ("founder Ana Ruiz", "Governor
# Lee", "coach Sam Park"): a name right after one is not an answer to "where".
PERSON_INTRODUCERS = (TITLES - {"saint", "st"}) | frozenset(
    ["founder", "emperor", "leader", "chief", "director", "ceo", "coach", "author", "spokesman",
     "spokeswoman", "spokesperson", "secretary", "chancellor", "ambassador", "premier", "sheikh",
     "bishop", "cardinal", "archbishop", "rabbi", "imam", "sultan", "khan", "tsar", "czar"]
)  # fmt: skip


# What stands before a person's name as a title inside a run of capitals ("NASA Administrator
# James E. Webb", "Ming Emperor Zhu Yuanzhang", "NFL Commissioner Roger Goodell").
NAME_TITLES = TITLES | PERSON_INTRODUCERS | frozenset(["administrator"])


def introduces_person(text: str, m: Mention) -> bool:
    """Whether the name follows, or starts with, a title or role noun of a person."""
    first = m.text.split()[0].lower().rstrip(".") if m.text.split() else ""
    return _prev_word(text, m).rstrip(".") in PERSON_INTRODUCERS or (
        first in PERSON_INTRODUCERS and len(m.text.split()) > 1
    )


_NAMING = re.compile(r"\b(?:called|named|known\s+as|dubbed)\s+(?:the\s+)?[\"“'‘]?$", re.I)


def _before(text: str, m: Mention, chars: int = 60) -> str:
    return text[max(0, m.start - chars) : m.start]


def _prev_word(text: str, m: Mention) -> str:
    found = re.search(r"([\w'’-]+)\W*$", text[: m.start])
    return found.group(1).lower() if found else ""


_TO_A_PERSON = frozenset(["born", "married", "engaged", "wed"])


def place_cue(q: Question, text: str, m: Mention) -> float:
    before = _before(text, m)
    after = text[m.end : m.end + 20]
    if _RESIDENCE_BEFORE.search(before) or _RESIDENCE_AFTER.search(after):
        return 1.0
    if _MOVE_BEFORE.search(before):
        return 0.7
    prev = _prev_word(text, m)
    if prev == "the":
        prev = _prev_word(text, Mention(m.start - 4, m.end, "", m.kind))
    if prev in LOCATIVE:
        verb = re.search(r"([\w'’-]+)\s+\w+\s+(?:the\s+)?$", text[: m.start])
        if prev == "to" and verb and verb.group(1).lower() in _TO_A_PERSON:
            return 0.0  # "born to Hans Luder" names a parent, "married to X" a spouse
        if verb and any(
            stems_match(light_stem(verb.group(1).lower()), f) for f in [*q.focus, *q.optional]
        ):
            return 1.0
        return 0.2
    return 0.0


def joined_places(text: str, names: list[Mention]) -> list[Mention]:
    """ "Lyon, France", "Santa Clara, California": a place and the larger place it is in,
    written as one location after a preposition."""
    out = []
    for a, b in zip(names, names[1:], strict=False):
        if _written_as_within(text, a, b) and re.match(r"\s*(?:[,.;:)”\"]|$)", text[b.end :]):
            out.append(Mention(a.start, b.end, text[a.start : b.end], "name"))
    return out


def containment_facts(text: str, names: list[Mention]) -> list[tuple[str, str]]:
    """(inner, outer) pairs the text states by writing "in X, Y" or "in X, Y's ...": a
    place followed by the region or country it belongs to."""
    facts = []
    for a, b in zip(names, names[1:], strict=False):
        if _written_as_within(text, a, b) and re.match(
            r"(?:['’]s\b|\s*(?:[,.;:)”\"]|$))", text[b.end :]
        ):
            facts.append((a.text, b.text))
    return facts


def _written_as_within(text: str, a: Mention, b: Mention) -> bool:
    """ "in X, Y": a place after a preposition, then a comma and another name."""
    return bool(re.fullmatch(r",\s*", text[a.end : b.start])) and _prev_word(text, a) in LOCATIVE


_ORIGIN = re.compile(r"\s+of\s+[A-Z]")


def strip_origin(text: str, m: Mention) -> Mention:
    """ "Dana Okafor of North Dakota" → "Dana Okafor": after a full name, "of" and a place
    say where the person is from (news writes senators, officials and witnesses so). A single
    name before "of" is kept whole ("Catherine of Aragon")."""
    cut = _ORIGIN.search(m.text)
    if cut is None or len(words(m.text[: cut.start()])) < 2:
        return m
    return Mention(m.start, m.start + cut.start(), m.text[: cut.start()], m.kind)


_NAME_SUFFIXES = frozenset(["jr", "sr", "ii", "iii", "iv"])


def strip_title(text: str, m: Mention) -> Mention:
    """ "President-elect Donald Trump" → "Donald Trump", "Democratic Senator Dana Okafor" →
    "Dana Okafor": a title, and what qualifies it, is not part of the name. Inside the run a
    title must be followed by two words of a name ("Martin Luther King Jr." stays whole)."""
    ws = words(m.text)
    # not before "of": "President of France" is a title, not a name after one
    while len(ws) > 1 and ws[0].norm.rstrip(".") in NAME_TITLES and ws[1].capitalised:
        ws = ws[1:]
    for k in range(len(ws) - 1, 0, -1):
        rest = [w for w in ws[k + 1 :] if w.norm.rstrip(".") not in _NAME_SUFFIXES]
        if ws[k].norm.rstrip(".") in NAME_TITLES and len(rest) >= 2:
            ws = ws[k + 1 :]
            break
    start = m.start + ws[0].start
    return Mention(start, m.end, text[start : m.end], m.kind)


def only_titles(m: Mention) -> bool:
    """Whether a name is only a title or role ("Premier", "the Governor"): it names nobody."""
    return all(w.norm.rstrip(".") in PERSON_INTRODUCERS for w in words(m.text))


UNLIKELY_PERSON = 0.05  # a name after "in", "at", "to": a place, most likely


# A run of capitals ending in a party's member noun is a description, not a name: "Illinois
# Democrat", "the Kentucky Republican"; "GOP" is the party.
PARTY_WORDS = frozenset(["democrat", "democrats", "republican", "republicans", "gop"])


# A legislator's party as US news marks it: by a letter after the name ("Mitch McConnell
# (R-KY)", "Joe Manchin, D-W.Va.,") or by a word before it ("GOP Sen. Susan Collins").
_PARTY_OF_WORD = {
    "democrat": "D",
    "democrats": "D",
    "democratic": "D",
    "republican": "R",
    "republicans": "R",
    "gop": "R",
}
_PARTY_LETTER_AFTER = re.compile(r"\s*[(,]\s*([DR])\s*[-–]\s*[A-Z]")


def another_party(q: Question, text: str, m: Mention) -> bool:
    """Whether the question asks for a member of one party ("Which Democratic senator …?")
    and the text marks the name as another's. A name without a marker is left to the other
    readings: most sentences do not say a person's party."""
    asked = {_PARTY_OF_WORD[w] for w in q.words if w in _PARTY_OF_WORD}
    if len(asked) != 1:
        return False
    letter = _PARTY_LETTER_AFTER.match(text, m.end)
    if letter:
        return letter.group(1) not in asked
    # the three words before the name, and the span's own ("GOP Sen. Susan Collins")
    near = words(text[max(0, m.start - 40) : m.start])[-3:] + words(m.text)
    said = {_PARTY_OF_WORD[w.norm] for w in near if w.norm in _PARTY_OF_WORD}
    return bool(said) and not said & asked


# Words of the names of events and things, never of a person's: "Super Bowl", "World War
# II", "NFC Championship Game", "American Sign Language", "Vince Lombardi Trophy".
_THING_WORDS = "war wars bowl championship championships olympics tournament treaty trophy \
festival language airport stadium game games cup election elections revolution"
THING_WORDS = frozenset(_THING_WORDS.split())


def person_cue(q: Question, text: str, m: Mention) -> float:
    name_words = words(m.text)
    if any(w.norm in ORG_WORDS or w.norm in THING_WORDS for w in name_words):
        return 0.0
    if name_words[-1].norm in PARTY_WORDS:
        return 0.0
    prev = _prev_word(text, m)
    if prev in LOCATIVE:
        return UNLIKELY_PERSON
    if prev in ("a", "an") or describes_a_name(text, m):
        return 0.0  # "a British engineer", "by American saxophonist Zoot Sims": no one's name
    if _owner_of_the_asked(q, text, m):
        return 0.0  # "Mateen's ex-wife, Sitora Yusufiy": the wife asked for is not Mateen
    roles = _role_stems(q)
    before = words(text[max(0, m.start - 40) : m.start])
    after = words(text[m.end : m.end + 60])
    if before and _is_role(before[-1].norm, roles):
        return 1.0
    if _by_after_focus(q, text, _descriptor_start(text, m.start)):
        return 1.0
    if re.match(r"\s*,\s*(?:the|a|an|who|its|his|her)?\b", text[m.end :]) and any(
        _is_role(w.norm, roles) for w in after[:6]
    ):
        return 0.9
    if after and _matches_focus(q, after[0].norm) and not _modifies(text, m, after[0].norm):
        return 0.9  # "X founded Y" for "Who founded Y?"
    return 0.5 if len(name_words) >= 2 else 0.3


def _modifies(text: str, m: Mention, noun: str) -> bool:
    """Whether a capitalised word stands right before a role or kin noun as its modifier, not
    its holder: "his *Russian* wife, Anastasia", "*Trump* adviser Jane Doe"."""
    return role_noun(noun) and re.match(r"\s+\w", text[m.end :]) is not None


# A description news writes before a name ("California professor Christine Blasey Ford",
# "American jazz saxophonist Zoot Sims", "Harvard economist Jane Doe", "pop rock band Boys Like
# Girls"): a role or kind noun, after at most three lower-case words that qualify it and one
# capitalised run (a place, a nationality, an employer). Verbs are not qualifiers: a word ending
# in "-ed" or "-s" or an irregular past ("told reporter Jane Doe") ends the description.
_ROLE_ENDING = re.compile(r"(?:er|or|ist|ent|ant|ess|man|woman|ian|ee|band|group|duo|trio)$")
_WORD_BEFORE = re.compile(r"([\w'’-]+)(\s+)$")


def _qualifier(word: str) -> bool:
    """A lower-case word that may qualify a role noun: not a function word or a verb's form
    ("Obama *said* senator X")."""
    verb_like = word.endswith("ed") or (word.endswith("s") and not word.endswith("ss"))
    return (
        (word.isalpha() or "-" in word)
        and word.islower()
        and not (is_stopword(word) or verb_like or word in IRREGULAR_PAST)
        and light_stem(word) not in STATEMENT_VERBS
    )


def _descriptor(text: str, end: int) -> tuple[int, int] | None:
    """(where the description right before `end` starts, where its capitalised run starts,
    or -1 without one), if a description is written there."""
    ws: list[tuple[int, str]] = []  # (start, word), right to left, whitespace between
    at = end
    while len(ws) < 7 and (found := _WORD_BEFORE.search(text, max(0, at - 40), at)):
        ws.append((found.start(1), found.group(1)))
        at = found.start(1)
    if not ws:
        return None
    role = ws[0][1]
    if not (
        _qualifier(role)
        and (role in PERSON_INTRODUCERS or role in PERSON_NOUNS or _ROLE_ENDING.search(role))
    ):
        return None
    k = 1
    while k < len(ws) and k <= 3 and _qualifier(ws[k][1]):
        k += 1
    start, modifier = ws[k - 1][0], -1
    capitals = 0
    while k < len(ws) and capitals < 3 and ws[k][1][:1].isupper():
        start = modifier = ws[k][0]
        k, capitals = k + 1, capitals + 1
    if capitals and k < len(ws) and ws[k][1][:1].isupper():
        return None  # a longer capitalised run is a name of its own, not a qualifier
    return start, modifier


def _descriptor_start(text: str, start: int) -> int:
    """Where the description before a name starts (the name's own start when there is none):
    "accused by California professor Christine Blasey Ford" is accused by her."""
    found = _descriptor(text, start)
    return start if found is None else found[0]


def describes_a_name(text: str, m: Mention) -> bool:
    """Whether `m` is the capitalised run of a description before a name ("California" in
    "California professor Christine Blasey Ford"): it names no person itself."""
    follows = re.match(r"\s+(?:[a-z][a-z-]*\s+){1,4}(?=[A-Z])", text[m.end : m.end + 80])
    if follows is None:
        return False
    found = _descriptor(text, m.end + follows.end())
    return found is not None and found[1] == m.start


def _by_after_focus(q: Question, text: str, start: int) -> bool:
    """A passive agent of the question's verb: "founded by X", "founded in 1901 by X",
    "accused of sexual assault by X" (the verb at most four words before "by")."""
    before = re.search(r"(?:\b[\w'’-]+\s+){1,5}$", text[max(0, start - 70) : start])
    if before is None:
        return False
    ws = words(before.group())
    return bool(ws) and ws[-1].norm == "by" and any(_matches_focus(q, w.norm) for w in ws[:-1])


def _possessed(text: str, m: Mention) -> str | None:
    """The word right after the span's possessive ending, lowercased ("Mateen's ex-wife":
    "ex-wife"), or None."""
    after = re.match(r"(?:'s|’s|'|’)\s+([\w-]+)", text[m.end : m.end + 40])
    return after.group(1).lower() if after else None


def _owner_of_the_asked(q: Question, text: str, m: Mention) -> bool:
    """Whether the name is the possessor of the role or relation asked about ("Mateen's
    ex-wife" for "Who is the gunman's ex-wife?"): the answer is the one who has the role."""
    noun = _possessed(text, m)
    return noun is not None and _matches_focus(q, noun)


def owns_the_role_asked(q: Question, text: str, m: Mention) -> bool:
    """Whether the span is the possessor of a role the question asks about ("Mateen's
    employer, the security company G4S" for "Which company employed the gunman?", "Mateen's
    ex-wife, Sitora Yusufiy" for "Who is the gunman's ex-wife?"): whoever holds the role is
    the other party. Only a person noun or the agent noun of the question's verb: the
    possessor of an event noun is its agent ("John Myhill's definition" answers "Who provided
    a definition …?"). On SQuAD's even articles, of 261 names before "'s" and a word of their
    question, 8 are the answer; of the 8 before such a role noun, none."""
    noun = _possessed(text, m)
    if noun is None:
        return False
    last = noun.split("-")[-1]  # "ex-wife", "co-founder"
    if last.rstrip("s") in PERSON_NOUNS:
        return any(stems_match(light_stem(noun), f) for f in q.focus)
    if len(noun) >= 6 and noun.isalpha() and noun.endswith(("er", "or")):
        return light_stem(noun[:-2]) in q.focus  # "employer" for "employed"
    return False


def _role_stems(q: Question) -> list[str]:
    """Role nouns that name the question's relation: the head noun ("which president") and
    the agent noun of its verb ("founded" → "founder")."""
    roles = [light_stem(q.head)] if q.head and q.head in PERSON_NOUNS else []
    # not the possessor's noun: "gunman Omar Mateen" is no answer to "What is the name of
    # the gunman's ex-wife?"
    return roles + [f for f in q.focus if len(f) >= 4 and f not in q.owner]


def _is_role(norm: str, roles: list[str]) -> bool:
    """An agent or role noun ("founder", "director", "president") or a person noun ("wife",
    "ex-wife", "son") built on one of `roles`. The whole word must match: "co-founder" is a
    different relation from "founder"."""
    person_noun = norm.rstrip("s") in PERSON_NOUNS or norm.split("-")[-1] in PERSON_NOUNS
    if not (person_noun or re.search(r"(?:er|or|ist|ent|ant|ess|man|woman)s?$", norm)):
        return False
    return any(stems_match(light_stem(norm), r) for r in roles)


# A role given to a name in apposition: "the vice president of X, Y" (before the name) and
# "Y, the vice president of X" (after it), the role noun right before "of".
_ROLE_OF_BEFORE = re.compile(r"\b([\w-]+)\s+of\s+[^,.;:]{1,60},\s*$")
_ROLE_OF_AFTER = re.compile(
    r"\s*,\s*(?:the|a|an|its|his|her|their)\s+(?:[\w-]+\s+){0,2}?([\w-]+)\s+of\b"
)
_AGENT_ENDING = re.compile(r"(?:er|or|ist|ent|ant|ess|man|woman)s?$")
# Words with an agent noun's ending that are no role: "former X", "whether X".
_NOT_ROLES_WORDS = "former latter later ever never whether either neither rather"
_NOT_ROLES = frozenset(_NOT_ROLES_WORDS.split())


def role_noun(norm: str) -> bool:
    """A person noun or an agent noun ("treasurer", "spokeswoman"); titles of address ("Mr.",
    "Sen.") are not roles of their own."""
    norm = norm.split("-")[-1]  # "vice-president", "co-chairman"
    if is_stopword(norm) or norm in _NOT_ROLES or not norm.isalpha():
        return False
    return norm.rstrip("s") in PERSON_NOUNS or bool(len(norm) > 4 and _AGENT_ENDING.search(norm))


def given_another_role(q: Question, text: str, m: Mention) -> bool:
    """Whether a sentence that does not say the relation asked about gives the name another
    role: "The vice president of X, Y, directs the campaign" does not say who founded X, nor
    does "X treasurer Y" who leads it. A sentence that says the relation ("Y, the chairman of
    X, founded it in 1990") is left as it is: one person may hold both roles."""
    roles = _role_stems(q)
    if not roles:
        return False

    in_question = [w.norm for w in words(q.text)]  # "Who was the chairman of X?": a subject

    def asked(norm: str) -> bool:  # the relation's own word, or its agent noun ("leader")
        return _matches_focus(q, norm) or any(
            len(r) >= 3 and light_stem(norm).startswith(r) for r in q.focus
        )

    def in_the_question(role: str) -> bool:
        return asked(role) or any(stems_match(light_stem(role), light_stem(w)) for w in in_question)

    said = [w for w in words(text) if not (m.start <= w.start < m.end)]
    if any(asked(w.norm) for w in said):
        return False
    given = []
    before = words(text[max(0, m.start - 40) : m.start])
    if before and text[before[-1].end + max(0, m.start - 40) : m.start].strip() == "":
        given.append(before[-1].norm)
    for found in (
        _ROLE_OF_BEFORE.search(text[max(0, m.start - 100) : m.start]),
        _ROLE_OF_AFTER.match(text, m.end),
    ):
        if found is not None:
            given.append(found.group(1).lower())
    return any(role_noun(g) and not _is_role(g, roles) and not in_the_question(g) for g in given)


def _matches_focus(q: Question, norm: str) -> bool:
    return any(stems_match(light_stem(norm), f) for f in q.focus)


def organization_cue(q: Question, text: str, m: Mention) -> float:
    name_words = words(m.text)
    heads = {q.head} if q.head else set()
    heads |= {"group", "organization", "organisation"} if q.head in ORG_NOUNS else set()
    before = text[max(0, m.start - 80) : m.start]
    after = text[m.end : m.end + 80]
    if _NAMING.search(before):
        near_head = any(w.norm in heads for w in words(before)[-8:])
        return 1.0 if near_head else 0.7
    appositive = re.match(r"\s*,\s*(?:an?|the)\b([^,.;]{0,60})", after)
    if appositive and any(w.norm in heads for w in words(appositive.group(1))):
        return 1.0
    if any(w.norm in ORG_WORDS for w in name_words[1:] or name_words):
        return 0.6
    if m.text.isupper() and len(m.text) >= 2:
        return 0.4
    if _prev_word(text, m) in LOCATIVE:
        return 0.1
    return 0.2


# The words that make a date each bound, before it or after it: "until Feb. 15", "through
# Feb. 15", "expires in mid-February", "by Feb. 15", "the Feb. 15 deadline"; "since 2019";
# "by Friday", "before Friday".
_END = ["until", "till", "through", "thru", "to", "by", "before", "expires", "expire", "ends",
        "deadline"]  # fmt: skip
BOUND_WORDS = {
    "until": frozenset(_END),
    "till": frozenset(_END),
    "since": frozenset(["since", "from"]),
    "by": frozenset(["by", "before", "deadline"]),
}
WRONG_BOUND = 0.2


def bounded_date_cue(q: Question, text: str, m: Mention, cue: float | None = None) -> float:
    """A date's cue for a question that asks for one side of it ("Until what date …"): the
    date must be said as that side within two words ("through Feb. 15", "expires in
    mid-February", "the Feb. 15 deadline"); another date of the sentence ("the shutdown that
    began on Dec. 22") is weak."""
    cue = date_cue(text, m) if cue is None else cue
    if q.bound is None:
        return cue
    near = [w.norm for w in words(text[max(0, m.start - 30) : m.start])][-2:]
    near += [w.norm for w in words(text[m.end : m.end + 30])][:2]
    return cue if set(near) & BOUND_WORDS[q.bound] else min(cue, WRONG_BOUND)


# Life dates written in brackets after a name, as encyclopedias and obituaries do: "Keith
# Lamont Scott (February 3, 1973 – September 20, 2016)", "Jean Toomer (1894-1967)", "Edmund
# Brockman (born 22 October 1828)". The first date is the birth, the second the death. A lone
# date in brackets is none ("Michael Dukakis (1988)", "Roe v. Wade (1973)": a campaign, a
# ruling), unless "born" or "died" says which it is.
BIRTH_STEMS = frozenset(light_stem(w) for w in ("born", "birth"))
DEATH_STEMS = frozenset(light_stem(w) for w in ("die", "died", "death"))
_RANGE_JOIN = re.compile(r"\s*(?:[-‐‑–—]|to)\s*")


def life_event(q: Question) -> str | None:
    """ "birth" or "death" when the question asks for the date of one."""
    if set(q.focus) & BIRTH_STEMS:
        return "birth"
    if set(q.focus) & DEATH_STEMS:
        return "death"
    return None


def life_date(text: str, m: Mention) -> str | None:
    """ "birth" or "death" when the date `m` stands as one in life dates after a name."""
    opened = text.rfind("(", 0, m.start)
    closed = text.find(")", m.end)
    if opened < 0 or closed < 0 or ")" in text[opened : m.start] or "(" in text[m.end : closed]:
        return None
    if not re.search(r"[A-Za-z]\.?\s*$", text[:opened]):
        return None  # after a name, not after a figure or at a sentence's start
    inside = text[opened + 1 : closed]
    said = re.match(r"\s*(born|b\.|died|d\.)\s", text[opened + 1 : m.start])
    if said:
        return "birth" if said.group(1).startswith("b") else "death"
    dates = date_mentions(inside)
    if len(dates) != 2 or not _RANGE_JOIN.fullmatch(inside[dates[0].end : dates[1].start]):
        return None
    if inside[: dates[0].start].strip() or inside[dates[1].end :].strip():
        return None  # "(elected 1901 – 1905)" is a term, not a life
    first = opened + 1 + dates[0].start
    return "birth" if m.start == first else "death"


def life_date_cue(q: Question, text: str, m: Mention, cue: float) -> float:
    """For "When was X born?" / "When did X die?": a date written as that end of life dates
    is explicit; the other end is not the answer. Any other date of another event's conjunct
    is weak (`dates_another_event`)."""
    asked = life_event(q)
    said = life_date(text, m) if asked else None
    if said is None:
        return min(cue, WRONG_CONJUNCT) if dates_another_event(q, text, m) else cue
    return 1.0 if said == asked else 0.0


# Verbs whose weekday dates the statement, not what it reports: "X said Tuesday that the
# strikes ...", "told reporters on Monday", "said in a statement Friday". Newswire style puts
# the day a thing was said right after the verb of saying.
_STATEMENT_VERBS = "say said says told tell announced announce tweeted wrote stated added warned \
insisted argued acknowledged declared"
STATEMENT_VERBS = frozenset(light_stem(w) for w in _STATEMENT_VERBS.split())
_STATEMENT_FORMS = (("in", "a", "statement"), ("in", "an", "interview"), ("in", "a", "tweet"))


# What ends the clause a day of the week dates: punctuation, or a word opening another clause
# ("... stepped back on Wednesday *as* Trump signaled ...", "the plane *that* went down on
# Wednesday").
_CLAUSE_BREAK = re.compile(r"[,;:()\u2014\u2013\"\u201c\u201d]|\s-\s")
_CLAUSE_OPENERS = "as after before when while because since that which who whom where but \
although though until unless whereas"
CLAUSE_OPENERS = frozenset(_CLAUSE_OPENERS.split())


def weekday_cue(q: Question, text: str, m: Mention) -> float:
    """A day of the week's cue: a date's (`date_cue`) when its clause says what the question
    asks about, else the weakest. News names a weekday in nearly every lead, for whatever
    happened that day ("Trump *on Wednesday* tempered his rhetoric after Iran fired
    missiles"): the day dates its own clause only. The weakest too when it is the day
    something was said ("said Tuesday", "told reporters on Monday") and the question does not
    ask when it was said."""
    before = [w.norm for w in words(text[max(0, m.start - 50) : m.start])]
    if before and before[-1] == "on":
        before.pop()
    said = (
        bool(before) and light_stem(before[-1]) in STATEMENT_VERBS
        or len(before) >= 2 and before[-2] in ("told", "tell", "tells")
        or tuple(before[-3:]) in _STATEMENT_FORMS
    )  # fmt: skip
    if said and not set(q.focus) & STATEMENT_VERBS:
        return WRONG_CONJUNCT
    if q.focus and not any(_matches_focus(q, w.norm) for w in _clause_words(text, m)):
        return WRONG_CONJUNCT
    return date_cue(text, m)


def _clause_words(text: str, m: Mention, openers: frozenset[str] = CLAUSE_OPENERS) -> list[Word]:
    """The words of the clause around a mention, up to punctuation or one of `openers`."""
    left = _CLAUSE_BREAK.split(text[: m.start])[-1]
    right = _CLAUSE_BREAK.split(text[m.end :])[0]
    ahead = words(left)
    for k in range(len(ahead) - 1, -1, -1):
        if ahead[k].norm in openers:
            ahead = ahead[k + 1 :]
            break
    after = words(right)
    for k, w in enumerate(after):
        if w.norm in openers:
            after = after[:k]
            break
    return ahead + after


# What ends the conjunct a date stands in, when a sentence dates two events: punctuation, or a
# conjunction between them ("born in Newcastle in 1709 *and* died there in 1770", "took
# Algeria in 1830 *but* began to rebuild its empire after 1850"). Not "after", "before",
# "since", "until": they open the date's own phrase.
_CONJUNCT_WORDS = "and but or while whereas although though which who whom that when where because"
_CONJUNCT_OPENERS = frozenset(_CONJUNCT_WORDS.split())


def dates_another_event(q: Question, text: str, m: Mention) -> bool:
    """Whether another date of the sentence stands in a conjunct that says more of what the
    question asks about than this date's: "What year did X die?" … "born in 1709 and died
    there in 1770" gives 1770, not 1709."""
    if not q.focus:
        return False
    mine = _focus_said(q, _clause_words(text, m, _CONJUNCT_OPENERS))
    return any(
        _focus_said(q, _clause_words(text, other, _CONJUNCT_OPENERS)) > mine
        for other in date_mentions(text)
        if other.start != m.start
    )


def _focus_said(q: Question, ws: list[Word]) -> int:
    return sum(1 for f in q.focus if any(stems_match(s, f) for w in ws for s in w.stems))


def date_cue(text: str, m: Mention) -> float:
    prev = _prev_word(text, m)
    full = bool(re.search(r"\d", m.text)) and bool(re.search(r"[A-Za-z]", m.text))
    base = 0.7 if full else 0.5
    return base + (0.2 if prev in ("in", "on", "since", "until", "by", "from", "of") else 0.0)


_KIND_OF_QUESTION = {
    "age": ("age",),
    "money": ("money",),
    "percent": ("percent",),
    "duration": ("duration", "count"),
    "count": ("count", "duration", "money", "percent"),
    "tally": ("pair",),
}
# Words a tally is reported with: "a 50-48 vote", "voted 50-48", "won 24–10", "the score".
TALLY_WORDS = frozenset(
    light_stem(w)
    for w in ["vote", "score", "tally", "scoreline", "won", "win", "beat", "defeat", "lost", "pass"]
)


_RANGE_BEFORE = re.compile(r"\b(?:between|from|around|about|some|approximately|roughly)\s+$", re.I)


def is_range(text: str, m: Mention) -> bool:
    """Whether two figures are a range of one quantity ("100–150 species", "between 10-15",
    "2–3 years") rather than a tally ("a 50-48 vote", "won 24–10"): the range is written
    with what it counts, or after a word that opens an estimate."""
    if _RANGE_BEFORE.search(text[: m.start]):
        return True
    counted = _counted_words(text, m)
    return bool(counted) and counted[0] not in TALLY_WORDS


def number_cue(q: Question, text: str, m: Mention) -> float:
    kind = q.number_kind or "count"
    if m.kind == "pair" and kind in ("count", "duration") and is_range(text, m):
        m = replace(m, kind=kind)  # "100–150 species", "2–3 years": one quantity
    if m.kind not in _KIND_OF_QUESTION.get(kind, ("count",)):
        return 0.0
    if m.kind == "count" and _names_a_thing(text, m):
        return 0.0
    if kind == m.kind == "money" and says_event(q, text) is False:
        return EVENT_UNSAID  # "$7 billion worth of funds" does not say what X demanded
    if (
        kind == m.kind
        and kind in ("count", "money")
        and says_event(q, text)
        and object_of_another_verb(q, text, m)
    ):
        return WRONG_CONJUNCT  # "expected to lose $3 billion over X's demand"
    if kind == m.kind and kind in ("age", "money", "percent"):
        return 1.0
    if kind == "tally":  # said as a vote or a result, or only a pair of figures ("10-15")
        near = words(text[max(0, m.start - 40) : m.end + 40])
        return 1.0 if any(stems_match(s, t) for w in near for s in w.stems for t in TALLY_WORDS) \
            else 0.3  # fmt: skip
    if kind != "count":
        return _duration_cue(q, text, m)
    # a count of another noun first: "missiles at two bases" does not count missiles whether
    # or not the sentence says the event
    if _counts_another_noun(q, text, m) or _measures_in_a_unit(q, text, m):
        return WRONG_CONJUNCT
    if says_event(q, text) is False:
        return EVENT_UNSAID
    tied = tied_to_event(q, text, m)
    if tied is False:
        return WRONG_CONJUNCT
    if tied and m.kind == "count":
        return 1.0
    if m.kind == "count" and q.head and _said_as_the_head(q.head, text, m):
        return 1.0
    if q.counted:
        counted = light_stem(q.counted)
        after = words(text[m.end : m.end + 40])[:3]  # "58 people", "11 of the missiles"
        if any(stems_match(s, counted) for w in after for s in w.stems):
            return 1.0
    if m.kind == "duration" and q.head and q.head in m.text:
        return 1.0
    return 0.6 if m.kind == "count" else 0.3


# A figure given as the value of the noun the question asks for: "The population was 874",
# "had a population of 12,345", "the death toll rose to 58", "its population: 3,879".
_HEAD_VALUE = (
    r"(?:\s+of\s+(?:[\w'’.-]+\s+){0,4}?)?(?:\s+in\s+\d{4})?"
    r"(?:\s*(?:,\s*)?(?:was|is|were|are|stood\s+at|stands\s+at|reached|rose\s+to|climbed\s+to|"
    r"fell\s+to|grew\s+to|totaled|totalled|of|at)|\s*:)\s+"
    r"(?:(?:about|around|nearly|some|approximately|roughly|almost|over|more\s+than|at\s+least)\s+)?$"
)


def _said_as_the_head(head: str, text: str, m: Mention) -> bool:
    """Whether the count is written as the value of the question's noun, right after it."""
    before = text[max(0, m.start - 90) : m.start]
    return re.search(rf"\b{re.escape(head)}s?" + _HEAD_VALUE, before, re.I) is not None


# What a "how long" question's number may be measured in besides time: a length.
_LENGTHS = "mile miles km kilometre kilometres kilometer kilometers metre metres meter meters m"
_IMPERIAL = "foot feet ft inch inches yard yards"
LENGTH_UNITS = frozenset(_LENGTHS.split() + _IMPERIAL.split())


def _duration_cue(q: Question, text: str, m: Mention) -> float:
    """A duration ("three weeks") answers "how long"; one written as a modifier ("a 35-day
    shutdown", "a three-week spending bill") measures the noun it modifies, which must be one
    the question names. A bare count does not answer, unless it is a length ("6,650 km")."""
    if m.kind != "duration":
        unit = words(text[m.end : m.end + 20])[:1]
        return 0.3 if unit and unit[0].norm in LENGTH_UNITS else WRONG_CONJUNCT
    measured = _counted_words(text, m)
    if "-" in m.text and measured:
        named = [*q.focus, *(light_stem(w) for phrase in q.subject for w in phrase)]
        return 1.0 if any(stems_match(w, t) for w in measured for t in named) else WRONG_CONJUNCT
    if q.tense == "past" and {w.norm for w in words(_before(text, m, 20))[-2:]} & _AHEAD:
        return WRONG_CONJUNCT  # "within the next three weeks": a time to come, not one that ran
    return 0.6


# Words that make a duration a stretch of time still to come: "in the next three weeks".
_AHEAD = frozenset(["next", "coming"])


# News names one event by several words, and a count's sentence may use any of them: a toll as
# "killed", "dead", "died", "deaths"; injuries as "wounded", "injured", "hurt"; arrests as
# "arrested", "detained"; missiles or rounds "fired", "launched". Matched by light stem.
EVENT_FAMILIES = tuple(
    frozenset(light_stem(w) for w in family)
    for family in (
        ["kill", "dead", "die", "death", "deadly", "fatal", "fatalities", "murder", "slain"],
        ["wound", "injure", "injuries", "hurt"],
        ["arrest", "detain", "detention"],
        ["fire", "launch", "shot"],
        ["demand", "request", "seek", "sought", "ask", "want"],
    )
)
# Verbs too light to be the event a count is reported by: "How many workers were *affected*
# by the shutdown?" is answered by "800,000 federal workers were furloughed".
_LIGHT_VERBS = "affect involve include have get take make give become remain cost"
LIGHT_EVENTS = frozenset(light_stem(w) for w in _LIGHT_VERBS.split())
# The cue of a count whose sentence does not say the event asked about: "Iran fired two dozen
# missiles" says nothing of how many hit, or were intercepted.
EVENT_UNSAID = 0.15


def says_event(q: Question, text: str) -> bool | None:
    """Whether the sentence says the event a count question counts (`Question.predicate`, or a
    word of its family); None when the question names none."""
    if not q.predicate or all(light_stem(t) in LIGHT_EVENTS for t in q.predicate):
        return None
    events = event_stems(q)
    return any(stems_match(st, e) for w in words(text) for st in w.stems for e in events)


def event_stems(q: Question) -> set[str]:
    """The stems of the event a count question counts, with their families."""
    return set(event_words(q.predicate))


@lru_cache(maxsize=1024)
def event_words(predicate: tuple[str, ...]) -> frozenset[str]:
    """`event_stems` of a predicate, kept: each sentence and number is checked against them."""
    events = {light_stem(t) for t in predicate}
    for family in EVENT_FAMILIES:
        if any(stems_match(e, f) for e in events for f in family):
            events.update(family)
    return frozenset(events)


_PHRASE_END = re.compile(r"[,;:.()\u2014\u2013\"\u201c\u201d]")


def _counted_words(text: str, m: Mention) -> list[str]:
    """The light stems of the words right after a number, up to a function word or punctuation:
    the noun phrase it counts ("two US military bases", "a dozen ballistic missiles")."""
    phrase = _PHRASE_END.split(text[m.end : m.end + 40], maxsplit=1)[0]
    out: list[str] = []
    for k, w in enumerate(words(phrase)[:3]):
        if is_stopword(w.norm) and not w.text.isupper():  # "two US bases"
            break
        if k and w.norm.endswith(("ed", "ing")):
            break  # a participle opens a clause: "two bases located in", "two bases housing"
        if w.norm in WEEKDAYS:
            break  # "arrested 300 people Thursday": when, not what was counted
        out.append(light_stem(w.norm))
    return out


# Units a figure measures in: "threw for 3,837 yards" is a distance, not a count of the
# interceptions asked about, whatever verb it shares with them.
_UNITS = "acre acres hectare hectares pound pounds lb lbs kg kilogram kilograms gram grams ton \
tons tonne tonnes gallon gallons litre litres liter liters degree degrees mph"
MEASURE_UNITS = LENGTH_UNITS | frozenset(_UNITS.split())


def _measures_in_a_unit(q: Question, text: str, m: Mention) -> bool:
    """Whether a count question's number is a measure in a unit other than the noun counted."""
    if not q.counted or m.kind != "count":
        return False
    after = words(text[m.end : m.end + 20])[:1]
    counted = light_stem(q.counted)
    return (
        bool(after)
        and after[0].norm in MEASURE_UNITS
        and not any(stems_match(s, counted) for s in after[0].stems)
    )


# Nouns a count of people is written with whatever the question calls them: "164 people were
# arrested" counts the protesters asked about.
GENERIC_COUNTED = frozenset(light_stem(w) for w in ("people", "persons", "individuals", "others"))


def counts_something_else(q: Question, text: str, m: Mention) -> bool:
    """Whether the number is followed by a noun other than the one the question counts (or a
    generic one): "two bases in Iraq" for "How many missiles were intercepted?"."""
    if not q.counted:
        return False
    events = event_stems(q)
    # the event's own word is no noun: "another 53 wounded", "Eleven hit the base"
    mine = [w for w in _counted_words(text, m) if not any(stems_match(w, e) for e in events)]
    counted = light_stem(q.counted)
    return bool(mine) and not any(stems_match(w, counted) or w in GENERIC_COUNTED for w in mine)


def _counts_another_noun(q: Question, text: str, m: Mention) -> bool:
    """Whether the number counts something the question names but does not count: "two US
    bases" for "How many missiles did Iran fire at the bases?" (the last word of the phrase it
    counts is another of the question's words), or another number of its conjunct counts the
    noun asked about and this one does not ("fired 16 missiles at two bases")."""
    if not q.counted:
        return False
    counted = light_stem(q.counted)
    mine = _counted_words(text, m)
    if any(stems_match(w, counted) for w in mine):
        return False
    events = event_stems(q)
    others = [t for t in q.focus if not stems_match(t, counted)
              and not any(stems_match(t, e) for e in events)]  # fmt: skip
    if mine and any(stems_match(mine[-1], t) for t in others):
        return True
    for n in number_mentions(text):
        if n.start == m.start:
            continue
        lo, hi = (m.end, n.start) if n.start >= m.end else (n.end, m.start)
        if _CONJUNCT_BOUNDARY.search(text[lo:hi]):
            continue
        if any(stems_match(w, counted) for w in _counted_words(text, n)):
            return True
    return False


# A sentence that reports several counts gives each its own conjunct: "killing 50 people and
# wounding 53", "49 dead, 53 wounded", "left 12 dead while 40 were injured". The boundaries
# between them, and the cue of a number whose conjunct lacks the event asked about while
# another conjunct of its sentence says it.
_CONJUNCT_BOUNDARY = re.compile(r"[,;:()\u2014\u2013]|\b(?:and|or|but|while|whereas)\b")
WRONG_CONJUNCT = 0.1


def tied_to_event(q: Question, text: str, m: Mention) -> bool | None:
    """Whether the number's conjunct says one of the question's event words ("wounded" in
    "How many people were wounded in the attack?", `Question.predicate`): True if it does,
    False if only another conjunct of the sentence that holds a number of its own does ("killing
    50 people and wounding 53"), None otherwise ("left 49 dead …, said the gunman, who was
    killed at the scene": that "killed" counts nothing)."""
    events = event_stems(q)
    if not events:
        return None
    cuts = [0, *(b.start() for b in _CONJUNCT_BOUNDARY.finditer(text)
                 if not m.start <= b.start() < m.end), len(text)]  # fmt: skip
    cuts.sort()
    spans = list(zip(cuts, cuts[1:], strict=False))
    own = next(((a, b) for a, b in spans if a <= m.start < b), (0, len(text)))

    def says(a: int, b: int) -> set[str]:
        ws = words(text[a:b])
        return {t for t in events if any(stems_match(st, t) for w in ws for st in w.stems)}

    counts = [n.start for n in number_mentions(text) if n.start != m.start]
    rivals = [(a, b) for a, b in spans if (a, b) != own and any(a <= c < b for c in counts)]
    mine = says(*own)
    elsewhere = set().union(*(says(a, b) for a, b in rivals))
    if mine - elsewhere:
        return True
    if elsewhere - mine:
        return False
    return None


# A capitalised word right before a number, inside a sentence, makes the number part of a name:
# "Flight 752", "Route 91", "Super Bowl 50", "Article 5", "Apollo 11". The sentence's first
# word does not ("About 50 people", "Some 800,000 workers").
_NAME_BEFORE = re.compile(r"(?:^|\s)([A-Z][A-Za-z]*)\s+$")


APPROXIMATORS = frozenset(["nearly", "almost", "roughly", "approximately", "around", "about",
                           "some", "over", "under", "least", "estimated", "up"])  # fmt: skip


def _names_a_thing(text: str, m: Mention) -> bool:
    before = _NAME_BEFORE.search(text[: m.start])
    if before is None:
        return False
    word = before.group(1).lower()
    if word in APPROXIMATORS or is_stopword(word):
        return False  # "… — About 50 people", "Fla. — Some 20"
    opening = text[: before.start(1)].strip(" \t\"'“‘(—–-")
    return bool(opening)


# Words between a verb and the figure it takes as its object: "lose more than $3 billion",
# "killed at least 49", "spend an estimated $5 billion", "cut another 300".
_BEFORE_FIGURE = APPROXIMATORS | frozenset(
    ["more", "less", "fewer", "than", "at", "a", "an", "another", "additional"]
)
# What makes the word after it a verb: an infinitive or a modal ("to lose", "would cost").
_VERB_BEFORE = DO_AUXILIARIES | {"to"}
# What makes an "-ed" word after it an adjective: "the proposed $5 billion", "its estimated 50".
_DETERMINERS = frozenset(["the", "a", "an", "his", "her", "its", "their", "our", "this", "that",
                          "s"])  # fmt: skip
# Verbs that report, total or hold a figure rather than do what it counts: "officials reported
# 49 deaths", "the toll reached 49", "losses totaled $3 billion", "a library holding 18 million
# volumes", "cells containing 30 chloroplasts".
_REPORTING_VERBS = "report confirm estimate total reach number exceed top surpass count record \
say put rise climb grow increase jump swell contain hold comprise house own possess feature"
REPORTING_VERBS = frozenset(light_stem(w) for w in _REPORTING_VERBS.split())


def object_of_another_verb(q: Question, text: str, m: Mention) -> bool:
    """Whether the figure is the object of a verb right before it that is not the event asked
    about: "the economy was expected to *lose* $3 billion from the shutdown over X's demand for
    wall funding" does not say how much X demanded, though the sentence says "demand". Only an
    infinitive or modal's verb ("to lose", "would cost") or an "-ed"/"-ing" form not after a
    determiner ("the proposed $5 billion" is an adjective) is read as a verb; reporting verbs
    ("reported 49 deaths") and light ones do not count."""
    window = text[max(0, m.start - 60) : m.start]
    before = words(window)
    k = len(before) - 1
    while k >= 0 and (
        before[k].norm in _BEFORE_FIGURE
        or before[k].norm == "to"
        and k > 0
        and before[k - 1].norm == "up"
    ):
        k -= 1
    if k < 0:
        return False
    verb, prev = before[k], before[k - 1].norm if k > 0 else ""
    if verb.capitalised or is_stopword(verb.norm) or not verb.norm.isalpha():
        return False
    if re.search(r"[^\w\s$€£-]", window[verb.end :]):
        return False  # "convened to investigate, 11 officials were indicted": another clause
    infinitive = prev in _VERB_BEFORE
    inflected = (
        verb.norm.endswith(("ed", "ing")) and len(verb.norm) >= 5 and prev not in _DETERMINERS
    )
    if not (infinitive or inflected):
        return False
    stem = light_stem(verb.norm)
    if stem in LIGHT_EVENTS or stem in REPORTING_VERBS:
        return False
    return not any(stems_match(stem, e) for e in event_stems(q))


# What a stance verb's side is said with, besides "for", "against", "in favor of": "voted no".
_SIDE_WORDS = {**SIDES, "no": "against", "yes": "for"}


def says_other_side(q: Question, ws: list[Word], m: Mention) -> bool:
    """Whether the stance verb nearest the span takes the other side from the question's:
    "Which senator voted for X?" is not answered by "Dana Okafor said she would vote against
    X". A sentence that does not say the side ("voted on X") is left to the other cues."""
    if q.stance is None:
        return False
    verb, side = q.stance
    hits = find_term(ws, verb)
    at = next((i for i, w in enumerate(ws) if w.end > m.start), len(ws))
    if not hits:
        return False
    nearest = min(hits, key=lambda i: abs(i - at))
    said = [w.norm for w in ws[nearest + 1 : nearest + 3]]
    if said[:1] == ["in"]:
        said = said[1:]
    first = _SIDE_WORDS.get(said[0]) if said else None
    return first is not None and first != side
