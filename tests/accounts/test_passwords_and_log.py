"""Passwords are hashed with Argon2 in production and must follow the password rules; every
login attempt lands in a read-only login log."""

import importlib

import pytest
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from layanan.accounts.models import LoginRecord

pytestmark = pytest.mark.django_db


def test_production_settings_hash_passwords_with_argon2(settings):
    """The settings module (not the fast test hasher) puts Argon2 first, and it works."""
    settings_module = importlib.import_module("layanan.settings")
    assert settings_module.PASSWORD_HASHERS[0] == (
        "django.contrib.auth.hashers.Argon2PasswordHasher"
    )
    settings.PASSWORD_HASHERS = settings_module.PASSWORD_HASHERS
    encoded = make_password("a-long-enough-passphrase")
    assert encoded.startswith("argon2$argon2id$")
    assert check_password("a-long-enough-passphrase", encoded)


@pytest.mark.parametrize(
    "candidate",
    ["short1!", "1234567890123", "password123", "kesra.officer.2026"],
    ids=["too-short", "all-digits", "common", "like-the-username"],
)
def test_weak_passwords_are_refused(candidate, kesra_officer):
    """Minimum 10 characters, not common, not all digits, not like the user's own data."""
    with pytest.raises(ValidationError):
        validate_password(candidate, user=kesra_officer)


def test_a_good_password_passes(kesra_officer):
    """A long, unrelated passphrase satisfies every rule."""
    validate_password("dermaga-kapuas-senja-41", user=kesra_officer)


def test_logins_are_logged_with_address_and_browser(client, kesra_officer, password):
    """A failed and a successful login each leave a record: user, address, agent, outcome."""
    url = reverse("accounts:login")
    client.post(
        url,
        {"username": kesra_officer.username, "password": "wrong"},
        REMOTE_ADDR="203.0.113.7",
        HTTP_USER_AGENT="Firefox/140",
    )
    client.post(
        url,
        {"username": kesra_officer.username, "password": password},
        REMOTE_ADDR="203.0.113.7",
        HTTP_USER_AGENT="Firefox/140",
    )
    failed, ok = LoginRecord.objects.order_by("at", "id")
    assert (failed.success, ok.success) == (False, True)
    for record in (failed, ok):
        assert record.user == kesra_officer
        assert record.username == kesra_officer.username
        assert record.ip_address == "203.0.113.7"
        assert record.user_agent == "Firefox/140"


def test_failed_login_for_unknown_username_keeps_what_was_typed(client):
    """Guessing usernames shows in the log even when no such account exists."""
    client.post(reverse("accounts:login"), {"username": "nobody", "password": "x"})
    record = LoginRecord.objects.get()
    assert (record.user, record.username, record.success) == (None, "nobody", False)


def test_login_log_is_read_only_in_the_admin(client, django_user_model):
    """Administrators read the log; nobody adds, edits or deletes entries through the admin."""
    boss = django_user_model.objects.create_superuser("boss", "boss@example.go.id", "x" * 12)
    client.force_login(boss)
    record = LoginRecord.objects.get(username="boss")
    changelist = client.get(reverse("admin:accounts_loginrecord_changelist"))
    assert changelist.status_code == 200
    assert "boss" in changelist.content.decode()
    assert client.get(reverse("admin:accounts_loginrecord_add")).status_code == 403
    delete_url = reverse("admin:accounts_loginrecord_delete", args=[record.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert LoginRecord.objects.filter(pk=record.pk).exists()
