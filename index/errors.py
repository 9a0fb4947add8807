"""Every exception the engine raises on purpose, in one place.

Errors the user can fix derive from `ReaderError`: the CLI prints `str(e)` on one line to
stderr with exit status 2, and the app shows it in its status line. Anything else is a bug
and may show a traceback. The rest are signals between the engine's own stages, each caught
where it is turned into something the user sees (a skipped file, a rebuild).
"""


class ReaderError(Exception):
    """A problem the user can fix; str(e) is a one-line message for stderr (exit 2)."""


class CorpusError(ReaderError):
    """The corpus folder is missing, not a folder, or holds nothing loadable."""


class MetadataError(ReaderError):
    """The corpus metadata file cannot be parsed or holds values of the wrong kind."""


class QuestionError(ReaderError):
    """The question cannot be asked (empty, or nothing searchable in it)."""


class IndexCorrupt(ReaderError):
    """The stored index does not match its own checksums or format; it must be rebuilt."""


class IndexOutdated(IndexCorrupt):
    """The stored index was written by another version of the program; it must be rebuilt."""


class IndexUnwritable(ReaderError):
    """The index folder cannot be created or written (permissions, read-only disk, full disk)."""


class FileProblem(Exception):
    """Raised inside a loader for a file that cannot be used at all; becomes a `Problem`."""


class StoredResultDamaged(Exception):
    """A refresh's stored per-file texts could not be read back although their record said
    they were intact; the build starts from scratch instead."""


class AnsweringCancelled(Exception):
    """Answering stopped because its `cancelled` callback said the answer is not wanted."""
