"""Facility requests as Biro Umum's standard (seed 004) runs them: the request letter (web
upload or paper letter recorded by staff), the numbered decision notice PDF, its download and
delivery, closing a booking as used / not used, and the 2-working-day deadline."""

from __future__ import annotations

import datetime as dt
import subprocess
from io import StringIO
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from layanan.accounts.models import Role
from layanan.cases.models import Attachment, Case, Channel, Status
from layanan.cases.numbering import format_public_code
from layanan.core.errors import Conflict, NotPermitted
from layanan.facilities import notices
from layanan.facilities.models import (
    BookingDetail,
    BookingState,
    FacilityNotice,
    FacilityNoticeCounter,
)
from layanan.facilities.services import booking_approve, booking_record_use, booking_refuse
from layanan.notify.models import OutboxMessage
from tests.dates import at

from .conftest import _member
from .test_views import form_data, letter_pdf

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def pdf_text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def stored(notice: FacilityNotice) -> bytes:
    with notice.file.open("rb") as handle:
        return handle.read()


@pytest.fixture
def kesra_head(org):
    return _member("kesra.kepala", org["biro-kesra"], Role.HEAD)


# --- the notice ----------------------------------------------------------------------------------


def test_approval_issues_a_numbered_notice_stored_once_and_mailed(
    room, monday, file_request, umum_head
):
    """Approving issues notice 001/FAS/UMUM/<year> with the rules of use, the PDF is stored
    (hash and size recorded), the e-mail carries that very PDF, and the timeline names it."""
    case = file_request(room, at(monday, 9), at(monday, 11))
    booking = booking_approve(actor=umum_head, case=case)
    notice = FacilityNotice.objects.get(booking=booking)
    year = timezone.localdate().year
    assert notice.number == f"001/FAS/UMUM/{year}"
    assert notice.decision == "approved" and notice.issued_by == umum_head
    data = stored(notice)
    assert data.startswith(b"%PDF-") and len(data) == notice.size
    text = pdf_text(data)
    assert notice.number in text and "Ruang Rapat Lt. 2" in text
    assert "Ruangan dikembalikan dalam keadaan bersih." in text  # the rules of use
    assert "melalui laman Layanan" in text  # a web request without a letter says so
    assert "nomor -" not in text
    mail = OutboxMessage.objects.get(case_id=case.pk, channel="email")
    (attachment,) = mail.attachments.all()
    assert bytes(attachment.content) == data
    assert notice.number in mail.body
    assert case.events.filter(kind="status", note__contains=notice.number).exists()


def test_refusal_notice_gives_the_reason_and_numbers_follow_on_per_unit_and_year(
    room, hall, monday, file_request, umum_head
):
    """A refusal is a notice too, with the reason; numbers run 001, 002 in the unit's year."""
    first = file_request(room, at(monday, 9), at(monday, 11))
    second = file_request(hall, at(monday, 9), at(monday, 11), letter_number="005/DP/2026")
    booking_approve(actor=umum_head, case=first)
    booking = booking_refuse(actor=umum_head, case=second, reason="Aula sedang direnovasi")
    notice = booking.notice
    year = timezone.localdate().year
    assert notice.number == f"002/FAS/UMUM/{year}" and notice.decision == "refused"
    text = pdf_text(stored(notice))
    assert "Aula sedang direnovasi" in text
    assert "surat Saudara nomor 005/DP/2026" in text
    assert FacilityNoticeCounter.objects.get(unit=room.unit, year=year).last == 2


def test_a_failed_notice_leaves_nothing_half_written(room, monday, file_request, umum_head):
    """If the PDF cannot be rendered the approval fails whole: the booking still awaits its
    decision, the case is received, no notice row, no number used, no message queued."""
    case = file_request(room, at(monday, 9), at(monday, 11))
    failing = mock.patch.object(notices, "render_notice_pdf", side_effect=RuntimeError("font"))
    with failing, pytest.raises(RuntimeError):
        booking_approve(actor=umum_head, case=case)
    case.refresh_from_db()
    assert case.status == Status.RECEIVED
    assert BookingDetail.objects.get(case=case).state == BookingState.REQUESTED
    assert not FacilityNotice.objects.exists()
    assert FacilityNoticeCounter.objects.filter(last__gt=0).count() == 0
    assert not OutboxMessage.objects.filter(case_id=case.pk).exists()
    booking = booking_approve(actor=umum_head, case=case)  # and the number was given back
    assert booking.notice.number.startswith("001/")


