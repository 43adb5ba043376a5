"""Rules that live in the services, not at the edges: who may be assigned a complaint
(``complaint_assign``) and that a rejection needs a reason (``case_transition``). Each is
checked by the service itself — any caller (page, API, command, a future surface) gets it —
and the page and the API only show the service's error."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

from layanan.accounts.models import Role
from layanan.api.services import api_token_create
from layanan.cases.models import CaseEvent, Status
from layanan.cases.workflow import case_transition
from layanan.complaints.services import complaint_assign
from layanan.core.errors import ApplicationError
from tests.cases.test_inbox import file_complaint
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_handler(org):
    """A handler of Bagian Pelayanan Dasar — within Biro Kesra, but not Bina Mental."""
    user = UserFactory(username="dasar.handler")
    MembershipFactory(user=user, unit=org["kesra-pelayanan-dasar"], role=Role.HANDLER)
    return user


def test_the_service_refuses_an_assignee_who_cannot_work_on_the_division(
    org, kesra_officer, kesra_handler, ekon_officer, other_handler
):
    """complaint_assign itself refuses (400 invalid_assignee) another unit's officer, a handler
    of a sibling Bagian, and an inactive handler; nothing is written. An eligible handler is
    assigned."""
    case = file_complaint(kesra_officer, org["biro-kesra"])
    division = org["kesra-bina-mental"]
    kesra_handler.is_active = False
    kesra_handler.save()
    for person in (ekon_officer, other_handler, kesra_handler):
        with pytest.raises(ApplicationError) as error:
            complaint_assign(actor=kesra_officer, case=case, division=division, assignee=person)
        assert error.value.code == "invalid_assignee"
    case.refresh_from_db()
    assert case.assigned_unit is None and case.assignee is None
    assert not case.events.filter(kind="assigned").exists()
    kesra_handler.is_active = True
    kesra_handler.save()
    complaint_assign(actor=kesra_officer, case=case, division=division, assignee=kesra_handler)
    case.refresh_from_db()
    assert (case.assigned_unit, case.assignee) == (division, kesra_handler)


def test_the_page_shows_the_services_assignee_error_beside_the_field(
    client, org, kesra_officer, other_handler
):
    """The staff form offers every handler of the Biro; picking one of another Bagian than the
    chosen division is refused by the service, and the page shows its message beside the
    person field (400), nothing assigned."""
    case = file_complaint(kesra_officer, org["biro-kesra"])
    client.force_login(kesra_officer)
    response = client.post(
        reverse("cases:detail", args=[case.number]),
        {
            "action": "assign",
            "assign-division": org["kesra-bina-mental"].pk,
            "assign-assignee": other_handler.pk,
        },
    )
    assert response.status_code == 400
    form = response.context["action_forms"][
        [f.action for f in response.context["action_forms"]].index("assign")
    ]
    assert "assignee" in form.errors
    case.refresh_from_db()
    assert case.assignee is None


def test_the_api_shows_the_services_assignee_error(client, org, kesra_officer, other_handler):
    """The API answers the service's refusal as 400 invalid_assignee with the same message."""
    _token, key = api_token_create(user=kesra_officer, name="Test")
    case = file_complaint(kesra_officer, org["biro-kesra"])
    response = client.post(
        reverse("api:complaint_assign", args=[case.pk]),
        json.dumps({"division": "kesra-bina-mental", "assignee": "dasar.handler"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_assignee"
    case.refresh_from_db()
    assert case.assignee is None


def test_the_status_machine_refuses_a_rejection_without_a_reason(org, kesra_officer):
    """case_transition(to=rejected) without a reason for the requester (blank or spaces) is
    refused with reason_required; nothing changes and no event is written. With a reason the
    case is rejected and the reason is the event's public text."""
    case = file_complaint(kesra_officer, org["biro-kesra"])
    events = CaseEvent.objects.filter(case=case).count()
    for reason in ("", "   "):
        with pytest.raises(ApplicationError) as error:
            case_transition(actor=kesra_officer, case=case, to=Status.REJECTED, public_note=reason)
        assert error.value.code == "reason_required"
    # An internal note is not a reason the requester reads.
    with pytest.raises(ApplicationError):
        case_transition(actor=kesra_officer, case=case, to=Status.REJECTED, note="Internal")
    case.refresh_from_db()
    assert case.status == Status.RECEIVED and case.closed_at is None
    assert CaseEvent.objects.filter(case=case).count() == events
    case_transition(
        actor=kesra_officer, case=case, to=Status.REJECTED, public_note="Bukan kewenangan kami."
    )
    case.refresh_from_db()
    assert case.status == Status.REJECTED
    assert case.events.latest("pk").public_note == "Bukan kewenangan kami."


def test_the_page_shows_the_machines_reason_error_beside_the_field(client, org, kesra_officer):
    """The reject form leaves the rule to the status machine and shows its message beside the
    reason field (400)."""
    case = file_complaint(kesra_officer, org["biro-kesra"])
    client.force_login(kesra_officer)
    response = client.post(
        reverse("cases:detail", args=[case.number]),
        {"action": "reject", "reject-public_note": " ", "reject-note": "intern"},
    )
    assert response.status_code == 400
    forms = {f.action: f for f in response.context["action_forms"]}
    assert "public_note" in forms["reject"].errors
    case.refresh_from_db()
    assert case.status == Status.RECEIVED


# --- the time of receipt ------------------------------------------------------------------------


def test_the_service_bounds_the_time_of_receipt(org, kesra_officer):
    """complaint_create refuses a time of receipt before 1 January of the year before the unit's
    row was created (receipt_too_old) or more than 5 minutes ahead (future_receipt), and
    accepts both bounds themselves; nothing is written for a refused one."""
    from django.utils import timezone

    from layanan.cases.models import Case
    from layanan.complaints.services import RECEIPT_CLOCK_SKEW, earliest_receipt

    kesra = org["biro-kesra"]
    earliest = earliest_receipt(kesra)
    created = timezone.localtime(kesra.created_at)
    assert (earliest.year, earliest.month, earliest.day) == (created.year - 1, 1, 1)
    assert timezone.localtime(earliest).hour == 0
    now = timezone.now()
    for moment, code in (
        (dt.datetime(1900, 1, 1, 9, tzinfo=dt.UTC), "receipt_too_old"),
        (earliest - dt.timedelta(seconds=1), "receipt_too_old"),
        (now + RECEIPT_CLOCK_SKEW + dt.timedelta(minutes=1), "future_receipt"),
    ):
        with pytest.raises(ApplicationError) as error:
            file_complaint(kesra_officer, kesra, received_at=moment)
        assert error.value.code == code, moment
    assert not Case.objects.exists()
    file_complaint(kesra_officer, kesra, received_at=earliest)
    file_complaint(kesra_officer, kesra, received_at=now + dt.timedelta(minutes=4))
    assert Case.objects.count() == 2


def test_the_staff_page_shows_a_too_old_receipt_beside_the_field(client, org, kesra_officer):
    """The recording page shows the service's error beside "Received at" (400), with what was
    typed kept and nothing recorded."""
    from layanan.cases.models import Case

    client.force_login(kesra_officer)
    response = client.post(
        "/staf/pengaduan/baru/",
        {
            "channel": "phone",
            "received_at": "2001-05-02T09:00",
            "unit": org["biro-kesra"].pk,
            "description": "Pelapor menunggu tiga jam.",
            "name": "Budi",
        },
    )
    assert response.status_code == 400
    assert "received_at" in response.context["form"].errors
    assert "Pelapor menunggu tiga jam." in response.content.decode()
    assert not Case.objects.exists()


def test_the_api_refuses_a_receipt_in_1900_as_json(client, org, kesra_officer):
    """A staff token sending received_at 1900 gets 400 {detail, code: receipt_too_old}."""
    from layanan.cases.models import Case
    from tests.factories import published_standard

    published_standard(standard__unit=org["biro-kesra"])
    _token, key = api_token_create(user=kesra_officer, name="Test")
    response = client.post(
        reverse("api:complaint_create"),
        json.dumps(
            {
                "unit": "biro-kesra",
                "description": "Dari arsip.",
                "channel": "letter",
                "received_at": "1900-01-01T09:00:00+07:00",
            }
        ),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "receipt_too_old" and body["detail"]
    assert not Case.objects.exists()
