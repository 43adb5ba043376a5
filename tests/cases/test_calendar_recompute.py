"""When the working-day calendar changes, running cases' due times follow.

Every expected date is worked out by hand from the 2026 SKB list (REGULATIONS.md) and the 2027
dates of the ``holidays`` package as ``load_demo`` syncs them (1 Jan Tahun Baru, 5 Jan Isra
Mikraj, 5 Feb cuti bersama Imlek, 6 Feb Imlek, 8 Mar Nyepi, 9–15 Mar Idul Fitri and its cuti
bersama…), with a printed calendar — never from the code's output. Seed classes: ringan 3 jam,
normatif 5 hari kerja, tidak berkadar pengawasan 14 hari kerja, berkadar pengawasan 60 hari
kerja. Kesra counts in WIB (Mon–Thu 07:30–16:00, Fri 07:30–16:30).
"""

from __future__ import annotations

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from layanan.cases.models import CaseEvent, SlaState, Status
from layanan.cases.recompute import calendar_recompute_run
from layanan.cases.sla import sla_sweep
from layanan.cases.workflow import case_transition
from layanan.complaints.selectors import public_timeline
from layanan.complaints.services import complaint_classify, complaint_create
from layanan.notify.models import OutboxMessage
from layanan.workdays.models import (
    CalendarRecompute,
    Holiday,
    HolidayKind,
    OfficeHoursOverride,
    RecomputeStatus,
)
from layanan.workdays.services import (
    holiday_delete,
    holiday_save,
    holidays_sync,
    override_save,
)

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Pontianak")


def at(y, mo, d, h=0, mi=0) -> dt.datetime:
    return dt.datetime(y, mo, d, h, mi, tzinfo=WIB)


@pytest.fixture(autouse=True)
def _quiet_outbox(settings):
    settings.NOTIFY_DISPATCH_ON_COMMIT = False
    settings.WHATSAPP_ENABLED = False


@pytest.fixture
def kesra(org):
    call_command("load_demo", "--no-users", stdout=StringIO())  # seeds, holidays 2025–2027
    return org["biro-kesra"]


@pytest.fixture
def file(kesra, kesra_officer, clock):
    """Record a complaint received at ``received`` (the clock moves just past it)."""

    def make(received, class_code, **kwargs):
        clock.move_to(received + dt.timedelta(minutes=5))
        fields = {
            "requester_name": "Siti Aminah",
            "requester_email": "siti@example.com",
        }
        fields.update(kwargs)
        return complaint_create(
            actor=kesra_officer,
            unit=kesra,
            description="Loket tutup pada jam layanan.",
            channel="email",
            received_at=received,
            class_code=class_code,
            **fields,
        )

    return make


def add_holiday(actor, day, kind=HolidayKind.CUTI_BERSAMA, name="Cuti bersama (SKB perubahan)"):
    holiday = holiday_save(
        actor=actor, holiday=Holiday(date=day, name=name, kind=kind), changed=True
    )
    return holiday, holiday.calendar_run


def run(calendar_run) -> CalendarRecompute:
    assert calendar_run is not None
    return calendar_recompute_run(run_id=calendar_run.pk)


def due(case) -> dt.datetime:
    case.refresh_from_db()
    return case.due_at


def moves(case) -> list[tuple[str, str]]:
    return list(
        CaseEvent.objects.filter(case=case, kind="due_changed")
        .order_by("pk")
        .values_list("old_value", "new_value")
    )


def test_issue_example_60_working_days_cuti_bersama_4_january(file, admin, clock):
    """The measured case: received Tue 1 Dec 2026 10:00, berkadar pengawasan (60 working days)
    → Tue 2 Mar 2027 16:00. A cuti bersama on Mon 4 Jan 2027 added in the admin moves it to
    Wed 3 Mar 2027 16:00; the timeline says why, the tracking page shows it, the reporter is
    told, and the run counts the case."""
    case = file(at(2026, 12, 1, 10), "berkadar_pengawasan")
    assert due(case) == at(2027, 3, 2, 16)
    _h, calendar_run = add_holiday(admin, dt.date(2027, 1, 4))
    assert calendar_run.status == RecomputeStatus.PENDING
    assert due(case) == at(2027, 3, 2, 16)  # nothing moves in the admin's request
    done = run(calendar_run)
    assert due(case) == at(2027, 3, 3, 16)
    assert (done.status, done.cases_moved) == (RecomputeStatus.DONE, 1)
    assert done.requested_by == admin
    event = CaseEvent.objects.get(case=case, kind="due_changed")
    assert not event.is_internal and event.actor is None
    assert event.public_note == (
        "Batas waktu disesuaikan: cuti bersama 4 Januari 2027. Batas waktu baru: Rabu, "
        "3 Maret 2027 pukul 16.00 WIB (sebelumnya Selasa, 2 Maret 2027 pukul 16.00 WIB)."
    )
    entry = public_timeline(case)[-1]
    assert entry.note == event.public_note and not entry.by_officer
    # The reporter is told (a move of a day or more), in Indonesian, with the new time.
    message = OutboxMessage.objects.get(case_id=case.pk, kind="complaint.due_moved")
    assert message.recipient == "siti@example.com"
    assert "Rabu, 3 Maret 2027 pukul 16.00 WIB" in message.body
    assert "cuti bersama 4 Januari 2027" in message.body
    # Running the same run again moves nothing and tells nobody twice.
    again = calendar_recompute_run(run_id=calendar_run.pk)
    assert (again.cases_checked, again.cases_moved) == (1, 0)
    assert OutboxMessage.objects.filter(kind="complaint.due_moved").count() == 1


