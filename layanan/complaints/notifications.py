"""Messages to the reporter of a complaint: at receipt, classification, a request for more
information (the clock stops), answer, closing and reopening — by e-mail when an address was
given, by WhatsApp when a telephone number was given and WhatsApp is switched on
(``WHATSAPP_ENABLED``, off by default).

Where the hook sits, and why: a ``post_save`` receiver on ``cases.CaseEvent`` (connected in
``ComplaintsConfig.ready``). Every change to a case — from the public form, the staff pages,
the API, the admin or a command — goes through a service that writes its ``CaseEvent`` inside
the service's own transaction (``case_event_record``; DESIGN §4). Listening there means:

- the message is queued in the outbox (``layanan.notify.outbox_enqueue``) *in the same
  transaction* as the change: a change that rolls back queues nothing, a change that commits
  always has its message, and the outbox sends it after commit with retries — a mail server
  that is down loses nothing;
- no caller can forget it: a new view or endpoint that classifies or answers a complaint
  notifies the reporter without knowing about this module;
- a failure to *prepare* a message (a template bug) is caught in a savepoint and logged; it
  never costs a citizen their complaint.

Only the events the reporter cares about trigger a message (never an internal one). Anonymous
complaints hold no address and get nothing. The text is in the reporter's language — the
site's (Indonesian): no other is stored for them — names no member of staff, carries no
internal note and no content of the complaint — the code, the number, the due time and the link
to the tracking page, where the citizen reads the rest.

The wording lives in text templates, not here (``templates/complaints/notifications/``): for
each event ``<event>.subject.txt`` and ``<event>.txt`` (what happened), framed by ``email.txt``
(greeting, the answer in an e-mail thread, tracking link, footer) or ``whatsapp.txt``.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from layanan.cases.events import DUE_CHANGED_EVENT, events_bulk_created
from layanan.cases.models import Case, CaseEvent, CaseKind, Status
from layanan.cases.numbering import format_public_code
from layanan.cases.workflow import REOPEN_WINDOW
from layanan.workdays.deadlines import format_due

logger = logging.getLogger("layanan.complaints")

RECEIVED, CLASSIFIED, WAITING, ANSWERED, CLOSED, REOPENED, DUE_MOVED = (
    "received",
    "classified",
    "waiting",
    "answered",
    "closed",
    "reopened",
    "due_moved",
)
EVENTS = (RECEIVED, CLASSIFIED, WAITING, ANSWERED, CLOSED, REOPENED, DUE_MOVED)

#: A due time moved by the calendar by at least this much is told to the reporter; a smaller
#: move (Ramadan hours under a 3-hour complaint) shows on the tracking page only.
DUE_MOVE_TOLD = dt.timedelta(days=1)


def _due_move(event: CaseEvent) -> dt.timedelta:
    try:
        old = dt.datetime.fromisoformat(event.old_value)
        new = dt.datetime.fromisoformat(event.new_value)
    except ValueError:
        return dt.timedelta(0)
    return abs(new - old)


def reporter_event(event: CaseEvent) -> str | None:
    """Which reporter notification a case event calls for, if any."""
    if event.is_internal:
        return None
    if event.kind == "received":
        return RECEIVED
    if event.kind in ("classified", "reclassified"):
        return CLASSIFIED
    if event.kind == "reopened":
        return REOPENED
    if event.kind == "status" and event.new_value == Status.WAITING:
        return WAITING
    if event.kind == "status" and event.new_value == Status.ANSWERED:
        return ANSWERED
    if event.kind == "status" and event.new_value == Status.CLOSED:
        return CLOSED
    if event.kind == DUE_CHANGED_EVENT and _due_move(event) >= DUE_MOVE_TOLD:
        return DUE_MOVED
    return None


def tracking_url(case: Case) -> str:
    path = reverse("complaints_public:track", kwargs={"code": format_public_code(case.public_code)})
    return settings.SITE_URL + path


def _complaint_class(case: Case, class_name: str) -> str:
    if class_name:
        return class_name
    detail = getattr(case, "complaint", None)
    return detail.class_name if detail is not None else ""


TEMPLATES = "complaints/notifications"


def _render(name: str, context: dict) -> str:
    """A text template of this module, without the newline that ends its file."""
    return render_to_string(f"{TEMPLATES}/{name}", context).removesuffix("\n")


def _event_context(
    case: Case, event: str, class_name: str, note: str = "", survey_url: str = ""
) -> dict:
    if event not in EVENTS:
        raise ValueError(f"unknown reporter event {event!r}")
    return {
        "code": format_public_code(case.public_code),
        "number": case.number,
        "unit": case.unit.name,
        "due": format_due(case.due_at) if case.due_at else "",
        "class": _complaint_class(case, class_name) if event == CLASSIFIED else "",
        "note": note,
        "survey_url": survey_url,
        "days": REOPEN_WINDOW.days,
        "tracking_url": tracking_url(case),
    }


def _event_texts(
    case: Case, event: str, class_name: str, note: str = "", survey_url: str = ""
) -> tuple[dict, str, str]:
    """(context, subject, what happened) for ``event``, from ``<event>.subject.txt`` and
    ``<event>.txt`` in the active language."""
    context = _event_context(case, event, class_name, note, survey_url)
    return (
        context,
        _render(f"{event}.subject.txt", context).strip(),
        _render(f"{event}.txt", context),
    )


def message_subject(case: Case, event: str, *, class_name: str = "") -> str:
    """The subject of the message for ``event`` (the WhatsApp template's first parameter)."""
    return _render(f"{event}.subject.txt", _event_context(case, event, class_name)).strip()


def render_message(
    case: Case,
    event: str,
    *,
    class_name: str = "",
    note: str = "",
    survey_url: str = "",
    answer: str = "",
    replyable: bool = False,
) -> tuple[str, str]:
    """(subject, body) of the e-mail for ``event``, in the active language: ``email.txt``
    around the event's own ``<event>.txt``.

    ``replyable``: the complaint came by e-mail and this message goes back in its thread
    (layanan/intake/threading.py): the reporter may answer it, and the ``answer`` itself is
    in the message — they wrote from this address and asked there."""
    context, subject, lines = _event_texts(case, event, class_name, note, survey_url)
    body = _render(
        "email.txt", {**context, "lines": lines, "answer": answer, "replyable": replyable}
    )
    return subject, body


def render_whatsapp(
    case: Case, event: str, *, class_name: str = "", note: str = "", survey_url: str = ""
) -> str:
    """The short WhatsApp text for ``event`` (``whatsapp.txt``): what happened, without its
    blank lines, and the link."""
    context, subject, lines = _event_texts(case, event, class_name, note, survey_url)
    lines = "\n".join(line for line in lines.splitlines() if line)
    return _render("whatsapp.txt", {**context, "subject": subject, "lines": lines})


def _answer_text(case: Case) -> str:
    from .models import ComplaintDetail

    detail = ComplaintDetail._base_manager.filter(pk=case.pk).first()
    return detail.answer if detail is not None else ""


def reachable(case: Case) -> bool:
    """Whether :func:`reporter_messages` has anyone to write to: a non-anonymous complaint with
    an e-mail address, or a telephone number while WhatsApp is switched on."""
    if case.kind != CaseKind.COMPLAINT or case.is_anonymous:
        return False
    return bool(case.requester_email) or bool(case.requester_phone and settings.WHATSAPP_ENABLED)


def reporter_messages(
    case: Case,
    event: str,
    *,
    key: str = "",
    class_name: str = "",
    note: str = "",
    survey_url: str = "",
) -> list[dict]:
    """The outbox rows (keyword dicts of ``outbox_enqueue``) that tell the reporter of
    ``case`` about ``event``: none for an anonymous complaint or one without contact details.
    Rendered in the site's language."""
    if event not in EVENTS:
        raise ValueError(f"unknown reporter event {event!r}")
    if case.kind != CaseKind.COMPLAINT or case.is_anonymous:
        return []
    from layanan.intake.threading import email_thread_for

    dedupe = f"case:{case.pk}:{event}" + (f":{key}" if key else "")
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        if case.requester_email:
            # A complaint that came by e-mail is answered in its own thread, answer included.
            thread = email_thread_for(case)
            subject, body = render_message(
                case,
                event,
                class_name=class_name,
                note=note,
                survey_url=survey_url,
                answer=_answer_text(case) if thread and event == ANSWERED else "",
                replyable=thread is not None,
            )
            messages.append(
                {
                    "channel": "email",
                    "recipient": case.requester_email,
                    "subject": thread["subject"] if thread else subject,
                    "body": body,
                    "dedupe_key": dedupe,
                    "case_id": case.pk,
                    "kind": f"complaint.{event}",
                    "headers": thread["headers"] if thread else None,
                }
            )
        if case.requester_phone and settings.WHATSAPP_ENABLED:
            messages.append(
                {
                    "channel": "whatsapp",
                    "recipient": case.requester_phone,
                    "subject": message_subject(case, event, class_name=class_name),
                    "body": render_whatsapp(
                        case, event, class_name=class_name, note=note, survey_url=survey_url
                    ),
                    "dedupe_key": f"{dedupe}:wa",
                    "case_id": case.pk,
                    "kind": f"complaint.{event}",
                    # Outside the 24-hour window the approved update template carries these
                    # ({{1}} what happened, {{2}} the tracking link): layanan/intake/whatsapp.py.
                    "context": {
                        "template_parameters": [
                            message_subject(case, event, class_name=class_name),
                            tracking_url(case),
                        ]
                    },
                }
            )
    return messages


def _enqueue_safely(build, what: str) -> list:
    """Build and queue messages in a savepoint: a failure is logged and leaves the caller's
    transaction intact — a citizen's complaint must not be lost because a message could not be
    prepared."""
    from layanan.notify.services import outbox_enqueue_many

    try:
        with transaction.atomic():
            queued = outbox_enqueue_many(build())
    except Exception:
        logger.exception("Could not queue the message(s) of %s", what)
        return []
    return [message for message in queued if message is not None]


def notify_reporter(
    case: Case,
    event: str,
    *,
    key: str = "",
    class_name: str = "",
    note: str = "",
    survey_url: str = "",
) -> list:
    """Queue the messages for ``event`` to the reporter; return the queued outbox rows.

    Call inside the transaction of the change. Nothing is queued for an anonymous complaint,
    without contact details, or when the same notification (``key``) was queued before. A
    failure to queue is logged and never breaks the caller's transaction.
    """
    if event not in EVENTS:
        raise ValueError(f"unknown reporter event {event!r}")
    if not reachable(case):
        return []  # nobody to tell (anonymous, no address): not even a savepoint
    return _enqueue_safely(
        lambda: reporter_messages(
            case, event, key=key, class_name=class_name, note=note, survey_url=survey_url
        ),
        f"{event} of case {case.pk}",
    )


def answer_message_preview(case: Case) -> dict:
    """What the reporter is sent when ``case`` is answered, for the sender to see before they
    send it: the same rendering ``notify_reporter`` queues (e-mail; WhatsApp when switched on).
    Names no address: ``email``/``whatsapp`` are the texts, or empty when that channel is not
    used; ``anonymous`` when nobody can be told."""
    preview = {"anonymous": case.is_anonymous, "email": None, "whatsapp": ""}
    if case.kind != CaseKind.COMPLAINT or case.is_anonymous:
        return preview
    with translation.override(settings.LANGUAGE_CODE):
        if case.requester_email:
            preview["email"] = render_message(case, ANSWERED)
        if case.requester_phone and settings.WHATSAPP_ENABLED:
            preview["whatsapp"] = render_whatsapp(case, ANSWERED)
    return preview


@receiver(post_save, sender=CaseEvent, dispatch_uid="complaints.notify_reporter")
def case_event_saved(sender, instance: CaseEvent, created: bool, raw: bool = False, **kwargs):
    """Notify the reporter of the events they care about (new events only, not fixtures)."""
    if not created or raw:
        return
    event = reporter_event(instance)
    if event is None:
        return
    if event == RECEIVED and CaseEvent.case.is_cached(instance):
        # The first event, written by ``cases.services.case_create`` right after the case's
        # INSERT, with that very instance: it is the row as this transaction wrote it.
        case = instance.case
    else:
        # The event's case may be a stale instance; read the row as the transaction sees it.
        case = Case.objects.select_related("unit").filter(pk=instance.case_id).first()
    if case is None or case.kind != CaseKind.COMPLAINT:
        return
    # Receipt happens once per case; later events may repeat (reclassified, answered again
    # after reopening), so they are keyed by the event.
    key = "" if event == RECEIVED else str(instance.pk)
    class_name = instance.new_value if event == CLASSIFIED else ""
    # Only the text written for the reporter (the request for information, the reason a due
    # time moved), never a note.
    note = instance.public_note if event in (WAITING, DUE_MOVED) else ""
    survey_url = survey_invitation_url(case) if event == CLOSED else ""
    notify_reporter(case, event, key=key, class_name=class_name, note=note, survey_url=survey_url)


@receiver(events_bulk_created, dispatch_uid="complaints.notify_reporters_bulk")
def case_events_bulk_created(sender, events: list[CaseEvent], **kwargs):
    """The same for events written in bulk (the calendar recompute): one outbox insert for the
    batch. Only moved due times are written in bulk; each event carries its loaded case."""

    def build() -> list[dict]:
        messages = []
        for event in events:
            kind = reporter_event(event)
            if kind != DUE_MOVED:
                continue
            messages += reporter_messages(
                event.case, kind, key=str(event.pk or event.new_value), note=event.public_note
            )
        return messages

    return _enqueue_safely(build, f"{len(events)} bulk events")


def survey_invitation_url(case: Case) -> str:
    """Invite the requester of a closed case to the satisfaction survey (SKM): one invitation
    per case, made at closing for every complaint — also an anonymous one, whose reporter finds
    the link on the tracking page. A failure here is logged and never blocks the closing."""
    from layanan.surveys.services import survey_invite_for_case

    try:
        with transaction.atomic():
            return survey_invite_for_case(case)
    except Exception:
        logger.exception("Could not make the survey invitation of case %s", case.pk)
        return ""
