"""Public report figures: ``GET /ikm`` — the Community Satisfaction Index (PermenPANRB 14/2017)
of a unit (with its sub-units), optionally of one of its services and a date range, computed by
``layanan.surveys.ikm.ikm_compute`` — the whole closed months of the range summed from the
stored monthly figures (``layanan.reports.summary.ikm_range``). Aggregates only: never a
response, a comment or a case."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import BeforeValidator

from layanan.catalog.models import ServiceStandard
from layanan.core.errors import ApplicationError, NotFound
from layanan.core.models import Unit
from layanan.core.scoping import public_endpoint
from layanan.reports.summary import ikm_range
from layanan.surveys.scope import results_scope

from . import selectors
from .schemas import ErrorOut, ValidationErrorOut

router = Router(tags=["reports"])

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: object) -> object:
    """A date is YYYY-MM-DD, never a number (pydantic would read "0" as a Unix time)."""
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise ValueError("must be a date written YYYY-MM-DD, e.g. 2026-10-31")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]


class IkmParams(Schema):
    unit: str | None = Field(None, description="Unit slug; the whole organisation when omitted.")
    service: str | None = Field(None, description="Service slug within the unit (or below it).")
    from_: IsoDate | None = Field(
        None, alias="from", description="First day answered (YYYY-MM-DD)."
    )
    to: IsoDate | None = Field(None, description="Last day answered (YYYY-MM-DD), inclusive.")


class IkmElementOut(Schema):
    element: str = Field(description="u1 … u9, in the order of the regulation's list.")
    name: str
    nrr: float = Field(description="Average answer (1–4), three decimals.")
    nrr_weighted: float = Field(description="NRR × 1/9, four decimals.")
    converted: float = Field(description="NRR × 25, two decimals.")
    grade: Literal["A", "B", "C", "D"]


class IkmOut(Schema):
    unit: str
    service: str | None
    from_: dt.date | None = Field(None, alias="from")
    to: dt.date | None
    respondents: int
    elements: list[IkmElementOut]
    ikm: float | None = Field(
        description="Σ NRR × 1/9 (1–4), four decimals; null without responses."
    )
    ikm_converted: float | None = Field(description="IKM × 25 (25–100), two decimals.")
    grade: Literal["A", "B", "C", "D"] | None = Field(
        description="Service quality (mutu pelayanan)."
    )
    performance: Literal["sangat_baik", "baik", "kurang_baik", "tidak_baik"] | None
    performance_label: str | None = Field(description="The performance in the request's language.")
    population: int | None = Field(description="People served in the range (cases recorded).")
    min_sample: int | None = Field(description="Krejcie–Morgan minimum for that population.")
    sample_sufficient: bool | None
    warnings: list[str]
    period: str | None = Field(
        None,
        description="Without `from`/`to`: the survey period running today (its slug), or null "
        "for the last 12 months, as the results page publishes; with a range, null.",
    )


@router.get(
    "/ikm",
    response={200: IkmOut, 400: ValidationErrorOut | ErrorOut, 404: ErrorOut},
    url_name="ikm",
    summary="The satisfaction index (IKM) of a unit or service",
    by_alias=True,
)
@public_endpoint("published aggregates of every unit: never a case or a response")
def ikm(request: HttpRequest, params: Query[IkmParams]):
    """Respondents, each element's NRR, the IKM and its converted value (two decimals), the
    grade and the performance, with the Krejcie–Morgan minimum sample and its warning. Without
    `from`/`to` the range is the survey period running today, else the last 12 months.

    Unknown unit: 404 `unknown_unit`; unknown service: 404 `unknown_service`; `from` after
    `to`: 400 `invalid_range`; a malformed date: 400 `invalid_request`."""
    if params.unit:
        unit = selectors.unit_by_slug(params.unit)
    else:
        unit = Unit.objects.filter(parent__isnull=True).order_by("path").first()
        if unit is None:
            raise NotFound(_("There is no unit yet."), "unknown_unit")
    service = None
    if params.service:
        service = (
            ServiceStandard.objects.filter(slug=params.service, unit__path__startswith=unit.path)
            .order_by("unit__path")
            .first()
        )
        if service is None:
            raise NotFound(
                _("%(unit)s has no service “%(slug)s”.")
                % {"unit": unit.name, "slug": params.service},
                "unknown_service",
            )
    if params.from_ and params.to and params.from_ > params.to:
        raise ApplicationError(_("“from” is after “to”."), "invalid_range")
    if params.from_ is None and params.to is None:
        # No range asked for: what every page publishes (surveys/scope.py) — the survey period
        # running today, else the last 12 months.
        scope = results_scope(unit)
        result = ikm_range(
            unit=unit,
            service=service,
            start=scope.start,
            end=scope.end,
            population=scope.population_for(unit, service),
        )
        return {**result.as_dict(), "period": scope.period.slug if scope.period else None}
    result = ikm_range(unit=unit, service=service, start=params.from_, end=params.to)
    return {**result.as_dict(), "period": None}
