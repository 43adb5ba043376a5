"""The complaint component: channels, handling flow and complaint classes with deadlines.

Standards write it as up to three sub-sections, usually lettered:

    a. Pengaduan dapat dilakukan melalui :   → channels ("1) Tatap Muka …", "3) WA : 0858…")
    b. Alur Penanganan Pengaduan :            → flow steps
    c. Jangka Waktu Penyelesaian Pengaduan :  → classes ("1) Pengaduan ringan, … 3 Jam")

with items one per line or run together on one line. Without sub-headings the items are sorted
by what they look like (a class has a deadline, a channel a known channel word).

Broken structure is reported as ``garbled_section`` and what is clear is kept:

- a channel list whose numbering restarts at 1 in the middle ("7) Online melalui website
  1) Pengguna Layanan Menyampaikan …") has run into the flow (its heading lost): the rest is
  read as flow steps;
- gaps in the numbering of flow steps or classes (1, 4 / 1, 2, unnumbered) mean lost items;
- the usual four classes (ringan, normatif, tidak berkadar pengawasan, berkadar pengawasan) with
  one in the middle missing.

Lines in the classes sub-section that are no class are reported as ``ignored_text`` (one such
line in the Biro Perekonomian seed repeats the flow steps run together).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.text import slugify

from layanan.workdays.durations import DurationParseError, parse_duration

from .results import Channel, ComplaintClass
from .text import Item, find_emails, find_phones, find_urls, norm, squash, tidy_item

CHANNELS, FLOW, CLASSES = "complaint_channels", "complaint_flow", "complaint_classes"

_SUBSECTION_LABELS = [
    (
        CHANNELS,
        re.compile(
            r"(?:dapat|bisa)\s+(?:dilakukan|disampaikan|diajukan)|\bmelalui\b|\bsaluran\b"
            r"|sarana\s+pengaduan|media\s+pengaduan|channels?",
            re.IGNORECASE,
        ),
    ),
    (
        FLOW,
        re.compile(
            r"\balur\b|\bmekanisme\b|\bprosedur\b|tata\s+cara|\bflow\b|\btahapan\b", re.IGNORECASE
        ),
    ),
    (
        CLASSES,
        re.compile(
            r"jangka\s+waktu|waktu\s+penyelesaian|klasifikasi|kategori|batas\s+waktu|\bkelas\b",
            re.IGNORECASE,
        ),
    ),
]

_CHANNEL_KINDS = [
    ("lapor", re.compile(r"lapor|sp4n", re.IGNORECASE)),
    ("email", re.compile(r"\be-?mail\b|\bsurel\b|@", re.IGNORECASE)),
    ("whatsapp", re.compile(r"\bwa\b|whats\s*app", re.IGNORECASE)),
    ("fax", re.compile(r"\bfax|\bfaks|faksimil|facsimile|faximile", re.IGNORECASE)),
    ("phone", re.compile(r"telepon|telpon|\btelp\b|\btlp\b|phone|call\s*cent|hotline", re.I)),
    ("complaint_box", re.compile(r"kotak\s+(?:pengaduan|saran|aduan)|complaint\s+box", re.I)),
    (
        "face_to_face",
        re.compile(r"tatap\s+muka|\blangsung\b|\bdatang\b|\bloket\b|face\s+to\s+face", re.I),
    ),
    ("website", re.compile(r"website|\bsitus\b|\blaman\b|\bonline\b|www\.|https?://", re.I)),
]

_CLASS_CODES = [
    ("tidak_berkadar_pengawasan", re.compile(r"tidak\s+berkadar\s+pengawasan", re.I)),
    ("berkadar_pengawasan", re.compile(r"berkadar\s+pengawasan", re.I)),
    ("normatif", re.compile(r"normatif", re.I)),
    ("ringan", re.compile(r"\bringan\b", re.I)),
]
CANONICAL_CLASSES = ["ringan", "normatif", "tidak_berkadar_pengawasan", "berkadar_pengawasan"]
_CLASS_NAMES = {
    "ringan": "pengaduan ringan",
    "normatif": "pengaduan bersifat normatif",
    "tidak_berkadar_pengawasan": "pengaduan tidak berkadar pengawasan",
    "berkadar_pengawasan": "pengaduan berkadar pengawasan",
}
_DURATION_START = re.compile(
    r"(?:selambat[\s-]*lambatnya|paling\s+(?:lama|lambat)|maksimal|maksimum|dalam\s+waktu"
    r"|(?<![\w/])\d)",
    re.IGNORECASE,
)

Report = Callable[[str, str, str], None]  # (code, component, message)


@dataclass
class ComplaintSection:
    channels: list[Channel] = field(default_factory=list)
    flow: list[str] = field(default_factory=list)
    classes: list[ComplaintClass] = field(default_factory=list)


def _label_kind(item: Item) -> str | None:
    """The sub-section an item introduces, if it is a sub-heading ("b. Alur …:")."""
    text = item.text.strip()
    if item.inline or item.kind == "num":
        return None
    words = len(text.split())
    if not (text.endswith(":") or (item.kind == "letter" and words <= 8)):
        return None
    if words > 12:
        return None
    for kind, pattern in _SUBSECTION_LABELS:
        if pattern.search(text):
            return kind
    return None


def channel_kind(text: str) -> str | None:
    for kind, pattern in _CHANNEL_KINDS:
        if pattern.search(text):
            return kind
    return None


def parse_channel(text: str) -> Channel:
    """One channel line: "WA : 0858…", "Email : x@y.go.id", "Online melalui SP4N-LAPOR! (…)"."""
    text = tidy_item(text)
    kind = channel_kind(text) or "other"
    label, value = text, ""
    if ":" in text and not re.match(r"^https?:", text.split(":", 1)[1].strip()):
        head, tail = (part.strip() for part in text.split(":", 1))
        if head and tail:
            label, value = head, tail
    if kind == "email":
        emails = find_emails(text)
        value = emails[0] if emails else value
    elif kind in {"lapor", "website"}:
        urls = find_urls(text)
        value = urls[0] if urls else ("" if value == "" else value)
        label = squash(re.sub(r"\(\s*[^()]*\.[a-z]{2,}[^()]*\)", "", label)) or label
    elif kind in {"phone", "fax", "whatsapp"}:
        phones = find_phones(text)
        value = phones[0] if phones else value
        value = re.sub(r"(?i)\s*\b(?:ext|ekst)\b\.?\s*", " ext. ", value).strip()
    return Channel(kind=kind, label=label, value=squash(value))


def class_code(name: str) -> str:
    for code, pattern in _CLASS_CODES:
        if pattern.search(name):
            return code
    name = re.sub(r"^(?:pengaduan|aduan|kelas|kategori)\s+", "", name, flags=re.IGNORECASE)
    return slugify(name).replace("-", "_")[:60]


def parse_class(text: str) -> ComplaintClass | None:
    """A class line: "Pengaduan ringan, selambat-lambatnya 3 Jam" → "ringan", 3 hours; None when the
    line has no fixed deadline."""
    text = tidy_item(text)
    for match in _DURATION_START.finditer(text):
        if match.start() == 0:
            continue
        name = text[: match.start()].strip(" ,:;-–")
        try:
            duration = parse_duration(text[match.start() :])
        except DurationParseError:
            continue
        if duration.is_fixed() and name:
            return ComplaintClass(code=class_code(name), name=name, duration=duration)
    if ":" in text:
        name, rest = (part.strip() for part in text.split(":", 1))
        duration = parse_duration(rest) if rest else None
        if duration is not None and duration.is_fixed() and name:
            return ComplaintClass(code=class_code(name), name=name, duration=duration)
    return None


def _gaps(numbers: list[int | None]) -> list[int]:
    """Numbers missing from a numbered run (1, 4 → [2, 3])."""
    present = [n for n in numbers if n is not None]
    if not present:
        return []
    return [n for n in range(1, max(present) + 1) if n not in present]


def parse_complaints(items: list[Item], report: Report) -> ComplaintSection:
    section = ComplaintSection()
    garbled: list[str] = []
    channel_items, flow_items, class_items = _sort_items(items, garbled)
    section.channels = [
        parse_channel(item.text) for item in channel_items if item.text.strip(" :;,.")
    ]
    section.flow = _read_flow(flow_items, garbled)
    section.classes = _read_classes(class_items, section.flow, report, garbled)
    if garbled:
        report("garbled_section", "complaint_handling", _sentence("; ".join(garbled)))
    if not section.channels:
        report("missing", CHANNELS, "The complaint section names no complaint channel.")
    if not section.flow:
        report(
            "missing",
            FLOW,
            "The complaint handling flow (Alur Penanganan Pengaduan) is empty.",
        )
    if not section.classes:
        report("missing", CLASSES, "The complaint section gives no complaint class deadlines.")
    return section


def _sort_items(items: list[Item], garbled: list[str]) -> tuple[list[Item], list[Item], list[Item]]:
    """The section's items as (channels, flow steps, classes): by the sub-heading above them,
    else by what they look like."""
    current: str | None = None
    sorted_items: dict[str, list[Item]] = {CHANNELS: [], FLOW: [], CLASSES: []}
    for item in items:
        label = _label_kind(item)
        if label:
            current = label
            continue
        if current == CHANNELS and item.restart:
            garbled.append(
                "the channel list runs into the complaint flow (the numbering restarts at 1 and "
                "the 'Alur Penanganan Pengaduan' heading is lost); the rest is read as flow steps"
            )
            current = FLOW
        target = current
        if target is None:
            # No sub-heading yet: sort by what the item looks like.
            if parse_class(item.text):
                target = CLASSES
            elif channel_kind(item.text):
                target = CHANNELS
            else:
                target = FLOW
        sorted_items[target].append(item)
    return sorted_items[CHANNELS], sorted_items[FLOW], sorted_items[CLASSES]


def _read_flow(flow_items: list[Item], garbled: list[str]) -> list[str]:
    """The flow steps' text; a jump in their numbering is noted in ``garbled``."""
    flow_numbers = [item.number for item in flow_items if item.kind == "num"]
    missing_steps = _gaps(flow_numbers)
    if missing_steps and flow_numbers and len(flow_numbers) == len(flow_items):
        garbled.append(
            "complaint flow steps "
            + ", ".join(str(n) for n in missing_steps)
            + " are missing (the numbering jumps)"
        )
    return [tidy_item(item.text) for item in flow_items if tidy_item(item.text)]