def test_phone_only_requester_gets_the_notice_link_by_whatsapp(
    room, monday, file_request, umum_head, settings
):
    """Without an e-mail address the requester is sent, by WhatsApp through the outbox, the
    decision and the link to the notice PDF (keyed by the tracking code); no e-mail."""
    settings.WHATSAPP_ENABLED = True
    case = file_request(
        room, at(monday, 9), at(monday, 11), requester_email="", requester_phone="0812 3456 7890"
    )
    booking_approve(actor=umum_head, case=case)
    (message,) = OutboxMessage.objects.filter(case_id=case.pk)
    assert message.channel == "whatsapp" and message.recipient == "6281234567890"
    code = format_public_code(case.public_code)
    assert f"/fasilitas/permohonan/{code}/pemberitahuan/" in message.body
    assert case.booking.notice.number in message.body


def test_requester_with_email_gets_no_whatsapp(room, monday, file_request, umum_head, settings):
    """Who gave an e-mail address gets the notice attached there, not a WhatsApp too."""
    settings.WHATSAPP_ENABLED = True
    case = file_request(room, at(monday, 9), at(monday, 11), requester_phone="081234567890")
    booking_approve(actor=umum_head, case=case)
    channels = OutboxMessage.objects.filter(case_id=case.pk).values_list("channel", flat=True)
    assert list(channels) == ["email"]


def test_requester_downloads_the_notice_with_the_tracking_code_only(
    client, room, monday, file_request, umum_head
):
    """The status page links the notice; the link serves the stored PDF to the code's holder;
    before the decision, and for an unknown code, it is a 404."""
    case = file_request(room, at(monday, 9), at(monday, 11))
    code = format_public_code(case.public_code)
    url = reverse("bookings_public:notice", kwargs={"code": code})
    assert client.get(url).status_code == 404
    booking_approve(actor=umum_head, case=case)
    page = client.get(reverse("bookings_public:status", kwargs={"code": code}))
    assert url in page.content.decode()
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == stored(case.booking.notice)
    assert response["Cache-Control"] == "private, no-store"
    wrong = reverse("bookings_public:notice", kwargs={"code": "2222-3333-4444"})
    assert client.get(wrong).status_code == 404


def test_staff_of_another_unit_cannot_fetch_the_notice(
    client, room, monday, file_request, umum_head, kesra_head
):
    """Staff get the notice from the request's page; another unit's head gets a 404."""
    case = file_request(room, at(monday, 9), at(monday, 11))
    booking_approve(actor=umum_head, case=case)
    url = reverse("bookings:notice", args=[case.number])
    client.force_login(kesra_head)
    assert client.get(url).status_code == 404
    client.force_login(umum_head)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_unknown_placeholder_in_a_notice_template_is_refused(umum):
    """A template may only use the listed placeholders (nothing is evaluated)."""
    from django.core.exceptions import ValidationError

    template = notices.notice_template_for(umum)
    template.approved_body = "Halo {{ secret_key }}"
    with pytest.raises(ValidationError) as exc:
        template.full_clean()
    assert "approved_body" in exc.value.message_dict


# --- the request letter --------------------------------------------------------------------------


