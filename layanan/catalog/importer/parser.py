"""Parse the text of a *Standar Pelayanan* (PermenPANRB 15/2014) into a :class:`ParsedStandard`.

Input is whatever :func:`~layanan.catalog.importer.readers.read_document` produced: text from a
web page, a PDF or a Word file, usually messy. The parser works in passes:

1. **Clean** every line: markdown links become their text (``[x@y.go.id](mailto:…)`` → the
   address), bold/italic markers and escapes go, odd spaces become spaces.
2. **Preamble**: the lines before the first component heading hold the page header (unit name,
   address, phone, website, the breadcrumb "Pemerintah Provinsi … / Biro …"), the title and the
   decree number. The unit name comes from the breadcrumb (else the first line naming an
   organisation), the service name from a markdown ``# Title`` (else a "Jenis Pelayanan : …"
   line, else the last line that is neither header nor decree).
3. **Repeated page headers** are cut wherever they reappear (PDF page breaks put them in the
   middle of a section): runs of at least two header lines, or any run around a breadcrumb line.
4. **Sections**: a line that *is* a component heading (see :mod:`.headings` for the spellings and
   layouts) starts a section; content may follow on the heading line after a colon or in the next
   table cell. Group labels ("Service Delivery") and table header rows are dropped; a signature
   block ("Ditetapkan di …", "NIP …") ends the document.
5. **Components**: list items are split (markers ``a.``/``1.``/``1)``/``1.)``/``-``/``*``, items run
   together on one line, PDF line wraps: :func:`.text.split_items`), tidied (trailing ``;``/``.``),
   known misspellings corrected (``typo_fixed``), a list given twice reduced to one copy
   (``duplicate_list``). Completion times, fees, the complaint section (:mod:`.complaints`), the
   number of staff and the evaluation cadence are read into structured values.

Decisions worth knowing:

- **Completion times**: every line that is a duration becomes one (``"Administrasi : 15 Menit"``,
  labelled). An *unlabelled* duration equal to a labelled one in the same section
  (``"15 Menit"`` above ``"Administrasi : 15 Menit"``) is the headline of the same figure and is
  not counted twice. A labelled descriptive line (``"Konsultasi : Sesuai materi konsultasi"``) or
  a short unlabelled one is kept as a duration without value; longer free text is kept in
  ``completion_note``. Bare "Hari" is read as working days and reported as
  ``ambiguous_duration``.
- **Fees**: "Gratis", "Tidak dipungut biaya", "Rp 0" … are free; "Rp 50.000", "Rp. 1.500.000,-"
  are amounts; anything else goes to ``fee_note``.
- **Staff**: the first "N orang" (also "5 (lima) orang", "lima orang") per line; several lines
  are added up unless the first already is the total of the others.
- **Evaluation**: "N kali dalam M bulan/tahun/semester/triwulan/minggu" (also "setiap bulan",
  "setahun sekali") on a line about meetings (rapat/pertemuan) gives ``meetings_per_month``, on a
  line about the survey (survei/SKM/IKM/kepuasan) ``surveys_per_year`` (whole numbers only).
- **Other agencies' layouts** (issue 19, measured on ``tests/catalog/corpus``): several services
  in one document (:func:`split_services`, used by :func:`parse_standards`); flattened
  "No Komponen Uraian" tables whose rows start with the component (``match_heading(loose=True)``
  in :mod:`.headings`); pages without labels (:func:`_headless_values`); times inside sentences
  (:func:`find_duration`, used only when a section states no time plainly); office hours kept out
  of the times; fee lists with labels in every rupiah spelling (:func:`parse_fee`).
- Nothing raises on odd input: what cannot be placed is reported as an :class:`ImportIssue`.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from fractions import Fraction

from layanan.catalog.components import LIST_FIELDS
from layanan.workdays.durations import ID_NUMBER_WORDS, Duration, parse_duration, parse_number_words

from .complaints import parse_complaints
from .headings import (
    is_flat_table_header,
    is_group_label,
    is_table_header,
    is_table_rule,
    match_heading,
    table_cells,
    unglue_row,
)
from .results import (
    COMPONENT_KEYS,
    COMPONENTS,
    Channel,
    ComplaintClass,
    Fee,
    ImportIssue,
    ParsedStandard,
)
from .text import (
    NATIONAL_SITES,
    Item,
    clean_lines,
    correct,
    find_emails,
    find_phones,
    find_urls,
    norm,
    site_key,
    split_items,
    squash,
    tidy_item,
)

__all__ = [
    "COMPONENTS",
    "COMPONENT_KEYS",
    "Channel",
    "ComplaintClass",
    "Fee",
    "ImportIssue",
    "ParsedStandard",
    "parse_standard",
    "parse_standards",
    "split_services",
]

# The plain-list components; the complaint flow is read with the rest of the complaint section.
LIST_COMPONENTS = tuple(name for name in LIST_FIELDS if name != "complaint_flow")

# --- page header ----------------------------------------------------------------------------

_BREADCRUMB = re.compile(
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
    if _BREADCRUMB.match(text):
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


def _smart_title(text: str) -> str:
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
    return _smart_title(text.strip(" :.-"))


# --- the issue collector --------------------------------------------------------------------


@dataclass
class _Issues:
    source: str
    items: list[ImportIssue] = field(default_factory=list)
    _typos: set = field(default_factory=set)

    def add(self, code: str, component: str, message: str) -> None:
        issue = ImportIssue(code=code, component=component, message=message, source=self.source)
        if issue not in self.items:
            self.items.append(issue)

    def typo_reporter(self, component: str):
        def report(wrong: str, right: str) -> None:
            key = (component, wrong.casefold())
            if key not in self._typos:
                self._typos.add(key)
                self.add("typo_fixed", component, f"Corrected '{wrong}' to '{right}'.")

        return report


# --- the passes -----------------------------------------------------------------------------


@dataclass
class _Header:
    unit_name: str = ""
    lines: set[str] = field(default_factory=set)  # norm() of header lines
    raw: list[str] = field(default_factory=list)


def _first_heading(lines: list[str], loose: bool = False) -> int:
    for index, line in enumerate(lines):
        if match_heading(line, loose=loose):
            return index
    return len(lines)


# One pass over the preamble; each branch of the loop is one kind of line, tried in order of
# precedence, and that order is the rule: split up, it would no longer read as one.
def _read_preamble(preamble: list[str]) -> tuple[_Header, str]:  # noqa: C901
    """The page header and the title from the lines before the first heading.

    The title is, in this order: a markdown ``# Title``; a "Jenis Pelayanan : …" line; the block
    of lines after a "STANDAR PELAYANAN" line; the first block of at most 20 words that is
    neither page header nor decree number.
    """
    header = _Header()
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
                header.unit_name = _BREADCRUMB.match(text).group("unit")
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
    header.unit_name = _smart_title(squash(_header_unit_name(header)).strip(" .:"))
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


def _header_unit_name(header: _Header) -> str:
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
    return bool(_headless_time(text) or _headless_fee(text))


def _strip_repeated_headers(lines: list[str], header: _Header) -> tuple[list[str], list[str]]:
    """The lines without repeated page headers, and the header lines that were cut."""
    marks = []
    for line in lines:
        stripped = line.strip()
        if not stripped:
            marks.append("blank")
        elif _BREADCRUMB.match(stripped.lstrip("#").strip()):
            marks.append("breadcrumb")
        elif norm(stripped.lstrip("#")) in header.lines and not _is_marked(stripped):
            marks.append("known")
        elif _header_kind(stripped) and not _is_marked(stripped):
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


def _is_marked(line: str) -> bool:
    return bool(re.match(r"^\s*(?:[-*•]\s|\(?\d{1,2}[.)]|\(?[a-zA-Z][.)]\s)", line))


def _find_decree(lines: list[str]) -> tuple[int | None, str]:
    for index, line in enumerate(lines):
        cells = table_cells(line)
        text = " : ".join(c for c in cells if c) if cells else line.strip()
        match = _DECREE.match(text.lstrip("#").strip())
        if match:
            return index, match.group("value").strip(" :.")
    return None, ""


def _sections(lines: list[str], loose: bool = False) -> dict[str, list[str]]:
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


# --- components -----------------------------------------------------------------------------


def _list_component(items: list[Item], component: str, issues: _Issues) -> list[str]:
    report = issues.typo_reporter(component)
    first = items[0] if items else None
    if (
        first is not None
        and not first.marked
        and first.text.rstrip().endswith(":")
        and len(first.text.split()) <= 4
        and len(items) > 1
    ):
        items = items[1:]  # "Prosedur :" introducing the list
    values = [correct(tidy_item(item.text), report) for item in items]
    values = [v for v in values if v]
    keys = [norm(v) for v in values]
    half = len(keys) // 2
    if len(keys) >= 2 and len(keys) % 2 == 0 and keys[:half] == keys[half:]:
        issues.add(
            "duplicate_list",
            component,
            f"The list is given twice ({half} items, then the same {half} again); kept one copy.",
        )
        return values[:half]
    result, seen = [], set()
    for value, key in zip(values, keys, strict=True):
        if key in seen:
            issues.add("duplicate_list", component, f"Dropped a repeated item: '{value}'.")
            continue
        seen.add(key)
        result.append(value)
    return result


# Office hours under "Waktu Pelayanan" are not a completion time: "Senin-Kamis pukul 08:00 WIB".
_OFFICE_HOURS = re.compile(
    r"\bpukul\b|\d{1,2}[.:]\d{2}\s*(?:-|–|s\.?/?d\.?)?\s*(?:\d{1,2}[.:]\d{2})?\s*(?:wib|wita|wit)\b"
    r"|^(?:senin|selasa|rabu|kamis|jum.?at|sabtu|minggu)\s*(?:-|–|s\.?/?d\.?|sampai)",
    re.IGNORECASE,
)
_UNIT_WORDS = (
    r"menit|minutes?|jam|hours?|hari\s+kerja|hari\s+kalender|hari|days?|hk|minggu|pekan"
    r"|weeks?|bulan|months?"
)
# A duration inside a sentence: "… maksimal 15 menit", "Proses 1 Minggu", "1 x 24 jam",
# "3-5 menit", "Satu hari kerja dan dapat diperpanjang …".
_DURATION_IN_TEXT = re.compile(
    rf"(?<![\w.,])(?:(?:\d+|{ID_NUMBER_WORDS})\s*(?:-|–|s\.?/?d\.?|sampai(?:\s+dengan)?)\s*)?"
    rf"(?:\d+|{ID_NUMBER_WORDS})\s*(?:\([^)]{{1,30}}\)\s*)?(?:x\s*24\s*jam\b|(?:{_UNIT_WORDS})\b)",
    re.IGNORECASE,
)
# Two labelled times on one line: "Pendaftaran anggota : 10 Menit Layanan silang : 10 Menit".
_SECOND_LABEL = re.compile(
    r"(?:(?<=menit)|(?<=jam)|(?<=kerja)|(?<=kalender)|(?<=hari))\s+(?=[A-Z][\w/ ]{2,40}?\s*:)",
    re.IGNORECASE,
)


def find_duration(text: str) -> Duration | None:
    """The first fixed duration stated anywhere in ``text`` (a sentence, a stage), keeping the
    whole text and its label; None when there is none."""
    duration = parse_duration(text)
    if duration.is_fixed():
        return duration
    body = text.split(":", 1)[1] if duration.label else text
    match = _DURATION_IN_TEXT.search(body)
    if not match:
        return None
    found = parse_duration(match.group(0))
    if not found.is_fixed():
        return None
    return dataclasses.replace(found, text=duration.text, label=duration.label)


def _completion_times(items: list[Item], issues: _Issues) -> tuple[list[Duration], str]:
    report = issues.typo_reporter("completion_times")
    durations: list[Duration] = []
    notes: list[str] = []
    texts: list[str] = []
    for item in items:
        whole = correct(squash(item.text).rstrip(" ;,"), report)
        if not whole:
            continue
        if _OFFICE_HOURS.search(whole) and not _DURATION_IN_TEXT.search(
            _OFFICE_HOURS.sub(" ", whole)
        ):
            notes.append(whole)  # opening hours, not a time to complete the service
            continue
        texts.extend(t.strip(" ;,") for t in _SECOND_LABEL.split(whole) if t.strip(" ;,"))
    # A time inside a sentence ("Proses 1 Minggu", "… maksimal 15 menit") counts only when the
    # section states none plainly; otherwise the sentence repeats the headline figure.
    plain = any(parse_duration(text).is_fixed() for text in texts)
    for text in texts:
        duration = parse_duration(text)
        if not duration.is_fixed() and not plain:
            duration = find_duration(text) or duration
        if duration.is_fixed() or duration.label or len(text.split()) <= 6:
            durations.append(duration)
        else:
            notes.append(text)
    labelled = {(d.value, d.unit) for d in durations if d.label and d.is_fixed()}
    kept = [
        d for d in durations if d.label or not d.is_fixed() or (d.value, d.unit) not in labelled
    ]
    if not any(d.is_fixed() or d.label for d in kept) and len(kept) > 1:
        # Stages listed without any time ("1. Wajib Pajak 2. Informasi …"): one descriptive
        # statement, not one duration per stage.
        kept = [parse_duration("; ".join(d.text for d in kept))]
    for duration in kept:
        if duration.ambiguous:
            issues.add(
                "ambiguous_duration",
                "completion_times",
                f"'{duration.text}' does not say working or calendar days; read as "
                f"{duration.value} {duration.unit.replace('_', ' ')}.",
            )
    return kept, "\n".join(notes)


_FREE = re.compile(
    r"\bgratis\b|tidak\s+(?:di\s*pungut|dikenakan|ada|dikenai)\s+(?:biaya|tarif|retribusi|pungutan)"
    r"|tanpa\s+(?:biaya|dipungut)|bebas\s+biaya|\bfree\b|\bnihil\b|^rp\.?\s*0+(?:[,.]-?|,00)?$|^-$"
    r"|^0$|tidak\s+berbayar",
    re.IGNORECASE,
)
_AMOUNT = re.compile(
    r"\brp\.?\s*(?P<amount>\d{1,3}(?:[.,]\d{3})+(?![\d])|\d+)(?:[.,](?:00|-)|\.-)?",
    re.IGNORECASE,
)


_AMOUNT_LABEL = re.compile(r"^(?P<label>.*?)[\s:=-]*\brp(?![a-z])", re.IGNORECASE)
# Items of a fee list run together on one line: "a. Tidak dipungut biaya; b. Denda …".
_INLINE_LETTER = re.compile(r"[;,]\s*(?=[a-z][.)]\s)")
_LETTER_MARK = re.compile(r"^[a-z][.)]\s+")


def parse_fee(text: str) -> Fee | None:
    """One fee line; None when it states neither "free" nor an amount.

    Amounts in any of the usual spellings: "Rp 50.000", "Rp. 1.500.000,-", "Rp50,000",
    "Rp 350.000,00", "Rp. 0,-" (free). The label says what the fee is for: the text before a
    colon, else the words before "Rp" ("Paspor biasa Rp. 350.000,-" → "Paspor biasa").
    """
    text = squash(text).rstrip(" ;")
    label = ""
    body = text
    if ":" in text:
        head, tail = (part.strip() for part in text.split(":", 1))
        if tail and (_FREE.search(tail) or _AMOUNT.search(tail)):
            label, body = head, tail
    if _FREE.search(body):
        return Fee(free=True, amount_idr=None, label=label, text=text)
    match = _AMOUNT.search(body)
    if match:
        if not label:
            before = _AMOUNT_LABEL.match(body)
            label = before.group("label").strip(" -–:") if before else ""
        amount = int(re.sub(r"\D", "", match.group("amount")))
        if amount == 0:
            return Fee(free=True, amount_idr=None, label=label, text=text)
        return Fee(free=False, amount_idr=amount, label=label, text=text)
    return None


def _fees(items: list[Item], issues: _Issues) -> tuple[list[Fee], str]:
    report = issues.typo_reporter("fees")
    fees: list[Fee] = []
    notes: list[str] = []
    continuing = False  # the last note may go on in the next unmarked line
    for item in items:
        whole = correct(squash(item.text), report)
        for index, text in enumerate(_INLINE_LETTER.split(whole)):
            text = _LETTER_MARK.sub("", text).strip() if index else text
            if not text or text in {"-", "–"}:
                continue
            fee = parse_fee(text)
            if fee is None:
                note = text.rstrip(" ;,")
                if continuing and not item.marked and not index:
                    notes[-1] = f"{notes[-1]} {note}"
                else:
                    notes.append(note)
                continuing = not note.endswith(".")
                continue
            continuing = False
            fees.append(fee)
            if len(_AMOUNT.findall(text)) > 1:
                issues.add(
                    "ambiguous_fee",
                    "fees",
                    f"'{text}' names several amounts; only the first was kept as the amount.",
                )
    return fees, "\n".join(notes)


_PEOPLE = r"(?:orang|org|pegawai|petugas|personil|personel|pelaksana|staf|staff|people|persons?)"
_COUNT = re.compile(
    rf"(?P<num>\d+)\s*(?:\([^)]*\))?\s*{_PEOPLE}\b|(?P<words>{ID_NUMBER_WORDS})\s+{_PEOPLE}\b",
    re.IGNORECASE,
)


def _staffing(items: list[Item]) -> tuple[int | None, str]:
    texts = [tidy_item(item.text) for item in items]
    texts = [t for t in texts if t]
    counts = []
    for text in texts:
        match = _COUNT.search(text)
        if match:
            value = (
                int(match.group("num"))
                if match.group("num")
                else parse_number_words(match.group("words"))
            )
            if value is not None:
                counts.append(value)
        elif re.fullmatch(r"\d+", text):
            counts.append(int(text))
    text = "; ".join(texts)
    if not counts:
        return None, text
    if len(counts) == 1 or counts[0] == sum(counts[1:]):
        return counts[0], text
    return sum(counts), text


_NUMBER_OR_WORDS = rf"(?:\d+|{ID_NUMBER_WORDS})"
_PERIOD_MONTHS = {
    "bulan": Fraction(1),
    "bln": Fraction(1),
    "minggu": Fraction(12, 52),
    "pekan": Fraction(12, 52),
    "tahun": Fraction(12),
    "thn": Fraction(12),
    "semester": Fraction(6),
    "triwulan": Fraction(3),
    "month": Fraction(1),
    "year": Fraction(12),
    "week": Fraction(12, 52),
}
_PERIOD = r"(?P<period>bulan|bln|minggu|pekan|tahun|thn|semester|triwulan|month|year|week)"
_FREQUENCY = re.compile(
    rf"(?P<n>{_NUMBER_OR_WORDS})\s*(?:\([^)]*\))?\s*(?:kali|x|times)\s*"
    r"(?:(?:dalam|per|setiap|tiap|dlm|in|a|/)\s*)?"
    rf"(?:(?P<m>{_NUMBER_OR_WORDS})\s*(?:\([^)]*\))?\s*|se)?{_PERIOD}",
    re.IGNORECASE,
)
_EVERY = re.compile(
    rf"(?:setiap|tiap|per|sekali\s+(?:dalam\s+)?(?:se)?|every)\s*"
    rf"(?:(?P<m>{_NUMBER_OR_WORDS})\s*(?:\([^)]*\))?\s*)?{_PERIOD}"
    rf"|\bse(?P<period2>bulan|tahun|minggu)\s+sekali",
    re.IGNORECASE,
)


def _number(text: str | None) -> int | None:
    if not text:
        return None
    return int(text) if text.isdigit() else parse_number_words(text)


def per_month(text: str) -> Fraction | None:
    """How many times per month a line says something happens, or None."""
    match = _FREQUENCY.search(text)
    if match:
        n, m = _number(match.group("n")), _number(match.group("m")) or 1
        if n is None or m == 0:
            return None
        return Fraction(n) / (m * _PERIOD_MONTHS[match.group("period").lower()])
    match = _EVERY.search(text)
    if match:
        period = (match.group("period") or match.group("period2")).lower()
        m = _number(match.group("m")) or 1
        return Fraction(1) / (m * _PERIOD_MONTHS[period])
    return None


def _whole(value: Fraction | None) -> int | None:
    if value is None or value < 1:
        return None
    return round(value)


def _evaluation_cadence(values: list[str]) -> tuple[int | None, int | None]:
    meetings = surveys = None
    for value in values:
        lowered = value.lower()
        rate = per_month(value)
        if rate is None:
            continue
        if re.search(r"surv[ea]i|survey|\bskm\b|\bikm\b|kepuasan", lowered):
            if surveys is None:
                surveys = _whole(rate * 12)
        elif re.search(r"rapat|pertemuan|meeting|evaluasi", lowered) and meetings is None:
            meetings = _whole(rate)
    return meetings, surveys


# --- unit hints -----------------------------------------------------------------------------


def _unit_hints(header_lines: list[str], lines: list[str], issues: _Issues) -> list[str]:
    hints: list[str] = []
    report = issues.typo_reporter("unit")

    def add(value: str) -> None:
        if value and value not in hints:
            hints.append(value)

    for text, reporter in (("\n".join(header_lines), report), ("\n".join(lines), None)):
        text = correct(text, reporter)
        for email in find_emails(text):
            add(email)
        for phone in find_phones(text):
            add(phone)
        for url in find_urls(text):
            key = site_key(url)
            if not any(key == site or key.endswith("." + site) for site in NATIONAL_SITES):
                add(key)
    return hints


# --- pages that lost their labels -------------------------------------------------------------

_TIME_START = re.compile(
    rf"^(?:\d+|{ID_NUMBER_WORDS})\b|^(?:waktu|jangka\s+waktu|paling\s+lama|paling\s+lambat"
    r"|maksimal|maksimum|selambat)",
    re.IGNORECASE,
)
_FEE_START = re.compile(r"^(?:tarif|biaya|retribusi)(?=\s|[A-Z]|$)|\brp\.?\s*\d", re.IGNORECASE)


def _headless_time(text: str) -> Duration | None:
    text = re.split(r"(?<=[.;])\s+", squash(text))[0]  # the first sentence
    if not text or len(text.split()) > 40 or not _TIME_START.match(text):
        return None
    if _is_marked(text):
        return None
    return find_duration(text)


def _headless_fee(text: str) -> str | None:
    text = squash(text)
    if not text or _is_marked(text) or len(text.split()) > 30:
        return None
    free = _FREE.search(text) and text not in {"-", "0"} and len(text.split()) <= 6
    if free or _FEE_START.search(text):
        return re.sub(r"^(tarif|biaya|retribusi)(?=[A-Z])", r"\1 ", text, flags=re.IGNORECASE)
    return None


def _headless_values(lines: list[str], issues: _Issues) -> tuple[list[str], list[str]]:
    """A page whose component labels were lost (SIPPN, the national registry, shows values
    under icons): the first line that states a time and the first that states a fee."""
    time_lines: list[str] = []
    fee_lines: list[str] = []
    for line in lines:
        text = line.strip()
        if not time_lines and _headless_time(text):
            time_lines.append(text)
        elif not fee_lines and _headless_fee(text):
            fee_lines.append(_headless_fee(text))
    if time_lines or fee_lines:
        issues.add(
            "unlabelled",
            "document",
            "The document names no components; its time and fee were taken from lines that "
            "state them. Check them.",
        )
    return time_lines, fee_lines


# --- entry point ----------------------------------------------------------------------------


def parse_standard(text: str, *, source_name: str = "") -> ParsedStandard:
    """Parse one document's text (see the module documentation)."""
    issues = _Issues(source=source_name)
    lines = [unglue_row(line) for line in clean_lines(text or "")]
    loose = any(is_flat_table_header(line) for line in lines)
    start = _first_heading(lines, loose)
    header, title = _read_preamble(lines[:start])
    body, cut = _strip_repeated_headers(lines[start:], header)
    if not header.unit_name and cut:
        for line in cut:
            match = _BREADCRUMB.match(line)
            if match:
                header.unit_name = _smart_title(squash(match.group("unit")))
                break
    header_lines = header.raw + cut

    body, decree = _read_decree(lines[:start], body, issues)

    parsed = ParsedStandard(source_name=source_name)
    parsed.unit_name = correct(header.unit_name, issues.typo_reporter("unit"))
    parsed.unit_hints = _unit_hints(header_lines, body, issues)
    parsed.service_name = correct(title, issues.typo_reporter("service_name"))
    if not parsed.service_name:
        issues.add("missing", "service_name", "No service name (title) found.")
    parsed.decree_number = squash(decree)

    sections = _sections(body, loose)
    if not sections:
        time_lines, fee_lines = _headless_values(lines, issues)
        if time_lines:
            sections["completion_times"] = time_lines
        if fee_lines:
            sections["fees"] = fee_lines
    _read_components(parsed, sections, issues)
    parsed.meetings_per_month, parsed.surveys_per_year = _evaluation_cadence(parsed.evaluation)
    parsed.issues = issues.items
    return parsed


