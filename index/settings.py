"""The engine's defaults for what a question shows, each written once.

The CLI's options, the app and the engine's own signatures all read them from here (this
module imports nothing, so the CLI can show them in `--help` without loading the engine).
"""

# Passages shown per source: enough to see a source's best evidence at a glance, few enough
# that twenty sources fit a screen or two.
PASSAGES_PER_SOURCE = 3

# Corpora of up to this many sources list every one, matched or silent, so a reader sees who
# says nothing; larger ones (archives of hundreds of outlets) show the best SOURCES_SHOWN
# unless asked for more, and say how many matched in all.
LIST_EVERY_SOURCE_UP_TO = 20
SOURCES_SHOWN = 20

# What a question's results can be grouped by: each outlet, or each article (an archive of
# one outlet; `reader ask --by article`).
GROUPINGS = ("source", "article")

# Answers are read from more passages than are shown: the sentence that answers a question is
# often not in a source's single best-scoring paragraph.
PASSAGES_READ_FOR_ANSWERS = 8

# Environment variables for a cluster's basic authentication, read when the settings give none.
USER_VARIABLE = "READER_OPENSEARCH_USER"
PASSWORD_VARIABLE = "READER_OPENSEARCH_PASSWORD"
