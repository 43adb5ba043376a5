"""A confidential reporter is seen by the complaint officer of the case's unit only — through
one audited service (layanan/cases/identity.py) — and by nobody else, a superuser included:
not on the staff case page, not in the API, not in the admin."""

from __future__ import annotations

import pytest

from layanan.accounts.models import Role
from layanan.api.services import api_token_create
from layanan.cases.identity import (
    may_reveal_identity,
    requester_identity_for,
    requester_identity_reveal,
)
from layanan.cases.models import CaseEvent
from layanan.core.errors import ApplicationError, NotPermitted
from layanan.core.models import AuditAction, AuditEntry
from tests.api.utils import bearer
from tests.cases.test_inbox import file_complaint
from tests.cases.test_pages import IDENTITY, confidential_case, page, shows_identity
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(db):
    """A superuser with no membership in any unit."""
    return UserFactory(username="root", is_superuser=True, is_staff=True)


def _viewed(case) -> int:
    return CaseEvent.objects.filter(case=case, kind="identity_viewed").count()


def test_the_service_refuses_a_superuser_and_records_nothing(org, kesra_officer, root):
    """requester_identity_reveal answers NotPermitted to a superuser without the complaint
    officer's membership, writes no event and no audit entry; the non-revealing read gives
    him None for a confidential reporter (and the named reporter of an ordinary case)."""
    case = confidential_case(kesra_officer, org["biro-kesra"])
    assert not may_reveal_identity(root, case)
    with pytest.raises(NotPermitted):
        requester_identity_reveal(actor=root, case=case)
    assert requester_identity_for(root, case) is None
    assert _viewed(case) == 0 and not AuditEntry.objects.exists()
    named = file_complaint(kesra_officer, org["biro-kesra"])
    assert requester_identity_for(root, named).name == "Budi Santoso"


def test_a_reveal_by_the_units_officer_is_an_event_and_an_audit_entry(org, kesra_officer):
    """The officer of the case's unit gets the identity; the same transaction records an
    internal identity_viewed case event and an identity_viewed audit entry naming him, the
    case and its unit, with no part of the identity in the entry."""
    case = confidential_case(kesra_officer, org["biro-kesra"])
    identity = requester_identity_reveal(actor=kesra_officer, case=case)
    assert (identity.name, identity.email, identity.phone) == IDENTITY
    event = CaseEvent.objects.get(case=case, kind="identity_viewed")
    assert event.actor == kesra_officer and event.is_internal
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.actor_label) == (
        AuditAction.IDENTITY_VIEWED,
        kesra_officer,
        "kesra.officer",
    )
    assert (entry.target_id, entry.target_repr, entry.unit) == (
        str(case.pk),
        case.number,
        org["biro-kesra"],
    )
    assert not any(part in str(entry.data) for part in IDENTITY)


def test_an_officer_above_the_unit_may_reveal_one_beside_it_may_not(org, kesra_officer):
    """The rule is the unit rule of every other permission: a complaint officer of the case's
    unit or of a unit above it reaches the case; an officer of a sibling unit does not. A
    superuser who is also the unit's officer may (the membership, not the flag, decides)."""
    case = confidential_case(kesra_officer, org["biro-kesra"])
    above = MembershipFactory(unit=org["setda"], role=Role.COMPLAINT_OFFICER).user
    beside = MembershipFactory(unit=org["biro-perekonomian"], role=Role.COMPLAINT_OFFICER).user
    member_root = UserFactory(username="root.officer", is_superuser=True)
    MembershipFactory(user=member_root, unit=org["biro-kesra"], role=Role.COMPLAINT_OFFICER)
    assert may_reveal_identity(above, case)
    assert may_reveal_identity(member_root, case)
    assert not may_reveal_identity(beside, case)


def test_anonymous_and_named_cases_are_not_revealed(org, kesra_officer):
    """The reveal is for confidential reporters only: an anonymous case (nothing stored) and a
    named one are refused with a clear error and leave no trace."""
    anonymous = file_complaint(kesra_officer, org["biro-kesra"], anonymous=True)
    named = file_complaint(kesra_officer, org["biro-kesra"])
    for case, code in ((anonymous, "anonymous"), (named, "not_confidential")):
        with pytest.raises(ApplicationError) as caught:
            requester_identity_reveal(actor=kesra_officer, case=case)
        assert caught.value.code == code
    assert not CaseEvent.objects.filter(kind="identity_viewed").exists()
    assert not AuditEntry.objects.exists()


def test_the_staff_page_refuses_a_superuser(client, org, kesra_officer, root):
    """On the case page a superuser sees the reporter hidden, is not offered "show identity",
    and asking anyway is a 403 that shows nothing and records nothing."""
    case = confidential_case(kesra_officer, org["biro-kesra"])
    client.force_login(root)
    html = client.get(page(case)).content.decode()
    assert 'data-identity="hidden"' in html and not shows_identity(html)
    assert 'value="show_identity"' not in html
    refused = client.post(page(case), {"action": "show_identity"})
    assert refused.status_code == 403
    assert not shows_identity(refused.content.decode())
    assert _viewed(case) == 0 and not AuditEntry.objects.exists()


def test_the_staff_page_reveal_is_audited(client, org, kesra_officer):
    """The officer's "show identity" goes through the service: the page shows the reporter and
    an audit entry joins the case event."""
    case = confidential_case(kesra_officer, org["biro-kesra"])
    client.force_login(kesra_officer)
    response = client.post(page(case), {"action": "show_identity"})
    assert response.status_code == 200 and shows_identity(response.content.decode())
    assert _viewed(case) == 1
    assert AuditEntry.objects.filter(action="identity_viewed", target_id=str(case.pk)).count() == 1


def test_the_api_withholds_a_confidential_reporter_from_a_superuser(
    client, org, kesra_officer, root
):
    """GET /api/v1/complaints/{id} with a superuser's token: requester null, state withheld,
    no identity anywhere in the answer, no identity_viewed event; the officer's token gets it
    and his reading is audited."""
    case = confidential_case(kesra_officer, org["biro-kesra"])
    _token, key = api_token_create(user=root, name="root")
    response = client.get(f"/api/v1/complaints/{case.pk}", **bearer(key))
    assert response.status_code == 200, response.content[:300]
    body = response.json()
    assert (body["requester"], body["requester_state"]) == (None, "withheld")
    assert not shows_identity(response.content.decode())
    assert _viewed(case) == 0
    assert not AuditEntry.objects.filter(action="identity_viewed").exists()

    _token, officer_key = api_token_create(user=kesra_officer, name="officer")
    body = client.get(f"/api/v1/complaints/{case.pk}", **bearer(officer_key)).json()
    assert body["requester_state"] == "shown" and body["requester"]["name"] == IDENTITY[0]
    assert _viewed(case) == 1
    assert AuditEntry.objects.get(action="identity_viewed").actor == kesra_officer
