"""Reply letters (surat balasan) of audience requests: number, text, PDF.

**Numbers** are gapless per unit and year: a ``ReplyLetterCounter`` row locked with
``SELECT … FOR UPDATE`` in the transaction that issues the letter (as ``cases/numbering.py``);
a rolled-back issue gives its number back. The unit's template says how the number is written
(``{seq}/123/{unit}/{year}`` → ``005/123/KESRA/2026``).

**Text**: the unit edits the body in the admin or on the staff page. We deliberately do *not*
run it through Django's template engine: a template string can ``{% load %}`` tag libraries,
``{% include %}`` any template on disk or ``{% debug %}`` the whole context, and in a PDF any
HTML it produced could make WeasyPrint fetch files or URLs. The body is plain text with a
fixed list of ``{{ placeholder }}`` names, substituted by a regular expression; everything,
placeholders' values included, is HTML-escaped, and paragraphs become ``<p>``. Unknown
placeholders are refused when the template is saved. WeasyPrint also runs with a URL fetcher
that fetches nothing, so not even our own letterhead can reach outside the document.

**Language**: the letter is an official document in the site's language (``LANGUAGE_CODE``,
Indonesian): "5 Februari 2026".
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from layanan.core.letters import (
    format_letter_number,
    indonesian_date,
    next_in_year,
    number_pattern_is_valid,
    paragraphs_html,
    render_pdf,
)

from .audience_models import AudienceDetail, ReplyLetterCounter, ReplyLetterTemplate

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
PLACEHOLDERS = (
    "organisation",
    "contact",
    "topic",
    "letter_number",
    "letter_date",
    "schedule",
    "place",
    "official",
    "participants",
    "unit",
    "case_number",
)

DEFAULT_SUBJECT = "Jawaban Permohonan Audiensi"
DEFAULT_BODY = """\
Menindaklanjuti surat Saudara nomor {{ letter_number }} tanggal {{ letter_date }} perihal \
permohonan audiensi mengenai {{ topic }}, dengan hormat kami sampaikan bahwa audiensi \
dimaksud dapat dilaksanakan pada:

Hari/tanggal dan waktu: {{ schedule }}
Tempat: {{ place }}
Diterima oleh: {{ official }}

Peserta audiensi dari {{ organisation }} paling banyak {{ participants }} orang. Mohon \
konfirmasi kehadiran kepada {{ unit }} dengan menyebut nomor {{ case_number }}.

Demikian disampaikan, atas perhatian dan kerja samanya diucapkan terima kasih."""


def template_for(unit) -> ReplyLetterTemplate:
    """The unit's template, or an unsaved default one (head of the unit signs)."""
    template = ReplyLetterTemplate.objects.filter(unit=unit).first()
    if template is None:
        template = ReplyLetterTemplate(
            unit=unit,
            subject=DEFAULT_SUBJECT,
            body=DEFAULT_BODY,
            signatory_title=f"Kepala {unit.name}",
        )
    return template


def validate_template(template: ReplyLetterTemplate) -> None:
    """Refuse unknown placeholders and number patterns that could repeat a number."""
    errors = {}
    unknown = sorted({m.group(1) for m in PLACEHOLDER.finditer(template.body or "")})
    unknown = [name for name in unknown if name not in PLACEHOLDERS]
    if unknown:
        errors["body"] = _("Unknown placeholders: %(names)s. Allowed: %(allowed)s.") % {
            "names": ", ".join("{{ " + n + " }}" for n in unknown),
            "allowed": ", ".join(PLACEHOLDERS),
        }
    if "{%" in (template.body or ""):
        errors["body"] = _("Only placeholders like {{ topic }} are allowed, no template tags.")
    if not number_pattern_is_valid(template.number_pattern or ""):
        errors["number_pattern"] = _(
            "The pattern needs {seq} and {year} and may also use {month} and {unit}."
        )
    if errors:
        raise ValidationError(errors)


def format_number(template: ReplyLetterTemplate, *, seq: int, on: dt.date) -> str:
    return format_letter_number(
        template.number_pattern, seq=seq, digits=template.seq_digits, on=on, unit=template.unit
    )


def allocate_reply_number(*, template: ReplyLetterTemplate, on: dt.date) -> str:
    """The next reply letter number of the unit in the year of ``on``; gapless (see above)."""
    seq = next_in_year(ReplyLetterCounter, unit=template.unit, year=on.year)
    return format_number(template, seq=seq, on=on)


def format_schedule(moment: dt.datetime | None) -> str:
    """``Kamis, 5 Februari 2026 pukul 10.00 WIB`` (WIB is the office's zone, Asia/Pontianak)."""
    if moment is None:
        return "-"
    local = timezone.localtime(moment)
    with translation.override(settings.LANGUAGE_CODE):
        day = date_format(local, "l, j F Y")
        at = _("at")
    zone = local.tzname() if local.tzname() and not local.tzname().startswith("+") else ""
    return f"{day} {at} {local:%H.%M} {zone}".strip()


def letter_values(detail: AudienceDetail) -> dict[str, str]:
    case = detail.case
    return {
        "organisation": detail.organisation,
        "contact": case.requester_name,
        "topic": detail.topic,
        "letter_number": detail.letter_number or "-",
        "letter_date": indonesian_date(detail.letter_date) if detail.letter_date else "-",
        "schedule": format_schedule(detail.schedule_starts_at),
        "place": detail.schedule_place or "-",
        "official": detail.schedule_official or "-",
        "participants": str(detail.participants),
        "unit": case.unit.name,
        "case_number": case.number,
    }


def render_body(body: str, values: dict[str, str]) -> str:
    """Substitute the placeholders — plain text in, plain text out (nothing is evaluated)."""
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), body)


def letter_html(detail: AudienceDetail) -> str:
    case = detail.case
    unit = case.unit
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(
            "bookings/audience/reply_letter.html",
            {
                "unit": unit,
                "parent": unit.parent,
                "detail": detail,
                "case": case,
                "date": indonesian_date(detail.reply_date),
                "body_html": paragraphs_html(detail.reply_body),
            },
        )


def render_reply_pdf(detail: AudienceDetail) -> bytes:
    return render_pdf(letter_html(detail))
