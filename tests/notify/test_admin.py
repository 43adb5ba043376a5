"""The outbox in the admin: failures are visible, and staff can retry or cancel."""

from __future__ import annotations

import pytest
from django.urls import reverse

from layanan.notify.dispatch import outbox_dispatch
from layanan.notify.models import OutboxMessage, OutboxStatus
from layanan.notify.services import outbox_enqueue

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:notify_outboxmessage_changelist"


@pytest.fixture
def superuser_client(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="admin.outbox", is_staff=True, is_superuser=True))
    return client


def _email(recipient="warga@example.com", **kw):
    return outbox_enqueue(
        channel="email", recipient=recipient, subject="Status", body="Isi pesan", **kw
    )


@pytest.mark.smtp
def test_message_failed_after_the_last_try_is_visible_in_the_admin(
    superuser_client, smtp_down, settings
):
    """After max attempts against a dead SMTP server the message is failed, and the admin list
    filtered on failed shows it with its recipient and error, marked as failed."""
    settings.NOTIFY_BACKOFF_BASE_SECONDS = 0
    message = _email(recipient="gagal@example.com", max_attempts=2)
    _email(recipient="terkirim@example.com")
    OutboxMessage.objects.filter(recipient="terkirim@example.com").update(status=OutboxStatus.SENT)
    outbox_dispatch()
    outbox_dispatch()
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED

    response = superuser_client.get(reverse(CHANGELIST), {"status__exact": "failed"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "gagal@example.com" in html
    assert "terkirim@example.com" not in html
    assert "outbox-status-failed" in html
    assert "Connection" in html or "refused" in html.lower()


def test_admin_list_filters_and_searches(superuser_client):
    """Staff filter by channel and search by recipient."""
    _email(recipient="cari.saya@example.com")
    _email(recipient="orang.lain@example.com")
    outbox_enqueue(channel="whatsapp", recipient="085812345678", subject="", body="x")

    found = superuser_client.get(reverse(CHANGELIST), {"q": "cari.saya"}).content.decode()
    assert "cari.saya@example.com" in found and "orang.lain@example.com" not in found

    whatsapp = superuser_client.get(reverse(CHANGELIST), {"channel__exact": "whatsapp"})
    assert "6285812345678" in whatsapp.content.decode()
    assert "cari.saya@example.com" not in whatsapp.content.decode()


def test_retry_now_action_requeues_a_failed_message(superuser_client):
    """The "retry now" action puts a failed message back in the queue, due now."""
    message = _email()
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxStatus.FAILED, attempts=6)

    response = superuser_client.post(
        reverse(CHANGELIST), {"action": "retry_now", "_selected_action": [message.pk]}
    )

    assert response.status_code == 302
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.PENDING, 0)


def test_cancel_action_cancels_a_pending_message(superuser_client):
    """The "cancel" action stops a pending message and records who cancelled it."""
    message = _email()

    superuser_client.post(
        reverse(CHANGELIST), {"action": "cancel", "_selected_action": [message.pk]}
    )

    message.refresh_from_db()
    assert message.status == OutboxStatus.CANCELLED
    assert "admin.outbox" in message.last_error


def test_messages_are_read_only_in_the_admin(superuser_client):
    """Nobody adds or edits outbox rows by hand; the detail page still shows everything."""
    message = _email()
    assert superuser_client.get(reverse("admin:notify_outboxmessage_add")).status_code == 403
    page = superuser_client.get(reverse("admin:notify_outboxmessage_change", args=[message.pk]))
    assert page.status_code == 200
    assert "Isi pesan" in page.content.decode()
    superuser_client.post(
        reverse("admin:notify_outboxmessage_change", args=[message.pk]),
        {"recipient": "lain@example.com"},
    )
    message.refresh_from_db()
    assert message.recipient == "warga@example.com"
