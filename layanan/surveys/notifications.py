"""The satisfaction-survey link for every kind of case when it closes.

Complaints carry the link in their own closing message (``complaints/notifications.py``). For
the other kinds — audience and facility requests, consultations — this receiver makes the case's
one invitation when its closing event is written and, when the requester left an e-mail
address, queues a short message with the link, in the same transaction as the closing (a
rolled-back closing sends nothing). A walk-in visit already has its invitation (made with the
ticket, whose QR code carries it); when it closes the same link goes to the e-mail address the
guest may have left and, when WhatsApp is switched on, to their WhatsApp number.

The wording lives in text templates, not here (``templates/surveys/invitation/``:
``email.subject.txt`` and ``email.txt``, ``whatsapp.txt``), as for complaints.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils import translation

from layanan.cases.models import Case, CaseEvent, CaseKind, Status

logger = logging.getLogger("layanan.surveys")

TEMPLATES = "surveys/invitation"


def _render(name: str, context: dict) -> str:
    """A text template of this module, without the newline that ends its file."""
    return render_to_string(f"{TEMPLATES}/{name}", context).removesuffix("\n")


def render_invitation_email(case: Case, url: str) -> tuple[str, str]:
    """(subject, body) of the e-mail with the survey link ``url``, in the active language."""
    context = {"unit": case.unit.name, "number": case.number, "url": url}
    return _render("email.subject.txt", context).strip(), _render("email.txt", context)


def render_invitation_whatsapp(case: Case, url: str) -> str:
    """The WhatsApp text with the survey link ``url``, in the active language."""
    return _render("whatsapp.txt", {"unit": case.unit.name, "number": case.number, "url": url})


@receiver(post_save, sender=CaseEvent, dispatch_uid="surveys.invite_at_closing")
def invite_at_closing(sender, instance: CaseEvent, created: bool, raw: bool = False, **kwargs):
    if not created or raw or instance.kind != "status" or instance.new_value != Status.CLOSED:
        return
    case = Case.objects.select_related("unit").filter(pk=instance.case_id).first()
    if case is None or case.kind == CaseKind.COMPLAINT:
        return
    from layanan.notify.services import outbox_enqueue

    from .services import VISIT_KINDS, survey_invite_for_case

    try:
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            url = survey_invite_for_case(case)
            if case.is_anonymous:
                return
            if case.requester_email:
                subject, body = render_invitation_email(case, url)
                outbox_enqueue(
                    channel="email",
                    recipient=case.requester_email,
                    subject=subject,
                    body=body,
                    case_id=case.pk,
                    kind="survey.invitation",
                    dedupe_key=f"survey:invitation:{case.pk}",
                )
            # A walk-in guest always leaves a WhatsApp number at the desk: the same link, by
            # WhatsApp, when the server sends WhatsApp at all (as complaints do).
            if case.kind in VISIT_KINDS and case.requester_phone and settings.WHATSAPP_ENABLED:
                outbox_enqueue(
                    channel="whatsapp",
                    recipient=case.requester_phone,
                    subject="",
                    body=render_invitation_whatsapp(case, url),
                    case_id=case.pk,
                    kind="survey.invitation",
                    dedupe_key=f"survey:invitation:whatsapp:{case.pk}",
                )
    except Exception:
        logger.exception("Could not invite case %s to the survey", case.pk)
