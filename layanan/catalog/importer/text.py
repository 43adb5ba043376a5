"""Text helpers shared by the parser: clean-up, list items, typo corrections, contacts.

Everything here works on plain strings; nothing knows about service standards yet except the
small correction dictionary (:data:`CORRECTIONS`), which lists misspellings actually seen in
published standards.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

# --- cleaning -------------------------------------------------------------------------------

_MD_LINK = re.compile(r"\[([^\]\n]*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_MD_AUTOLINK = re.compile(r"<((?:https?://|mailto:)[^>\s]+)>")
_BOLD = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_ITALIC = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![\w*])")
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u2009\u2002\u2003"), " ")


def clean_line(line: str) -> str:
    """One line without markdown links/emphasis/escapes, odd spaces and trailing blanks.

    ``[kesra@x.go.id](mailto:kesra@x.go.id)`` → ``kesra@x.go.id``, ``*Online*`` → ``Online``.
    Leading ``#`` (headings) and list markers stay: the parser reads them.
    """
    line = line.translate(_INVISIBLE).translate(_SPACES)
    line = html.unescape(line)
    line = _MD_LINK.sub(lambda m: m.group(1) or m.group(2), line)
    line = _MD_AUTOLINK.sub(lambda m: m.group(1).removeprefix("mailto:"), line)
    line = _BOLD.sub(r"\2", line)
    line = _ITALIC.sub(r"\1", line)
    line = _ESCAPED.sub(r"\1", line)
    return line.rstrip()


def clean_lines(text: str) -> list[str]:
    """The document as cleaned lines (form feeds become blank lines)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    return [clean_line(line) for line in text.split("\n")]


def squash(text: str) -> str:
    """White space collapsed to single spaces, trimmed."""
    return " ".join(text.split())


