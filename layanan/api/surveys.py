"""The satisfaction survey and the monthly evaluation in the API.

- ``GET /survey/questionnaire`` (public): the nine elements of PermenPANRB 14/2017 with their
  questions and the four answer labels, in the request's language — what a client app shows.
- ``GET /survey/periods`` (public): the survey periods (semesters…) of a unit and the global ones.
- ``POST /survey/responses`` (staff token): one questionnaire, e.g. typed in from paper. The
  public answers through the kiosk page or the link sent at closing, never here: an open write
  endpoint would let anyone stuff the index.
- ``GET /reports/monthly`` (staff token with the right to read reports): the figures of the
  monthly evaluation of a unit with the previous month beside them — the same numbers as the
  PDF/XLSX report (``layanan.reports.summary.evaluation``).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from layanan.catalog.models import ServiceStandard
from layanan.core.errors import ApplicationError, NotFound
from layanan.reports.metrics import Month
from layanan.reports.summary import evaluation
from layanan.surveys.models import ResponseChannel, SurveyPeriod
from layanan.surveys.questionnaire import ELEMENTS, Education, Gender, Occupation
from layanan.surveys.services import survey_response_create

from . import selectors
from .auth import token_auth
from .permissions import ensure_token_can
from .schemas import ErrorOut, ValidationErrorOut
from .throttling import token_throttle

router = Router(tags=["surveys"])

AnswerValue = Literal[1, 2, 3, 4]
THROTTLED = {429: ErrorOut}


# --- questionnaire and periods (public) --------------------------------------------------------


class AnswerOut(Schema):
    value: AnswerValue
    label: str


class ElementOut(Schema):
    field: str = Field(description="u1 … u9, the key of the answer in a response.")
    name: str
    question: str
    answers: list[AnswerOut]


@router.get(
    "/survey/questionnaire",
    response={200: list[ElementOut], **THROTTLED},
    url_name="survey_questionnaire",
    summary="The nine elements of the satisfaction survey (PermenPANRB 14/2017)",
)
def questionnaire(request: HttpRequest):
    """The elements in the regulation's order, each with its question and its four answers
    (1 = worst, 4 = best) in the request's language (`Accept-Language: id|en`)."""
    return [
        {
            "field": element.field,
            "name": str(element.name),
            "question": str(element.question),
            "answers": [{"value": v, "label": str(label)} for v, label in element.choices()],
        }
        for element in ELEMENTS
    ]


class PeriodOut(Schema):
    slug: str
    name: str
    unit: str | None = Field(description="Unit slug; null for a period of the whole office.")
    start: dt.date
    end: dt.date


class PeriodParams(Schema):
    unit: str | None = Field(None, max_length=80, description="Unit slug: its and global periods.")


@router.get(
    "/survey/periods",
    response={200: list[PeriodOut], 400: ValidationErrorOut, 404: ErrorOut, **THROTTLED},
    url_name="survey_periods",
    summary="Survey periods",
)
def periods(request: HttpRequest, params: Query[PeriodParams]):
    """Newest first. With `unit`: the unit's own periods and the global ones; unknown unit:
    404 `unknown_unit`."""
    qs = SurveyPeriod.objects.select_related("unit").order_by("-start", "slug")
    if params.unit:
        unit = selectors.unit_by_slug(params.unit)
        qs = qs.filter(unit__isnull=True) | qs.filter(unit=unit)
    return [
        {
            "slug": p.slug,
            "name": p.name,
            "unit": p.unit.slug if p.unit_id else None,
            "start": p.start,
            "end": p.end,
        }
        for p in qs
    ]


# --- entering a questionnaire (staff) ----------------------------------------------------------


class ResponseIn(Schema):
    unit: str = Field(max_length=80, description="Unit slug the service belongs to.")
    service: str | None = Field(None, max_length=120, description="Service slug (optional).")
    answered_on: dt.date | None = Field(None, description="Day the paper was filled in.")
    u1: AnswerValue
    u2: AnswerValue
    u3: AnswerValue
    u4: AnswerValue
    u5: AnswerValue
    u6: AnswerValue
    u7: AnswerValue
    u8: AnswerValue
    u9: AnswerValue
    gender: Gender | None = Field(None, description="L (laki-laki) or P (perempuan).")
    age: int | None = Field(None, ge=10, le=120)
    education: Education | None = None
    occupation: Occupation | None = None
    comment: str = Field("", max_length=2000)

    model_config = {"extra": "forbid"}


class ResponseOut(Schema):
    id: int
    unit: str
    service: str | None
    answered_on: dt.date


