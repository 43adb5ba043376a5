"""Reading the values of the components (pass 5 of :mod:`.parser`): list items, completion
times, fees, the number of staff, the evaluation cadence, and the time and fee of a page that
lost its component labels. Each reader takes the section's items and reports what it cannot
place to the :class:`.results.Issues` collector.
"""

from __future__ import annotations

import dataclasses
import re
from fractions import Fraction

from layanan.workdays.durations import ID_NUMBER_WORDS, Duration, parse_duration, parse_number_words

from .results import Fee, Issues
from .text import Item, correct, is_marked, norm, squash, tidy_item

# --- components -----------------------------------------------------------------------------


def read_list(items: list[Item], component: str, issues: Issues) -> list[str]:
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


def read_completion_times(items: list[Item], issues: Issues) -> tuple[list[Duration], str]:
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


def read_fees(items: list[Item], issues: Issues) -> tuple[list[Fee], str]:
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


def read_staffing(items: list[Item]) -> tuple[int | None, str]:
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


def evaluation_cadence(values: list[str]) -> tuple[int | None, int | None]:
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


# --- pages that lost their labels -------------------------------------------------------------

_TIME_START = re.compile(
    rf"^(?:\d+|{ID_NUMBER_WORDS})\b|^(?:waktu|jangka\s+waktu|paling\s+lama|paling\s+lambat"
    r"|maksimal|maksimum|selambat)",
    re.IGNORECASE,
)
_FEE_START = re.compile(r"^(?:tarif|biaya|retribusi)(?=\s|[A-Z]|$)|\brp\.?\s*\d", re.IGNORECASE)


def headless_time(text: str) -> Duration | None:
    text = re.split(r"(?<=[.;])\s+", squash(text))[0]  # the first sentence
    if not text or len(text.split()) > 40 or not _TIME_START.match(text):
        return None
    if is_marked(text):
        return None
    return find_duration(text)


def headless_fee(text: str) -> str | None:
    text = squash(text)
    if not text or is_marked(text) or len(text.split()) > 30:
        return None
    free = _FREE.search(text) and text not in {"-", "0"} and len(text.split()) <= 6
    if free or _FEE_START.search(text):
        return re.sub(r"^(tarif|biaya|retribusi)(?=[A-Z])", r"\1 ", text, flags=re.IGNORECASE)
    return None


def headless_values(lines: list[str], issues: Issues) -> tuple[list[str], list[str]]:
    """A page whose component labels were lost (SIPPN, the national registry, shows values
    under icons): the first line that states a time and the first that states a fee."""
    time_lines: list[str] = []
    fee_lines: list[str] = []
    for line in lines:
        text = line.strip()
        if not time_lines and headless_time(text):
            time_lines.append(text)
        elif not fee_lines and headless_fee(text):
            fee_lines.append(headless_fee(text))
    if time_lines or fee_lines:
        issues.add(
            "unlabelled",
            "document",
            "The document names no components; its time and fee were taken from lines that "
            "state them. Check them.",
        )
    return time_lines, fee_lines
