"""Writes of the satisfaction survey: responses (from an invitation, the kiosk or an import) and
invitations. Keyword-only, validated, atomic; bad input raises ``ApplicationError`` with a
translated message."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from layanan.catalog.models import ServiceStandard
from layanan.core.errors import ApplicationError, Conflict
from layanan.core.models import Unit

from .models import ResponseChannel, SurveyInvitation, SurveyResponse
from .questionnaire import ELEMENTS, SCALE, Education, Gender, Occupation

if TYPE_CHECKING:
    from layanan.cases.models import Case

PROFILE_FIELDS = ("gender", "age", "education", "occupation", "comment")

#: Days an invitation link stays valid (settings.SURVEY_INVITATION_DAYS).
INVITATION_DAYS_DEFAULT = 30


def _invitation_days() -> int:
    return int(getattr(settings, "SURVEY_INVITATION_DAYS", INVITATION_DAYS_DEFAULT))


def _check_answers(answers: Mapping[str, int]) -> dict[str, int]:
    cleaned = {}
    for element in ELEMENTS:
        value = answers.get(element.field)
        if value not in SCALE:
            raise ApplicationError(
                _("Answer %(number)s (%(element)s) must be 1, 2, 3 or 4.")
                % {"number": element.number, "element": element.name},
                "invalid_answer",
            )
        cleaned[element.field] = int(value)
    return cleaned


def _check_profile(profile: Mapping[str, object]) -> dict[str, object]:
    gender = profile.get("gender") or ""
    education = profile.get("education") or ""
    occupation = profile.get("occupation") or ""
    age = profile.get("age")
    if gender not in Gender.values and gender:
        raise ApplicationError(_("Unknown gender."), "invalid_profile")
    if education not in Education.values and education:
        raise ApplicationError(_("Unknown level of education."), "invalid_profile")
    if occupation not in Occupation.values and occupation:
        raise ApplicationError(_("Unknown occupation."), "invalid_profile")
    if age is not None and not (isinstance(age, int) and 10 <= age <= 120):
        raise ApplicationError(_("Age must be a whole number from 10 to 120."), "invalid_profile")
    return {
        "gender": gender,
        "age": age,
        "education": education,
        "occupation": occupation,
        "comment": str(profile.get("comment") or "").strip()[:4000],
    }


def _check_service(unit: Unit, service: ServiceStandard | None) -> None:
    if service is not None and not service.unit.is_within(unit):
        raise ApplicationError(
            _("The service %(service)s does not belong to %(unit)s.")
            % {"service": service.name, "unit": unit.display_name},
            "service_unit_mismatch",
        )


def survey_response_build(
    *,
    unit: Unit,
    service: ServiceStandard | None,
    answers: Mapping[str, int],
    profile: Mapping[str, object] | None = None,
    channel: str,
    answered_on: datetime.date | None = None,
    case: Case | None = None,
    source_name: str = "",
) -> SurveyResponse:
    """A validated, unsaved response. The response counts for the service's own unit (a
    Bagian below the kiosk's Biro, say), else for ``unit``."""
    _check_service(unit, service)
    today = timezone.localdate()
    answered_on = answered_on or today
    if answered_on > today:
        raise ApplicationError(_("The date answered cannot be in the future."), "future_date")
    return SurveyResponse(
        unit=service.unit if service is not None else unit,
        service=service,
        case=case,
        channel=channel,
        answered_on=answered_on,
        source_name=source_name[:255],
        **_check_answers(answers),
        **_check_profile(profile or {}),
    )


@transaction.atomic
def survey_response_create(**kwargs) -> SurveyResponse:
    """Validate and save one response (see ``survey_response_build`` for the arguments)."""
    response = survey_response_build(**kwargs)
    try:
        with transaction.atomic():
            response.save()
    except IntegrityError as error:  # the case already has a response (a race of two tabs)
        raise Conflict(_("This survey has already been answered."), "already_answered") from error
    return response


# --- invitations (answer way a) ----------------------------------------------------------------


