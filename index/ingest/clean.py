"""From raw scraped article text to an optional title and clean paragraph candidates.

Scraped news text arrives in three shapes, often mixed: one paragraph per line (the
usual), hard-wrapped lines (newswire archives: fixed-width lines, paragraphs marked by a
blank line or an indent), and "glued" text where the scraper dropped the HTML paragraph
tags without leaving a space ("...Red Square.“California is...", "...Foundation" + "The
National..."). Around the body sit site chrome lines (see `index.ingest.chrome`).

`clean_text` recovers the block structure, removes chrome (recording what it removed), and
takes a leading headline line as the title. Everything is regex- and line-based, linear in
the length of the text, because it runs over tens of thousands of articles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.ingest.chrome import (
    LABELLED_RUNNING_TIME,
    PROMPT_MAX_WORDS,
    READ_MORE_LABEL,
    RUNNING_TIME,
    chrome_rule,
    ends_like_sentence,
    is_tag_list,
    word_count,
)


def _words(text: str) -> frozenset[str]:
    """A word list written as one string (easier to read and review than a list literal)."""
    return frozenset(text.split())


@dataclass
class CleanText:
    """An article's text after cleaning.

    `title` is a leading headline line (None when the text has none); `blocks` are the
    paragraph candidates in order, with chrome removed and whitespace normalised;
    `removed` keeps what was taken out as chrome, so `reader index` can report it.
    """

    title: str | None
    blocks: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


# --- normalisation ---------------------------------------------------------------------
# Terminal escape sequences, C0/C1 control characters, zero-width and bidi-override
# characters: article text is data and must reach the screen as plain characters.
_ESCAPE_SEQUENCE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-_])?")
_CONTROL = re.compile(
    r"[\x00-\x08\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]+"
)
_LINE_BREAK = re.compile(r"\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def _normalise(text: str) -> str:
    # Every character the patterns above touch is a control, format or line-separator
    # character, none of which `str.isprintable` accepts: most texts hold none of them (but
    # line breaks, tabs and no-break spaces, which are left as they are) and are returned
    # as they came, without running the patterns.
    if text.replace("\n", "").replace("\t", "").replace("\xa0", "").isprintable():
        return text
    if "\x1b" in text:
        text = _ESCAPE_SEQUENCE.sub("", text)
    text = _LINE_BREAK.sub("\n", text)
    return _CONTROL.sub("", text)


def _collapse(line: str) -> str:
    """Runs of any Unicode space (tabs, no-break spaces) become one space."""
    # Printable text has no space but " " (the others are controls or separators), so a
    # printable line without a double space or an outer space is already collapsed.
    if line.isprintable() and "  " not in line and line[:1] != " " and line[-1:] != " ":
        return line
    return " ".join(line.split())


# --- line structure --------------------------------------------------------------------
_INDENT = re.compile(r"^[ \t\xa0]{2,}\S")
_HARD_WRAP_MAX_WIDTH = 100  # newswire and e-text wrap at 60-80 columns
_HARD_WRAP_MIN_WIDTH = 30


def _is_hard_wrapped(raw_lines: list[str]) -> bool:
    """True when the line breaks are a fixed-width wrap rather than paragraph ends.

    In wrapped text nearly every line that continues into the next one is close to the
    wrap width and most of them stop mid-sentence; in one-paragraph-per-line text line
    lengths vary freely (and most lines are longer than 100 characters) and lines end with
    their sentence. Short line lists (names, chrome) have a tiny width.
    """
    lengths = [len(line.rstrip()) for line in raw_lines if line.strip()]
    if len(lengths) < 4:
        return False
    width = sorted(lengths)[(len(lengths) * 9) // 10]
    if not _HARD_WRAP_MIN_WIDTH <= width <= _HARD_WRAP_MAX_WIDTH:
        return False
    # Lines that run on into the next line of the same paragraph.
    inner = [
        line.rstrip()
        for line, nxt in zip(raw_lines, raw_lines[1:], strict=False)
        if line.strip() and nxt.strip() and not _INDENT.match(nxt)
    ]
    if len(inner) < 3:
        return False
    near_width = sum(1 for line in inner if len(line) >= 0.5 * width)
    sentence_ends = sum(1 for line in inner if ends_like_sentence(line))
    return near_width >= 0.75 * len(inner) and sentence_ends <= 0.5 * len(inner)


def _unwrap(raw_lines: list[str]) -> list[str]:
    """Join wrapped lines; a blank line or an indented line starts a new paragraph."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in raw_lines:
        if current and (not line.strip() or _INDENT.match(line)):
            paragraphs.append(" ".join(current))
            current = []
        if line.strip():
            current.append(line.strip())
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


