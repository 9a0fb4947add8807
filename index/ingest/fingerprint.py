"""What the corpus looks like on disk, to tell whether an index is still current.

Kept apart from the build so that checking freshness on every question imports nothing heavy.
"""

from __future__ import annotations

from pathlib import Path

from index.ingest.files import corpus_files
from index.ingest.metadata import METADATA_FILE
from index.search.store import file_sha256


def fingerprint(root: Path) -> dict[str, list[int]]:
    """{relative path: [size, mtime_ns]} of every file that makes up the corpus."""
    files, _ = corpus_files(root)
    meta = root / METADATA_FILE
    if meta.is_file():
        files = [*files, meta]
    out: dict[str, list[int]] = {}
    for path in files:
        try:
            st = path.stat()
        except OSError:
            continue
        out[path.relative_to(root).as_posix()] = [st.st_size, st.st_mtime_ns]
    return out


def content_hashes(root: Path, paths: list[str]) -> dict[str, str]:
    out = {}
    for rel in paths:
        try:
            out[rel] = file_sha256(root / rel)
        except OSError:
            continue
    return out
