"""WhatsApp into the intake queue, and which number answers: the Cloud API webhook's work.

The webhook (``webhook.py``) only checks and stores a delivery (``tasks.accept_delivery``: a
``WhatsAppEvent`` row, one short transaction) and answers 200; the work happens after commit in
a task (``process_event``), and again in the sweep (``manage.py process_whatsapp``) for an
event whose task never ran (a process killed between the commit and the enqueue, a task backend
that was down). Processing is idempotent, so running it twice is harmless:

- a message is one ``IntakeMessage`` per (unit, channel, WhatsApp message id): a retried
  delivery, a replayed event or two workers at once record it once
  (``services.intake_receive``), and a message already recorded is not fetched again;
- a status callback only ever moves an outbox row forward (sent → delivered → read), so a late
  "delivered" never overwrites "read"; "failed" marks the row failed with the platform's error.

Which unit: the event's ``metadata.phone_number_id`` names the business number; a
``WhatsAppNumber`` row maps it to a unit, and the global ``WHATSAPP_PHONE_NUMBER_ID`` receives
for ``WHATSAPP_DEFAULT_UNIT`` (a unit's slug). Outgoing, a message about a case goes from the
number of the case's unit, or of the nearest parent unit with one, else the global number.

The 24-hour customer-service window: free text reaches a WhatsApp user only within 24 hours
of their last message to that number; outside it only an approved template
(``WHATSAPP_TEMPLATE_UPDATE`` in ``WHATSAPP_TEMPLATE_LANGUAGE``). The choice is made when the
message is sent (``outgoing_plan`` in ``whatsapp_numbers.py``), not when it was queued.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from layanan.cases.notifications import render_text
from layanan.core.phones import from_whatsapp, to_whatsapp
from layanan.notify.whatsapp import WhatsAppCloudClient, WhatsAppError

from .models import (
    IntakeChannel,
    IntakeMessage,
    IntakeStatus,
    WhatsAppEvent,
    WhatsAppEventStatus,
)
from .parsing import MailPart
from .services import Incoming, RefusedFile, intake_receive, receipt_time
from .whatsapp_numbers import Number, known_number

logger = logging.getLogger("layanan.intake.whatsapp")

#: Attempts at processing an event before it is left as failed (visible in the admin).
MAX_ATTEMPTS = 8
#: Kinds of message that carry a file, and the field of the message that describes it.
MEDIA_KINDS = ("image", "document", "audio", "video", "sticker")
#: Kinds that are not a message from the person (a reaction to one of ours, a number change).
SKIPPED_KINDS = ("reaction", "system", "ephemeral")


class StatusNotYetMatched(Exception):
    """A status callback for a message that may be being sent right now (processed later)."""


class BadDelivery(ValueError):
    """The body is not JSON or not in the Cloud API's shape (the webhook answers 400)."""


# --- the webhook's checks -----------------------------------------------------------------------


def signature_valid(body: bytes, header: str | None) -> bool:
    """``X-Hub-Signature-256`` is ``sha256=`` and the HMAC-SHA256 of the raw body (the bytes as
    received, never re-serialised JSON) keyed with ``WHATSAPP_APP_SECRET``; compared in
    constant time. No secret configured: nothing is valid."""
    secret = settings.WHATSAPP_APP_SECRET
    if not secret or not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(header.removeprefix("sha256=").strip().lower(), expected)