def norm(text: str) -> str:
    """A comparison key: lower case, letters and digits only, single spaces."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.casefold()).split())


def tidy_item(text: str) -> str:
    """A list item as it should be stored: trailing separators (``;`` ``,`` ``.`` and a dangling
    ``dan``/``atau``/``and``) removed, white space collapsed."""
    text = squash(text)
    previous = None
    while previous != text:
        previous = text
        text = re.sub(r"(?:[;,]\s*)?\b(?:dan|atau|and|or)\s*$", "", text, flags=re.IGNORECASE)
        text = text.rstrip(" ;,.").strip()
    return text


# --- list items -----------------------------------------------------------------------------

BULLET_CHARS = "-*•·▪●◦‣➢►→–"
_LEAD = re.compile(
    r"^(?P<indent>\s*)"
    rf"(?P<bullet>[{re.escape(BULLET_CHARS)}](?=\s))?\s*"
    r"(?P<marker>"
    r"\((?P<pnum>\d{1,2})\)"  # (1)
    r"|(?P<rnum>\d{1,2})\s*\.?\s*\)"  # 1)  1.)
    r"|(?P<dnum>\d{1,2})\.(?=\s|$)"  # 1.
    r"|\((?P<plet>[a-zA-Z])\)"  # (a)
    r"|(?P<rlet>[a-zA-Z])\)(?=\s|$)"  # a)
    r"|(?P<dlet>[a-zA-Z])\.(?=\s|$)"  # a.
    r")?\s*(?P<rest>.*)$"
)
# Numbered markers that may appear in the middle of a line: "…; 2) Tertulis … 3) WA : …".
_INLINE_NUM = re.compile(r"(?:(?<=\s)|(?<=^)|(?<=[;,]))(?P<num>\d{1,2})\s*\.?\)(?=\s|$)")

_CONNECTORS = {
    "tentang",
    "dan",
    "atau",
    "yang",
    "dengan",
    "di",
    "ke",
    "dari",
    "untuk",
    "pada",
    "nomor",
    "tahun",
    "serta",
    "oleh",
    "bagi",
    "dalam",
    "the",
    "of",
    "and",
    "or",
}


def is_marked(line: str) -> bool:
    """A line that starts with a list marker ("- ", "1.", "(a)", "b. ")."""
    return bool(re.match(r"^\s*(?:[-*•]\s|\(?\d{1,2}[.)]|\(?[a-zA-Z][.)]\s)", line))


@dataclass
class Item:
    """One list item.

    ``kind``: "num", "letter", "bullet" (a dash/asterisk only) or "" (no marker); ``number``
    the marker's number (a=1, b=2 for letters). ``inline``: split off the middle of a line.
    ``restart``: the item came from a numbered marker that restarted at 1 in the middle of a
    line that belonged to a longer list ("7) Online melalui website 1) Pengguna …").
    ``after_blank``: a blank line came before it.
    """

    text: str
    kind: str = ""
    number: int | None = None
    inline: bool = False
    restart: bool = False
    after_blank: bool = False

    @property
    def marked(self) -> bool:
        return bool(self.kind)


def _split_inline(rest: str, expected: int) -> tuple[int, list[tuple[str, int, bool]], int]:
    """Split a line at inline "N)" markers that continue the numbering (or restart at 1).

    Returns where the line's own text ends, the following segments as (text, number, restart)
    and the next expected number.
    """
    pieces: list[tuple[int, int, int, bool]] = []  # (start, end, number, restart)
    for match in _INLINE_NUM.finditer(rest):
        if match.start() == 0:
            continue
        number = int(match.group("num"))
        if number == expected:
            pieces.append((match.start(), match.end(), number, False))
            expected = number + 1
        elif number == 1 and expected > 2:
            pieces.append((match.start(), match.end(), number, True))
            expected = 2
    segments = [
        (rest[end : pieces[i + 1][0] if i + 1 < len(pieces) else len(rest)], number, restart)
        for i, (_start, end, number, restart) in enumerate(pieces)
    ]
    return (pieces[0][0] if pieces else len(rest)), segments, expected


def split_items(lines: Iterable[str]) -> list[Item]:
    """List items from the lines of one section.

    Understands the markers ``a.`` ``a)`` ``(a)`` ``1.`` ``1)`` ``1.)`` ``(1)`` ``-`` ``*`` ``•``
    (also combined, ``- a.``), items run together on one line (``"1) A; 2) B 3) C"``: split only
    where the numbering continues, so ``(0561)`` or ``ext. 126`` never split), and lines wrapped
    by PDF extraction: an unmarked line directly below an item is its continuation when the item
    does not end a sentence and the line starts in lower case or the item ends with a connector
    ("tentang", "dan", ",", …). Other unmarked lines are items of their own.
    """
    items: list[Item] = []
    expected = 1
    blank = False
    for raw in lines:
        if not raw.strip():
            blank = True
            continue
        match = _LEAD.match(raw)
        assert match is not None  # the pattern matches any line
        rest = match.group("rest").strip()
        number, kind, rest, expected = _read_marker(match, rest, expected)
        cut, segments, expected = _split_inline(rest, expected)
        first = rest[:cut]
        previous = items[-1] if items else None
        if not kind and previous is not None and not blank and _continues(previous.text, first):
            previous.text = f"{previous.text} {first.strip()}"
        elif first.strip() or kind:
            items.append(Item(text=first.strip(), kind=kind, number=number, after_blank=blank))
        for text, seg_number, restart in segments:
            items.append(
                Item(text=text.strip(), kind="num", number=seg_number, inline=True, restart=restart)
            )
        blank = False
    return [item for item in items if item.text or item.kind]


def _read_marker(
    match: re.Match[str], rest: str, expected: int
) -> tuple[int | None, str, str, int]:
    """What a line's marker says: the item's number, its kind (``"num"``, ``"letter"``,
    ``"bullet"`` or ``""`` for none), its text after the marker, and the number the next item
    of a run continues at (``expected``, as :func:`_split_inline` takes it)."""
    number = None
    kind = ""
    if match.group("marker"):
        for group in ("pnum", "rnum", "dnum"):
            if match.group(group):
                number, kind = int(match.group(group)), "num"
        for group in ("plet", "rlet", "dlet"):
            if match.group(group):
                number, kind = ord(match.group(group).lower()) - 96, "letter"
    elif match.group("bullet"):
        kind = "bullet"
    if kind == "num":
        expected = number + 1
    elif kind in {"letter", ""} or (kind == "bullet" and not _INLINE_NUM.match(rest)):
        expected = 1
    if kind == "bullet":
        inner = _INLINE_NUM.match(rest)
        if inner:  # "- 1) …": the dash is decoration, the number is the marker
            number, kind = int(inner.group("num")), "num"
            rest = rest[inner.end() :].strip()
            expected = number + 1
    return number, kind, rest, expected


def _continues(previous: str, line: str) -> bool:
    previous = previous.rstrip()
    line = line.lstrip()
    if not previous or not line:
        return False
    if previous[-1] in ";.:!?":
        return False
    if line[0].islower():
        return True
    if previous[-1] in ",/(-&":
        return True
    last_word = re.sub(r"[^\w]", "", previous.split()[-1]).casefold()
    return last_word in _CONNECTORS


# --- corrections ----------------------------------------------------------------------------

#: Misspellings seen in published standards: (pattern, replacement). Patterns are matched
#: case-insensitively on word boundaries; the replacement takes the case of what it replaces.
CORRECTIONS: list[tuple[str, str]] = [
    (r"spritual", "spiritual"),
    (r"failitasi", "fasilitasi"),
    (r"prasana", "prasarana"),
    (r"tanda\s+pengenalan", "tanda pengenal"),
    (r"pengadauan", "pengaduan"),
    (r"persyartan", "persyaratan"),
]
# A domain ending in ".g.id" is ".go.id" with the "o" lost (biroekonomi@kalbarprov.g.id).
_DOMAIN_TYPO = re.compile(r"(?<=[\w-])\.g\.id\b", re.IGNORECASE)


def _match_case(found: str, replacement: str) -> str:
    if found.isupper():
        return replacement.upper()
    if found[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def correct(text: str, report: Callable[[str, str], None] | None = None) -> str:
    """``text`` with the known misspellings fixed; ``report(wrong, right)`` hears each fix."""

    def fix(match: re.Match, replacement: str) -> str:
        found = match.group(0)
        fixed = _match_case(found, replacement)
        if fixed != found and report is not None:
            report(found, fixed)
        return fixed

    for pattern, replacement in CORRECTIONS:
        text = re.sub(
            rf"\b{pattern}\b",
            lambda m, r=replacement: fix(m, r),
            text,
            flags=re.IGNORECASE,
        )

    def fix_domain(match: re.Match) -> str:
        head = re.search(r"[^\s()\[\]<>:;,]*$", text[: match.start()]).group(0)
        if report is not None:
            report(head + match.group(0), head + ".go.id")
        return ".go.id"

    return _DOMAIN_TYPO.sub(fix_domain, text)


# --- contacts -------------------------------------------------------------------------------

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
URL = re.compile(
    r"(?<![@\w.-])(?:https?://)?(?:www\.)?[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*"
    r"\.(?:go\.id|co\.id|or\.id|ac\.id|sch\.id|desa\.id|web\.id|my\.id|id|com|org|net|info)"
    r"(?![\w@-])(?:/[\w./%?=&#-]*)?",
    re.IGNORECASE,
)
PHONE = re.compile(
    r"(?:\(\s*0\d{2,3}\s*\)[\s.-]?|\+62[\s.-]?|(?<![\w+])62|(?<![\w+])0)"
    r"\d{2,}(?:[\s.-]\d{3,})*"
    r"(?:\s*(?:ext|ekst|psw|pes)\.?\s*\d{1,5})?",
    re.IGNORECASE,
)
#: Sites of national systems that every unit mentions: no hint about which unit wrote it.
NATIONAL_SITES = ("lapor.go.id", "ombudsman.go.id", "menpan.go.id", "sp4n.lapor.go.id")


def find_emails(text: str) -> list[str]:
    return [m.group(0).rstrip(".").lower() for m in EMAIL.finditer(text)]


def find_urls(text: str) -> list[str]:
    without_emails = EMAIL.sub(" ", text)
    return [m.group(0).rstrip("./") for m in URL.finditer(without_emails)]


def find_phones(text: str) -> list[str]:
    """Phone numbers as written (9 to 14 digits without the extension)."""
    found = []
    for match in PHONE.finditer(EMAIL.sub(" ", text)):
        value = squash(match.group(0)).strip(" .-")
        main = re.split(r"(?i)\s*(?:ext|ekst|psw|pes)\b", value)[0]
        digits = re.sub(r"\D", "", main)
        if 9 <= len(digits) <= 14:
            found.append(value)
    return found


def site_key(url: str) -> str:
    """``http://www.Example.go.id/`` → ``example.go.id``."""
    url = url.strip().lower()
    url = re.sub(r"^https?://", "", url)
    url = url.removeprefix("www.")
    return url.split("/")[0]
