"""Where a question's terms are in a passage, for highlighting.

Offsets come from re-reading each passage's words and looking up their stored terms, so what
is marked is exactly what was matched. Texts are cut at white space into pieces such as
"Trump's" or "(said,"; each distinct piece is read once and remembered with its words and
their terms (an archive's passages are written in a vocabulary of a few tens of thousands of
common pieces, so after a few questions nearly every piece is answered from memory).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from index.search.tokens import WORD_PATTERN, normalize_word

# Pieces of text (runs between white space) remembered with their words, for marking query
# terms: a few hundred bytes each, so at most a few tens of MB.
PIECE_CACHE_LIMIT = 100_000

WordTerms = Callable[[Iterable[str]], dict[str, tuple[str, ...]]]


class Highlighter:
    """Finds query terms in texts, remembering the pieces of text it has read (not thread-safe:
    its owner serialises calls)."""

    def __init__(self, word_terms: WordTerms) -> None:
        self._word_terms = word_terms  # normalised words -> their index terms
        # A piece of text (as `str.split` cuts it) -> its words: (start, end, terms).
        self._pieces: dict[str, tuple[tuple[int, int, tuple[str, ...]], ...]] = {}
        self._pieces_of_term: dict[str, set[str]] = {}  # term -> remembered pieces carrying it

    def highlights(self, texts: list[str], query_terms: set[str]) -> list[list[tuple[int, int]]]:
        """For each text, the (start, end) offsets of its words that carry a query term.

        Texts are cut at white space (`str.split`, in C) into pieces such as "Trump's" or
        "(said,". Words never contain white space and the word pattern looks at nothing
        outside a match, so a text's words are its pieces' words, end to end (as the build
        reads them too). Each distinct piece is read once, and remembered with its words and
        their terms; a question then only locates the few pieces that carry its terms (by
        `str.find`, keeping occurrences with white space or the text's ends on both sides,
        which are exactly the pieces `str.split` cut). `marked_words` is the plain form.
        """
        split = [text.split() for text in texts]
        pieces: set[str] = set().union(*split) if split else set()
        self._learn_pieces(pieces)
        known = self._pieces
        carrying: set[str] = set()
        for term in query_terms:
            remembered = self._pieces_of_term.get(term)
            if remembered:
                carrying |= remembered & pieces
        marked = {
            piece: [(s, e) for s, e, terms in known[piece] if not query_terms.isdisjoint(terms)]
            for piece in carrying
        }
        out = []
        for text, words in zip(texts, split, strict=True):
            spans: list[tuple[int, int]] = []
            if not carrying.isdisjoint(words):
                for piece in dict.fromkeys(w for w in words if w in carrying):
                    spans.extend(_piece_spans(text, piece, marked[piece]))
                spans.sort()
            out.append(spans)
        return out

    def _learn_pieces(self, pieces: set[str]) -> None:
        """Remember the words (offsets within the piece) and terms of pieces not seen yet."""
        known = self._pieces
        new = pieces.difference(known)
        if not new:
            return
        if len(known) + len(new) > PIECE_CACHE_LIMIT:
            known.clear()
            self._pieces_of_term.clear()
            new = pieces
        found = {
            p: [(m.start(), m.end(), m.group()) for m in WORD_PATTERN.finditer(p)] for p in new
        }
        normal = {raw: normalize_word(raw) for words in found.values() for _, _, raw in words}
        terms_of = self._word_terms(normal.values())
        by_term = self._pieces_of_term
        for piece, words in found.items():
            entry = tuple((s, e, terms_of[normal[raw]]) for s, e, raw in words)
            known[piece] = entry
            for _, _, terms in entry:
                for term in terms:
                    by_term.setdefault(term, set()).add(piece)


def _piece_spans(text: str, piece: str, marked: list[tuple[int, int]]) -> Iterable[tuple[int, int]]:
    """`marked` (offsets within `piece`) at each place `str.split` cut `piece` from `text`."""
    size = len(piece)
    at = text.find(piece)
    while at >= 0:
        end = at + size
        if (at == 0 or text[at - 1].isspace()) and (end == len(text) or text[end].isspace()):
            for start, stop in marked:
                yield at + start, at + stop
            at = text.find(piece, end)
        else:
            at = text.find(piece, at + 1)


def marked_words(text: str, carries: Callable[[str], bool]) -> list[tuple[int, int]]:
    """The offsets of the words of `text` (as written) for which `carries` is true: the
    definition `Searcher.highlights` is held to."""
    return [m.span() for m in WORD_PATTERN.finditer(text) if carries(m.group())]
