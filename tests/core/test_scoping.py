"""Unit scoping as a safety net (layanan/core/scoping.py, django-scopes).

These tests run with scopes enforced (marker ``scoped``): the autouse fixture of
tests/conftest.py that disables them for the rest of the suite stays out of the way.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.http import HttpRequest, HttpResponse
from django.urls import include, path, reverse
from django_scopes import ScopeError, scope, scopes_disabled

from layanan.accounts.actors import PUBLIC
from layanan.cases.attachments import attachment_add
from layanan.cases.models import Attachment, Case, CaseEvent, CasePause, Status
from layanan.cases.workflow import case_transition
from layanan.complaints.models import ComplaintDetail
from layanan.complaints.services import complaint_assign, complaint_create
from layanan.core.scoping import REASON_ATTRIBUTE, RequestUnits

pytestmark = [pytest.mark.django_db, pytest.mark.scoped]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def forgetful_case_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A staff view with the bug the scope is there for: it reads a case by id and forgets to
    ask whether the user may see it."""
    case = Case.objects.filter(pk=pk).first()
    events = CaseEvent.objects.filter(case_id=pk).count()
    return HttpResponse(f"{case.number if case else 'none'} {events}")


urlpatterns = [
    path("forgetful/<int:pk>/", forgetful_case_view),
    path("", include("layanan.urls")),
]


@pytest.fixture
def cases(org, kesra_officer):
    """A Biro Kesra complaint, one assigned to its Bagian Bina Mental, and one of Biro
    Perekonomian (a sibling bureau)."""
    with scopes_disabled():
        kesra = complaint_create(actor=PUBLIC, unit=org["biro-kesra"], description="Kesra")
        assigned = complaint_create(actor=PUBLIC, unit=org["biro-kesra"], description="Bagian")
        complaint_assign(actor=kesra_officer, case=assigned, division=org["kesra-bina-mental"])
        ekon = complaint_create(
            actor=PUBLIC, unit=org["biro-perekonomian"], description="Ekon", requester_name="Ani"
        )
        attachment_add(case=ekon, upload=SimpleUploadedFile("a.pdf", PDF), actor=PUBLIC)
    return {"kesra": kesra, "assigned": assigned, "ekon": ekon}


def test_an_unscoped_query_on_the_case_tables_raises(cases):
    """Outside any scope, every case table refuses to be read — all(), filter(), get(),
    count(), aggregates, reverse relations — instead of returning every unit's rows."""
    case = Case._base_manager.get(pk=cases["ekon"].pk)
    for attempt in (
        lambda: Case.objects.all(),
        lambda: list(Case.objects.filter(unit__slug="biro-perekonomian")),
        lambda: Case.objects.get(pk=case.pk),
        lambda: Case.objects.count(),
        lambda: CaseEvent.objects.filter(case=case).first(),
        lambda: Attachment.objects.filter(case=case).exists(),
        lambda: CasePause.objects.filter(case=case).count(),
        lambda: ComplaintDetail.objects.get(pk=case.pk),
        lambda: list(case.events.all()),
        lambda: list(case.unit.cases.all()),
    ):
        with pytest.raises(ScopeError):
            attempt()


def test_a_scope_of_units_shows_their_cases_and_what_was_assigned_to_them(org, cases):
    """scope(unit=[ids]) limits every case table to cases of those units or assigned to a
    division among them; scope(unit=None) and scopes_disabled() read every unit."""
    kesra_tree = [org["biro-kesra"].pk, org["kesra-bina-mental"].pk]
    with scope(unit=kesra_tree):
        assert set(Case.objects.values_list("pk", flat=True)) == {
            cases["kesra"].pk,
            cases["assigned"].pk,
        }
        assert not CaseEvent.objects.filter(case_id=cases["ekon"].pk).exists()
        assert not Attachment.objects.exists()
        assert not ComplaintDetail.objects.filter(pk=cases["ekon"].pk).exists()
    with scope(unit=[org["kesra-bina-mental"].pk]):  # the Bagian: only what was assigned to it
        assert list(Case.objects.values_list("pk", flat=True)) == [cases["assigned"].pk]
        assert CaseEvent.objects.filter(case_id=cases["assigned"].pk).exists()
    with scope(unit=[]):
        assert not Case.objects.exists()
    with scope(unit=None):
        assert Case.objects.count() == 3
    with scopes_disabled():
        assert Case.objects.count() == 3