_STARTS_LOWER = re.compile(r"^[a-z]")


def _join_continuations(lines: list[str]) -> list[str]:
    """Join a line to the previous one when it is the rest of the same sentence.

    A line that starts with a lowercase letter after a line with no sentence end (and no
    colon that would introduce a list) continues it: a footer or caption broken in two
    ("Donations tax deductible" / "to the full extent allowed by law.").
    """
    # Each block is kept as its lines and joined once at the end, and only its last line is
    # tested: re-joining and re-testing the growing block would take quadratic time on a
    # text of thousands of short lowercase lines. A joined line starts with a letter, so
    # whether the block ends like a sentence is decided by its last line alone.
    joined: list[list[str]] = []
    for line in lines:
        if (
            joined
            and _STARTS_LOWER.match(line)
            and not ends_like_sentence(joined[-1][-1])
            and not joined[-1][-1].endswith(":")
        ):
            joined[-1].append(line)
        else:
            joined.append([line])
    return [" ".join(pieces) for pieces in joined]


# --- glued paragraphs ------------------------------------------------------------------
# (1) Sentence-final punctuation directly followed by a capital letter or an opening
# quote: in edited news text a sentence end is always followed by a space, so no space
# means the scraper removed a paragraph tag. The exceptions are tokens with inner periods
# (abbreviations such as "U.S.", "p.m.", "Ph.D", domains, e-mail addresses, tickers) and
# initials; each is checked below. Closing quotes after the punctuation stay with the
# sentence; an opening quote starts the next paragraph.
# The run of punctuation is matched from its first character only (the lookbehind), so a
# long run of dots costs linear time, not quadratic.
_GLUED_END = re.compile(r"(?P<punct>[.?!](?<![.?!]{2})[.?!]*)(?P<quotes>[”’\"“‘]{0,3})(?=\w)")
_NOT_BEFORE_GLUE = frozenset(".…?!")
_OPENING_QUOTES = "“‘"
_TOKEN_BEFORE = re.compile(r"\S*$")
_TOKEN_AFTER = re.compile(r"\S*")
_LETTERS = re.compile(r"[A-Za-z]*")
_ALNUM_RUNS = re.compile(r"[^A-Za-z0-9]+")
_DOMAIN = re.compile(r"^\w+\.[a-z]{2,}\b")
# Abbreviations that precede a capitalised name, so "Gov.Brown" (a dropped space) is not a
# paragraph end. Glue after them cannot be told apart from a typo; keeping the sentence
# whole is the safe error.
_ABBREVIATIONS_BEFORE_NAMES = _words(
    "mr mrs ms messrs dr prof sen sens rep reps gov gen lt col sgt capt cmdr adm maj"
    " rev hon st mt ft jr sr inc corp co ltd bros no vs etc jan feb mar apr jun jul"
    " aug sep sept oct nov dec pres atty supt det insp ave blvd rd"
)
# Top-level domains that appear capitalised after a period in scraped text ("Amazon.Com").
_DOMAIN_ENDINGS = _words(
    "com org net gov edu mil int io co uk us ru de fr cn tv info biz ca au jp news ly"
)

