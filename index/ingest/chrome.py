"""Recognising site chrome: the lines a scraper picks up around and inside an article body.

A news page wraps its story in navigation, share bars, app and newsletter prompts, video
and audio players, photo credits and galleries, advert markers, comment-section notes,
copyright and donation footers. Scrapers keep these as lines of their own, so they are
recognised block by block (`index.ingest.clean` cuts the few that arrive glued into a
paragraph out as blocks of their own first).

Every rule describes chrome in general terms, never one outlet's wording. The rules were
checked on 37k scraped articles from 491 outlets (AllSides corpus) and on the BBC corpus:
the comment on each rule says what it catches and why article prose does not match it.
Each rule also has a word limit, because chrome is short, and a genuine paragraph that
merely *mentions* an app, a newsletter or a photo is long; only a photo gallery, whose
captions can run to thousands of words, is recognised at any length, by its counters.
`benchmarks/chrome.py` surveys what survives on AllSides and counts what each rule removes.

`chrome_rule(block)` names the rule a block matches (None for article text). Tag lists
(`is_tag_list`) are kept apart: a comma-separated list of short items is chrome only at
the end of a text, so the caller decides where that test applies.
"""

from __future__ import annotations

import re
import sys
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
# The word limit of the few rules whose chrome can be as long as an article (a gallery).
_NO_WORD_LIMIT = sys.maxsize


def _rule(name: str, max_words: int, pattern: str, needles: tuple[str, ...] = ()) -> None:
    _RULES.append((name, max_words, needles, _rx(pattern).search))


# --- advert --------------------------------------------------------------------------
# Advert slots and read-more folds a CMS leaves in the body: "Advertisement",
# "ADVERTISEMENT", "Advertising", "AD", "Story continues below", "Story continues below
# video", "Continue Reading Below", "Advertisement Continue reading the main story", "Scroll
# down for video", "Loading...". The whole block must consist of these words, so a sentence
# that uses the word "advertisement" never matches.
_AD_OR_VIDEO = r"(?: (?:the |this )?(?:ad|advertisement|video))?"
_rule(
    "advert",
    10,
    r"^(?:(?:advertis(?:ement|ements|ing)|ads?|sponsored(?: content)?|paid content"
    r"|loading(?:\.\.\.|…)?"
    rf"|(?:the )?(?:story|article) continue[sd]?(?: below{_AD_OR_VIDEO}| after{_AD_OR_VIDEO})?"
    r"|continue reading(?: (?:below|the main story|the story|the article))?"
    rf"|scroll (?:down|up)(?: for(?: more| the| this)?{_AD_OR_VIDEO})?"
    r"|skip (?:the )?ad(?:vertisement)?)\W*)+$",
)

# --- media player --------------------------------------------------------------------
# Video and audio players scraped as text: a clip's title with its running time and the
# player's labels. "Play Video 1:55 <title> – video", "<title> Replay More Videos ... <title>
# 01:55", "<title> Listen · 3:33 3:33", "Related Video Video length 41 seconds :41 <title>",
# "Embed <title> 4:42 autoplay", "<title> 05:02", "On the budget deal (34:51)". A running
# time is m:ss or h:mm:ss that nothing marks as a clock time: no "a.m.", "p.m." or time zone
# after it, no "at", "by", "until", "updated" ... before it. Prose gives a clock time one of
# those ("shots were fired at 1:55 p.m.", "the polls close at 20:00") and ends a sentence
# with a period ("a winning time of 1:57:54."); a player line has neither, so a block with a
# running time must also not end like a sentence.
_CLOCK_BEFORE = (
    "at by until till before after around about from to since between and or near nearly"
    " approximately roughly update updated posted published - – —"
)
# Words that also come before a running time in prose ("won in 2:08:37", "a time of 1:55",
# "the 7:30 show"): a block ending with one of these and a time is not taken for a clip title.
# Next to a player's label they are just the end of the clip's title ("... a stooge in 01:26").
_PROSE_BEFORE = "in on of the time"


