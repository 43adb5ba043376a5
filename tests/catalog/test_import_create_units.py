"""`import_standard --create-units [--parent SLUG]`: a folder of standards from agencies that are
not yet units, imported into an empty database, gives one standard per service under a unit
made from each letterhead, and says so in the report."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from layanan.accounts.actors import SYSTEM
from layanan.catalog.imports import import_documents
from layanan.catalog.models import ServiceStandard
from layanan.core.models import Unit, UnitKind
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

DPMPTSP_HEADER = """PEMERINTAH KABUPATEN CONTOH
DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU
Jl. Merdeka No. 1 Telp. (0561) 765432
Email: dpmptsp@contohkab.go.id Website: dpmptsp.contohkab.go.id

"""
DPMPTSP_TWO_SERVICES = (
    DPMPTSP_HEADER
    + """NOMOR : 503/77/DPMPTSP/2024

1. PERSETUJUAN PENANAMAN MODAL
Persyaratan
  1. Nomor Induk Berusaha (NIB)
Jangka Waktu Pelayanan : 5 Hari Kerja
Biaya : Gratis

2. IZIN PENELITIAN
Persyaratan
  1. Proposal Penelitian
Jangka Waktu Pelayanan : 3 Hari
Biaya : Rp. 25.000,-
"""
)
DPMPTSP_THIRD = (
    DPMPTSP_HEADER
    + """STANDAR PELAYANAN IZIN REKLAME

Persyaratan : Surat permohonan
Jangka Waktu Penyelesaian : 7 hari kerja
Biaya : sesuai Perda Nomor 3 Tahun 2023
"""
)
PUSKESMAS = """PEMERINTAH KABUPATEN CONTOH
PUSKESMAS SUNGAI RAYA
Jl. Adisucipto Km 9

Jenis Pelayanan : Pelayanan Laboratorium

No. Komponen Uraian
1. Persyaratan Surat pengantar dokter
2. Waktu Pelayanan 2 jam
3. Biaya/Tarif Rp 15.000
"""
NO_LETTERHEAD = """Pelayanan Tanpa Kop

Biaya : Gratis
"""


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "a-dpmptsp.txt").write_text(DPMPTSP_TWO_SERVICES, encoding="utf-8")
    (tmp_path / "b-dpmptsp-reklame.txt").write_text(DPMPTSP_THIRD, encoding="utf-8")
    (tmp_path / "c-puskesmas.txt").write_text(PUSKESMAS, encoding="utf-8")
    (tmp_path / "d-tanpa-kop.txt").write_text(NO_LETTERHEAD, encoding="utf-8")
    return tmp_path


def run(*args) -> dict:
    out = StringIO()
    call_command("import_standard", *[str(a) for a in args], "--json", stdout=out)
    return json.loads(out.getvalue())


def test_create_units_under_parent_on_an_empty_database(folder):
    """Each agency becomes one unit under --parent, each service one standard under its unit,
    with its own report; a document without a letterhead is skipped and says why."""
    parent = UnitFactory(name="Pemerintah Kabupaten Contoh", slug="pemkab-contoh")
    assert Unit.objects.count() == 1

    report = run(folder, "--create-units", "--parent", parent.slug)

    dpmptsp = Unit.objects.get(slug="dinas-penanaman-modal-dan-pelayanan-terpadu-satu-pintu")
    puskesmas = Unit.objects.get(slug="puskesmas-sungai-raya")
    assert Unit.objects.count() == 3
    assert dpmptsp.name == "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"
    assert dpmptsp.parent == parent and puskesmas.parent == parent
    assert dpmptsp.email == "dpmptsp@contohkab.go.id"
    assert dpmptsp.kind == UnitKind.OTHER
    assert [u["slug"] for u in report["created_units"]] == [dpmptsp.slug, puskesmas.slug]

    standards = {(s.unit.slug, s.slug) for s in ServiceStandard.objects.select_related("unit")}
    assert standards == {
        (dpmptsp.slug, "persetujuan-penanaman-modal"),
        (dpmptsp.slug, "izin-penelitian"),
        (dpmptsp.slug, "izin-reklame"),
        (puskesmas.slug, "pelayanan-laboratorium"),
    }
    services = {s["service_name"]: s for s in report["services"]}
    assert services["Izin Penelitian"]["action"] == "created"
    codes = {name: {i["code"] for i in s["issues"]} for name, s in services.items()}
    assert "unit_created" in codes["Persetujuan Penanaman Modal"]
    assert "unit_created" in codes["Izin Reklame"]
    assert "ambiguous_duration" in codes["Izin Penelitian"]  # "3 Hari"
    assert "legal_basis" in services["Pelayanan Laboratorium"]["missing"]
    skipped = services["Pelayanan Tanpa Kop"]
    assert skipped["action"] == "skipped"
    assert "unit_unknown" in codes["Pelayanan Tanpa Kop"]

    version = ServiceStandard.objects.get(slug="izin-penelitian").versions.get()
    assert [(f.amount_idr, f.free) for f in version.fees.all()] == [(25000, False)]

    again = run(folder, "--create-units", "--parent", parent.slug)
    assert again["created_units"] == []
    assert Unit.objects.count() == 3
    assert {s["action"] for s in again["services"] if s["standard"]} == {"unchanged"}


def test_create_units_dry_run_creates_nothing(folder):
    """--dry-run reports the units it would create and keeps none."""
    report = run(folder, "--create-units", "--dry-run")
    assert len(report["created_units"]) == 2
    assert Unit.objects.count() == 0
    assert ServiceStandard.objects.count() == 0


def test_without_create_units_the_agencies_are_skipped(folder):
    """Without --create-units, documents of unknown agencies are skipped with unit_unknown."""
    report = run(folder)
    assert Unit.objects.count() == 0
    assert {s["action"] for s in report["services"]} == {"skipped"}
    assert len(report["services"]) == 5


def test_create_units_without_parent_makes_top_level_units(folder):
    """Without --parent the created units are top-level."""
    import_documents([folder], actor=SYSTEM, create_units=True)
    assert Unit.objects.filter(parent=None).count() == 2


def test_slug_stays_unique(folder):
    """A created unit never takes an existing slug."""
    UnitFactory(name="Other", slug="puskesmas-sungai-raya")
    import_documents([folder / "c-puskesmas.txt"], actor=SYSTEM, create_units=True)
    assert Unit.objects.filter(slug="puskesmas-sungai-raya-2", name="Puskesmas Sungai Raya")


def test_option_errors(folder):
    """--parent needs --create-units; --unit and --create-units exclude each other; an unknown
    parent slug is refused."""
    UnitFactory(slug="u1")
    with pytest.raises(CommandError, match="--parent"):
        call_command("import_standard", str(folder), "--parent", "u1")
    with pytest.raises(CommandError, match="not both"):
        call_command("import_standard", str(folder), "--unit", "u1", "--create-units")
    with pytest.raises(CommandError, match="Unknown unit slug"):
        call_command("import_standard", str(folder), "--create-units", "--parent", "nope")


def test_text_report_names_the_created_units(folder):
    """The plain report says which units were created, under which parent, from which file."""
    UnitFactory(slug="pemkab-contoh")
    out = StringIO()
    call_command(
        "import_standard", str(folder), "--create-units", "--parent", "pemkab-contoh", stdout=out
    )
    text = out.getvalue()
    assert (
        "unit created puskesmas-sungai-raya (Puskesmas Sungai Raya) under pemkab-contoh "
        "← c-puskesmas.txt"
    ) in text
    assert "unit_created [unit]" in text