# (2) A lowercase letter directly followed by a capitalised function word, then a space:
# "DavidsonA leader", "FoundationThe National", "SmithThe council". Proper names with an
# inner capital (McDonald, iPhone, YouTube, DeSantis, LeBron, MacKenzie) continue with a
# content word, never with an English function word followed by a space, so they are not
# split. "In", "On" and "It" also end brand names (LinkedIn, MoveOn, PredictIt), so they
# count only when followed by a word that starts a clause ("In the", "On Tuesday",
# "It is"); "Now", "One", "No" and "Not" (BroadbandNow, AbilityOne) are left out.
_FREE_FUNCTION_WORDS = _words(
    "A An The This That These Those His Her Its Their Our My He She We They There"
    " Here What Why How When Where Who Which While After Before During Despite"
    " Although Though Since But And So Yet Or If For From With By Of To As At Then"
    " Meanwhile However Many Most Some Among Also Even Still Under Over"
)
_CLAUSE_AFTER_IN_ON = (
    r"the|a|an|his|her|its|their|this|that|these|those|my|our|your|addition|fact|response"
    r"|recent|particular|other|some|many|\d{1,4}|January|February|March|April|May|June|July"
    r"|August|September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday"
    r"|Saturday|Sunday"
)
_CLAUSE_AFTER_IT = (
    r"is|was|has|had|will|would|could|may|might|seems|appears|also|does|did|can|should"
)
# Candidates first: a lowercase letter directly followed by a capital is rare in prose, so
# the word list is only tried there.
_LOWER_UPPER = re.compile(r"[A-Z](?<=[a-z]{3}[A-Z])")
_GLUED_FUNCTION_WORD = re.compile(
    r"(?:"
    rf"(?:{'|'.join(sorted(_FREE_FUNCTION_WORDS, key=lambda w: (-len(w), w)))})(?=[\s’',])"
    rf"|(?:In|On) (?=(?:{_CLAUSE_AFTER_IN_ON})\b)"
    rf"|It(?=[’']s\b| (?:{_CLAUSE_AFTER_IT})\b)"
    r")"
)


def _quote_split_offset(start: int, quotes: str, straight_before: int) -> int:
    """Where, inside the quotes after a sentence end, the next paragraph begins.

    `straight_before` counts the straight double quotes in the line before `start`: a
    straight quote closes a quotation when that count is odd.
    """
    for i, char in enumerate(quotes):
        if char in _OPENING_QUOTES:
            return start + i
        if char == '"':
            closes = (straight_before + quotes.count('"', 0, i)) % 2 == 1
            return start + i + 1 if closes else start + i
    return start + len(quotes)


def _text_of(match: re.Match[str] | None) -> str:
    """What a pattern that also matches the empty string (so always matches) found."""
    assert match is not None
    return match.group(0)


def _is_abbreviation_glue(line: str, dot: int, after: int) -> bool:
    """True when the period at `dot` belongs to an abbreviation, initial or address."""
    word = _text_of(_TOKEN_BEFORE.search(line, max(0, dot - 60), dot))
    if "." in word or "@" in word or word.lower().startswith(("http", "www")):
        return True
    last_run = _ALNUM_RUNS.split(word)[-1]
    if len(last_run) <= 1 or last_run.lower() in _ABBREVIATIONS_BEFORE_NAMES:
        return True
    following = _text_of(_TOKEN_AFTER.match(line, after))
    if "@" in following or _DOMAIN.match(following):
        return True
    letters = _text_of(_LETTERS.match(line, after))
    next_char = line[after + len(letters) : after + len(letters) + 1]
    if letters.lower() in _DOMAIN_ENDINGS and not next_char.isalpha():
        return True  # "Example.Org"
    if len(letters) == 1 and next_char == ".":
        return True  # "Ph.D.", "Ed.S."
    return letters.isupper() and len(letters) <= 4 and next_char in ")]@"  # "(ABCD.DE)" ticker


# What a _GLUED_END match needs, as a pattern several times faster to rule out: sentence
# punctuation, then more of it or quotes, directly before a word character.
_MAYBE_GLUED_END = re.compile(r"[.?!][.?!”’\"“‘]*\w")


