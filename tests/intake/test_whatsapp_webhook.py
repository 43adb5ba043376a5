"""The WhatsApp webhook's door: the verification handshake, signatures over the raw bytes,
refusals (4xx, logged, nothing stored), acknowledgements that must never be refused, and the
delivery stored before the 200 with the work done after commit."""

from __future__ import annotations

import json
import logging

import pytest
from django.utils import timezone

from layanan.intake.models import IntakeMessage, WhatsAppEvent, WhatsAppEventStatus
from layanan.intake.whatsapp import process_pending

from . import wa

pytestmark = pytest.mark.django_db


def now_ts() -> int:
    return int(timezone.now().timestamp())


# --- GET: the handshake --------------------------------------------------------------------------


def test_handshake_answers_the_challenge_only_for_the_right_token(client, graph_api):
    """The right token gets 200 with exactly the challenge as plain text; a wrong or missing
    token, or another mode, gets 403 without the challenge."""
    ok = client.get(
        wa.WEBHOOK,
        {
            "hub.mode": "subscribe",
            "hub.verify_token": wa.VERIFY_TOKEN,
            "hub.challenge": "1158201444",
        },
    )
    assert ok.status_code == 200
    assert ok.content == b"1158201444"
    assert ok["Content-Type"].startswith("text/plain")

    for params in (
        {"hub.mode": "subscribe", "hub.verify_token": "salah", "hub.challenge": "1"},
        {"hub.mode": "unsubscribe", "hub.verify_token": wa.VERIFY_TOKEN, "hub.challenge": "1"},
        {"hub.challenge": "1"},
    ):
        refused = client.get(wa.WEBHOOK, params)
        assert refused.status_code == 403
        assert refused.content != b"1"


def test_handshake_is_refused_when_no_token_is_configured(client, graph_api, settings):
    """An empty WHATSAPP_VERIFY_TOKEN never matches (not even an empty token)."""
    settings.WHATSAPP_VERIFY_TOKEN = ""
    response = client.get(
        wa.WEBHOOK, {"hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "42"}
    )
    assert response.status_code == 403


# --- POST: signatures ----------------------------------------------------------------------------


def test_signature_over_the_raw_bytes_accepts_emoji_and_accents(client, graph_api):
    """A body with emoji and accented letters, signed over its bytes as sent, is accepted and
    its text kept exactly; the same body signed over re-serialised JSON (escaped) is refused:
    the HMAC is over the raw bytes."""
    words = "Jalan rusak 🙏😡 di depan SD — café «Pontianak» ñ"
    body = wa.encode(wa.envelope(wa.GLOBAL_NUMBER_ID, messages=[wa.text(words, at=now_ts())]))
    reserialised = json.dumps(json.loads(body)).encode()  # \\ud83d… escapes: other bytes
    assert reserialised != body

    refused = wa.post(client, body, signature=wa.sign(reserialised))
    assert refused.status_code == 403
    assert WhatsAppEvent.objects.count() == 0

    accepted = wa.post(client, body)
    assert accepted.status_code == 200
    assert IntakeMessage.objects.get().text == words


@pytest.mark.parametrize(
    "signature",
    [None, "", "sha256=", "sha1=abc", "sha256=" + "0" * 64, wa.sign(b"{}"), "deadbeef"],
)
def test_a_bad_or_missing_signature_is_refused_logged_and_nothing_stored(
    client, graph_api, caplog, signature
):
    """403 for a missing, malformed, wrong-secret or other-body signature; logged; nothing
    stored, nothing processed."""
    body = wa.encode(wa.envelope(wa.GLOBAL_NUMBER_ID, messages=[wa.text("Halo", at=now_ts())]))
    with caplog.at_level(logging.WARNING, logger="layanan.intake.whatsapp"):
        response = wa.post(client, body, signature=signature)
    assert response.status_code == 403
    assert "signature" in caplog.text
    assert WhatsAppEvent.objects.count() == 0
    assert IntakeMessage.objects.count() == 0


def test_a_signature_with_another_secret_is_refused(client, graph_api):
    """Signed with a secret that is not WHATSAPP_APP_SECRET: 403."""
    body = wa.encode(wa.envelope(wa.GLOBAL_NUMBER_ID, messages=[wa.text("Halo", at=now_ts())]))
    assert wa.post(client, body, signature=wa.sign(body, "rahasia-lain")).status_code == 403
    assert WhatsAppEvent.objects.count() == 0


def test_without_an_app_secret_every_post_is_refused(client, graph_api, settings):
    """No WHATSAPP_APP_SECRET configured: nothing can be verified, so nothing is accepted
    (a signature made with the empty key included)."""
    settings.WHATSAPP_APP_SECRET = ""
    body = wa.encode(wa.envelope(wa.GLOBAL_NUMBER_ID, messages=[wa.text("Halo", at=now_ts())]))
    assert wa.post(client, body, signature=wa.sign(body, "")).status_code == 403
    assert WhatsAppEvent.objects.count() == 0


# --- POST: shape and number ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"\xff\xfe",
        b"[]",
        b'{"object": "whatsapp_business_account"}',
        b'{"entry": [1]}',
        b'{"entry": [{"changes": [{"field": "messages"}]}]}',
        b'{"entry": [{"changes": [{"field": "messages", "value": {"messages": []}}]}]}',
        b'{"entry": [{"changes": [{"field": "messages", "value": '
        b'{"metadata": {"phone_number_id": "100000000000001"}, "messages": "x"}}]}]}',
    ],
)
def test_a_malformed_body_is_refused_with_400_and_nothing_stored(client, graph_api, body):
    """Not JSON, not the envelope, a messages change without its number or with a messages
    field that is not a list: 400 (correctly signed, so the shape is what is wrong)."""
    assert wa.post(client, body).status_code == 400
    assert WhatsAppEvent.objects.count() == 0


