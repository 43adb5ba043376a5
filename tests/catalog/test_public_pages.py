"""The public catalogue: what citizens see of a service standard, what staff see in addition,
and what nobody outside the unit sees (drafts)."""

from __future__ import annotations

import re

import pytest
from django.http import Http404
from django.urls import reverse

from layanan.accounts.actors import SYSTEM
from layanan.catalog import selectors
from layanan.catalog.components import COMPONENTS
from layanan.catalog.models import ComplaintChannel, Fee, VersionStatus
from layanan.catalog.services import version_publish
from layanan.catalog.templatetags.catalog_tags import rupiah
from tests.factories import ServiceStandardFactory, StandardVersionFactory, published_standard

pytestmark = pytest.mark.django_db

# Text assertions read the English msgids: the Indonesian catalogue is produced later from
# makemessages, and a request that asks for English is stable whatever is compiled then.
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def kesra_standard(org):
    """A complete, published standard of Biro Kesra."""
    return published_standard(
        standard__unit=org["biro-kesra"],
        standard__name="Pelayanan Konsultasi",
        standard__slug="pelayanan-konsultasi",
        number=1,
    )


def page(client, url, **extra):
    response = client.get(url, **EN, **extra)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def sections(body: str) -> dict[str, str]:
    """The HTML of each component article, by component key."""
    found = re.findall(
        r'<article class="comp[^"]*" id="komponen-\d+" data-component="(\w+)">', body
    )
    parts = re.split(r'<article class="comp[^"]*" id="komponen-\d+" data-component="\w+">', body)
    return dict(zip(found, parts[1:], strict=True))


# --- the standard page -------------------------------------------------------------------------


def test_complete_standard_shows_all_fourteen_components(client, kesra_standard):
    """Every component of a complete standard is on the page, in order, none marked missing,
    grouped into service delivery (1–6) and service management (7–14)."""
    body = page(client, kesra_standard.get_absolute_url())
    parts = sections(body)
    assert list(parts) == [c.key for c in COMPONENTS]
    assert "data-missing=" not in body
    assert "Not available yet" not in body
    delivery, management = body.index("Service delivery"), body.index("Service management")
    assert delivery < body.index('data-component="complaint_handling"') < management
    assert management < body.index('data-component="legal_basis"')
    # Content of each kind of component is really there.
    assert "Surat Tugas" in parts["requirements"]
    assert '<ol class="steps">' in parts["procedure"]
    assert "Mengisi buku tamu" in parts["procedure"]
    assert "Administrasi" in parts["completion_times"]
    assert "15 minutes" in parts["completion_times"]
    assert "Administrasi : 15 Menit" in parts["completion_times"]  # original text kept
    assert "Free / no fee is charged" in parts["fees"]
    assert "Layanan Konsultasi" in parts["products"]
    assert "Pengaduan berkadar pengawasan" in parts["complaint_handling"]
    assert "60 working days" in parts["complaint_handling"]
    assert "Pejabat Pengelola Pengaduan menerima" in parts["complaint_handling"]
    assert "Undang-Undang Nomor 25 Tahun 2009" in parts["legal_basis"]
    assert "5 (lima) orang" in parts["staffing"]
    assert "Rapat evaluasi minimal 1 kali" in parts["evaluation"]
    assert "285/OR/2022" in body


def test_version_line_and_decree(client, kesra_standard):
    """The page says which version is in force and since when."""
    version = kesra_standard.published_version
    body = page(client, kesra_standard.get_absolute_url())
    assert f"Version 1, published {version.published_at.day} " in body


def test_missing_components_are_shown_not_hidden(client, org):
    """Empty components stay on the page, marked "not available yet", so citizens see the gap;
    a missing decree number is shown the same way."""
    version = StandardVersionFactory(
        standard__unit=org["biro-umum"],
        number=1,
        decree_number="",
        requirements=[],
        legal_basis=[],
        staff_count=None,
        staff_text="",
        components=False,  # no completion time, fee, complaint channel or class
    )
    version_publish(actor=SYSTEM, version=version)
    body = page(client, version.standard.get_absolute_url())
    parts = sections(body)
    assert len(parts) == 14
    for key in ("requirements", "completion_times", "fees", "complaint_handling", "legal_basis"):
        assert f'data-missing="{key}"' in parts[key], key
    assert 'data-missing="staffing"' in parts["staffing"]
    assert 'data-missing="decree_number"' in body
    assert "Not available yet" in parts["requirements"]
    # Present ones are still rendered normally.
    assert "data-missing" not in parts["procedure"]


