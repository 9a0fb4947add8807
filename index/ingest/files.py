"""Which files under a corpus folder are articles, found in a stable order.

Hidden entries are skipped, links followed once, and what cannot be read becomes a `Problem`;
the other modules of `index.ingest` share the small path helpers kept here.
"""

from __future__ import annotations

import os
from pathlib import Path

from index.articles import Problem
from index.ingest.metadata import METADATA_FILE

SUPPORTED_SUFFIXES: tuple[str, ...] = (
    ".txt",
    ".md",
    ".html",
    ".htm",
    ".json",
    ".jsonl",
    ".jsonl.gz",
    ".csv",
)


def corpus_files(root: Path) -> tuple[list[Path], list[Problem]]:
    """Every loadable file under `root`, in a stable order, and the ones that cannot be read.

    Hidden files and folders (".git", ".venv", editor swap files) are not articles. Links
    are followed, but a folder or file reached twice through links is used once, which
    also ends link loops. Files of other types are ignored silently: a corpus folder may
    well hold notes or images beside its articles.
    """
    root = Path(root)
    found: list[tuple[tuple[str, ...], Path, str]] = []
    problems: list[Problem] = []
    seen_folders: set[str] = set()
    stack: list[tuple[Path, tuple[str, ...]]] = [(root, ())]
    while stack:
        folder, rel_parts = stack.pop()
        real_folder = os.path.realpath(folder)
        if real_folder in seen_folders:
            continue
        seen_folders.add(real_folder)
        rel_folder = "/".join(rel_parts) or "."
        try:
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except PermissionError:
            problems.append(Problem(rel_folder, "cannot open folder: permission denied"))
            continue
        except OSError as error:
            problems.append(Problem(rel_folder, f"cannot open folder: {os_reason(error)}"))
            continue
        subfolders: list[tuple[Path, tuple[str, ...]]] = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = folder / entry.name
            parts = (*rel_parts, entry.name)
            rel = "/".join(parts)
            try:
                is_folder = entry.is_dir()
                if not is_folder and format_of(entry.name) is None:
                    continue
                if not _is_utf8_name(entry.name):
                    # An article's key is its path, and keys are stored, compared and shown
                    # as text: a name that is not text cannot be one. (Names written by
                    # old tools in a legacy encoding; renaming the file fixes it.)
                    kind = "folder" if is_folder else "file"
                    reason = f"{kind} name is not valid UTF-8; rename it to include it"
                    problems.append(Problem(_printable_name(rel), reason))
                    continue
                if is_folder:
                    subfolders.append((path, parts))
                    continue
                if not rel_parts and entry.name == METADATA_FILE:
                    continue
                if entry.is_symlink() and not path.exists():
                    problems.append(Problem(rel, "broken link"))
                    continue
                if not entry.is_file():
                    # A pipe, socket or device with an article's name: never opened (reading
                    # a pipe would wait forever, a device may never end).
                    problems.append(Problem(rel, "not a regular file; skipped"))
                    continue
                if not os.access(path, os.R_OK):
                    problems.append(Problem(rel, "cannot read: permission denied"))
                    continue
            except OSError as error:
                problems.append(Problem(rel, f"cannot read: {os_reason(error)}"))
                continue
            found.append((parts, path, os.path.realpath(path)))
        # Pushed in reverse so folders are walked in name order: which of two links to
        # one folder counts as the first is then fixed, not an accident of the stack.
        stack.extend(reversed(subfolders))

    files: list[Path] = []
    seen_files: set[str] = set()
    for _parts, path, real in sorted(found, key=lambda item: item[0]):
        if real not in seen_files:
            seen_files.add(real)
            files.append(path)
    return files, problems


def _is_utf8_name(name: str) -> bool:
    """False for a name holding bytes that are not UTF-8 (kept by Python as surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _printable_name(name: str) -> str:
    """A path whose undecodable bytes are written as `\\xNN`, so it can be shown and stored."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def os_reason(error: OSError) -> str:
    return error.strerror or str(error)


def relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def format_of(name: str) -> str | None:
    lower = name.lower()
    for suffix in sorted(SUPPORTED_SUFFIXES, key=len, reverse=True):
        if lower.endswith(suffix) and len(lower) > len(suffix):
            return suffix
    return None
