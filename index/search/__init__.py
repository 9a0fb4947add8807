"""Search: terms, BM25 and the stored index.

Tokens and the stemmer, the BM25 arithmetic (scores equal to rank-bm25's), the on-disk store
and its lifecycle (cache folder, freshness, rebuilds), ranking passages per source,
highlighting, and the searcher that ties them together. Never imports `index.answers`.
"""
