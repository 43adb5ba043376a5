"""The unit's Maklumat Pelayanan (service pledge): who edits it, who sees it, its page and PDF."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from layanan.accounts.actors import SYSTEM
from layanan.catalog.models import DEFAULT_PLEDGE_TEXT, ServicePledge
from layanan.catalog.pledge import pledge_save
from layanan.core.errors import NotPermitted
from layanan.core.models import AuditEntry
from tests.factories import published_standard

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _pledge(unit, **fields) -> ServicePledge:
    values = {
        "unit": unit,
        "signatory_name": "Dr. H. Kepala Biro, M.Si.",
        "signatory_position": "Kepala Biro Kesejahteraan Rakyat",
        "signatory_nip": "19700101 199003 1 001",
        "place": "Pontianak",
        "signed_on": dt.date(2026, 12, 1),
        "confirmed": True,
    }
    values.update(fields)
    return ServicePledge(**values)


@pytest.fixture
def standard(org):
    return published_standard(
        standard__unit=org["biro-kesra"],
        standard__name="Pelayanan Konsultasi",
        standard__slug="pelayanan-konsultasi",
        number=1,
    )


def test_head_confirms_and_the_public_reads_it(client, org, standard, kesra_head):
    """The unit's head writes and confirms the pledge (audited); the public then finds it linked
    from the unit page and the standard page, as a page and as a one-page A4 PDF with the
    unit's letterhead and the signatory."""
    pledge = pledge_save(actor=kesra_head, pledge=_pledge(org["biro-kesra"]))
    assert pledge.confirmed_at is not None and pledge.updated_by == kesra_head
    entry = AuditEntry.objects.get(action="pledge_changed")
    assert entry.unit_id == org["biro-kesra"].pk and "text" in entry.data["changed"]

    unit_page = client.get("/unit/biro-kesra/", **EN).content.decode()
    assert reverse("catalog:pledge", args=["biro-kesra"]) in unit_page
    standard_page = client.get(standard.get_absolute_url(), **EN).content.decode()
    assert reverse("catalog:pledge_pdf", args=["biro-kesra"]) in standard_page

    page = client.get(reverse("catalog:pledge", args=["biro-kesra"]), **EN)
    assert page.status_code == 200
    body = page.content.decode()
    assert "menyelenggarakan pelayanan sesuai standar pelayanan" in body
    assert "Dr. H. Kepala Biro, M.Si." in body and "NIP. 19700101 199003 1 001" in body
    assert 'data-banner="draft"' not in body

    response = client.get(reverse("catalog:pledge_pdf", args=["biro-kesra"]))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    assert (
        round(float(reader.pages[0].mediabox.width)),
        round(float(reader.pages[0].mediabox.height)),
    ) == (595, 842)
    text = " ".join((reader.pages[0].extract_text() or "").split())
    assert "MAKLUMAT PELAYANAN" in text.upper()
    assert "BIRO KESEJAHTERAAN RAKYAT" in text.upper()
    assert "Pontianak, 1 Desember 2026" in text
    assert "DRAF" not in text


def test_a_draft_is_for_the_units_staff_only(client, org, standard, kesra_officer, ekon_officer):
    """An unconfirmed pledge is a 404 for the public and for another bureau's staff; the unit's
    own staff see it marked DRAFT (page and PDF)."""
    pledge_save(actor=SYSTEM, pledge=_pledge(org["biro-kesra"], confirmed=False))
    url = reverse("catalog:pledge", args=["biro-kesra"])
    pdf = reverse("catalog:pledge_pdf", args=["biro-kesra"])
    assert client.get(url).status_code == 404
    assert client.get(pdf).status_code == 404
    assert (
        reverse("catalog:pledge", args=["biro-kesra"])
        not in client.get("/unit/biro-kesra/").content.decode()
    )

    client.force_login(ekon_officer)
    assert client.get(url).status_code == 404

    client.force_login(kesra_officer)
    body = client.get(url, **EN).content.decode()
    assert 'data-banner="draft"' in body
    text = PdfReader(io.BytesIO(client.get(pdf).content)).pages[0].extract_text()
    assert "DRAF" in text


def test_refuses_other_roles_and_other_units(org, kesra_officer, ekon_officer, auditor):
    """Only the unit's head or an administrator may write it: a complaint officer, another
    bureau's officer and the auditor are refused, and nothing is stored."""
    for actor in (kesra_officer, ekon_officer, auditor):
        with pytest.raises(NotPermitted):
            pledge_save(actor=actor, pledge=_pledge(org["biro-kesra"]))
    assert not ServicePledge.objects.exists()
    assert not AuditEntry.objects.filter(action="pledge_changed").exists()


def test_confirming_needs_the_signatory_place_and_date(org, kesra_head):
    """A pledge cannot be confirmed without its signatory, place and date of signing; as a
    draft it may wait for them."""
    with pytest.raises(ValidationError) as refused:
        pledge_save(
            actor=kesra_head,
            pledge=_pledge(org["biro-kesra"], signatory_name="", signed_on=None),
        )
    assert set(refused.value.message_dict) == {"signatory_name", "signed_on"}
    assert not ServicePledge.objects.exists()
    draft = pledge_save(
        actor=kesra_head, pledge=_pledge(org["biro-kesra"], signatory_name="", confirmed=False)
    )
    assert draft.confirmed_at is None


def test_admin_edits_only_the_pledge_of_its_units(client, org, kesra_head):
    """In the admin the head of Biro Kesra sees and changes Kesra's pledge, not Biro Umum's."""
    kesra_head.is_staff = True
    kesra_head.save(update_fields=["is_staff"])
    own = pledge_save(actor=SYSTEM, pledge=_pledge(org["biro-kesra"], confirmed=False))
    other = pledge_save(actor=SYSTEM, pledge=_pledge(org["biro-umum"], confirmed=False))
    client.force_login(kesra_head)
    changelist = client.get(reverse("admin:catalog_servicepledge_changelist"))
    assert changelist.status_code == 200
    assert list(changelist.context["cl"].queryset) == [own]
    response = client.get(reverse("admin:catalog_servicepledge_change", args=[other.pk]))
    assert response.status_code in (302, 404)
    data = {
        "text": "Kami sanggup melayani sesuai standar.",
        "signatory_name": "Dr. Kepala",
        "signatory_position": "Kepala Biro",
        "signatory_nip": "",
        "place": "Pontianak",
        "signed_on": "2026-12-01",
        "confirmed": "on",
    }
    response = client.post(reverse("admin:catalog_servicepledge_change", args=[own.pk]), data)
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.confirmed and own.text == "Kami sanggup melayani sesuai standar."


def test_load_demo_seeds_draft_pledges(settings):
    """The demo gives each bureau with published services a draft pledge with the common
    wording, not confirmed (not public until the head confirms it); a second run adds none."""
    settings.DEBUG = True
    call_command("load_demo", "--no-users", stdout=io.StringIO())
    pledges = list(ServicePledge.objects.select_related("unit"))
    assert {p.unit.slug for p in pledges} >= {"biro-kesra", "biro-perekonomian", "biro-umum"}
    assert all(not p.confirmed and p.text == DEFAULT_PLEDGE_TEXT for p in pledges)
    call_command("load_demo", "--no-users", stdout=io.StringIO())
    assert ServicePledge.objects.count() == len(pledges)