def _read_decree(preamble: list[str], body: list[str], issues: _Issues) -> tuple[list[str], str]:
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


def _read_components(
    parsed: ParsedStandard, sections: dict[str, list[str]], issues: _Issues
) -> None:
    """Fill ``parsed``'s components from the sections found."""
    for key in LIST_COMPONENTS:
        if key in sections:
            setattr(parsed, key, _list_component(split_items(sections[key]), key, issues))
    if "completion_times" in sections:
        parsed.completion_times, parsed.completion_note = _completion_times(
            split_items(sections["completion_times"]), issues
        )
    if "fees" in sections:
        parsed.fees, parsed.fee_note = _fees(split_items(sections["fees"]), issues)
    if "staffing" in sections:
        parsed.staff_count, parsed.staff_text = _staffing(split_items(sections["staffing"]))
    if "complaint_handling" in sections:
        report = issues.typo_reporter("complaint_handling")
        items = split_items(sections["complaint_handling"])
        for item in items:
            item.text = correct(item.text, report)
        complaints = parse_complaints(items, issues.add)
        parsed.complaint_channels = complaints.channels
        parsed.complaint_flow = complaints.flow
        parsed.complaint_classes = complaints.classes


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


def parse_standards(text: str, *, source_name: str = "") -> list[ParsedStandard]:
    """Every service standard in one document (see :func:`split_services`): one
    :class:`ParsedStandard` per service, each reporting its own gaps."""
    parts = split_services(text)
    if not parts:
        return [parse_standard(text, source_name=source_name)]
    return [parse_standard(part, source_name=source_name) for _title, part in parts]
