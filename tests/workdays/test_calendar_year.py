"""The new year arrives prepared: deadlines across the year boundary, the periodic load of next
year's holidays, estimates confirmed against the decree, and the gaps staff are shown (banner,
admin, /healthz, ``manage.py deadline``) while a year a running case reaches is not ready.

Expected dates are counted by hand on a printed calendar from ``OFFICIAL_2026`` and
``PACKAGE_2027`` (tests/workdays/conftest.py), never taken from the code's output.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from layanan.accounts.actors import PUBLIC
from layanan.cases.deadlines import case_recompute_due
from layanan.cases.models import Case, CaseKind, Channel, Status
from layanan.cases.services import case_create
from layanan.core.models import AuditAction, AuditEntry
from layanan.workdays.deadlines import deadline
from layanan.workdays.durations import Duration
from layanan.workdays.models import Holiday, HolidaySource
from layanan.workdays.selectors import NO_HOLIDAYS, UNCONFIRMED_ESTIMATES, calendar_gaps
from layanan.workdays.services import holiday_confirm, holidays_sync, holidays_sync_upcoming

from .conftest import ESTIMATED_2027, PACKAGE_2027, at, dur

pytestmark = pytest.mark.django_db

SIXTY_DAYS = Duration(value=60, unit="working_days", text="60 hari kerja")
DECREE = "SKB 3 Menteri No. 1/2026, 2/2026, 3/2026"  # a stand-in: the 2027 SKB is not in the repo

# Mon 21 Dec 2026 10:00 + 60 working days (day 1 is the first working day after the 21st).
#
# Without 2027 rows: Dec 22, 23 (24 cuti, 25 Natal), 28, 29, 30, 31 = 6; Jan 2027 has 21
# weekdays (Fri 1, then four full weeks) → 27; Feb has 20 → 47; Mar 1–5 → 52, 8–12 → 57, 15, 16,
# 17 → 60: Wednesday 17 March 2027, 16:00.
WITHOUT_2027 = at(2027, 3, 17, 16)
# With the 2027 list: Dec = 6; Jan 21 − (1, 5 Jan) = 19 → 25; Feb 20 − (5 Feb cuti) = 19 → 44;
# Mar 1–5 → 49; 8–12 all off (Nyepi, cuti, Idul Fitri ×2, cuti); 15 cuti, 16–19 → 53; 22, 23,
# 24 → 56 (25 cuti, 26 Wafat); 29, 30, 31 → 59; Thu 1 Apr → 60: Thursday 1 April 2027, 16:00.
WITH_2027 = at(2027, 4, 1, 16)


def complaint(org, *, received_at, duration=SIXTY_DAYS, unit="biro-kesra") -> Case:
    return case_create(
        actor=PUBLIC,
        kind=CaseKind.COMPLAINT,
        unit=org[unit],
        channel=Channel.WEB,
        received_at=received_at,
        duration=duration,
        subject="Izin belum terbit",
    )


def confirmed(*years: int) -> None:
    """New Year's Day of each year, confirmed against the decree (a ready year)."""
    for year in years:
        Holiday.objects.create(
            date=dt.date(year, 1, 1),
            name="Tahun Baru Masehi",
            source=HolidaySource.DECREE,
            decree_number=DECREE,
            decree_date=dt.date(year - 1, 9, 1),
        )


def test_sixty_working_days_across_the_year_boundary(only_2026):
    """21 Dec 2026 + 60 working days is Wed 17 Mar 2027 while 2027 has no rows (weekends only:
    two weeks early), and Thu 1 Apr 2027 once the package's 2027 list is loaded."""
    assert deadline(at(2026, 12, 21, 10), SIXTY_DAYS) == WITHOUT_2027
    holidays_sync(year=2027)
    assert deadline(at(2026, 12, 21, 10), SIXTY_DAYS) == WITH_2027


def test_the_package_2027_list_is_the_hand_typed_one(db):
    """The sync of 2027 gives the 26 dates typed by hand, kind for kind, with exactly Idul
    Fitri (10–11 Mar) and Idul Adha (17 May) flagged as estimates and their source shown as the
    package's estimate."""
    holidays_sync(year=2027)
    rows = {h.date: h for h in Holiday.objects.in_year(2027)}
    assert {day: h.kind for day, h in rows.items()} == PACKAGE_2027
    assert {day for day, h in rows.items() if h.is_estimated} == ESTIMATED_2027
    with translation.override("en"):
        assert rows[dt.date(2027, 3, 10)].source_label == "Holidays package (estimate)"
        assert rows[dt.date(2027, 3, 8)].source_label == "Holidays package (sync)"


