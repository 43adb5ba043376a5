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
Indonesian): "5 Februari 2026"; times are written the Indonesian way in the *unit's* time zone,
"Kamis, 5 Februari 2026 pukul 10.00 WIB" (WITA/WIT for units in those zones).

**Reference to the request** (``{{ reference }}``): "surat Saudara nomor 12/ABC/2026 tanggal
2 Desember 2026" when there is a letter, "surat Saudara tanggal …" or "surat Saudara yang kami
terima tanggal …" when part of it is unknown, and "permohonan Saudara melalui laman Layanan
tanggal …" for a web request without a letter — never "surat Saudara nomor - tanggal -". A
template written before ``{{ reference }}`` existed ("surat Saudara nomor {{ letter_number }}
tanggal {{ letter_date }}") is read as ``{{ reference }}``. Both the reference and the
substitution (``render_body``) are ``core/letters.py``'s, shared with the facility notice.

**Preview**: :func:`draft_reply` fills an unsaved copy of the detail with what issuing now would
freeze — the next number of the counter (peeked, not taken), today's date, the text — and
:func:`letter_digest` fingerprints it; issuing refuses when the letter it would give differs from
the one the staff member confirmed (another letter took the number, the template changed).
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from layanan.core.letters import (
    head_of_unit_name,
    indonesian_date,
    paragraphs_html,
    render_body,
    render_pdf,
    request_reference,
)
from layanan.workdays.deadlines import format_due

from .models import AudienceDetail, ReplyLetterCounter, ReplyLetterTemplate

DEFAULT_SUBJECT = "Jawaban Permohonan Audiensi"
DEFAULT_BODY = """\
Menindaklanjuti {{ reference }} perihal permohonan audiensi mengenai {{ topic }}, \
dengan hormat kami sampaikan bahwa audiensi dimaksud dapat dilaksanakan pada:

Hari/tanggal dan waktu: {{ schedule }}
Tempat: {{ place }}
Diterima oleh: {{ official }}

Peserta audiensi dari {{ organisation }} paling banyak {{ participants }} orang. Mohon \
konfirmasi kehadiran kepada {{ unit }} dengan menyebut nomor {{ case_number }}.

Demikian disampaikan, atas perhatian dan kerja samanya diucapkan terima kasih."""


def template_for(unit) -> ReplyLetterTemplate:
    """The unit's template, or an unsaved default one (head of the unit signs)."""
    return ReplyLetterTemplate.for_unit(unit, subject=DEFAULT_SUBJECT, body=DEFAULT_BODY)


def allocate_reply_number(*, template: ReplyLetterTemplate, on: dt.date) -> str:
    """The next reply letter number of the unit in the year of ``on``; gapless (see above)."""
    seq = ReplyLetterCounter.take_next(unit=template.unit, year=on.year)
    return template.format_number(seq=seq, on=on)


def peek_reply_number(*, template: ReplyLetterTemplate, on: dt.date) -> str:
    """The number the next letter of the unit in the year of ``on`` would get (not taken)."""
    seq = ReplyLetterCounter.peek_next(unit=template.unit, year=on.year)
    return template.format_number(seq=seq, on=on)


def freeze_reply(detail: AudienceDetail, *, template: ReplyLetterTemplate, on: dt.date) -> None:
    """Put on ``detail`` (in memory) the letter's date, subject, text and signatory."""
    with translation.override(settings.LANGUAGE_CODE):
        detail.reply_body = render_body(template.body, letter_values(detail))
    detail.reply_date = on
    detail.reply_subject = template.subject
    detail.reply_signatory_title = template.signatory_title
    detail.reply_signatory_name = template.signatory_name or head_of_unit_name(detail.case.unit)
    detail.reply_signatory_nip = template.signatory_nip
    detail.reply_city = template.city


def draft_reply(detail: AudienceDetail, *, on: dt.date | None = None) -> AudienceDetail:
    """An unsaved copy of ``detail`` holding the letter issuing it now would give."""
    draft = copy.copy(detail)
    on = on or timezone.localdate()
    template = template_for(detail.case.unit)
    freeze_reply(draft, template=template, on=on)
    draft.reply_number = peek_reply_number(template=template, on=on)
    return draft


def letter_digest(detail: AudienceDetail) -> str:
    """A fingerprint of everything printed from the detail: what the confirmation is about."""
    case = detail.case
    parts = [
        detail.reply_number,
        detail.reply_date.isoformat() if detail.reply_date else "",
        detail.reply_subject,
        detail.reply_body,
        detail.reply_signatory_title,
        detail.reply_signatory_name,
        detail.reply_signatory_nip,
        detail.reply_city,
        case.requester_name,
        detail.organisation,
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def format_schedule(moment: dt.datetime | None, unit=None) -> str:
    """``Kamis, 5 Februari 2026 pukul 10.00 WIB``: in ``unit``'s time zone (its abbreviation:
    WIB, WITA or WIT), else in the current one."""
    if moment is None:
        return "-"
    return format_due(moment, unit=unit)


def letter_values(detail: AudienceDetail) -> dict[str, str]:
    case = detail.case
    return {
        "organisation": detail.organisation,
        "contact": case.requester_name,
        "topic": detail.topic,
        "letter_number": detail.letter_number or "-",
        "letter_date": indonesian_date(detail.letter_date) if detail.letter_date else "-",
        "reference": request_reference(detail),
        "schedule": format_schedule(detail.schedule_starts_at, case.unit),
        "place": detail.schedule_place or "-",
        "official": detail.schedule_official or "-",
        "participants": str(detail.participants),
        "unit": case.unit.name,
        "case_number": case.number,
    }


def letter_context(detail: AudienceDetail, *, draft: bool = False) -> dict:
    case = detail.case
    return {
        "unit": case.unit,
        "parent": case.unit.parent,
        "detail": detail,
        "case": case,
        "date": indonesian_date(detail.reply_date),
        "body_html": paragraphs_html(detail.reply_body),
        "draft": draft,
    }


def letter_sheet_html(detail: AudienceDetail, *, draft: bool = False) -> str:
    """The letter's sheet alone (letterhead to signature), for the preview page."""
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string("audiences/_reply_sheet.html", letter_context(detail, draft=draft))


def letter_html(detail: AudienceDetail, *, draft: bool = False) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(
            "audiences/reply_letter.html",
            letter_context(detail, draft=draft),
        )


def render_reply_pdf(detail: AudienceDetail, *, draft: bool = False) -> bytes:
    """The letter as PDF; ``draft`` marks each page "PRATINJAU" (a preview is not a letter)."""
    return render_pdf(letter_html(detail, draft=draft))