def test_an_unknown_phone_number_id_is_refused_with_404_logged_nothing_stored(
    client, graph_api, caplog
):
    """A delivery for a business number this installation does not know: 404, logged with
    the id, nothing stored (not even the known part of a mixed delivery)."""
    unknown = wa.envelope("555555555555555", messages=[wa.text("Halo", at=now_ts())])
    with caplog.at_level(logging.WARNING, logger="layanan.intake.whatsapp"):
        assert wa.post(client, wa.encode(unknown)).status_code == 404
    assert "555555555555555" in caplog.text

    mixed = wa.envelope(wa.GLOBAL_NUMBER_ID, messages=[wa.text("Halo", at=now_ts())])
    mixed["entry"].append(unknown["entry"][0])
    assert wa.post(client, wa.encode(mixed)).status_code == 404
    assert WhatsAppEvent.objects.count() == 0
    assert IntakeMessage.objects.count() == 0


def test_the_global_number_without_a_receiving_unit_takes_only_status_callbacks(
    client, graph_api, settings
):
    """WHATSAPP_DEFAULT_UNIT empty: messages to the global number are refused like an unknown
    number's (nobody would read them), but the status callbacks of what it sent are taken:
    refusing them would get the subscription disabled."""
    settings.WHATSAPP_DEFAULT_UNIT = ""
    body = wa.encode(wa.envelope(wa.GLOBAL_NUMBER_ID, messages=[wa.text("Halo", at=now_ts())]))
    assert wa.post(client, body).status_code == 404
    assert WhatsAppEvent.objects.count() == 0
    statuses = wa.envelope(
        wa.GLOBAL_NUMBER_ID, statuses=[wa.status("wamid.OUT1", "read", at=now_ts())]
    )
    assert wa.post(client, wa.encode(statuses)).status_code == 200
    assert WhatsAppEvent.objects.get().status == "done"


def test_an_inactive_number_is_acknowledged_and_dropped(client, graph_api, kesra_number):
    """A number paused in the admin: 200 (the platform must not disable the app's
    subscription for it) but nothing is stored."""
    kesra_number.is_active = False
    kesra_number.save()
    body = wa.encode(wa.envelope(wa.KESRA_NUMBER_ID, messages=[wa.text("Halo", at=now_ts())]))
    assert wa.post(client, body).status_code == 200
    assert WhatsAppEvent.objects.count() == 0


# --- POST: acknowledged, stored, worked after commit ---------------------------------------------


def test_status_callbacks_and_other_fields_are_acknowledged(client, graph_api):
    """A status callback for a message we never sent and a change of another field (template
    review) both get 200: the platform must never see a refusal for them."""
    statuses = wa.envelope(
        wa.GLOBAL_NUMBER_ID, statuses=[wa.status("wamid.UNKNOWN", "delivered", at=now_ts())]
    )
    assert wa.post(client, wa.encode(statuses)).status_code == 200
    other = {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "102290129340398",
                "changes": [
                    {
                        "field": "message_template_status_update",
                        "value": {"event": "APPROVED", "message_template_name": "layanan_update"},
                    }
                ],
            }
        ],
    }
    assert wa.post(client, wa.encode(other)).status_code == 200
    unknown_object = {"object": "page", "entry": []}
    assert wa.post(client, wa.encode(unknown_object)).status_code == 200


