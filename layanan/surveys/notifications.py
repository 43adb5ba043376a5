"""The satisfaction-survey link for every kind of case when it closes.

Complaints carry the link in their own closing message (``complaints/notifications.py``). For
the other kinds — audience and facility requests, consultations — this receiver makes the case's
one invitation when its closing event is written and, when the requester left an e-mail
address, queues a short message with the link, in the same transaction as the closing (a
rolled-back closing sends nothing). Visitors at the desk, who leave no address, answer at the
kiosk instead.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import translation
from django.utils.translation import gettext as _

from layanan.cases.models import Case, CaseEvent, CaseKind, Status

logger = logging.getLogger("layanan.surveys")


@receiver(post_save, sender=CaseEvent, dispatch_uid="surveys.invite_at_closing")
def invite_at_closing(sender, instance: CaseEvent, created: bool, raw: bool = False, **kwargs):
    if not created or raw or instance.kind != "status" or instance.new_value != Status.CLOSED:
        return
    case = Case.objects.select_related("unit").filter(pk=instance.case_id).first()
    if case is None or case.kind == CaseKind.COMPLAINT:
        return
    from layanan.notify.services import outbox_enqueue

    from .services import survey_invite_for_case

    try:
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            url = survey_invite_for_case(case)
            if case.is_anonymous or not case.requester_email:
                return
            outbox_enqueue(
                channel="email",
                recipient=case.requester_email,
                subject=_("How did we do? %(number)s") % {"number": case.number},
                body="\n".join(
                    [
                        _("Thank you for using the services of %(unit)s.")
                        % {"unit": case.unit.name},
                        "",
                        _(
                            "Please tell us how we did in the satisfaction survey (about 2 "
                            "minutes). Your answers are not shown with your request:"
                        ),
                        url,
                    ]
                ),
                case_id=case.pk,
                kind="survey.invitation",
                dedupe_key=f"survey:invitation:{case.pk}",
            )
    except Exception:
        logger.exception("Could not invite case %s to the survey", case.pk)