def _glue_points(line: str) -> list[int]:
    points: list[int] = []
    straight_quotes, counted_to = 0, 0  # straight quotes in line[:counted_to]
    ends = _GLUED_END.finditer(line) if _MAYBE_GLUED_END.search(line) else ()
    for match in ends:
        punct = match.group("punct")
        before = line[match.start() - 1 : match.start()]
        if ".." in punct or not before or before.isspace() or before in _NOT_BEFORE_GLUE:
            continue  # an ellipsis, or punctuation standing alone
        quotes = match.group("quotes")
        after = match.end()
        has_opening = any(q in _OPENING_QUOTES or q == '"' for q in quotes)
        if not (line[after].isupper() or has_opening):
            continue
        closed_by_quote = bool(quotes) and quotes[0] in "”’"
        if (
            punct == "."
            and not closed_by_quote
            and _is_abbreviation_glue(line, match.start(), match.start() + 1 + len(quotes))
        ):
            continue
        at = match.start("quotes")
        straight_quotes += line.count('"', counted_to, at)
        counted_to = at
        points.append(_quote_split_offset(at, quotes, straight_quotes))
    for candidate in _LOWER_UPPER.finditer(line):
        at = candidate.start()
        if not _GLUED_FUNCTION_WORD.match(line, at):
            continue
        word = _text_of(_TOKEN_BEFORE.search(line, max(0, at - 60), at))
        if word.startswith(("#", "@")) or "/" in word or "." in word:
            continue  # hashtags, handles, addresses: "#StandWithHer"
        points.append(at)
    return sorted(set(points))


def _split_glued(line: str) -> list[str]:
    """Split a line at the paragraph boundaries a scraper glued together."""
    points = _glue_points(line)
    if not points:
        return [line]
    pieces = []
    previous = 0
    for point in [*points, len(line)]:
        piece = line[previous:point].strip()
        if piece:
            pieces.append(piece)
        previous = point
    return pieces


# --- chrome glued into a paragraph ----------------------------------------------------
# Some chrome reaches the text inside a paragraph line rather than as a line of its own. It
# is cut out here as blocks of its own, which the chrome rules then recognise and remove.
# (1) A media player: "... as the suspect. JUST WATCHED <title> Replay More Videos ... MUST
# WATCH <title> 01:55 The photos were ...", or audio teasers run together ("<title> Listen ·
# 3:39 3:39 <title> Listen · 6:13 6:13"). The player's text starts at its opening label (a
# button's words in capitals, which prose does not use, or capitalised after a sentence end;
# a running time follows) and ends after the running time that follows one of its labels.
# Left in the paragraph, a clip's running time reads as part of the story: "... 01:55" was
# once taken for a toll of 55.
_PLAYER_OPENING = re.compile(
    r"(?:\s+(?=(?:JUST WATCHED|PLAY VIDEO|LISTEN TO (?:THIS )?ARTICLE)\b)"
    r"|(?<=[.!?\"”’)])\s+(?=(?:Just Watched|Play Video|Listen to (?:this )?article)\b))"
    r"(?=.{0,300}?\d:\d\d)"
)
# The labels after which a player's text ends at the running time. (A player that opens
# with "Play Video 1:55" or "Video length 41 seconds :41" has its clip's title after the
# running time, and is a block of its own.)
_PLAYER_END = re.compile(
    r"(?:\b(?:just watched|must watch|more videos|replay|listen to (?:this )?article)\b"
    r"|\b(?:listen|download)\s*[·•|])"
    rf".{{0,300}}?{LABELLED_RUNNING_TIME}(?:\s+{LABELLED_RUNNING_TIME})?(?!\s*\d)(?=\s+\S)",
    re.IGNORECASE,
)
_MAYBE_RUNNING_TIME = re.compile(r":\d\d")
# One of these is in every label of the two patterns above (a quick test before them).
_PLAYER_WORDS = ("watch", "play", "article", "more videos", "listen", "download")
# (2) A label at the end of a paragraph: "... across the region. Advertisement", "... of
# the law. Read more »", "... at the institute. Click here to listen." Only the label (or
# the prompt sentence) goes. A short block that ends with "Read more" or a "Click here"
# prompt is a teaser or a promotion as a whole, and is left whole for the chrome rules.
_TRAILING_ADVERT = re.compile(r"(?<=[.!?\"”’)])\s+(?:Advertisement|ADVERTISEMENT)\s*$")
_TRAILING_READ_MORE = re.compile(rf"\s+{READ_MORE_LABEL}$")
_TRAILING_CLICK_HERE = re.compile(
    r"(?<=[.!?\"”’)])\s+(?=(?:Click|CLICK|Tap|TAP) (?:here|HERE)\b[^.!?]*[.!?]?\s*$)"
)


