"""Tokens are managed in the admin: the key is shown once at creation, tokens can be revoked."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from layanan.api.models import ApiToken
from tests.factories import UserFactory

from .utils import EN, assert_error, bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, org):
    client.force_login(UserFactory(username="super", is_staff=True, is_superuser=True))
    return client


def test_admin_creates_a_token_and_shows_the_key_once(admin_client, org, kesra_officer):
    """Creating a token in the admin shows its key in a message once; the key works, is not
    stored, and does not appear on the token's page afterwards."""
    response = admin_client.post(
        reverse("admin:api_apitoken_add"),
        {
            "name": "Sinkronisasi LAPOR!",
            "user": kesra_officer.pk,
            "units": [org["biro-kesra"].pk],
            "expires_at_0": "",
            "expires_at_1": "",
        },
        **EN,
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    token = ApiToken.objects.get(name="Sinkronisasi LAPOR!")
    assert token.user == kesra_officer
    assert token.created_by.username == "super"
    assert list(token.units.all()) == [org["biro-kesra"]]
    shown = admin_client.get(response["Location"], **EN).content.decode()
    keys = set(re.findall(r"lyn_[0-9a-f]{8}_[\w-]+", shown))
    assert len(keys) == 1, keys
    [key] = keys
    assert key.startswith(f"lyn_{token.prefix}_")
    assert key not in token.key_hash
    me = admin_client.get("/api/v1/me", **bearer(key))
    assert me.status_code == 200, me.content
    for url in (
        response["Location"],
        reverse("admin:api_apitoken_change", args=[token.pk]),
    ):
        page = admin_client.get(url, **EN)
        assert page.status_code == 200
        assert key not in page.content.decode()
        assert f"lyn_{token.prefix}…" in page.content.decode()


def test_admin_revoke_action(admin_client, kesra_token):
    """The revoke action revokes the selected tokens; the key stops working."""
    token, key = kesra_token
    response = admin_client.post(
        reverse("admin:api_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
        **EN,
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert_error(admin_client.get("/api/v1/me", **bearer(key)), 401, "token_revoked")


def test_admin_list_filters_by_state(admin_client, kesra_token, kesra_officer, make_token):
    """The token list shows each token's state and filters by it."""
    from layanan.api.services import api_token_revoke

    make_token(kesra_officer, name="Dicabut")
    api_token_revoke(token=ApiToken.objects.get(name="Dicabut"))
    url = reverse("admin:api_apitoken_changelist")
    body = admin_client.get(url, {"state": "revoked"}, **EN).content.decode()
    assert "Dicabut" in body and kesra_token[0].name not in body
    body = admin_client.get(url, {"state": "active"}, **EN).content.decode()
    assert "Dicabut" not in body and kesra_token[0].name in body