def test_five_working_days_added_moved_removed_inside_and_outside(file, admin):
    """Received Mon 28 Dec 2026 10:00, normatif (5 working days): 29, 30, 31 Dec, (1 Jan
    Tahun Baru) 4 Jan, (5 Jan Isra Mikraj) 6 Jan → Wed 6 Jan 2027 16:00.
    - cuti bersama added Mon 4 Jan → 29, 30, 31, 6, 7 → Thu 7 Jan 16:00;
    - moved to Fri 8 Jan → 4 Jan counts again → Wed 6 Jan 16:00;
    - deleted from 8 Jan (outside the span now) → nothing moves;
    - a holiday added on Fri 15 Jan (outside) → nothing moves;
    - Isra Mikraj (5 Jan, synced) deleted, so cancelled → 29, 30, 31, 4, 5 → Tue 5 Jan 16:00."""
    case = file(at(2026, 12, 28, 10), "normatif")
    assert due(case) == at(2027, 1, 6, 16)
    holiday, calendar_run = add_holiday(admin, dt.date(2027, 1, 4))
    run(calendar_run)
    assert due(case) == at(2027, 1, 7, 16)
    holiday.date = dt.date(2027, 1, 8)
    run(holiday_save(actor=admin, holiday=holiday, changed=True).calendar_run)
    assert due(case) == at(2027, 1, 6, 16)
    holiday_delete(actor=admin, holiday=holiday)
    assert run(holiday.calendar_run).cases_moved == 0
    assert run(add_holiday(admin, dt.date(2027, 1, 15), kind=HolidayKind.LOCAL)[1]).cases_moved == 0
    assert due(case) == at(2027, 1, 6, 16)
    isra_mikraj = Holiday.objects.get(date=dt.date(2027, 1, 5))
    assert holiday_delete(actor=admin, holiday=isra_mikraj) is False  # synced: cancelled
    run(isra_mikraj.calendar_run)
    assert due(case) == at(2027, 1, 5, 16)
    assert [new[:16] for _old, new in moves(case)] == [
        "2027-01-07T16:00",
        "2027-01-06T16:00",
        "2027-01-05T16:00",
    ]


def test_fourteen_working_days_added_moved_within_and_out(file, admin):
    """Received Wed 9 Dec 2026 10:00, tidak berkadar pengawasan (14 working days): 10, 11,
    14–18, 21–23, (24 cuti bersama, 25 Natal) 28–31 Dec → Thu 31 Dec 2026 16:00.
    - cuti bersama added Mon 28 Dec → 29–31 is day 13, (1 Jan) Mon 4 Jan 2027 16:00;
    - moved to Fri 11 Dec (still inside): still 14 days by Mon 4 Jan → nothing moves;
    - moved to Fri 8 Jan 2027 (after the due time) → back to Thu 31 Dec 16:00."""
    case = file(at(2026, 12, 9, 10), "tidak_berkadar_pengawasan")
    assert due(case) == at(2026, 12, 31, 16)
    holiday, calendar_run = add_holiday(admin, dt.date(2026, 12, 28))
    run(calendar_run)
    assert due(case) == at(2027, 1, 4, 16)
    holiday.date = dt.date(2026, 12, 11)
    assert (
        run(holiday_save(actor=admin, holiday=holiday, changed=True).calendar_run).cases_moved == 0
    )
    assert due(case) == at(2027, 1, 4, 16)
    holiday.date = dt.date(2027, 1, 8)
    run(holiday_save(actor=admin, holiday=holiday, changed=True).calendar_run)
    assert due(case) == at(2026, 12, 31, 16)
    assert len(moves(case)) == 2


