"""WhatsApp messages into the intake queue: text, photo, document and location land in the
unit's queue as they arrived (time, number, name), files fetched from the Graph API and checked
like uploads, each message once however often the platform delivers it, a message from a
number with an open case joins that case, and the sender is acknowledged once per burst."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.db import connection
from django.utils import timezone, translation
from django.utils.translation import gettext

from layanan.accounts.actors import PUBLIC
from layanan.cases.models import CaseEvent, Channel, Status
from layanan.complaints.services import complaint_create
from layanan.intake.models import (
    IntakeChannel,
    IntakeMessage,
    IntakeStatus,
    WhatsAppEvent,
)
from layanan.intake.services import REQUESTER_MESSAGE, intake_convert
from layanan.intake.whatsapp import process_event
from layanan.notify.models import OutboxMessage
from tests.concurrency import run_concurrently

from . import wa

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def deliver(client, *messages, number=wa.GLOBAL_NUMBER_ID, **kw):
    response = wa.post(client, wa.encode(wa.envelope(number, messages=list(messages), **kw)))
    assert response.status_code == 200, response.content
    return response


def ts(moment: dt.datetime) -> int:
    return int(moment.timestamp())


def test_a_text_lands_in_the_units_queue_as_it_arrived(client, graph_api, org):
    """Biro Kesra's queue (the global number's unit) gets the message with the time WhatsApp
    stamped (not the time of processing), the sender's number in E.164 and profile name, and
    a subject from its first line."""
    sent = timezone.now().replace(microsecond=0) - dt.timedelta(minutes=7)
    item = wa.text("Bantuan sosial belum cair\nSudah 3 bulan menunggu.", at=ts(sent))
    deliver(client, item)

    message = IntakeMessage.objects.get()
    assert message.unit == org["biro-kesra"]
    assert message.channel == IntakeChannel.WHATSAPP
    assert message.external_id == item["id"]
    assert message.received_at == sent
    assert message.sender_address == "+6285812345678"
    assert message.sender_name == "Siti Aminah"
    assert message.subject == "Bantuan sosial belum cair"
    assert message.text == "Bantuan sosial belum cair\nSudah 3 bulan menunggu."
    assert message.status == IntakeStatus.NEW


def test_a_units_own_number_fills_its_own_queue(client, graph_api, org):
    """A number registered for Biro Perekonomian: its messages go to that unit's queue."""
    from layanan.intake.models import WhatsAppNumber

    WhatsAppNumber.objects.create(unit=org["biro-perekonomian"], phone_number_id="100000000000009")
    deliver(client, wa.text("Harga beras naik", at=ts(timezone.now())), number="100000000000009")
    assert IntakeMessage.objects.get().unit == org["biro-perekonomian"]


def test_a_photo_and_a_document_are_fetched_and_checked_like_uploads(client, graph_api):
    """The Graph API's media endpoint gives the file's URL, which is downloaded with the bearer
    token; an accepted file is stored with its bytes intact, the caption is the text."""
    photo_id = graph_api.add_media(JPEG, "image/jpeg")
    pdf_id = graph_api.add_media(PDF, "application/pdf")
    now = ts(timezone.now())
    photo = wa.message(
        "image",
        {"id": photo_id, "mime_type": "image/jpeg", "caption": "Jembatan ambruk 😢"},
        at=now,
    )
    document = wa.message(
        "document",
        {"id": pdf_id, "mime_type": "application/pdf", "filename": "Surat Keterangan.pdf"},
        at=now,
    )
    deliver(client, photo, document)

    by_kind = {m.external_id: m for m in IntakeMessage.objects.all()}
    photo_row = by_kind[photo["id"]]
    assert photo_row.text == "Jembatan ambruk 😢"
    (file,) = photo_row.attachments.all()
    assert (file.refused, file.content_type, file.size) == ("", "image/jpeg", len(JPEG))
    with file.file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).digest() == hashlib.sha256(JPEG).digest()
    (pdf,) = by_kind[document["id"]].attachments.all()
    assert (pdf.original_name, pdf.content_type, pdf.refused) == (
        "Surat Keterangan.pdf",
        "application/pdf",
        "",
    )
    downloads = graph_api.downloads()
    assert len(downloads) == 2
    assert all(r.headers["authorization"] == f"Bearer {wa.TOKEN}" for r in downloads)


