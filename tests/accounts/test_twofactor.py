"""Two-factor authentication (TOTP): required for admin and head roles (and superusers) before
any staff page or the admin, offered to everyone else, asked at every login once turned on."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from layanan.accounts.twofactor import SESSION_KEY_2FA

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _required_for_admin_and_head(settings):
    settings.OTP_REQUIRED_FOR_ROLES = ("admin", "head")


def _code(device: TOTPDevice) -> str:
    """The code the user's app shows now."""
    value = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{value:0{device.digits}d}"


def _login(client, user, password):
    return client.post(reverse("accounts:login"), {"username": user.username, "password": password})


def _confirmed_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def test_head_without_device_must_enrol_before_any_staff_page(client, kesra_head, password):
    """A head's password alone leads only to the enrolment page; staff pages and the admin
    redirect there, keeping the page asked for."""
    assert _login(client, kesra_head, password).status_code == 302
    inbox = client.get(reverse("cases:inbox"))
    assert inbox.status_code == 302
    assert inbox["Location"].startswith(reverse("accounts:twofactor_enrol"))
    assert "next=%2Fstaf%2Fkasus%2F" in inbox["Location"]
    assert client.get(reverse("admin:index"))["Location"].startswith(
        reverse("accounts:twofactor_enrol")
    )
    page = client.get(inbox["Location"])
    assert page.status_code == 200
    body = page.content.decode()
    assert 'src="data:image/svg+xml' in body
    device = TOTPDevice.objects.get(user=kesra_head, confirmed=False)
    assert device.config_url.startswith("otpauth://totp/")


def test_enrolment_is_confirmed_with_a_code_and_opens_the_staff_pages(client, kesra_head, password):
    """Typing the app's current code confirms the authenticator and lets the head through."""
    _login(client, kesra_head, password)
    client.get(reverse("accounts:twofactor_enrol"))
    device = TOTPDevice.objects.get(user=kesra_head)
    wrong = client.post(
        reverse("accounts:twofactor_enrol"), {"token": "000000"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert wrong.status_code == 200
    assert "This code is wrong or has expired." in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    device.throttle_reset()  # a wrong code makes the next try wait a moment; skip the wait
    response = client.post(
        reverse("accounts:twofactor_enrol"), {"token": _code(device), "next": "/staf/kasus/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/staf/kasus/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("cases:inbox")).status_code == 200


def test_user_with_device_must_type_a_code_after_the_password(client, kesra_officer, password):
    """An officer who turned 2FA on is asked for the code; a wrong one is refused with an
    error, the right one opens the staff pages and the requested page."""
    device = _confirmed_device(kesra_officer)
    _login(client, kesra_officer, password)
    blocked = client.get(reverse("cases:inbox"))
    assert blocked["Location"].startswith(reverse("accounts:twofactor_verify"))
    wrong = client.post(reverse("accounts:twofactor_verify"), {"token": "123"})
    assert wrong.status_code == 200
    assert client.get(reverse("cases:inbox")).status_code == 302
    ok = client.post(
        reverse("accounts:twofactor_verify"), {"token": _code(device), "next": "/staf/kasus/"}
    )
    assert ok["Location"] == "/staf/kasus/"
    assert client.session[SESSION_KEY_2FA] == "ok"
    assert client.get(reverse("cases:inbox")).status_code == 200


def test_a_code_cannot_be_used_twice(client, kesra_officer, password):
    """A code already used (e.g. read over the shoulder) does not open a second session."""
    device = _confirmed_device(kesra_officer)
    code = _code(device)
    _login(client, kesra_officer, password)
    assert client.post(reverse("accounts:twofactor_verify"), {"token": code}).status_code == 302
    client.logout()
    _login(client, kesra_officer, password)
    replay = client.post(reverse("accounts:twofactor_verify"), {"token": code})
    assert replay.status_code == 200
    assert client.get(reverse("cases:inbox")).status_code == 302


def test_officer_without_device_is_not_asked(client, kesra_officer, password):
    """Roles that do not require 2FA log in with the password alone and see the offer page."""
    _login(client, kesra_officer, password)
    assert client.get(reverse("cases:inbox")).status_code == 200
    offer = client.get(reverse("accounts:twofactor"))
    assert reverse("accounts:twofactor_enrol") in offer.content.decode()


def test_superuser_must_enrol_before_the_admin(client, django_user_model):
    """Superusers count as administrators: the admin is closed to them without a second factor."""
    django_user_model.objects.create_superuser("root", "root@example.go.id", "R00t-password!")
    client.post(reverse("admin:login"), {"username": "root", "password": "R00t-password!"})
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:twofactor_enrol"))


def test_required_roles_cannot_turn_it_off_others_can(client, kesra_head, kesra_officer):
    """A head cannot remove the authenticator; an officer who chose it can."""
    _confirmed_device(kesra_head)
    client.force_login(kesra_head)
    client.post(reverse("accounts:twofactor_disable"))
    assert TOTPDevice.objects.filter(user=kesra_head).exists()
    client.logout()
    _confirmed_device(kesra_officer)
    client.force_login(kesra_officer)
    session = client.session
    session[SESSION_KEY_2FA] = "ok"
    session.save()
    response = client.post(reverse("accounts:twofactor_disable"))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=kesra_officer).exists()


def test_not_required_when_the_setting_is_off(settings, client, kesra_head, password):
    """With OTP_REQUIRED off (the development default), the demo head logs in with a password."""
    settings.OTP_REQUIRED_FOR_ROLES = ()
    _login(client, kesra_head, password)
    assert client.get(reverse("cases:inbox")).status_code == 200


def test_next_parameter_cannot_send_the_user_elsewhere(client, kesra_officer, password):
    """After verification only a same-site ``next`` is followed."""
    device = _confirmed_device(kesra_officer)
    _login(client, kesra_officer, password)
    response = client.post(
        reverse("accounts:twofactor_verify"),
        {"token": _code(device), "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("cases:inbox")