def _split_chrome(line: str) -> list[str]:
    """Cut glued chrome (a media player, a trailing label or prompt) out of a line."""
    points: list[int] = []
    if ":" in line and _MAYBE_RUNNING_TIME.search(line):
        lowered = line.lower()
        if any(word in lowered for word in _PLAYER_WORDS):
            points += [m.end() for m in _PLAYER_OPENING.finditer(line)]
            points += [m.end() for m in _PLAYER_END.finditer(line)]
    # The labels end the line: the line's end is tested with string methods before any
    # pattern runs, as nearly every line has none of them.
    label = None
    tail = line[-16:]
    if tail.endswith(("Advertisement", "ADVERTISEMENT")):
        label = _TRAILING_ADVERT.search(line, max(0, len(line) - 20))
    elif ("ore" in tail or "ORE" in tail) and tail.rstrip("»›>.… ").endswith(
        ("Read more", "Read More", "READ MORE")
    ):
        if word_count(line) > PROMPT_MAX_WORDS:
            label = _TRAILING_READ_MORE.search(line, max(0, len(line) - 20))
    elif (
        "ck here" in line or "CK HERE" in line or "ap here" in line or "AP HERE" in line
    ) and word_count(line) > PROMPT_MAX_WORDS:
        label = _TRAILING_CLICK_HERE.search(line, max(0, len(line) - 300))
    if label is not None:
        points.append(label.start())
    if not points:
        return [line]
    pieces = []
    previous = 0
    for point in [*sorted(set(points)), len(line)]:
        piece = line[previous:point].strip()
        if piece:
            pieces.append(piece)
        previous = point
    return pieces


# --- trailing tag list inside the last block -------------------------------------------
# The last sentence end followed by text: in a one-line text the tag list trails the last
# sentence ("... a different view. Politics, National Security, secession, Putin").
_LAST_SENTENCE_END = re.compile(r"[.!?…][\"”’)]*\s+(?=\S[^.!?…]*$)")


def _split_trailing_tags(block: str) -> tuple[str, str | None]:
    if ends_like_sentence(block):
        return block, None
    end = _LAST_SENTENCE_END.search(block)
    if not end:
        return block, None
    tail = block[end.end() :]
    if is_tag_list(tail):
        return block[: end.end()].rstrip(), tail
    return block, None


# --- chrome at the head and tail -------------------------------------------------------
# A "short line" is a line that is no sentence: few words and no terminal punctuation
# (headlines, bylines, labels, "Be the first to know").
_SHORT_LINE_MAX_WORDS = 20
_TAIL_SHORT_LINE_MAX_WORDS = 12
# Chrome that sits inside an article body as often as after it.
_IN_BODY_MARKERS = frozenset({"advert", "separator", "credit", "bracketed-note", "markup"})


def _is_short_line(block: str, max_words: int) -> bool:
    return word_count(block) <= max_words and not ends_like_sentence(block)


# --- title -----------------------------------------------------------------------------
_TITLE_MIN_WORDS = 3
_TITLE_MAX_WORDS = 20
_BYLINE = re.compile(r"^by\s+[A-Z]", re.IGNORECASE)
# A headline starts with a capital, a digit, a currency sign or a brand like "iPhone".
_TITLE_START = re.compile(r"^[\"“‘'(\[]?(?:[A-Z0-9$£€]|[a-z][A-Z])")
_QUESTION_TITLE_MAX_WORDS = 12
_INNER_SENTENCE_END = re.compile(r"[a-z0-9][.!?][\"”’)]*\s+[\"“‘(]?[A-Z]")
_CLOSERS = "\"”’')]"
_NOT_HEADLINE_ENDINGS = frozenset(".,;:—–-…")


def _is_headline(block: str) -> bool:
    """A leading headline: a short line that is not a sentence, a label, or a byline."""
    words = word_count(block)
    if not _TITLE_MIN_WORDS <= words <= _TITLE_MAX_WORDS:
        return False
    if not _TITLE_START.match(block) or _BYLINE.match(block):
        return False
    if _INNER_SENTENCE_END.search(block):
        return False  # two sentences: the start of the body, not a headline
    last = block.rstrip(_CLOSERS)[-1:]
    if last in _NOT_HEADLINE_ENDINGS:
        return False
    if last in "?!":
        # Question headlines are short; a longer question is the article's first sentence.
        return words <= _QUESTION_TITLE_MAX_WORDS
    return True