@pytest.mark.urls(__name__)
def test_a_staff_request_cannot_read_another_units_case_through_a_forgetful_path(
    client, cases, kesra_officer, kesra_handler, ekon_officer, auditor
):
    """A view that forgets to filter still shows a member only the cases of their unit and
    below (and those assigned to their division) — never a sibling bureau's; the auditor reads
    every unit; an anonymous request reads nothing (ScopeError, a loud 500)."""
    ekon, kesra, assigned = cases["ekon"], cases["kesra"], cases["assigned"]

    def read(user, case):
        client.force_login(user)
        return client.get(f"/forgetful/{case.pk}/").content.decode()

    assert read(kesra_officer, ekon) == "none 0"
    assert read(kesra_officer, kesra).startswith(kesra.number)
    assert read(ekon_officer, kesra) == "none 0"
    assert read(ekon_officer, ekon).startswith(ekon.number)
    assert read(kesra_handler, kesra) == "none 0"
    assert read(kesra_handler, assigned).startswith(assigned.number)
    assert read(auditor, ekon).startswith(ekon.number)
    client.logout()
    with pytest.raises(ScopeError):
        client.get(f"/forgetful/{ekon.pk}/")


def test_the_request_scope_follows_the_user_the_api_token_sets(rf, org, kesra_officer, auditor):
    """API tokens authenticate after the middleware: the request's units are read from
    ``request.user`` at the first scoped query, so a token's user gets their own units."""
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.user = AnonymousUser()
    units = RequestUnits(request)
    with pytest.raises(ScopeError):
        units()
    request.user = kesra_officer  # what TokenAuth does
    assert org["biro-kesra"].pk in units() and org["biro-perekonomian"].pk not in units()
    request.user = auditor
    assert units() is None


def test_staff_pages_still_work_within_the_scope(client, cases, kesra_officer, ekon_officer):
    """The real case page answers 200 for the unit's officer and 404 for a sibling's, with
    scopes enforced."""

    def page(case):
        return reverse("cases:detail", args=[case.number])

    client.force_login(kesra_officer)
    assert client.get(page(cases["kesra"])).status_code == 200
    assert client.get(page(cases["ekon"])).status_code == 404
    client.force_login(ekon_officer)
    assert client.get(page(cases["ekon"])).status_code == 200


def test_public_tracking_is_explicitly_unscoped_even_for_signed_in_staff(
    client, cases, kesra_officer
):
    """The tracking page is a public surface (it finds the case by its secret code): it works
    for the public and for a staff member of another unit alike, and says why it is unscoped."""
    from layanan.complaints import public_views

    code = cases["ekon"].public_code
    assert client.get(f"/lacak/{code}/", follow=True).status_code == 200
    client.force_login(kesra_officer)
    assert client.get(f"/lacak/{code}/", follow=True).status_code == 200
    assert getattr(public_views.track_case, REASON_ATTRIBUTE)


def test_commands_and_tasks_run_with_an_explicit_scope(org, cases, kesra_officer, settings):
    """The SLA sweep, the outbox, retention and the demo loader (commands and tasks) enter
    scopes_disabled() themselves: they work with scopes enforced."""
    from io import StringIO

    from layanan.cases.tasks import sla_sweep_task
    from layanan.notify.tasks import dispatch_outbox
    from layanan.ops.tasks import apply_retention_task

    with scopes_disabled():
        case_transition(actor=kesra_officer, case=cases["kesra"], to=Status.VERIFIED)
    for command in ("sla_sweep", "dispatch_outbox", "apply_retention"):
        call_command(command, stdout=StringIO())
    call_command("load_demo", "--no-users", stdout=StringIO())
    sla_sweep_task.call()
    dispatch_outbox.call()
    apply_retention_task.call()
    with pytest.raises(ScopeError):
        Case.objects.count()  # and they leave nothing behind
