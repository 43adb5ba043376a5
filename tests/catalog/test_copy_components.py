"""Copying management components (7–14) from another standard of the same unit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from layanan.catalog import copying
from layanan.catalog.models import StandardVersion, VersionStatus
from layanan.core.errors import NotPermitted
from layanan.core.models import AuditEntry
from tests.factories import published_standard

pytestmark = pytest.mark.django_db

MANAGEMENT_EMPTY = {
    "legal_basis": [],
    "facilities": [],
    "competence": [],
    "supervision": [],
    "staff_count": None,
    "staff_text": "",
    "service_guarantee": [],
    "safety_guarantee": [],
    "evaluation": [],
    "meetings_per_month": None,
    "surveys_per_year": None,
}


@pytest.fixture
def complete(org):
    """Kesra's consultation standard, all 14 components present."""
    return published_standard(
        standard__unit=org["biro-kesra"],
        standard__name="Pelayanan Konsultasi",
        standard__slug="pelayanan-konsultasi",
        number=1,
        legal_basis=["Undang-Undang Nomor 25 Tahun 2009", "PermenPANRB Nomor 15 Tahun 2014"],
    )


@pytest.fixture
def audience(org):
    """Kesra's audience standard, its management components missing (like the seed)."""
    return published_standard(
        standard__unit=org["biro-kesra"],
        standard__name="Fasilitasi Audiensi",
        standard__slug="fasilitasi-audiensi",
        number=1,
        **MANAGEMENT_EMPTY,
    )


@pytest.fixture
def other_unit(org):
    return published_standard(
        standard__unit=org["biro-umum"],
        standard__name="Fasilitasi Sarana",
        standard__slug="fasilitasi-sarana",
        number=1,
    )


ALL = list(copying.COPYABLE)


def test_copy_fills_a_new_draft_and_publishing_it_completes_the_standard(
    complete, audience, kesra_head
):
    """Copying the eight management components writes them into a new draft (the published
    version stays as it was until the draft is published), audited; once published, the
    standard no longer misses any component."""
    published = audience.published_version
    assert len(published.missing_components()) == 8
    draft = copying.standard_copy_components(
        actor=kesra_head, target=audience, source=complete, components=ALL
    )
    assert draft.status == VersionStatus.DRAFT and draft.number == 2
    assert draft.legal_basis == complete.published_version.legal_basis
    assert draft.staff_text == "5 (lima) orang" and draft.surveys_per_year == 2
    assert draft.missing_components() == []
    assert "7, 8, 9, 10, 11, 12, 13, 14" in draft.change_note  # in the site's language
    assert "“Pelayanan Konsultasi”" in draft.change_note
    # delivery components are the target's own
    assert draft.name == "Fasilitasi Audiensi"
    published.refresh_from_db()
    assert len(published.missing_components()) == 8
    entry = AuditEntry.objects.get(action="standard_components_copied")
    assert entry.data["components"] == ALL and entry.data["source_standard"] == complete.slug
    assert entry.unit_id == audience.unit_id

    from layanan.catalog.services import version_publish

    version_publish(actor=kesra_head, version=draft)
    audience.refresh_from_db()
    assert audience.published_version.missing_components() == []


def test_copy_into_an_existing_draft_edits_it_in_place(complete, audience, kesra_head):
    """When the standard already has a draft, the copy goes into it (no second draft), and only
    the chosen components change."""
    from layanan.catalog.services import version_create_draft

    draft = version_create_draft(actor=kesra_head, source=audience.published_version)
    result = copying.standard_copy_components(
        actor=kesra_head, target=audience, source=complete, components=["legal_basis"]
    )
    assert result.pk == draft.pk
    assert StandardVersion.objects.filter(standard=audience).count() == 2
    result.refresh_from_db()
    assert result.legal_basis == complete.published_version.legal_basis
    assert result.facilities == []


def test_preview_lists_before_and_after(complete, audience, kesra_head):
    """The preview shows what each chosen component is now and would become; nothing is
    written."""
    changes = copying.copy_preview(
        actor=kesra_head, target=audience, source=complete, components=["staffing", "evaluation"]
    )
    assert [(c.component.key, c.before, c.changed) for c in changes] == [
        ("staffing", [], True),
        ("evaluation", [], True),
    ]
    assert changes[0].after == ["5 (lima) orang"]
    assert "Rapat evaluasi minimal 1 kali dalam 1 bulan" in changes[1].after
    assert StandardVersion.objects.filter(standard=audience).count() == 1
    assert not AuditEntry.objects.filter(action="standard_components_copied").exists()


def test_refuses_a_source_of_another_unit(other_unit, audience, admin):
    """Even an administrator of every unit cannot copy another unit's components; nothing is
    written."""
    with pytest.raises(copying.CopyRefused) as refused:
        copying.standard_copy_components(
            actor=admin, target=audience, source=other_unit, components=ALL
        )
    assert refused.value.code == "other_unit"
    assert StandardVersion.objects.filter(standard=audience).count() == 1


def test_refuses_delivery_components_and_an_empty_choice(complete, audience, kesra_head):
    """Only the management components can be copied, and at least one."""
    for components in (["requirements"], [], ["legal_basis", "fees"]):
        with pytest.raises(copying.CopyRefused):
            copying.copy_preview(
                actor=kesra_head, target=audience, source=complete, components=components
            )


def test_refuses_roles_that_may_not_edit_the_catalogue(
    complete, audience, kesra_officer, ekon_officer, auditor
):
    """A complaint officer, another bureau's officer and the auditor may not copy."""
    for actor in (kesra_officer, ekon_officer, auditor):
        with pytest.raises(NotPermitted):
            copying.standard_copy_components(
                actor=actor, target=audience, source=complete, components=ALL
            )
    assert StandardVersion.objects.filter(standard=audience).count() == 1


def test_admin_page_previews_then_copies(client, complete, audience, other_unit, admin):
    """The admin page offers only the unit's other standards, preselects what is missing,
    previews, and copies on confirmation."""
    admin.is_staff = True
    admin.save(update_fields=["is_staff"])
    client.force_login(admin)
    url = reverse("admin:catalog_servicestandard_copy_components", args=[audience.pk])
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.fields["source"].queryset) == [complete]
    assert form.initial["components"] == ALL

    response = client.post(url, {"source": complete.pk, "components": ALL, "preview": "1"})
    assert response.status_code == 200
    assert b"data-preview" in response.content
    assert StandardVersion.objects.filter(standard=audience).count() == 1

    # a forged source of another unit is refused by the form (not among the choices)
    response = client.post(url, {"source": other_unit.pk, "components": ALL, "confirm": "1"})
    assert response.status_code == 200
    assert StandardVersion.objects.filter(standard=audience).count() == 1

    response = client.post(url, {"source": complete.pk, "components": ALL, "confirm": "1"})
    draft = StandardVersion.objects.get(standard=audience, number=2)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:catalog_standardversion_change", args=[draft.pk])
    assert draft.missing_components() == []


def test_admin_page_is_refused_to_other_bureaus(client, audience, complete, ekon_officer):
    """Staff of another bureau with admin access (but no catalogue rule) get 403, GET or POST."""
    ekon_officer.is_staff = True
    ekon_officer.save(update_fields=["is_staff"])
    client.force_login(ekon_officer)
    url = reverse("admin:catalog_servicestandard_copy_components", args=[audience.pk])
    assert client.get(url).status_code == 403
    response = client.post(
        url, {"source": complete.pk, "components": ["legal_basis"], "confirm": "1"}
    )
    assert response.status_code == 403
    assert StandardVersion.objects.filter(standard=audience).count() == 1