def parse_delivery(body: bytes) -> tuple[dict, list[str], set[str]]:
    """The decoded body, the phone-number ids its message changes are for, and those of them
    that carry messages (not only status callbacks). Raises
    ``BadDelivery`` for a body that is not the documented envelope (``object``, ``entry[]``,
    ``changes[]``, ``value``; a ``messages`` change must name ``metadata.phone_number_id``).
    Changes of other fields (template status, account updates) are allowed and ignored."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise BadDelivery(f"not JSON: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("entry"), list):
        raise BadDelivery("no entry list")
    ids: list[str] = []
    receiving: set[str] = set()
    for entry in data["entry"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("changes", []), list):
            raise BadDelivery("an entry is not an object with a changes list")
        for change in entry.get("changes", []):
            if not isinstance(change, dict) or not isinstance(change.get("value"), dict):
                raise BadDelivery("a change without a value object")
            if change.get("field") != "messages":
                continue
            value = change["value"]
            metadata = value.get("metadata")
            number_id = metadata.get("phone_number_id") if isinstance(metadata, dict) else None
            if not isinstance(number_id, str | int) or not str(number_id).strip():
                raise BadDelivery("a messages change without metadata.phone_number_id")
            for key in ("messages", "statuses", "contacts"):
                items = value.get(key, [])
                if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
                    raise BadDelivery(f"{key} is not a list of objects")
            ids.append(str(number_id).strip())
            if value.get("messages"):
                receiving.add(str(number_id).strip())
    return data, list(dict.fromkeys(ids)), receiving


# --- processing ---------------------------------------------------------------------------------


@scopes_disabled()  # SYSTEM: the webhook's events are for any unit
def process_event(event_id: int) -> str:
    """Do an event's work: each message into its unit's queue (or onto its case), each status
    onto its outbox row. Returns the event's status. A failure (the Graph API unreachable for
    a file, say) leaves the event pending for the sweep, up to ``MAX_ATTEMPTS``."""
    event = WhatsAppEvent.objects.filter(pk=event_id).first()
    if event is None or event.status == WhatsAppEventStatus.DONE:
        return event.status if event else ""
    WhatsAppEvent.objects.filter(pk=event.pk).update(attempts=F("attempts") + 1)
    try:
        data = json.loads(event.body)
        for entry in data.get("entry", []):
            for change in entry.get("changes", []):
                if change.get("field") == "messages":
                    _process_value(change["value"])
    except Exception as error:
        event.refresh_from_db()
        failed = event.attempts >= MAX_ATTEMPTS
        WhatsAppEvent.objects.filter(pk=event.pk).update(
            status=WhatsAppEventStatus.FAILED if failed else WhatsAppEventStatus.PENDING,
            last_error=f"{type(error).__name__}: {error}"[:2000],
        )
        logger.warning("whatsapp: event %s not processed (%s)", event.pk, error, exc_info=True)
        return WhatsAppEventStatus.FAILED if failed else WhatsAppEventStatus.PENDING
    WhatsAppEvent.objects.filter(pk=event.pk).update(
        status=WhatsAppEventStatus.DONE, processed_at=timezone.now(), last_error=""
    )
    return WhatsAppEventStatus.DONE


@scopes_disabled()
def process_pending(*, limit: int = 200, older_than: dt.timedelta = dt.timedelta(0)) -> int:
    """The sweep: process events still pending (oldest first); returns how many were tried."""
    cutoff = timezone.now() - older_than
    ids = list(
        WhatsAppEvent.objects.filter(status=WhatsAppEventStatus.PENDING, received_at__lte=cutoff)
        .order_by("received_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    for event_id in ids:
        process_event(event_id)
    return len(ids)


def prune_processed(*, now: dt.datetime | None = None) -> int:
    """Delete processed deliveries older than ``WHATSAPP_EVENT_KEEP_DAYS``: a raw body is a
    copy of citizens' messages (names, numbers, texts), needed only until it has been filed.
    Failed and pending ones stay for follow-up. Returns how many were deleted."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.WHATSAPP_EVENT_KEEP_DAYS)
    deleted, _rows = WhatsAppEvent.objects.filter(
        status=WhatsAppEventStatus.DONE, received_at__lt=cutoff
    ).delete()
    return deleted


def _process_value(value: dict) -> None:
    number = known_number(str(value["metadata"]["phone_number_id"]))
    if number is None or not number.active:
        # Refused at the webhook; the number was removed or paused since: nothing to file.
        logger.warning("whatsapp: event for an unknown or inactive number skipped")
        return
    names = {
        str(contact.get("wa_id")): (contact.get("profile") or {}).get("name", "")
        for contact in value.get("contacts", [])
    }
    if number.unit is None and value.get("messages"):
        logger.warning("whatsapp: messages for a number that fills no queue skipped")
    for message in value.get("messages", []) if number.unit is not None else ():
        receive_message(number, message, names)
    for status in value.get("statuses", []):
        apply_status(status)


