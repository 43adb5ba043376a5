"""The SKM report in the layout offices publish (PermenPANRB 14/2017, Lampiran, *laporan hasil
SKM*): respondent profile, per-element results, IKM, grade and performance, the lowest elements
with the respondents' suggestions, and the follow-up plan (*rencana tindak lanjut*) the head
writes.

Everything is aggregated in SQL: one query for the IKM (``ikm_compute``), one for the people
served, one for the whole profile (counts with filters), one for the comments (texts only, never
who wrote them) and one for the saved plan.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from layanan.core.db_routing import reading_replica
from layanan.core.models import Unit
from layanan.surveys.ikm import ElementResult, IkmResult, ikm_compute
from layanan.surveys.models import SurveyPeriod, SurveyResponse
from layanan.surveys.questionnaire import Education, Gender, Occupation
from layanan.surveys.scope import period_population

from .models import SkmFollowUp

LOWEST_ELEMENTS = 3
MAX_COMMENTS = 100

# Age groups of the profile table (inclusive bounds).
AGE_GROUPS = ((None, 25), (26, 35), (36, 45), (46, 55), (56, None))


def _age_label(low, high) -> str:
    if low is None:
        return _("%(n)s years or younger") % {"n": high}
    if high is None:
        return _("%(n)s years or older") % {"n": low}
    return _("%(low)s–%(high)s years") % {"low": low, "high": high}


def _age_q(low, high) -> Q:
    q = Q(age__isnull=False)
    if low is not None:
        q &= Q(age__gte=low)
    if high is not None:
        q &= Q(age__lte=high)
    return q


@dataclass
class ProfileTable:
    title: str
    rows: list[tuple[str, int]]  # (label, respondents), "not stated" last

    @property
    def total(self) -> int:
        return sum(n for _label, n in self.rows)


@dataclass
class SkmReport:
    unit: Unit
    start: dt.date
    end: dt.date
    period: SurveyPeriod | None
    ikm: IkmResult
    profile: list[ProfileTable]
    comments: list[str]
    follow_up: SkmFollowUp | None

    @property
    def lowest(self) -> list[ElementResult]:
        """The elements with the lowest NRR (ties in questionnaire order)."""
        return sorted(self.ikm.elements, key=lambda e: (e.nrr, e.element.number))[:LOWEST_ELEMENTS]


def _profile(responses) -> list[ProfileTable]:
    aggregates = {}
    tables = []
    for name, field, choices in (
        (_("Gender"), "gender", Gender.choices),
        (_("Education"), "education", Education.choices),
        (_("Occupation"), "occupation", Occupation.choices),
    ):
        keys = []
        for value, label in choices:
            key = f"{field}_{value}"
            aggregates[key] = Count("pk", filter=Q(**{field: value}))
            keys.append((key, str(label)))
        aggregates[f"{field}_none"] = Count("pk", filter=Q(**{field: ""}))
        keys.append((f"{field}_none", _("Not stated")))
        tables.append((name, keys))
    age_keys = []
    for i, (low, high) in enumerate(AGE_GROUPS):
        aggregates[f"age_{i}"] = Count("pk", filter=_age_q(low, high))
        age_keys.append((f"age_{i}", _age_label(low, high)))
    aggregates["age_none"] = Count("pk", filter=Q(age__isnull=True))
    age_keys.append(("age_none", _("Not stated")))
    tables.insert(1, (_("Age"), age_keys))
    row = responses.aggregate(**aggregates)
    return [
        ProfileTable(title, [(label, row[key]) for key, label in keys]) for title, keys in tables
    ]


@reading_replica()
def skm_report(
    *, unit: Unit, start: dt.date, end: dt.date, period: SurveyPeriod | None = None
) -> SkmReport:
    population = period_population(period, unit)
    ikm = ikm_compute(unit=unit, start=start, end=end, population=population)
    responses = SurveyResponse.objects.filter(
        unit__path__startswith=unit.path, answered_on__gte=start, answered_on__lte=end
    )
    comments = list(
        responses.exclude(comment="")
        .order_by("-answered_on", "-pk")
        .values_list("comment", flat=True)[:MAX_COMMENTS]
    )
    follow_up = (
        SkmFollowUp.objects.filter(unit=unit, start=start, end=end).select_related("by").first()
    )
    return SkmReport(
        unit=unit,
        start=start,
        end=end,
        period=period,
        ikm=ikm,
        profile=_profile(responses),
        comments=comments,
        follow_up=follow_up,
    )


def follow_up_save(*, unit: Unit, start: dt.date, end: dt.date, text: str, by) -> SkmFollowUp:
    """Save (or replace) the head's follow-up plan for the unit and period."""
    from django.utils import timezone

    from layanan.accounts.permissions import ensure_can

    ensure_can(by, "report.follow_up", unit)
    follow_up, _created = SkmFollowUp.objects.update_or_create(
        unit=unit,
        start=start,
        end=end,
        defaults={"text": text.strip(), "by": by, "at": timezone.now()},
    )
    return follow_up