def test_complaint_channels_are_clickable(client, org):
    """Phone, WhatsApp, e-mail and LAPOR! channels become tel:, wa.me, mailto: and https links;
    channels without a contact (complaint box) stay plain text."""
    standard = published_standard(standard__unit=org["biro-kesra"], number=1)
    version = standard.published_version
    for i, (kind, value) in enumerate(
        [
            ("phone", "(0561) 736541 ext. 126"),
            ("lapor", "www.lapor.go.id"),
            ("complaint_box", ""),
        ],
        start=2,
    ):
        ComplaintChannel.objects.create(
            version=version, position=i, kind=kind, label="Kotak Pengaduan", value=value
        )
    body = page(client, standard.get_absolute_url())
    assert 'href="https://wa.me/6285828735503"' in body
    assert 'href="mailto:kesra@kalbarprov.go.id"' in body
    assert 'href="tel:+62561736541,126"' in body
    assert 'href="https://www.lapor.go.id"' in body
    assert '<div class="channel-link is-static">' in body
    # The unit's own contacts are clickable too.
    assert 'href="https://wa.me/6285828735503"' in body.split('id="contact-title"')[1]


def test_fee_amounts_are_formatted_in_rupiah(client, org):
    """A paid service shows its amounts the Indonesian way ("Rp 50.000"), not "free"."""
    version = StandardVersionFactory(standard__unit=org["biro-umum"], number=1)
    version.fees.all().delete()
    Fee.objects.create(
        version=version, label="Sewa aula", free=False, amount_idr=1500000, text="Rp. 1.500.000"
    )
    Fee.objects.create(version=version, position=1, free=False, amount_idr=50000, text="50rb")
    version_publish(actor=SYSTEM, version=version)
    body = page(client, version.standard.get_absolute_url())
    fees = sections(body)["fees"]
    assert "Rp 1.500.000" in fees
    assert "Rp 50.000" in fees
    assert "Sewa aula" in fees
    assert "Free / no fee is charged" not in fees


def test_rupiah_filter():
    """Amounts use a dot as thousands separator and no decimals."""
    assert rupiah(50000) == "Rp 50.000"
    assert rupiah(1500000) == "Rp 1.500.000"
    assert rupiah(0) == "Rp 0"
    assert rupiah(None) == ""


def test_unknown_standard_is_404(client, org):
    """Unknown units, unknown slugs and unknown version numbers are 404s, not 500s."""
    assert client.get("/layanan/biro-kesra/tidak-ada/").status_code == 404
    assert client.get("/layanan/tidak-ada/tidak-ada/").status_code == 404
    standard = published_standard(standard__unit=org["biro-kesra"], number=1)
    url = standard.get_absolute_url()
    assert client.get(url + "versi/9/").status_code == 404
    assert client.get(url, {"versi": "abc"}).status_code == 404
    assert client.get(url, {"versi": "0"}).status_code == 404


# --- drafts, archives and who may see them ----------------------------------------------------


@pytest.fixture
def draft_only(org):
    """A Biro Kesra standard that has never been published (one draft)."""
    version = StandardVersionFactory(
        standard__unit=org["biro-kesra"], standard__slug="layanan-baru", number=1
    )
    assert version.status == VersionStatus.DRAFT
    return version


def test_unpublished_standard_is_404_for_the_public(client, draft_only):
    """A standard without a published version does not exist for the public: its page, its
    version URL, ?versi=, its history, poster and QR code are all 404, and home does not list it."""
    standard = draft_only.standard
    url = standard.get_absolute_url()
    assert client.get(url).status_code == 404
    assert client.get(url, {"versi": 1}).status_code == 404
    assert client.get(draft_only.get_absolute_url()).status_code == 404
    assert client.get(url + "versi/").status_code == 404
    assert client.get(url + "poster.pdf").status_code == 404
    assert client.get(url + "qr.svg").status_code == 404
    assert standard.name not in page(client, "/")
    assert client.get("/unit/biro-kesra/").status_code == 404


def test_selectors_without_a_user_show_only_what_is_published(draft_only):
    """The catalogue selectors take ``user=None`` (no one signed in): an unpublished standard
    is then 404, as for the public, instead of a TypeError from the permission check, which
    refuses None."""
    standard = draft_only.standard
    with pytest.raises(Http404):
        selectors.version_for_page(standard=standard)
    with pytest.raises(Http404):
        selectors.version_history(standard=standard)
    assert selectors.may_view_unpublished(None, standard) is False


