"""The facility decision notice (*pemberitahuan penggunaan Sarana Prasarana kantor*): number,
text, PDF — the product of Biro Umum's standard "Fasilitasi Pengguna Sarana Prasarana Kantor".

Issued by ``services.booking_approve`` (approved, with the facility's rules of use) and
``services.booking_refuse`` (refused, with the reason), in the decision's transaction:

- **Number**: gapless per unit and year, from ``FacilityNoticeCounter`` locked with ``SELECT …
  FOR UPDATE`` (as case numbers and audience reply letters); a rolled-back decision gives its
  number back. The unit's template says how it is written (``{seq}/FAS/{unit}/{year}``).
- **Text**: the unit's template (admin), plain text with a fixed list of ``{{ placeholder }}``
  names substituted and escaped — the same mechanism as the audience reply letter, both from
  ``core/letters.py`` (``render_body``, ``request_reference``), never a template engine.
- **PDF**: rendered once with WeasyPrint (fetching nothing) and stored privately
  (``STORAGES["attachments"]``); the stored file is what the requester, the e-mail and staff
  get, so a reprint is the notice as issued even after the template or the facility changes.
- **Language**: an official document in the site's language (Indonesian).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format

from layanan.core.letters import (
    head_of_unit_name,
    indonesian_date,
    paragraphs_html,
    render_body,
    render_pdf,
    request_reference,
)

from .notice_models import (
    FacilityNotice,
    FacilityNoticeCounter,
    FacilityNoticeTemplate,
    NoticeDecision,
)

DEFAULT_APPROVED_BODY = """\
Menindaklanjuti {{ letter_reference }} perihal permohonan fasilitasi penggunaan sarana \
prasarana kantor untuk {{ purpose }}, dengan hormat kami beritahukan bahwa permohonan \
tersebut disetujui dengan rincian sebagai berikut:

Sarana prasarana: {{ facility }}
Lokasi: {{ location }}
Waktu penggunaan: {{ schedule }}
Jumlah peserta: {{ participants }}

Penggunaan sarana prasarana tersebut wajib mematuhi ketentuan penggunaan di bawah ini. \
Apabila rencana penggunaan berubah atau batal, mohon segera memberitahukan kepada {{ unit }} \
dengan menyebut nomor {{ case_number }}.

Demikian pemberitahuan ini disampaikan untuk dapat dipergunakan sebagaimana mestinya."""

DEFAULT_REFUSED_BODY = """\
Menindaklanjuti {{ letter_reference }} perihal permohonan fasilitasi penggunaan \
{{ facility }} pada {{ schedule }} untuk {{ purpose }}, dengan hormat kami beritahukan bahwa \
permohonan tersebut belum dapat kami penuhi dengan alasan:

{{ reason }}

Saudara dapat mengajukan permohonan kembali untuk waktu atau sarana prasarana yang lain. \
Demikian pemberitahuan ini disampaikan, atas perhatian Saudara diucapkan terima kasih."""


def notice_template_for(unit) -> FacilityNoticeTemplate:
    """The unit's template, or an unsaved default one (the head of the unit signs)."""
    return FacilityNoticeTemplate.for_unit(
        unit, approved_body=DEFAULT_APPROVED_BODY, refused_body=DEFAULT_REFUSED_BODY
    )


def allocate_notice_number(*, template: FacilityNoticeTemplate, on: dt.date) -> str:
    """The next notice number of the unit in the year of ``on``; gapless (see above)."""
    seq = FacilityNoticeCounter.take_next(unit=template.unit, year=on.year)
    return template.format_number(seq=seq, on=on)


def format_period(starts_at: dt.datetime, ends_at: dt.datetime, *, unit) -> str:
    """``Senin, 21 Desember 2026 pukul 09.00–11.00 WIB`` in ``unit``'s time zone (the document's
    Indonesian); a stay over several days gives both ends in full."""
    zone = ZoneInfo(unit.time_zone_name())
    start, end = timezone.localtime(starts_at, zone), timezone.localtime(ends_at, zone)
    with translation.override(settings.LANGUAGE_CODE):
        first = date_format(start, "l, j F Y")
        last = date_format(end, "l, j F Y")
    abbreviation = "" if (end.tzname() or "+").startswith(("+", "-")) else end.tzname()
    if start.date() == end.date():
        return f"{first} pukul {start:%H.%M}–{end:%H.%M} {abbreviation}".strip()
    return f"{first} pukul {start:%H.%M} s.d. {last} pukul {end:%H.%M} {abbreviation}".strip()


def notice_values(booking) -> dict[str, str]:
    case = booking.case
    return {
        "requester": case.requester_name,
        "organisation": booking.organisation or "-",
        "letter_reference": request_reference(booking),
        "facility": booking.resource.name,
        "location": booking.resource.location or "-",
        "schedule": format_period(booking.starts_at, booking.ends_at, unit=case.unit),
        "purpose": booking.purpose,
        "participants": str(booking.participants) if booking.participants else "-",
        "reason": booking.reason or "-",
        "unit": case.unit.name,
        "case_number": case.number,
    }


def notice_html(notice: FacilityNotice) -> str:
    booking = notice.booking
    case = booking.case
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(
            "facilities/notice.html",
            {
                "unit": case.unit,
                "case": case,
                "booking": booking,
                "notice": notice,
                "approved": notice.decision == NoticeDecision.APPROVED,
                "date": indonesian_date(notice.date),
                "body_html": paragraphs_html(notice.body),
                "rules_html": paragraphs_html(notice.rules),
            },
        )


def render_notice_pdf(notice: FacilityNotice) -> bytes:
    return render_pdf(notice_html(notice))


def notice_file_name(number: str) -> str:
    return "pemberitahuan-" + number.replace("/", "-") + ".pdf"


def notice_issue(*, actor, booking, on: dt.date | None = None) -> FacilityNotice:
    """Number, freeze, render and store the notice of ``booking``'s decision (approved or
    refused). Runs inside the decision's transaction: if anything fails — the PDF included —
    the decision, the number and the notice roll back together."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("notice_issue must run inside the decision's transaction")
    case = booking.case
    decision = NoticeDecision(booking.state)
    on = on or timezone.localdate()
    template = notice_template_for(case.unit)
    approved = decision == NoticeDecision.APPROVED
    source = template.approved_body if approved else template.refused_body
    with translation.override(settings.LANGUAGE_CODE):
        body = render_body(source, notice_values(booking))
    notice = FacilityNotice(
        booking=booking,
        number=allocate_notice_number(template=template, on=on),
        date=on,
        decision=decision,
        body=body,
        rules=booking.resource.rules if approved else "",
        reason="" if approved else booking.reason,
        signatory_title=template.signatory_title,
        signatory_name=template.signatory_name or head_of_unit_name(case.unit),
        signatory_nip=template.signatory_nip,
        city=template.city,
        issued_by=actor if getattr(actor, "is_authenticated", False) else None,
        issued_at=timezone.now(),
    )
    pdf = render_notice_pdf(notice)
    notice.original_name = notice_file_name(notice.number)
    notice.size = len(pdf)
    notice.sha256 = hashlib.sha256(pdf).hexdigest()
    notice.file.save(notice.original_name, ContentFile(pdf), save=False)
    notice.save()
    return notice


def notice_bytes(notice: FacilityNotice) -> bytes:
    with notice.file.open("rb") as handle:
        return handle.read()