def test_a_running_case_into_an_unloaded_year_is_shown_until_the_year_is_ready(
    client, clock, org, only_2026, kesra_officer, admin
):
    """A complaint received Mon 21 Dec 2026 with 60 working days, while 2027 has no rows: due
    17 Mar 2027 (too early), and staff see it — inbox banner, /healthz "degraded" (still 200)
    naming 2027. After the periodic load the recomputed due time is 1 Apr 2027 and the banner
    names the three estimates; once they are confirmed against the decree (audited), the
    banner goes and /healthz is "ok"."""
    clock.move_to(at(2026, 12, 21, 10))
    confirmed(2025)
    case = complaint(org, received_at=at(2026, 12, 21, 10))
    assert case.due_at == WITHOUT_2027
    gaps = calendar_gaps()
    assert [(gap.year, gap.reason) for gap in gaps] == [(2027, NO_HOLIDAYS)]

    client.force_login(kesra_officer)
    page = client.get(reverse("cases:inbox")).content.decode()
    assert 'class="calendar-gaps"' in page and "2027" in page
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["calendar"]["gaps"] == [{"year": 2027, "reason": NO_HOLIDAYS}]
    assert "sync_holidays 2027" in body["checks"]["calendar"]["reason"]

    holidays_sync_upcoming()  # the periodic load: 2026 (kept as typed) and 2027
    case_recompute_due(case=case)
    assert case.due_at == WITH_2027
    (gap,) = calendar_gaps()
    assert (gap.year, gap.reason) == (2027, UNCONFIRMED_ESTIMATES)
    assert {day for day, _name in gap.estimates} == ESTIMATED_2027
    assert "2027-03-10" in client.get("/healthz").json()["checks"]["calendar"]["reason"]

    for row in Holiday.objects.filter(date__in=ESTIMATED_2027):
        holiday_confirm(
            actor=admin, holiday=row, decree_number=DECREE, decree_date=dt.date(2026, 9, 1)
        )
    assert calendar_gaps() == []
    assert AuditEntry.objects.filter(action=AuditAction.HOLIDAY_CONFIRMED).count() == 3
    assert 'class="calendar-gaps"' not in client.get(reverse("cases:inbox")).content.decode()
    response = client.get("/healthz")
    assert (response.status_code, response.json()["status"]) == (200, "ok")


def test_a_year_past_the_horizon_counts_only_when_a_case_reaches_it(clock, org):
    """On 9 Dec 2026 the horizon (120 days) ends in 2027: 2028 without rows is no gap until a
    running case is due in 2028 (400 calendar days after 9 Dec 2026 is 13 Jan 2028); a closed
    case does not count."""
    clock.move_to(at(2026, 12, 9, 10))
    confirmed(2025, 2026, 2027)
    assert calendar_gaps() == []
    case = complaint(
        org,
        received_at=at(2026, 12, 9, 10),
        duration=Duration(value=400, unit="calendar_days", text="400 hari"),
    )
    assert case.due_at.date() == dt.date(2028, 1, 13)
    assert [(gap.year, gap.reason) for gap in calendar_gaps()] == [(2028, NO_HOLIDAYS)]
    Case.objects.filter(pk=case.pk).update(status=Status.CLOSED)
    assert calendar_gaps() == []


def test_last_year_counts_only_while_a_case_received_then_is_open(clock, org):
    """2025 has no rows: no gap while no open case dates from 2025; a complaint received on
    30 Dec 2025 and still open makes 2025 a gap (its deadline is recomputed on a pause)."""
    clock.move_to(at(2026, 12, 9, 10))
    confirmed(2026, 2027)
    assert calendar_gaps() == []
    case = complaint(org, received_at=at(2025, 12, 30, 10))
    assert [gap.year for gap in calendar_gaps()] == [2025]
    Case.objects.filter(pk=case.pk).update(status=Status.CLOSED)
    assert calendar_gaps() == []


def test_sync_keeps_a_confirmed_date_and_the_upcoming_load_is_idempotent(clock, admin):
    """The periodic load on 9 Dec 2026 syncs 2026 and 2027; an estimate confirmed against the
    decree stays confirmed (not estimated, decree kept) through later loads, which add,
    update and remove nothing."""
    clock.move_to(at(2026, 12, 9, 10))
    first = holidays_sync_upcoming()
    assert [report.year for report in first] == [2026, 2027]
    assert len(first[1].added) == len(PACKAGE_2027)
    idul_fitri = Holiday.objects.get(date=dt.date(2027, 3, 10))
    holiday_confirm(
        actor=admin, holiday=idul_fitri, decree_number=DECREE, decree_date=dt.date(2026, 9, 1)
    )
    again = holidays_sync_upcoming()
    assert all(not (r.added or r.updated or r.removed) for r in again)
    assert [h.date for h in again[1].kept] == [dt.date(2027, 3, 10)]
    idul_fitri.refresh_from_db()
    assert (idul_fitri.source, idul_fitri.is_estimated) == (HolidaySource.DECREE, False)
    with translation.override("en"):
        assert idul_fitri.source_label == f"{DECREE} of 1 September 2026"


