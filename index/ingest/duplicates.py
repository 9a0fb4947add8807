"""Find copies of one article in a corpus, and pick the copy to show.

The same story often sits in a corpus more than once: a wire story republished by several
outlets, an article saved from the web and again from a research dataset, an article and
its later update. Counted twice it would look like two independent sources agreeing, so
copies are grouped and one is shown.

Two texts are copies when their sets of word 3-grams ("shingles") overlap with a Jaccard
similarity of at least `DEFAULT_THRESHOLD`. Comparing every pair is quadratic (700 million
pairs for a 37,000-article corpus), so candidates come from MinHash signatures and LSH
banding, and only candidates get the exact Jaccard. `benchmarks/duplicates.py` prints the
measurements behind the constants.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence

import numpy as np

# Word 3-grams: long enough that different articles on one story share few of them (the
# common phrases of news writing are mostly one or two words), short enough that a copy
# with words dropped here and there keeps most of them (a dropped word breaks only 3).
SHINGLE_WORDS = 3
# Measured with benchmarks/duplicates.py on AllSides news: random pairs of articles score
# under 0.02 (99.9%), never above 0.09; different articles of one outlet that embed the
# same long sidebar or sign-up form reach 0.41. Copies score 0.54-0.95 (an article and its
# update, one wire story under two outlets' headlines), and a copy that lost its line
# breaks, every hyphenated word and its headline, and gained a tag list, still 0.74.
DEFAULT_THRESHOLD = 0.5

# MinHash signature: BANDS bands of ROWS values. A pair with Jaccard J becomes a candidate
# with probability 1 - (1 - J**ROWS) ** BANDS: 0.98 at J = 0.5, 0.75 at J = 0.3, and 0.004
# at J = 0.05, so candidates stay few while a copy is rarely missed.
BANDS = 32
ROWS = 3
# A bucket with more pairs than this is a cluster of near-identical texts (a wire story
# republished many times, a stub page saved over and over): its members are linked as a
# chain, which still groups them when they are copies, instead of pair by pair.
_MAX_BUCKET_PAIRS = 64
# Texts are hashed in batches of about this many characters: numpy's per-call overhead
# would dominate on single articles, and a corpus-sized batch would not fit in memory.
_BATCH_CHARS = 1_000_000

_SEED = 20161220  # any fixed value: it fixes the hash functions, and so the results
_UINT64 = np.uint64


def find_duplicate_groups(
    texts: dict[str, str], threshold: float = DEFAULT_THRESHOLD
) -> list[list[str]]:
    """Groups (of two or more keys) of texts that are copies of each other.

    Copying is taken to be transitive (A copies B, B copies C: one group), since a story
    passed along a chain of republishers is still one story. Keys in a group are sorted,
    and groups are sorted, so the result depends only on the input.
    """
    keys = list(texts)
    signatures, has_signature = minhash_signatures([texts[key] for key in keys])
    return groups_from_signatures(
        [k for k, has in zip(keys, has_signature, strict=True) if has],
        signatures,
        lambda wanted: {key: texts[key] for key in wanted},
        threshold,
    )


def groups_from_signatures(
    keys: list[str],
    signatures: np.ndarray,
    read_texts: Callable[[list[str]], dict[str, str]],
    threshold: float = DEFAULT_THRESHOLD,
    known: dict[tuple[str, str], float] | None = None,
) -> list[list[str]]:
    """`find_duplicate_groups` from signatures computed beforehand (`minhash_signatures`,
    one row per key), reading only the texts of candidate pairs, all at once, through
    `read_texts` (keys -> {key: text}).

    A build computes signatures where it has each text at hand (in the worker that cleaned
    it) and keeps only them: candidates are a few hundred articles in tens of thousands.
    `known` holds the Jaccard of pairs whose texts are known unchanged since it was
    computed (a refresh); it is updated with every candidate pair's.
    """
    parent: dict[str, str] = {}

    def root(key: str) -> str:
        while parent.get(key, key) != key:
            key = parent[key]
        return key

    pairs = _similar_pairs(keys, signatures, read_texts, threshold, known)
    for first, second, _similarity in pairs:
        first_root, second_root = root(first), root(second)
        if first_root != second_root:
            parent[max(first_root, second_root)] = min(first_root, second_root)

    groups: dict[str, set[str]] = {}
    for key in parent:
        group_root = root(key)
        groups.setdefault(group_root, {group_root}).add(key)
    return sorted(sorted(group) for group in groups.values())


def similar_pairs(
    texts: dict[str, str], threshold: float = DEFAULT_THRESHOLD
) -> list[tuple[str, str, float]]:
    """(key, key, Jaccard) for the pairs of texts found at or above `threshold`.

    Found means: a MinHash/LSH candidate whose exact shingle Jaccard is then checked, so a
    pair is missed only with the small probability given at `BANDS`.
    """
    keys = list(texts)
    signatures, has_signature = minhash_signatures([texts[key] for key in keys])
    usable = [k for k, has in zip(keys, has_signature, strict=True) if has]
    return _similar_pairs(
        usable, signatures, lambda wanted: {key: texts[key] for key in wanted}, threshold
    )


def _similar_pairs(
    keys: list[str],
    signatures: np.ndarray,
    read_texts: Callable[[list[str]], dict[str, str]],
    threshold: float,
    known: dict[tuple[str, str], float] | None = None,
) -> list[tuple[str, str, float]]:
    # Candidates are found over the keys in sorted order: which pairs a crowded bucket
    # yields depends on the order (see `_candidate_pairs`), and sorted keys do not depend
    # on the order the texts came in.
    order = sorted(range(len(keys)), key=keys.__getitem__)
    usable = [keys[i] for i in order]
    if len(usable) < 2:
        return []
    known = {} if known is None else known
    candidates = [(usable[a], usable[b]) for a, b in _candidate_pairs(signatures[order])]
    involved = sorted({key for pair in candidates if pair not in known for key in pair})
    texts = read_texts(involved)
    shingle_sets = dict(zip(involved, _shingle_sets([texts[key] for key in involved]), strict=True))
    found = []
    for pair in candidates:
        if pair not in known:
            known[pair] = jaccard(shingle_sets[pair[0]], shingle_sets[pair[1]])
        if known[pair] >= threshold:
            found.append((*pair, known[pair]))
    return found


def choose_shown(group: list[str], texts: dict[str, str]) -> str:
    """The copy to show for a group: the cleanest, then the longest (most complete)."""
    return choose_by_quality(group, {key: copy_quality(texts[key]) for key in group})


def copy_quality(text: str) -> tuple[float, int]:
    """What choosing the shown copy needs of a raw text; small enough to keep per article."""
    return cleanliness(text), len(text)


def choose_by_quality(group: list[str], quality: dict[str, tuple[float, int]]) -> str:
    return min(group, key=lambda key: (-quality[key][0], -quality[key][1], key))


def cleanliness(text: str) -> float:
    """How intact a copy of an article looks: 1.0 for a clean one, lower the more damaged.

    Copies of one article differ in what scraping and dataset preparation did to them, and
    the damage leaves marks that edited news text rarely has (measured on 37,554 AllSides
    articles, 2,225 BBC articles and 1,683 FNC-1 bodies):
    - runs of spaces between words, where words were deleted: none in AllSides or BBC;
      99% of FNC-1 bodies have fewer than one per 150 words;
    - long text with few line breaks, where the paragraph markup was stripped: 99% of
      articles average under 1,400 characters per paragraph (medians 230-480);
    - brackets left unmatched, where a cut went through a bracketed aside: 99% of
      AllSides articles have at most one, 99.7% of BBC articles none.
    Each mark lowers the score in proportion to how often it occurs in the text.
    """
    if not _WORD.search(text):
        return 0.0
    # Space runs inside a line, but not after sentence punctuation (some writers put two
    # spaces after a full stop) nor at a line start (indentation).
    gaps_possible = "  " in text or "\t" in text  # a gap is two spaces or tabs at least
    word_gaps = len(_WORD_GAP.findall(text)) if gaps_possible else 0
    paragraphs = sum(1 for line in text.split("\n") if line.strip())
    expected_paragraphs = len(text) / _LONGEST_TYPICAL_PARAGRAPH
    structure = min(1.0, paragraphs / expected_paragraphs) if expected_paragraphs > 1 else 1.0
    marks = word_gaps + _unmatched_brackets(text)
    if not marks:  # most texts: the words need not be counted (structure - 0.0 == structure)
        return structure
    return structure - _DAMAGE_WEIGHT * marks / _word_count(text)


_WORD = re.compile(r"\w+")


def _word_count(text: str) -> int:
    """`len(_WORD.findall(text))`, computed faster: a `\\w` run never spans white space, so
    the text's runs are its space-separated pieces' runs, and pieces recur ("the", "said,"):
    each distinct piece is counted once (`_RunCounts`)."""
    return sum(map(_run_counts.__getitem__, text.split()))


class _RunCounts(dict):
    """piece of text -> its number of `\\w` runs, remembered up to a bound."""

    def __missing__(self, piece: str) -> int:
        if len(self) >= 1_000_000:
            self.clear()
        count = self[piece] = len(_WORD.findall(piece))
        return count


_run_counts = _RunCounts()
_WORD_GAP = re.compile(r"(?<=[^\s.!?:;])[ \t]{2,}(?=\S)")
# Text with fewer line breaks than one per this many characters has lost its paragraphs.
_LONGEST_TYPICAL_PARAGRAPH = 1400
# One damage mark per ten words costs as much as losing every paragraph break.
_DAMAGE_WEIGHT = 10.0


def jaccard(first: np.ndarray, second: np.ndarray) -> float:
    """Jaccard similarity of two sorted arrays of distinct shingle hashes."""
    if not first.size or not second.size:
        return 0.0
    common = np.intersect1d(first, second, assume_unique=True).size
    return common / (first.size + second.size - common)


def shingles(text: str, size: int = SHINGLE_WORDS) -> np.ndarray:
    """The text's word `size`-grams (lowercased), as sorted distinct 64-bit hashes.

    Hashes stand in for the word tuples: with 64 bits, two different shingles of a corpus
    share a hash with negligible probability, and arrays of them intersect fast.
    """
    hashes, _counts = _shingle_batch([text], size)
    return np.unique(hashes)


def _shingle_sets(texts: list[str], size: int = SHINGLE_WORDS) -> list[np.ndarray]:
    """`shingles` of each text, hashed in batches (one numpy pass per batch, not per text)."""
    out: list[np.ndarray] = []
    for batch in _batches(texts):
        hashes, counts = _shingle_batch(batch, size)
        out.extend(np.unique(part) for part in np.split(hashes, np.cumsum(counts)[:-1]))
    return out


def _shingle_batch(texts: Sequence[str], size: int) -> tuple[np.ndarray, np.ndarray]:
    """Shingle hashes of several texts: (all hashes, text after text; count per text).

    Every word starts a shingle; the last `size - 1` ones run into an end-of-text marker,
    so a text shorter than `size` words still has shingles and no shingle spans two texts.
    """
    encoded = [text.lower().encode("utf-8", errors="replace") for text in texts]
    # "\n" is not a word byte, so no word spans two texts.
    words, word_offsets = _word_hashes(np.frombuffer(b"\n".join(encoded), dtype=np.uint8))
    text_offsets = np.cumsum([0] + [len(data) + 1 for data in encoded[:-1]])
    first_words = np.searchsorted(word_offsets, text_offsets)
    counts = np.diff(np.append(first_words, words.size))
    # Each text's words, followed by size - 1 zero hashes (the end-of-text marker).
    placed = np.arange(words.size) + (size - 1) * np.repeat(np.arange(len(texts)), counts)
    padded = np.zeros(words.size + (size - 1) * len(texts), dtype=_UINT64)
    padded[placed] = words
    combined = np.zeros(words.size, dtype=_UINT64)
    with np.errstate(over="ignore"):
        for offset in range(size):
            # Multiplying before each add makes word order count: "a b c" != "c b a".
            combined = combined * _UINT64(0x9E3779B97F4A7C15) + padded[placed + offset]
    return _mix(combined), counts


# Bytes of lowercased UTF-8 that belong to words: ASCII letters and digits and every
# non-ASCII byte (letters of other alphabets), except the Unicode punctuation taken out in
# `_word_hashes`. That is regex `\w+` without the underscore, done with numpy: running a
# regex over 200 million characters and hashing each word in Python took longer than all
# the rest of duplicate detection.
_WORD_BYTES = np.zeros(256, dtype=bool)
_WORD_BYTES[np.frombuffer(b"0123456789abcdefghijklmnopqrstuvwxyz", dtype=np.uint8)] = True
_WORD_BYTES[0x80:] = True
_BYTE_WEIGHTS = np.cumprod(np.full(256, 0x100000001B3, dtype=_UINT64), dtype=_UINT64)


def _word_hashes(data: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(a 64-bit hash of each word, its byte offset) for lowercased UTF-8 bytes."""
    is_word = np.take(_WORD_BYTES, data)
    if data.size >= 3:
        # U+2000-U+206F (dashes, curly quotes, ellipsis...) are E2 80 xx and E2 81 xx.
        second = data[1:-1]
        marks = np.flatnonzero((data[:-2] == 0xE2) & ((second == 0x80) | (second == 0x81)))
        for shift in range(3):
            is_word[marks + shift] = False
    if data.size >= 2:
        # U+0080-U+00BF (no-break space, guillemets, inverted marks...) are C2 xx.
        marks = np.flatnonzero(data[:-1] == 0xC2)
        is_word[marks] = False
        is_word[marks + 1] = False
    positions = np.flatnonzero(is_word)
    if not positions.size:
        return np.empty(0, dtype=_UINT64), np.empty(0, dtype=np.int64)
    starts_word = np.empty(positions.size, dtype=bool)
    starts_word[0] = True
    np.not_equal(np.diff(positions), 1, out=starts_word[1:])
    word_starts = np.flatnonzero(starts_word)
    offsets_in_word = np.arange(positions.size) - word_starts[np.cumsum(starts_word) - 1]
    with np.errstate(over="ignore"):
        # A polynomial hash of each word's bytes (byte + 1, so a zero byte still counts;
        # bytes past the 256th of a word share a weight) with the word's length mixed in.
        weights = np.take(_BYTE_WEIGHTS, offsets_in_word, mode="clip")
        weighted = (data[positions].astype(_UINT64) + _UINT64(1)) * weights
        hashes = np.add.reduceat(weighted, word_starts)
        lengths = np.diff(np.append(word_starts, positions.size)).astype(_UINT64)
        hashes ^= lengths * _UINT64(0xD6E8FEB86659FD93)
    return hashes, positions[word_starts]


