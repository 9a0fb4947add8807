"""Articles read recently, kept so moving back and forth through results is instant.

Articles are loaded in worker threads (the corpus's database may be busy answering a
question), and the cache is filled from those threads too, hence the lock. An article asked
for while another thread is reading it is waited for, not read twice: reading one takes
tens of milliseconds on a large archive, and the pane and the read-ahead often want the same.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from index.articles import Article

if TYPE_CHECKING:
    from index.corpus import Corpus

CACHED_ARTICLES = 64


@dataclass(frozen=True)
class Loaded:
    article: Article
    copies: list[str]  # every copy in the article's duplicate group, the shown one first


class ArticleCache:
    def __init__(self, size: int = CACHED_ARTICLES) -> None:
        self._size = size
        self._items: OrderedDict[str, Loaded] = OrderedDict()
        self._lock = threading.Lock()
        self._reading: dict[str, threading.Lock] = {}  # key -> held while a thread reads it

    def get(self, key: str) -> Loaded | None:
        with self._lock:
            loaded = self._items.get(key)
            if loaded is not None:
                self._items.move_to_end(key)
            return loaded

    def load(self, corpus: Corpus, key: str) -> Loaded:
        """The cached article, or read it from the corpus (call from a worker thread)."""
        with self._lock:
            reading = self._reading.setdefault(key, threading.Lock())
        with reading:  # a second thread asking for the same article waits here
            loaded = self.get(key)
            if loaded is None:
                loaded = Loaded(corpus.article(key), corpus.copies(key))
                with self._lock:
                    self._items[key] = loaded
                    while len(self._items) > self._size:
                        self._items.popitem(last=False)
        with self._lock:
            if self._reading.get(key) is reading and not reading.locked():
                del self._reading[key]
        return loaded
