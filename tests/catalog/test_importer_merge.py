"""Merging documents of the same service (layanan.catalog.importer.merge.merge_parsed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from layanan.catalog.importer.merge import merge_parsed
from layanan.catalog.importer.parser import ParsedStandard, parse_standard

SEEDS = Path(__file__).resolve().parents[2] / "data" / "seeds"  # copy of shared/seeds


def seed(prefix: str) -> ParsedStandard:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return parse_standard(path.read_text(encoding="utf-8"), source_name=path.name)


def doc(name: str, body: str, title: str = "Layanan Uji") -> ParsedStandard:
    return parse_standard(f"{title}\n\n{body}", source_name=name)


def test_kesra_consultation_000_and_003():
    """The two Kesra consultation documents: 000 gives the unit, the SK and the one flow step;
    003 gives all management components and the longer product name. The result has no missing
    component and four complaint classes."""
    a, b = seed("000"), seed("003")
    merged, differences = merge_parsed([a, b])
    assert merged.source_name == f"{a.source_name}, {b.source_name}"
    assert merged.unit_name == "Biro Kesejahteraan Rakyat"
    assert merged.service_name == "Pelayanan Konsultasi"
    assert merged.decree_number == "285/OR/2022"
    assert merged.complaint_flow == [
        "Pengguna Layanan Menyampaikan aduan secara lisan/telepon/tertulis"
    ]
    assert len(merged.complaint_classes) == 4
    assert len(merged.legal_basis) == 6
    assert (merged.staff_count, merged.surveys_per_year, merged.meetings_per_month) == (5, 2, 1)
    assert merged.products == ["Pelayanan Konsultasi"]
    assert [f.text for f in merged.fees] == ["Tidak dipungut biaya"]
    assert [d.label for d in merged.completion_times] == ["Administrasi", "Konsultasi"]
    assert merged.missing_components() == []
    assert "kesra@kalbarprov.go.id" in merged.unit_hints
    assert "birokesra.kalbarprov.go.id" in merged.unit_hints

    # Differences read by hand: 003 has no header, no SK, "Gratis" for "Tidak dipungut biaya",
    # "Pelayanan Konsultasi" for "Layanan Konsultasi", an empty flow, and the eight management
    # components 000 lacks. Requirements, procedure, times, channels and classes are the same.
    assert {d.component for d in differences} == {
        "unit",
        "decree_number",
        "fees",
        "products",
        "complaint_flow",
        "legal_basis",
        "facilities",
        "competence",
        "supervision",
        "staffing",
        "service_guarantee",
        "safety_guarantee",
        "evaluation",
    }
    assert all(d.code == "merged_difference" for d in differences)
    by_component = {d.component: d.message for d in differences}
    assert a.source_name in by_component["fees"] and b.source_name in by_component["fees"]
    assert "'Gratis'" in by_component["fees"]
    assert by_component["fees"].endswith(f"kept {a.source_name}.")
    assert by_component["legal_basis"].endswith(f"kept {b.source_name}.")


def test_issues_follow_the_parts_that_were_kept():
    """003's "no SK" and "empty flow" issues disappear (000 supplies both); the typo fixes of
    the kept parts stay."""
    a, b = seed("000"), seed("003")
    merged, _ = merge_parsed([a, b])
    kept = {(i.code, i.component, i.source) for i in merged.issues}
    assert ("missing", "decree_number", b.source_name) not in kept
    assert ("missing", "complaint_flow", b.source_name) not in kept
    assert ("typo_fixed", "procedure", a.source_name) in kept
    assert ("typo_fixed", "safety_guarantee", b.source_name) in kept
    assert not [i for i in merged.issues if i.code == "missing"]


def test_richness_not_order_decides():
    """Swapping the documents gives the same merged content (same content hash)."""
    forward, _ = merge_parsed([seed("000"), seed("003")])
    backward, _ = merge_parsed([seed("003"), seed("000")])
    assert forward.content_hash() == backward.content_hash()


def test_more_items_then_more_text_then_first():
    """Per component: more items win; with as many items, more text; on a full tie the earlier
    document."""
    one = doc("one.txt", "Persyaratan\n1. KTP\n\nProduk Pelayanan\nSurat\n\nDasar Hukum\nUU 1\n")
    two = doc(
        "two.txt",
        "Persyaratan\n1. KTP\n2. KK\n\nProduk Pelayanan\nSurat Balasan\n\nDasar Hukum\nUU 2\n",
    )
    merged, differences = merge_parsed([one, two])
    assert merged.requirements == ["KTP", "KK"]
    assert merged.products == ["Surat Balasan"]
    assert merged.legal_basis == ["UU 1"]
    assert {d.component for d in differences} == {"requirements", "products", "legal_basis"}


def test_complaint_parts_come_from_different_documents():
    """Channels, flow and classes are chosen separately: each document contributes its part."""
    channels = doc(
        "a.txt", "Pengaduan Layanan\nPengaduan dapat dilakukan melalui :\n1) WA : 0812345678\n"
    )
    flow = doc("b.txt", "Pengaduan Layanan\nAlur Penanganan Pengaduan :\n1. Diterima\n2. Dijawab\n")
    classes = doc(
        "c.txt",
        "Pengaduan Layanan\nJangka Waktu Penyelesaian Pengaduan :\n1) Pengaduan ringan, 3 Jam\n",
    )
    merged, _ = merge_parsed([channels, flow, classes])
    assert [c.value for c in merged.complaint_channels] == ["0812345678"]
    assert merged.complaint_flow == ["Diterima", "Dijawab"]
    assert [c.code for c in merged.complaint_classes] == ["ringan"]
    assert not [i for i in merged.issues if i.component.startswith("complaint")]


def test_same_content_reports_no_difference():
    """Documents that differ only in case, spacing and punctuation are not "different"."""
    one = doc("one.txt", "Persyaratan\n1. Tanda Pengenal / Identitas;\n")
    two = doc("two.txt", "Persyaratan\n- tanda pengenal/identitas\n")
    merged, differences = merge_parsed([one, two])
    assert differences == []
    assert merged.requirements == ["Tanda Pengenal / Identitas"]


def test_single_document_and_no_document():
    """One document comes back as an equal copy without differences; none is an error."""
    only = seed("001")
    merged, differences = merge_parsed([only])
    assert merged == only and merged is not only
    assert differences == []
    with pytest.raises(ValueError, match="at least one"):
        merge_parsed([])


def test_inputs_are_not_modified():
    """The merged standard shares no lists with its inputs."""
    a, b = seed("000"), seed("003")
    before = (a.as_dict(), b.as_dict())
    merged, _ = merge_parsed([a, b])
    merged.legal_basis.append("extra")
    merged.requirements.clear()
    assert (a.as_dict(), b.as_dict()) == before
