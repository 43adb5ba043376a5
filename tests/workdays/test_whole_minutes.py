"""Deadlines are whole minutes, and every surface shows the same instant.

What is protected: a complaint received at 10:00:27.4 with a 3-hour limit is due at 13:01 —
never at 13:00:27.4, which the tracking page would show as "13.00", the API as
"13:00:27.400000" and Open311 as "13:00:27": three different promises. Rounding is *up*, so the
office never gets less time than its standard gives. Also: the suite's own clock is the one
``LAYANAN_TEST_NOW`` names, so no test depends on when it runs.
"""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from layanan.accounts.actors import PUBLIC
from layanan.cases.models import Case
from layanan.workdays.deadlines import Calendar, deadline, whole_minute
from layanan.workdays.durations import Duration

from ..conftest import suite_now

WIB = ZoneInfo("Asia/Pontianak")


def test_the_suite_runs_on_the_controlled_clock():
    """Every test starts at LAYANAN_TEST_NOW (or the default), not at the machine's time."""
    assert abs(timezone.now() - suite_now()) < dt.timedelta(minutes=1)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (dt.datetime(2026, 12, 9, 13, 0, 27, 400000, tzinfo=WIB), dt.datetime(2026, 12, 9, 13, 1)),
        (dt.datetime(2026, 12, 9, 13, 0, 0, 1, tzinfo=WIB), dt.datetime(2026, 12, 9, 13, 1)),
        (dt.datetime(2026, 12, 9, 13, 0, tzinfo=WIB), dt.datetime(2026, 12, 9, 13, 0)),
        (dt.datetime(2026, 12, 9, 23, 59, 30, tzinfo=WIB), dt.datetime(2026, 12, 10, 0, 0)),
    ],
)
def test_whole_minute_rounds_up(moment, expected):
    """Up to the next minute; a whole minute stays; the day rolls over at midnight."""
    assert whole_minute(moment) == expected.replace(tzinfo=WIB)


def test_an_office_time_deadline_is_a_whole_minute():
    """Wed 9 Dec 2026 10:00:27.4 + 3 office hours = 13:00:27.4, promised as 13:01 (by hand:
    the office is open 07:30–16:00, nothing closes in between)."""
    start = dt.datetime(2026, 12, 9, 10, 0, 27, 400000, tzinfo=WIB)
    due = deadline(start, Duration(3, "hours", "3 jam"), calendar=Calendar(tz=WIB))
    assert due == dt.datetime(2026, 12, 9, 13, 1, tzinfo=WIB)
    # 15 minutes from 15:50:10 run to the close at 16:00 (9 min 50 s) and on at the next
    # opening, Thu 07:30, for 5 min 10 s: 07:35:10, promised as 07:36.
    late = dt.datetime(2026, 12, 9, 15, 50, 10, tzinfo=WIB)
    due = deadline(late, Duration(15, "minutes", "15 menit"), calendar=Calendar(tz=WIB))
    assert due == dt.datetime(2026, 12, 10, 7, 36, tzinfo=WIB)


@pytest.fixture
def seeded(org):
    call_command("load_demo", "--no-users", stdout=StringIO())
    return org


def test_page_and_api_show_the_same_whole_minute(client, seeded, clock):
    """A complaint filed through the API at Wed 9 Dec 2026 10:00:27.4 WIB is provisionally due
    in 3 office hours (the seeds' shortest class, *ringan*): 13:01 exactly, stored, answered by
    the API and printed on the tracking page alike."""
    clock.move_to(dt.datetime(2026, 12, 9, 10, 0, 27, 400000, tzinfo=WIB), tick=False)
    response = client.post(
        "/api/v1/complaints",
        json.dumps({"unit": "biro-kesra", "description": "Loket konsultasi kosong."}),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.get(pk=body["id"])
    assert case.due_at == dt.datetime(2026, 12, 9, 13, 1, tzinfo=WIB)
    assert body["due_at"] == "2026-12-09T13:01:00+07:00"
    tracked = client.get(f"/api/v1/track/{body['public_code']}").json()
    assert tracked["due_at"] == "2026-12-09T13:01:00+07:00"
    page = client.get(f"/lacak/{case.public_code}/", follow=True)
    assert "13.01" in page.content.decode() or "13:01" in page.content.decode()


def test_the_migration_rounds_stored_due_times_up(seeded):
    """Rows written before the rule (due 13:00:27.4) become 13:01; whole ones stay; the
    migration is one UPDATE that works on SQLite and PostgreSQL alike."""
    import importlib

    from django.apps import apps

    from layanan.complaints.services import complaint_create
    from layanan.core.models import Unit

    migration = importlib.import_module("layanan.cases.migrations.0006_due_at_whole_minutes")
    unit = Unit.objects.get(slug="biro-kesra")
    ragged = complaint_create(actor=PUBLIC, unit=unit, description="Sebelum aturan menit bulat")
    whole = complaint_create(actor=PUBLIC, unit=unit, description="Sudah bulat")
    odd = dt.datetime(2026, 12, 9, 13, 0, 27, 400000, tzinfo=WIB)
    Case.objects.filter(pk=ragged.pk).update(due_at=odd)
    Case.objects.filter(pk=whole.pk).update(due_at=odd.replace(second=0, microsecond=0))
    migration.forwards(apps, None)
    assert Case.objects.get(pk=ragged.pk).due_at == dt.datetime(2026, 12, 9, 13, 1, tzinfo=WIB)
    assert Case.objects.get(pk=whole.pk).due_at == dt.datetime(2026, 12, 9, 13, 0, tzinfo=WIB)
