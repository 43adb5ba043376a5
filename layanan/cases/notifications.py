"""Messages to the requester of a request — an audience's reply, a facility's decision: the one
way they are addressed and queued. (Complaints tell their reporter through
``complaints/notifications.py``, which follows every step of a complaint; the reminders the day
before are ``cases/reminders.py``.)

- **Where to.** E-mail when the requester gave an address (with the document attached, when
  there is one); else WhatsApp with the short text and the link, when they gave a telephone
  number, WhatsApp delivery is on and the sender has a short text for it; else nobody.
- **When.** Queued in the outbox inside the caller's transaction, so a decision that rolls back
  sends nothing, but in a savepoint: a message that cannot be queued is logged and never undoes
  the decision it reports.
- **In which words.** Each app's text templates (``templates/<app>/notifications/``), rendered
  in the site's language (the requester chose no other).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

if TYPE_CHECKING:
    from .models import Case

logger = logging.getLogger("layanan.cases")

#: An e-mail attachment as the outbox takes it: (file name, bytes, content type).
Attachment = tuple[str, bytes, str]


def render_text(template: str, context: dict) -> str:
    """A message's text from its template, without the file's last newline."""
    return render_to_string(template, context).removesuffix("\n")


def requester_message(
    case: Case,
    *,
    subject: str,
    body: str,
    short: str | None,
    short_subject: str = "",
    attachments: Callable[[], Sequence[Attachment]] | None = None,
) -> dict | None:
    """The outbox message to the requester of ``case``: e-mail (``subject``, ``body``, the
    ``attachments`` — read only for an e-mail) when there is an address, else WhatsApp with
    ``short`` (subject ``short_subject`` or ``subject``) when there is a telephone number,
    WhatsApp delivery is on and ``short`` is given; else None."""
    if case.requester_email:
        message = {
            "channel": "email",
            "recipient": case.requester_email,
            "subject": subject,
            "body": body,
        }
        if attachments is not None:
            message["attachments"] = list(attachments())
        return message
    if short is not None and case.requester_phone and settings.WHATSAPP_ENABLED:
        return {
            "channel": "whatsapp",
            "recipient": case.requester_phone,
            "subject": short_subject or subject,
            "body": short,
        }
    return None


def queue_for_requester(case: Case, compose: Callable[[], list[dict]], *, what: str) -> None:
    """Queue what ``compose`` returns (keyword dicts of ``outbox_enqueue``), composed in the
    site's language, in a savepoint of the caller's transaction; log and go on on failure."""
    from layanan.notify.services import outbox_enqueue_many

    try:
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            messages = compose()
            if messages:
                outbox_enqueue_many(messages)
    except Exception:
        logger.exception("Could not queue the %s message of case %s", what, case.pk)