def _timestamp(raw) -> dt.datetime | None:
    try:
        return dt.datetime.fromtimestamp(int(raw), tz=dt.UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def receive_message(number: Number, message: dict, names: dict[str, str]) -> IntakeMessage | None:
    """One WhatsApp message into the queue of ``number``'s unit (or onto the open case of the
    same number), acknowledged to the sender. ``None`` when it was recorded before or is not
    a message from a person (a reaction)."""
    wamid = str(message.get("id") or "")
    kind = str(message.get("type") or "")
    sender = str(message.get("from") or "")
    if not wamid or not sender or kind in SKIPPED_KINDS:
        return None
    unit = number.unit
    if IntakeMessage.objects.filter(
        unit=unit, channel=IntakeChannel.WHATSAPP, external_id=wamid
    ).exists():
        return None  # a retried delivery: already recorded, its files not fetched again
    text, files, refused = _content(message, kind)
    context = message.get("context") if isinstance(message.get("context"), dict) else {}
    incoming = Incoming(
        channel=IntakeChannel.WHATSAPP,
        external_id=wamid,
        received_at=receipt_time(_timestamp(message.get("timestamp"))),
        sender_address=_e164(sender),
        sender_name=str(names.get(sender, ""))[:200],
        subject=_subject(text),
        text=text,
        # A reply to one of our messages names its id: the outbox row finds the case.
        thread_ids=(str(context["id"]),) if context.get("id") else (),
        attachments=tuple(files),
        refused=tuple(refused),
    )
    with transaction.atomic():
        recorded = intake_receive(unit=unit, incoming=incoming)
        if recorded is not None:
            acknowledge(recorded, number.phone_number_id)
    return recorded


def _e164(wa_id: str) -> str:
    """The sender's number in E.164 (the Cloud API sends digits without "+"), as cases store
    it; kept as sent when it is not a valid number."""
    try:
        return from_whatsapp(wa_id)
    except ValidationError:
        return wa_id[:40]


def _subject(text: str) -> str:
    line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return line if len(line) <= 80 else line[:79].rstrip() + "…"


def _content(message: dict, kind: str) -> tuple[str, list[MailPart], list[RefusedFile]]:
    """The message's readable text, its files fetched from the Graph API, and the files that
    could not be taken (with why)."""
    body = message.get(kind) if isinstance(message.get(kind), dict) else {}
    files: list[MailPart] = []
    refused: list[RefusedFile] = []
    with translation.override(settings.LANGUAGE_CODE):  # stored text: the site's language
        if kind == "text":
            return str(body.get("body", "")), files, refused
        if kind == "location":
            return location_text(body), files, refused
        if kind in MEDIA_KINDS:
            _fetch(kind, body, files, refused)
            caption = str(body.get("caption", ""))
            labels = {
                "image": _("(photo)"),
                "document": _("(document)"),
                "audio": _("(voice or audio message)"),
                "video": _("(video)"),
                "sticker": _("(sticker)"),
            }
            return caption or labels[kind], files, refused
        if kind == "button":
            return str(body.get("text", "")), files, refused
        if kind == "interactive":
            reply = body.get("button_reply") or body.get("list_reply") or {}
            return str(reply.get("title", "")), files, refused
        if kind == "contacts":
            return _contacts_text(message.get("contacts") or []), files, refused
        return (
            _("(A WhatsApp message of a kind this system cannot show: %(kind)s.)")
            % {"kind": kind or "unknown"},
            files,
            refused,
        )


def location_text(location: dict) -> str:
    """A shared location as readable text: its name and address, the coordinates and a map
    link (OpenStreetMap)."""
    lines = [_("Location shared by WhatsApp")]
    for key in ("name", "address"):
        if location.get(key):
            lines.append(str(location[key]))
    try:
        lat, lon = float(location["latitude"]), float(location["longitude"])
    except (KeyError, TypeError, ValueError):
        return "\n".join(lines)
    lines.append(_("Coordinates: %(lat)s, %(lon)s") % {"lat": f"{lat:.6f}", "lon": f"{lon:.6f}"})
    lines.append(
        f"https://www.openstreetmap.org/?mlat={lat:.6f}&mlon={lon:.6f}#map=17/{lat:.6f}/{lon:.6f}"
    )
    return "\n".join(lines)


def _contacts_text(contacts: list) -> str:
    lines = [_("Contact card(s) shared by WhatsApp")]
    for contact in contacts:
        if not isinstance(contact, dict):
            continue
        name = (contact.get("name") or {}).get("formatted_name", "")
        phones = ", ".join(str(p.get("phone", "")) for p in contact.get("phones") or [])
        lines.append(" – ".join(part for part in (name, phones) if part))
    return "\n".join(lines)


_EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "application/pdf": "pdf",
    "audio/ogg": "ogg",
    "audio/mpeg": "mp3",
    "video/mp4": "mp4",
}


def _fetch(kind: str, body: dict, files: list, refused: list) -> None:
    """Download one file through the Graph API media endpoints. A file too large, or one the
    platform no longer has (a permanent error), is listed as refused with the reason; a
    passing failure (network, 5xx) raises, so the event is processed again later."""
    media_id = str(body.get("id") or "")
    mime = str(body.get("mime_type") or "").split(";")[0].strip()
    name = str(body.get("filename") or "") or f"whatsapp-{kind}.{_EXTENSIONS.get(mime, 'bin')}"
    if not media_id:
        refused.append(RefusedFile(name, mime, 0, _("The message named no file.")))
        return
    limit = settings.ATTACHMENT_MAX_BYTES
    try:
        with WhatsAppCloudClient.from_settings() as client:
            media = client.fetch_media(media_id, max_bytes=limit)
    except WhatsAppError as error:
        if not error.permanent:
            raise
        refused.append(
            RefusedFile(
                name,
                mime,
                0,
                _("Could not be fetched from WhatsApp: %(error)s") % {"error": str(error)[:200]},
            )
        )
        return
    if media.data is None:
        from django.template.defaultfilters import filesizeformat

        refused.append(
            RefusedFile(
                name,
                media.mime_type or mime,
                media.size,
                _("“%(name)s” is %(size)s; files may be at most %(limit)s.")
                % {
                    "name": name,
                    "size": filesizeformat(media.size),
                    "limit": filesizeformat(limit),
                },
            )
        )
        return
    files.append(MailPart(filename=name, content_type=media.mime_type or mime, data=media.data))


