"""The engine never imports the app or Textual; `reader ask` stays off textual, nltk and the
ingest stages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def modules_after(code: str, env: dict[str, str] | None = None) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys, json; print(json.dumps(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, **(env or {})},
        check=True,
    )
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_engine_imports_no_app_textual_or_rich() -> None:
    mods = modules_after(
        "import index.corpus, index.search.searcher, index.ingest.build, index.search.store, "
        "index.search.bm25, index.search.tokens"
    )
    assert not {m for m in mods if m.split(".")[0] in ("textual", "rich", "reader")}


def ask_modules(question: str, env: dict[str, str], whole: bool = False) -> set[str]:
    mods = modules_after(
        "import io, contextlib\n"
        "from reader.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main(['ask', {question!r}]) == 0\n",
        env,
    )
    return mods if whole else {m.split(".")[0] for m in mods}


def test_reader_ask_imports_neither_textual_nor_nltk(tmp_path: Path) -> None:
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    # First build the index (building needs nltk), then ask in a fresh process.
    subprocess.run(
        [sys.executable, "-m", "reader.cli", "index"],
        cwd=REPO,
        check=True,
        capture_output=True,
        env={**os.environ, **env},
    )
    # "live" is not a corpus word ("lives", "living" are): its stored base form is used.
    top = ask_modules("Where does Marinelli live?", env)
    assert "index" in top  # the question really was answered in this process
    assert "textual" not in top and "rich" not in top
    assert "nltk" not in top
    # A word the corpus has in no form, whose stem cannot be any index term, is not stemmed.
    assert "nltk" not in ask_modules("Where does Marinelli snorkel? What happened?", env)
    # A new word whose stem may be an index term ("marinelli") is stemmed, by the project's own
    # stemmer: nltk stays out of the question's path.
    assert "nltk" not in ask_modules("Where do the Marinellis live?", env)


def test_a_question_on_a_fresh_index_loads_no_ingest_stage(tmp_path: Path) -> None:
    """Checking that the index is current walks the corpus folder, but reading files, cleaning
    them and building stay off a question's path: their modules cost tens of milliseconds."""
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    subprocess.run(
        [sys.executable, "-m", "reader.cli", "index"],
        cwd=REPO,
        check=True,
        capture_output=True,
        env={**os.environ, **env},
    )
    mods = ask_modules("Where does Marinelli live?", env, whole=True)
    assert "index.ingest.fingerprint" in mods  # freshness was checked
    loaded = {m for m in mods if m.startswith("index.ingest.")}
    assert loaded <= {"index.ingest.files", "index.ingest.fingerprint", "index.ingest.metadata"}
