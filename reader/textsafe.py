"""Article text is data: make it inert before it reaches a terminal.

Scraped text can carry ESC/CSI/OSC sequences (colour, title changes, OSC 52 clipboard writes),
BEL, backspaces and bidi overrides that reorder what is shown. Each such character is replaced
by one visible character, never removed, so offsets computed on the stored text (query terms,
answer spans) still point at the same places.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

# Bidi embedding/override/isolate controls reorder the characters that follow them.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
REPLACEMENT = "\ufffd"


@cache
def _table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x00, 0xA0):
        char = chr(code)
        if unicodedata.category(char) == "Cc" and char not in "\n":
            table[code] = " " if char == "\t" else REPLACEMENT
    table[0x1B] = "␛"  # show an escape as a symbol, so "[31m" after it reads as the text it is
    for char in BIDI_CONTROLS:
        table[ord(char)] = REPLACEMENT
    table[0x2028] = " "  # line/paragraph separators would break a terminal line silently
    table[0x2029] = " "
    # Lone surrogates (undecodable bytes in a file name or a command-line argument, kept by
    # Python as surrogate escapes) cannot be written to a UTF-8 stream at all.
    for code in range(0xD800, 0xE000):
        table[code] = REPLACEMENT
    return table


def printable(text: str) -> str:
    """`text` with every terminal control character replaced one-for-one."""
    return text.translate(_table())


def one_line(text: str) -> str:
    """`printable` and on one line (titles and metadata are shown as single lines)."""
    return printable(text).replace("\n", " ")


# What `json.dumps(..., ensure_ascii=False)` leaves raw although a terminal acts on it: C1
# controls (U+009B is a one-character CSI), DEL, bidi controls, line separators and lone
# surrogates. JSON escapes C0 controls itself.
_JSON_UNSAFE = re.compile(f"[\x7f-\x9f{BIDI_CONTROLS}\u2028\u2029\ud800-\udfff]")


def terminal_safe_json(document: str) -> str:
    """JSON text with the characters a terminal would act on written as `\\uXXXX` escapes.

    Outside strings JSON text is ASCII, so these characters can only sit inside strings,
    where an escape means the same character: the document parses to the same value.
    """
    return _JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", document)
