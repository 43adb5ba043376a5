"""The register of reprimands (teguran lisan / tertulis): given by the head, read by the head,
the auditor and the officer concerned only — never a colleague, another unit's head or a
superuser without one of those roles."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from layanan.core.errors import NotPermitted
from layanan.core.models import AuditAction, AuditEntry
from layanan.evaluation import services
from layanan.evaluation.models import Reprimand, ReprimandKind
from layanan.evaluation.selectors import may_read_register, may_read_reprimand
from tests.reports.conftest import at, make_case


@pytest.fixture(autouse=True)
def _on_wednesday_9_december_2026(clock):
    """This module's expectations (what is "future") are hand-written
    for Wed 9 Dec 2026, 10:00 WIB: it starts there whatever ``LAYANAN_TEST_NOW`` says."""
    clock.move_to(dt.datetime(2026, 12, 9, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=7))))


@pytest.fixture
def late_case(org, kesra_handler):
    return make_case(
        org["biro-kesra"],
        received=at("2026-11-02"),
        due=at("2026-11-03"),
        closed=at("2026-11-10"),
        assignee=kesra_handler,
    )


@pytest.fixture
def reprimand(org, kesra_head, kesra_handler, late_case):
    return services.reprimand_give(
        actor=kesra_head,
        unit=org["biro-kesra"],
        officer=kesra_handler,
        kind=ReprimandKind.ORAL,
        given_on=dt.date(2026, 12, 1),
        breach="Jawaban pengaduan melewati batas waktu standar pelayanan.",
        case_numbers=[late_case.number],
    )


def test_the_head_gives_a_reprimand_and_it_is_audited(reprimand, kesra_head, late_case):
    """Officer, kind, date, breach, cases and giver are kept; the audit log names the officer
    by id only."""
    assert reprimand.given_by == kesra_head and reprimand.case_numbers == [late_case.number]
    entry = AuditEntry.objects.get(action=AuditAction.REPRIMAND_GIVEN)
    assert entry.actor == kesra_head
    assert entry.data["officer"] == reprimand.officer_id and entry.data["kind"] == "oral"


@pytest.mark.parametrize(
    "who, sees",
    [
        ("kesra_head", True),  # the head of the unit
        ("kesra_handler", True),  # the officer concerned
        ("auditor", True),  # APIP
        ("kesra_front", False),  # a colleague
        ("kesra_officer", False),  # another colleague
        ("ekon_head", False),  # another unit's head
        ("root", False),  # a superuser without one of those roles
        ("admin", False),  # the administrator role
    ],
)
def test_who_reads_an_entry(request, reprimand, who, sees):
    """Each visibility rule, on the entry and on its pages."""
    user = request.getfixturevalue(who)
    assert may_read_reprimand(user, reprimand) is sees
    client = request.getfixturevalue("client")
    client.force_login(user)
    register = client.get(reverse("evaluation:reprimands", args=["biro-kesra"]))
    mine = client.get(reverse("evaluation:my_reprimands")).content.decode()
    listed_in_mine = f'data-reprimand="{reprimand.pk}"' in mine
    if who in ("kesra_head", "auditor"):
        assert register.status_code == 200
        assert f'data-reprimand="{reprimand.pk}"' in register.content.decode()
    else:
        assert register.status_code == 404
    assert listed_in_mine is (who == "kesra_handler")


def test_a_superuser_who_is_the_units_head_reads_it(org, reprimand, root):
    """The superuser flag neither grants nor blocks: the role does."""
    from layanan.accounts.models import Role
    from tests.factories import MembershipFactory

    assert not may_read_register(root, org["biro-kesra"])
    MembershipFactory(user=root, unit=org["biro-kesra"], role=Role.HEAD)
    root._layanan_roles = None
    assert may_read_register(root, org["biro-kesra"])


def _give(actor, org, officer, **overrides):
    values = {
        "unit": org["biro-kesra"],
        "officer": officer,
        "kind": ReprimandKind.WRITTEN,
        "given_on": dt.date(2026, 12, 2),
        "breach": "Loket tidak dibuka pada jam pelayanan.",
        "case_numbers": [],
    }
    return services.reprimand_give(actor=actor, **(values | overrides))


@pytest.mark.parametrize("who", ["kesra_front", "kesra_officer", "auditor", "ekon_head", "root"])
def test_only_the_head_gives_one(request, org, kesra_handler, who):
    """A colleague, the auditor (read-only), another unit's head, a superuser: refused, and
    nothing written."""
    with pytest.raises(NotPermitted):
        _give(request.getfixturevalue(who), org, kesra_handler)
    assert not Reprimand.objects.exists() and not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    "case",
    ["other_unit_officer", "self", "future", "unknown_case", "other_units_case", "no_breach"],
)
def test_bad_entries_are_refused_and_nothing_is_written(
    org, kesra_head, kesra_handler, ekon_officer, case
):
    """Someone of another unit, oneself, a future date, a case number not of the unit, an empty
    breach: refused, no entry, no audit."""
    other = make_case(org["biro-perekonomian"], received=at("2026-11-02"))
    overrides = {
        "other_unit_officer": {"officer": ekon_officer},
        "self": {"officer": kesra_head},
        "future": {"given_on": dt.date(2026, 12, 10)},
        "unknown_case": {"case_numbers": ["KESRA/ADU/2026/999999"]},
        "other_units_case": {"case_numbers": [other.number]},
        "no_breach": {"breach": "  "},
    }[case]
    overrides.setdefault("officer", kesra_handler)
    with pytest.raises(services.EvaluationError):
        _give(kesra_head, org, **overrides)
    assert not Reprimand.objects.exists() and not AuditEntry.objects.exists()


def test_the_register_form_keeps_what_was_typed(client, org, kesra_head, kesra_handler):
    """A refused entry (a case number that is not the unit's) shows the error and the typed
    breach; a good one is saved."""
    client.force_login(kesra_head)
    url = reverse("evaluation:reprimands", args=["biro-kesra"])
    data = {
        "officer": kesra_handler.pk,
        "kind": "oral",
        "given_on": "2026-12-02",
        "breach": "Tidak memakai tanda pengenal saat melayani",
        "case_numbers": "X/NOPE/1",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Tidak memakai tanda pengenal saat melayani" in response.content.decode()
    assert not Reprimand.objects.exists()
    assert client.post(url, data | {"case_numbers": ""}).status_code == 302
    assert Reprimand.objects.get().officer == kesra_handler


def test_the_auditor_reads_but_cannot_post(client, org, auditor, kesra_handler):
    """The auditor's register page has no form, and a POST is refused (404)."""
    client.force_login(auditor)
    url = reverse("evaluation:reprimands", args=["biro-kesra"])
    assert client.get(url).context["form"] is None
    response = client.post(url, {"officer": kesra_handler.pk, "kind": "oral", "breach": "x"})
    assert response.status_code == 404
    assert not Reprimand.objects.exists()


def test_the_register_page_query_count_does_not_grow(
    client, org, kesra_head, django_assert_max_num_queries
):
    """Officer, giver and unit come with the entries (no query per entry)."""
    from layanan.accounts.models import Role
    from tests.factories import MembershipFactory, UserFactory

    for _i in range(12):
        officer = UserFactory()
        MembershipFactory(user=officer, unit=org["kesra-bina-mental"], role=Role.HANDLER)
        _give(kesra_head, org, officer)
    client.force_login(kesra_head)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("evaluation:reprimands", args=["biro-kesra"]))
    assert response.content.decode().count("data-reprimand=") == 12
