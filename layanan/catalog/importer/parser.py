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
  in one document (:func:`.layout.split_services`, used by :func:`parse_standards`); flattened
  "No Komponen Uraian" tables whose rows start with the component (``match_heading(loose=True)``
  in :mod:`.headings`); pages without labels (:func:`.values.headless_values`); times inside
  sentences (:func:`.values.find_duration`, used only when a section states no time plainly);
  office hours kept out of the times; fee lists with labels in every rupiah spelling
  (:func:`.values.parse_fee`).
- Nothing raises on odd input: what cannot be placed is reported as an :class:`ImportIssue`.

Where the passes live: this module is the entry point (:func:`parse_standard`,
:func:`parse_standards`) and runs them in order; :mod:`.text` cleans lines (pass 1) and splits
list items, :mod:`.layout` finds where things stand (passes 2 to 4: preamble, repeated headers,
sections, the decree, several services in one document), :mod:`.values` reads the components
(pass 5), :mod:`.complaints` the complaint section. ``split_services`` and ``parse_fee`` are
importable from here as before.
"""

from __future__ import annotations

from layanan.catalog.components import LIST_FIELDS

from .complaints import parse_complaints
from .headings import is_flat_table_header, unglue_row
from .layout import (
    BREADCRUMB,
    find_sections,
    first_heading,
    read_decree,
    read_preamble,
    smart_title,
    split_services,
    strip_repeated_headers,
)
from .results import (
    COMPONENT_KEYS,
    COMPONENTS,
    Channel,
    ComplaintClass,
    Fee,
    ImportIssue,
    Issues,
    ParsedStandard,
)
from .text import (
    NATIONAL_SITES,
    clean_lines,
    correct,
    find_emails,
    find_phones,
    find_urls,
    site_key,
    split_items,
    squash,
)
from .values import (
    evaluation_cadence,
    headless_values,
    parse_fee,
    read_completion_times,
    read_fees,
    read_list,
    read_staffing,
)

__all__ = [
    "COMPONENTS",
    "COMPONENT_KEYS",
    "Channel",
    "ComplaintClass",
    "Fee",
    "ImportIssue",
    "ParsedStandard",
    "parse_fee",
    "parse_standard",
    "parse_standards",
    "split_services",
]

# The plain-list components; the complaint flow is read with the rest of the complaint section.
LIST_COMPONENTS = tuple(name for name in LIST_FIELDS if name != "complaint_flow")

# --- unit hints -----------------------------------------------------------------------------


def _unit_hints(header_lines: list[str], lines: list[str], issues: Issues) -> list[str]:
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


# --- entry point ----------------------------------------------------------------------------


def parse_standard(text: str, *, source_name: str = "") -> ParsedStandard:
    """Parse one document's text (see the module documentation)."""
    issues = Issues(source=source_name)
    lines = [unglue_row(line) for line in clean_lines(text or "")]
    loose = any(is_flat_table_header(line) for line in lines)
    start = first_heading(lines, loose)
    header, title = read_preamble(lines[:start])
    body, cut = strip_repeated_headers(lines[start:], header)
    if not header.unit_name and cut:
        for line in cut:
            match = BREADCRUMB.match(line)
            if match:
                header.unit_name = smart_title(squash(match.group("unit")))
                break
    header_lines = header.raw + cut

    body, decree = read_decree(lines[:start], body, issues)

    parsed = ParsedStandard(source_name=source_name)
    parsed.unit_name = correct(header.unit_name, issues.typo_reporter("unit"))
    parsed.unit_hints = _unit_hints(header_lines, body, issues)
    parsed.service_name = correct(title, issues.typo_reporter("service_name"))
    if not parsed.service_name:
        issues.add("missing", "service_name", "No service name (title) found.")
    parsed.decree_number = squash(decree)

    sections = find_sections(body, loose)
    if not sections:
        time_lines, fee_lines = headless_values(lines, issues)
        if time_lines:
            sections["completion_times"] = time_lines
        if fee_lines:
            sections["fees"] = fee_lines
    _read_components(parsed, sections, issues)
    parsed.meetings_per_month, parsed.surveys_per_year = evaluation_cadence(parsed.evaluation)
    parsed.issues = issues.items
    return parsed


def _read_components(
    parsed: ParsedStandard, sections: dict[str, list[str]], issues: Issues
) -> None:
    """Fill ``parsed``'s components from the sections found."""
    for key in LIST_COMPONENTS:
        if key in sections:
            setattr(parsed, key, read_list(split_items(sections[key]), key, issues))
    if "completion_times" in sections:
        parsed.completion_times, parsed.completion_note = read_completion_times(
            split_items(sections["completion_times"]), issues
        )
    if "fees" in sections:
        parsed.fees, parsed.fee_note = read_fees(split_items(sections["fees"]), issues)
    if "staffing" in sections:
        parsed.staff_count, parsed.staff_text = read_staffing(split_items(sections["staffing"]))
    if "complaint_handling" in sections:
        report = issues.typo_reporter("complaint_handling")
        items = split_items(sections["complaint_handling"])
        for item in items:
            item.text = correct(item.text, report)
        complaints = parse_complaints(items, issues.add)
        parsed.complaint_channels = complaints.channels
        parsed.complaint_flow = complaints.flow
        parsed.complaint_classes = complaints.classes


def parse_standards(text: str, *, source_name: str = "") -> list[ParsedStandard]:
    """Every service standard in one document (see :func:`split_services`): one
    :class:`ParsedStandard` per service, each reporting its own gaps."""
    parts = split_services(text)
    if not parts:
        return [parse_standard(text, source_name=source_name)]
    return [parse_standard(part, source_name=source_name) for _title, part in parts]
