"""The data migrations that bring stored telephone numbers to the one rule's E.164
(cases 0007, visits 0003): what parses is rewritten, what does not is left alone, and a
visitor whose E.164 another visitor of the unit already has is not merged."""

from __future__ import annotations

import importlib

from django.apps import apps

from layanan.accounts.actors import PUBLIC
from layanan.cases.models import Case, Channel
from layanan.complaints.services import complaint_create
from layanan.visits.models import Visitor

cases_migration = importlib.import_module("layanan.cases.migrations.0007_requester_phone_e164")
visits_migration = importlib.import_module("layanan.visits.migrations.0003_visitor_phone_e164")


def _case_with_stored_phone(unit, stored: str) -> Case:
    case = complaint_create(
        actor=PUBLIC, unit=unit, channel=Channel.WEB, description="Antrean panjang."
    )
    # As written before the rule existed: straight into the column.
    Case.objects.filter(pk=case.pk).update(requester_phone=stored)
    return case


def test_stored_case_numbers_become_e164_where_they_parse(org):
    """Legacy spellings are rewritten to E.164; an unparsable number and an empty one stay
    exactly as they were (no data lost to a guess); running again changes nothing."""
    kesra = org["biro-kesra"]
    stored = {
        "0812-3456-7890": "+6281234567890",
        "6281234567890": "+6281234567890",
        "(0561) 736541": "+62561736541",
        "+6281234567890": "+6281234567890",
        "0812-34 (rumah)": "0812-34 (rumah)",
        "": "",
    }
    cases = {raw: _case_with_stored_phone(kesra, raw) for raw in stored}
    for _round in range(2):
        cases_migration.forwards(apps, None)
        for raw, expected in stored.items():
            cases[raw].refresh_from_db()
            assert cases[raw].requester_phone == expected, raw


def test_visitors_become_e164_without_merging_two_people(org):
    """Visitors stored as 62… get +62…; one whose E.164 is already another visitor's of the same
    unit keeps its old value (the unique phone per unit holds); another unit is independent;
    an unparsable number stays."""
    kesra, ekon = org["biro-kesra"], org["biro-perekonomian"]
    plain = Visitor.objects.create(unit=kesra, phone="6281234567890", name="Siti")
    taken = Visitor.objects.create(unit=kesra, phone="+6285800001111", name="Budi")
    twin = Visitor.objects.create(unit=kesra, phone="6285800001111", name="Budi lama")
    other_unit = Visitor.objects.create(unit=ekon, phone="6285800001111", name="Budi")
    broken = Visitor.objects.create(unit=kesra, phone="62812", name="Rusak")
    visits_migration.forwards(apps, None)
    expected = {
        plain: "+6281234567890",
        taken: "+6285800001111",
        twin: "6285800001111",
        other_unit: "+6285800001111",
        broken: "62812",
    }
    for visitor, phone in expected.items():
        visitor.refresh_from_db()
        assert visitor.phone == phone, visitor.name
