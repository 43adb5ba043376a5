"""Messages to the requester of a facility booking: the decision (approved with the rules of
use, refused with the reason, or cancelled) by e-mail with the notice PDF attached, or — for a
requester who gave only a telephone number — by WhatsApp with the link to the notice.

The wording lives in text templates, as the complaint messages' does
(``templates/facilities/notifications/``): ``decision.subject.txt`` and ``decision.txt`` for the
e-mail, ``notice_whatsapp.txt`` for WhatsApp. Addressing and queueing are every request's
(``cases/notifications.py``): in the decision's own transaction, so a decision that rolls back
sends nothing.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import reverse

from layanan.cases.models import Case
from layanan.cases.notifications import queue_for_requester, render_text, requester_message
from layanan.cases.numbering import format_public_code
from layanan.cases.public_pages import public_status_url

from .formatting import format_range
from .models import BookingDetail, BookingState
from .notices import notice_bytes

if TYPE_CHECKING:
    from .notice_models import FacilityNotice

logger = logging.getLogger("layanan.facilities")

TEMPLATES = "facilities/notifications"

#: The decisions that come with a notice.
NOTICE_STATES = (BookingState.APPROVED, BookingState.REFUSED)


def notice_url(case: Case) -> str:
    """The absolute link to the decision notice (PDF) of a facility booking."""
    path = reverse("bookings_public:notice", kwargs={"code": format_public_code(case.public_code)})
    return settings.SITE_URL + path


def _render(name: str, context: dict) -> str:
    return render_text(f"{TEMPLATES}/{name}", context)


def _context(booking: BookingDetail) -> dict:
    case = booking.case
    return {
        "state": booking.state,
        "code": format_public_code(case.public_code),
        "name": case.requester_name,
        "resource": booking.resource.name,
        "when": format_range(booking.starts_at, booking.ends_at),
        "rules": booking.resource.rules,
        "reason": booking.reason,
        "number": case.number,
        "status_url": public_status_url(case),
        "unit": case.unit.name,
    }


def render_decision(booking: BookingDetail) -> tuple[str, str]:
    """(subject, body) of the message telling the requester the decision, active language."""
    context = _context(booking)
    notice = getattr(booking, "notice", None) if booking.state in NOTICE_STATES else None
    context["notice_number"] = notice.number if notice is not None else ""
    subject = _render("decision.subject.txt", context).strip()
    return subject, _render("decision.txt", context)


def render_notice_whatsapp(booking: BookingDetail, notice: FacilityNotice) -> str:
    """The WhatsApp text for a requester who gave only a telephone number: the decision in
    two lines and the link to the notice PDF (the tracking code in it is the key)."""
    context = _context(booking)
    context.update(notice_number=notice.number, notice_url=notice_url(booking.case))
    return _render("notice_whatsapp.txt", context)


def notify_decision(booking: BookingDetail) -> None:
    """Queue the decision's message in the caller's transaction; never break the decision
    (``cases/notifications.py``): e-mail with the notice PDF attached once issued, or WhatsApp
    with the notice's link for a requester who gave only a telephone number."""
    case = Case.objects.select_related("unit").get(pk=booking.case_id)
    booking.case = case
    notice = getattr(booking, "notice", None) if booking.state in NOTICE_STATES else None

    def compose() -> list[dict]:
        subject, body = render_decision(booking)
        message = requester_message(
            case,
            subject=subject,
            body=body,
            short=render_notice_whatsapp(booking, notice) if notice is not None else None,
            short_subject=notice.number if notice is not None else "",
            attachments=(
                (lambda: [(notice.original_name, notice_bytes(notice), notice.content_type)])
                if notice is not None
                else None
            ),
        )
        if message is None:
            return []
        suffix = ":wa" if message["channel"] == "whatsapp" else ""
        return [
            {
                **message,
                "dedupe_key": f"case:{case.pk}:booking:{booking.state}{suffix}",
                "case_id": case.pk,
                "kind": f"facility.{booking.state}",
            }
        ]

    queue_for_requester(case, compose, what=booking.state)
