"""WhatsApp Cloud API adapter: the HTTP request it makes, how answers are read, the off switch,
and Indonesian phone numbers."""

from __future__ import annotations

import pytest
from django.core import checks
from django.core.exceptions import ValidationError

from layanan.notify.dispatch import outbox_dispatch
from layanan.notify.models import OutboxMessage, OutboxStatus
from layanan.notify.services import outbox_enqueue
from layanan.notify.whatsapp import WhatsAppCloudClient, WhatsAppError
from tests.conftest import free_port


def test_sending_converts_stored_numbers_to_the_wire_format(whatsapp_api):
    """Stored numbers are E.164 (layanan.core.phones); the Cloud API gets the same number as
    digits without "+" (the one rule's wire conversion), however it was typed."""
    with WhatsAppCloudClient(
        token="t", phone_number_id="PNID", base_url=whatsapp_api.base_url
    ) as client:
        client.send_text(to="+6285812345678", body="Halo")
        client.send_template(to="+62 (0)858 1234 5678", name="status", language="id")
    assert [r.json()["to"] for r in whatsapp_api.requests] == ["6285812345678"] * 2


def test_nonsense_numbers_are_not_sent():
    """Something that is not a phone number raises instead of being sent somewhere."""
    with (
        WhatsAppCloudClient(token="t", phone_number_id="PNID") as client,
        pytest.raises(ValidationError),
    ):
        client.send_text(to="0858", body="Halo")


def test_client_posts_the_cloud_api_text_message(whatsapp_api):
    """The adapter POSTs to {base}/{phone_number_id}/messages with the bearer token and the
    documented JSON body, and returns the WhatsApp message id."""
    with WhatsAppCloudClient(
        token="test-token-123", phone_number_id="109876543210", base_url=whatsapp_api.base_url
    ) as client:
        message_id = client.send_text(to="0858-1234-5678", body="Pengaduan Anda diterima.")

    assert message_id == "wamid.HBgNNjI4NTgxMjM0NTY3OBUCABEYEjA"
    (request,) = whatsapp_api.requests
    assert request.method == "POST"
    assert request.path == "/v20.0/109876543210/messages"
    assert request.headers["authorization"] == "Bearer test-token-123"
    assert request.headers["content-type"] == "application/json"
    assert request.json() == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "6285812345678",
        "type": "text",
        "text": {"preview_url": False, "body": "Pengaduan Anda diterima."},
    }


def test_client_reports_api_errors(whatsapp_api):
    """A Graph API error answer becomes a WhatsAppError with the API's message; a refused
    recipient is permanent, a server error is not."""
    client = WhatsAppCloudClient(token="t", phone_number_id="1", base_url=whatsapp_api.base_url)
    whatsapp_api.reply(
        400,
        {"error": {"message": "Recipient phone number not in allowed list", "code": 131030}},
    )
    with pytest.raises(WhatsAppError, match="not in allowed list") as transient:
        client.send_text(to="085812345678", body="x")
    assert transient.value.status_code == 400

    whatsapp_api.reply(400, {"error": {"message": "Invalid parameter", "code": 100}})
    with pytest.raises(WhatsAppError) as permanent:
        client.send_text(to="085812345678", body="x")
    assert permanent.value.permanent

    whatsapp_api.reply(503, {"error": {"message": "Service temporarily unavailable", "code": 2}})
    with pytest.raises(WhatsAppError) as unavailable:
        client.send_text(to="085812345678", body="x")
    assert not unavailable.value.permanent
    client.close()


def test_client_reports_an_unreachable_api():
    """Connection refused is a (retryable) WhatsAppError, not a crash."""
    client = WhatsAppCloudClient(
        token="t", phone_number_id="1", base_url=f"http://127.0.0.1:{free_port()}/v20.0"
    )
    with pytest.raises(WhatsAppError) as error:
        client.send_text(to="085812345678", body="x")
    assert error.value.status_code is None
    assert not error.value.permanent


@pytest.mark.django_db
def test_whatsapp_message_is_sent_through_the_outbox(whatsapp_api):
    """A queued WhatsApp message is stored with the normalised number, sent by the dispatcher
    and marked sent with the WhatsApp message id."""
    message = outbox_enqueue(
        channel="whatsapp",
        recipient="0858 1234 5678",
        subject="",
        body="Nomor pengaduan Anda: KESRA/ADU/2026/000123",
        case_id=123,
        kind="complaint.received",
    )
    assert message.recipient == "6285812345678"

    report = outbox_dispatch()

    assert report.sent == 1
    (request,) = whatsapp_api.requests
    assert request.json()["to"] == "6285812345678"
    assert request.json()["text"]["body"] == "Nomor pengaduan Anda: KESRA/ADU/2026/000123"
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert message.provider_message_id == "wamid.HBgNNjI4NTgxMjM0NTY3OBUCABEYEjA"


@pytest.mark.django_db
def test_whatsapp_server_error_is_retried_and_refusal_fails(whatsapp_api):
    """A 5xx answer leaves the message pending with backoff; a permanent refusal fails it after
    one try."""
    retried = outbox_enqueue(channel="whatsapp", recipient="085811111111", subject="", body="a")
    whatsapp_api.reply(500, {"error": {"message": "Internal error", "code": 1}})
    outbox_dispatch()
    retried.refresh_from_db()
    assert (retried.status, retried.attempts) == (OutboxStatus.PENDING, 1)
    assert "Internal error" in retried.last_error

    refused = outbox_enqueue(channel="whatsapp", recipient="085822222222", subject="", body="b")
    whatsapp_api.reply(
        400, {"error": {"message": "Message failed to send: re-engagement", "code": 131047}}
    )
    outbox_dispatch()
    refused.refresh_from_db()
    assert (refused.status, refused.attempts) == (OutboxStatus.FAILED, 1)
    assert "131047" in refused.last_error


@pytest.mark.django_db
def test_disabled_whatsapp_cancels_with_a_reason(settings):
    """With WHATSAPP_ENABLED off (the default) a WhatsApp message is not dropped silently: it is
    cancelled and says why."""
    settings.WHATSAPP_ENABLED = False
    message = outbox_enqueue(channel="whatsapp", recipient="085812345678", subject="", body="x")

    report = outbox_dispatch()

    assert report.cancelled == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.CANCELLED
    assert "WHATSAPP_ENABLED" in message.last_error
    assert OutboxMessage.objects.filter(status=OutboxStatus.PENDING).count() == 0


@pytest.mark.django_db
def test_invalid_whatsapp_number_is_failed_at_enqueue():
    """A number that cannot be a phone number is stored as failed with the reason."""
    message = outbox_enqueue(channel="whatsapp", recipient="tidak ada", subject="", body="x")
    assert message.status == OutboxStatus.FAILED
    assert "tidak ada" in message.last_error


def test_enabled_whatsapp_without_credentials_fails_the_system_check(settings):
    """Switching WhatsApp on without a token or phone number id is reported by `manage.py
    check`, not discovered when the first message fails."""
    from layanan.notify.checks import whatsapp_settings

    settings.WHATSAPP_ENABLED = True
    settings.WHATSAPP_TOKEN = ""
    settings.WHATSAPP_PHONE_NUMBER_ID = "1"
    errors = whatsapp_settings()
    assert [e.id for e in errors] == ["notify.E001"]
    assert isinstance(errors[0], checks.Error)
    settings.WHATSAPP_TOKEN = "t"
    assert whatsapp_settings() == []
