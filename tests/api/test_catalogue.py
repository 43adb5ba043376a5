"""The public catalogue endpoints: units, the list of published standards and one standard."""

from __future__ import annotations

import pytest

from layanan.accounts.actors import SYSTEM
from layanan.catalog.components import COMPONENTS
from layanan.catalog.models import ComplaintChannel, CompletionTime, Fee, StandardVersion
from layanan.catalog.services import version_publish
from tests.factories import ServiceStandardFactory, StandardVersionFactory, published_standard

from .utils import EN, assert_error

pytestmark = pytest.mark.django_db

DURATION_UNITS = {"minutes", "hours", "working_days", "calendar_days", None}


def get(client, url, **params):
    response = client.get(url, params, **EN)
    assert response.status_code == 200, (response.status_code, response.content[:500])
    return response.json()


def publish(unit, slug, **kwargs):
    return published_standard(standard__unit=unit, standard__slug=slug, **kwargs)


@pytest.fixture
def kesra_standard(org):
    """A complete, published standard of Biro Kesra."""
    return publish(org["biro-kesra"], "pelayanan-konsultasi", standard__name="Konsultasi")


# --- units ------------------------------------------------------------------------------------


def test_units_lists_the_tree_with_parents_and_contacts(client, org):
    """Every unit comes with its parent's slug, kind, depth and public contacts, parents
    before children."""
    body = get(client, "/api/v1/units", limit=200)
    assert body["count"] == len(org)
    assert body["next"] is None and body["previous"] is None
    units = {u["slug"]: u for u in body["results"]}
    assert set(units) == set(org)
    order = [u["slug"] for u in body["results"]]
    for unit in body["results"]:
        if unit["parent"] is not None:
            assert order.index(unit["parent"]) < order.index(unit["slug"])
    assert units["pemprov-kalbar"]["parent"] is None
    assert units["pemprov-kalbar"]["depth"] == 0
    kesra = units["biro-kesra"]
    assert kesra["parent"] == "setda"
    assert kesra["kind"] == "bureau"
    assert kesra["depth"] == 2
    assert kesra["short_name"] == "Biro Kesra"
    assert kesra["contacts"]["email"] == "kesra@kalbarprov.go.id"
    assert kesra["contacts"]["whatsapp"] == "085828735503"
    assert kesra["standards_url"].endswith("/api/v1/standards?unit=biro-kesra")
    assert kesra["html_url"].endswith("/unit/biro-kesra/")
    assert units["kesra-bina-mental"]["parent"] == "biro-kesra"


def test_units_paginate_with_next_and_previous_links(client, org):
    """limit/offset pages carry absolute next/previous links that walk the whole list."""
    first = get(client, "/api/v1/units", limit=5)
    assert len(first["results"]) == 5
    assert first["previous"] is None
    assert first["next"].startswith("http://testserver/api/v1/units?")
    seen = [u["slug"] for u in first["results"]]
    page = first
    while page["next"]:
        page = get(client, page["next"])
        seen += [u["slug"] for u in page["results"]]
    assert len(seen) == len(set(seen)) == first["count"]
    assert page["previous"] is not None
    back = get(client, page["previous"])
    assert back["results"]


def test_units_query_count_is_constant(client, org, django_assert_max_num_queries):
    """Listing units costs a count and one page query, whatever the number of units."""
    with django_assert_max_num_queries(2):
        get(client, "/api/v1/units", limit=200)


# --- the list of standards --------------------------------------------------------------------


def test_standard_list_shows_only_published_standards(client, org, kesra_standard):
    """Drafts never published are not listed; published ones are, with their summary."""
    StandardVersionFactory(standard__unit=org["biro-kesra"], standard__slug="rahasia")
    body = get(client, "/api/v1/standards")
    assert body["count"] == 1
    [item] = body["results"]
    assert item["slug"] == "pelayanan-konsultasi"
    assert item["unit"] == {
        "slug": "biro-kesra",
        "name": "Biro Kesejahteraan Rakyat",
        "short_name": "Biro Kesra",
    }
    assert item["version"] == kesra_standard.published_version.number
    assert item["decree_number"] == "285/OR/2022"
    assert item["published_at"]
    assert item["service_kind"] == "consultation"
    assert item["accepts_complaints"] is True
    assert item["url"].endswith("/api/v1/standards/biro-kesra/pelayanan-konsultasi")
    assert item["html_url"].endswith("/layanan/biro-kesra/pelayanan-konsultasi/")


