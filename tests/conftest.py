"""Shared fixtures: every test runs with its own cache and config folders, never the user's."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLE_CORPUS = REPO / "corpus"


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Point XDG cache/config at session-wide temp folders (one index build per session)."""
    base = tmp_path_factory.getbasetemp()
    monkeypatch.setenv("XDG_CACHE_HOME", str(base / "xdg-cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(base / "xdg-config"))
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture
def sample_corpus() -> Path:
    return SAMPLE_CORPUS


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the sample corpus, for tests that change files."""
    target = tmp_path / "corpus"
    shutil.copytree(SAMPLE_CORPUS, target)
    return target


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory: pytest.TempPathFactory):
    """The sample corpus, indexed once for the whole session in a private folder."""
    from index.corpus import Corpus

    return Corpus.open(SAMPLE_CORPUS, index_dir=tmp_path_factory.mktemp("sample-index"))
