"""The Textual app behind `reader` with no arguments."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from index.errors import CorpusError

if TYPE_CHECKING:
    from index.search.bm25 import BM25Params
    from index.search.cluster import ClusterSettings
    from reader.config import Settings

# How long (seconds) a thread holding the interpreter runs on while another one waits for it.
# The app's threads take turns at one lock, and drawing a key press takes it back dozens of
# times (each turn of the event loop, the input and output threads): while a question was
# answered in a worker, Python's default of 5 ms made keys take a quarter of a second and
# more to show. A waiting thread is rare otherwise, so a short turn costs little.
SWITCH_INTERVAL = 0.0005


def run_tui(
    root: Path | None,
    settings: Settings,
    index_dir: Path | None = None,
    params: BM25Params | None = None,
    cluster: ClusterSettings | None = None,
) -> int:
    """Run the app on `root` until the user quits; config errors are raised before it starts.

    `settings` is the config file as the `reader` command read it; the keys and theme in it
    are checked against Textual's here. The engine (numpy, the index) is imported by the
    app's worker after the first frame, so this checks the folder itself: a mistyped
    --corpus is a one-line error, not an app. With `cluster`, the app asks that cluster's
    index instead of a folder's.
    """
    from reader.tui.app import ReaderApp, check_settings
    from reader.tui.history import QuestionHistory

    settings = check_settings(settings)
    sys.setswitchinterval(SWITCH_INTERVAL)
    if cluster is None:
        assert root is not None
        if not root.is_dir():
            what = "not a folder" if root.exists() else "corpus folder not found"
            raise CorpusError(f"{what}: {root}")
        root = root.resolve()
    app = ReaderApp(
        root,
        index_dir,
        params,
        settings=settings,
        cluster=cluster,
        freeze_after_startup=True,
        history=QuestionHistory.load(),
    )
    app.run()
    return app.return_code or 0


__all__ = ["run_tui"]
