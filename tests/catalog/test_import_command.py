"""`manage.py import_standard` and `load_demo` over the real seeds: every seed imports, the two
Kesra consultation documents become one standard, re-imports change nothing, a changed document
becomes a new draft, and the report names the real gaps."""

from __future__ import annotations

import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from layanan.accounts.models import User
from layanan.catalog.models import ServiceStandard, StandardVersion, VersionStatus
from layanan.workdays.models import Holiday

pytestmark = pytest.mark.django_db

SEEDS = Path(settings.SEEDS_DIR)


def run_import(*args) -> dict:
    out = StringIO()
    call_command("import_standard", *[str(a) for a in args], "--json", stdout=out)
    return json.loads(out.getvalue())


def by_standard(report: dict) -> dict[str, dict]:
    return {f"{s['unit']}/{s['standard']}": s for s in report["services"]}


def test_repository_seeds_match_the_shared_originals():
    """data/seeds/ is a faithful copy of the bureaus' documents (when shared/ is beside us)."""
    shared = Path(settings.BASE_DIR).parent / "shared" / "seeds"
    if not shared.is_dir():
        pytest.skip("no shared/seeds beside the repository")
    ours = {p.name: p.read_bytes() for p in SEEDS.glob("*.txt")}
    theirs = {p.name: p.read_bytes() for p in shared.glob("*.txt")}
    assert ours == theirs


def test_all_five_seeds_import_into_four_standards(org):
    """The five seeds give four services; 000 and 003 (Kesra consultation) merge into one."""
    report = run_import(SEEDS)
    assert report["errors"] == []
    services = by_standard(report)
    assert set(services) == {
        "biro-kesra/pelayanan-konsultasi",
        "biro-kesra/fasilitasi-audiensi-instansi-pemerintah-pemerintah-daerah-dan-lembaga-lain",
        "biro-perekonomian/pelayanan-konsultasi",
        "biro-umum/fasilitasi-pengguna-sarana-prasarana-kantor",
    }
    kesra = services["biro-kesra/pelayanan-konsultasi"]
    assert sorted(kesra["sources"]) == ["000_5a45f7f077a6fa7b.txt", "003_f2caee207684b829.txt"]
    assert any(i["code"] == "merged_difference" for i in kesra["issues"])
    assert all(s["action"] == "created" for s in services.values())


def test_merged_kesra_consultation_keeps_the_richer_parts_of_both(org):
    """The merged standard has 000's decree number and 003's management components."""
    run_import(SEEDS)
    version = StandardVersion.objects.get(
        standard__unit__slug="biro-kesra", standard__slug="pelayanan-konsultasi"
    )
    assert version.decree_number == "285/OR/2022"
    assert len(version.legal_basis) == 6
    assert version.staff_count == 5
    assert version.surveys_per_year == 2
    assert version.missing_components() == []
    labels = {ct.label: ct for ct in version.completion_times.all()}
    assert labels["Administrasi"].value == 15 and labels["Administrasi"].unit == "minutes"
    assert labels["Konsultasi"].value is None
    assert version.complaint_classes.count() == 4


def test_report_names_the_real_gaps(org):
    """Biro Umum has no SK number and a garbled complaint section; bare 'Hari' is ambiguous."""
    services = by_standard(run_import(SEEDS))
    umum = services["biro-umum/fasilitasi-pengguna-sarana-prasarana-kantor"]
    codes = {(i["code"], i["component"]) for i in umum["issues"]}
    assert any(code == "missing" and "decree" in comp for code, comp in codes)
    assert any(code == "garbled_section" for code, _ in codes)
    assert any(code == "ambiguous_duration" for code, _ in codes)
    audiensi = services[
        "biro-kesra/fasilitasi-audiensi-instansi-pemerintah-pemerintah-daerah-dan-lembaga-lain"
    ]
    assert any(i["code"] == "ambiguous_duration" for i in audiensi["issues"])
    # Service-delivery-only documents report their missing management components.
    assert "legal_basis" in umum["missing"]


def test_importing_the_same_documents_twice_changes_nothing(org):
    """A second import of unchanged documents creates no version and reports 'unchanged'."""
    run_import(SEEDS)
    before = StandardVersion.objects.count()
    report = run_import(SEEDS)
    assert StandardVersion.objects.count() == before
    assert {s["action"] for s in report["services"]} == {"unchanged"}


