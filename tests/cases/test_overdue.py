"""One definition of "overdue" (cases/selectors.overdue_q and is_overdue): the inbox, the API's
``overdue`` filter and ``is_overdue`` field, the SLA sweep's escalation, the monthly report's
count and the tracking page agree on the same cases — at the boundary (due exactly now: not yet
overdue) and for a case waiting on the requester (its clock stands still: never overdue)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from layanan.api.services import api_token_create
from layanan.cases.models import Case, SlaState, Status
from layanan.cases.selectors import InboxFilters, inbox_cases, is_overdue, overdue_q
from layanan.cases.sla import sla_sweep
from layanan.cases.workflow import case_transition
from layanan.complaints.selectors import complaint_by_code
from layanan.reports.metrics import Month, open_by_division
from tests.cases.test_inbox import file_complaint

pytestmark = pytest.mark.django_db


def test_inbox_api_sweep_reports_and_tracking_agree_at_the_boundary(client, org, kesra_officer):
    """Due exactly now: on time everywhere. Due a second ago: overdue everywhere. Due long ago
    but waiting on the requester: overdue nowhere."""
    now = timezone.now().replace(microsecond=0)
    kesra = org["biro-kesra"]
    at_boundary = file_complaint(kesra_officer, kesra, subject="Tepat waktu")
    late = file_complaint(kesra_officer, kesra, subject="Terlambat")
    paused = file_complaint(kesra_officer, kesra, subject="Menunggu pelapor")
    case_transition(actor=kesra_officer, case=paused, to=Status.WAITING, public_note="KTP?")
    received = now - dt.timedelta(days=2)
    Case.objects.filter(pk__in=[at_boundary.pk, late.pk, paused.pk]).update(received_at=received)
    Case.objects.filter(pk=at_boundary.pk).update(due_at=now)
    Case.objects.filter(pk=late.pk).update(due_at=now - dt.timedelta(seconds=1))
    Case.objects.filter(pk=paused.pk).update(due_at=now - dt.timedelta(days=1))
    expected = {late.pk}

    # The definition, as a query and as a predicate.
    assert set(Case.objects.filter(overdue_q(now)).values_list("pk", flat=True)) == expected
    for case in Case.objects.all():
        assert is_overdue(case, now) == (case.pk in expected), case.subject

    # The inbox's "overdue only" filter.
    rows = inbox_cases(kesra_officer, InboxFilters(overdue=True), now=now)
    assert {case.pk for case in rows[:]} == expected

    # The API's filter and field.
    _token, key = api_token_create(user=kesra_officer, name="overdue")
    with time_machine.travel(now, tick=False):  # the API computes "overdue" at its own now
        listed = client.get(
            reverse("api:complaint_list"), {"overdue": "true"}, HTTP_AUTHORIZATION=f"Bearer {key}"
        ).json()["results"]
        every = client.get(
            reverse("api:complaint_list"), HTTP_AUTHORIZATION=f"Bearer {key}"
        ).json()["results"]
    assert {row["id"] for row in listed} == expected
    assert {row["id"] for row in every if row["is_overdue"]} == expected

    # The monthly report's count (the current month: counted at now).
    loads = open_by_division(kesra, Month.of(timezone.localdate(now)), now=now)
    assert sum(load.overdue for load in loads) == len(expected)

    # The tracking page's "the time limit has passed".
    for case in (at_boundary, late, paused):
        fresh = complaint_by_code(case.public_code)
        assert is_overdue(fresh, now) == (case.pk in expected)

    # The SLA sweep escalates exactly these (the boundary case is only "due soon").
    report = sla_sweep(now=now)
    assert report.overdue == len(expected)
    states = dict(Case.objects.values_list("pk", "sla_state"))
    assert states[late.pk] == SlaState.OVERDUE
    assert states[at_boundary.pk] == SlaState.DUE_SOON
    assert states[paused.pk] == SlaState.ON_TRACK