def _mix(values: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser: spreads every input bit over the whole 64-bit output."""
    with np.errstate(over="ignore"):
        values = values ^ (values >> _UINT64(30))
        values = values * _UINT64(0xBF58476D1CE4E5B9)
        values = values ^ (values >> _UINT64(27))
        values = values * _UINT64(0x94D049BB133111EB)
        return values ^ (values >> _UINT64(31))


def minhash_signatures(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """MinHash signatures (BANDS * ROWS minima per text) of the texts that have any word,
    one row each in order, and a mask of those texts.

    Texts without a single word have no shingles and no signature. Hash function i is
    x -> a_i * x + b_i (mod 2**32) with a_i odd, applied to the top 32 bits of each
    shingle hash: a bijection of the 32-bit values, so over well-mixed input its minimum
    picks a near uniformly random shingle, which is all MinHash needs. 32 bits rather than
    64 halve the memory traffic that this loop's time is made of; two of an article's few
    thousand shingles share a 32-bit value with probability under 1/1000. A text's
    signature depends on that text alone, so signatures can be computed anywhere, in any
    batches.
    """
    generator = np.random.default_rng(_SEED)
    functions = BANDS * ROWS
    multipliers = generator.integers(0, 2**31, size=functions, dtype=np.uint32) * 2 + 1
    offsets = generator.integers(0, 2**32, size=functions, dtype=np.uint32)
    rows: list[np.ndarray] = []
    usable: list[np.ndarray] = []
    for batch in _batches(texts):
        hashes, counts = _shingle_batch(batch, SHINGLE_WORDS)
        has_shingles = counts > 0
        usable.append(has_shingles)
        if not has_shingles.any():
            continue
        starts = (np.cumsum(counts) - counts)[has_shingles]
        values = (hashes >> _UINT64(32)).astype(np.uint32)
        hashed = np.empty_like(values)
        signature = np.empty((starts.size, functions), dtype=np.uint32)
        for index in range(functions):
            np.multiply(values, multipliers[index], out=hashed)
            np.add(hashed, offsets[index], out=hashed)
            signature[:, index] = np.minimum.reduceat(hashed, starts)
        rows.append(signature)
    mask = np.concatenate(usable) if usable else np.zeros(0, dtype=bool)
    if not rows:
        return np.empty((0, functions), dtype=np.uint32), mask
    return np.concatenate(rows), mask


def _batches(texts: Sequence[str]) -> Iterator[list[str]]:
    batch: list[str] = []
    size = 0
    for text in texts:
        batch.append(text)
        size += len(text)
        if size >= _BATCH_CHARS:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _candidate_pairs(signatures: np.ndarray) -> list[tuple[int, int]]:
    """Index pairs that agree on all ROWS values of at least one band, in a fixed order."""
    pairs: set[tuple[int, int]] = set()
    for band in range(BANDS):
        block = signatures[:, band * ROWS : (band + 1) * ROWS].astype(_UINT64)
        bucket_keys = block[:, 0]
        for column in range(1, ROWS):
            bucket_keys = _mix(bucket_keys ^ _mix(block[:, column] + _UINT64(column)))
        order = np.argsort(bucket_keys, kind="stable")
        sorted_keys = bucket_keys[order]
        starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
        ends = np.r_[starts[1:], sorted_keys.size]
        shared = ends - starts > 1
        for start, end in zip(starts[shared], ends[shared], strict=True):
            members = sorted(int(index) for index in order[start:end])
            if len(members) * (len(members) - 1) // 2 <= _MAX_BUCKET_PAIRS:
                pairs.update(
                    (first, second)
                    for position, first in enumerate(members)
                    for second in members[position + 1 :]
                )
            else:
                pairs.update(zip(members, members[1:], strict=False))
    return sorted(pairs)


def _unmatched_brackets(text: str) -> int:
    """Brackets of each kind closed without being opened, or opened and never closed."""
    unmatched = 0
    for opening, closing in ("()", "[]", "{}"):
        openings, closings = text.count(opening), text.count(closing)
        if not openings or not closings:  # nothing can match: every one is unmatched
            unmatched += openings + closings
            continue
        depth = 0
        for char in re.findall(f"[{re.escape(opening + closing)}]", text):
            if char == opening:
                depth += 1
            elif depth:
                depth -= 1
            else:
                unmatched += 1
        unmatched += depth
    return unmatched