def test_a_changed_document_becomes_a_new_draft(org, tmp_path):
    """Editing a document and importing it again adds draft v2; the published v1 stays."""
    source = SEEDS / "001_6ee5447df4eec370.txt"
    copy = tmp_path / source.name
    shutil.copy(source, copy)
    call_command("load_demo", "--no-users", "--seeds", str(tmp_path), stdout=StringIO())
    standard = ServiceStandard.objects.get(unit__slug="biro-kesra")
    assert standard.published_version.number == 1
    copy.write_text(
        copy.read_text(encoding="utf-8").replace("b. Tanda pengenal/identitas.", "b. KTP."),
        encoding="utf-8",
    )
    report = run_import(copy)
    assert report["services"][0]["action"] == "new_version"
    standard.refresh_from_db()
    assert standard.published_version.number == 1
    draft = standard.versions.get(number=2)
    assert draft.status == VersionStatus.DRAFT
    assert draft.requirements[-1].startswith("KTP")


def test_dry_run_writes_nothing(org):
    """--dry-run reports what would happen and leaves the database as it was."""
    report = run_import(SEEDS, "--dry-run")
    assert report["dry_run"] is True
    assert len(report["services"]) == 4
    assert ServiceStandard.objects.count() == 0


def test_unit_option_overrides_the_header(org, tmp_path):
    """--unit puts a document under the named unit whatever its header says."""
    report = run_import(SEEDS / "002_8a09babb722fa8f7.txt", "--unit", "biro-umum")
    assert report["services"][0]["unit"] == "biro-umum"


def test_nothing_readable_exits_non_zero(org, tmp_path):
    """A run where no document could be read fails; one unreadable file among good ones doesn't."""
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"not a pdf at all")
    with pytest.raises(CommandError):
        call_command("import_standard", str(bad), stdout=StringIO(), stderr=StringIO())
    report = run_import(bad, SEEDS / "001_6ee5447df4eec370.txt")
    assert len(report["errors"]) == 1
    assert len(report["services"]) == 1


def test_unknown_unit_option_is_a_clear_error(org):
    """A mistyped --unit slug stops the command with a message naming the problem."""
    with pytest.raises(CommandError, match="Unknown unit"):
        call_command("import_standard", str(SEEDS), "--unit", "nope", stdout=StringIO())


def test_load_demo_is_idempotent_and_publishes(org):
    """load_demo twice: same standards, each published once, demo staff created once, and the
    sample complaints (a fresh install shows a working inbox) and facility requests made once,
    complaints in several states, the anonymous one without any identity."""
    call_command("load_demo", "--force", stdout=StringIO())
    call_command("load_demo", "--force", stdout=StringIO())
    assert ServiceStandard.objects.count() == 4
    assert ServiceStandard.objects.filter(published_version__isnull=True).count() == 0
    assert StandardVersion.objects.count() == 4
    assert User.objects.filter(username="kesra.pengaduan").count() == 1
    # The working-day calendar is ready for deadlines this year and next.
    year = timezone.localdate().year
    assert Holiday.objects.filter(date__year=year).exists()
    assert Holiday.objects.filter(date__year=year + 1).exists()
    from layanan.cases.models import Case

    complaints = Case.objects.filter(kind="complaint", unit__slug="biro-kesra")
    assert complaints.count() == Case.objects.exclude(kind="facility").count() == 4
    # Biro Umum's demo facilities come with a few requests, made once.
    assert Case.objects.filter(kind="facility", unit__slug="biro-umum").count() == 7
    assert set(complaints.values_list("status", flat=True)) == {"received", "answered"}
    anonymous = complaints.get(is_anonymous=True)
    assert (anonymous.requester_name, anonymous.requester_phone) == ("", "")


def test_load_demo_refuses_known_passwords_in_production(org, settings):
    """With DEBUG off, demo accounts with a published password are not created by accident."""
    settings.DEBUG = False
    with pytest.raises(CommandError, match="Refusing"):
        call_command("load_demo", stdout=StringIO())
    assert not User.objects.filter(username="admin").exists()
