"""Token authentication and the staff endpoint /api/v1/me."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from layanan.accounts.models import Membership, Role
from layanan.api.models import ApiToken
from layanan.api.services import api_token_revoke, api_token_touch
from tests.factories import UserFactory

from .utils import EN, assert_error, bearer

pytestmark = pytest.mark.django_db

ME = "/api/v1/me"


def test_me_with_a_bearer_token(client, kesra_officer, kesra_token):
    """A valid token authenticates as its user; /me names the user, their memberships and
    the token (without its key)."""
    token, key = kesra_token
    response = client.get(ME, **bearer(key))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["username"] == kesra_officer.username
    assert body["is_superuser"] is False
    assert body["memberships"] == [
        {
            "unit": "biro-kesra",
            "unit_name": "Biro Kesejahteraan Rakyat",
            "role": "complaint_officer",
            "role_label": "Complaint officer",
        }
    ]
    assert body["token"]["name"] == token.name
    assert body["token"]["prefix"] == f"lyn_{token.prefix}…"
    assert body["token"]["units"] is None
    assert key not in response.content.decode()


def test_token_scheme_is_accepted_too(client, kesra_token):
    """`Authorization: Token <key>` works like Bearer (as DRF clients send it)."""
    _token, key = kesra_token
    assert client.get(ME, **bearer(key, scheme="Token")).status_code == 200
    assert client.get(ME, **bearer(key, scheme="bearer")).status_code == 200


def test_token_limited_to_units_shows_its_scope(client, org, kesra_officer, make_token):
    """A token limited to some units says so in /me."""
    _token, key = make_token(kesra_officer, units=[org["kesra-bina-mental"], org["biro-kesra"]])
    body = client.get(ME, **bearer(key)).json()
    assert body["token"]["units"] == ["biro-kesra", "kesra-bina-mental"]


def test_missing_token_is_401_json(client):
    """No Authorization header: 401 not_authenticated, with a WWW-Authenticate challenge."""
    response = client.get(ME, **EN)
    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_other_scheme_is_401_not_authenticated(client):
    """Basic credentials (or any other scheme) do not authenticate the API."""
    response = client.get(ME, HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz", **EN)
    assert_error(response, 401, "not_authenticated")


@pytest.mark.parametrize(
    "make_key",
    [
        lambda key: key[:-1] + ("A" if key[-1] != "A" else "B"),  # wrong secret
        lambda key: "lyn_00000000_" + key[13:],  # unknown prefix
        lambda key: key[4:],  # no lyn_ prefix
        lambda key: "lyn_",
        lambda key: "",
        lambda key: "garbage with spaces",
    ],
    ids=["wrong-secret", "unknown-prefix", "no-prefix", "only-prefix", "empty", "garbage"],
)
def test_invalid_token_is_401_json(client, kesra_token, make_key):
    """A key that is not a token's key is a 401 invalid_token, never a 500."""
    _token, key = kesra_token
    response = client.get(ME, **bearer(make_key(key)))
    assert_error(response, 401, "invalid_token")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_revoked_token_is_401(client, kesra_token):
    """A revoked token stops working at once."""
    token, key = kesra_token
    api_token_revoke(token=token)
    assert_error(client.get(ME, **bearer(key)), 401, "token_revoked")


def test_revoke_is_idempotent(kesra_token):
    """Revoking twice keeps the first revocation time."""
    token, _key = kesra_token
    first = api_token_revoke(token=token).revoked_at
    assert api_token_revoke(token=token, now=first + timedelta(hours=1)).revoked_at == first


def test_expired_token_is_401(client, kesra_officer, make_token):
    """A token past its expiry is refused; one expiring later works."""
    _old, old_key = make_token(kesra_officer, expires_at=timezone.now() - timedelta(seconds=1))
    assert_error(client.get(ME, **bearer(old_key)), 401, "token_expired")
    _new, new_key = make_token(kesra_officer, expires_at=timezone.now() + timedelta(days=1))
    assert client.get(ME, **bearer(new_key)).status_code == 200