def test_a_file_of_a_refused_type_or_too_large_is_listed_with_the_reason(
    client, graph_api, settings
):
    """A voice note (audio is not an accepted type) and a document over ATTACHMENT_MAX_BYTES
    are listed on the message with why, not stored; the large one is not even downloaded."""
    settings.ATTACHMENT_MAX_BYTES = 1000
    voice_id = graph_api.add_media(b"OggS\x00\x02" + b"\x00" * 100, "audio/ogg")
    big_id = graph_api.add_media(b"%PDF-1.4\n" + b"x" * 5000, "application/pdf")
    now = ts(timezone.now())
    deliver(
        client,
        wa.message(
            "audio", {"id": voice_id, "mime_type": "audio/ogg; codecs=opus", "voice": True}, at=now
        ),
        wa.message(
            "document",
            {"id": big_id, "mime_type": "application/pdf", "filename": "besar.pdf"},
            at=now,
        ),
    )
    with translation.override(settings.LANGUAGE_CODE):  # the text is stored in the site's language
        voice_text, document_text = gettext("(voice or audio message)"), gettext("(document)")
    refused = {
        a.original_name: a for a in IntakeMessage.objects.get(text=voice_text).attachments.all()
    }
    (voice,) = refused.values()
    assert voice.refused and not voice.file
    (big,) = IntakeMessage.objects.get(text=document_text).attachments.all()
    assert big.refused and not big.file and big.size == 5009
    assert [r.path for r in graph_api.downloads()] == [f"/files/{voice_id}"]


def test_a_file_the_platform_no_longer_has_is_listed_as_refused(client, graph_api):
    """The media endpoint answering 404 (expired media): the message is recorded, the file
    listed as not fetched."""
    media_id = graph_api.add_media(JPEG, "image/jpeg")
    graph_api.media_status[media_id] = 404
    deliver(
        client,
        wa.message("image", {"id": media_id, "mime_type": "image/jpeg"}, at=ts(timezone.now())),
    )
    (file,) = IntakeMessage.objects.get().attachments.all()
    assert "WhatsApp" in file.refused and not file.file


def test_a_location_becomes_readable_text_with_coordinates_and_a_map_link(client, graph_api):
    """A shared location: its name and address, the coordinates and an OpenStreetMap link."""
    location = {
        "latitude": -0.0263303,
        "longitude": 109.3425039,
        "name": "Jalan Ahmad Yani",
        "address": "Pontianak, Kalimantan Barat",
    }
    deliver(client, wa.message("location", location, at=ts(timezone.now())))
    text = IntakeMessage.objects.get().text
    assert "Jalan Ahmad Yani" in text and "Pontianak, Kalimantan Barat" in text
    assert "-0.026330, 109.342504" in text
    assert "https://www.openstreetmap.org/?mlat=-0.026330&mlon=109.342504" in text


def test_a_reaction_is_not_a_message(client, graph_api):
    """A reaction to one of our messages files nothing."""
    deliver(
        client,
        wa.message("reaction", {"message_id": "wamid.X", "emoji": "👍"}, at=ts(timezone.now())),
    )
    assert IntakeMessage.objects.count() == 0


# --- exactly once --------------------------------------------------------------------------------


