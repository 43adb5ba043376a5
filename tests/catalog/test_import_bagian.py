"""The importer flags a standard that sends people to a Bagian its unit does not have."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from layanan.catalog.importer.parser import parse_standards
from layanan.catalog.imports import unknown_bagian_issues
from layanan.catalog.models import ServiceStandard

pytestmark = pytest.mark.django_db

SEEDS = Path(settings.SEEDS_DIR)
KESRA_BAGIAN = (
    "Bagian Bina Mental Spiritual",
    "Bagian Pelayanan Dasar",
    "Bagian Pelayanan Non Dasar",
)
EKON_BAGIAN = (
    "Bagian Kebijakan Perekonomian",
    "Bagian Perekonomian dan Sumber Daya Alam",
    "Bagian Pembinaan BUMD dan BLUD",
)


def _report(*paths) -> dict:
    out = StringIO()
    call_command("import_standard", *[str(p) for p in paths], "--dry-run", "--json", stdout=out)
    return json.loads(out.getvalue())


def test_seed_002_names_kesras_bagian_in_perekonomians_standard(org):
    """The real seed 002 (Biro Perekonomian) copies Biro Kesra's three Bagian into its procedure:
    the dry-run report warns once per Bagian, naming it and Perekonomian's actual Bagian."""
    (seed,) = SEEDS.glob("002_*.txt")
    report = _report(seed)
    (service,) = report["services"]
    assert service["unit"] == "biro-perekonomian"
    flagged = [i for i in service["issues"] if i["code"] == "unknown_division"]
    assert len(flagged) == 3
    for issue, name in zip(flagged, KESRA_BAGIAN, strict=True):
        assert issue["component"] == "procedure"
        assert f"'{name}'" in issue["message"]
        assert "Biro Perekonomian does not have" in issue["message"]
        assert all(own in issue["message"] for own in EKON_BAGIAN)
        assert issue["source"] == seed.name
    assert not ServiceStandard.objects.exists()  # a dry run keeps nothing


def test_kesras_own_seeds_are_not_flagged(org):
    """Seeds 000 and 003 (Biro Kesra) name Kesra's own Bagian — "Spritual" misspelt — and get
    no such warning."""
    report = _report(*SEEDS.glob("000_*.txt"), *SEEDS.glob("003_*.txt"))
    issues = [i for s in report["services"] for i in s["issues"]]
    assert report["services"] and not [i for i in issues if i["code"] == "unknown_division"]


def test_the_warning_is_kept_with_the_imported_draft(org):
    """Imported for real, the warning stays in the version's import report (the completeness
    panel staff read before publishing)."""
    (seed,) = SEEDS.glob("002_*.txt")
    call_command("import_standard", str(seed), stdout=StringIO())
    version = ServiceStandard.objects.get(unit__slug="biro-perekonomian").latest_version
    assert [i["code"] for i in version.import_issues].count("unknown_division") == 3


def test_a_unit_without_bagian_says_so(org):
    """A unit with no Bagian at all: the warning says it has none."""
    parsed = parse_standards(
        "Biro Umum\n\nSTANDAR PELAYANAN\nPelayanan Uji\n\nSistem, Mekanisme dan Prosedur\n"
        "- a. Menerima layanan dari Bagian Humas.\n",
        source_name="uji.txt",
    )[0]
    parsed.procedure = ["Menerima layanan dari Bagian Humas dan Protokol."]
    issues = unknown_bagian_issues(parsed, org["kesra-bina-mental"])
    assert [i.message for i in issues] == [
        "The procedure names 'Bagian Humas', which Bagian Bina Mental Spiritual does not have "
        "(it has no Bagian)."
    ]
