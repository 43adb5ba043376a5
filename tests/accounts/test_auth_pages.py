"""Staff login, logout and password reset work, in Indonesian by default, and reset mail goes out
through a real SMTP conversation."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_login_page_is_indonesian_by_default(client):
    """Without a language preference the login page speaks Bahasa Indonesia."""
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert 'lang="id"' in response.content.decode()


def test_login_with_wrong_password_keeps_username_and_shows_error(client, kesra_officer):
    """A rejected login keeps what was typed and says why, without a 500."""
    response = client.post(
        reverse("accounts:login"), {"username": kesra_officer.username, "password": "wrong"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert f'value="{kesra_officer.username}"' in body
    assert 'role="alert"' in body
    assert "_auth_user_id" not in client.session


def test_login_and_logout(client, kesra_officer, password):
    """A staff member logs in with the right password and logs out with a POST."""
    response = client.post(
        reverse("accounts:login"), {"username": kesra_officer.username, "password": password}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(kesra_officer.pk)
    client.post(reverse("accounts:logout"))
    assert "_auth_user_id" not in client.session


@pytest.mark.smtp
def test_password_reset_mail_goes_through_smtp(client, kesra_officer, smtp_server):
    """The reset link is mailed through SMTP and lets the user set a new password."""
    response = client.post(reverse("accounts:password_reset"), {"email": kesra_officer.email})
    assert response.status_code == 302
    messages = smtp_server.wait_for(1)
    assert len(messages) == 1
    mail = messages[0]
    assert mail["To"] == kesra_officer.email
    body = mail.get_payload(decode=True).decode()
    link = re.search(r"https?://[^/\s]+(/\S+)", body).group(1)
    page = client.get(link, follow=True)
    assert page.status_code == 200
    new = "a-much-better-passphrase-42"
    final = client.post(page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert final.status_code == 302
    kesra_officer.refresh_from_db()
    assert kesra_officer.check_password(new)


@pytest.mark.smtp
def test_a_member_named_in_the_organisation_file_sets_a_first_password(client, smtp_server):
    """Members loaded from an organisation file have no password at all (unusable); the reset
    link reaches them as long as the account was never used, and they set their own."""
    from tests.factories import UserFactory

    member = UserFactory(username="baru", email="Baru@Contoh.go.id")
    member.set_unusable_password()
    member.save()
    response = client.post(reverse("accounts:password_reset"), {"email": "baru@contoh.go.id"})
    assert response.status_code == 302
    mail = smtp_server.wait_for(1)[0]
    link = re.search(r"https?://[^/\s]+(/\S+)", mail.get_payload(decode=True).decode()).group(1)
    page = client.get(link, follow=True)
    new = "a-first-passphrase-for-baru-7"
    client.post(page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    member.refresh_from_db()
    assert member.check_password(new)


@pytest.mark.smtp
def test_a_used_account_without_password_gets_no_link(client, smtp_server):
    """An account whose password was taken away after it had signed in stays locked out."""
    from django.utils import timezone

    from tests.factories import UserFactory

    locked = UserFactory(username="dikunci", email="dikunci@contoh.go.id")
    locked.set_unusable_password()
    locked.last_login = timezone.now()
    locked.save()
    client.post(reverse("accounts:password_reset"), {"email": locked.email})
    assert smtp_server.wait_for(1, timeout=0.5) == []
