"""Repeated wrong passwords lock that username from that address for a cool-off (django-axes),
on the staff login page and the admin login alike."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

ADDRESS = "198.51.100.20"


@pytest.fixture(autouse=True)
def _lockout_settings(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = timedelta(minutes=30)


def _login(client, username, password, address=ADDRESS, url_name="accounts:login"):
    return client.post(
        reverse(url_name), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_five_failures_lock_out_even_the_right_password(client, kesra_officer, password):
    """After the fifth wrong password the right one is refused too, with a translated 429 page."""
    for _ in range(4):
        assert _login(client, kesra_officer.username, "wrong").status_code == 200
    fifth = _login(client, kesra_officer.username, "wrong")
    assert fifth.status_code == 429
    response = _login(client, kesra_officer.username, password)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    body = response.content.decode()
    assert 'lang="id"' in body
    assert "30 menit" in body
    assert int(response["Retry-After"]) == 30 * 60


def test_lockout_is_per_username_and_address(client, kesra_officer, kesra_head, password):
    """The lock binds one username at one address: the same user elsewhere, or another user
    here, can still log in (a guesser cannot lock everyone out)."""
    for _ in range(5):
        _login(client, kesra_officer.username, "wrong")
    assert _login(client, kesra_head.username, password).status_code == 302
    client.logout()
    assert _login(client, kesra_officer.username, password, address="192.0.2.1").status_code == 302


def test_lockout_ends_after_the_cool_off(client, kesra_officer, password):
    """Once the cool-off has passed the right password works again and the counter resets."""
    for _ in range(5):
        _login(client, kesra_officer.username, "wrong")
    assert _login(client, kesra_officer.username, password).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))
    assert _login(client, kesra_officer.username, password).status_code == 302
    assert not AccessAttempt.objects.filter(username=kesra_officer.username).exists()


def test_admin_login_is_locked_out_too(client, django_user_model):
    """The admin's own login form counts failures and locks the same way."""
    django_user_model.objects.create_superuser("root", "root@example.go.id", "R00t-password!")
    for _ in range(5):
        _login(client, "root", "wrong", url_name="admin:login")
    response = _login(client, "root", "R00t-password!", url_name="admin:login")
    assert response.status_code == 429


def test_force_login_is_not_affected_by_the_lockout_backend(client, kesra_officer):
    """Test sessions made with force_login (no password) still reach staff pages."""
    client.force_login(kesra_officer)
    assert client.get(reverse("cases:inbox")).status_code == 200
