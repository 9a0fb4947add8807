"""index/stemmer.py makes exactly the stems nltk's Snowball English stemmer makes.

Indexes store nltk's stems, so any difference would lose matches: every check compares with
nltk itself, on real words (the sample corpus), on the words the algorithm treats specially,
and on made-up words built to reach every step and its corner cases.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st
from nltk.stem.snowball import EnglishStemmer, SnowballStemmer

from index.search.stemmer import snowball_stem as stem
from index.search.tokens import iter_words, normalize_word

REPO = Path(__file__).resolve().parent.parent
SAMPLE_CORPUS = REPO / "corpus"
NLTK_STEM = SnowballStemmer("english", ignore_stopwords=False).stem
# nltk's own table of whole words it stems by hand (read from nltk, not copied from ours).
NLTK_SPECIAL_WORDS: dict[str, str] = EnglishStemmer._EnglishStemmer__special_words  # type: ignore[attr-defined]

# Endings the algorithm rewrites (steps 0 to 5) and a few that only look like them.
ENDINGS = (
    "'s' 's ' ’s sses ied ies us ss s eedly ingly edly eed ing ed at bl iz y ization ational "
    "fulness ousness iveness tional biliti lessli entli ation alism aliti ousli iviti fulli enci "
    "anci abli izer ator alli bli ogi logi li alize icate iciti ative ical ness ful ement ance "
    "ence able ible ment ant ent ism ate iti ous ive ize ion sion tion al er ic e l ll ly"
)
SUFFIXES = ENDINGS.split()
# Letters that decide regions and conditions: vowels, y, the doubles, w/x/Y, li-endings.
LETTERS = "abcdeghiklmnoprstuvwxyzY'’"
# Prefixes with their own R1 in nltk's algorithm, and starts that exercise y and apostrophes.
STARTS = ("", "gener", "commun", "arsen", "y", "'", "ay", "’y", "sky")


def corpus_words() -> set[str]:
    """Every word of the sample corpus, whole and by hyphen part, as tokens.py makes them."""
    words: set[str] = set()
    for path in SAMPLE_CORPUS.rglob("*"):
        if path.is_file():
            for word, _, _ in iter_words(path.read_text("utf-8", "replace")):
                words.add(word)
                words.update(word.split("-"))
    return words


def outcome(stemmer, word: str) -> str | tuple[str, str]:
    """The stem, or the kind of error: nltk's errors, if any, must be ours too."""
    try:
        return stemmer(word)
    except Exception as error:  # noqa: BLE001 - compared, not hidden
        return ("error", type(error).__name__)


def test_sample_corpus_words_stem_as_nltk() -> None:
    words = corpus_words()
    assert len(words) > 1000
    differ = {w: (NLTK_STEM(w), stem(w)) for w in words if NLTK_STEM(w) != stem(w)}
    assert not differ


def test_sample_corpus_words_as_written_stem_as_nltk() -> None:
    """Before normalisation too: capitals, typographic apostrophes, possessives."""
    texts = [p.read_text("utf-8", "replace") for p in SAMPLE_CORPUS.rglob("*") if p.is_file()]
    raw = {text[start:end] for text in texts for _, start, end in iter_words(text)}
    assert any("’" in w for w in raw) and any(w[:1].isupper() for w in raw)
    assert not {w for w in raw if NLTK_STEM(w) != stem(w)}


def test_special_words_stem_as_nltk() -> None:
    assert len(NLTK_SPECIAL_WORDS) >= 30
    for word, expected in NLTK_SPECIAL_WORDS.items():
        assert stem(word) == expected, word
        # Near them: capitals (looked up after lowercasing), apostrophes and endings
        # (not looked up: stemmed by the steps).
        for variant in (word.upper(), word.title(), "'" + word, word + "'s", word + "s"):
            assert stem(variant) == NLTK_STEM(variant), variant


def test_known_stems() -> None:
    """A few published examples, so a change to both stemmers at once would be seen too."""
    assert stem("consign") == stem("consigned") == stem("consigning") == "consign"
    assert stem("generously") == "generous"
    assert stem("hoping") == "hope" and stem("hopping") == "hop"
    assert stem("skies") == "sky" and stem("Skies") == "sky"
    assert stem("yelling") == "yell" and stem("sayings") == "say"