def test_a_valid_delivery_is_stored_then_processed_after_commit(
    client, graph_api, django_capture_on_commit_callbacks
):
    """The raw body is stored in the request's transaction; the processing task is only
    scheduled for after commit, and then files the message."""
    body = wa.encode(wa.envelope(wa.GLOBAL_NUMBER_ID, messages=[wa.text("Halo", at=now_ts())]))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = wa.post(client, body, commit=False)
    assert response.status_code == 200
    event = WhatsAppEvent.objects.get()
    assert event.body.encode() == body
    assert event.phone_number_ids == [wa.GLOBAL_NUMBER_ID]
    assert event.status == WhatsAppEventStatus.PENDING
    assert IntakeMessage.objects.count() == 0  # nothing done before the commit
    assert len(callbacks) == 1

    callbacks[0]()  # the commit happens: the task runs (immediate backend)
    event.refresh_from_db()
    assert event.status == WhatsAppEventStatus.DONE
    assert IntakeMessage.objects.get().text == "Halo"


def test_an_event_whose_task_never_ran_is_picked_up_by_the_sweep(client, graph_api, settings):
    """The process died after the 200 (no task ran): the stored event is processed by
    ``manage.py process_whatsapp``; running the sweep again changes nothing."""
    from django.core.management import call_command

    settings.WHATSAPP_PROCESS_ON_COMMIT = False
    body = wa.encode(wa.envelope(wa.GLOBAL_NUMBER_ID, messages=[wa.text("Tolong", at=now_ts())]))
    assert wa.post(client, body).status_code == 200
    assert IntakeMessage.objects.count() == 0

    call_command("process_whatsapp", "--older-than", "0", verbosity=0)
    assert IntakeMessage.objects.get().text == "Tolong"
    assert WhatsAppEvent.objects.get().status == WhatsAppEventStatus.DONE
    assert process_pending() == 0
    assert IntakeMessage.objects.count() == 1


def test_a_failing_event_stays_pending_and_succeeds_later(client, graph_api, settings):
    """The Graph API answering 500 for a photo: the event stays pending with the error (no
    message is half-recorded), and the sweep records it once the API is back."""
    photo = b"\xff\xd8\xff\xe0" + b"0" * 100
    media_id = graph_api.add_media(photo, "image/jpeg")
    graph_api.media_status[media_id] = 500
    image = wa.message("image", {"id": media_id, "mime_type": "image/jpeg"}, at=now_ts())
    assert (
        wa.post(client, wa.encode(wa.envelope(wa.GLOBAL_NUMBER_ID, messages=[image]))).status_code
        == 200
    )
    event = WhatsAppEvent.objects.get()
    assert event.status == WhatsAppEventStatus.PENDING
    assert "500" in event.last_error
    assert IntakeMessage.objects.count() == 0

    del graph_api.media_status[media_id]
    assert process_pending() == 1
    message = IntakeMessage.objects.get()
    assert [a.refused for a in message.attachments.all()] == [""]
    assert WhatsAppEvent.objects.get().status == WhatsAppEventStatus.DONE


def test_processed_deliveries_are_deleted_after_the_keeping_period(
    client, graph_api, settings, clock
):
    """The sweep deletes raw deliveries processed more than WHATSAPP_EVENT_KEEP_DAYS ago (they
    copy citizens' messages); a failed one stays for follow-up; the message stays filed."""
    import datetime as dt

    from django.core.management import call_command

    settings.WHATSAPP_EVENT_KEEP_DAYS = 30
    body = wa.encode(wa.envelope(wa.GLOBAL_NUMBER_ID, messages=[wa.text("Lama", at=now_ts())]))
    assert wa.post(client, body).status_code == 200
    failed = WhatsAppEvent.objects.create(body="{}", status=WhatsAppEventStatus.FAILED)
    clock.shift(dt.timedelta(days=29))
    call_command("process_whatsapp", verbosity=0)
    assert WhatsAppEvent.objects.count() == 2
    clock.shift(dt.timedelta(days=2))
    call_command("process_whatsapp", verbosity=0)
    assert list(WhatsAppEvent.objects.all()) == [failed]
    assert IntakeMessage.objects.get().text == "Lama"