def test_standard_list_unit_filter_includes_descendants(client, org, kesra_standard):
    """?unit= keeps the unit's own standards and those of the units below it, not siblings'."""
    publish(org["kesra-bina-mental"], "bimbingan")
    publish(org["biro-perekonomian"], "konsultasi-ekonomi")
    slugs = lambda unit: {s["slug"] for s in get(client, "/api/v1/standards", unit=unit)["results"]}  # noqa: E731
    assert slugs("biro-kesra") == {"pelayanan-konsultasi", "bimbingan"}
    assert slugs("kesra-bina-mental") == {"bimbingan"}
    assert slugs("biro-perekonomian") == {"konsultasi-ekonomi"}
    assert slugs("pemprov-kalbar") == {"pelayanan-konsultasi", "bimbingan", "konsultasi-ekonomi"}
    assert slugs("biro-umum") == set()


def test_standard_list_unknown_unit_is_a_json_404(client, org):
    """An unknown ?unit= is a 404 with code unknown_unit, not an empty list."""
    response = client.get("/api/v1/standards", {"unit": "biro-tidak-ada"}, **EN)
    body = assert_error(response, 404, "unknown_unit")
    assert "biro-tidak-ada" in body["detail"]


def test_standard_list_pagination(client, org):
    """The standards list pages with the same shape and links as every list."""
    for i in range(3):
        publish(org["biro-kesra"], f"layanan-{i}", standard__position=i)
    first = get(client, "/api/v1/standards", limit=2)
    assert list(first) == ["count", "next", "previous", "results"]
    assert first["count"] == 3
    assert [s["slug"] for s in first["results"]] == ["layanan-0", "layanan-1"]
    second = get(client, first["next"])
    assert [s["slug"] for s in second["results"]] == ["layanan-2"]
    assert second["next"] is None
    assert get(client, second["previous"])["results"] == first["results"]
    beyond = get(client, "/api/v1/standards", offset=50)
    assert beyond["results"] == [] and beyond["count"] == 3


@pytest.mark.parametrize(
    "params",
    [{"limit": "abc"}, {"limit": 0}, {"limit": 10_000}, {"offset": -1}, {"offset": "x"}],
)
def test_standard_list_bad_parameters_are_400_json(client, org, params):
    """A malformed limit/offset is a 400 invalid_request naming the field, never a 500."""
    response = client.get("/api/v1/standards", params, **EN)
    body = assert_error(response, 400, "invalid_request")
    [name] = params
    assert any(error["loc"] == ["query", name] for error in body["errors"]), body


def test_standard_list_query_count_is_constant(client, org, django_assert_max_num_queries):
    """Listing 1 or 10 standards costs the same queries: the unit, a count, one page."""
    publish(org["biro-kesra"], "satu")
    with django_assert_max_num_queries(3) as one:
        assert get(client, "/api/v1/standards", unit="biro-kesra")["count"] == 1
    for i in range(9):
        publish(org["kesra-bina-mental"], f"layanan-{i}")
    with django_assert_max_num_queries(3) as ten:
        assert get(client, "/api/v1/standards", unit="biro-kesra")["count"] == 10
    assert len(one.captured_queries) == len(ten.captured_queries)


# --- one standard -----------------------------------------------------------------------------


