"""WhatsApp going out: from the unit's own number (or its parent's, or the global one), as
free text inside the 24-hour customer-service window and as the approved template outside it,
and the delivery status callbacks moving each outbox row only forward."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from layanan.accounts.actors import PUBLIC
from layanan.cases.models import Channel
from layanan.complaints.services import complaint_create
from layanan.intake.whatsapp_numbers import number_for_unit
from layanan.notify.dispatch import outbox_dispatch
from layanan.notify.models import OutboxMessage, OutboxStatus
from layanan.notify.services import outbox_enqueue

from . import wa

pytestmark = pytest.mark.django_db


def ts(moment: dt.datetime) -> int:
    return int(moment.timestamp())


def deliver(client, payload):
    response = wa.post(client, wa.encode(payload))
    assert response.status_code == 200, response.content


def complaint(org, unit="biro-kesra", phone="0858-1234-5678"):
    return complaint_create(
        actor=PUBLIC,
        unit=org[unit],
        channel=Channel.WEB,
        subject="Bantuan belum cair",
        description="Sudah tiga bulan.",
        requester_name="Siti Aminah",
        requester_phone=phone,
    )


# --- which number ------------------------------------------------------------------------------


def test_a_unit_sends_from_its_own_number_else_its_parents_else_the_global(
    graph_api, org, kesra_number
):
    """Biro Kesra has a number; its division (Bagian Bina Mental) has none and uses Kesra's;
    Biro Perekonomian has none and no parent with one: the global number. An inactive number
    is passed over."""
    assert number_for_unit(org["biro-kesra"]) == wa.KESRA_NUMBER_ID
    assert number_for_unit(org["kesra-bina-mental"]) == wa.KESRA_NUMBER_ID
    assert number_for_unit(org["biro-perekonomian"]) == wa.GLOBAL_NUMBER_ID
    kesra_number.is_active = False
    kesra_number.save()
    assert number_for_unit(org["kesra-bina-mental"]) == wa.GLOBAL_NUMBER_ID


def test_a_case_notification_goes_from_the_number_of_the_cases_unit(
    graph_api, org, settings, kesra_number
):
    """A complaint of Biro Kesra from the web form: its WhatsApp receipt is posted to
    ``/{Kesra's phone-number id}/messages``."""
    settings.WHATSAPP_ENABLED = True
    settings.WHATSAPP_TEMPLATE_UPDATE = "layanan_update"
    complaint(org)
    outbox_dispatch()
    (post,) = [r for r in graph_api.requests if r.method == "POST"]
    assert post.path == f"/v20.0/{wa.KESRA_NUMBER_ID}/messages"


# --- the 24-hour window --------------------------------------------------------------------------


def test_outside_the_window_the_approved_template_is_sent(graph_api, org, settings):
    """Someone who never wrote by WhatsApp (they used the web form): the receipt goes as the
    configured template in the configured language, its parameters what happened and the
    tracking link (no new lines: the Cloud API refuses them in parameters)."""
    from layanan.complaints.notifications import tracking_url

    settings.WHATSAPP_ENABLED = True
    settings.WHATSAPP_TEMPLATE_UPDATE = "layanan_update"
    settings.WHATSAPP_TEMPLATE_LANGUAGE = "id"
    case = complaint(org)
    report = outbox_dispatch()
    assert report.sent == 1
    body = graph_api.sent()[0]
    assert body["type"] == "template"
    template = body["template"]
    assert (template["name"], template["language"]) == ("layanan_update", {"code": "id"})
    params = [p["text"] for p in template["components"][0]["parameters"]]
    assert params[1] == tracking_url(case)
    assert all("\n" not in p for p in params)


def test_inside_the_window_the_answer_is_free_text(client, graph_api, org, settings, clock):
    """The requester wrote to the number 23 hours ago: free text. At 25 hours: the template."""
    settings.WHATSAPP_ENABLED = True
    settings.WHATSAPP_TEMPLATE_UPDATE = "layanan_update"
    case = complaint(org)
    OutboxMessage.objects.all().delete()  # the receipt; this test is about later messages
    wrote = timezone.now() - dt.timedelta(hours=23)
    deliver(
        client, wa.envelope(wa.GLOBAL_NUMBER_ID, messages=[wa.text("Ada kabar?", at=ts(wrote))])
    )
    OutboxMessage.objects.all().delete()  # the acknowledgement
    for key in ("a", "b"):
        outbox_enqueue(
            channel="whatsapp",
            recipient=case.requester_phone,
            subject="Pengaduan dijawab",
            body="Pengaduan Anda telah dijawab.",
            case_id=case.pk,
            dedupe_key=f"test:{key}",
        )
        if key == "a":
            outbox_dispatch()
            clock.shift(dt.timedelta(hours=2))
    outbox_dispatch()
    kinds = [body["type"] for body in graph_api.sent()]
    assert kinds == ["text", "template"]


def test_without_a_template_outside_the_window_the_refusal_shows_as_failed(
    graph_api, org, settings
):
    """No WHATSAPP_TEMPLATE_UPDATE: the text is tried and WhatsApp's refusal (131047,
    re-engagement) leaves the row failed with the reason, visible in the admin."""
    settings.WHATSAPP_ENABLED = True
    graph_api.send_status = 400
    graph_api.send_error = {
        "error": {"message": "Re-engagement message", "code": 131047, "type": "OAuthException"}
    }
    complaint(org)
    outbox_dispatch()
    row = OutboxMessage.objects.get()
    assert row.status == OutboxStatus.FAILED
    assert "131047" in row.last_error


# --- status callbacks ----------------------------------------------------------------------------


def _sent_row(graph_api, org, settings):
    settings.WHATSAPP_ENABLED = True
    settings.WHATSAPP_TEMPLATE_UPDATE = "layanan_update"
    complaint(org)
    outbox_dispatch()
    row = OutboxMessage.objects.get()
    assert row.status == OutboxStatus.SENT
    assert row.provider_message_id == graph_api.sent_ids[0]  # stored from the send's answer
    return row


def _callback(client, provider_id, state, at, **kw):
    deliver(
        client,
        wa.envelope(wa.GLOBAL_NUMBER_ID, statuses=[wa.status(provider_id, state, at=at, **kw)]),
    )


def test_status_callbacks_move_the_row_forward_only(client, graph_api, org, settings):
    """sent → read arrives before delivered: the late "delivered" does not overwrite "read";
    a repeated callback changes nothing."""
    row = _sent_row(graph_api, org, settings)
    now = ts(timezone.now()) - 60
    _callback(client, row.provider_message_id, "sent", now)
    row.refresh_from_db()
    assert row.delivery_status == "sent"
    _callback(client, row.provider_message_id, "read", now + 5)
    _callback(client, row.provider_message_id, "delivered", now + 3)
    _callback(client, row.provider_message_id, "read", now + 5)
    row.refresh_from_db()
    assert row.delivery_status == "read"
    assert row.delivery_updated_at == dt.datetime.fromtimestamp(now + 5, tz=dt.UTC)
    assert row.status == OutboxStatus.SENT


def test_a_failed_callback_marks_the_row_failed_with_the_error(client, graph_api, org, settings):
    """ "failed" turns the sent row to failed with WhatsApp's code, title and details (shown in
    the admin's outbox like a failed e-mail); repeated, it changes nothing more."""
    row = _sent_row(graph_api, org, settings)
    errors = [
        {
            "code": 131026,
            "title": "Message undeliverable",
            "message": "Message undeliverable",
            "error_data": {"details": "Receiver is incapable of receiving this message"},
        }
    ]
    _callback(client, row.provider_message_id, "sent", ts(timezone.now()))
    _callback(client, row.provider_message_id, "failed", ts(timezone.now()) + 1, errors=errors)
    row.refresh_from_db()
    assert row.status == OutboxStatus.FAILED
    assert "131026" in row.last_error and "incapable" in row.last_error
    first = row.updated_at
    _callback(client, row.provider_message_id, "failed", ts(timezone.now()) + 2, errors=errors)
    row.refresh_from_db()
    assert row.updated_at == first


def test_failed_after_delivered_is_ignored(client, graph_api, org, settings):
    """The phone had the message (delivered): a stray "failed" afterwards does not fail it."""
    row = _sent_row(graph_api, org, settings)
    _callback(client, row.provider_message_id, "delivered", ts(timezone.now()))
    _callback(client, row.provider_message_id, "failed", ts(timezone.now()) + 1, errors=[])
    row.refresh_from_db()
    assert (row.status, row.delivery_status) == (OutboxStatus.SENT, "delivered")


def test_the_failed_filter_of_the_outbox_admin_lists_a_failed_whatsapp_message(
    admin_client, client, graph_api, org, settings
):
    """The admin's outbox filtered by failed shows the message failed by a callback."""
    row = _sent_row(graph_api, org, settings)
    _callback(
        client,
        row.provider_message_id,
        "failed",
        ts(timezone.now()),
        errors=[{"code": 131049, "title": "Not delivered"}],
    )
    page = admin_client.get("/admin/notify/outboxmessage/", {"status__exact": "failed"})
    assert page.status_code == 200
    assert f"/admin/notify/outboxmessage/{row.pk}/" in page.content.decode()


def test_a_callback_faster_than_the_send_is_applied_later(client, graph_api, org, settings):
    """A "read" arrives while its message is still being sent (the id not stored yet): the
    event stays pending, and the sweep applies it once the row carries the id."""
    from layanan.intake.models import WhatsAppEvent
    from layanan.intake.whatsapp import process_pending

    settings.WHATSAPP_ENABLED = True
    complaint(org)
    row = OutboxMessage.objects.get()
    OutboxMessage.objects.filter(pk=row.pk).update(status=OutboxStatus.SENDING)
    _callback(client, "wamid.OUTLATER", "read", ts(timezone.now()) - 1)
    assert WhatsAppEvent.objects.get().status == "pending"

    OutboxMessage.objects.filter(pk=row.pk).update(
        status=OutboxStatus.SENT, provider_message_id="wamid.OUTLATER"
    )
    assert process_pending() == 1
    row.refresh_from_db()
    assert row.delivery_status == "read"
    assert WhatsAppEvent.objects.get().status == "done"


def test_a_superuser_adds_a_units_number_in_the_admin_and_it_is_audited(admin_client, org):
    """Intake › WhatsApp numbers › Add: the row maps the phone-number id to the unit; the
    change is in the audit log (which fields, who)."""
    from layanan.core.models import AuditAction, AuditEntry
    from layanan.intake.models import WhatsAppNumber

    response = admin_client.post(
        "/admin/intake/whatsappnumber/add/",
        {
            "unit": org["biro-perekonomian"].pk,
            "phone_number_id": "100000000000077",
            "display_number": "+62 811-5000-077",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    number = WhatsAppNumber.objects.get(phone_number_id="100000000000077")
    assert number.unit == org["biro-perekonomian"]
    entry = AuditEntry.objects.get(action=AuditAction.WHATSAPP_NUMBER_CHANGED)
    assert entry.data["created"] is True and "phone_number_id" in entry.data["fields"]
