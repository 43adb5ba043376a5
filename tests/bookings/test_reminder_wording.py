"""The reminders the working day before an audience (``audiences/reminders.py``) and a facility
booking (``facilities/reminders.py``): every message's subject and text, in Indonesian (and
once in English), for each branch — with and without the facility's place and rules of use, no
organisation (the requester's name instead), e-mail or WhatsApp to the requester and the staff,
the receiving official's account or whoever scheduled the audience, a unit in WITA. Values with
``&`` and quotes show the plain-text messages are not HTML-escaped."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from layanan.audiences.models import AudienceDetail
from layanan.audiences.reminders import audience_messages
from layanan.audiences.services import audience_dispose, audience_reply, audience_schedule
from layanan.cases.numbering import format_public_code
from layanan.facilities.models import BookingDetail, Resource, ResourceKind
from layanan.facilities.reminders import booking_messages
from layanan.facilities.services import booking_approve
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Pontianak")
ORG = 'Yayasan "Bina" & Mitra'
TOPIC = 'Dialog kerukunan & "damai"'
KESRA_FOOTER = (
    "—\nPesan ini dikirim otomatis oleh Layanan, Biro Kesejahteraan Rakyat. "
    "Mohon tidak membalas pesan ini."
)
UMUM_FOOTER = (
    "—\nPesan ini dikirim otomatis oleh Layanan, Biro Umum. Mohon tidak membalas pesan ini."
)


def wib(y, m, d, hour=10, minute=0) -> dt.datetime:
    return dt.datetime(y, m, d, hour, minute, tzinfo=WIB)


@pytest.fixture
def reminded_audience(file_audience, kesra_head, kesra_handler, kesra_officer, org):
    """An audience on Monday 28 December 2026 at 10.00 (unit's time), its reply letter issued."""

    def _make(official_user=None, **fields):
        case = file_audience(**fields)
        audience_dispose(
            actor=kesra_head, case=case, division=org["kesra-bina-mental"], instruction="Atur."
        )
        audience_schedule(
            actor=kesra_handler,
            case=case,
            starts_at=wib(2026, 12, 28),
            place="Ruang Rapat Biro Kesra",
            official="Kepala Biro Kesejahteraan Rakyat",
            official_user=official_user,
        )
        audience_reply(actor=kesra_officer, case=case)
        detail = AudienceDetail.objects.select_related(
            "case", "case__unit", "official_user", "scheduled_by"
        ).get(case=case)
        return detail, format_public_code(detail.case.public_code)

    return _make


def _booking(case) -> tuple[BookingDetail, str]:
    booking = BookingDetail.objects.select_related(
        "case", "case__unit", "case__assignee", "resource__unit", "decided_by"
    ).get(case=case)
    return booking, format_public_code(case.public_code)


def test_audience_by_email_to_the_requester_and_the_receiving_official(
    reminded_audience, kesra_head, settings
):
    """The requester's e-mail and the official's (her account chosen with the schedule)."""
    site = settings.SITE_URL
    detail, code = reminded_audience(official_user=kesra_head, organisation=ORG, topic=TOPIC)
    number = detail.case.number
    with translation.override("id"):
        requester, official = audience_messages(detail)
    assert requester == {
        "channel": "email",
        "recipient": "yohanes@example.org",
        "subject": (
            f"Pengingat: audiensi Anda pada Senin, 28 Desember 2026 pukul 10.00 WIB – {code}"
        ),
        "body": (
            "Yth. Yohanes Ahmad,\n\n"
            "Kami mengingatkan jadwal audiensi Anda dengan Biro Kesejahteraan Rakyat mengenai "
            '“Dialog kerukunan & "damai"”.\n\n'
            "Waktu: Senin, 28 Desember 2026 pukul 10.00 WIB\n"
            "Tempat: Ruang Rapat Biro Kesra\n"
            "Diterima oleh: Kepala Biro Kesejahteraan Rakyat\n"
            "Peserta: paling banyak 12 orang\n\n"
            "Surat balasan: 001/AUD/KESRA/2026\n"
            f"{site}/audiensi/permohonan/{code}/surat-balasan.pdf\n"
            "Apabila berhalangan hadir, mohon memberi tahu Biro Kesejahteraan Rakyat dengan "
            f"menyebut nomor {number}.\n"
            f"{site}/audiensi/permohonan/{code}/\n\n"
            f"{KESRA_FOOTER}"
        ),
    }
    assert official == {
        "channel": "email",
        "recipient": kesra_head.email,
        "subject": (
            "Pengingat: audiensi pada Senin, 28 Desember 2026 pukul 10.00 WIB – "
            'Yayasan "Bina" & Mitra'
        ),
        "body": (
            "Audiensi berikut dijadwalkan pada hari kerja berikutnya:\n\n"
            "Waktu: Senin, 28 Desember 2026 pukul 10.00 WIB\n"
            "Tempat: Ruang Rapat Biro Kesra\n"
            "Diterima oleh: Kepala Biro Kesejahteraan Rakyat\n"
            'Organisasi: Yayasan "Bina" & Mitra\n'
            'Pokok bahasan: Dialog kerukunan & "damai"\n'
            "Peserta: paling banyak 12 orang\n"
            f"Nomor permohonan: {number}\n"
            f"{site}/staf/audiensi/permohonan/{number}/\n\n"
            f"{KESRA_FOOTER}"
        ),
    }


def test_audience_by_whatsapp_to_the_requester_and_whoever_scheduled_it_in_wita(
    reminded_audience, kesra, kesra_handler, settings
):
    """Only a telephone number (WhatsApp on): the short text; no official's account: whoever
    scheduled it, by WhatsApp when the account has only a telephone number; the time in WITA."""
    settings.WHATSAPP_ENABLED = True
    site = settings.SITE_URL
    kesra.time_zone = "Asia/Makassar"
    kesra.save(update_fields=["time_zone"])
    kesra_handler.email = ""
    kesra_handler.phone = "081298765432"
    kesra_handler.save(update_fields=["email", "phone"])
    detail, code = reminded_audience(requester_email="")
    number = detail.case.number
    with translation.override("id"):
        requester, scheduler = audience_messages(detail)
    assert requester == {
        "channel": "whatsapp",
        "recipient": "+6281234567890",
        "subject": (
            f"Pengingat: audiensi Anda pada Senin, 28 Desember 2026 pukul 11.00 WITA – {code}"
        ),
        "body": (
            f"Pengingat: audiensi {number} dengan Biro Kesejahteraan Rakyat\n"
            "Waktu: Senin, 28 Desember 2026 pukul 11.00 WITA\n"
            "Tempat: Ruang Rapat Biro Kesra\n"
            f"{site}/audiensi/permohonan/{code}/"
        ),
    }
    subject = (
        "Pengingat: audiensi pada Senin, 28 Desember 2026 pukul 11.00 WITA – "
        "Forum Pemuda Lintas Agama"
    )
    assert scheduler == {
        "channel": "whatsapp",
        "recipient": "081298765432",
        "subject": subject,
        "body": f"{subject}\n{site}/staf/audiensi/permohonan/{number}/",
    }


def test_audience_in_english(reminded_audience, kesra_head, settings):
    """The msgids themselves, for a site in English."""
    site = settings.SITE_URL
    detail, code = reminded_audience(official_user=kesra_head, organisation=ORG, topic=TOPIC)
    number = detail.case.number
    footer = (
        "—\nThis message was sent automatically by Layanan, Biro Kesejahteraan Rakyat. "
        "Please do not reply."
    )
    with translation.override("en"):
        requester, official = audience_messages(detail)
    assert requester["subject"] == (
        f"Reminder: your audience on Senin, 28 Desember 2026 pukul 10.00 WIB – {code}"
    )
    assert requester["body"] == (
        "Dear Yohanes Ahmad,\n\n"
        "This is a reminder of your audience with Biro Kesejahteraan Rakyat on "
        '“Dialog kerukunan & "damai"”.\n\n'
        "When: Senin, 28 Desember 2026 pukul 10.00 WIB\n"
        "Place: Ruang Rapat Biro Kesra\n"
        "Received by: Kepala Biro Kesejahteraan Rakyat\n"
        "Participants: at most 12\n\n"
        "Reply letter: 001/AUD/KESRA/2026\n"
        f"{site}/audiensi/permohonan/{code}/surat-balasan.pdf\n"
        f"If you cannot come, please tell Biro Kesejahteraan Rakyat, quoting {number}.\n"
        f"{site}/audiensi/permohonan/{code}/\n\n"
        f"{footer}"
    )
    assert official["subject"] == (
        'Reminder: audience on Senin, 28 Desember 2026 pukul 10.00 WIB – Yayasan "Bina" & Mitra'
    )
    assert official["body"] == (
        "An audience is scheduled for the next working day:\n\n"
        "When: Senin, 28 Desember 2026 pukul 10.00 WIB\n"
        "Place: Ruang Rapat Biro Kesra\n"
        "Received by: Kepala Biro Kesejahteraan Rakyat\n"
        'Organisation: Yayasan "Bina" & Mitra\n'
        'Topic: Dialog kerukunan & "damai"\n'
        "Participants: at most 12\n"
        f"Request number: {number}\n"
        f"{site}/staf/audiensi/permohonan/{number}/\n\n"
        f"{footer}"
    )
    with translation.override("en"):
        settings.WHATSAPP_ENABLED = True
        detail, code = reminded_audience(requester_email="")
        (whatsapp, _) = audience_messages(detail)
    assert whatsapp["body"] == (
        f"Reminder: audience {detail.case.number} with Biro Kesejahteraan Rakyat\n"
        "When: Senin, 28 Desember 2026 pukul 10.00 WIB\n"
        "Place: Ruang Rapat Biro Kesra\n"
        f"{site}/audiensi/permohonan/{code}/"
    )


def test_booking_with_place_and_rules_by_email(seeds, room, file_request, umum_head, settings):
    """The requester's e-mail with the facility's place and its rules of use; the approver's."""
    site = settings.SITE_URL
    case = file_request(room, wib(2026, 12, 14, 9), wib(2026, 12, 14, 11), organisation=ORG)
    booking_approve(actor=umum_head, case=case)
    booking, code = _booking(case)
    when = "Senin, 14 Desember 2026 pukul 09.00 WIB – 11.00 WIB"
    with translation.override("id"):
        requester, head = booking_messages(booking)
    assert requester == {
        "channel": "email",
        "recipient": "siti@example.org",
        "subject": f"Pengingat: Ruang Rapat Lt. 2 dipesan untuk {when} – {code}",
        "body": (
            "Yth. Siti Aminah,\n\n"
            "Kami mengingatkan pemesanan Anda yang telah disetujui di Biro Umum.\n\n"
            "Sarana: Ruang Rapat Lt. 2\n"
            f"Waktu: {when}\n"
            "Tempat: Kantor Gubernur, lantai 2\n\n"
            "Ketentuan penggunaan:\nRuangan dikembalikan dalam keadaan bersih.\n\n"
            "Apabila tidak jadi digunakan, mohon dibatalkan agar dapat dipakai pihak lain:\n"
            f"{site}/fasilitas/permohonan/{code}/\n\n"
            f"{UMUM_FOOTER}"
        ),
    }
    assert head == {
        "channel": "email",
        "recipient": umum_head.email,
        "subject": f'Pengingat: Ruang Rapat Lt. 2 dipesan untuk {when} – Yayasan "Bina" & Mitra',
        "body": (
            "Pemakaian sarana berikut dimulai pada hari kerja berikutnya; mohon dipersiapkan:\n\n"
            "Sarana: Ruang Rapat Lt. 2\n"
            f"Waktu: {when}\n"
            'Organisasi: Yayasan "Bina" & Mitra\n'
            "Keperluan: Rapat koordinasi\n"
            f"Nomor permohonan: {case.number}\n"
            f"{site}/staf/fasilitas/permohonan/{case.number}/\n\n"
            f"{UMUM_FOOTER}"
        ),
    }


@pytest.mark.parametrize(
    ("location", "rules", "lines"),
    [
        ("Gedung B", "", "Tempat: Gedung B\n"),
        (
            "",
            "Dilarang merokok.\nKembalikan kunci.",
            "\nKetentuan penggunaan:\nDilarang merokok.\nKembalikan kunci.\n",
        ),
    ],
)
def test_booking_with_only_a_place_or_only_rules(
    seeds, umum, file_request, umum_head, location, rules, lines, settings
):
    """Each of the place and the rules of use stands on its own."""
    resource = Resource.objects.create(
        unit=umum, name="Mobil Dinas", kind=ResourceKind.ROOM, location=location, rules=rules
    )
    case = file_request(resource, wib(2026, 12, 14, 9), wib(2026, 12, 15, 11))
    booking_approve(actor=umum_head, case=case)
    booking, code = _booking(case)
    with translation.override("id"):
        requester = booking_messages(booking)[0]
    assert requester["body"] == (
        "Yth. Siti Aminah,\n\n"
        "Kami mengingatkan pemesanan Anda yang telah disetujui di Biro Umum.\n\n"
        "Sarana: Mobil Dinas\n"
        "Waktu: Senin, 14 Desember 2026 pukul 09.00 WIB – Selasa, 15 Desember 2026 "
        "pukul 11.00 WIB\n"
        f"{lines}\n"
        "Apabila tidak jadi digunakan, mohon dibatalkan agar dapat dipakai pihak lain:\n"
        f"{settings.SITE_URL}/fasilitas/permohonan/{code}/\n\n"
        f"{UMUM_FOOTER}"
    )


def test_booking_without_place_rules_or_organisation_by_whatsapp_in_wita(
    seeds, umum, hall, file_request, umum_head, settings
):
    """No place, no rules; no organisation: the requester's name; the requester and the
    approver by WhatsApp (only telephone numbers), the assignee by e-mail; the time in WITA."""
    settings.WHATSAPP_ENABLED = True
    site = settings.SITE_URL
    umum.time_zone = "Asia/Makassar"
    umum.save(update_fields=["time_zone"])
    umum_head.email = ""
    umum_head.phone = "081311112222"
    umum_head.save(update_fields=["email", "phone"])
    case = file_request(
        hall,
        wib(2026, 12, 14, 13),
        wib(2026, 12, 14, 15),
        organisation="",
        requester_email="",
        requester_phone="081255556666",
    )
    booking_approve(actor=umum_head, case=case)
    case.assignee = UserFactory(username="umum.pelaksana")
    case.save(update_fields=["assignee"])
    booking, code = _booking(case)
    when = "Senin, 14 Desember 2026 pukul 14.00 WITA – 16.00 WITA"
    with translation.override("id"):
        requester, assignee, head = booking_messages(booking)
    assert requester == {
        "channel": "whatsapp",
        "recipient": "+6281255556666",
        "subject": f"Pengingat: Aula Utama dipesan untuk {when} – {code}",
        "body": f"Pengingat: Aula Utama dipesan untuk {when}\n{site}/fasilitas/permohonan/{code}/",
    }
    subject = f"Pengingat: Aula Utama dipesan untuk {when} – Siti Aminah"
    staff_url = f"{site}/staf/fasilitas/permohonan/{case.number}/"
    assert assignee == {
        "channel": "email",
        "recipient": "umum.pelaksana@example.go.id",
        "subject": subject,
        "body": (
            "Pemakaian sarana berikut dimulai pada hari kerja berikutnya; mohon dipersiapkan:\n\n"
            "Sarana: Aula Utama\n"
            f"Waktu: {when}\n"
            "Organisasi: Siti Aminah\n"
            "Keperluan: Rapat koordinasi\n"
            f"Nomor permohonan: {case.number}\n"
            f"{staff_url}\n\n"
            f"{UMUM_FOOTER}"
        ),
    }
    assert head == {
        "channel": "whatsapp",
        "recipient": "081311112222",
        "subject": subject,
        "body": f"{subject}\n{staff_url}",
    }


def test_booking_in_english(seeds, room, file_request, umum_head, settings):
    """The msgids themselves, for a site in English."""
    settings.WHATSAPP_ENABLED = True
    site = settings.SITE_URL
    footer = "—\nThis message was sent automatically by Layanan, Biro Umum. Please do not reply."
    case = file_request(room, wib(2026, 12, 14, 9), wib(2026, 12, 14, 11), organisation=ORG)
    booking_approve(actor=umum_head, case=case)
    booking, code = _booking(case)
    when = "Senin, 14 Desember 2026 pukul 09.00 WIB – 11.00 WIB"
    with translation.override("en"):
        requester, head = booking_messages(booking)
    assert requester["subject"] == f"Reminder: Ruang Rapat Lt. 2 booked for {when} – {code}"
    assert requester["body"] == (
        "Dear Siti Aminah,\n\n"
        "This is a reminder of your approved booking at Biro Umum.\n\n"
        "Facility: Ruang Rapat Lt. 2\n"
        f"When: {when}\n"
        "Place: Kantor Gubernur, lantai 2\n\n"
        "Rules of use:\nRuangan dikembalikan dalam keadaan bersih.\n\n"
        "If you no longer need it, please cancel so others can use it:\n"
        f"{site}/fasilitas/permohonan/{code}/\n\n"
        f"{footer}"
    )
    assert head["subject"] == (
        f'Reminder: Ruang Rapat Lt. 2 is booked for {when} – Yayasan "Bina" & Mitra'
    )
    assert head["body"] == (
        "A facility booking starts on the next working day; please have it ready:\n\n"
        "Facility: Ruang Rapat Lt. 2\n"
        f"When: {when}\n"
        'Organisation: Yayasan "Bina" & Mitra\n'
        "Purpose: Rapat koordinasi\n"
        f"Request number: {case.number}\n"
        f"{site}/staf/fasilitas/permohonan/{case.number}/\n\n"
        f"{footer}"
    )
    short_case = file_request(
        room,
        wib(2026, 12, 15, 9),
        wib(2026, 12, 15, 11),
        requester_email="",
        requester_phone="081255556666",
    )
    booking_approve(actor=umum_head, case=short_case)
    booking, code = _booking(short_case)
    with translation.override("en"):
        whatsapp = booking_messages(booking)[0]
    assert whatsapp["body"] == (
        "Reminder: Ruang Rapat Lt. 2 booked for Selasa, 15 Desember 2026 pukul 09.00 WIB – "
        f"11.00 WIB\n{site}/fasilitas/permohonan/{code}/"
    )