def test_standard_detail_has_all_fourteen_components(client, kesra_standard):
    """The published version comes with every component under its key from components.py,
    structured as documented."""
    body = get(client, "/api/v1/standards/biro-kesra/pelayanan-konsultasi")
    for component in COMPONENTS:
        assert component.key in body, component.key
    version = kesra_standard.published_version
    assert body["name"] == version.name
    assert body["version"] == version.number
    assert body["decree_number"] == "285/OR/2022"
    assert body["requirements"] == ["Surat Tugas", "Tanda pengenal/identitas"]
    assert body["procedure"][0] == "Tamu menuju Petugas Informasi"
    assert body["completion_times"] == [
        {"value": 15, "unit": "minutes", "text": "Administrasi : 15 Menit", "label": "Administrasi"}
    ]
    assert body["fees"] == [
        {"free": True, "amount_idr": None, "text": "Tidak dipungut biaya", "label": ""}
    ]
    assert body["fee"] == {"free": True, "amount_idr": None}
    handling = body["complaint_handling"]
    assert handling["channels"][0] == {
        "kind": "whatsapp",
        "label": "WA",
        "value": "085828735503",
        "href": "https://wa.me/6285828735503",
    }
    assert handling["channels"][1]["href"] == "mailto:kesra@kalbarprov.go.id"
    assert handling["flow"] == version.complaint_flow
    assert [c["code"] for c in handling["classes"]] == [
        "ringan",
        "normatif",
        "tidak_berkadar_pengawasan",
        "berkadar_pengawasan",
    ]
    assert handling["classes"][1] == {
        "code": "normatif",
        "name": "Pengaduan bersifat normatif",
        "value": 5,
        "unit": "working_days",
        "text": "5 working_days",
    }
    assert body["staffing"] == {"count": 5, "text": "5 (lima) orang"}
    assert body["evaluation"] == {
        "items": ["Rapat evaluasi minimal 1 kali dalam 1 bulan"],
        "meetings_per_month": 1,
        "surveys_per_year": 2,
    }
    assert body["missing_components"] == []
    for entry in body["completion_times"] + handling["classes"]:
        assert entry["unit"] in DURATION_UNITS


def test_incomplete_standard_lists_missing_components(client, org):
    """An incomplete standard (no SK, no fee, no complaint channel or class, free-text
    completion time) is served with its gaps named, not an error."""
    version = StandardVersionFactory(
        standard__unit=org["biro-umum"],
        standard__slug="peminjaman-ruang",
        decree_number="",
        requirements=[],
        staff_count=None,
        staff_text="",
        components=False,
    )
    CompletionTime.objects.create(version=version, text="Sesuai jadwal", ambiguous=True)
    version_publish(actor=SYSTEM, version=version)
    body = get(client, "/api/v1/standards/biro-umum/peminjaman-ruang")
    assert body["decree_number"] is None
    assert body["completion_times"] == [
        {"value": None, "unit": None, "text": "Sesuai jadwal", "label": ""}
    ]
    assert body["fees"] == []
    assert body["fee"] == {"free": False, "amount_idr": None}
    assert body["staffing"] == {"count": None, "text": ""}
    assert [m["key"] for m in body["missing_components"]] == [
        "requirements",
        "fees",
        "complaint_handling",
        "staffing",
    ]
    assert body["missing_components"][0] == {
        "key": "requirements",
        "number": 1,
        "label": "Requirements",
    }


def test_fee_summary_gives_the_lowest_charge(client, org):
    """When a service costs money, fee.free is false and fee.amount_idr the lowest amount."""
    version = StandardVersionFactory(
        standard__unit=org["biro-umum"], standard__slug="sewa-aula", components=False
    )
    Fee.objects.create(version=version, position=0, free=False, amount_idr=750_000, text="Aula")
    Fee.objects.create(version=version, position=1, free=False, amount_idr=250_000, text="Ruang")
    Fee.objects.create(version=version, position=2, free=True, text="Instansi pemerintah")
    version_publish(actor=SYSTEM, version=version)
    body = get(client, "/api/v1/standards/biro-umum/sewa-aula")
    assert body["fee"] == {"free": False, "amount_idr": 250_000}
    assert [f["amount_idr"] for f in body["fees"]] == [750_000, 250_000, None]


def test_channel_without_link_has_null_href(client, org):
    """A complaint channel with no clickable contact (a complaint box) has href null."""
    version = StandardVersionFactory(standard__unit=org["biro-umum"], standard__slug="kotak")
    ComplaintChannel.objects.create(
        version=version, position=5, kind="complaint_box", label="Kotak"
    )
    version_publish(actor=SYSTEM, version=version)
    body = get(client, "/api/v1/standards/biro-umum/kotak")
    assert body["complaint_handling"]["channels"][-1]["href"] is None


def test_only_the_published_version_is_served(client, kesra_standard):
    """A newer draft of a published standard stays private: the API serves the published
    version's content."""
    draft = StandardVersionFactory(
        standard=kesra_standard,
        number=kesra_standard.published_version.number + 1,
        requirements=["RAHASIA"],
    )
    assert draft.status == "draft"
    body = get(client, "/api/v1/standards/biro-kesra/pelayanan-konsultasi")
    assert body["version"] == kesra_standard.published_version.number
    assert "RAHASIA" not in body["requirements"]


