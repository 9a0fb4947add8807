"""Recognising site chrome: the lines a scraper picks up around and inside an article body.

A news page wraps its story in navigation, share bars, app and newsletter prompts, photo
credits, advert markers, comment-section notes, copyright and donation footers. Scrapers
keep these as lines of their own, so they are recognised block by block.

Every rule describes chrome in general terms, never one outlet's wording. The rules were
checked on 37k scraped articles from 491 outlets (AllSides corpus) and on the BBC corpus:
the comment on each rule says what it catches and why article prose does not match it.
Each rule also has a word limit, because chrome is short, and a genuine paragraph that
merely *mentions* an app, a newsletter or a photo is long.

`chrome_rule(block)` names the rule a block matches (None for article text). Tag lists
(`is_tag_list`) are kept apart: a comma-separated list of short items is chrome only at
the end of a text, so the caller decides where that test applies.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_ALNUM = re.compile(r"[^\W_]")
# Terminal punctuation at the end, possibly followed by closing quotes or brackets.
_SENTENCE_END = re.compile(r"[.!?…][\"”’')\]]*$")


def _words(text: str) -> frozenset[str]:
    """A word list written as one string (easier to read and review than a list literal)."""
    return frozenset(text.split())


def word_count(block: str) -> int:
    """Whitespace-separated words (a dash or bullet standing alone counts as one)."""
    return len(block.split())


def ends_like_sentence(block: str) -> bool:
    """True when the block ends with terminal punctuation (closing quotes allowed)."""
    return bool(_SENTENCE_END.search(block))


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# Each rule: (name, maximum words of a block it may remove, needles, test of the block).
# Most tests are a regex search; the few that need token logic are functions. `needles`,
# when given, are lowercase substrings one of which the block must contain before the
# test runs: a cheap filter that keeps cleaning linear and fast on long article text.
_Rule = tuple[str, int, tuple[str, ...], Callable[[str], object]]
_RULES: list[_Rule] = []


def _rule(name: str, max_words: int, pattern: str, needles: tuple[str, ...] = ()) -> None:
    _RULES.append((name, max_words, needles, _rx(pattern).search))


# --- advert --------------------------------------------------------------------------
# Advert slots and read-more folds a CMS leaves in the body: "Advertisement",
# "ADVERTISEMENT", "AD", "Story continues below", "Continue Reading Below", "Advertisement
# Continue reading the main story", "Loading...". The whole block must consist of these
# words, so a sentence that uses the word "advertisement" never matches.
_rule(
    "advert",
    10,
    r"^(?:(?:advertisements?|ads?|sponsored(?: content)?|paid content|loading(?:\.\.\.|…)?"
    r"|(?:the )?(?:story|article) continue[sd]?(?: below| after (?:the |this )?ad(?:vertisement)?)?"
    r"|continue reading(?: (?:below|the main story|the story|the article))?"
    r"|skip (?:the )?ad(?:vertisement)?)\W*)+$",
)

# --- share bar -----------------------------------------------------------------------
# Share buttons scraped as text: "SHARE THIS ARTICLE Share Tweet Post Email", "Share this:
# Pocket", "Link Copied", "WhatsApp", "Print", "CLOSE", "Play Facebook". Every word must be
# a button label and at least one must be a share/platform label, so prose never matches.
_BUTTON = (
    r"share|tweet|email|e-mail|print|facebook|twitter|whatsapp|pinterest|linkedin|reddit"
    r"|pocket|messenger|flipboard|tumblr|copied|close|comments?"
)
_BUTTON_FILLER = r"this|article|story|page|post|save|saved|sms|text|copy|link|url|play|more|via|on"
_BUTTON_NEEDLES = tuple(
    _words(
        "share tweet mail print facebook twitter whatsapp pinterest linkedin reddit pocket"
        " messenger flipboard tumblr copied close comment"
    )
)
_rule(
    "share-bar",
    8,
    rf"^(?=.*\b(?:{_BUTTON})\b)(?:(?:{_BUTTON}|{_BUTTON_FILLER})\b\W*)+$",
    _BUTTON_NEEDLES,
)

# --- call to action ------------------------------------------------------------------
# Prompts aimed at the page's reader rather than at anyone in the story. (1) Verbs that in
# news text only ever start a prompt ("Click here ...", "Tap to ...", "Subscribe to our
# YouTube channel", "Like us on Facebook", "Sign up ..."). (2) A general imperative
# ("Watch", "View", "Open", "Listen", "Follow", "Share", "Get", "Read", "Visit", ...)
# followed by a channel word that only a prompt has ("app", "podcast", "newsletter",
# "@handle", a web address, "Twitter", "video"). (3) The same imperatives with a vaguer
# channel word ("news", "here", "below", "online", "homepage", "for more") only in very
# short blocks ("Watch <Outlet> News", "View <Outlet> News In", "See below"). An opinion
# writer's "Follow the money." or a quoted "Watch what happens" has no channel word.
_STRONG_CTA = (
    r"click|tap|subscribe|sign up|signup|like us|follow us|find us|tune in|don['’]t miss"
    r"|never miss|download our|get our|listen to (?:this |the )?(?:article|story)"
)
_CTA_VERB = (
    r"watch|view|open|listen|follow|share|get|join|read|see|visit|support|donate|install|play"
    r"|stream|check out|send|contact|email|e-mail|tweet|register|log in|login|continue|learn more"
    r"|find out more|download|stay (?:informed|updated|connected|up to date)|catch up|go to"
)
_CHANNEL = (
    r"\b(?:apps?|podcasts?|newsletters?|inbox|notifications?|alerts?|twitter|facebook|instagram"
    r"|youtube|tiktok|linkedin|itunes|spotify|stitcher|videos?|livestream|live stream|channel"
    r"|episodes?|transcript|gallery|slideshow|rss)\b|@\w|\bwww\.|https?://|\b\w+\.(?:com|org|net)\b"
)
_VAGUE_CHANNEL = (
    r"\b(?:news|live|here|below|above|online|homepage|home page|website|site|coverage|updates"
    r"|full story|for more|more stories|more from|photos|clip|feed)\b"
)
_rule("call-to-action", 16, rf"^\W*(?:{_STRONG_CTA})\b")
_rule("call-to-action", 16, rf"^\W*(?:{_CTA_VERB})\b.*(?:{_CHANNEL})")
_rule("call-to-action", 6, rf"^\W*(?:{_CTA_VERB})\b.*{_VAGUE_CHANNEL}")

# --- app prompt ----------------------------------------------------------------------
# App promotion: "Download the app", "<Outlet> App Open", "Open in app", "Continue in the
# app". Either it starts with the app-store action, or it is a very short line with no
# sentence end that names an app and an action. "Apple will open its App Store to rivals."
# is a sentence that starts with neither and so stays.
_APP_ACTION = r"open|download|get|install|continue|launch"
_rule("app-prompt", 10, rf"^\W*(?:{_APP_ACTION})\b.*\bapps?\b", ("app",))
_rule(
    "app-prompt",
    6,
    rf"^(?=.*\bapps?\b)(?=.*\b(?:{_APP_ACTION})\b)(?!.*[.!?…][\"”’]?$)",
    ("app",),
)

# --- browser -------------------------------------------------------------------------
# Browser pickers and browser notices: "Chrome Safari Continue", "Your browser does not
# support ...", "Please enable JavaScript", "Media playback is unsupported on your device".
# Two browser names in one very short line, or a remark addressed to the reader's browser
# or device.
_BROWSER = r"chrome|safari|firefox|edge|opera|explorer|brave|vivaldi|chromium"
_BROWSER_NEEDLES = ("chrom", "safari", "firefox", "edge", "opera", "explorer", "brave", "vivaldi")
_rule("browser", 6, rf"^(?=(?:.*?\b(?:{_BROWSER})\b){{2}})", _BROWSER_NEEDLES)
_rule(
    "browser",
    30,
    r"\byour (?:web )?browser (?:does|is|doesn['’]t|isn['’]t|may|must|will)\b"
    r"|\b(?:enable|turn on) javascript\b"
    r"|\bjavascript (?:is|must be) (?:disabled|enabled|required)\b"
    r"|\bupdate your browser\b|\b(?:unsupported|not supported) on your (?:device|browser)\b",
    ("browser", "javascript", "supported on your"),
)

# --- newsletter ----------------------------------------------------------------------
# Newsletter, alert and notification prompts: "Get browser notifications for breaking
# news", "Sign up for Daily Newsletters Manage Newsletters", "Get the stories you care about
# delivered to your inbox", "By signing up, you agree to our Privacy Policy", "Newsletter
# Sign-up". A prompt starts with the action and names the newsletter/alert, or speaks of
# "your inbox" / "you agree"; reporting about a newsletter does neither.
_rule(
    "newsletter",
    45,
    r"^\W*(?:get|receive|turn on|enable|allow|join|want|be the first|stay|keep up|enter your email"
    r"|for (?:more|the latest|breaking)|newsletters?)\b"
    r".*\b(?:newsletters?|inbox|notifications|alerts?|briefings?|sign[ -]?up|subscribe)\b"
    r"|\bdelivered (?:\w+ )?(?:straight |directly |right )?to your (?:inbox|email)\b"
    r"|\bby (?:signing up|subscribing|clicking)\b.*\byou agree\b"
    r"|\bmanage newsletters\b|^\W*newsletter sign-?up\W*$",
    ("newsletter", "inbox", "notification", "alert", "briefing", "sign", "subscri", "you agree"),
)

# --- credit --------------------------------------------------------------------------
# Photo, illustration and video credits and captions: labelled credits ("Illustration:
# Name", "Photo: Getty Images", "Photograph: Name/Agency", "Photo by Name"), the image
# captions of CMSs ("Image copyright Reuters", "Image caption ...", "Enlarge this image
# toggle caption ...", "Slideshow (5 Images)", "Image 1 of 2"), "Name / Agency" lines,
# and short captions ending in a bracketed credit ("A rally (Name / Agency)", "... (AP
# Photo/Name)"). A credit is a label or a slash between names, never a clause.
_CREDIT_LABEL = (
    r"(?:(?:lead|top|main|header|featured|cover|file|staff)\s+)?"
    r"(?:photo(?:graph)?s?|images?|illustrations?|graphics?|videos?|pictures?|artwork|cartoons?"
    r"|photo illustration|captions?|credits?|footage)"
    r"(?:\s+(?:credits?|courtesy|source|caption|copyright))?"
)
_rule("credit", 12, rf"^\W*{_CREDIT_LABEL}\s*[:|]\s*\S")
_rule("credit", 14, r"^\W*(?:photo|image|video|illustration|graphic|photograph)s?\s+by\s+[A-Z]")
_rule("credit", 40, r"^\W*(?:image|media|video) (?:copyright|caption|source)\b")
_rule("credit", 40, r"^\W*(?:enlarge this image|toggle caption|hide caption|show caption)\b")
_rule("credit", 6, r"^\W*(?:slideshow|gallery|photos?|images?)\s*\(\d+ (?:images?|photos?)\)\W*$")
_rule("credit", 12, r"^(?:\W*(?:(?:prev|next|previous)\s+)?(?:image|photo|slide) \d+ of \d+)+\W*$")
_rule("credit", 3, r"^\W*(?:photo|video|image|getty images|ap photo|audio|graphic)\W*$")
# "Name / Agency", "Name/Agency Name/Agency": only capitalised words, at least one slash and
# no comma; a headline with a slash ("Times/Ipsos poll shows ...") has lowercase words, and a
# list item ("Actor (Show A/ Show B, Channel)") has a comma.
_SLASH_SPLIT = re.compile(r"\s*/\s*|\s+")
_FINAL_BRACKET = re.compile(r"\(([^()]*)\)\W*$")
_PHOTO_WORD = _rx(r"\b(?:ap photo|photo|photos|photograph|getty images|illustration)\b")


def _is_name_slash_agency(text: str) -> bool:
    inner = text.strip().strip("()").rstrip(".").strip()
    if "/" not in inner or "," in inner:
        return False
    tokens = _SLASH_SPLIT.split(inner)
    return len(tokens) <= 10 and all(tok[:1].isupper() for tok in tokens)


def _ends_with_bracketed_credit(block: str) -> bool:
    """A short caption closed by "(AP Photo/Name)", "(Name / Agency)" or "(File photo)"."""
    final = _FINAL_BRACKET.search(block)
    if not final:
        return False
    inner = final.group(1)
    return bool(_PHOTO_WORD.search(inner)) or _is_name_slash_agency(inner)


_RULES.append(("credit", 10, ("/",), _is_name_slash_agency))
_RULES.append(("credit", 60, (")",), _ends_with_bracketed_credit))

# --- bracketed note ------------------------------------------------------------------
# A bracketed short line on its own that is a credit, a link label or a stage direction:
# "(Example Images)", "(Via Example News)", "( WATCH: The week in review)", "(LAUGHTER)",
# "[music]", "[embed id=...]". The bracket must hold one word, only capitalised words (a
# name or an agency), a "Label:" or a shortcode; an author's aside in brackets ("(as one
# might expect)") has lowercase words and stays.
_BRACKETED = re.compile(r"^\(\s*([^()]*)\)\W*$|^\[\s*([^\[\]]*)\]\W*$")
_LABEL = re.compile(r"^[A-Z][\w'’ ]{0,30}:")
_NAME_CONNECTORS = _words("of the and by via for on in a an de da van von la le & /")


def _is_bracketed_note(block: str) -> bool:
    bracket = _BRACKETED.match(block)
    if not bracket:
        return False
    inner = (bracket.group(1) or bracket.group(2) or "").strip()
    words = inner.split()
    if not words:
        return False
    if len(words) == 1 or "=" in inner or _LABEL.match(inner):
        return True
    return all(w[:1].isupper() or w.lower() in _NAME_CONNECTORS for w in words)


_RULES.append(("bracketed-note", 6, ("(", "["), _is_bracketed_note))

# --- comments ------------------------------------------------------------------------
# Comment-section boilerplate: "Please let us know if you're having issues with
# commenting.", "Join the conversation on Facebook", "*** This article has also been
# posted to ...", "Comments are closed", "View comments", "Leave a comment". Each phrase is
# about the page's comment section; reporting ("declined to comment") matches none.
_rule(
    "comments",
    40,
    r"\b(?:issues?|problems?|trouble) (?:with )?commenting\b"
    r"|^\W*join the (?:conversation|discussion|debate)\b"
    r"|\b(?:this|the) (?:article|story|post) (?:has|was) (?:also )?been (?:posted|published|shared"
    r"|cross-posted) (?:to|on|at)\b"
    r"|^\W*(?:leave|post|add|view|show|read|load|hide|see) (?:a |the |all |\d+ )?comments?\W*$"
    r"|^\W*\d+ comments?\W*$|\bcomments? (?:are|is) (?:closed|moderated|disabled)\b"
    r"|\bcomment(?:ing)? policy\b",
    ("comment", "join the", "been "),
)

# --- donation ------------------------------------------------------------------------
# Donation and membership footers: "Donations tax deductible to the full extent allowed by
# law.", "Support <Outlet>'s journalism", "Make a donation", "Become a member". They ask the
# reader to pay the site; an article about a charity's tax status says "donations to ...
# are tax-deductible" inside a longer sentence and is kept by the word limit.
_rule(
    "donation",
    20,
    r"^\W*(?:all |your )?donations? (?:are |is )?(?:\d+% )?tax[- ]deductible\b"
    r"|^\W*(?:please )?(?:support|donate to|contribute to) (?:our|independent|\w+['’]s) "
    r"(?:\w+ )?(?:journalism|reporting|newsroom)\b"
    r"|^\W*(?:make a|give a) (?:tax-deductible )?(?:donation|gift) (?:to|today|now)\b"
    r"|^\W*become a (?:member|patron|supporter|subscriber)\b"
    r"|^\W*subscribe (?:now|today) for (?:as little as|just|only)\b",
)

# --- copyright -----------------------------------------------------------------------
# Copyright and syndication footers: "Copyright © 2019 <Outlet>, LLC. Click here for
# reprint permission.", "© 2019 <Outlet>. All rights reserved.", "This material may not be
# published, broadcast, rewritten or redistributed." A sentence about copyright law does
# not start with "Copyright ©/2019/by" and does not reserve rights.
_rule(
    "copyright",
    40,
    r"^\W*(?:copyright\s*(?:©|\(c\)|\d{4}|by\b)|©|\(c\)\s*\d{4})|\ball rights reserved\b"
    r"|\bmay not be (?:published|reproduced|copied), broadcast\b|\bfor reprint permission\b",
    ("copyright", "©", "(c)", "rights reserved", "broadcast", "reprint"),
)

# --- related link --------------------------------------------------------------------
# Links to other stories and list labels: "Read more:", "READ MORE: <headline>",
# "Related:", "More:", "See also:", "Further reading", "More On This...", "( PHOTOS:
# <gallery title>)", "WATCH: <clip title>", "Most popular". A label, then at most a
# headline; the label must be followed by a colon, an ellipsis, a bracket or nothing, so
# "More than 200 people ..." or "Related to that, ..." never match.
_rule(
    "related-link",
    25,
    r"^\W*(?:read more|read next|more"
    r"|related(?: (?:coverage|stories|articles|content|links|reading))?"
    r"|see also|also see|also read|read also|recommended(?: for you)?|more on this(?: story)?"
    r"|more from [\w.'’ ]{1,30}|further reading|full coverage|special coverage|top stories"
    r"|most (?:popular|read|viewed|shared)|trending(?: now)?|up next|watch next|what to read next"
    r"|editor['’]?s picks?|you (?:may|might) also like|photos?|videos?|watch|listen|go deeper"
    r"|latest|must read)\s*(?::|\.\.\.|…|\)|$)",
)

# --- byline --------------------------------------------------------------------------
# Author lines: "By Jane Doe and John Roe", "By JANE DOE, Associated Press", or a bare list
# of two or more full names ("Jane Doe, John Roe and Ann Poe"). Every name has two to four
# capitalised words and the names are joined by commas or "and", so a headline ("Trump and
# Putin Meet") or a sentence never matches; the author is metadata, not article text.
_NAME = r"[A-Z][\w.'’-]*(?: (?:de|da|van|von|la|le|del|bin|al)?\s?[A-Z][\w.'’-]*){1,3}"
_rule(
    "byline",
    14,
    # Case matters here (names are capitalised), so the rule switches IGNORECASE off.
    rf"(?-i:^[Bb][Yy]:? {_NAME}(?:(?:,? and |, | & ){_NAME})*(?:,? [A-Z][\w.'’& -]*)?$"
    rf"|^{_NAME}(?:, {_NAME})*,? (?:and|&) {_NAME}$)",
)

# --- timestamp -----------------------------------------------------------------------
# Page timestamps that are not part of the story: "6 years ago", "This article is more
# than 1 year old", "Updated 3:45 PM ET", "Last updated: Jan. 5, 2019". The stamp must be
# the whole block; "Posted on Monday, the video drew ..." goes on and is kept.
_MONTH_OR_DAY = r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun"
_rule(
    "timestamp",
    12,
    r"^\W*\d+ (?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?) ago\W*$"
    r"|^\W*this (?:article|story|page) is more than \d+ (?:days?|weeks?|months?|years?) old\W*$"
    r"|^\W*(?:last )?(?:updated|published|posted|modified)(?: on| at)?\s*:?\s*"
    rf"(?:\d|(?:{_MONTH_OR_DAY})[a-z]*\.?\s)[\w\s:,./-]*?(?:\b(?:[ap]\.?m\.?|et|est|edt|gmt|utc)\W*)?$",
)

# --- markup --------------------------------------------------------------------------
# Leftover page-source fragments: "<!--", "//-->", "[pullquote]", "[/caption]", "[video
# id=123]". Article text is data; these fragments are never prose (a bracketed narrative
# aside such as "[two days pass]" has no "key=value" and stays).
_rule("markup", 6, r"^\s*(?:<!|//\s*[-–]*>|[-–]+>|\[/?[a-z_-]+(?:\s+[a-z_-]+=[^\]]*)?\]\s*$)")


_MAX_RULE_WORDS = max(max_words for _, max_words, _, _ in _RULES)


def _rules_for(words: int) -> list[tuple[str, re.Pattern[str] | None, Callable[[str], object]]]:
    """The rules that apply to a block of `words` words, in order, each with its needles as
    one pattern (a search for any of them is one scan of the block, not one per needle)."""
    return [
        (name, re.compile("|".join(map(re.escape, needles))) if needles else None, test)
        for name, max_words, needles, test in _RULES
        if words <= max_words
    ]


# Built once: most blocks are short, and each would otherwise test every rule's word limit.
_RULES_BY_WORDS = [_rules_for(words) for words in range(_MAX_RULE_WORDS + 1)]


def chrome_rule(block: str) -> str | None:
    """The name of the first chrome rule the block matches, or None for article text."""
    if not _ALNUM.search(block):
        # "___", "* * *", "• • •", "—": no letter or digit, so no text at all.
        return "separator"
    words = word_count(block)
    if words > _MAX_RULE_WORDS:
        return None
    lowered = block.lower()
    for name, needles, test in _RULES_BY_WORDS[words]:
        if needles is not None and not needles.search(lowered):
            continue
        if test(block):
            return name
    return None


# --- tag list ------------------------------------------------------------------------
# Tag lists at the end of a text: "Politics, National Security, secession, Vladimir Putin".
# Comma-separated items of 1-4 words each, at least four of them (or two after a "Tags:"
# label), no sentence punctuation, no quotation and no "and"/"or" before an item (a
# sentence's enumeration has one; a tag list does not). A sentence needs a clause longer than
# four words somewhere, so it fails the item test; a list of names inside an article is
# followed by more text, which is why this test is only applied at the end.
_TAG_ITEM_MAX_WORDS = 4
_TAG_MIN_ITEMS = 4
_TAG_LABEL = _rx(r"^\W*(?:tags?|topics?|filed under|categories|keywords)\s*:\s*")
_NOT_A_TAG = re.compile(r"[.!?;:]\s|[.!?…:;]$|[“”\"()]|,\s*(?:and|or)\s")


def is_tag_list(block: str) -> bool:
    """True for a comma-separated list of short items with no sentence in it."""
    labelled = _TAG_LABEL.match(block)
    body = block[labelled.end() :] if labelled else block
    if _NOT_A_TAG.search(body):
        return False
    items = [item.strip() for item in body.split(",")]
    if len(items) < (2 if labelled else _TAG_MIN_ITEMS):
        return False
    return all(1 <= word_count(item) <= _TAG_ITEM_MAX_WORDS for item in items)
