"""Reminders the working day before an audience or a facility booking (the sweep and the timing
in cases/reminders.py, the audience's messages in audiences/reminders.py, the booking's in
facilities/reminders.py).

The expected days are computed by hand from the 2026 list in REGULATIONS.md (SKB 1497/2025):
national holidays 1 Jan, 16 Jan, 17 Feb, 19 Mar, 21–22 Mar, 3 Apr, 5 Apr, 1 May, 14 May,
27 May, 31 May, 1 Jun, 16 Jun, 17 Aug, 25 Aug, 25 Dec; cuti bersama 16 Feb, 18 Mar, 20, 23,
24 Mar, 15 May, 28 May, 24 Dec; and 1 Jan 2027. Offices are closed on Saturday and Sunday.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from layanan.audiences.models import AudienceDetail
from layanan.audiences.services import audience_reply, audience_schedule
from layanan.cases.reminders import reminder_due, send_reminders, working_day_before
from layanan.facilities.services import booking_approve, booking_refuse
from layanan.notify.models import OutboxMessage
from layanan.workdays.deadlines import Calendar

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Pontianak")


def wib(y, m, d, hour=10, minute=0) -> dt.datetime:
    return dt.datetime(y, m, d, hour, minute, tzinfo=WIB)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # Monday 28 Dec 2026: Sun 27, Sat 26, Fri 25 (Christmas), Thu 24 (cuti bersama) → Wed 23
        (dt.date(2026, 12, 28), dt.date(2026, 12, 23)),
        # an ordinary Monday → the Friday before
        (dt.date(2026, 12, 14), dt.date(2026, 12, 11)),
        # an ordinary Tuesday → Monday
        (dt.date(2026, 12, 15), dt.date(2026, 12, 14)),
        # Wed 25 Mar: 24, 23 (cuti), 22, 21 (Idul Fitri), 20 (cuti), 19 (Nyepi), 18 (cuti) → Tue 17
        (dt.date(2026, 3, 25), dt.date(2026, 3, 17)),
        # Mon 18 May: weekend, Fri 15 (cuti), Thu 14 (Kenaikan Yesus Kristus) → Wed 13
        (dt.date(2026, 5, 18), dt.date(2026, 5, 13)),
        # Fri 29 May: Thu 28 (cuti), Wed 27 (Idul Adha) → Tue 26
        (dt.date(2026, 5, 29), dt.date(2026, 5, 26)),
        # Tue 2 Jun: Mon 1 Jun (Pancasila), Sun 31 May (Waisak), Sat 30 → Fri 29 May
        (dt.date(2026, 6, 2), dt.date(2026, 5, 29)),
        # Wed 18 Feb: Tue 17 (Imlek), Mon 16 (cuti), weekend → Fri 13 Feb
        (dt.date(2026, 2, 18), dt.date(2026, 2, 13)),
        # Mon 4 Jan 2027: weekend, Fri 1 Jan 2027 (New Year) → Thu 31 Dec 2026
        (dt.date(2027, 1, 4), dt.date(2026, 12, 31)),
    ],
)
def test_working_day_before_skips_weekends_holidays_and_cuti_bersama(kesra, day, expected):
    """The reminder day is the last working day before the day, from the unit's calendar with
    the 2026 holidays and cuti bersama (hand-computed from REGULATIONS.md)."""
    calendar = Calendar.for_unit(kesra)
    assert working_day_before(day, calendar) == expected
    due = reminder_due(dt.datetime.combine(day, dt.time(10), tzinfo=WIB), calendar)
    assert due == dt.datetime.combine(expected, dt.time(8), tzinfo=WIB)


@pytest.fixture
def answered_audience(file_audience, kesra_head, kesra_handler, kesra_officer, org):
    """An audience on Monday 28 December 2026 at 10.00 WIB, its reply letter issued; the
    head of the bureau receives it (her account chosen for the reminder)."""

    def _make(**fields):
        from layanan.audiences.services import audience_dispose

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
            official_user=kesra_head,
        )
        audience_reply(actor=kesra_officer, case=case)
        case.refresh_from_db()
        return case

    return _make


def _reminders(case=None):
    qs = OutboxMessage.objects.filter(kind__endswith=".reminder")
    return qs.filter(case_id=case.pk) if case is not None else qs


def test_audience_reminder_goes_once_on_the_working_day_before_at_eight(
    clock, answered_audience, kesra_head
):
    """Nothing before Wednesday 23 Dec 08.00 WIB; then one e-mail to the requester and one
    to the receiving official, stating "pukul 10.00 WIB"; repeated sweeps add nothing."""
    case = answered_audience()
    clock.move_to(wib(2026, 12, 22, 16))
    assert send_reminders().messages == 0
    clock.move_to(wib(2026, 12, 23, 7, 55))
    assert send_reminders().messages == 0
    clock.move_to(wib(2026, 12, 23, 8, 5))
    report = send_reminders()
    assert (report.audiences, report.messages) == (1, 2)
    sent = {m.recipient: m for m in _reminders(case)}
    assert set(sent) == {"yohanes@example.org", kesra_head.email}
    for message in sent.values():
        assert "Senin, 28 Desember 2026 pukul 10.00 WIB" in message.body
        assert message.channel == "email"
    assert "surat-balasan.pdf" in sent["yohanes@example.org"].body
    assert case.number in sent[kesra_head.email].body
    for _ in range(3):
        assert send_reminders().messages == 0
    assert _reminders(case).count() == 2
    events = case.events.filter(kind="reminder")
    assert events.count() == 1 and events.get().is_internal


def test_no_messages_at_night_a_missed_reminder_goes_next_morning(clock, answered_audience):
    """A sweep after 20.00 local time sends nothing; the next morning's does (the audience
    is still ahead), even on a holiday."""
    case = answered_audience()
    clock.move_to(wib(2026, 12, 23, 21))
    assert send_reminders().messages == 0
    clock.move_to(wib(2026, 12, 24, 6))
    assert send_reminders().messages == 0
    clock.move_to(wib(2026, 12, 24, 8))
    assert send_reminders().messages == 2
    assert _reminders(case).count() == 2


def test_a_changed_start_time_gets_a_new_reminder(clock, answered_audience):
    """The reminder is once per booking *and start time*: after the time changes, the new
    time is reminded too (and again only once)."""
    case = answered_audience()
    clock.move_to(wib(2026, 12, 23, 9))
    assert send_reminders().messages == 2
    AudienceDetail.objects.filter(case=case).update(schedule_starts_at=wib(2026, 12, 28, 14))
    assert send_reminders().messages == 2
    assert send_reminders().messages == 0
    bodies = [m.body for m in _reminders(case).order_by("pk")]
    assert "pukul 14.00 WIB" in bodies[-1]


def test_requester_with_only_a_phone_is_reminded_by_whatsapp(clock, answered_audience, settings):
    """No e-mail address, a telephone number and WhatsApp on: the reminder goes by WhatsApp
    through the outbox; with WhatsApp off, only the official is reminded."""
    settings.WHATSAPP_ENABLED = True
    case = answered_audience(requester_email="")
    clock.move_to(wib(2026, 12, 23, 9))
    send_reminders()
    whatsapp = _reminders(case).get(channel="whatsapp")
    assert whatsapp.recipient.endswith("81234567890")
    assert "pukul 10.00 WIB" in whatsapp.body
    settings.WHATSAPP_ENABLED = False
    other = answered_audience(requester_email="")
    send_reminders()
    assert list(_reminders(other).values_list("channel", flat=True)) == ["email"]


def test_only_confirmed_audiences_are_reminded(
    clock, file_audience, kesra_head, org, kesra_handler
):
    """An audience whose schedule is only proposed (no reply letter yet) is not reminded:
    the requester has not been told the time."""
    from layanan.audiences.services import audience_dispose

    case = file_audience()
    audience_dispose(
        actor=kesra_head, case=case, division=org["kesra-bina-mental"], instruction="x"
    )
    audience_schedule(
        actor=kesra_handler, case=case, starts_at=wib(2026, 12, 28), place="R", official="K"
    )
    clock.move_to(wib(2026, 12, 23, 9))
    assert send_reminders().messages == 0


def test_unit_in_another_time_zone_is_reminded_at_its_own_eight(clock, answered_audience, kesra):
    """A unit in WITA: the reminder is due at 08.00 WITA (07.00 WIB) and states WITA."""
    kesra.time_zone = "Asia/Makassar"
    kesra.save(update_fields=["time_zone"])
    case = answered_audience()
    clock.move_to(wib(2026, 12, 23, 6, 55))  # 07.55 WITA
    assert send_reminders().messages == 0
    clock.move_to(wib(2026, 12, 23, 7, 5))  # 08.05 WITA
    assert send_reminders().messages == 2
    assert "pukul 11.00 WITA" in _reminders(case).first().body


def test_facility_booking_reminder_to_requester_and_the_approver(
    clock, seeds, room, file_request, umum_head
):
    """An approved booking on Monday 14 Dec 2026 09.00–11.00 is reminded on Friday 11 Dec
    from 08.00 to the requester (with the rules of use) and to the head who approved it."""
    case = file_request(room, wib(2026, 12, 14, 9), wib(2026, 12, 14, 11))
    booking_approve(actor=umum_head, case=case)
    clock.move_to(wib(2026, 12, 10, 15))
    assert send_reminders().messages == 0
    clock.move_to(wib(2026, 12, 11, 8, 1))
    report = send_reminders()
    assert (report.bookings, report.messages) == (1, 2)
    sent = {m.recipient: m for m in _reminders(case)}
    assert set(sent) == {"siti@example.org", umum_head.email}
    requester = sent["siti@example.org"].body
    assert "Senin, 14 Desember 2026 pukul 09.00 WIB – 11.00 WIB" in requester
    assert "Ruangan dikembalikan dalam keadaan bersih." in requester
    assert case.number in sent[umum_head.email].body
    assert send_reminders().messages == 0


def test_refused_booking_is_not_reminded(clock, seeds, room, file_request, umum_head):
    """Only approved bookings are reminded."""
    case = file_request(room, wib(2026, 12, 14, 9), wib(2026, 12, 14, 11))
    booking_refuse(actor=umum_head, case=case, reason="Dipakai acara gubernur.")
    clock.move_to(wib(2026, 12, 11, 9))
    assert send_reminders().messages == 0


def test_command_sends_and_reports(clock, answered_audience, capsys):
    """``manage.py send_reminders`` runs the sweep once and says what it queued."""
    answered_audience()
    clock.move_to(wib(2026, 12, 23, 9))
    call_command("send_reminders")
    assert "1 audience(s) and 0 booking(s) reminded, 2 message(s) queued" in capsys.readouterr().out
    call_command("send_reminders")
    assert "0 message(s) queued" in capsys.readouterr().out