def _running_time(words_before: str) -> str:
    """A pattern for a running time that none of `words_before` (or a clock mark) flags as a
    time of day."""
    return (
        # The lookahead first: it fails at once where no number starts, so the lookbehinds
        # only run where one does.
        r"(?=\(?\d{0,2}:\d\d)"
        + "".join(rf"(?<!\b{re.escape(word)} )" for word in words_before.split())
        + r"(?<![\w:.,/])\(?\d{0,2}:\d\d(?::\d\d)?\)?(?![\w:])"
        r"(?!\s*(?:[ap]\.?\s?m\b|[ap]\.m\.|noon|o['’]clock|hrs?\b|hours?\b|mark\b"
        r"|(?:[ecmp][sd]?t|gmt|utc|bst|cet|cest|ist|jst|kst|aest|local|eastern|pacific|central)\b))"
    )


# A running time next to a player's label, and one anywhere else.
LABELLED_RUNNING_TIME = _running_time(_CLOCK_BEFORE)
RUNNING_TIME = _running_time(f"{_CLOCK_BEFORE} {_PROSE_BEFORE}")
# Words that only a player shows next to a clip: its buttons and list labels.
_PLAYER_LABEL = _rx(
    r"\b(?:just watched|must watch|more videos|now playing|autoplay|replay|play video(?! game)"
    r"|video length|listen to (?:this )?article)\b|\b(?:listen|download)\s*[·•|]"
)
_LABELLED_RUNNING_TIME = _rx(LABELLED_RUNNING_TIME)
# A block that opens with a player label and the running time ("Play Video 1:55 ...",
# "Listen 3:20 ...", "Related Video Video length 41 seconds :41 ...").
_PLAYER_OPENING = _rx(
    r"^\W*(?:related videos?\W+)?(?:(?:play|replay|watch|listen|download|video|audio)"
    r"(?:\s+(?:video|audio|clip|now|to (?:this |the )?(?:article|story)))?\W{0,3}"
    rf"{LABELLED_RUNNING_TIME}|video length\b)"
)
# A short title closed by its running time ("<title> 05:02", "<title> (34:51)"). A heading
# that ends with a clock time mostly has a word before it that makes it one ("Polls close at
# 20:00"); the round times of schedules ("Doors open 7:30") are left alone, as a clip's
# running time is rarely a whole quarter hour. A reference to a chapter and verse or to a
# point in a recording closes a quotation's attribution ("“...” —Book 4:32", "- Name, a
# witness (51:21)") or stands alone ("Book 4:32"): a block that opens with a dash, has one
# right before the time, or has two words, is not taken for a clip title.
_CLIP_TITLE_MAX_WORDS = 16
_DASHES = frozenset("-–—")
_CLOCK_WORDS = frozenset(f"{_CLOCK_BEFORE} {_PROSE_BEFORE}".split())
_TIME_TOKEN = re.compile(r"\(?\d{0,2}:\d\d(?::\d\d)?\)?\W*")
_ROUND_TIME = re.compile(r"\(?\d*:(?:00|15|30|45)\b")
_TWO_LETTERS = re.compile(r"[^\W\d_]{2}")
# What every running time has: a colon, then the tens of its minutes or seconds (0-5).
_MAYBE_TIME = re.compile(r":[0-5]")


def _is_media_player(block: str) -> bool:
    """A player's block: a running time with a player label, or a short clip title."""
    if not _MAYBE_TIME.search(block) or ends_like_sentence(block):
        return False
    if _PLAYER_OPENING.search(block) or (
        _PLAYER_LABEL.search(block) and _LABELLED_RUNNING_TIME.search(block)
    ):
        return True
    words = block.split()
    if not 3 <= len(words) <= _CLIP_TITLE_MAX_WORDS or words[0][:1] in _DASHES:
        return False
    last, before = words[-1], words[-2]
    return (
        bool(_TIME_TOKEN.fullmatch(last))
        and not _ROUND_TIME.match(last)
        and before.lower() not in _CLOCK_WORDS
        and before[:1] not in _DASHES
        and bool(_TWO_LETTERS.search(block, 0, len(block) - len(last)))
    )


