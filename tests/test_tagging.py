"""The answer layer's taggers: tokens, part-of-speech tags, base noun phrases, typed entities.

Every sentence here is written for the test. The shipped weights must load and tag plain
sentences the obvious way; the fast run-time paths must score exactly what the training-time
feature strings score; the chunker must chunk exactly as nltk's RegexpParser does with the
same grammar; and none of it may import nltk.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from index.answers import entities as ent
from index.answers import tagging
from index.answers.perceptron import GreedyModel, MissingWeights

REPO = Path(__file__).resolve().parent.parent


def words_of(text: str) -> list[str]:
    return [t.text for t in tagging.tokenize(text)]


# --- tokens -------------------------------------------------------------------------------------


def test_tokens_follow_the_treebank_and_point_into_the_text() -> None:
    text = "Dr. Lee's all-girl team didn't e-mail the U.S. office: 54,000 people (5.4%)..."
    tokens = tagging.tokenize(text)
    assert [t.text for t in tokens] == [
        "Dr.",
        "Lee",
        "'s",
        "all",
        "-",
        "girl",
        "team",
        "did",
        "n't",
        "e-mail",
        "the",
        "U.S.",
        "office",
        ":",
        "54,000",
        "people",
        "(",
        "5.4",
        "%",
        ")",
        "...",
    ]
    assert all(text[t.start : t.end] == t.text for t in tokens)


def test_no_tokens_in_blank_text() -> None:
    assert tagging.tokenize("  \n\t") == []
    assert tagging.pos_tag([]) == []
    assert ent.entities([]) == []
    assert ent.entities_in("") == []


# --- part of speech and noun phrases ------------------------------------------------------------


def test_plain_sentences_are_tagged_the_obvious_way() -> None:
    assert tagging.pos_tag(words_of("The old dog sat on the red mat.")) == [
        "DT",
        "JJ",
        "NN",
        "VBD",
        "IN",
        "DT",
        "JJ",
        "NN",
        ".",
    ]
    tags = tagging.pos_tag(words_of("She moved to Chicago in 2010."))
    assert tags[:4] == ["PRP", "VBD", "IN", "NNP"] and tags[5] == "CD"


def test_determiner_noun_phrases_are_chunked() -> None:
    words = words_of("The old dog sat on the red mat.")
    spans = tagging.noun_phrases(tagging.pos_tag(words))
    assert [" ".join(words[a:b]) for a, b in spans] == ["The old dog", "the red mat"]
    # The grammar alone, on tags written by hand:
    tags = ["DT", "NN", "POS", "JJ", "NN", "VBD", "PRP", "CD", "NNS", "IN", "$", "CD", "CD"]
    assert tagging.noun_phrases(tags) == [(0, 5), (6, 7), (7, 9), (10, 13)]


def nltk_chunks(parser: object, tags: list[str]) -> list[tuple[int, int]]:
    import nltk

    tree = parser.parse([(str(i), t) for i, t in enumerate(tags)])  # type: ignore[attr-defined]
    spans, position = [], 0
    for node in tree:
        size = len(node) if isinstance(node, nltk.Tree) else 1
        if isinstance(node, nltk.Tree):
            spans.append((position, position + size))
        position += size
    return spans


def test_chunker_agrees_with_nltk_regexp_parser() -> None:
    nltk = pytest.importorskip("nltk")
    grammar = "NP: " + "\n    ".join("{" + rule + "}" for rule in tagging.NP_GRAMMAR)
    parser = nltk.RegexpParser(grammar)
    tagset = tagging.pos_model().model.labels
    rng = random.Random(7)
    for _ in range(2000):
        # Mostly noun-phrase material, so that the rules have something to compete over.
        common = ["DT", "JJ", "NN", "NNS", "NNP", "CD", "POS", "PRP$", "RB", "VBN", "HYPH"]
        tags = [rng.choice(common if rng.random() < 0.7 else tagset) for _ in range(12)]
        assert tagging.noun_phrases(tags) == nltk_chunks(parser, tags), tags


# --- entities -----------------------------------------------------------------------------------


def typed(text: str) -> list[tuple[str, str]]:
    return [(e.text, e.type) for e in ent.entities_in(text)]


def test_a_name_after_said_is_a_person() -> None:
    assert ("Maria Lopez", "person") in typed("The plan will not work, said Maria Lopez.")
    assert ("Peter Novak", "person") in typed('"We are ready," said Peter Novak.')


def test_cities_are_places_and_dates_and_numbers_are_found() -> None:
    found = typed("She moved to Chicago in 2010 and paid $5 million on July 4, 2019.")
    assert ("Chicago", "place") in found
    assert ("2010", "date") in found
    assert ("$5 million", "number") in found
    assert ("July 4, 2019", "date") in found
    assert ("last week", "date") in typed("About 54,000 people voted last week.")
    assert ("54,000", "number") in typed("About 54,000 people voted last week.")


def test_entity_spans_are_typed_ordered_and_disjoint() -> None:
    text = (
        "On Friday the World Health Organization said 12% of the 3,000 cases in Lagos and "
        "Nairobi were mild, according to Amina Bello."
    )
    words = words_of(text)
    found = ent.entities(words)
    assert found, "an entity-rich sentence gave no entities"
    assert all(isinstance(e, ent.Entity) and e.type in ent.TYPES for e in found)
    assert all(0 <= e.start < e.end <= len(words) for e in found)
    assert found == sorted(found)
    assert all(a.end <= b.start for a, b in zip(found, found[1:], strict=False))
    for item in ent.entities_in(text):
        assert text[item.start : item.end] == item.text


def test_tagging_is_deterministic_whatever_was_cached() -> None:
    text = "The mayor of Springfield, Anna Smith, said on Tuesday that 300 homes were sold."
    words = words_of(text)
    first = (tagging.pos_tag(words), ent.entities(words))
    tagging.pos_model.cache_clear()
    ent.entity_model.cache_clear()
    assert (tagging.pos_tag(words), ent.entities(words)) == first
    # A cache that overflows mid-sentence must not lose the sentence's words.
    tagger = tagging.pos_model()
    tagger.windows.CACHE_WORDS = 8
    try:
        assert tagger.tag(words) == first[0]
        assert tagger.tag(list(reversed(words))) == tagging.PosTagger(tagging.POS_WEIGHTS).tag(
            list(reversed(words))
        )
    finally:
        tagging.pos_model.cache_clear()


def test_run_time_scores_equal_the_training_features() -> None:
    words = words_of("Yesterday, the new CEO of Acme Corp. told reporters in Oslo it wasn't over.")
    tags = tagging.pos_tag(words)
    pos = tagging.pos_model()
    expected = pos.model.static_scores(tagging.pos_features(words))
    assert np.allclose(pos.scores(words), expected)
    entities = ent.entity_model()
    features = ent.entity_features(words, tags)
    expected = entities.model.static_scores(features)
    assert np.allclose(entities.scores(words, tags), expected)


# --- weights ------------------------------------------------------------------------------------


def test_shipped_weights_load_and_are_small() -> None:
    for path, labels in (
        (tagging.POS_WEIGHTS, {"NN", "NNP", "CD", "VBD"}),
        (ent.ENTITY_WEIGHTS, {"B-PER", "I-LOC", "O"}),
    ):
        assert path.stat().st_size < 8_000_000
        model = GreedyModel(path)
        assert labels <= set(model.labels)


def test_missing_weights_fail_with_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(MissingWeights, match="missing or unreadable"):
        GreedyModel(tmp_path / "absent.npz")
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"not a zip file")
    with pytest.raises(MissingWeights):
        GreedyModel(broken)
    broken.write_bytes(tagging.POS_WEIGHTS.read_bytes()[:5000])  # cut short
    with pytest.raises(MissingWeights):
        GreedyModel(broken)
    np.savez(broken, labels=np.zeros(3, dtype=np.uint8))  # not a tagger's arrays
    with pytest.raises(MissingWeights, match="lack"):
        GreedyModel(broken)


def test_tagging_imports_no_nltk() -> None:
    code = (
        "from index.answers.entities import entities_in\n"
        "from index.answers.tagging import noun_phrases, pos_tag, tokenize\n"
        "entities_in('Anna Smith moved to Oslo in 2019.')\n"
        "noun_phrases(pos_tag([t.text for t in tokenize('The dog sat.')]))\n"
        "import sys, json; print(json.dumps(sorted(sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True
    )
    modules = {m.split(".")[0] for m in json.loads(out.stdout.strip().splitlines()[-1])}
    assert "nltk" not in modules
