"""The reminder sweep (``cases/reminders.py``) walks the kinds of ``settings.REMINDER_KINDS``
in that order; each app contributes its kind, and the sweep imports neither app. The behaviour
of each kind is tested in tests/bookings/test_reminders.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils.module_loading import import_string

from layanan.cases.reminders import (
    Due,
    ReminderKind,
    ReminderReport,
    reminder_kinds,
    send_reminders,
)

pytestmark = pytest.mark.django_db


def test_the_kinds_are_the_settings_in_their_order():
    """Audiences first, then bookings — as the sweep has always queued them."""
    assert [(k.name, k.plural) for k in reminder_kinds()] == [
        ("audience", "audiences"),
        ("booking", "bookings"),
    ]


def test_the_report_counts_each_kind_by_its_plural():
    report = ReminderReport.of(reminder_kinds())
    report.reminded["bookings"] += 2
    report.messages = 3
    assert (report.audiences, report.bookings) == (0, 2)
    assert report.as_dict() == {"audiences": 0, "bookings": 2, "messages": 3}
    assert str(report) == "0 audience(s) and 2 booking(s) reminded, 3 message(s) queued"
    with pytest.raises(AttributeError):
        report.visits  # noqa: B018


#: what :data:`NOTHING` was asked: the look-ahead of each sweep
ASKED: list[dt.timedelta] = []


def _find_nothing(now: dt.datetime, until: dt.datetime) -> list[Due]:
    ASKED.append(until - now)
    return []


NOTHING = ReminderKind(name="nothing", plural="nothings", find=_find_nothing, messages=list)


def test_a_kind_that_finds_nothing_sends_nothing(settings):
    """The sweep walks whatever the setting names, with the 21-day look-ahead."""
    settings.REMINDER_KINDS = ["tests.cases.test_reminder_kinds.NOTHING"]
    ASKED.clear()
    report = send_reminders()
    assert (report.as_dict(), ASKED) == ({"nothings": 0, "messages": 0}, [dt.timedelta(days=21)])


def test_the_task_keeps_its_old_dotted_path():
    """Schedulers configured with the facilities path still find the task."""
    old = import_string("layanan.facilities.tasks.send_reminders_task")
    assert old is import_string("layanan.cases.tasks.send_reminders_task")
