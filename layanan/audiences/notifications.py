"""The message that tells the requester of an audience the answer: when, where and who receives
them, and the link to the reply letter — by e-mail, or by WhatsApp for a requester who gave only
a telephone number (``cases/notifications.py`` addresses and queues it).

The wording lives in text templates, as the complaint messages' does
(``templates/audiences/notifications/``): ``reply.subject.txt``, ``reply.txt`` and
``reply_whatsapp.txt``. The message is queued in the outbox in the reply's own transaction.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.urls import reverse

from layanan.cases.models import Case
from layanan.cases.notifications import queue_for_requester, render_text, requester_message
from layanan.cases.numbering import format_public_code
from layanan.cases.public_pages import public_status_url
from layanan.core.letters import indonesian_date

from .letters import format_schedule
from .models import AudienceDetail

logger = logging.getLogger("layanan.audiences")

TEMPLATES = "audiences/notifications"


def letter_download_url(case: Case) -> str:
    """The absolute link where the requester downloads the reply letter of their audience."""
    code = format_public_code(case.public_code)
    return settings.SITE_URL + reverse("audience:public_letter", kwargs={"code": code})


def _render(name: str, context: dict) -> str:
    return render_text(f"{TEMPLATES}/{name}", context)


def _context(detail: AudienceDetail) -> dict:
    case = detail.case
    return {
        "code": format_public_code(case.public_code),
        "name": case.requester_name,
        "unit": case.unit.name,
        "topic": detail.topic,
        "when": format_schedule(detail.schedule_starts_at, case.unit),
        "place": detail.schedule_place,
        "official": detail.schedule_official,
        "reply_number": detail.reply_number,
        "reply_date": indonesian_date(detail.reply_date),
        "letter_url": letter_download_url(case),
        "number": case.number,
        "status_url": public_status_url(case),
    }


def render_reply_message(detail: AudienceDetail) -> tuple[str, str]:
    """(subject, body) of the message that tells the requester the answer to their audience
    request, in the active language."""
    context = _context(detail)
    return _render("reply.subject.txt", context).strip(), _render("reply.txt", context)


def render_reply_whatsapp(detail: AudienceDetail) -> str:
    """The same news, short, for a requester who gave only a telephone number."""
    return _render("reply_whatsapp.txt", _context(detail))


def notify_reply(detail: AudienceDetail) -> None:
    """Queue the reply message in the caller's transaction; never break the reply
    (``cases/notifications.py``)."""
    case = detail.case

    def compose() -> list[dict]:
        subject, body = render_reply_message(detail)
        message = requester_message(
            case, subject=subject, body=body, short=render_reply_whatsapp(detail)
        )
        if message is None:
            return []
        return [
            {
                **message,
                "dedupe_key": f"case:{case.pk}:audience:reply",
                "case_id": case.pk,
                "kind": "audience.reply",
            }
        ]

    queue_for_requester(case, compose, what="reply")