def survey_invitation_for_case(case: Case) -> SurveyInvitation:
    """The case's invitation, created on first call (idempotent)."""
    if case.is_open:
        raise Conflict(
            _("A survey invitation can only be made once the case is answered or closed."),
            "case_open",
        )
    invitation, _created = SurveyInvitation.objects.get_or_create(
        case=case,
        defaults={"expires_at": timezone.now() + datetime.timedelta(days=_invitation_days())},
    )
    return invitation


def survey_invite_for_case(case: Case) -> str:
    """The absolute address of the case's survey page (``SITE_URL`` + ``/survei/<token>/``), to
    put in the closing message or a QR code. Call it when the case closes; calling it again
    returns the same address. Raises ``Conflict`` for a case that is still open."""
    invitation = survey_invitation_for_case(case)
    return settings.SITE_URL + reverse("surveys:answer", kwargs={"token": invitation.token})


# --- a walk-in visit's invitation (the QR on the ticket and at the end of service) -------------

#: Case kinds of the front desk (``cases.CaseKind.VISIT``/``CONSULTATION``).
VISIT_KINDS = ("visit", "consultation")


def survey_invitation_for_visit(case: Case) -> SurveyInvitation:
    """The visit's one invitation, made when the ticket is drawn (idempotent): its QR code is
    printed on the ticket and shown again when the service ends, and the same link goes out by
    WhatsApp/e-mail when the visit closes. It can be answered once the guest has been served
    (or has left): see :func:`survey_visit_waiting`. One visit, one response."""
    if case.kind not in VISIT_KINDS:
        raise ApplicationError(
            _("Only a visit to the front desk is invited this way."), "not_a_visit"
        )
    invitation, _created = SurveyInvitation.objects.get_or_create(
        case=case,
        defaults={"expires_at": timezone.now() + datetime.timedelta(days=_invitation_days())},
    )
    return invitation


def survey_invitation_url(invitation: SurveyInvitation) -> str:
    """The absolute address of an invitation (what its QR code encodes)."""
    return settings.SITE_URL + reverse("surveys:answer", kwargs={"token": invitation.token})


def survey_visit_waiting(case: Case) -> bool:
    """True while a visit's guest is still waiting to be served: the survey rates a service
    received, so the ticket's link asks them to come back after it. A guest who left unserved
    (the visit withdrawn) may answer — the wait is what they rate."""
    if case.kind not in VISIT_KINDS or not case.is_open:
        return False
    from layanan.visits.models import VisitDetail

    return VisitDetail.objects.filter(case_id=case.pk, served_at__isnull=True).exists()


@transaction.atomic
def survey_answer_invitation(
    *, invitation: SurveyInvitation, answers: Mapping[str, int], profile: Mapping[str, object]
) -> SurveyResponse:
    """Record the one response of the invitation's case. Refuses an expired or used link."""
    invitation = (
        SurveyInvitation.objects.select_for_update(of=("self",))
        .select_related("case", "case__unit", "case__standard__unit")
        .get(pk=invitation.pk)
    )
    if (
        invitation.used_at is not None
        or SurveyResponse.objects.filter(case_id=invitation.case_id).exists()
    ):
        raise Conflict(_("This survey has already been answered."), "already_answered")
    if invitation.is_expired:
        raise Conflict(_("This survey link has expired."), "expired")
    case = invitation.case
    if survey_visit_waiting(case):
        raise Conflict(
            _("You can answer once you have been served. Please keep this link."), "not_served"
        )
    response = survey_response_create(
        unit=case.unit,
        service=case.standard,
        answers=answers,
        profile=profile,
        channel=ResponseChannel.INVITATION,
        case=case,
    )
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at", "updated_at"])
    return response


# --- import (answer way c) ---------------------------------------------------------------------


@transaction.atomic
def survey_responses_import(*, responses: Iterable[SurveyResponse]) -> int:
    """Save already validated responses all together, or none."""
    created = SurveyResponse.objects.bulk_create(list(responses), batch_size=500)
    # bulk_create sends no post_save: forget the stored report months the responses fall in.
    from layanan.reports.snapshots import snapshots_invalidate

    snapshots_invalidate((response.unit_id, response.answered_on) for response in created)
    return len(created)