def test_a_retried_delivery_records_the_message_once(client, graph_api):
    """The platform delivers the same message twice (a retry after a slow answer): one row,
    one download of its file, one acknowledgement; both deliveries get 200."""
    graph_api_photo = graph_api.add_media(JPEG, "image/jpeg")
    item = wa.message(
        "image", {"id": graph_api_photo, "mime_type": "image/jpeg"}, at=ts(timezone.now())
    )
    body = wa.encode(wa.envelope(wa.GLOBAL_NUMBER_ID, messages=[item]))
    assert wa.post(client, body).status_code == 200
    assert wa.post(client, body).status_code == 200

    assert WhatsAppEvent.objects.count() == 2
    assert IntakeMessage.objects.count() == 1
    assert len(graph_api.downloads()) == 1
    # Processing an event again (the sweep after a crash) changes nothing either.
    for event in WhatsAppEvent.objects.all():
        WhatsAppEvent.objects.filter(pk=event.pk).update(status="pending")
        process_event(event.pk)
    assert IntakeMessage.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_processing_the_same_message_at_once_record_it_once(graph_api, org):
    """Two deliveries of the same message processed at the same moment by two workers (own
    database connections): exactly one row, and neither worker fails."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (DATABASE_URL=postgres://…)")
    item = wa.text("Serentak", at=ts(timezone.now()))
    body = wa.encode(wa.envelope(wa.GLOBAL_NUMBER_ID, messages=[item])).decode()
    events = [
        WhatsAppEvent.objects.create(body=body, phone_number_ids=[wa.GLOBAL_NUMBER_ID])
        for _ in range(2)
    ]
    ids = iter([e.pk for e in events])
    import threading

    lock = threading.Lock()

    def work():
        with lock:
            event_id = next(ids)
        return process_event(event_id)

    assert run_concurrently(2, work) == ["done", "done"]
    assert IntakeMessage.objects.filter(external_id=item["id"]).count() == 1


# --- joining a case ------------------------------------------------------------------------------


def _complaint(org, phone="0858-1234-5678"):
    return complaint_create(
        actor=PUBLIC,
        unit=org["biro-kesra"],
        channel=Channel.WEB,
        subject="Bantuan belum cair",
        description="Sudah tiga bulan.",
        requester_name="Siti Aminah",
        requester_phone=phone,
    )


def test_a_message_from_a_number_with_an_open_case_joins_that_case(client, graph_api, org):
    """The requester of an open Kesra case (phone typed as 0858-…) writes again: the message
    is on the case's timeline as theirs, not in the queue; a case waiting for them runs
    again."""
    from layanan.accounts.actors import SYSTEM
    from layanan.cases.workflow import case_transition

    case = _complaint(org)
    case = case_transition(actor=SYSTEM, case=case, to=Status.WAITING, note="Mohon KTP.")
    deliver(client, wa.text("Ini KTP saya", at=ts(timezone.now())))

    message = IntakeMessage.objects.get()
    assert (message.status, message.case, message.matched_by) == (
        IntakeStatus.ATTACHED,
        case,
        "sender",
    )
    assert CaseEvent.objects.filter(case=case, kind=REQUESTER_MESSAGE, note="Ini KTP saya").exists()
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS


@pytest.mark.parametrize("typed", ["0858-1234-5678", "+62 858 1234 5678", "62858 1234 5678"])
def test_the_sender_meets_the_cases_number_in_e164_whatever_was_typed(
    client, graph_api, org, typed
):
    """The case stores the number typed any usual way in E.164; the Cloud API's sender (digits
    without "+") is read by the same rule, so the message joins that case."""
    case = _complaint(org, phone=typed)
    assert case.requester_phone == "+6285812345678"
    deliver(client, wa.text("Ada kabar?", at=ts(timezone.now())))
    message = IntakeMessage.objects.get()
    assert (message.sender_address, message.case, message.matched_by) == (
        "+6285812345678",
        case,
        "sender",
    )


def test_a_number_without_an_open_case_goes_to_the_queue(client, graph_api, org):
    """Another number, or the same number whose case is of another unit: the queue."""
    _complaint(org, phone="0811-2222-3333")
    deliver(client, wa.text("Halo", at=ts(timezone.now())))
    assert IntakeMessage.objects.get().status == IntakeStatus.NEW


# --- acknowledgement and conversion --------------------------------------------------------------


def test_the_sender_is_acknowledged_once_per_burst(client, graph_api, settings, clock):
    """Three messages in a row get one "received" reply (no code), from the number they wrote
    to; a message after the quiet period gets another."""
    settings.WHATSAPP_ENABLED = True
    now = timezone.now()
    deliver(client, wa.text("Satu", at=ts(now)), wa.text("Dua", at=ts(now)))
    deliver(client, wa.text("Tiga", at=ts(now)))
    acks = OutboxMessage.objects.filter(kind="intake.whatsapp_ack")
    assert acks.count() == 1
    ack = acks.get()
    assert (ack.channel, ack.recipient, ack.sender) == ("whatsapp", wa.CITIZEN, wa.GLOBAL_NUMBER_ID)
    assert graph_api_unit_name() in ack.body

    clock.shift(dt.timedelta(minutes=61))
    deliver(client, wa.text("Empat", at=ts(timezone.now())))
    assert acks.count() == 2


def graph_api_unit_name() -> str:
    from layanan.core.models import Unit

    return Unit.objects.get(slug="biro-kesra").name


def test_no_acknowledgement_when_whatsapp_sending_is_off(client, graph_api):
    """WHATSAPP_ENABLED false: the message is recorded, nothing is queued to send."""
    deliver(client, wa.text("Halo", at=ts(timezone.now())))
    assert IntakeMessage.objects.count() == 1
    assert OutboxMessage.objects.count() == 0


def test_converting_sends_the_tracking_code_to_the_sender_only(
    client, graph_api, settings, kesra_officer, kesra_number
):
    """The officer turns the message into a complaint: a WhatsApp complaint received when the
    message arrived, the sender's number as the requester's, and the tracking code and link go
    to that number alone — from Biro Kesra's own number — and reach the Graph API as text
    (the sender wrote minutes ago: inside the window)."""
    from layanan.cases.numbering import format_public_code
    from layanan.notify.dispatch import outbox_dispatch

    settings.WHATSAPP_ENABLED = True
    sent = timezone.now().replace(microsecond=0) - dt.timedelta(minutes=5)
    deliver(
        client, wa.text("Jalan berlubang di Jl. Gajah Mada", at=ts(sent)), number=wa.KESRA_NUMBER_ID
    )
    message = IntakeMessage.objects.get()

    case = intake_convert(actor=kesra_officer, message=message)
    assert (case.channel, case.received_at, case.requester_phone) == (
        Channel.WHATSAPP,
        sent,
        "+6285812345678",
    )
    code = format_public_code(case.public_code)
    with_code = [m for m in OutboxMessage.objects.all() if code in m.body]
    assert [(m.channel, m.recipient, m.kind) for m in with_code] == [
        ("whatsapp", wa.CITIZEN, "complaint.received")
    ]

    outbox_dispatch()
    posts = [(r.path, r.json()) for r in graph_api.requests if r.method == "POST"]
    assert {path for path, _ in posts} == {f"/v20.0/{wa.KESRA_NUMBER_ID}/messages"}
    received = [body for _, body in posts if code in body.get("text", {}).get("body", "")]
    assert len(received) == 1 and received[0]["to"] == wa.CITIZEN and received[0]["type"] == "text"


def test_the_officer_sees_a_whatsapp_message_in_the_queue_and_opens_it(
    client, graph_api, kesra_officer
):
    """The queue filtered by the WhatsApp channel lists the message (first line, sender); its
    page shows the whole text with the map link."""
    from django.urls import reverse

    location = {"latitude": -0.03, "longitude": 109.33, "name": "Taman Alun Kapuas"}
    deliver(client, wa.message("location", location, at=ts(timezone.now())))
    message = IntakeMessage.objects.get()
    client.force_login(kesra_officer)
    queue = client.get(reverse("intake:queue"), {"channel": "whatsapp"}).content.decode()
    assert reverse("intake:detail", args=[message.pk]) in queue
    assert "+6285812345678" in queue
    page = client.get(reverse("intake:detail", args=[message.pk])).content.decode()
    assert "Taman Alun Kapuas" in page
    assert "openstreetmap.org/?mlat=-0.030000&amp;mlon=109.330000" in page
