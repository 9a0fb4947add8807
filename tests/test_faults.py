"""Faults around the index: kills, damage, races, read-only and full disks, changing files.

Each test injects one fault the way it happens to people (a `kill -9`, a truncated file, two
terminals indexing at once, a cache on a read-only mount, a full disk, an editor saving a
file mid-build, a planted cache file) and checks the promise: the next run recovers and
answers as a clean build does, the old index stays usable, the corpus is never written,
and nothing loaded from the cache can run code.
"""

from __future__ import annotations

import asyncio
import errno
import hashlib
import json
import os
import pickle
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from index.corpus import Corpus
from index.errors import IndexCorrupt, IndexUnwritable
from index.search import store
from index.search.bm25 import BM25Params
from index.search.lifecycle import default_index_dir, index_status
from reader import cli
from tests.hostile_counts import attempt

pytest_plugins = ["tests.hostile_counts"]

REPO = Path(__file__).resolve().parent.parent
QUESTION = "Which harbour did the council close?"


def word_list(text: str) -> list[str]:
    """A word list written as one string (easier to read than a list literal)."""
    return text.split()


WORDS = word_list(
    "council budget harbour ferry minister election court ruling storm river bridge school "
    "hospital police mayor senator tariff trade market shares bank rates inflation drought "
    "farmers protest strike union wages factory energy pipeline gas solar wind treaty border"
)


def write_synthetic_corpus(root: Path, articles: int, seed: int = 7) -> None:
    """`articles` short news-like stories in a few outlet folders (deterministic)."""
    rng = random.Random(seed)
    for number in range(articles):
        paragraphs = [
            " ".join(
                " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 16))).capitalize() + "."
                for _ in range(rng.randint(2, 4))
            )
            for _ in range(rng.randint(3, 6))
        ]
        folder = root / f"outlet-{number % 5}"
        folder.mkdir(parents=True, exist_ok=True)
        title = f"Story {number} about the {rng.choice(WORDS)}"
        (folder / f"story-{number:04d}.txt").write_text(title + "\n\n" + "\n\n".join(paragraphs))
    (root / "outlet-0" / "harbour.txt").write_text(
        "Council closes the north harbour\n\n"
        "The council closed the north harbour on Monday after the storm damaged its wall.\n"
    )


def reader_command() -> list[str]:
    script = Path(sys.executable).parent / "reader"
    return [str(script)] if script.exists() else [sys.executable, "-m", "reader.cli"]


def run_reader(
    *args: str, prefix: list[str] | None = None, **kwargs
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*(prefix or []), *reader_command(), *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
        **kwargs,
    )