def test_ramadan_hours_shorten_a_three_hour_complaint(file, admin, org):
    """Received Tue 16 Feb 2027 14:00, ringan (3 office hours): 14:00–16:00, then 1 h from Wed
    07:30 → Wed 17 Feb 08:30. Ramadan hours 8 Feb – 9 Mar 2027 (Mon–Thu 08:00–15:00, Fri
    08:00–15:30, every unit): 1 h until 15:00, 2 h from Wed 08:00 → Wed 17 Feb 10:00. Shown on
    the timeline; a move of under a day is not sent to the reporter. The same override for
    another bureau does not touch the Kesra case."""
    case = file(at(2027, 2, 16, 14), "ringan")
    assert due(case) == at(2027, 2, 17, 8, 30)
    other = OfficeHoursOverride(
        unit=org["biro-perekonomian"],
        date_from=dt.date(2027, 2, 8),
        date_to=dt.date(2027, 3, 9),
        opens=dt.time(8),
        closes=dt.time(15),
        reason="Jam kerja Ramadan",
    )
    assert run(override_save(actor=admin, override=other)).cases_checked == 0
    for weekdays, closes in (("0123", dt.time(15)), ("4", dt.time(15, 30))):
        ramadan = OfficeHoursOverride(
            date_from=dt.date(2027, 2, 8),
            date_to=dt.date(2027, 3, 9),
            weekdays=weekdays,
            opens=dt.time(8),
            closes=closes,
            reason="Jam kerja Ramadan 1448 H",
        )
        run(override_save(actor=admin, override=ramadan))
    assert due(case) == at(2027, 2, 17, 10)
    (event,) = CaseEvent.objects.filter(case=case, kind="due_changed")
    assert "Jam kerja Ramadan 1448 H, 8 Februari 2027 – 9 Maret 2027" in event.public_note
    assert not OutboxMessage.objects.filter(kind="complaint.due_moved").exists()


def test_a_case_with_a_past_pause_keeps_its_pause(file, admin, kesra_officer, clock):
    """Received Mon 28 Dec 2026 10:00, normatif; waited on the reporter Tue 29 Dec 10:00 → Wed
    30 Dec 10:00 (29 and 30 do not count): 31 Dec, 4, 6, 7, 8 Jan → Fri 8 Jan 2027 16:30. Cuti
    bersama Mon 4 Jan → 31, 6, 7, 8, 11 → Mon 11 Jan 16:00 (recomputed from the receipt, with
    the pause)."""
    case = file(at(2026, 12, 28, 10), "normatif")
    clock.move_to(at(2026, 12, 29, 10))
    case_transition(actor=kesra_officer, case=case, to=Status.WAITING, public_note="Foto?")
    clock.move_to(at(2026, 12, 30, 10))
    case_transition(actor=kesra_officer, case=case, to=Status.IN_PROGRESS)
    assert due(case) == at(2027, 1, 8, 16, 30)
    run(add_holiday(admin, dt.date(2027, 1, 4))[1])
    assert due(case) == at(2027, 1, 11, 16)


def test_a_paused_case_is_left_alone_and_resumes_on_the_new_calendar(
    file, admin, kesra_officer, clock
):
    """Received Mon 28 Dec 2026 10:00, normatif (Wed 6 Jan 2027 16:00), waiting on the reporter
    since Tue 29 Dec 10:00: the recompute leaves it alone (its clock stands). Resumed Wed 30
    Dec 10:00, after a cuti bersama on Mon 4 Jan was added: 31, 6, 7, 8, 11 → Mon 11 Jan
    16:00."""
    case = file(at(2026, 12, 28, 10), "normatif")
    clock.move_to(at(2026, 12, 29, 10))
    case_transition(actor=kesra_officer, case=case, to=Status.WAITING, public_note="Foto?")
    clock.move_to(at(2026, 12, 29, 11))
    done = run(add_holiday(admin, dt.date(2027, 1, 4))[1])
    assert (done.cases_checked, done.cases_moved) == (0, 0)
    assert due(case) == at(2027, 1, 6, 16) and not moves(case)
    clock.move_to(at(2026, 12, 30, 10))
    case_transition(actor=kesra_officer, case=case, to=Status.IN_PROGRESS)
    assert due(case) == at(2027, 1, 11, 16)