def _drop_head(blocks: list[str], drop: list[bool]) -> int | None:
    """Mark head chrome in `drop`; return the index of the headline line, if there is one.

    The head is the leading run of chrome and short lines. Chrome goes; a short line goes
    when chrome surrounds it ("Be the first to know" between two prompts), except the first
    line that is not chrome when it is headline-shaped: that is the title.
    """
    headline = next((i for i, gone in enumerate(drop) if not gone), None)
    if headline is not None and not _is_headline(blocks[headline]):
        headline = None
    head_end = 0
    while head_end < len(blocks) and (
        drop[head_end]
        or head_end == headline
        or _is_short_line(blocks[head_end], _SHORT_LINE_MAX_WORDS)
    ):
        head_end += 1
    head_chrome = [i for i in range(head_end) if drop[i]]
    if head_chrome:
        for i in range(head_chrome[0] + 1, head_chrome[-1]):
            if i != headline:
                drop[i] = True
    return headline


def _drop_footer(blocks: list[str], rules: list[str | None], drop: list[bool]) -> None:
    """Mark the footer in `drop`.

    The tail is the trailing run of chrome, tag lists and short lines; a short *sentence*
    ends the run, so a brief genuine last paragraph stays. Everything from the run's first
    footer line on goes: prompts and the short lines between them. Markers that occur inside
    a body as often as after it (an advert slot, a photo credit) do not start the footer.
    """
    tail_start = len(blocks)
    while tail_start > 0:
        block = blocks[tail_start - 1]
        if not (
            drop[tail_start - 1]
            or is_tag_list(block)
            or _is_short_line(block, _TAIL_SHORT_LINE_MAX_WORDS)
        ):
            break
        tail_start -= 1
    for i in range(tail_start, len(blocks)):
        if (drop[i] and rules[i] not in _IN_BODY_MARKERS) or is_tag_list(blocks[i]):
            for j in range(i, len(blocks)):
                drop[j] = True
            return


# A player that lists a clip as "<title>" / "<title> 05:02" / "<title>" (its caption, its
# entry with the running time, its alt text) leaves the title as lines of their own next to
# the entry. A line equal to the title of the player entry beside it goes with that entry,
# except the text's first line: a story about a speech can share its headline with the clip.
_FINAL_RUNNING_TIME = re.compile(rf"\s+{RUNNING_TIME}\W*$", re.IGNORECASE)


def _drop_clip_titles(blocks: list[str], rules: list[str | None], drop: list[bool]) -> None:
    for i, rule in enumerate(rules):
        if rule != "media-player":
            continue
        title = _FINAL_RUNNING_TIME.split(blocks[i])[0]
        if title == blocks[i]:
            continue
        for j in (i - 1, i + 1):
            if 0 < j < len(blocks) and blocks[j] == title:
                drop[j] = True


def clean_text(text: str) -> CleanText:
    """Split raw article text into a title and chrome-free blocks."""
    if not isinstance(text, str) or not text.strip():
        return CleanText(title=None)
    raw_lines = _normalise(text).split("\n")
    if _is_hard_wrapped(raw_lines):
        lines = [_collapse(p) for p in _unwrap(raw_lines)]
    else:
        lines = [_collapse(line) for line in raw_lines]
    lines = _join_continuations([line for line in lines if line])

    blocks = [
        block for line in lines for piece in _split_glued(line) for block in _split_chrome(piece)
    ]
    removed: list[str] = []
    if blocks:
        blocks[-1], tags = _split_trailing_tags(blocks[-1])
        if tags:
            removed.append(tags)
    rules = [chrome_rule(block) for block in blocks]
    drop = [rule is not None for rule in rules]
    if "media-player" in rules:
        _drop_clip_titles(blocks, rules, drop)
    headline = _drop_head(blocks, drop)
    _drop_footer(blocks, rules, drop)

    kept = [block for block, gone in zip(blocks, drop, strict=True) if not gone]
    removed.extend(block for block, gone in zip(blocks, drop, strict=True) if gone)
    # The headline is a title only when it survived and more text follows it.
    title = None
    if headline is not None and not drop[headline] and len(kept) > 1:
        title = kept.pop(0)
    return CleanText(title=title, blocks=kept, removed=removed)
