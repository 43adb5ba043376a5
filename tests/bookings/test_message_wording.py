"""The requester's messages about a facility decision and an audience reply, worded by their
templates (``facilities/notifications/``, ``audiences/notifications/``): every line in Indonesian,
in order, with the booking's own facts — the wording moved out of Python unchanged."""

from __future__ import annotations

import pytest
from django.utils import translation

from layanan.audiences.letters import format_schedule
from layanan.audiences.notifications import (
    letter_download_url,
    render_reply_message,
    render_reply_whatsapp,
)
from layanan.audiences.services import audience_reply
from layanan.cases.numbering import format_public_code
from layanan.cases.public_pages import public_status_url
from layanan.core.letters import indonesian_date
from layanan.facilities.formatting import format_range
from layanan.facilities.models import BookingDetail
from layanan.facilities.notifications import (
    notice_url,
    render_decision,
    render_notice_whatsapp,
)
from layanan.facilities.services import booking_approve, booking_cancel, booking_refuse
from tests.dates import at

pytestmark = pytest.mark.django_db

FOOTER = "—\nPesan ini dikirim otomatis oleh Layanan, Biro Umum. Mohon tidak membalas pesan ini."


def _booking(case) -> BookingDetail:
    return BookingDetail.objects.select_related("case", "case__unit", "resource").get(case=case)


def test_approval_reads_with_the_rules_of_use_and_the_attached_notice(
    room, monday, file_request, umum_head
):
    """Approved: greeting, the facility and time, the rules of use line by line, the notice
    attached, the request number and status link, the footer; WhatsApp: the short form."""
    room.rules = "Dilarang merokok.\nKembalikan kunci."
    room.save()
    case = file_request(room, at(monday, 9), at(monday, 11))
    booking_approve(actor=umum_head, case=case)
    booking = _booking(case)
    when = format_range(booking.starts_at, booking.ends_at)
    code = format_public_code(case.public_code)
    with translation.override("id"):
        subject, body = render_decision(booking)
        whatsapp = render_notice_whatsapp(booking, booking.notice)
    assert subject == f"Permohonan fasilitas Anda disetujui – {code}"
    assert body == (
        f"Yth. {case.requester_name},\n\n"
        f"Permohonan Anda untuk menggunakan {room.name} pada {when} telah disetujui.\n\n"
        "Ketentuan penggunaan:\nDilarang merokok.\nKembalikan kunci.\n\n"
        f"Pemberitahuan {booking.notice.number} terlampir pada pesan ini dalam bentuk PDF.\n\n"
        f"Nomor permohonan: {case.number}\nLihat permohonan di:\n"
        f"{public_status_url(case)}\n\n{FOOTER}"
    )
    assert whatsapp == (
        f"Yth. {case.requester_name},\n"
        f"Permohonan Anda untuk menggunakan {room.name} pada {when} telah disetujui.\n"
        f"Pemberitahuan {booking.notice.number} (PDF):\n{notice_url(case)}\n"
        f"Nomor permohonan: {case.number}\n— Biro Umum"
    )


def test_refusal_and_cancellation_read_with_their_reason(hall, monday, file_request, umum_head):
    """Refused: the reason under the decision and the notice attached; cancelled after
    approval: the reason, no notice line; cancelled without a reason: no reason line."""
    refused = file_request(hall, at(monday, 13), at(monday, 14))
    booking_refuse(actor=umum_head, case=refused, reason="Dipakai pimpinan")
    cancelled = file_request(hall, at(monday, 15), at(monday, 16))
    booking_approve(actor=umum_head, case=cancelled)
    booking_cancel(actor=umum_head, case=cancelled, reason="Batal acara")
    bare = file_request(hall, at(monday, 8), at(monday, 9))
    booking_cancel(actor=umum_head, case=bare)
    with translation.override("id"):
        _, refused_body = render_decision(_booking(refused))
        subject, cancelled_body = render_decision(_booking(cancelled))
        _, bare_body = render_decision(_booking(bare))
    when = format_range(_booking(refused).starts_at, _booking(refused).ends_at)
    assert (
        f"Permohonan Anda untuk menggunakan {hall.name} pada {when} ditolak.\n"
        "Alasan: Dipakai pimpinan\n\nPemberitahuan " in refused_body
    )
    assert subject.startswith("Pemesanan fasilitas Anda dibatalkan – ")
    assert "telah dibatalkan.\nAlasan: Batal acara\n\nNomor permohonan: " in cancelled_body
    assert "Pemberitahuan" not in cancelled_body
    assert "telah dibatalkan.\n\nNomor permohonan: " in bare_body
    assert "Alasan" not in bare_body


def test_audience_reply_reads_with_schedule_letter_and_links(scheduled_audience, kesra_officer):
    """The reply: greeting, the topic answered, when/where/who, the reply letter's number and
    date with its link, the request number and status link, the footer; WhatsApp: 4 lines."""
    detail = audience_reply(actor=kesra_officer, case=scheduled_audience)
    case = detail.case
    when = format_schedule(detail.schedule_starts_at, case.unit)
    with translation.override("id"):
        subject, body = render_reply_message(detail)
        whatsapp = render_reply_whatsapp(detail)
    assert subject == f"Permohonan audiensi Anda: jadwal – {format_public_code(case.public_code)}"
    assert body == (
        f"Yth. {case.requester_name},\n\n"
        f"Permohonan audiensi Anda kepada {case.unit.name} mengenai “{detail.topic}” telah "
        "dijawab.\n\n"
        f"Waktu: {when}\nTempat: {detail.schedule_place}\nDiterima oleh: "
        f"{detail.schedule_official}\n\n"
        f"Surat balasan: nomor {detail.reply_number} tanggal {indonesian_date(detail.reply_date)}\n"
        f"Unduh surat balasan (PDF):\n{letter_download_url(case)}\n"
        f"Nomor permohonan: {case.number}\nLihat permohonan di:\n{public_status_url(case)}\n\n"
        "—\nPesan ini dikirim otomatis oleh Layanan, Biro Kesejahteraan Rakyat. Mohon tidak "
        "membalas pesan ini."
    )
    assert whatsapp.splitlines() == [
        f"Permohonan audiensi Anda {case.number} kepada {case.unit.name} telah dijawab.",
        f"Waktu: {when}",
        f"Tempat: {detail.schedule_place}",
        f"Surat balasan {detail.reply_number} (PDF): {letter_download_url(case)}",
    ]