_RULES.append(("media-player", 40, (), _is_media_player))
# A player's end screen ("Thanks for watching! Visit website") and an embed placeholder
# ("x YouTube video", "x Embedded content"): the whole block is the label.
_rule(
    "media-player",
    8,
    r"^\W*(?:(?:advertisement\W+)?thanks for watching\W*(?:visit (?:our )?(?:web)?site\W*)?"
    r"|(?:x\s+)?(?:youtube video|vimeo video|embedded (?:content|video|media))\W*)$",
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
# (4) "Click here" anywhere in a short block: "Can't see the video? Click here.", "For more
# on the budget, click here.", "Residents can click here to contact their senators." News
# prose only ever quotes the phrase (a phishing e-mail read: “click here to ...”), so a block
# with an opening quote before it stays. The sentences around the prompt in a short block
# promote the same thing ("Enjoying this article? Click here to subscribe."); a longer
# paragraph that ends with the prompt loses only the prompt (see `index.ingest.clean`).
PROMPT_MAX_WORDS = 30
_rule("call-to-action", PROMPT_MAX_WORDS, r"^[^“\"]*\bclick(?:ing)? here\b", ("click",))

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

# Sign-up forms scraped whole: "... By signing up you agree to receive email newsletters or
# alerts. You can unsubscribe at any time. This site is protected by reCAPTCHA ...", "Please
# verify you're not a robot by clicking the box. Invalid email address. Please re-enter.",
# "Thank you for subscribing. An error has occurred." Each phrase is a form's own text (a
# label, a notice, an error message), which no article states, so the form can be long.
_SIGNUP_FORM = _rx(
    # As with "click here": a phrase after an opening quote is reported, not a form's text.
    r"^[^“\"]*(?:\bthis site is protected by recaptcha\b|\binvalid email address\b"
    r"|\bverify you['’]re not a robot\b|\bthank you for (?:subscribing|signing up)\b"
    r"|\byou (?:can|may) unsubscribe at any time\b|\bcheck your spam folder\b"
    r"|\bby (?:signing up|subscribing|clicking)\b.{0,60}\byou agree\b)"
)


def _is_signup_form(block: str) -> bool:
    # Each phrase above holds one of these substrings as a form prints it (sentence case):
    # a few substring tests are much faster than lowercasing and searching a long block.
    return (
        "CAPTCHA" in block
        or "captcha" in block
        or "robot" in block
        or "ou agree" in block
        or "ank you for" in block
        or "nsubscribe" in block
        or "nvalid email" in block
        or "spam folder" in block
    ) and bool(_SIGNUP_FORM.search(block))


_RULES.append(("newsletter", 120, (), _is_signup_form))

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
# A caption toggle opens the whole caption, credit included, which can run to a paragraph
# ("Show caption Hide caption <caption> (Name/Agency)"); no sentence opens with one.
_rule("credit", 100, r"^\W*(?:enlarge this image|toggle caption|hide caption|show caption)\b")
_rule("credit", 6, r"^\W*(?:slideshow|gallery|photos?|images?)\s*\(\d+ (?:images?|photos?)\)\W*$")
_rule(
    "credit",
    12,
    r"^(?:\W*(?:(?:prev|next|previous)\s+)?(?:image|photo|slide) \d+ of \d+)+"
    r"(?:\W*(?:prev|next|previous))*\W*$",
)
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

# --- gallery -------------------------------------------------------------------------
# A photo gallery scraped into one block, each caption closed by the slideshow's caption
# toggle and counter: "Photos: <gallery> <caption> Hide Caption 3 of 19 Photos: <gallery>
# <caption> Hide Caption 4 of 19". The captions describe pictures, not the story, and a
# gallery can run to thousands of words, so this rule has no word limit; a toggle label
# followed by a counter is never prose.
_GALLERY = _rx(r"\b(?:hide|show) caption \d+ of \d+\b")


def _is_gallery(block: str) -> bool:
    # Long blocks are the common case here: a substring test rules nearly all of them out
    # before the (slower) case-insensitive search, and without lowercasing the block.
    return ("aption" in block or "APTION" in block) and bool(_GALLERY.search(block))


_RULES.append(("gallery", _NO_WORD_LIMIT, (), _is_gallery))

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
    r"|editor['’]?s picks?|you (?:may|might) also like|photos?|videos?|(?:now |also )?watch"
    r"|now playing|watch this"
    r"|listen|go deeper|latest|must read)\s*(?::|\.\.\.|…|\)|[»›]?$)",
)
# A teaser for another story: its headline or a line of its summary closed by the link
# label, "<headline> Read more", "<summary>… Read more »", "<summary>. Read more". The label
# is capitalised as a button is ("Read more", "READ MORE"); a sentence that ends "... want to
# read more" does not capitalise it. A longer paragraph that ends with the label is the
# article's own text, and the cleaner cuts only the label off (see `index.ingest.clean`).
READ_MORE_LABEL = r"(?-i:Read more|Read More|READ MORE)\s*[»›>.…]?\s*"
_rule(
    "related-link",
    PROMPT_MAX_WORDS,
    rf"^\W*{READ_MORE_LABEL}$|\S\s+{READ_MORE_LABEL}$",
    ("read more",),
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
# A block that opens with an HTML attribute, a JSON object or a shortcode with attributes is
# an embed's source scraped with the caption it carries: 'poster="https://.../clip.jpg" <clip
# summary>', '{"unitName":"slot1","display":"mobile"} hidden ad unit', '[player file="..."
# image="..."][/player]', '[pullquote align="center"]<a quoted line>[/pullquote]' (a pull
# quote repeats the article's own text). Prose never opens with `name="` or `{"name":`.
_rule(
    "markup",
    60,
    r"^(?:\s*(?:[a-z][\w-]*=[\"']\S|\{\s*\"\w+\"\s*:)"
    r"|(?:\s*\[/?[a-z_-]+(?:\s+[a-z_-]+=[^\]]*)?\])+\s*$|\s*\[[a-z_-]+\s+[a-z_-]+=[\"'])",
)


_MAX_RULE_WORDS = max(max_words for _, max_words, _, _ in _RULES if max_words < _NO_WORD_LIMIT)


def _rules_for(words: int) -> list[tuple[str, tuple[str, ...], Callable[[str], object]]]:
    """The rules that apply to a block of `words` words, in order."""
    return [
        (name, needles, test) for name, max_words, needles, test in _RULES if words <= max_words
    ]


# Built once: most blocks are short, and each would otherwise test every rule's word limit.
# The last entry holds the rules without a word limit, for every longer block.
_RULES_BY_WORDS = [_rules_for(words) for words in range(_MAX_RULE_WORDS + 2)]


def chrome_rule(block: str) -> str | None:
    """The name of the first chrome rule the block matches, or None for article text."""
    if not _ALNUM.search(block):
        # "___", "* * *", "• • •", "—": no letter or digit, so no text at all.
        return "separator"
    rules = _RULES_BY_WORDS[min(word_count(block), _MAX_RULE_WORDS + 1)]
    if not rules:
        return None
    lowered = None
    for name, needles, test in rules:
        if needles:
            if lowered is None:
                lowered = block.lower()
            # A few substring tests (each one fast scan in C) take less time than one
            # search for an alternation of the needles, which tries every position.
            for needle in needles:
                if needle in lowered:
                    break
            else:
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
