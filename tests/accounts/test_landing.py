"""After signing in, each role lands where its work is; a ``next`` address always wins."""

from __future__ import annotations

import pytest
from django.urls import reverse

from layanan.accounts.models import Role
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

LOGIN = "accounts:login"


def sign_in(client, user, password, next_url: str = ""):
    url = reverse(LOGIN) + (f"?next={next_url}" if next_url else "")
    data = {"username": user.username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(url, data)


@pytest.mark.parametrize(
    ("persona", "landing"),
    [
        ("kesra_front", "visits:desk_home"),
        ("kesra_head", "reports:dashboard"),
        ("kesra_officer", "cases:inbox"),
        ("kesra_handler", "cases:inbox"),
        ("auditor", "reports:dashboard"),
        ("admin", "cases:inbox"),
    ],
)
def test_each_role_lands_on_its_work(client, personas, password, persona, landing, settings):
    """The front desk on "Meja layanan", the head on the dashboard, the complaint officer (and
    the handler) on the inbox."""
    settings.OTP_REQUIRED_FOR_ROLES = ()
    response = sign_in(client, personas[persona], password)
    assert response.status_code == 302
    assert response["Location"] == reverse(landing)
    assert client.get(response["Location"]).status_code == 200


def test_next_wins_over_the_role(client, kesra_front, password, settings):
    """Sent to log in from a case page, the front desk goes back to that page, not the desk."""
    settings.OTP_REQUIRED_FOR_ROLES = ()
    target = reverse("workdays:calendar")
    response = sign_in(client, kesra_front, password, next_url=target)
    assert response["Location"] == target


def test_an_outside_next_is_ignored(client, kesra_head, password, settings):
    """A ``next`` to another site is not followed: the head lands on the dashboard."""
    settings.OTP_REQUIRED_FOR_ROLES = ()
    response = sign_in(client, kesra_head, password, next_url="https://evil.example/")
    assert response["Location"] == reverse("reports:dashboard")


def test_the_head_role_decides_for_a_head_who_is_also_complaint_officer(
    client, org, kesra_officer, password, settings
):
    """Several roles: the most decisive (head) chooses the landing page."""
    settings.OTP_REQUIRED_FOR_ROLES = ()
    MembershipFactory(user=kesra_officer, unit=org["biro-kesra"], role=Role.HEAD)
    response = sign_in(client, kesra_officer, password)
    assert response["Location"] == reverse("reports:dashboard")