def test_public_form_refuses_a_file_that_is_not_a_pdf_or_image_and_keeps_the_typing(
    client, room, monday
):
    """A text file named .pdf is refused by its content with a clear message; what was typed
    is still in the form, nothing is created, and the page asks to choose the file again."""
    fake = SimpleUploadedFile("surat.pdf", b"just some text", "application/pdf")
    response = client.post(
        reverse("bookings_public:form"), form_data(room, monday, letter=fake), **EN
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "surat.pdf" in html and "not an accepted file type" in html
    assert "Rapat persiapan MTQ" in html and "budi@example.org" in html
    assert "choose your request letter again" in html
    assert not Case.objects.exists() and not Attachment.objects.exists()


def test_public_form_requires_the_request_letter(client, room, monday):
    """The standard's requirement: no letter, no request."""
    response = client.post(
        reverse("bookings_public:form"), form_data(room, monday, letter=None), **EN
    )
    assert response.status_code == 400
    assert "Please attach your request letter" in response.content.decode()
    assert not Case.objects.exists()


def test_public_letter_is_attached_to_the_case(client, room, monday):
    """The uploaded letter becomes the case's attachment (type from the content)."""
    response = client.post(reverse("bookings_public:form"), form_data(room, monday))
    assert response.status_code == 303
    (attachment,) = Attachment.objects.all()
    assert attachment.content_type == "application/pdf"
    assert attachment.original_name == "surat-permohonan.pdf"


def test_staff_record_a_paper_letter_with_its_scan_and_time_of_receipt(
    client, room, monday, umum_front
):
    """The front desk records a letter that came on paper: number, date, scan, channel letter
    and the real time of receipt, from which the deadline counts."""
    client.force_login(umum_front)
    received = timezone.now() - dt.timedelta(hours=2)
    data = form_data(
        room,
        monday,
        channel=Channel.LETTER,
        received_at=timezone.localtime(received).strftime("%Y-%m-%dT%H:%M"),
        letter_number="012/DP/XII/2026",
        letter_date="2026-12-07",
        website=None,
    )
    response = client.post(reverse("bookings:record"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get()
    booking = case.booking
    assert case.channel == Channel.LETTER
    assert booking.letter_number == "012/DP/XII/2026"
    assert booking.letter_date == dt.date(2026, 12, 7)
    assert abs(case.received_at - received) < dt.timedelta(minutes=1)
    assert case.attachments.count() == 1
    assert case.events.filter(kind="attachment").exists()


def test_recording_a_letter_without_its_scan_is_refused(client, room, monday, umum_front):
    """A paper letter without its scan is not recorded (form and service both say so)."""
    client.force_login(umum_front)
    data = form_data(room, monday, channel=Channel.LETTER, letter=None, website=None)
    response = client.post(reverse("bookings:record"), data, **EN)
    assert response.status_code == 400
    assert "Please attach the scanned letter." in response.content.decode()
    assert not Case.objects.exists()


def test_recording_is_for_staff_who_may_record_in_the_unit(client, room, monday, umum, org):
    """An auditor (no right to record) and another unit's front desk get a 404 page; the
    other unit's desk cannot pick Biro Umum's room either."""
    auditor = _member("umum.auditor", umum, Role.AUDITOR)
    client.force_login(auditor)
    assert client.get(reverse("bookings:record")).status_code == 404
    other = _member("kesra.informasi", org["biro-kesra"], Role.FRONT_DESK)
    from layanan.facilities.models import Resource

    Resource.objects.create(unit=org["biro-kesra"], name="Ruang Kesra", kind="room")
    client.force_login(other)
    data = form_data(room, monday, channel=Channel.LETTER, website=None)
    response = client.post(reverse("bookings:record"), data)
    assert response.status_code == 400
    assert not Case.objects.exists()


# --- after the booking ---------------------------------------------------------------------------


def test_used_booking_is_closed_with_its_event(room, file_request, umum_head, clock):
    """Once the time has begun, the head closes the booking as used: state used, the case
    closed, an event "booking_used" by the head."""
    start = timezone.now() + dt.timedelta(hours=1)
    case = file_request(room, start, start + dt.timedelta(hours=2))
    booking_approve(actor=umum_head, case=case)
    with pytest.raises(Conflict) as exc:
        booking_record_use(actor=umum_head, case=case, used=True)
    assert exc.value.code == "not_begun"
    clock.shift(dt.timedelta(hours=2))
    booking = booking_record_use(actor=umum_head, case=case, used=True, note="Selesai rapi")
    case.refresh_from_db()
    assert booking.state == BookingState.USED and case.status == Status.CLOSED
    event = case.events.get(kind="booking_used")
    assert event.actor == umum_head and event.note == "Selesai rapi"


def test_no_show_is_marked_not_used_and_needs_the_right_to_close(
    room, file_request, umum_head, umum_front, kesra_head, clock
):
    """The front desk may not close a booking, nor may another unit's head; the head marks a
    no-show "not used" and the case ends. A pending request cannot be marked."""
    start = timezone.now() + dt.timedelta(hours=1)
    case = file_request(room, start, start + dt.timedelta(hours=2))
    clock.shift(dt.timedelta(hours=1, minutes=30))
    with pytest.raises(Conflict):
        booking_record_use(actor=umum_head, case=case, used=False)  # not approved
    clock.shift(dt.timedelta(hours=-1, minutes=-30))
    booking_approve(actor=umum_head, case=case)
    clock.shift(dt.timedelta(hours=1, minutes=30))
    for actor in (umum_front, kesra_head):
        with pytest.raises(NotPermitted):
            booking_record_use(actor=actor, case=case, used=False)
    assert BookingDetail.objects.get(case=case).state == BookingState.APPROVED
    booking_record_use(actor=umum_head, case=case, used=False)
    case.refresh_from_db()
    assert case.status == Status.CLOSED
    assert case.events.filter(kind="booking_not_used", actor=umum_head).exists()
    assert case.booking.state == BookingState.NOT_USED


def test_staff_page_closes_a_used_booking(client, room, file_request, umum_head, clock):
    """The request's page offers "used" after the start and closes the case."""
    start = timezone.now() + dt.timedelta(minutes=30)
    case = file_request(room, start, start + dt.timedelta(hours=2))
    booking_approve(actor=umum_head, case=case)
    clock.shift(dt.timedelta(hours=1))
    client.force_login(umum_head)
    url = reverse("bookings:detail", args=[case.number])
    assert 'value="used"' in client.get(url).content.decode()
    response = client.post(url, {"action": "used", "used-text": ""})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.CLOSED


# --- the deadline --------------------------------------------------------------------------------


def test_two_day_deadline_skips_the_ascension_holiday_and_cuti_bersama(umum, room, file_request):
    """Seed 004: "2 Hari", read as 2 working days (day 1 is the first working day after the
    day of receipt). Received Wed 13 May 2026 10:00 WIB; Thu 14 May is Ascension Day, Fri
    15 May cuti bersama, then the weekend: day 1 is Mon 18 May, day 2 Tue 19 May — due at its
    close, 16:00 WIB (hand-computed)."""
    import time_machine

    call_command("load_demo", "--no-users", stdout=StringIO())
    wib = dt.timezone(dt.timedelta(hours=7))
    with time_machine.travel(dt.datetime(2026, 5, 13, 10, 0, tzinfo=wib), tick=False):
        case = file_request(
            room,
            dt.datetime(2026, 5, 25, 9, 0, tzinfo=wib),
            dt.datetime(2026, 5, 25, 11, 0, tzinfo=wib),
        )
    assert case.sla_value == 2 and case.sla_unit == "working_days"
    assert case.due_at == dt.datetime(2026, 5, 19, 16, 0, tzinfo=wib)


def test_a_paper_letter_counts_from_its_receipt(umum, room, file_request, umum_front):
    """A letter received Friday 4 Dec 2026 14:00 but recorded on Wed 9 Dec is due at the close
    of Tue 8 Dec (Mon 7, Tue 8 are days 1 and 2): the deadline counts from the letter's
    arrival, not from when it was typed in."""
    call_command("load_demo", "--no-users", stdout=StringIO())
    wib = dt.timezone(dt.timedelta(hours=7))
    case = file_request(
        room,
        at(timezone.localdate() + dt.timedelta(days=5), 9),
        at(timezone.localdate() + dt.timedelta(days=5), 11),
        actor=umum_front,
        channel=Channel.LETTER,
        received_at=dt.datetime(2026, 12, 4, 14, 0, tzinfo=wib),
        letter_uploads=[letter_pdf()],
    )
    assert case.due_at == dt.datetime(2026, 12, 8, 16, 0, tzinfo=wib)


def test_another_units_desk_cannot_record_a_letter_for_biro_umum(room, monday, org):
    """The service refuses a paper letter recorded by Biro Kesra's front desk for Biro Umum's
    room (wrong unit): nothing is created, no file is attached."""
    from layanan.facilities.services import booking_request_create

    desk = _member("kesra.informasi", org["biro-kesra"], Role.FRONT_DESK)
    with pytest.raises(NotPermitted):
        booking_request_create(
            actor=desk,
            resource=room,
            starts_at=at(monday, 9),
            ends_at=at(monday, 11),
            purpose="Rapat",
            requester_name="Budi",
            requester_email="budi@example.org",
            channel=Channel.LETTER,
            letter_uploads=[letter_pdf()],
        )
    assert not Case.objects.exists() and not Attachment.objects.exists()


def test_staff_page_says_to_telephone_when_nobody_can_be_messaged(
    client, room, monday, file_request, umum_head, settings
):
    """A phone-only requester with WhatsApp off: the request's page tells staff to call."""
    settings.WHATSAPP_ENABLED = False
    case = file_request(
        room, at(monday, 9), at(monday, 11), requester_email="", requester_phone="081234567890"
    )
    booking_approve(actor=umum_head, case=case)
    assert not OutboxMessage.objects.filter(case_id=case.pk).exists()
    client.force_login(umum_head)
    page = client.get(reverse("bookings:detail", args=[case.number]), **EN).content.decode()
    assert "tell them the decision by telephone" in page
    assert case.booking.notice.number in page
