"""Retention (UU 27/2022): identities go after the period, the statistics stay."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from layanan.accounts.actors import PUBLIC
from layanan.cases.models import Attachment, Case, CaseEvent, Status
from layanan.notify.models import OutboxMessage
from layanan.notify.services import outbox_enqueue
from layanan.ops.retention import ERASED_EVENT, retention_apply

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _retention(settings):
    settings.RETENTION_DAYS = {
        "complaint": 5 * 365,
        "audience": 730,
        "facility": 730,
        "consultation": 730,
        "visit": 365,
    }


def test_old_closed_complaint_loses_identity_but_keeps_statistics(
    file_complaint, django_capture_on_commit_callbacks
):
    """A complaint closed longer ago than its retention loses name, e-mail, phone,
    organisation, location, the requester's files and notification addresses; number, status,
    times, description and timeline stay; an internal ``identity_erased`` event says so."""
    old = file_complaint(ended_days_ago=6 * 365, attachment=True)
    outbox_enqueue(
        channel="email",
        recipient="siti@example.org",
        subject="Pengaduan",
        body="Yth. Siti",
        case_id=old.pk,
    )
    before = Case.objects.values("number", "status", "received_at", "closed_at", "due_at").get(
        pk=old.pk
    )
    stored = Attachment.objects.get(case=old)
    storage = stored.file.storage
    assert storage.exists(stored.file.name)
    events_before = CaseEvent.objects.filter(case=old).count()

    with django_capture_on_commit_callbacks(execute=True):
        report = retention_apply()

    assert report.by_kind == {"complaint": 1}
    assert report.attachments_deleted == 1
    old.refresh_from_db()
    assert (old.requester_name, old.requester_email, old.requester_phone) == ("", "", "")
    assert old.requester_organisation == ""
    assert old.complaint.location == ""
    assert old.description  # the substance of the case stays
    assert (
        Case.objects.values("number", "status", "received_at", "closed_at", "due_at").get(pk=old.pk)
        == before
    )
    assert not Attachment.objects.filter(case=old).exists()
    assert not storage.exists(stored.file.name)
    messages = OutboxMessage.objects.filter(case_id=old.pk)
    assert messages.count() >= 2  # the receipt notification and ours
    assert {(m.recipient, m.body, m.html_body) for m in messages} == {("[erased]", "", "")}
    erased = CaseEvent.objects.get(case=old, kind=ERASED_EVENT)
    assert erased.is_internal and erased.actor is None
    assert CaseEvent.objects.filter(case=old).count() == events_before + 1


def test_recent_open_and_already_erased_cases_are_left_alone(file_complaint):
    """Cases closed within the period, and open cases however old, keep their identity; a
    second run changes nothing (the event marks the case as done)."""
    recent = file_complaint(ended_days_ago=365)
    still_open = file_complaint()
    Case.objects.filter(pk=still_open.pk).update(
        received_at=timezone.now() - dt.timedelta(days=3650)
    )
    rejected = file_complaint(ended_days_ago=2000, status=Status.REJECTED)

    assert retention_apply().by_kind == {"complaint": 1}
    assert retention_apply().total == 0
    recent.refresh_from_db()
    still_open.refresh_from_db()
    rejected.refresh_from_db()
    assert recent.requester_name == still_open.requester_name == "Siti Aminah"
    assert rejected.requester_name == ""
    assert CaseEvent.objects.filter(kind=ERASED_EVENT).count() == 1


def test_dry_run_counts_and_changes_nothing(file_complaint, capsys):
    """``apply_retention --dry-run`` reports what would go and writes nothing."""
    old = file_complaint(ended_days_ago=6 * 365)
    call_command("apply_retention", "--dry-run")
    assert "would erase 1 identities (complaint 1)" in capsys.readouterr().out
    old.refresh_from_db()
    assert old.requester_name == "Siti Aminah"
    assert not CaseEvent.objects.filter(kind=ERASED_EVENT).exists()
    call_command("apply_retention")
    assert "erased 1 identities" in capsys.readouterr().out


def test_retention_per_kind_applies_to_visits_and_their_visitor(org, settings):
    """Visits have their own (shorter) period: the visit loses its visitor and origin, and
    the visitor record (name and phone) goes once no visit keeps it."""
    from layanan.visits.models import Visitor
    from layanan.visits.services import visit_register

    case = visit_register(
        actor=PUBLIC,
        unit=org["biro-kesra"],
        standard=None,
        name="Budi",
        phone="0812 1111 2222",
        origin="Dinas Sosial",
        purpose="Konsultasi bantuan",
    )
    long_ago = timezone.now() - dt.timedelta(days=400)
    Case.objects.filter(pk=case.pk).update(status=Status.CLOSED, closed_at=long_ago)
    Visitor.objects.update(updated_at=long_ago)

    report = retention_apply()

    assert report.total == 1 and report.visitors_deleted == 1
    case.refresh_from_db()
    assert case.requester_name == "" and case.visit.visitor is None and case.visit.origin == ""
    assert case.visit.ticket  # the queue statistics stay
    assert not Visitor.objects.exists()


def test_retention_task_runs_the_same(file_complaint):
    """The ``django.tasks`` task applies retention like the command (for task schedulers)."""
    from layanan.ops.tasks import apply_retention_task

    file_complaint(ended_days_ago=6 * 365)
    assert apply_retention_task.call()["total"] == 1


def test_erasure_request_erases_one_ended_case_now_and_refuses_open_ones(file_complaint):
    """``apply_retention --case NUMBER`` (a data-subject's erasure request) erases an ended
    case at once whatever its age, leaves the others, and refuses an open case or an unknown
    number with a clear message."""
    from django.core.management import CommandError

    ended = file_complaint(ended_days_ago=3)
    other = file_complaint(ended_days_ago=3)
    still_open = file_complaint()
    call_command("apply_retention", "--case", ended.number)
    ended.refresh_from_db()
    other.refresh_from_db()
    assert ended.requester_name == "" and other.requester_name == "Siti Aminah"
    with pytest.raises(CommandError, match="still open"):
        call_command("apply_retention", "--case", still_open.number)
    with pytest.raises(CommandError, match="no such case"):
        call_command("apply_retention", "--case", "KESRA/ADU/1999/000001")
