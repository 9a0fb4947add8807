"""Ingest: from a folder of files to the index's contents.

Finding and decoding files, one loader per format family, metadata, cleaning out site chrome,
sentences (Punkt trained on the corpus), near-duplicate copies, the worker pool, the per-file
results kept for refreshes, and the build that writes a new index generation.
"""

from collections.abc import Callable

# How a build reports progress: (stage, done, total), e.g. ("processing", 1200, 37554).
Progress = Callable[[str, int, int], None]
