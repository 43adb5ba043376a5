"""Pieces every official document of a unit shares: the Indonesian date, plain text turned into
paragraphs, the signatory, gapless yearly numbers, the substitution of ``{{ placeholders }}``
(:func:`render_body`), the reference to the requester's letter (:func:`request_reference`), and
a WeasyPrint rendering that fetches nothing.

Used by the audience reply letters (``audiences/letters.py``), the complaint answer
letters (``complaints/answer_letters.py``), the facility notices (``facilities/notices.py``) and
the service pledge (``catalog/pledge.py``). The letterhead (kop surat) is the template
``letters/_kop.html``; the templates' and counters' abstract models are in ``letter_models.py``,
their admin in ``letter_admin.py``.

Texts that staff write (letter bodies, the pledge) are never run through Django's template
engine: they are plain text, HTML-escaped, split into ``<p>`` paragraphs; and WeasyPrint runs
with a URL fetcher that refuses every fetch, so nothing in a document reaches outside it.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Protocol
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext as _

from layanan.workdays.deadlines import format_day

if TYPE_CHECKING:
    from .models import Unit

#: a ``{{ name }}`` placeholder of a text staff write (substituted, never a template)
PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
NUMBER_TOKEN = re.compile(r"\{([a-z]+)\}")
NUMBER_TOKENS = ("seq", "year", "month", "unit")
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def indonesian_date(day: dt.date | None) -> str:
    """``5 Februari 2026`` (in the site's language)."""
    if day is None:
        return "-"
    with translation.override(settings.LANGUAGE_CODE):
        return date_format(day, "j F Y")


def paragraphs_html(text: str) -> str:
    """Escaped plain text as ``<p>`` per paragraph, ``<br>`` per line."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if b.strip()]
    return "".join("<p>" + escape(b).replace("\n", "<br>") + "</p>" for b in blocks)


def head_of_unit_name(unit) -> str:
    """The name of the unit's head in Layanan ("" when it has none)."""
    from layanan.accounts.models import Membership, Role

    membership = (
        Membership.objects.filter(unit=unit, role=Role.HEAD, user__is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user.display_name if membership else ""


def format_letter_number(pattern: str, *, seq: int, digits: int, on: dt.date, unit) -> str:
    """``{seq}/123/{unit}/{year}`` → ``005/123/KESRA/2026`` (``{month}`` in Roman numerals)."""
    values = {
        "seq": str(seq).zfill(max(digits or 1, 1)),
        "year": str(on.year),
        "month": ROMAN[on.month - 1],
        "unit": unit.code or unit.slug.upper(),
    }
    return NUMBER_TOKEN.sub(lambda m: values.get(m.group(1), m.group(0)), pattern)


def number_pattern_is_valid(pattern: str) -> bool:
    """A pattern that cannot repeat a number within a unit: it has ``{seq}`` and ``{year}`` and
    no token other than :data:`NUMBER_TOKENS`."""
    tokens = NUMBER_TOKEN.findall(pattern or "")
    return all(t in NUMBER_TOKENS for t in tokens) and "{seq}" in pattern and "{year}" in pattern


def number_pattern_error(pattern: str) -> str:
    """Why a number pattern could repeat a number (no ``{seq}`` or ``{year}``, unknown tokens),
    or ""."""
    if not number_pattern_is_valid(pattern or ""):
        return _("The pattern needs {seq} and {year} and may also use {month} and {unit}.")
    return ""


def placeholder_errors(text: str, allowed) -> str:
    """Why ``text`` is not a valid template text (template tags, unknown placeholders), or ""."""
    if "{%" in (text or ""):
        return _("Only placeholders like {{ topic }} are allowed, no template tags.")
    unknown = sorted({m.group(1) for m in PLACEHOLDER.finditer(text or "")} - set(allowed))
    if unknown:
        return _("Unknown placeholders: %(names)s. Allowed: %(allowed)s.") % {
            "names": ", ".join("{{ " + n + " }}" for n in unknown),
            "allowed": ", ".join(allowed),
        }
    return ""


def next_in_year(counter_model, *, unit, year: int, **key) -> int:
    """The next number of a gapless yearly series: the counter row of (unit, year, **key) is
    locked (``SELECT … FOR UPDATE``) in the caller's transaction, so a rolled-back document gives
    its number back and two at once never share one."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("a letter number must be taken inside the letter's transaction")
    counter, _created = counter_model.objects.get_or_create(unit=unit, year=year, **key)
    counter = counter_model.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


#: the phrase templates used before ``{{ reference }}``: read as ``{{ reference }}``
LEGACY_REFERENCE = re.compile(
    r"surat\s+Saudara\s+nomor\s+\{\{\s*letter_number\s*\}\}\s+tanggal\s+"
    r"\{\{\s*letter_date\s*\}\}",
    re.IGNORECASE,
)


def render_body(body: str, values: dict[str, str]) -> str:
    """Substitute the placeholders — plain text in, plain text out (nothing is evaluated)."""
    body = LEGACY_REFERENCE.sub("{{ reference }}", body)
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), body)


class ReceivedCase(Protocol):
    """What :func:`request_reference` reads of the case (``cases.models.Case``)."""

    @property
    def channel(self) -> str: ...
    @property
    def received_at(self) -> dt.datetime: ...
    @property
    def unit(self) -> Unit: ...


class LetterRequest(Protocol):
    """A request that may have come with a letter: an audience's or a facility booking's
    detail (``AudienceDetail``, ``BookingDetail``)."""

    @property
    def case(self) -> ReceivedCase: ...
    @property
    def letter_number(self) -> str: ...
    @property
    def letter_date(self) -> dt.date | None: ...
    @property
    def has_letter_file(self) -> bool: ...


def request_reference(detail: LetterRequest) -> str:
    """How a letter refers to the request: by the requester's letter where there is one, else
    as a web request — "surat Saudara nomor 12/ABC/2026 tanggal 2 Desember 2026", "surat
    Saudara tanggal …" or "surat Saudara yang kami terima tanggal …" when part of it is unknown,
    "permohonan Saudara melalui laman Layanan tanggal …" without a letter. Never a "-" for a
    missing part."""
    case = detail.case
    number = (detail.letter_number or "").strip()
    has_letter = bool(number or detail.letter_date or detail.has_letter_file)
    received = format_day(timezone.localtime(case.received_at, _zone(case.unit)).date())
    if not has_letter:
        if case.channel == "web":
            return f"permohonan Saudara melalui laman Layanan tanggal {received}"
        return f"permohonan Saudara yang kami terima tanggal {received}"
    if number and detail.letter_date:
        return f"surat Saudara nomor {number} tanggal {format_day(detail.letter_date)}"
    if number:
        return f"surat Saudara nomor {number} yang kami terima tanggal {received}"
    if detail.letter_date:
        return f"surat Saudara tanggal {format_day(detail.letter_date)}"
    return f"surat Saudara yang kami terima tanggal {received}"


def _zone(unit: Unit) -> ZoneInfo:
    return ZoneInfo(unit.time_zone_name())


def _refuse_fetch(url: str, *args, **kwargs):
    raise ValueError(f"This document fetches nothing: {url[:80]}")


def render_pdf(html: str) -> bytes:
    """A PDF of ``html`` by WeasyPrint, fetching nothing (fonts are the system's)."""
    from weasyprint import HTML

    return HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()