def test_unpublished_standard_does_not_exist_publicly(client, org):
    """A standard with only a draft is a 404 on both detail routes."""
    StandardVersionFactory(standard__unit=org["biro-kesra"], standard__slug="draf")
    assert_error(client.get("/api/v1/standards/biro-kesra/draf", **EN), 404, "unknown_standard")
    assert_error(client.get("/api/v1/standards/draf", **EN), 404, "unknown_standard")


def test_unknown_standard_and_unit_are_json_404(client, kesra_standard):
    """Unknown standard → unknown_standard; unknown unit in the path → unknown_unit."""
    assert_error(
        client.get("/api/v1/standards/biro-kesra/tidak-ada", **EN), 404, "unknown_standard"
    )
    assert_error(client.get("/api/v1/standards/tidak-ada", **EN), 404, "unknown_standard")
    assert_error(
        client.get("/api/v1/standards/biro-x/pelayanan-konsultasi", **EN), 404, "unknown_unit"
    )
    # The standard exists, but in another unit.
    assert_error(
        client.get("/api/v1/standards/biro-umum/pelayanan-konsultasi", **EN),
        404,
        "unknown_standard",
    )


def test_standard_by_slug_alone_when_unique(client, org, kesra_standard):
    """/standards/{slug} answers the same as the full address when one unit has the slug (a
    draft elsewhere with the same slug does not make it ambiguous)."""
    StandardVersionFactory(standard__unit=org["biro-umum"], standard__slug="pelayanan-konsultasi")
    full = get(client, "/api/v1/standards/biro-kesra/pelayanan-konsultasi")
    assert get(client, "/api/v1/standards/pelayanan-konsultasi") == full


def test_standard_by_ambiguous_slug_is_409_with_candidates(client, org, kesra_standard):
    """When several units publish the slug, 409 ambiguous_slug lists where to look."""
    publish(org["biro-perekonomian"], "pelayanan-konsultasi")
    response = client.get("/api/v1/standards/pelayanan-konsultasi", **EN)
    body = assert_error(response, 409, "ambiguous_slug")
    candidates = {c["unit"]: c for c in body["candidates"]}
    assert set(candidates) == {"biro-kesra", "biro-perekonomian"}
    kesra = candidates["biro-kesra"]
    assert kesra["slug"] == "pelayanan-konsultasi"
    assert kesra["url"].endswith("/api/v1/standards/biro-kesra/pelayanan-konsultasi")
    assert get(client, kesra["url"])["unit"]["slug"] == "biro-kesra"


def test_standard_detail_query_count_is_constant(client, org, django_assert_max_num_queries):
    """One standard costs the same queries however many rows its components have: the
    standard with unit and version, then one per child table."""
    publish(org["biro-kesra"], "kecil")
    with django_assert_max_num_queries(5) as small:
        get(client, "/api/v1/standards/biro-kesra/kecil")
    big = publish(org["biro-kesra"], "besar")
    version = StandardVersion.objects.get(pk=big.published_version_id)
    for i in range(10):
        CompletionTime.objects.create(version=version, position=i + 1, text=f"Tahap {i}")
        Fee.objects.create(version=version, position=i + 1, free=True, text=f"Gratis {i}")
        ComplaintChannel.objects.create(version=version, position=i + 2, kind="phone", value="0561")
    with django_assert_max_num_queries(5) as large:
        get(client, "/api/v1/standards/biro-kesra/besar")
    with django_assert_max_num_queries(5) as by_slug:
        get(client, "/api/v1/standards/besar")
    assert len(small.captured_queries) == len(large.captured_queries)
    assert len(by_slug.captured_queries) == len(large.captured_queries)


def test_service_standard_without_published_version_is_not_counted(client, org):
    """A bare ServiceStandard row (no version at all) is invisible too."""
    ServiceStandardFactory(unit=org["biro-kesra"], slug="kosong")
    assert get(client, "/api/v1/standards")["count"] == 0
    assert_error(client.get("/api/v1/standards/kosong", **EN), 404, "unknown_standard")