def test_every_short_start_with_every_ending_stems_as_nltk() -> None:
    """Exhaustive where random words are thin: regions depend on where the first vowels and
    consonants fall, so every start of up to three letters meets every ending, and every
    start of up to one letter every two endings."""
    letters = "aeiyrtlsc"
    starts = [""] + [a + b + c for a in letters for b in ["", *letters] for c in ["", *letters]]
    words = {start + ending for start in set(starts) for ending in ["", *SUFFIXES]}
    words |= {a + one + two for a in ["", *letters] for one in SUFFIXES for two in SUFFIXES}
    assert len(words) > 50_000
    assert {w for w in words if stem(w) != NLTK_STEM(w)} == set()
    # One of its cases, where nltk departs from the published algorithm: R2 becomes the "e"
    # of "ate", so step 5 deletes it.
    assert stem("oration") == "orat"


@settings(max_examples=3000, deadline=None)
@given(
    st.sampled_from(STARTS),
    st.text(LETTERS, max_size=6),
    st.lists(st.sampled_from(SUFFIXES), max_size=3),
)
@example("", "rat", ["ional"])
@example("gener", "", ["ation", "al"])
@example("", "y", ["ed"])
def test_made_up_words_stem_as_nltk(start: str, middle: str, endings: list[str]) -> None:
    word = start + middle + "".join(endings)
    assert stem(word) == NLTK_STEM(word)


@settings(max_examples=2000, deadline=None)
@given(st.text("aeiouyYbdlstwx'’", max_size=4))
def test_short_words_stem_as_nltk(word: str) -> None:
    assert outcome(stem, word) == outcome(NLTK_STEM, word)


@settings(max_examples=2000, deadline=None)
@given(
    st.text(st.characters(categories=("L", "M", "Nd")), min_size=1, max_size=10),
    st.lists(st.sampled_from(SUFFIXES), max_size=2),
)
def test_non_ascii_words_stem_as_nltk(letters: str, endings: list[str]) -> None:
    for word, _, _ in iter_words(letters + "".join(endings)):
        for part in normalize_word(word).split("-"):
            if part:
                assert stem(part) == NLTK_STEM(part), part


@settings(max_examples=1000, deadline=None)
@given(st.text(max_size=12))
def test_any_string_stems_as_nltk(text: str) -> None:
    assert outcome(stem, text) == outcome(NLTK_STEM, text)


def run_python(code: str, env: dict[str, str]) -> str:
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, **env},
        check=True,
    )
    return out.stdout.strip().splitlines()[-1]


def test_question_needing_a_stem_does_not_import_nltk(tmp_path: Path) -> None:
    """A question word the index does not store is stemmed in-process, without nltk."""
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    subprocess.run(  # build the bundled corpus's index first (the build uses nltk's Punkt)
        [sys.executable, "-m", "reader.cli", "index"],
        cwd=REPO,
        check=True,
        capture_output=True,
        env={**os.environ, **env},
    )
    # The stemmer is wrapped before anything imports it, to see which words the ask stems.
    code = (
        "import contextlib, io, json, sys\n"
        "import index.search.stemmer\n"
        "stemmed = []\n"
        "plain = index.search.stemmer.snowball_stem\n"
        "index.search.stemmer.snowball_stem = lambda word: stemmed.append(word) or plain(word)\n"
        "from reader.cli import main\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        "    status = main(['ask', 'Where do secessionists campaign?'])\n"
        "nltk = sorted(m for m in sys.modules if m.split('.')[0] == 'nltk')\n"
        "print(json.dumps([status, stemmed, nltk, out.getvalue()]))\n"
    )
    status, stemmed, nltk_modules, answer = json.loads(run_python(code, env))
    assert status == 0
    # "secessionists" is in no article; its stem, "secessionist", is an index term.
    assert "secessionists" in stemmed
    assert "secessionist" in answer.lower()
    assert nltk_modules == []


def test_importing_the_stemmer_and_tokens_does_not_import_nltk() -> None:
    code = (
        "import sys, index.search.tokens\n"
        "index.search.tokens.terms('Secessionists campaigned')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'nltk'))"
    )
    assert run_python(code, {}) == "[]"