def _read_classes(
    class_items: list[Item], flow: list[str], report: Report, garbled: list[str]
) -> list[ComplaintClass]:
    """The complaint classes with a fixed deadline; other lines are reported as ignored, and
    gaps in the list (numbers, or a canonical class between two others) noted in ``garbled``."""
    classes: list[ComplaintClass] = []
    numbered = [item for item in class_items if item.kind == "num"]
    unnumbered_after = [
        item
        for item in class_items
        if not item.marked and numbered and class_items.index(item) > class_items.index(numbered[0])
    ]
    for item in class_items:
        parsed = parse_class(item.text)
        if parsed is None:
            if item.text.strip(" :;,."):
                report("ignored_text", "complaint_handling", _describe_ignored(item.text, flow))
            continue
        if parsed.duration.ambiguous:
            report(
                "ambiguous_duration",
                "complaint_classes",
                f"Complaint class '{parsed.name}': '{parsed.duration.text}' gives no kind of day; "
                f"read as {parsed.duration.value} working days.",
            )
        classes.append(parsed)
    class_numbers = [item.number for item in numbered]
    missing_classes = _gaps(class_numbers)
    if missing_classes:
        garbled.append(
            "complaint classes " + ", ".join(str(n) for n in missing_classes) + " are missing"
        )
    if unnumbered_after:
        last = max(n for n in class_numbers if n is not None)
        garbled.append(f"the complaint class list loses its numbering after item {last}")
    holes = _canonical_holes([c.code for c in classes])
    if holes:
        garbled.append(
            "complaint class "
            + ", ".join(f"'{_CLASS_NAMES[h]}'" for h in holes)
            + " is missing between the others"
        )
    return classes