# --- the acknowledgement ------------------------------------------------------------------------

ACK_KIND = "intake.whatsapp_ack"


def acknowledge(message: IntakeMessage, phone_number_id: str) -> None:
    """Tell the sender at once that their message arrived (no code: that comes when an officer
    turns it into a case) — once per burst: no second acknowledgement to the same number from
    the same business number within ``WHATSAPP_ACK_QUIET_MINUTES``. Queued in the outbox in
    the caller's transaction. Nothing for an ignored message, or when WhatsApp is off."""
    from layanan.notify.models import OutboxChannel, OutboxMessage
    from layanan.notify.services import outbox_enqueue

    if not settings.WHATSAPP_ENABLED or message.status == IntakeStatus.IGNORED:
        return
    try:
        recipient = to_whatsapp(message.sender_address)
    except ValidationError:
        return
    quiet = dt.timedelta(minutes=max(1, settings.WHATSAPP_ACK_QUIET_MINUTES))
    now = timezone.now()
    if OutboxMessage.objects.filter(
        channel=OutboxChannel.WHATSAPP,
        kind=ACK_KIND,
        recipient=recipient,
        sender=phone_number_id,
        created_at__gte=now - quiet,
    ).exists():
        return
    bucket = int(now.timestamp() // quiet.total_seconds())
    with translation.override(settings.LANGUAGE_CODE):
        # Joined to the sender's open case, or new.
        template = "ack_joined.txt" if message.case_id else "ack.txt"
        body = render_text(f"intake/notifications/{template}", {"unit": message.unit.name})
        subject = render_text("intake/notifications/ack.subject.txt", {})
    outbox_enqueue(
        channel=OutboxChannel.WHATSAPP,
        recipient=recipient,
        subject=subject,
        body=body,
        kind=ACK_KIND,
        sender=phone_number_id,
        case_id=message.case_id,
        # Two workers acknowledging the same burst at once: the key lets only one through.
        dedupe_key=f"wa-ack:{phone_number_id}:{recipient}:{bucket}",
        context={"template_parameters": [subject, settings.SITE_URL]},
    )


# --- status callbacks ---------------------------------------------------------------------------


def apply_status(status: dict) -> int:
    """One status callback onto the outbox row sent with that WhatsApp id; returns the rows
    changed (0 for a repeat, a late one, or a message this installation did not send)."""
    from layanan.notify.models import (
        DELIVERY_RANK,
        OutboxChannel,
        OutboxMessage,
        OutboxStatus,
    )

    wamid, kind = str(status.get("id") or ""), str(status.get("status") or "")
    if not wamid:
        return 0
    at = receipt_time(_timestamp(status.get("timestamp")))
    rows = OutboxMessage.objects.filter(channel=OutboxChannel.WHATSAPP, provider_message_id=wamid)
    if (
        not rows.exists()
        and OutboxMessage.objects.filter(
            channel=OutboxChannel.WHATSAPP, status=OutboxStatus.SENDING
        ).exists()
    ):
        # The callback may be faster than the dispatcher storing the id its send returned:
        # the event stays pending and the sweep applies it once the row carries the id.
        raise StatusNotYetMatched(f"no outbox row (yet) for {wamid}")
    if kind in DELIVERY_RANK and kind:
        # Only forward: a late "delivered" after "read" matches nothing.
        behind = [name for name, rank in DELIVERY_RANK.items() if rank < DELIVERY_RANK[kind]]
        return rows.filter(delivery_status__in=behind).update(
            delivery_status=kind, delivery_updated_at=at, updated_at=timezone.now()
        )
    if kind == "failed":
        # Never after the phone had it (delivered or read); a repeat changes nothing.
        return (
            rows.exclude(status=OutboxStatus.FAILED)
            .exclude(delivery_status__in=["delivered", "read"])
            .update(
                status=OutboxStatus.FAILED,
                last_error=_status_error(status),
                delivery_updated_at=at,
                updated_at=timezone.now(),
            )
        )
    return 0  # another status (e.g. "deleted", "warning"): acknowledged, nothing to record


def _status_error(status: dict) -> str:
    parts = []
    for error in status.get("errors") or []:
        if not isinstance(error, dict):
            continue
        details = (error.get("error_data") or {}).get("details", "")
        text = " – ".join(
            str(part) for part in (error.get("title"), error.get("message"), details) if part
        )
        parts.append(f"WhatsApp {error.get('code', '')}: {text}".strip())
    return "\n".join(parts)[:2000] or "WhatsApp: failed"