def test_closed_and_answered_cases_keep_their_due_time(file, admin, kesra_officer, clock):
    """Received Tue 1 Dec 2026 10:00, normatif: 2, 3, 4, 7, 8 Dec → Tue 8 Dec 16:00. A cuti
    bersama on Thu 3 Dec moves the running twin to Wed 9 Dec 16:00; the closed one keeps
    Tue 8 Dec, with no event."""
    closed = file(at(2026, 12, 1, 10), "normatif")
    running = file(at(2026, 12, 1, 10), "normatif")
    for to in (Status.VERIFIED, Status.ANSWERED, Status.CLOSED):
        closed = case_transition(actor=kesra_officer, case=closed, to=to)
    run(add_holiday(admin, dt.date(2026, 12, 3))[1])
    assert due(running) == at(2026, 12, 9, 16)
    assert due(closed) == at(2026, 12, 8, 16) and not moves(closed)


def test_sla_state_follows_the_move_and_escalates_once(file, admin, clock):
    """At Wed 9 Dec 2026 10:00, with a cuti bersama on Fri 4 Dec 2026 in the table: received
    Tue 1 Dec 10:00, normatif → 2, 3, 7, 8, 9 → Wed 9 Dec 16:00, due soon (within 24 h).
    - a cuti bersama added on Wed 9 Dec → 2, 3, 7, 8, 10 → Thu 10 Dec 16:00: back on track;
    - 9 Dec withdrawn → Wed 9 Dec 16:00 again: due soon again;
    - 4 Dec withdrawn → 2, 3, 4, 7, 8 → Tue 8 Dec 16:00: overdue, escalated — once."""
    fourth, _run = add_holiday(admin, dt.date(2026, 12, 4))
    case = file(at(2026, 12, 1, 10), "normatif")
    clock.move_to(at(2026, 12, 9, 10))
    assert due(case) == at(2026, 12, 9, 16)
    sla_sweep()
    case.refresh_from_db()
    assert case.sla_state == SlaState.DUE_SOON
    ninth, calendar_run = add_holiday(admin, dt.date(2026, 12, 9))
    run(calendar_run)
    case.refresh_from_db()
    assert (case.due_at, case.sla_state) == (at(2026, 12, 10, 16), SlaState.ON_TRACK)
    holiday_delete(actor=admin, holiday=ninth)
    run(ninth.calendar_run)
    case.refresh_from_db()
    assert (case.due_at, case.sla_state) == (at(2026, 12, 9, 16), SlaState.DUE_SOON)
    holiday_delete(actor=admin, holiday=fourth)
    run(fourth.calendar_run)
    sla_sweep()
    case.refresh_from_db()
    assert (case.due_at, case.sla_state) == (at(2026, 12, 8, 16), SlaState.OVERDUE)
    assert CaseEvent.objects.filter(case=case, kind="sla_overdue").count() == 1


def test_anonymous_reporter_is_not_told(file, admin):
    """An anonymous complaint's due time moves and its timeline says so, but no message is
    queued (there is no address, and nothing may be sent about it)."""
    case = file(
        at(2026, 12, 1, 10),
        "berkadar_pengawasan",
        requester_name="",
        anonymous=True,
        requester_email="",
    )
    run(add_holiday(admin, dt.date(2027, 1, 4))[1])
    assert due(case) == at(2027, 3, 3, 16)
    assert not OutboxMessage.objects.filter(case_id=case.pk, kind="complaint.due_moved").exists()


def test_sync_records_one_run_for_the_whole_sync(kesra):
    """A sync that adds several dates records one recompute run, not one per row; a sync that
    changes nothing records none."""
    Holiday.objects.in_year(2026).delete()
    before = CalendarRecompute.objects.count()
    holidays_sync(year=2026)
    assert CalendarRecompute.objects.count() == before + 1
    latest = CalendarRecompute.objects.order_by("-pk").first()
    assert (latest.date_from, latest.date_to) == (dt.date(2026, 1, 1), dt.date(2026, 12, 25))
    holidays_sync(year=2026)
    assert CalendarRecompute.objects.count() == before + 1