def _canonical_holes(codes: list[str]) -> list[str]:
    """Canonical classes missing between the first and the last of ``codes`` (none when a code
    is not canonical: then the document has its own classes)."""
    if not codes or not set(codes) <= set(CANONICAL_CLASSES):
        return []
    positions = [CANONICAL_CLASSES.index(code) for code in codes]
    return [
        CANONICAL_CLASSES[i]
        for i in range(min(positions), max(positions) + 1)
        if CANONICAL_CLASSES[i] not in codes
    ]


def _describe_ignored(text: str, flow: list[str]) -> str:
    text = squash(text)
    short = text if len(text) <= 80 else text[:77] + "…"
    words = set(norm(text).split())
    flow_words = set(norm(" ".join(flow)).split())
    if flow_words and len(words - flow_words) <= max(2, len(words) // 5):
        return f"Ignored a line that repeats the complaint flow steps run together: '{short}'."
    return f"Ignored a line in the complaint classes that has no deadline: '{short}'."


def _sentence(text: str) -> str:
    text = text.strip()
    return (text[:1].upper() + text[1:]).rstrip(".") + "."


__all__ = [
    "CANONICAL_CLASSES",
    "ComplaintSection",
    "channel_kind",
    "class_code",
    "parse_channel",
    "parse_class",
    "parse_complaints",
]
