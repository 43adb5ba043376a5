"""A disposition's "Person" list offers, under each Bagian, only the people who may work on
that Bagian's cases — read from the same rule the assignment checks."""

from __future__ import annotations

import pytest
from django.urls import reverse

from layanan.accounts.models import Role
from layanan.cases.forms import AssignForm
from layanan.complaints.services import assignee_is_eligible, assignees_for
from tests.cases.test_inbox import file_complaint
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

DIVISIONS = ("kesra-bina-mental", "kesra-pelayanan-dasar", "kesra-pelayanan-non-dasar")


@pytest.fixture
def dasar_handler(org):
    user = UserFactory(username="kesra.dasar", full_name="Handler Pelayanan Dasar")
    MembershipFactory(user=user, unit=org["kesra-pelayanan-dasar"], role=Role.HANDLER)
    return user


def listed(form: AssignForm) -> dict[str, set[str]]:
    """Division name → the usernames offered under it."""
    from layanan.accounts.models import User

    groups = {}
    for group, people in form.fields["assignee"].choices[1:]:
        groups[group] = set(
            User.objects.filter(pk__in=[pk for pk, _n in people]).values_list("username", flat=True)
        )
    return groups


def test_each_bagian_lists_only_its_own_people(
    org, personas, dasar_handler, kesra_officer, kesra_handler
):
    """Under Bina Mental: its handler and the Biro's complaint officer and head; under
    Pelayanan Dasar: its own handler instead. Never the front desk (it does not answer
    complaints), another Biro's officer, the auditor or the provincial administrator."""
    case = file_complaint(kesra_officer, org["biro-kesra"])
    groups = listed(AssignForm(case=case, user=kesra_officer))
    biro = {personas["kesra_officer"].username, personas["kesra_head"].username}
    mental = org["kesra-bina-mental"].name
    dasar = org["kesra-pelayanan-dasar"].name
    assert groups[mental] == biro | {kesra_handler.username}
    assert groups[dasar] == biro | {dasar_handler.username}
    everywhere = set().union(*groups.values())
    for outsider in ("kesra_front", "ekon_officer", "auditor", "admin"):
        assert personas[outsider].username not in everywhere, outsider


def test_the_list_and_the_rule_agree_for_everyone(org, personas, dasar_handler, kesra_officer):
    """For every person and every Bagian, "offered" and "may be assigned" are the same answer."""
    case = file_complaint(kesra_officer, org["biro-kesra"])
    people = [*personas.values(), dasar_handler]
    for slug in DIVISIONS:
        division = org[slug]
        offered = set(assignees_for(case, division))
        for person in people:
            eligible = assignee_is_eligible(person, case=case, division=division)
            assert eligible == (person in offered), (person.username, slug)


def test_an_inactive_account_is_not_offered(org, kesra_officer, kesra_handler):
    """A handler whose account was switched off disappears from the list."""
    case = file_complaint(kesra_officer, org["biro-kesra"])
    kesra_handler.is_active = False
    kesra_handler.save()
    assert kesra_handler not in assignees_for(case, org["kesra-bina-mental"])


def test_a_person_chosen_under_another_bagian_is_refused_beside_the_field(
    client, org, kesra_officer, kesra_handler
):
    """Picking Bina Mental's handler for Pelayanan Dasar is refused with the message beside
    "Person", and the case is not assigned."""
    case = file_complaint(kesra_officer, org["biro-kesra"])
    client.force_login(kesra_officer)
    response = client.post(
        reverse("cases:detail", args=[case.number]),
        {
            "action": "assign",
            "assign-division": org["kesra-pelayanan-dasar"].pk,
            "assign-assignee": kesra_handler.pk,
        },
    )
    assert response.status_code == 400
    bound = next(f for f in response.context["action_forms"] if f.action == "assign")
    assert bound.errors["assignee"]
    case.refresh_from_db()
    assert case.assignee_id is None