@router.post(
    "/survey/responses",
    auth=token_auth,
    throttle=[token_throttle],
    response={
        201: ResponseOut,
        400: ValidationErrorOut | ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        **THROTTLED,
    },
    url_name="survey_response_create",
    summary="Enter one questionnaire (paper, interview)",
)
def response_create(request: HttpRequest, payload: ResponseIn):
    """Staff who may record cases in the unit enter a questionnaire answered on paper. Answers
    1–4 for u1 … u9; the profile is optional. Unknown unit or service: 404; a date in the future
    or a profile value outside the regulation's lists: 400."""
    unit = selectors.unit_by_slug(payload.unit)
    ensure_token_can(request, "case.create", unit)
    service = None
    if payload.service:
        service = ServiceStandard.objects.filter(
            slug=payload.service, unit__path__startswith=unit.path
        ).first()
        if service is None:
            raise NotFound(
                _("%(unit)s has no service “%(slug)s”.")
                % {"unit": unit.name, "slug": payload.service},
                "unknown_service",
            )
    profile = {
        key: value
        for key, value in {
            "gender": payload.gender and payload.gender.value,
            "age": payload.age,
            "education": payload.education and payload.education.value,
            "occupation": payload.occupation and payload.occupation.value,
            "comment": payload.comment,
        }.items()
        if value not in (None, "")
    }
    answers = {element.field: getattr(payload, element.field) for element in ELEMENTS}
    response = survey_response_create(
        unit=unit,
        service=service,
        answers=answers,
        profile=profile,
        channel=ResponseChannel.PAPER,
        answered_on=payload.answered_on,
        source_name=f"API: {request.auth.name}"[:255],
    )
    return 201, {
        "id": response.pk,
        "unit": unit.slug,
        "service": service.slug if service else None,
        "answered_on": response.answered_on,
    }


# --- the monthly evaluation (staff) ------------------------------------------------------------


class MonthlyParams(Schema):
    unit: str = Field(max_length=80, description="Unit slug (its divisions are included).")
    month: str = Field(pattern=r"^\d{4}-\d{2}$", description="YYYY-MM", examples=["2026-10"])


class FigureOut(Schema):
    key: str
    label: str
    current: float | None
    previous: float | None
    change: float | None


class CountOut(Schema):
    key: str
    label: str
    value: float


class OnTimeOut(Schema):
    key: str
    label: str
    finished: int
    on_time: int
    rate: float | None = Field(description="Percent finished by the due time.")


class SatisfactionOut(Schema):
    period: str | None = Field(
        description="The survey period running at the month's end (its slug); null: the 12 "
        "months up to then, as every report page publishes the IKM."
    )
    start: dt.date
    end: dt.date
    description: str = Field(description="What the figures cover, in the request's language.")
    respondents: int
    ikm_converted: float | None
    grade: Literal["A", "B", "C", "D"] | None
    performance_label: str | None
    population: int | None = Field(description="People served, for the minimum sample.")
    min_sample: int | None = Field(description="Krejcie–Morgan minimum for that population.")
    sample_sufficient: bool | None
    warnings: list[str]


class MonthlyOut(Schema):
    unit: str
    month: str
    satisfaction: SatisfactionOut = Field(
        description="The IKM over the running survey period (else the last 12 months), with "
        "the sample size and its warning; the month's own IKM is among the figures."
    )
    figures: list[FigureOut] = Field(description="Key figures beside the previous month.")
    by_kind: list[CountOut]
    by_channel: list[CountOut]
    by_service: list[CountOut]
    on_time: list[OnTimeOut] = Field(description="The total first, then per service.")


def _counts(rows) -> list[dict]:
    return [{"key": r.key, "label": str(r.label), "value": r.value} for r in rows]


@router.get(
    "/reports/monthly",
    auth=token_auth,
    throttle=[token_throttle],
    response={
        200: MonthlyOut,
        400: ValidationErrorOut | ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        **THROTTLED,
    },
    url_name="report_monthly",
    summary="The monthly evaluation of a unit",
)
def monthly(request: HttpRequest, params: Query[MonthlyParams]):
    """The figures of the monthly evaluation report (received, finished, on-time rate, median
    and 90th percentile times, open and overdue cases, IKM) with the previous month, and the
    volumes behind them. Heads of the unit, auditors and administrators; others 403."""
    unit = selectors.unit_by_slug(params.unit)
    ensure_token_can(request, "report.view", unit)
    try:
        month = Month.parse(params.month)
    except ValueError:
        raise ApplicationError(_("The month must be written YYYY-MM."), "invalid_month") from None
    ev = evaluation(unit, month)
    return {
        "unit": unit.slug,
        "month": params.month,
        "satisfaction": ev.satisfaction.as_dict(),
        "figures": [
            {
                "key": c.key,
                "label": str(c.label),
                "current": c.current,
                "previous": c.previous,
                "change": c.change,
            }
            for c in ev.comparison
        ],
        "by_kind": _counts(ev.current.by_kind),
        "by_channel": _counts(ev.current.by_channel),
        "by_service": _counts(ev.current.by_service),
        "on_time": [
            {
                "key": o.key,
                "label": str(o.label),
                "finished": o.finished,
                "on_time": o.on_time,
                "rate": None if o.rate is None else round(o.rate, 1),
            }
            for o in ev.current.on_time
        ],
    }