def test_draft_of_the_bureau_is_404_for_a_division_handler(client, draft_only, kesra_handler):
    """A handler of a division below Biro Kesra acts on their division only, never upwards:
    the bureau's own draft stays hidden from them."""
    client.force_login(kesra_handler)
    assert client.get(draft_only.standard.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("persona", ["kesra_officer", "kesra_front", "kesra_head", "admin"])
def test_draft_visible_to_staff_of_the_unit(client, draft_only, personas, persona):
    """Staff of the standard's unit (and admins) see the draft, marked as DRAFT, at the standard
    URL, at ?versi=N and at the version URL; the response is private."""
    client.force_login(personas[persona])
    for url, params in [
        (draft_only.standard.get_absolute_url(), {}),
        (draft_only.standard.get_absolute_url(), {"versi": 1}),
        (draft_only.get_absolute_url(), {}),
    ]:
        response = client.get(url, params, **EN)
        assert response.status_code == 200
        body = response.content.decode()
        assert 'data-banner="draft"' in body
        assert "DRAFT" in body
        assert "private" in response["Cache-Control"]
        assert response["X-Robots-Tag"] == "noindex"
    home = page(client, "/")
    assert draft_only.standard.name in home
    assert "Not published" in home


def test_draft_is_404_for_staff_of_another_unit(client, draft_only, ekon_officer):
    """The complaint officer of Biro Perekonomian cannot see Biro Kesra's drafts."""
    client.force_login(ekon_officer)
    assert client.get(draft_only.standard.get_absolute_url()).status_code == 404
    assert client.get(draft_only.get_absolute_url()).status_code == 404
    assert draft_only.standard.name not in page(client, "/")


def test_new_draft_of_a_published_standard_stays_hidden(client, kesra_standard, kesra_officer):
    """While a new draft is being prepared, the public keeps seeing the published version; the
    draft number is 404 for them and visible to the unit's staff."""
    draft = StandardVersionFactory(
        standard=kesra_standard, number=2, name="Pelayanan Konsultasi (revisi)"
    )
    body = page(client, kesra_standard.get_absolute_url())
    assert "Pelayanan Konsultasi (revisi)" not in body
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(kesra_standard.get_absolute_url(), {"versi": 2}).status_code == 404
    client.force_login(kesra_officer)
    body = page(client, draft.get_absolute_url())
    assert "Pelayanan Konsultasi (revisi)" in body
    assert 'data-banner="draft"' in body


def test_archived_version_is_readable_with_banner(client, kesra_standard):
    """After a new version is published, the old one stays readable at its version URL with a
    clear "no longer in force" banner and a link to the version in force; history lists both."""
    v1 = kesra_standard.published_version
    v2 = StandardVersionFactory(standard=kesra_standard, number=2, decree_number="100/OR/2026")
    version_publish(actor=SYSTEM, version=v2)
    v1.refresh_from_db()
    assert v1.status == VersionStatus.ARCHIVED

    body = page(client, v1.get_absolute_url())
    assert 'data-banner="archived"' in body
    assert "This version is no longer in force." in body
    assert f'href="{kesra_standard.get_absolute_url()}"' in body
    assert "285/OR/2022" in body
    assert '<meta name="robots" content="noindex">' in body

    current = page(client, kesra_standard.get_absolute_url())
    assert "data-banner" not in current
    assert "100/OR/2026" in current
    assert "Other versions" in current

    history = page(
        client, reverse("catalog:standard_history", args=["biro-kesra", "pelayanan-konsultasi"])
    )
    assert v1.get_absolute_url() in history
    assert v2.get_absolute_url() in history
    assert "No longer in force" in history


# --- completeness for staff -------------------------------------------------------------------


@pytest.fixture
def incomplete_standard(org):
    """A published Biro Umum standard like its seed: no decree number, no complaint section,
    and import issues recorded on the version."""
    version = StandardVersionFactory(
        standard__unit=org["biro-umum"],
        number=1,
        decree_number="",
        products=[],
        components=False,
        import_issues=[
            {
                "code": "garbled_section",
                "component": "complaint_handling",
                "message": "Complaint section could not be read",
            }
        ],
    )
    Fee.objects.create(version=version, free=True, text="Gratis")
    version_publish(actor=SYSTEM, version=version)
    return version.standard


def test_completeness_badge_is_for_staff_only(client, incomplete_standard, personas):
    """The public never sees the completeness panel; staff of the unit see "11/14 components",
    the missing components, the partial items and the import report."""
    url = incomplete_standard.get_absolute_url()
    public = page(client, url)
    assert "data-completeness" not in public
    assert "garbled_section" not in public

    client.force_login(personas["admin"])
    body = page(client, url)
    assert "data-completeness-badge" in body
    assert "11/14 components" in body
    panel = body.split('<details class="staff-panel"')[1].split("</details>")[0]
    for label in ("Completion time", "Service products", "Handling of complaints"):
        assert label in panel
    assert "No decree number" in panel
    assert "garbled_section" in panel
    assert "Complaint section could not be read" in panel


def test_completeness_badge_for_complete_standard(client, kesra_standard, kesra_front):
    """A complete standard shows 14/14 to the unit's staff."""
    client.force_login(kesra_front)
    assert "14/14 components" in page(client, kesra_standard.get_absolute_url())


def test_completeness_not_shown_to_staff_of_another_unit(client, kesra_standard, ekon_officer):
    """Staff of another bureau read the public page like a citizen, without the panel."""
    client.force_login(ekon_officer)
    assert "data-completeness" not in page(client, kesra_standard.get_absolute_url())


# --- home and unit pages ----------------------------------------------------------------------


def test_home_lists_units_with_published_services_only(client, org):
    """Home lists bureaus that publish services with those services (a division's services under
    its bureau); bureaus with nothing published are left out."""
    kesra = published_standard(
        standard__unit=org["biro-kesra"], standard__name="Pelayanan Konsultasi", number=1
    )
    division = published_standard(
        standard__unit=org["kesra-bina-mental"], standard__name="Fasilitasi Hibah", number=1
    )
    ServiceStandardFactory(unit=org["biro-perekonomian"], name="Belum Terbit")
    body = page(client, "/")
    assert "Biro Kesejahteraan Rakyat" in body
    assert kesra.get_absolute_url() in body
    assert division.get_absolute_url() in body
    assert body.index("Biro Kesejahteraan Rakyat") < body.index("Bagian Bina Mental Spiritual")
    assert "Biro Perekonomian" not in body
    assert "Belum Terbit" not in body
    assert "Biro Umum" not in body


def test_home_says_when_nothing_is_published(client, org):
    """An empty catalogue says so instead of showing a blank page."""
    assert "No services have been published yet." in page(client, "/")


def test_unit_page_shows_contacts_and_services(client, kesra_standard):
    """The unit page has the bureau's address and clickable contacts, and its services."""
    body = page(client, reverse("catalog:unit", args=["biro-kesra"]))
    assert "Jl. Jenderal Ahmad Yani" in body
    assert 'href="https://wa.me/6285828735503"' in body
    assert 'href="mailto:kesra@kalbarprov.go.id"' in body
    assert 'href="tel:+62561736541,126"' in body
    assert kesra_standard.get_absolute_url() in body


def test_unit_page_unknown_or_empty_is_404(client, org):
    """Unknown units and units with nothing published are 404 for the public."""
    assert client.get("/unit/tidak-ada/").status_code == 404
    assert client.get("/unit/biro-umum/").status_code == 404


# --- lightness --------------------------------------------------------------------------------


def test_public_pages_have_no_javascript_and_one_extra_stylesheet(client, kesra_standard):
    """Public pages carry no script and load only the site stylesheet plus catalog.css."""
    for url in ("/", "/unit/biro-kesra/", kesra_standard.get_absolute_url()):
        body = page(client, url)
        assert "<script" not in body
        assert re.findall(r'<link rel="stylesheet" href="([^"]+)"', body) == [
            "/static/css/layanan.css",
            "/static/css/catalog.css",
        ]


def test_standard_page_query_count_is_pinned(client, kesra_standard, django_assert_max_num_queries):
    """The public standard page costs seven queries however long the standard: the standard with
    its unit and published version, one per child table, then the unit's office hours (its
    chain joined with their hours) and its special hours."""
    version = kesra_standard.published_version
    for i in range(20):
        ComplaintChannel.objects.create(
            version=version, position=10 + i, kind="phone", value=f"0561 7365{i:02d}"
        )
    url = kesra_standard.get_absolute_url()
    with django_assert_max_num_queries(7):
        page(client, url)


def test_archived_version_query_count_is_pinned(
    client, kesra_standard, django_assert_max_num_queries
):
    """An archived version costs eight queries: the standard, the version, its four child tables
    (the published version's children are not fetched when it is not shown), office hours and
    special hours."""
    v2 = StandardVersionFactory(standard=kesra_standard, number=2)
    version_publish(actor=SYSTEM, version=v2)
    with django_assert_max_num_queries(8):
        page(
            client,
            reverse("catalog:standard_version", args=["biro-kesra", "pelayanan-konsultasi", 1]),
        )


def test_home_query_count_is_pinned(client, org, django_assert_max_num_queries):
    """Home costs two queries (standards with units, their ancestors) for any number of
    standards."""
    for i in range(6):
        unit = org["kesra-bina-mental"] if i % 2 else org["biro-umum"]
        published_standard(standard__unit=unit, number=1)
    with django_assert_max_num_queries(2):
        page(client, "/")


def test_staff_standard_page_query_count_is_pinned(
    client, kesra_standard, kesra_officer, django_assert_max_num_queries
):
    """A signed-in staff member costs session, user and memberships (three queries) on top of the
    public page's seven, completeness panel included."""
    client.force_login(kesra_officer)
    url = kesra_standard.get_absolute_url()
    with django_assert_max_num_queries(10):
        page(client, url)