def test_the_upcoming_load_as_a_task_and_a_command(clock):
    """``sync_holidays --upcoming`` and the task load this year and next; run twice, the second
    run adds nothing."""
    from layanan.workdays.tasks import holidays_sync_upcoming_task

    clock.move_to(at(2026, 12, 9, 10))
    out = StringIO()
    call_command("sync_holidays", "--upcoming", stdout=out, stderr=StringIO())
    assert (
        "2026: 25 added" in out.getvalue() and f"2027: {len(PACKAGE_2027)} added" in out.getvalue()
    )
    result = holidays_sync_upcoming_task.call()
    assert [(r["year"], r["added"]) for r in result] == [(2026, 0), (2027, 0)]


def test_deadline_command_warns_with_the_same_gaps(only_2026):
    """``manage.py deadline`` across the boundary warns about 2027 (no rows) with the wording of
    /healthz; after the load it warns about the three unconfirmed estimates instead."""
    err = StringIO()
    out = StringIO()
    call_command("deadline", "2026-12-21T10:00", "60 working_days", stdout=out, stderr=err)
    assert out.getvalue() == "2027-03-17T16:00:00+07:00\n"
    assert "no rows for 2027" in err.getvalue() and "sync_holidays 2027" in err.getvalue()
    holidays_sync(year=2027)
    err, out = StringIO(), StringIO()
    call_command("deadline", "2026-12-21T10:00", "60 working_days", stdout=out, stderr=err)
    assert out.getvalue() == "2027-04-01T16:00:00+07:00\n"
    assert "3 holiday date(s) of 2027 are estimates" in err.getvalue()


def test_healthcheck_command_reports_a_degradation_without_failing(clock, capsys):
    """``manage.py healthcheck`` on an empty holiday table: the calendar line says DEGRADED,
    the reason goes to stderr, and the exit code stays 0 (systemd must still start the site)."""
    clock.move_to(at(2026, 12, 9, 10))
    call_command("healthcheck")
    captured = capsys.readouterr()
    assert "calendar  DEGRADED" in captured.out
    assert "degraded: calendar: the holiday table has no rows for 2026" in captured.err


def superuser():
    from tests.factories import UserFactory

    return UserFactory(is_staff=True, is_superuser=True)


def test_calendar_page_and_admin_show_the_banner(client, clock, org, only_2026):
    """With 2027 empty on 21 Dec 2026, the calendar page and the holiday admin both name 2027."""
    clock.move_to(at(2026, 12, 21, 10))
    confirmed(2025)
    client.force_login(superuser())
    page = client.get(reverse("workdays:calendar")).content.decode()
    assert 'class="calendar-gaps"' in page
    changelist = client.get(reverse("admin:workdays_holiday_changelist"))
    assert [gap.year for gap in changelist.context["calendar_gaps"]] == [2027]
    assert "2027" in changelist.content.decode()


def test_admin_confirms_selected_estimates_against_the_decree(client, clock, db):
    """The admin action asks for the decree's number and date (refusing an empty number), then
    confirms each selected row, one audit entry each."""
    clock.move_to(at(2026, 12, 9, 10))
    holidays_sync(year=2027)
    admin = superuser()
    client.force_login(admin)
    url = reverse("admin:workdays_holiday_changelist")
    ids = [str(pk) for pk in Holiday.objects.filter(is_estimated=True).values_list("pk", flat=True)]
    form = client.post(url, {"action": "confirm_against_decree", "_selected_action": ids})
    assert form.status_code == 200 and 'name="decree_number"' in form.content.decode()
    refused = client.post(
        url,
        {
            "action": "confirm_against_decree",
            "_selected_action": ids,
            "apply": "1",
            "decree_number": " ",
            "decree_date": "2026-09-01",
        },
    )
    assert refused.status_code == 200
    assert Holiday.objects.filter(is_estimated=True).count() == 3
    done = client.post(
        url,
        {
            "action": "confirm_against_decree",
            "_selected_action": ids,
            "apply": "1",
            "decree_number": DECREE,
            "decree_date": "2026-09-01",
        },
    )
    assert done.status_code == 302
    assert not Holiday.objects.filter(is_estimated=True).exists()
    assert set(
        Holiday.objects.filter(source=HolidaySource.DECREE).values_list("date", flat=True)
    ) == (ESTIMATED_2027)
    entries = AuditEntry.objects.filter(action=AuditAction.HOLIDAY_CONFIRMED)
    assert entries.count() == 3
    assert all(e.actor == admin and e.data["decree_number"] == DECREE for e in entries)


def test_calendar_gaps_cost_one_query_when_ready(clock, org, django_assert_num_queries):
    """Ready calendar: one query (the holiday rows, carrying the latest due date of the running
    cases as a subquery), however many cases run."""
    clock.move_to(at(2026, 12, 9, 10))
    confirmed(2025, 2026, 2027)
    for day in (1, 2, 3):
        complaint(org, received_at=at(2026, 12, day, 10), duration=dur(5, "working_days"))
    with django_assert_num_queries(1):
        assert calendar_gaps() == []