def test_admin_save_returns_at_once_and_points_to_the_run(
    file, client, django_capture_on_commit_callbacks
):
    """Saving a holiday in the admin recomputes nothing in the request: it records the run,
    enqueues the task after commit and says where to read the count; the run's page shows
    how many running cases moved once the task has run."""
    from django_tasks_db.models import DBTaskResult

    from tests.factories import UserFactory

    case = file(at(2026, 12, 1, 10), "berkadar_pengawasan")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:workdays_holiday_add"),
            {"date": "2027-01-04", "name": "Cuti bersama", "kind": "cuti_bersama", "note": ""},
            follow=True,
        )
    assert response.status_code == 200
    calendar_run = CalendarRecompute.objects.get(date_from=dt.date(2027, 1, 4))
    assert due(case) == at(2027, 3, 2, 16)  # not in the request
    link = reverse("admin:workdays_calendarrecompute_change", args=[calendar_run.pk])
    assert link in response.content.decode()
    assert DBTaskResult.objects.filter(
        task_path="layanan.cases.tasks.calendar_recompute_task"
    ).exists()
    from layanan.cases.tasks import calendar_recompute_task

    calendar_recompute_task.call(run_id=calendar_run.pk)
    page = client.get(link).content.decode()
    assert due(case) == at(2027, 3, 3, 16)
    calendar_run.refresh_from_db()
    assert calendar_run.cases_moved == 1 and calendar_run.status == RecomputeStatus.DONE
    assert '<div class="readonly">1</div>' in page.split("field-cases_moved")[1][:400]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are a PostgreSQL property")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("change", ["reclassify", "resume"])
def test_a_change_in_flight_is_not_lost(file, admin, kesra_officer, clock, change):
    """The dangerous order: a reclassification (or a resume) has computed its due time from
    the old calendar and not yet committed when a cuti bersama on Mon 4 Jan 2027 is added and
    recomputed. The calendar change waits for it, so the recompute sees its result: the case
    received Tue 1 Dec 2026 10:00 ends at 60 working days on the new calendar, Wed 3 Mar 2027
    16:00 (2 Mar would be the old calendar's). For the resume: waiting since Wed 2 Dec 10:00
    (from the reporter; 2 Dec does not count), resumed Thu 3 Dec 10:00 (3 Dec does not count)
    → two working days later than without the pause, Fri 5 Mar 2027 16:30."""
    import contextvars
    import threading

    from django.db import connections, transaction

    case = file(
        at(2026, 12, 1, 10), "normatif" if change == "reclassify" else "berkadar_pengawasan"
    )
    expected = at(2027, 3, 3, 16)
    if change == "resume":
        clock.move_to(at(2026, 12, 2, 10))
        case_transition(actor=kesra_officer, case=case, to=Status.WAITING, public_note="Foto?")
        clock.move_to(at(2026, 12, 3, 10))
        expected = at(2027, 3, 5, 16, 30)
    computed, errors = threading.Event(), []

    def writer():
        try:
            with transaction.atomic():
                if change == "reclassify":
                    complaint_classify(
                        actor=kesra_officer, case=case, class_code="berkadar_pengawasan"
                    )
                else:
                    case_transition(actor=kesra_officer, case=case, to=Status.IN_PROGRESS)
                computed.set()
                threading.Event().wait(1.0)  # still open while the calendar changes
        except Exception as exc:  # pragma: no cover - re-raised below
            errors.append(exc)
            computed.set()
        finally:
            connections.close_all()

    context = contextvars.copy_context()  # the test's disabled unit scope holds there too
    thread = threading.Thread(target=lambda: context.run(writer))
    thread.start()
    assert computed.wait(10)
    _h, calendar_run = add_holiday(admin, dt.date(2027, 1, 4))  # waits for the writer
    run(calendar_run)
    thread.join(10)
    assert not errors, errors
    assert due(case) == expected


def test_office_hours_changed_in_the_admin_move_the_unit_subtree(file, org, kesra_officer, client):
    """Kesra (no hours of its own: the default week) gets a week with only Friday open,
    07:30–16:00, in the admin. A complaint to Kesra received Fri 4 Dec 2026 10:00, normatif (Fri
    11 Dec 16:30 on the default week), now counts Fridays: 11, 18 Dec, (25 Dec Natal, 1 Jan
    Tahun Baru) 8, 15, 22 Jan → Fri 22 Jan 2027 16:00. The run is Kesra's (its subtree, every
    date)."""
    from tests.factories import UserFactory

    case = file(at(2026, 12, 4, 10), "normatif")
    assert due(case) == at(2026, 12, 11, 16, 30)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.post(
        reverse("admin:workdays_officehours_add"),
        {"unit": org["biro-kesra"].pk, "weekday": 4, "opens": "07:30", "closes": "16:00"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    calendar_run = CalendarRecompute.objects.order_by("-pk").first()
    assert calendar_run.unit == org["biro-kesra"]
    assert (calendar_run.date_from, calendar_run.date_to) == (None, None)
    done = run(calendar_run)
    assert due(case) == at(2027, 1, 22, 16)
    assert (done.cases_checked, done.cases_moved) == (1, 1)
