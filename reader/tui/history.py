"""Questions asked before, for ↑/↓ in the question box, kept across sessions.

The file is `$XDG_STATE_HOME/reader/questions` (`~/.local/state/reader/questions`): one
question per line, the latest last, at most `KEEP` of them. Only what the user typed is
kept, never article text. A file that cannot be read or written costs the history, not the
app: the box works without it.
"""

from __future__ import annotations

import os
from pathlib import Path

KEEP = 500


def history_path() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "reader" / "questions"


class QuestionHistory:
    """Earlier questions and a position among them while the user walks with ↑/↓."""

    def __init__(self, path: Path | None = None, questions: list[str] | None = None) -> None:
        self.path = path
        self.questions: list[str] = list(questions or [])
        self.position: int | None = None  # index into questions while walking, else None
        self.draft = ""  # what was in the box before walking began

    @classmethod
    def load(cls, path: Path | None = None) -> QuestionHistory:
        path = path or history_path()
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            text = ""
        questions = [line.strip() for line in text.splitlines() if line.strip()]
        return cls(path, questions[-KEEP:])

    def add(self, question: str) -> None:
        """Remember `question` (once: an earlier copy moves to the end) and save."""
        question = " ".join(question.split())
        self.position = None
        if not question:
            return
        if question in self.questions:
            self.questions.remove(question)
        self.questions.append(question)
        del self.questions[:-KEEP]
        self._save()

    def back(self, current: str) -> str | None:
        """The question before the one shown (the latest first); None at the oldest."""
        if not self.questions:
            return None
        if self.position is None:
            self.draft = current
            self.position = len(self.questions)
        if self.position == 0:
            return None
        self.position -= 1
        return self.questions[self.position]

    def forward(self) -> str | None:
        """The question after the one shown; past the latest, the draft again."""
        if self.position is None:
            return None
        self.position += 1
        if self.position >= len(self.questions):
            self.position = None
            return self.draft
        return self.questions[self.position]

    def _save(self) -> None:
        if self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_name(self.path.name + ".tmp")
            temporary.write_text("\n".join(self.questions) + "\n", encoding="utf-8")
            os.replace(temporary, self.path)
        except OSError:
            pass  # the history is a convenience: the question was asked all the same
