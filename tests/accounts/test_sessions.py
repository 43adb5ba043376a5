"""Sessions end after a period without activity and, regardless, some hours after login."""

import time

import pytest
from django.urls import reverse

from layanan.accounts.signals import SESSION_KEY_LAST_SEEN, SESSION_KEY_LOGIN_AT

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _timeouts(settings):
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    settings.SESSION_COOKIE_AGE = 8 * 3600


def _shift(client, key, seconds_ago):
    session = client.session
    session[key] = int(time.time()) - seconds_ago
    session.save()


def test_active_session_stays_logged_in(client, kesra_officer):
    """Within the idle limit the staff pages open normally."""
    client.force_login(kesra_officer)
    _shift(client, SESSION_KEY_LAST_SEEN, 29 * 60)
    assert client.get(reverse("cases:inbox")).status_code == 200
    assert client.session[SESSION_KEY_LAST_SEEN] >= int(time.time()) - 5


def test_idle_session_is_logged_out_with_a_message(client, kesra_officer):
    """After 30 idle minutes the next request logs out and sends to the login page, which
    says why, and returns to the page afterwards."""
    client.force_login(kesra_officer)
    _shift(client, SESSION_KEY_LAST_SEEN, 31 * 60)
    response = client.get(reverse("cases:inbox"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next=%2Fstaf%2Fkasus%2F"
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"])
    assert "sesi" in page.content.decode().lower()


def test_session_ends_after_the_absolute_limit_even_when_active(client, kesra_officer):
    """Eight hours after login the session ends, however busy it was."""
    client.force_login(kesra_officer)
    _shift(client, SESSION_KEY_LOGIN_AT, 8 * 3600 + 1)
    response = client.get(reverse("cases:inbox"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
