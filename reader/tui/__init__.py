"""The Textual app behind `reader` with no arguments."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from index.errors import CorpusError

if TYPE_CHECKING:
    from index.bm25 import BM25Params


def run_tui(root: Path, index_dir: Path | None = None, params: BM25Params | None = None) -> int:
    """Run the app on `root` until the user quits; config errors are raised before it starts.

    The engine (numpy, the index) is imported by the app's worker after the first frame, so
    this checks the folder itself: a mistyped --corpus is a one-line error, not an app.
    """
    from reader.tui.app import ReaderApp, load_settings

    keymap, theme = load_settings()
    if not root.is_dir():
        what = "not a folder" if root.exists() else "corpus folder not found"
        raise CorpusError(f"{what}: {root}")
    app = ReaderApp(
        root.resolve(), index_dir, params, keymap=keymap, theme=theme, freeze_after_startup=True
    )
    app.run()
    return app.return_code or 0


__all__ = ["run_tui"]