def test_token_of_inactive_user_is_401(client, kesra_officer, kesra_token):
    """Deactivating a user disables their tokens."""
    _token, key = kesra_token
    kesra_officer.is_active = False
    kesra_officer.save(update_fields=["is_active"])
    assert_error(client.get(ME, **bearer(key)), 401, "invalid_token")


def test_user_without_staff_role_is_403(client, org, make_token):
    """A token of a user without any role in any unit authenticates, but may not use the
    staff API: 403 permission_denied."""
    _token, key = make_token(UserFactory(username="tanpa.peran"))
    assert_error(client.get(ME, **bearer(key)), 403, "permission_denied")


def test_superuser_token_works_without_memberships(client, org, make_token):
    """Superusers may use the staff API without a membership."""
    _token, key = make_token(UserFactory(username="root", is_superuser=True))
    body = client.get(ME, **bearer(key)).json()
    assert body["is_superuser"] is True and body["memberships"] == []


def test_key_is_never_stored_in_plain_text(kesra_token):
    """Only the SHA-256 of the key and a short prefix are stored: the key appears in no
    column of the token row."""
    token, key = kesra_token
    assert key.startswith(f"lyn_{token.prefix}_")
    assert len(key) > 40
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM api_apitoken WHERE id = %s", [token.pk])
        row = cursor.fetchone()
    secret = key.split("_", 2)[2]
    for value in row:
        assert key not in str(value)
        assert secret not in str(value)


def test_keys_are_unique_and_random(kesra_officer, make_token):
    """Two tokens never share a key or a prefix."""
    keys = {make_token(kesra_officer)[1] for _ in range(20)}
    assert len(keys) == 20
    assert ApiToken.objects.values("prefix").distinct().count() == 20


def test_last_used_at_is_recorded_on_use(client, kesra_token):
    """Using a token records when; an unused token has no last use."""
    token, key = kesra_token
    assert token.last_used_at is None
    before = timezone.now()
    client.get(ME, **bearer(key))
    token.refresh_from_db()
    assert token.last_used_at is not None and token.last_used_at >= before


def test_last_used_at_is_written_at_most_once_a_minute(client, kesra_token):
    """A burst of calls writes last_used_at once: later calls within the minute do not write
    (no write storm), and a call after the minute writes again."""
    token, key = kesra_token
    client.get(ME, **bearer(key))
    token.refresh_from_db()
    first = token.last_used_at
    for _ in range(3):
        client.get(ME, **bearer(key))
    token.refresh_from_db()
    assert token.last_used_at == first
    later = first + timedelta(seconds=61)
    assert api_token_touch(token=token, now=later) is True
    assert api_token_touch(token=token, now=later + timedelta(seconds=5)) is False
    token.refresh_from_db()
    assert token.last_used_at == later


def test_stale_in_memory_token_does_not_overwrite_a_fresh_touch(kesra_token):
    """Two processes holding the same stale token: only one UPDATE wins within the minute."""
    token, _key = kesra_token
    now = timezone.now()
    copy = ApiToken.objects.get(pk=token.pk)
    assert api_token_touch(token=token, now=now) is True
    assert api_token_touch(token=copy, now=now + timedelta(seconds=2)) is False


def test_me_query_count_is_constant(
    client, org, kesra_officer, kesra_token, django_assert_max_num_queries
):
    """/me costs the token lookup, the permission roles, the memberships and the token's
    units (plus at most one last-used write), however many memberships the user has."""
    _token, key = kesra_token
    client.get(ME, **bearer(key))  # first use writes last_used_at
    with django_assert_max_num_queries(4) as one:
        client.get(ME, **bearer(key))
    for slug in ("biro-umum", "biro-perekonomian", "ekon-sda"):
        Membership.objects.create(user=kesra_officer, unit=org[slug], role=Role.HANDLER)
    with django_assert_max_num_queries(4) as many:
        body = client.get(ME, **bearer(key)).json()
    assert len(body["memberships"]) == 4
    assert len(one.captured_queries) == len(many.captured_queries)
