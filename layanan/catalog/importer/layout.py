"""Where a *Standar Pelayanan* document puts things (passes 2 to 4 of :mod:`.parser`): the page
header and the title in the preamble, the decree number, repeated page headers cut out, the
lines of each component section, and the parts of a document that describes several services.

Nothing here reads a component's values: that is :mod:`.values` (a line that states a time or
a fee is never a title: :func:`.values.headless_time`, :func:`.values.headless_fee`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .headings import (
    is_flat_table_header,
    is_group_label,
    is_table_header,
    is_table_rule,
    match_heading,
    table_cells,
    unglue_row,
)
from .results import Issues
from .text import clean_lines, find_emails, find_phones, find_urls, is_marked, norm, squash
from .values import headless_fee, headless_time

# --- page header ----------------------------------------------------------------------------

BREADCRUMB = re.compile(
    r"^pemerintah\s+(?:provinsi|kabupaten|kota|daerah|kab\.?)\b[^/]*/\s*(?P<unit>.+)$",
    re.IGNORECASE,
)
_ORG_WORDS = (
    r"biro|dinas|badan|bagian|sekretariat|inspektorat|kantor|kecamatan|kelurahan|desa|uptd?"
    r"|puskesmas|rumah\s+sakit|rsud|satuan|kementerian|direktorat|balai|bappeda|bapenda"
    r"|pemerintah|provinsi|kabupaten|kota|dprd|unit\s+pelaksana"
)
_ORG = re.compile(rf"^(?:{_ORG_WORDS})\b", re.IGNORECASE)
_GOVERNMENT = re.compile(r"^(?:pemerintah|provinsi|kabupaten|kota)\b", re.IGNORECASE)
_ADDRESS = re.compile(
    r"^(?:jl\.?|jln\.?|jalan|alamat)\s|\bkode\s*pos\b|\bkec\.\s|[a-z]{3,}\s+[1-9]\d{4}\b",
    re.IGNORECASE,
)
_CONTACT_WORDS = re.compile(
    r"\b(?:telp|telepon|tlp|fax|faks|faximile|hp|wa|whatsapp|email|e-mail|surel|website|web"
    r"|laman|situs|homepage|ext|pos)\b\.?",
    re.IGNORECASE,
)
_UNIT_LABEL = re.compile(
    r"^(?:unit\s+kerja|unit\s+pelayanan|unit\s+penyelenggara|instansi|penyelenggara"
    r"(?:\s+pelayanan)?|perangkat\s+daerah|opd)\s*:\s*(?P<value>.+)$",
    re.IGNORECASE,
)
_TITLE_LABEL = re.compile(
    r"^(?:jenis|nama)\s+(?:pelayanan|layanan)\s*:\s*(?P<value>.+)$", re.IGNORECASE
)
# "STANDAR PELAYANAN …" before a title; "Standar Layanan Perpustakaan" keeps "Layanan …".
_STANDARD_WORDS = re.compile(
    r"^standar\s+(?:pelayanan(?:\s+publik)?\b[\s:.-]*|(?=layanan\b))", re.IGNORECASE
)
# "KODE SP: I.A" (ATR/BPN): the lines after it, up to the first component, are the title.
_CODE_MARKER = re.compile(r"^kode\s+sp\b", re.IGNORECASE)
_DATE_LINE = re.compile(
    r"^(?:[a-z]+,\s*)?\d{1,2}\s+(?:januari|februari|maret|april|mei|juni|juli|agustus"
    r"|september|oktober|november|desember)\s+\d{4}$",
    re.IGNORECASE,
)
_DECREE = re.compile(
    r"^(?:[-*•]\s*)?(?:no(?:mor)?\.?\s*(?:sk|surat\s+keputusan)|nomor\s+keputusan"
    r"|sk\s+(?:no|nomor)\.?)\b\s*[:.]?\s*(?P<value>.*)$",
    re.IGNORECASE,
)
_MONTHS = "januari|februari|maret|april|mei|juni|juli|agustus|september|oktober|november|desember"
# The signature block that ends a standard: "Ditetapkan di …", "Pontianak, 3 Juli 2023", "NIP …".
_SIGNATURE = re.compile(
    r"^(?:ditetapkan\s+di\b|mengetahui\b|nip[\s.:]"
    rf"|[a-z][\w .'-]{{1,40}},\s*(?:tanggal\s+)?\d{{1,2}}\s+(?:{_MONTHS})\s+\d{{4}}$)",
    re.IGNORECASE,
)
# Page furniture of PDF exports: "- 2 -", "Halaman 2 dari 5", "Page 2 of 5".
_PAGE_NUMBER = re.compile(
    r"^(?:[-–]\s*\d{1,3}\s*[-–]|(?:halaman|hal\.?|page)\s*\d{1,3}(?:\s*(?:dari|of|/)\s*\d{1,3})?)$",
    re.IGNORECASE,
)
_SMALL_WORDS = {"dan", "atau", "di", "ke", "dari", "yang", "untuk", "pada", "dengan", "serta"}


def _header_kind(line: str) -> str | None:
    """'breadcrumb', 'org', 'address' or 'contact' for a page-header line, else None."""
    text = line.strip().lstrip("#").strip()
    if not text:
        return None
    if BREADCRUMB.match(text):
        return "breadcrumb"
    if _UNIT_LABEL.match(text):
        return "org"
    if _ORG.match(text) and len(text.split()) <= 10 and ":" not in text:
        return "org"
    if _ADDRESS.search(text) and not _DECREE.match(text):
        return "address"
    leftover = text
    for found in (*find_emails(text), *find_urls(text), *find_phones(text)):
        leftover = leftover.replace(found, " ")
    leftover = _CONTACT_WORDS.sub(" ", leftover)
    if leftover != text and not re.sub(r"[\s:;,./|()\-–]+", "", leftover):
        return "contact"
    return None


def smart_title(text: str) -> str:
    """ALL-CAPS titles in title case ("PENERBITAN IZIN" → "Penerbitan Izin"); others as written."""
    if not text.isupper():
        return text

    def word(index: int, w: str) -> str:
        if w.startswith("(") and w.endswith(")"):
            return w  # an abbreviation in brackets: "(KK)"
        w = w.lower()
        return w if (index and w in _SMALL_WORDS) else w[:1].upper() + w[1:]

    return " ".join(word(i, w) for i, w in enumerate(text.split()))


def _clean_title(text: str) -> str:
    text = squash(text.lstrip("#").strip())
    text = _STANDARD_WORDS.sub("", text)
    return smart_title(text.strip(" :.-"))


# --- the passes -----------------------------------------------------------------------------


@dataclass
class PageHeader:
    unit_name: str = ""
    lines: set[str] = field(default_factory=set)  # norm() of header lines
    raw: list[str] = field(default_factory=list)


def first_heading(lines: list[str], loose: bool = False) -> int:
    for index, line in enumerate(lines):
        if match_heading(line, loose=loose):
            return index
    return len(lines)


# One pass over the preamble; each branch of the loop is one kind of line, tried in order of
# precedence, and that order is the rule: split up, it would no longer read as one.
def read_preamble(preamble: list[str]) -> tuple[PageHeader, str]:  # noqa: C901
    """The page header and the title from the lines before the first heading.

    The title is, in this order: a markdown ``# Title``; a "Jenis Pelayanan : …" line; the block
    of lines after a "STANDAR PELAYANAN" line; the first block of at most 20 words that is
    neither page header nor decree number.
    """
    header = PageHeader()
    labelled_title = ""
    h1 = ""
    blocks: list[list[str]] = [[]]
    after_marker: int | None = None  # index of the block that follows "STANDAR PELAYANAN"
    coded: list[str] | None = None  # the lines after "KODE SP: …"
    values_from: int | None = None  # the first block after a line stating a time or a fee

    def end_block() -> None:
        if blocks[-1]:
            blocks.append([])

    for line in preamble:
        stripped = line.strip()
        text = stripped.lstrip("#").strip()
        if not stripped:
            end_block()
            continue
        if _CODE_MARKER.match(text):
            coded = []
            continue
        if coded is not None:
            coded.append(text)
            continue
        kind = _header_kind(stripped)
        if kind:
            header.lines.add(norm(text))
            header.raw.append(text)
            if kind == "breadcrumb" and not header.unit_name:
                header.unit_name = BREADCRUMB.match(text).group("unit")
            continue
        if _is_preamble_noise(stripped, text):
            end_block()
            continue
        if _is_value_line(text):  # the title comes before the values, never after them
            end_block()
            if values_from is None:
                values_from = len(blocks) - 1
            continue
        if re.match(r"^#\s", stripped):
            h1 = h1 or stripped
            continue
        labelled = _TITLE_LABEL.match(text)
        if labelled:
            labelled_title = labelled_title or labelled.group("value")
            continue
        bare = _STANDARD_WORDS.sub("", text).strip(" :.-")
        if not bare:  # "STANDAR PELAYANAN" on its own: the title follows
            end_block()
            if after_marker is None:
                after_marker = len(blocks) - 1
            continue
        if after_marker is None and _STANDARD_WORDS.match(text):
            end_block()
            after_marker = len(blocks) - 1
        blocks[-1].append(stripped)
    header.unit_name = smart_title(squash(_header_unit_name(header)).strip(" .:"))
    title = h1 or labelled_title or " ".join(coded or [])
    if not title:
        title = _block_title(blocks, after_marker, values_from)
    return header, _clean_title(title) if title else ""


def _is_preamble_noise(stripped: str, text: str) -> bool:
    """A preamble line that is neither header nor title: a decree number, a group label, a page
    number, a table header, a date, a bullet. It ends the block of title lines."""
    cells = table_cells(stripped)
    return bool(
        _DECREE.match(stripped)
        or is_group_label(stripped)
        or _PAGE_NUMBER.match(stripped)
        or (cells is not None and is_table_header(cells))
        or is_flat_table_header(stripped)
        or _DATE_LINE.match(text)
        or (stripped[:1] in "•·▪●-*" and not stripped.startswith("**"))
    )


def _header_unit_name(header: PageHeader) -> str:
    """The unit the page header names: its breadcrumb, else a "Unit: …" line, else the first
    organisation line that is not the government itself."""
    if header.unit_name:
        return header.unit_name
    for raw in header.raw:
        labelled = _UNIT_LABEL.match(raw)
        if labelled:
            return labelled.group("value")
        if _ORG.match(raw) and not _GOVERNMENT.match(raw):
            return raw
    return ""


def _block_title(blocks: list[list[str]], after_marker: int | None, values_from: int | None) -> str:
    """The title from the preamble's blocks: the one after "STANDAR PELAYANAN", else the first
    block of at most 20 words before the values."""
    if after_marker is not None and after_marker < len(blocks) and blocks[after_marker]:
        return " ".join(blocks[after_marker])
    candidates = blocks if values_from is None else blocks[:values_from]
    short = [block for block in candidates if block and len(" ".join(block).split()) <= 20]
    return " ".join(short[0]) if short else ""


def _is_value_line(text: str) -> bool:
    """A line that states a time or a fee ("2 Hari dari pemasukan …", "Tidak dipungut biaya"):
    never a title."""
    return bool(headless_time(text) or headless_fee(text))


def strip_repeated_headers(lines: list[str], header: PageHeader) -> tuple[list[str], list[str]]:
    """The lines without repeated page headers, and the header lines that were cut."""
    marks = []
    for line in lines:
        stripped = line.strip()
        if not stripped:
            marks.append("blank")
        elif BREADCRUMB.match(stripped.lstrip("#").strip()):
            marks.append("breadcrumb")
        elif norm(stripped.lstrip("#")) in header.lines and not is_marked(stripped):
            marks.append("known")
        elif _header_kind(stripped) and not is_marked(stripped):
            marks.append("headerish")
        else:
            marks.append("")
    keep = [True] * len(lines)
    cut: list[str] = []
    index = 0
    while index < len(lines):
        if marks[index] in {"", "blank"}:
            index += 1
            continue
        end = index
        while end < len(lines) and marks[end] != "":
            end += 1
        run = range(index, end)
        kinds = [marks[i] for i in run]
        known = [lines[i] for i in run if marks[i] == "known"]
        anchored = any(_header_kind(line) in {"org", "address"} for line in known)
        if "breadcrumb" in kinds or (len(known) >= 2 and anchored):
            for i in run:
                if marks[i] != "blank":
                    keep[i] = False
                    cut.append(lines[i].strip().lstrip("#").strip())
        index = end
    return [line for line, k in zip(lines, keep, strict=True) if k], cut


def _find_decree(lines: list[str]) -> tuple[int | None, str]:
    for index, line in enumerate(lines):
        cells = table_cells(line)
        text = " : ".join(c for c in cells if c) if cells else line.strip()
        match = _DECREE.match(text.lstrip("#").strip())
        if match:
            return index, match.group("value").strip(" :.")
    return None, ""


def find_sections(lines: list[str], loose: bool = False) -> dict[str, list[str]]:
    """The lines of each component, by key (content after a heading, in document order).

    Inside the complaint section, a line that names a component seen before is content (a
    sub-heading "c. Jangka Waktu :" is not the completion time again).
    """
    sections: dict[str, list[str]] = {}
    current: str | None = None
    for line in lines:
        stripped = line.strip()
        if _SIGNATURE.match(stripped):
            break
        if (
            is_table_rule(stripped)
            or is_group_label(stripped)
            or _PAGE_NUMBER.match(stripped)
            or is_flat_table_header(stripped)
        ):
            continue
        cells = table_cells(stripped)
        if cells is not None and is_table_header(cells):
            continue
        heading = match_heading(stripped, loose=loose)
        if heading and not (
            current == "complaint_handling"
            and heading.key != current
            and heading.key in sections
            and not stripped.startswith("#")
        ):
            current = heading.key
            sections.setdefault(current, []).extend(heading.inline)
            continue
        if current is None:
            continue
        if cells is not None:  # a table row that is no heading: its cells as "a : b"
            line = " : ".join(cell for cell in cells if cell)
        elif stripped.startswith("#"):  # an unknown markdown sub-heading: its text
            line = stripped.lstrip("#").strip()
        elif stripped.endswith("|"):  # the last line of a markdown cell that wrapped
            line = line.rstrip().rstrip("|").rstrip()
        sections[current].append(line)
    return sections


def read_decree(preamble: list[str], body: list[str], issues: Issues) -> tuple[list[str], str]:
    """The decree number (No. SK), from the preamble or else the body (then its line leaves
    the body): returns (body, decree number or "" when missing or without a number)."""
    decree_index, decree = _find_decree(preamble)
    if decree_index is None:
        decree_index, decree = _find_decree(body)
        if decree_index is not None:
            body = body[:decree_index] + body[decree_index + 1 :]
    if decree_index is None:
        issues.add("missing", "decree_number", "The document gives no decree number (No. SK).")
    elif not re.search(r"\d", decree):
        issues.add("missing", "decree_number", "'No. SK' is present but has no number.")
        decree = ""
    return body, decree


# --- documents with several services ---------------------------------------------------------

# "1. PERSETUJUAN PENANAMAN MODAL", "B. IZIN PENELITIAN", "1. STANDAR PELAYANAN SURAT …".
_SERVICE_HEADING = re.compile(
    r"^\s*#*\s*(?:\d{1,2}|[A-Z]|[IVX]{1,4})\s*[.)]\s*(?P<title>\S.*?)\s*:?\s*$"
)


def _service_title(line: str, loose: bool, listed: set[str]) -> str | None:
    """The service a line announces, or None: a "Jenis Pelayanan : …" label, or a numbered or
    lettered line of at least two words that is upper case or repeats a name listed earlier
    in the document ("meliputi: 1. Pelayanan Pendaftaran 2. …"), and is neither a component
    heading nor a group label."""
    labelled = _TITLE_LABEL.match(line.strip().lstrip("#").strip())
    if labelled:
        return labelled.group("value").strip()
    match = _SERVICE_HEADING.match(line)
    if not match:
        return None
    title = match.group("title")
    letters = [c for c in title if c.isalpha()]
    if len(title.split()) < 2 or not letters:
        return None
    if not all(c.isupper() for c in letters) and norm(title) not in listed:
        return None
    if match_heading(line, loose=loose) or is_group_label(line) or is_flat_table_header(line):
        return None
    return title


def split_services(text: str) -> list[tuple[str, str]]:
    """The parts of a document that describes several services, as (title, text) pairs; empty
    when the document describes one.

    A service starts at a numbered or lettered upper-case line ("1. PERSETUJUAN PENANAMAN
    MODAL"), at a numbered line repeating a name listed earlier ("meliputi: 1. Pelayanan
    Pendaftaran …" then "1. Pelayanan Pendaftaran" over its components), or at a "Jenis
    Pelayanan : …" label, when component headings follow before the next such line. Two or
    more of them, or one numbered "STANDAR PELAYANAN …", split the document; each part keeps
    the common preamble (letterhead, decree number) and gets its title as a ``# heading``.
    """
    lines = [unglue_row(line) for line in clean_lines(text or "")]
    loose = any(is_flat_table_header(line) for line in lines)
    candidates: list[tuple[int, str]] = []
    listed: set[str] = set()  # names listed before the first component heading
    seen_heading = False
    for index, line in enumerate(lines):
        title = _service_title(line, loose, listed)
        if title:
            candidates.append((index, title))
        numbered = _SERVICE_HEADING.match(line)
        seen_heading = seen_heading or bool(match_heading(line, loose=loose))
        if numbered and not seen_heading:
            listed.add(norm(numbered.group("title")))
    starts: list[tuple[int, str]] = []
    for position, (index, title) in enumerate(candidates):
        end = candidates[position + 1][0] if position + 1 < len(candidates) else len(lines)
        if any(match_heading(line, loose=loose) for line in lines[index + 1 : end]):
            starts.append((index, title))
    if not starts:
        return []
    if len(starts) == 1 and not (
        _STANDARD_WORDS.match(starts[0][1]) and _SERVICE_HEADING.match(lines[starts[0][0]])
    ):
        return []
    preamble = lines[: starts[0][0]]
    # The preamble's own title (the decree's subject) is not the title of any one service.
    preamble = [line for line in preamble if not re.match(r"^#\s", line.strip())]
    parts = []
    for position, (index, title) in enumerate(starts):
        end = starts[position + 1][0] if position + 1 < len(starts) else len(lines)
        title = _STANDARD_WORDS.sub("", title).strip(" :.-") or title
        body = lines[index + 1 : end]
        parts.append((title, "\n".join([*preamble, "", f"# {title}", "", *body])))
    return parts