def answers(corpus_dir: Path, index_dir: Path, question: str = QUESTION) -> dict:
    done = run_reader(
        "ask", question, "--json", "--corpus", str(corpus_dir), "--index", str(index_dir)
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def generations(index_dir: Path) -> list[str]:
    return sorted(p.name for p in index_dir.iterdir() if p.name.startswith("gen-"))


def leftovers(index_dir: Path) -> list[str]:
    return sorted(p.name for p in index_dir.iterdir() if p.name.startswith("tmp-"))


def tree_digest(root: Path) -> dict[str, tuple]:
    """Every entry under `root`: kind, mode, size, mtime and content hash (links not followed)."""
    out: dict[str, tuple] = {}
    for folder, dirs, files in os.walk(root):
        for name in [*dirs, *files]:
            path = Path(folder) / name
            info = path.lstat()
            if path.is_symlink():
                out[str(path.relative_to(root))] = ("link", os.readlink(path))
            elif path.is_file():
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                out[str(path.relative_to(root))] = ("file", info.st_mode, info.st_mtime_ns, digest)
            else:
                out[str(path.relative_to(root))] = ("other", info.st_mode, info.st_mtime_ns)
    return out


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """A 150-article corpus and the answer a clean build gives (the reference)."""
    root = tmp_path_factory.mktemp("synthetic") / "corpus"
    write_synthetic_corpus(root, 150)
    reference = answers(root, tmp_path_factory.mktemp("reference") / "ix")
    assert [s["source"] for s in reference["sources"] if s["passages"]]
    return root, reference


# --------------------------------------------------------------------------- kill -9


def wait_for(condition: Callable[[], bool], process: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + 120
    while not condition():
        if process.poll() is not None:
            pytest.fail(f"the build ended before {what}")
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.001)


KILL_POINTS = {
    # right after the lock is taken: nothing written yet
    "locked": lambda ix: (ix / ".lock").exists(),
    # while per-file results are being stored
    "processing": lambda ix: any((ix / "segments").glob("*.json")),
    # while the new generation is being written
    "writing": lambda ix: bool(leftovers(ix)),
}


@pytest.mark.parametrize("point", list(KILL_POINTS))
def test_kill_9_during_reader_index_then_the_next_run_recovers(
    synthetic: tuple[Path, dict], tmp_path: Path, point: str
) -> None:
    corpus_dir, reference = synthetic
    index_dir = tmp_path / "ix"
    with attempt("fault"):
        process = subprocess.Popen(
            [*reader_command(), "index", "--corpus", str(corpus_dir), "--index", str(index_dir)],
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for(lambda: index_dir.is_dir() and KILL_POINTS[point](index_dir), process, point)
            process.send_signal(signal.SIGKILL)
        finally:
            process.wait(timeout=60)
        assert process.returncode == -signal.SIGKILL
        assert store.current_generation(index_dir) is None  # killed before it finished
        again = run_reader("index", "--corpus", str(corpus_dir), "--index", str(index_dir))
        assert again.returncode == 0, again.stderr
        assert "Traceback" not in again.stderr
        assert answers(corpus_dir, index_dir) == reference
        assert len(generations(index_dir)) == 1 and leftovers(index_dir) == []


def test_kill_9_while_updating_leaves_the_previous_index_in_use(
    synthetic: tuple[Path, dict], tmp_path: Path
) -> None:
    source, reference = synthetic
    corpus_dir = tmp_path / "corpus"
    shutil.copytree(source, corpus_dir)
    index_dir = tmp_path / "ix"
    assert answers(corpus_dir, index_dir) == reference
    before = store.current_generation(index_dir)
    (corpus_dir / "outlet-1" / "late.txt").write_text("A late story about the ferry strike.\n")
    with attempt("fault"):
        process = subprocess.Popen(
            [*reader_command(), "index", "--corpus", str(corpus_dir), "--index", str(index_dir)],
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for(lambda: bool(leftovers(index_dir)), process, "writing")
            process.send_signal(signal.SIGKILL)
        finally:
            process.wait(timeout=60)
        assert store.current_generation(index_dir) == before
        old = store.open_generation(before, verify=True)  # intact, checksums and all
        old.db.close()
        again = run_reader("index", "--corpus", str(corpus_dir), "--index", str(index_dir))
        assert again.returncode == 0, again.stderr
        found = answers(corpus_dir, index_dir, "ferry strike late story")
        assert "outlet-1/late.txt" in json.dumps(found)
        assert leftovers(index_dir) == []


# --------------------------------------------------------------------------- damage


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, object]:
    """A small corpus, its index (copied for each damage) and the clean search result."""
    base = tmp_path_factory.mktemp("pristine")
    corpus_dir = base / "corpus"
    write_synthetic_corpus(corpus_dir, 12, seed=3)
    index_dir = base / "ix"
    corpus = Corpus.open(corpus_dir, index_dir=index_dir)
    result = corpus.search(QUESTION)
    corpus.backend.generation.db.close()
    return corpus_dir, index_dir, result


def truncate_half(path: Path) -> None:
    with open(path, "r+b") as handle:
        handle.truncate(path.stat().st_size // 2)


def flip_middle(path: Path) -> None:
    """Same size, different bytes: only a checksum tells."""
    with open(path, "r+b") as handle:
        handle.seek(path.stat().st_size // 2)
        byte = handle.read(1)
        handle.seek(-1, os.SEEK_CUR)
        handle.write(bytes([byte[0] ^ 0xFF]))


def garbage(path: Path) -> None:
    path.write_bytes(b"\x00garbage\xff" * 10)


def delete(path: Path) -> None:
    path.unlink()


def meta_wrong_types(path: Path) -> None:
    meta = json.loads(path.read_text())
    meta["fingerprint"] = ["not", "a", "mapping"]
    meta["counts"] = {"articles": "many"}
    path.write_text(json.dumps(meta))


def meta_deeply_nested(path: Path) -> None:
    path.write_text("[" * 100_000 + "]" * 100_000)


def pointer_elsewhere(path: Path) -> None:
    path.write_text("gen-does-not-exist")


DAMAGE = [
    *[(f"{name}.npy", how) for name in store.ARRAYS for how in (truncate_half, flip_middle)],
    ("store.sqlite", truncate_half),
    ("store.sqlite", flip_middle),
    ("store.sqlite", garbage),
    ("offsets.npy", delete),
    ("meta.json", garbage),
    ("meta.json", truncate_half),
    ("meta.json", delete),
    ("meta.json", meta_wrong_types),
    ("meta.json", meta_deeply_nested),
    ("CURRENT", garbage),
    ("CURRENT", pointer_elsewhere),
]


@pytest.mark.parametrize(
    ("name", "damage"), DAMAGE, ids=[f"{name}-{how.__name__}" for name, how in DAMAGE]
)
def test_a_damaged_index_is_detected_and_rebuilt_with_a_warning(
    pristine: tuple[Path, Path, object], tmp_path: Path, name: str, damage
) -> None:
    corpus_dir, clean_index, clean_result = pristine
    index_dir = tmp_path / "ix"
    shutil.copytree(clean_index, index_dir)  # copy2 keeps times: the copy is "as written"
    generation = store.current_generation(index_dir)
    assert generation is not None
    target = index_dir / name if name == "CURRENT" else generation / name
    with attempt("fault"):
        damage(target)
        corpus = Corpus.open(corpus_dir, index_dir=index_dir)
        assert any("damaged" in warning for warning in corpus.warnings), corpus.warnings
        assert corpus.search(QUESTION) == clean_result
        assert store.open_generation(store.current_generation(index_dir), verify=True)


def test_the_cli_says_it_rebuilt_a_damaged_index_and_answers(
    pristine: tuple[Path, Path, object], tmp_path: Path
) -> None:
    corpus_dir, clean_index, _ = pristine
    index_dir = tmp_path / "ix"
    shutil.copytree(clean_index, index_dir)
    reference = answers(corpus_dir, index_dir)
    with attempt("fault"):
        flip_middle(store.current_generation(index_dir) / "postings.npy")
        done = run_reader(
            "ask", QUESTION, "--json", "--corpus", str(corpus_dir), "--index", str(index_dir)
        )
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout) == reference
        [warning] = done.stderr.strip().splitlines()[-1:]
        assert warning.startswith("reader: warning: ") and "damaged" in warning


# --------------------------------------------------------------------------- concurrency


def test_two_reader_index_processes_at_once_both_end_with_a_valid_index(
    synthetic: tuple[Path, dict], tmp_path: Path
) -> None:
    corpus_dir, reference = synthetic
    index_dir = tmp_path / "ix"
    command = [*reader_command(), "index", "--corpus", str(corpus_dir), "--index", str(index_dir)]
    with attempt("fault", 2):
        for extra in ([], ["--rebuild"]):
            processes = [
                subprocess.Popen(
                    [*command, *extra],
                    cwd=REPO,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                for _ in range(2)
            ]
            outputs = [process.communicate(timeout=300) for process in processes]
            for process, (_, err) in zip(processes, outputs, strict=True):
                assert process.returncode == 0, err
                assert "Traceback" not in err
            counts = {re.search(r"(\d+) articles", out).group(1) for out, _ in outputs}
            assert counts == {"151"}
            assert len(generations(index_dir)) == 1 and leftovers(index_dir) == []
            assert answers(corpus_dir, index_dir) == reference


# --------------------------------------------------------------------------- permissions


def unprivileged() -> list[str]:
    """A command prefix under which file permissions apply, even when the tests run as root.

    Root ignores permission bits; `setpriv` drops the two capabilities that let it, so a
    read-only folder is read-only and an unreadable file unreadable, as for any user.
    """
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: permissions cannot be enforced")
    return ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]


def check_permissions_apply(prefix: list[str], folder: Path) -> None:
    """The prefix really enforces permissions (else the test below would prove nothing)."""
    probe = subprocess.run([*prefix, "touch", str(folder / "probe")], capture_output=True)
    assert probe.returncode != 0 and not (folder / "probe").exists()


def test_a_read_only_cache_falls_back_to_a_private_folder_with_a_warning(
    synthetic: tuple[Path, dict], tmp_path: Path
) -> None:
    corpus_dir, reference = synthetic
    prefix = unprivileged()
    cache = tmp_path / "cache"
    cache.mkdir()
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "TMPDIR": str(tmp)}
    cache.chmod(0o555)
    try:
        check_permissions_apply(prefix, cache)
        with attempt("fault"):
            done = run_reader(
                "ask", QUESTION, "--json", "--corpus", str(corpus_dir), prefix=prefix, env=env
            )
            assert done.returncode == 0, done.stderr
            assert json.loads(done.stdout) == reference
            warning = done.stderr.strip().splitlines()[-1]
            assert "cannot write the index" in warning and str(tmp) in warning
            fallback = tmp / f"reader-{os.getuid()}"
            assert (fallback.stat().st_mode & 0o777) == 0o700
            assert store.current_generation(fallback / default_index_dir(corpus_dir).name)
    finally:
        cache.chmod(0o755)


def test_a_fallback_folder_planted_by_someone_else_is_refused(
    pristine: tuple[Path, Path, object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus_dir, _, _ = pristine
    cache, tmp, elsewhere = tmp_path / "cache", tmp_path / "tmp", tmp_path / "elsewhere"
    for folder in (cache, tmp, elsewhere):
        folder.mkdir()
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", None)  # read TMPDIR again
    real_lock = store.build_lock

    def read_only_cache(index_dir: Path):
        if cache in index_dir.parents:
            raise IndexUnwritable(f"cannot write the index in {index_dir}: read-only")
        return real_lock(index_dir)

    monkeypatch.setattr(store, "build_lock", read_only_cache)
    os.symlink(elsewhere, tmp / f"reader-{os.getuid()}")  # a link another user left there
    with attempt("fault"), pytest.raises(IndexUnwritable, match="not a private folder"):
        Corpus.open(corpus_dir)
    assert list(elsewhere.iterdir()) == []


def test_a_read_only_index_folder_given_explicitly_is_a_clear_error(
    synthetic: tuple[Path, dict], tmp_path: Path
) -> None:
    corpus_dir, _ = synthetic
    prefix = unprivileged()
    index_dir = tmp_path / "ro-index"
    index_dir.mkdir()
    index_dir.chmod(0o555)
    try:
        check_permissions_apply(prefix, index_dir)
        with attempt("fault"):
            done = run_reader(
                "index", "--corpus", str(corpus_dir), "--index", str(index_dir), prefix=prefix
            )
            assert done.returncode == 2
            assert "Traceback" not in done.stderr
            last = done.stderr.strip().splitlines()[-1]
            assert last.startswith("reader: error: cannot write the index in")
            assert "ermission denied" in last
    finally:
        index_dir.chmod(0o755)


def test_a_read_only_cache_with_a_current_index_is_simply_used(
    pristine: tuple[Path, Path, object], tmp_path: Path
) -> None:
    corpus_dir, clean_index, _ = pristine
    prefix = unprivileged()
    index_dir = tmp_path / "ix"
    shutil.copytree(clean_index, index_dir)
    reference = answers(corpus_dir, index_dir)
    for path in [index_dir, *index_dir.rglob("*")]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        check_permissions_apply(prefix, index_dir)
        with attempt("fault"):
            done = run_reader(
                "ask",
                QUESTION,
                "--json",
                "--corpus",
                str(corpus_dir),
                "--index",
                str(index_dir),
                prefix=prefix,
            )
            assert done.returncode == 0, done.stderr
            assert json.loads(done.stdout) == reference and done.stderr == ""
    finally:
        for path in [index_dir, *index_dir.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)


def test_unreadable_files_and_folders_are_reported_and_the_rest_indexed(tmp_path: Path) -> None:
    prefix = unprivileged()
    corpus_dir = tmp_path / "corpus"
    write_synthetic_corpus(corpus_dir, 4)
    locked = corpus_dir / "outlet-1" / "locked.txt"
    locked.write_text("A story nobody may read.\n")
    closed = corpus_dir / "closed"
    closed.mkdir()
    (closed / "inner.txt").write_text("A story in a closed folder.\n")
    locked.chmod(0)
    closed.chmod(0)
    try:
        with attempt("hostile input", 2):
            done = run_reader(
                "index",
                "--corpus",
                str(corpus_dir),
                "--index",
                str(tmp_path / "ix"),
                prefix=prefix,
            )
            assert done.returncode == 0, done.stderr
            assert "outlet-1/locked.txt: cannot read: permission denied" in done.stdout
            assert "closed: cannot open folder: permission denied" in done.stdout
            assert "indexed 5 articles" in done.stdout
    finally:
        locked.chmod(0o644)
        closed.chmod(0o755)


# --------------------------------------------------------------------------- full disk


def test_a_full_disk_while_writing_keeps_the_old_index_in_use(
    pristine: tuple[Path, Path, object],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source, clean_index, clean_result = pristine
    corpus_dir = tmp_path / "corpus"
    shutil.copytree(source, corpus_dir)
    index_dir = tmp_path / "ix"
    shutil.copytree(clean_index, index_dir)
    before = store.current_generation(index_dir)
    (corpus_dir / "outlet-2" / "new.txt").write_text("A new story about the pipeline strike.\n")

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    def database_full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    with attempt("fault", 2):
        for failing, patched in (("save_array", disk_full), ("commit", database_full)):
            monkeypatch.setattr(store.GenerationWriter, failing, patched)
            corpus = Corpus.open(corpus_dir, index_dir=index_dir)
            assert corpus.outdated
            assert any("could not update the index" in w for w in corpus.warnings)
            assert corpus.search(QUESTION) == clean_result
            assert store.current_generation(index_dir) == before
            assert leftovers(index_dir) == []
            # `reader index` says the index was not updated, on one error line.
            assert cli.main(["index", "--corpus", str(corpus_dir), "--index", str(index_dir)]) == 2
            err = capsys.readouterr().err.splitlines()
            assert err[-2].startswith("reader: warning: could not update the index")
            assert err[-1] == "reader: error: the index was not updated (see the warning above)"
            monkeypatch.undo()
        # Space again: the next open brings the index up to date.
        updated = Corpus.open(corpus_dir, index_dir=index_dir)
        assert not updated.outdated and not updated.warnings
        assert "outlet-2/new.txt" in {info.key for info in updated.articles()}


TMPFS_SCRIPT = """
set -e
mount -t tmpfs -o size=400k tmpfs "$INDEX_PARENT"
"$@" index --corpus "$CORPUS" --index "$INDEX_PARENT/ix" > "$OUT/first.txt" 2>&1
cp -r "$MORE"/* "$CORPUS"/
set +e
"$@" index --corpus "$CORPUS" --index "$INDEX_PARENT/ix" > "$OUT/second.txt" 2>&1
echo $? > "$OUT/second.rc"
"$@" ask "$QUESTION" --json --corpus "$CORPUS" --index "$INDEX_PARENT/ix" \
    > "$OUT/ask.json" 2> "$OUT/ask.err"
echo $? > "$OUT/ask.rc"
ls -a "$INDEX_PARENT/ix" > "$OUT/listing.txt"
"""


def test_a_really_full_disk_keeps_the_old_index_in_use(tmp_path: Path) -> None:
    """The same on a real 400 kB tmpfs (mounted in a private mount namespace)."""
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.skip("needs root and unshare to mount a private tmpfs")
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("cannot create a mount namespace here")
    corpus_dir, more, out, parent = (tmp_path / n for n in ("corpus", "more", "out", "mnt"))
    write_synthetic_corpus(corpus_dir, 20, seed=1)
    write_synthetic_corpus(more, 300, seed=2)
    out.mkdir()
    parent.mkdir()
    env = {
        **os.environ,
        "INDEX_PARENT": str(parent),
        "CORPUS": str(corpus_dir),
        "MORE": str(more),
        "OUT": str(out),
        "QUESTION": QUESTION,
    }
    with attempt("fault"):
        done = subprocess.run(
            ["unshare", "-m", "sh", "-c", TMPFS_SCRIPT, "sh", *reader_command()],
            capture_output=True,
            text=True,
            cwd=REPO,
            env=env,
            timeout=300,
        )
        assert done.returncode == 0, (done.stderr, (out / "first.txt").read_text())
        second = (out / "second.txt").read_text()
        assert (out / "second.rc").read_text().strip() == "2", second
        assert "No space left on device" in second and "Traceback" not in second
        assert (out / "ask.rc").read_text().strip() == "0", (out / "ask.err").read_text()
        assert json.loads((out / "ask.json").read_text())["sources"]
        assert "could not update the index" in (out / "ask.err").read_text()
        assert not [n for n in (out / "listing.txt").read_text().split() if n.startswith("tmp-")]


# --------------------------------------------------------------------------- changing files


def open_while(corpus_dir: Path, index_dir: Path, change: Callable[[], None], stage: str) -> Corpus:
    """Corpus.open, running `change` once when the build reports `stage` (a public hook)."""
    fired: list[str] = []

    def progress(name: str, done: int, total: int) -> None:
        if name == stage and not fired:
            fired.append(name)
            change()

    corpus = Corpus.open(corpus_dir, index_dir=index_dir, progress=progress)
    assert fired, f"the build never reported {stage!r}"
    return corpus


def fresh_corpus(tmp_path: Path) -> Path:
    corpus_dir = tmp_path / "corpus"
    write_synthetic_corpus(corpus_dir, 6, seed=5)
    return corpus_dir


def test_a_file_edited_during_the_build_ends_up_in_the_index(tmp_path: Path) -> None:
    corpus_dir = fresh_corpus(tmp_path)
    harbour = corpus_dir / "outlet-0" / "harbour.txt"

    def edit() -> None:
        harbour.write_text("The council reopened the harbour for the regatta of lanterns.\n")

    with attempt("fault"):
        corpus = open_while(corpus_dir, tmp_path / "ix", edit, "indexing")
        found = corpus.search("regatta of lanterns")
        assert [p.article for s in found.sources for p in s.passages] == ["outlet-0/harbour.txt"]
        assert index_status(corpus_dir, tmp_path / "ix", BM25Params()) == "fresh"


def test_files_removed_or_added_during_the_build_are_accounted_for(tmp_path: Path) -> None:
    corpus_dir = fresh_corpus(tmp_path)
    removed = corpus_dir / "outlet-1" / "story-0001.txt"
    added = corpus_dir / "outlet-3" / "added.txt"

    def change() -> None:
        removed.unlink()
        added.write_text("An added story about the lighthouse keepers.\n")

    with attempt("fault"):
        corpus = open_while(corpus_dir, tmp_path / "ix", change, "checking")
        keys = {info.key for info in corpus.articles()}
        assert "outlet-1/story-0001.txt" not in keys and "outlet-3/added.txt" in keys
        assert index_status(corpus_dir, tmp_path / "ix", BM25Params()) == "fresh"


def test_a_file_that_never_stops_changing_is_indexed_with_a_warning(tmp_path: Path) -> None:
    corpus_dir = fresh_corpus(tmp_path)
    growing = corpus_dir / "outlet-2" / "live-blog.txt"
    growing.write_text("Live updates from the harbour.\n")

    def progress(name: str, done: int, total: int) -> None:
        with open(growing, "a") as out:
            out.write(f"Update {time.time_ns()}: the storm continues.\n")

    with attempt("fault"):
        corpus = Corpus.open(corpus_dir, index_dir=tmp_path / "ix", progress=progress)
        assert any("kept changing" in warning for warning in corpus.warnings)
        assert "outlet-2/live-blog.txt" in {info.key for info in corpus.articles()}


def test_a_file_edited_and_restored_during_the_build_is_indexed_as_it_is(tmp_path: Path) -> None:
    corpus_dir = fresh_corpus(tmp_path)
    harbour = corpus_dir / "outlet-0" / "harbour.txt"
    original = harbour.read_text()
    fired: list[str] = []

    def progress(name: str, done: int, total: int) -> None:
        # An editor saves a draft after the file was hashed, then the user undoes it.
        if name == "training" and not fired:
            fired.append(name)
            harbour.write_text("The council reopened the harbour for the regatta of lanterns.\n")
        elif name == "indexing" and fired == ["training"]:
            fired.append(name)
            harbour.write_text(original)

    with attempt("fault"):
        corpus = Corpus.open(corpus_dir, index_dir=tmp_path / "ix", progress=progress)
        assert fired == ["training", "indexing"]
        text = " ".join(p.text for p in corpus.article("outlet-0/harbour.txt").paragraphs)
        assert "north harbour" in text and "regatta" not in text


# --------------------------------------------------------------------------- the cache runs no code


class Exploit:
    """A pickle payload: loading it with pickle would create the marker file."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def plant_pickled_array(generation: Path, marker: Path) -> None:
    """Replace postings.npy by a pickle payload and make meta.json vouch for it."""
    target = generation / "postings.npy"
    np.save(target, np.array([Exploit(marker)], dtype=object), allow_pickle=True)
    meta = json.loads((generation / "meta.json").read_text())
    info = target.stat()
    meta["files"]["postings.npy"] = {
        "size": info.st_size,
        "sha256": hashlib.sha256(target.read_bytes()).hexdigest(),
        "mtime_ns": info.st_mtime_ns,
    }
    (generation / "meta.json").write_text(json.dumps(meta))


def plant_traversal(generation: Path, marker: Path) -> None:
    meta = json.loads((generation / "meta.json").read_text())
    meta["files"]["../../../../../../dev/zero"] = {"size": 0, "sha256": "", "mtime_ns": 0}
    (generation / "meta.json").write_text(json.dumps(meta))


def plant_device_link(generation: Path, marker: Path) -> None:
    target = generation / "idf.npy"
    size = target.stat().st_size
    target.unlink()
    os.symlink("/dev/zero", target)
    meta = json.loads((generation / "meta.json").read_text())
    meta["files"]["idf.npy"]["size"] = size
    (generation / "meta.json").write_text(json.dumps(meta))


def plant_view(generation: Path, marker: Path) -> None:
    """An endless recursive view in place of a table, and a trigger: SQL of the planter's."""
    path = generation / "store.sqlite"
    db = sqlite3.connect(path)
    db.executescript(
        "ALTER TABLE sources RENAME TO sources_old;"
        "CREATE VIEW sources AS WITH RECURSIVE n(id, name) AS (SELECT 0, 'x' UNION ALL "
        "SELECT id + 1, name FROM n) SELECT id, name FROM n;"
        "CREATE TRIGGER t AFTER INSERT ON problems BEGIN DELETE FROM articles; END;"
    )
    db.close()
    meta = json.loads((generation / "meta.json").read_text())
    info = path.stat()
    meta["files"]["store.sqlite"] = {
        "size": info.st_size,
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "mtime_ns": info.st_mtime_ns,
    }
    (generation / "meta.json").write_text(json.dumps(meta))


PLANTS = [plant_pickled_array, plant_traversal, plant_device_link, plant_view]


@pytest.mark.parametrize("plant", PLANTS, ids=[plant.__name__ for plant in PLANTS])
def test_a_planted_cache_file_is_rejected_and_never_run(
    pristine: tuple[Path, Path, object], tmp_path: Path, plant
) -> None:
    corpus_dir, clean_index, clean_result = pristine
    index_dir = tmp_path / "ix"
    shutil.copytree(clean_index, index_dir)
    marker = tmp_path / "pwned"
    with attempt("fault"):
        plant(store.current_generation(index_dir), marker)
        with pytest.raises(IndexCorrupt):
            store.open_generation(store.current_generation(index_dir))
        corpus = Corpus.open(corpus_dir, index_dir=index_dir)
        assert any("damaged" in warning for warning in corpus.warnings)
        assert corpus.search(QUESTION) == clean_result
        assert not marker.exists()
    assert pickle  # the exploit above is a real pickle payload


def test_a_planted_segment_file_is_never_unpickled(
    pristine: tuple[Path, Path, object], tmp_path: Path
) -> None:
    source, clean_index, _ = pristine
    corpus_dir = tmp_path / "corpus"
    shutil.copytree(source, corpus_dir)
    index_dir = tmp_path / "ix"
    shutil.copytree(clean_index, index_dir)
    marker = tmp_path / "pwned"
    stored = sorted((index_dir / "segments").glob("*.npy"))
    assert stored, "the build keeps per-file results under segments/"
    with attempt("fault"):
        for path in stored:
            np.save(path, np.array([Exploit(marker)], dtype=object), allow_pickle=True)
        (corpus_dir / "outlet-4" / "new.txt").write_text("A new story about the border talks.\n")
        corpus = Corpus.open(corpus_dir, index_dir=index_dir)
        assert corpus.search("border talks").sources
        assert not marker.exists()


UNSAFE = re.compile(
    r"\bimport pickle\b|\bfrom pickle\b|pickle\.loads?\(|allow_pickle=True|\beval\(|\bexec\("
    r"|\bimport marshal\b|\bimport shelve\b|\bdill\b|\bjoblib\b"
)


def test_no_code_that_reads_the_index_can_unpickle_or_eval() -> None:
    offenders = [
        f"{path.relative_to(REPO)}:{number}: {line.strip()}"
        for package in ("index", "reader")
        for path in sorted((REPO / package).rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if UNSAFE.search(line)
    ]
    assert offenders == []


# --------------------------------------------------------------------------- corpus read-only


def test_no_command_and_no_fault_writes_the_corpus(
    pristine: tuple[Path, Path, object], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, clean_index, _ = pristine
    corpus_dir = tmp_path / "corpus"
    shutil.copytree(source, corpus_dir, symlinks=True)
    (corpus_dir / "blob.txt").write_bytes(b"\x00\x01" * 50)
    (corpus_dir / "feed.jsonl").write_text('{"text": "A feed story."}\n{broken\n')
    (corpus_dir / "sources.toml").write_text('[defaults]\noutlet = "Wire"\n')
    os.symlink(corpus_dir / "outlet-0" / "harbour.txt", corpus_dir / "link.txt")
    os.mkfifo(corpus_dir / "pipe.txt")
    index_dir = tmp_path / "ix"
    before = tree_digest(corpus_dir)
    common = ["--corpus", str(corpus_dir), "--index", str(index_dir)]
    commands = [
        ["index", *common],
        ["ask", QUESTION, *common],
        ["ask", QUESTION, "--json", *common],
        ["sources", *common],
        ["read", "story-0001", *common],
        ["index", "--rebuild", *common],
    ]
    with attempt("fault", len(commands) + 2):
        for args in commands:
            assert cli.main(args) == 0, capsys.readouterr().err
            assert tree_digest(corpus_dir) == before, args
        flip_middle(store.current_generation(index_dir) / "store.sqlite")
        assert cli.main(["ask", QUESTION, *common]) == 0
        assert tree_digest(corpus_dir) == before
        asyncio.run(use_the_app(corpus_dir, index_dir))
        assert tree_digest(corpus_dir) == before
    capsys.readouterr()


async def use_the_app(corpus_dir: Path, index_dir: Path) -> None:
    """Open the corpus in the app, ask, open the answer and the library."""
    from reader.tui.app import ReaderApp
    from tests.tui_helpers import ask, settle

    app = ReaderApp(corpus_dir, index_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await ask(pilot, QUESTION)
        await pilot.press("tab", "enter")
        await app.run_action("library")
        await settle(pilot)
        assert app.corpus is not None and app.is_running
