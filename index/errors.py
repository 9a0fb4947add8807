"""Errors the user can fix, as opposed to bugs.

The CLI catches `ReaderError` and prints `str(e)` on one line to stderr with exit status 2;
anything else is a bug and may show a traceback. Keeping the user's mistakes in one
hierarchy is what lets the CLI tell the two apart.
"""


class ReaderError(Exception):
    """A problem the user can fix; str(e) is a one-line message for stderr (exit 2)."""


class CorpusError(ReaderError):
    """The corpus folder is missing, not a folder, or holds nothing loadable."""


class MetadataError(ReaderError):
    """The corpus metadata file cannot be parsed or holds values of the wrong kind."""


class QuestionError(ReaderError):
    """The question cannot be asked (empty, or nothing searchable in it)."""
