"""``cases.services.case_assign``: the one way every kind hands a case to a division — only
within the case's own unit, the event written with the division before and after, the
person changed only when asked — and the three services that use it keep their wording."""

from __future__ import annotations

import pytest

from layanan.accounts.actors import SYSTEM
from layanan.cases.models import Case, CaseEvent, CaseKind, Channel
from layanan.cases.services import case_assign, case_create
from layanan.core.errors import ApplicationError
from tests.factories import UserFactory

REFUSAL = "Only within its own unit."


def _case(unit):
    return case_create(
        actor=SYSTEM, kind=CaseKind.COMPLAINT, unit=unit, channel=Channel.WEB, subject="Antrean"
    )


@pytest.mark.django_db
def test_hands_on_within_the_unit_and_records_the_names(org):
    """A second hand-over records the first division as the old value, the new as the new."""
    case = _case(org["biro-kesra"])
    case_assign(actor=SYSTEM, case=case, division=org["kesra-bina-mental"], refusal=REFUSAL)
    case_assign(
        actor=SYSTEM,
        case=case,
        division=org["kesra-pelayanan-dasar"],
        refusal=REFUSAL,
        event="disposition",
        note="Mohon ditindaklanjuti",
    )

    case.refresh_from_db()
    assert case.assigned_unit == org["kesra-pelayanan-dasar"]
    events = list(
        CaseEvent.objects.filter(case=case, kind__in=("assigned", "disposition")).order_by("pk")
    )
    assert [(e.kind, e.old_value, e.new_value, e.is_internal) for e in events] == [
        ("assigned", "", org["kesra-bina-mental"].name, True),
        (
            "disposition",
            org["kesra-bina-mental"].name,
            org["kesra-pelayanan-dasar"].name,
            True,
        ),
    ]
    assert events[1].note == "Mohon ditindaklanjuti"


@pytest.mark.django_db
def test_another_units_division_is_refused_and_nothing_is_written(org):
    """A division of another bureau: the caller's wording, code ``foreign_division``, the case
    and its timeline untouched."""
    case = _case(org["biro-kesra"])
    before = CaseEvent.objects.filter(case=case).count()

    with pytest.raises(ApplicationError) as refused:
        case_assign(actor=SYSTEM, case=case, division=org["ekon-bumd"], refusal=REFUSAL)

    assert (refused.value.code, str(refused.value.message)) == ("foreign_division", REFUSAL)
    assert Case.objects.get(pk=case.pk).assigned_unit is None
    assert CaseEvent.objects.filter(case=case).count() == before


@pytest.mark.django_db
def test_divisions_only_refuses_the_unit_itself(org):
    """A visit is routed *to a Bagian*: its own unit is refused; without the flag (complaints,
    audiences) the unit itself is a valid choice."""
    kesra = org["biro-kesra"]
    with pytest.raises(ApplicationError):
        case_assign(
            actor=SYSTEM, case=_case(kesra), division=kesra, refusal=REFUSAL, divisions_only=True
        )
    case = case_assign(actor=SYSTEM, case=_case(kesra), division=kesra, refusal=REFUSAL)
    assert case.assigned_unit == kesra


@pytest.mark.django_db
def test_the_person_changes_only_when_asked(org):
    """Default: the case's person stays; a person sets it; None clears it."""
    case = _case(org["biro-kesra"])
    person = UserFactory(username="kesra.staf")
    case_assign(
        actor=SYSTEM, case=case, division=org["biro-kesra"], refusal=REFUSAL, assignee=person
    )
    case_assign(actor=SYSTEM, case=case, division=org["kesra-bina-mental"], refusal=REFUSAL)
    assert Case.objects.get(pk=case.pk).assignee == person

    case_assign(
        actor=SYSTEM, case=case, division=org["kesra-bina-mental"], refusal=REFUSAL, assignee=None
    )
    assert Case.objects.get(pk=case.pk).assignee is None
