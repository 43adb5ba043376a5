"""Durations as service standards write them, read into a value and a unit.

A *Standar Pelayanan* gives its completion time and its complaint deadlines in free Indonesian
text. :func:`parse_duration` turns one such text into a :class:`Duration`::

    >>> duration = parse_duration("selambat-lambatnya 5 (lima) hari kerja.")
    >>> (duration.value, duration.unit, duration.text)
    (5, 'working_days', 'selambat-lambatnya 5 (lima) hari kerja.')
    >>> parse_duration("Administrasi : 15 Menit").label
    'Administrasi'
    >>> parse_duration("Sesuai materi konsultasi").is_fixed()
    False

What is understood (case-insensitive, any amount of white space):

- an optional label before a colon: ``"Administrasi : 15 Menit"`` → label ``"Administrasi"``;
- optional qualifiers in front: *selambat-lambatnya*, *paling lama*, *paling lambat*,
  *maksimal*/*maksimum*, *dalam waktu*, *kurang lebih*, *within*, *at most*, …;
- the number in digits (``5``), digits with the number spelled out in brackets
  (``5 (lima)``), in words (``lima``, ``lima belas``, ``dua puluh``, ``seratus``; English
  ``one`` … ``twenty``), or words with the digits in brackets (``empat belas (14)``);
  ``N x 24 jam`` is N calendar days (a promise of whole days, not 24 office hours);
  a range ``3-5 hari kerja`` or ``3 s.d. 5 hari kerja`` takes its upper bound (what the office
  promises at most);
- the unit: *menit* / minutes; *jam* / hours; *hari kerja* (also ``HK``) / working days;
  *hari kalender* / calendar days; the machine names ``minutes``, ``hours``, ``working_days``,
  ``calendar_days`` themselves;
- trailing punctuation, and a trailing clause that says from when the time runs
  (``"5 hari kerja sejak berkas diterima lengkap"``).

Guesses are marked ``ambiguous=True`` so that the importer can report them:

- bare *hari* / *days* means working days (the usual reading in a service standard);
- *minggu*/*pekan* (weeks) become 7 calendar days each, *bulan* (months) 30 calendar days each.

Text that gives no measurable time (``"Sesuai materi konsultasi"``, ``"Seketika"``, a whole
sentence) is *descriptive*: ``value`` and ``unit`` are ``None`` and the text is kept. Only empty
input raises :class:`DurationParseError`. Whatever the outcome, ``text`` keeps what was written
(trimmed, white space collapsed).

The same parser serves the importer (``layanan.catalog.importer``) and the operator command
``manage.py deadline START "5 hari kerja"``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = [
    "Duration",
    "DurationParseError",
    "DurationUnit",
    "parse_duration",
    "parse_number_words",
]


class DurationUnit(models.TextChoices):
    MINUTES = "minutes", _("minutes")
    HOURS = "hours", _("hours")
    WORKING_DAYS = "working_days", _("working days")
    CALENDAR_DAYS = "calendar_days", _("calendar days")


class DurationParseError(ValueError):
    """The text is empty: there is nothing to read a duration from."""


@dataclass(frozen=True)
class Duration:
    """A time limit as a standard states it.

    ``value``/``unit`` are ``None`` when the text gives no fixed duration ("Sesuai materi
    konsultasi"). ``text`` is what was written, ``label`` the part before a colon
    ("Administrasi" in "Administrasi : 15 Menit"), ``ambiguous`` marks a guess (bare "Hari").
    """

    value: int | None
    unit: str | None
    text: str
    label: str = ""
    ambiguous: bool = False

    def is_fixed(self) -> bool:
        """True when the duration can be counted (a number and a unit)."""
        return self.value is not None and self.unit is not None

    def as_dict(self) -> dict:
        return {
            "value": self.value,
            "unit": self.unit,
            "text": self.text,
            "label": self.label,
            "ambiguous": self.ambiguous,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Duration:
        return cls(
            value=data.get("value"),
            unit=data.get("unit"),
            text=data.get("text", ""),
            label=data.get("label", ""),
            ambiguous=bool(data.get("ambiguous", False)),
        )


# --- numbers written as words ---------------------------------------------------------------

_ID_DIGITS = {
    "nol": 0,
    "satu": 1,
    "se": 1,
    "dua": 2,
    "tiga": 3,
    "empat": 4,
    "lima": 5,
    "enam": 6,
    "tujuh": 7,
    "delapan": 8,
    "sembilan": 9,
}
_EN_NUMBERS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "ninety": 90,
}
_ID_TOKENS = (
    "seratus|sepuluh|sebelas|satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|nol"
    "|belas|puluh|ratus"
)
#: A run of Indonesian number words (validated by :func:`parse_number_words`).
ID_NUMBER_WORDS = rf"\b(?:{_ID_TOKENS})(?:\s+(?:{_ID_TOKENS}))*\b"
EN_NUMBER_WORDS = r"\b(?:" + "|".join(sorted(_EN_NUMBERS, key=len, reverse=True)) + r")\b"


def parse_number_words(words: str) -> int | None:
    """``"lima belas"`` → 15, ``"dua puluh satu"`` → 21, ``"seratus"`` → 100, ``"five"`` → 5.

    Indonesian numbers up to 999 and English ones up to twenty (plus round tens). Returns
    ``None`` when the words are not a number this function knows.
    """
    tokens = words.lower().split()
    if not tokens:
        return None
    if len(tokens) == 1 and tokens[0] in _EN_NUMBERS:
        return _EN_NUMBERS[tokens[0]]
    total = 0
    pending: int | None = None  # a digit word waiting for belas/puluh/ratus
    fixed = {"seratus": 100, "sepuluh": 10, "sebelas": 11}
    scale = {"belas": None, "puluh": 10, "ratus": 100}
    for token in tokens:
        if token in fixed:
            if pending is not None:
                return None
            total += fixed[token]
        elif token in _ID_DIGITS and token != "se":
            if pending is not None:
                return None
            pending = _ID_DIGITS[token]
        elif token in scale:
            if pending is None:
                return None
            total += 10 + pending if token == "belas" else pending * scale[token]
            pending = None
        else:
            return None
    return total + (pending or 0)


# --- the grammar ----------------------------------------------------------------------------

_QUALIFIERS = re.compile(
    r"^(?:(?:"
    r"selambat[\s-]*lambatnya|paling\s+lama|paling\s+lambat|maksimal|maksimum|maks|max"
    r"|dalam\s+jangka\s+waktu|dalam\s+waktu|dalam|selama|kurang\s+lebih|lebih\s+kurang|sekitar"
    r"|hanya|cukup|within|at\s+most|up\s+to|no\s+later\s+than|not\s+more\s+than"
    r"|maximum(?:\s+of)?|approximately|about"
    r")\b\.?|±|≤|<=|\+/-)[\s:,]*",
    re.IGNORECASE,
)

_UNITS: list[tuple[str, str, int, bool]] = [
    # (pattern, unit, multiplier, ambiguous) — longest forms first
    (
        r"hari\s+kerja\s+efektif|hari\s+kerja|hk|working[\s_]+days?|business\s+days?|workdays?",
        DurationUnit.WORKING_DAYS,
        1,
        False,
    ),
    (r"hari\s+kalender|hari\s+kalendar|calendar[\s_]+days?", DurationUnit.CALENDAR_DAYS, 1, False),
    (r"menit|mnt|minutes?|mins?", DurationUnit.MINUTES, 1, False),
    (r"jam|hours?|hrs?", DurationUnit.HOURS, 1, False),
    (r"minggu|pekan|weeks?", DurationUnit.CALENDAR_DAYS, 7, True),
    (r"bulan|months?", DurationUnit.CALENDAR_DAYS, 30, True),
    (r"hari|days?", DurationUnit.WORKING_DAYS, 1, True),
]
_UNIT_RE = "|".join(f"(?P<u{i}>{pattern})" for i, (pattern, *_rest) in enumerate(_UNITS))

_NUMBER = (
    rf"(?P<num>\d+)(?:\s*\((?P<spelled>[a-z\s]+)\))?"
    rf"|(?P<words>{EN_NUMBER_WORDS}|{ID_NUMBER_WORDS})(?:\s*\(\s*\d+\s*\))?"
)
_RANGE_SEP = r"\s*(?:-|–|—|s\.?\s*d\.?|s/d|sampai(?:\s+dengan)?|hingga|to|until)\s*"

_DURATION = re.compile(
    r"^(?:(?P<times>\d+)\s*[x×]\s*)?"
    rf"(?:(?P<low>\d+)(?:\s*\([a-z\s]+\))?{_RANGE_SEP})?"
    rf"(?:{_NUMBER})\s*"
    rf"(?:{_UNIT_RE})\b"
    r"(?P<rest>.*)$",
    re.IGNORECASE,
)

#: What may follow the unit: nothing, or a clause saying from when the time runs.
_TRAILING_OK = re.compile(
    r"^(?:[\s.,;:!)]*$|[\s,]*(?:sejak|setelah|sesudah|terhitung|dihitung|semenjak|dari|"
    r"after|from|since|once|untuk\s+setiap)\b)",
    re.IGNORECASE,
)
_LABEL = re.compile(r"^(?P<label>[^\d:()][^:]{0,80}?)\s*:\s*(?P<rest>.+)$")


def _number_value(match: re.Match) -> int | None:
    if match.group("num"):
        return int(match.group("num"))
    words = (match.group("words") or "").strip()
    if not words:
        return None
    return parse_number_words(words)


def _strip_qualifiers(text: str) -> str:
    previous = None
    while previous != text:
        previous = text
        text = _QUALIFIERS.sub("", text, count=1).strip()
    return text


def _read(body: str) -> tuple[int, str, bool] | None:
    """(value, unit, ambiguous) for a text that *is* a duration, else None."""
    body = _strip_qualifiers(body.strip().rstrip(".,;:!").strip())
    match = _DURATION.match(body)
    if not match:
        return None
    if not _TRAILING_OK.match(match.group("rest")):
        return None
    value = _number_value(match)
    if value is None:
        return None
    index = next(i for i in range(len(_UNITS)) if match.group(f"u{i}"))
    _pattern, unit, multiplier, ambiguous = _UNITS[index]
    if match.group("times"):
        times = int(match.group("times"))
        if unit == DurationUnit.HOURS and value == 24:
            # "1 x 24 jam" promises one full day, not 24 hours of office time (about three
            # working days): read it as N calendar days.
            return times, str(DurationUnit.CALENDAR_DAYS), ambiguous
        value *= times
    value *= multiplier
    return value, str(unit), ambiguous


def parse_duration(text: str) -> Duration:
    """Read one duration from free text (see the module documentation for what is understood).

    Raises :class:`DurationParseError` only for empty input; descriptive text gives a
    ``Duration`` with ``value`` and ``unit`` ``None``.
    """
    if text is None or not str(text).strip():
        raise DurationParseError("empty duration text")
    cleaned = " ".join(str(text).split())
    label = ""
    body = cleaned
    direct = _read(body)
    if direct is None:
        labelled = _LABEL.match(cleaned)
        if labelled:
            label = labelled.group("label").strip(" -*•")
            body = labelled.group("rest")
            direct = _read(body)
    if direct is None:
        return Duration(value=None, unit=None, text=cleaned, label=label)
    value, unit, ambiguous = direct
    return Duration(value=value, unit=unit, text=cleaned, label=label, ambiguous=ambiguous)
