"""The standard parser (layanan.catalog.importer.parser) on small hand-written documents, two
realistic documents in other layouts, and the five real seeds.

Every expected value was read off the document text by hand.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from layanan.catalog import components as catalog_components
from layanan.catalog.importer.headings import match_heading
from layanan.catalog.importer.parser import (
    COMPONENTS,
    ParsedStandard,
    parse_fee,
    parse_standard,
)
from layanan.catalog.importer.readers import read_document

from .documents.table_layout import build_docx

DOCUMENTS = Path(__file__).parent / "documents"
SEEDS = Path(__file__).resolve().parents[2] / "data" / "seeds"  # copy of shared/seeds


def codes(parsed: ParsedStandard) -> set[tuple[str, str]]:
    return {(issue.code, issue.component) for issue in parsed.issues}


def seed(prefix: str) -> ParsedStandard:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return parse_standard(path.read_text(encoding="utf-8"), source_name=path.name)


# --- headings -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("Persyaratan", "requirements"),
        ("## 1. Persyaratan", "requirements"),
        ("Persyaratan :", "requirements"),
        ("## 2. Sistem, Mekanisme dan Prosedur", "procedure"),
        ("Sistem, Mekanisme, dan Prosedur", "procedure"),
        ("Waktu Penyelesaian", "completion_times"),
        ("## 3. Jangka Waktu Penyelesaian", "completion_times"),
        ("### Biaya / Tarif", "fees"),
        ("## 4. Biaya (tarif)", "fees"),
        ("### Produk Pelayanan", "products"),
        ("Pengaduan Layanan", "complaint_handling"),
        ("## 6. Penanganan Pengaduan, Saran, dan Masukan", "complaint_handling"),
        ("## 1. Dasar Hukum", "legal_basis"),
        ("I. DASAR HUKUM", "legal_basis"),
        ("## 2. Sarana, Prasarana, dan/atau Fasilitas", "facilities"),
        ("## 3. Kompetensi Pelaksana", "competence"),
        ("4. Pengawasan Internal", "supervision"),
        ("5) Jumlah Pelaksana", "staffing"),
        ("Jaminan Pelayanan", "service_guarantee"),
        ("Jaminan Keamanan dan Keselamatan Pelayanan", "safety_guarantee"),
        ("8. Evaluasi Kinerja Pelaksana", "evaluation"),
        ("3\tJangka Waktu Penyelesaian\t5 hari kerja", "completion_times"),
        ("| 4 | Biaya/Tarif | Gratis |", "fees"),
    ],
)
def test_heading_spellings_and_decorations(line, key):
    """Headings with or without '#', numbering (1. / 5) / I.), a colon, or as the first cell
    of a table row all name their component."""
    heading = match_heading(line)
    assert heading is not None and heading.key == key


@pytest.mark.parametrize(
    "line",
    [
        "Persyaratan administrasi lengkap",
        "- Persyaratan",
        "c. Jangka Waktu Penyelesaian Pengaduan :",
        "b. Alur Penanganan Pengaduan :",
        "Pengaduan dapat dilakukan melalui :",
        "Pelayanan Konsultasi",
        "## Biro Kesejahteraan Rakyat",
    ],
)
def test_content_lines_are_not_headings(line):
    """A sentence that starts with a component word, a bulleted line and the complaint
    sub-headings are content, not component headings."""
    assert match_heading(line) is None


def test_bold_numbered_headings_and_restarted_numbering():
    """Headings like "## **1. Dasar Hukum**" after "## 6. …": bold, and numbering that
    restarts at 1 for the management components (seed 003's layout)."""
    text = (
        "# Layanan Uji\n\n## 1. Persyaratan\n\n- a. KTP;\n\n"
        "## **1. Dasar Hukum**\n\n- a. UU 25/2009;\n\n## **3. Kompetensi Pelaksana**\n\n"
        "- a. Memahami tugas;\n"
    )
    parsed = parse_standard(text)
    assert parsed.requirements == ["KTP"]
    assert parsed.legal_basis == ["UU 25/2009"]
    assert parsed.competence == ["Memahami tugas"]


def test_heading_with_content_on_the_same_line():
    """Headings "Biaya : Gratis" and "Produk Pelayanan: Surat Balasan" carry content inline."""
    parsed = parse_standard("Layanan A\n\nBiaya : Gratis\nProduk Pelayanan: Surat Balasan\n")
    assert parsed.fees[0].free is True
    assert parsed.products == ["Surat Balasan"]


def test_markdown_pipe_table():
    """A markdown table "| NO | KOMPONEN | URAIAN |" with its rule row."""
    text = (
        "# Legalisir Ijazah\n\n| NO | KOMPONEN | URAIAN |\n|---|---|---|\n"
        "| 1 | Persyaratan | Fotokopi ijazah |\n| 2 | Jangka Waktu Penyelesaian | 30 menit |\n"
        "| 3 | Biaya/Tarif | Rp 10.000 |\n"
    )
    parsed = parse_standard(text)
    assert parsed.service_name == "Legalisir Ijazah"
    assert parsed.requirements == ["Fotokopi ijazah"]
    assert (parsed.completion_times[0].value, parsed.completion_times[0].unit) == (30, "minutes")
    assert parsed.fees[0].amount_idr == 10000


def test_complaint_subheading_named_like_a_component():
    """Inside the complaint section "b. Jangka Waktu :" is the classes sub-heading, not the
    completion-time component again."""
    text = (
        "Layanan Uji\n\nWaktu Penyelesaian\n1 hari kerja\n\nPengaduan Layanan\n"
        "a. Saluran :\n1) Kotak Pengaduan\nb. Jangka Waktu :\n1) Pengaduan ringan, 3 Jam\n"
        "2) Pengaduan bersifat normatif: 5 hari kerja\n\nDasar Hukum\n1. UU 25/2009\n"
    )
    parsed = parse_standard(text)
    assert [(d.value, d.unit) for d in parsed.completion_times] == [(1, "working_days")]
    assert [c.code for c in parsed.complaint_classes] == ["ringan", "normatif"]
    assert parsed.legal_basis == ["UU 25/2009"]


def test_table_rows_without_heading_cell():
    """A table row whose cells are not a heading is "cell : cell" (label and value); a row
    with empty leading cells continues the component above."""
    text = "Layanan Uji\n\nWaktu Penyelesaian\t\nAdministrasi\t15 menit\n\t\tKonsultasi : 1 jam\n"
    parsed = parse_standard(text)
    assert [(d.label, d.value, d.unit) for d in parsed.completion_times] == [
        ("Administrasi", 15, "minutes"),
        ("Konsultasi", 1, "hours"),
    ]


# --- list items -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "a. Surat Tugas;\nb. KTP;\nc. Berkas pendukung.",
        "- a. Surat Tugas;\n- b. KTP;\n- c. Berkas pendukung.",
        "1. Surat Tugas\n2. KTP\n3. Berkas pendukung",
        "1) Surat Tugas;\n2) KTP;\n3) Berkas pendukung",
        "1.) Surat Tugas\n2.) KTP\n3.) Berkas pendukung",
        "(1) Surat Tugas\n(2) KTP\n(3) Berkas pendukung",
        "- Surat Tugas\n- KTP\n- Berkas pendukung",
        "* Surat Tugas\n* KTP\n* Berkas pendukung",
        "• Surat Tugas;\n• KTP; dan\n• Berkas pendukung.",
        "Surat Tugas\nKTP\nBerkas pendukung",
        " - a. Surat Tugas\n - b. KTP\n - c. Berkas pendukung",
        "- 1) Surat Tugas; 2) KTP; 3) Berkas pendukung.",
    ],
)
def test_list_markers(body):
    """Every marker style (and none) gives the same three items, without markers and trailing
    ';' / '.' / 'dan'."""
    parsed = parse_standard(f"Layanan Uji\n\nPersyaratan\n\n{body}\n")
    assert parsed.requirements == ["Surat Tugas", "KTP", "Berkas pendukung"]


def test_items_run_together_on_one_line():
    """Seed 000's channel line: numbered items run together are split where the numbering
    continues, never inside "(0561)" or after "ext. 126"."""
    text = (
        "Layanan Uji\n\nPengaduan Layanan\n\na. Pengaduan dapat dilakukan melalui :\n\n"
        "- 1) Tatap Muka langsung; 2) Tertulis disampaikan ke Kotak Pengaduan;\n"
        "- 3) WA : 085828735503 4) Telepon : (0561) 736541 ext. 126 5) Faximile : (0561) 730062 "
        "6) Email : kesra@kalbarprov.go.id 7) Online melalui website SP4N-LAPOR! (www.lapor.go.id)"
    )
    channels = parse_standard(text).complaint_channels
    assert [(c.kind, c.value) for c in channels] == [
        ("face_to_face", ""),
        ("complaint_box", ""),
        ("whatsapp", "085828735503"),
        ("phone", "(0561) 736541 ext. 126"),
        ("fax", "(0561) 730062"),
        ("email", "kesra@kalbarprov.go.id"),
        ("lapor", "www.lapor.go.id"),
    ]
    assert channels[0].label == "Tatap Muka langsung"
    assert channels[6].label == "Online melalui website SP4N-LAPOR!"


def test_pdf_line_wraps_are_joined():
    """A line broken by PDF extraction continues its item: after "tentang", before a lower-case
    word, after a comma; a new capitalised line after a finished item is a new item."""
    text = (
        "Layanan Uji\n\nDasar Hukum\n\n"
        "1. Undang-Undang Nomor 25 Tahun 2009 tentang\n   Pelayanan Publik;\n"
        "2. Peraturan Daerah Nomor 8 Tahun 2015 tentang Penyelenggaraan\n   pelayanan publik;\n"
        "3. Peraturan Gubernur Nomor 92 Tahun 2016,\n   Petunjuk Pelaksanaan;\n"
        "Sarana, Prasarana dan/atau Fasilitas\n\nRuang tunggu\nKomputer\n"
    )
    parsed = parse_standard(text)
    assert parsed.legal_basis == [
        "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik",
        "Peraturan Daerah Nomor 8 Tahun 2015 tentang Penyelenggaraan pelayanan publik",
        "Peraturan Gubernur Nomor 92 Tahun 2016, Petunjuk Pelaksanaan",
    ]
    assert parsed.facilities == ["Ruang tunggu", "Komputer"]


def test_duplicated_procedure_list_is_kept_once():
    """Seed 004: the procedure as a lettered list and again as a numbered list → one copy and
    a duplicate_list issue; an introducing "Prosedur :" line is not an item."""
    text = (
        "Layanan Uji\n\nSistem, Mekanisme dan Prosedur\n\nProsedur :\n\n"
        "- a. Datang ke petugas\n - b. Menyampaikan keperluan\n"
        "1. Datang ke petugas\n 2. Menyampaikan keperluan\n"
    )
    parsed = parse_standard(text)
    assert parsed.procedure == ["Datang ke petugas", "Menyampaikan keperluan"]
    assert ("duplicate_list", "procedure") in codes(parsed)


def test_single_repeated_item_is_dropped():
    """An item repeated inside a list is dropped once and reported."""
    parsed = parse_standard("Layanan Uji\n\nPersyaratan\n\n1. KTP\n2. KK\n3. KTP\n")
    assert parsed.requirements == ["KTP", "KK"]
    assert ("duplicate_list", "requirements") in codes(parsed)


def test_service_delivery_group_label_is_not_an_item():
    """Lines "### Service Delivery" (seed 000) and "A. KOMPONEN … PENYAMPAIAN PELAYANAN" are group
    labels, not procedure steps or titles."""
    text = (
        "# Layanan Uji\n\nA. KOMPONEN STANDAR PELAYANAN YANG TERKAIT DENGAN PROSES PENYAMPAIAN "
        "PELAYANAN\n\nSistem, Mekanisme dan Prosedur\n\n### Service Delivery\n\n- a. Datang;\n"
    )
    parsed = parse_standard(text)
    assert parsed.service_name == "Layanan Uji"
    assert parsed.procedure == ["Datang"]


# --- header, title, decree ------------------------------------------------------------------

HEADER = (
    "Biro Kesejahteraan Rakyat\n\n"
    "Jl. Jenderal Ahmad Yani, Bangka Belitung Laut, Kec. Pontianak Tenggara, Kota Pontianak,\n"
    "Kalimantan Barat 78124 78124 085828735503\n\n"
    "[birokesra.kalbarprov.go.id](http://birokesra.kalbarprov.go.id)\n\n"
    "Pemerintah Provinsi Kalimantan Barat / Biro Kesejahteraan Rakyat\n\n"
)


def test_page_header_repeated_mid_text_is_cut():
    """The page header block reappears inside the completion-time section (a PDF page break):
    it is cut there, and the first one gives the unit name and contact hints."""
    text = (
        HEADER
        + "Pelayanan Uji\n\nNo. SK : 1/UJI/2024\n\nWaktu Penyelesaian\n\n"
        + HEADER.replace("Biro Kesejahteraan Rakyat\n", "## Biro Kesejahteraan Rakyat\n", 1)
        + "15 Menit\n\nBiaya / Tarif\n\n"
        + HEADER
        + "Gratis\n"
    )
    parsed = parse_standard(text)
    assert parsed.unit_name == "Biro Kesejahteraan Rakyat"
    assert parsed.service_name == "Pelayanan Uji"
    assert parsed.decree_number == "1/UJI/2024"
    assert [d.text for d in parsed.completion_times] == ["15 Menit"]
    assert [f.text for f in parsed.fees] == ["Gratis"]
    assert parsed.completion_note == "" and parsed.fee_note == ""
    assert parsed.unit_hints == ["085828735503", "birokesra.kalbarprov.go.id"]


def test_kop_surat_letterhead_and_title_after_standar_pelayanan():
    """An all-caps letterhead without breadcrumb: the unit is the first organisation that is
    not the government itself; the title follows "STANDAR PELAYANAN" and is title-cased."""
    text = (
        "PEMERINTAH KABUPATEN SANGGAU\nDINAS KESEHATAN\nJl. Jenderal Sudirman No. 5, Sanggau "
        "78511\n\nSTANDAR PELAYANAN\nPENERBITAN SURAT IZIN PRAKTIK BIDAN (SIPB)\n\n"
        "Persyaratan\n1. Ijazah\n"
    )
    parsed = parse_standard(text)
    assert parsed.unit_name == "Dinas Kesehatan"
    assert parsed.service_name == "Penerbitan Surat Izin Praktik Bidan (SIPB)"


def test_no_header_gives_no_unit_but_hints():
    """Seed 003 style: no page header, so no unit name; the contacts in the complaint section
    are still hints (national LAPOR! site excluded)."""
    text = (
        "# Pelayanan Konsultasi\n\nPengaduan Layanan\n\na. Pengaduan dapat dilakukan melalui :\n"
        "  - 1) WA : 085828735503\n"
        "  - 2) Email : [kesra@kalbarprov.go.id](mailto:kesra@kalbarprov.go.id)\n"
        "  - 3) *Online* melalui website SP4N-LAPOR! ([www.lapor.go.id](http://www.lapor.go.id))\n"
    )
    parsed = parse_standard(text)
    assert parsed.unit_name == ""
    assert sorted(parsed.unit_hints) == ["085828735503", "kesra@kalbarprov.go.id"]
    assert parsed.complaint_channels[1].value == "kesra@kalbarprov.go.id"
    assert parsed.complaint_channels[2].label == "Online melalui website SP4N-LAPOR!"


def test_markdown_links_become_plain_text():
    """Markdown "[text](url)" becomes its text everywhere, including the broken
    "umum@[kalbarprov.go.id](mailto:…)" of seed 004."""
    text = (
        "Layanan Uji\n\nProduk Pelayanan\n\n1. [Surat Balasan](http://x.go.id/surat)\n\n"
        "Pengaduan Layanan\n\n1) Email : umum@[kalbarprov.go.id](mailto:umum@kalbarprov.go.id)\n"
    )
    parsed = parse_standard(text)
    assert parsed.products == ["Surat Balasan"]
    assert parsed.complaint_channels[0].value == "umum@kalbarprov.go.id"


@pytest.mark.parametrize(
    ("line", "issue"),
    [
        ("No. SK :", "'No. SK' is present but has no number."),
        ("No. SK : -", "'No. SK' is present but has no number."),
        ("", "The document gives no decree number (No. SK)."),
    ],
)
def test_missing_decree_number(line, issue):
    """An empty "No. SK :" and no SK line at all both leave the decree empty and say so."""
    parsed = parse_standard(f"Layanan Uji\n\n{line}\n\nPersyaratan\n\n1. KTP\n")
    assert parsed.decree_number == ""
    assert [i.message for i in parsed.issues if i.code == "missing"] == [issue]
    assert "decree_number" in parsed.missing_components()


def test_decree_number_variants():
    """Variants "Nomor SK : …" and a table row "No. SK | …" are read too; a decree in the legal
    basis is not the standard's own SK."""
    assert parse_standard("X\nNomor SK : 12/KPTS/2023\n").decree_number == "12/KPTS/2023"
    assert parse_standard("X\nNo. SK\t45/2020\n").decree_number == "45/2020"
    parsed = parse_standard("X\n\nDasar Hukum\nKeputusan Nomor 5 Tahun 2020\n")
    assert parsed.decree_number == ""
    assert parsed.legal_basis == ["Keputusan Nomor 5 Tahun 2020"]


# --- corrections ----------------------------------------------------------------------------


def test_typos_are_fixed_and_reported():
    """Typos "Spritual", "failitasi" and an e-mail domain ".g.id" are corrected; each fix is a
    typo_fixed issue naming the component."""
    text = (
        "Biro Perekonomian\n\nbiroekonomi@kalbarprov.g.id\n\n"
        "Pemerintah Provinsi Kalimantan Barat / Biro Perekonomian\n\nLayanan Uji\n\n"
        "Sistem, Mekanisme dan Prosedur\n\n"
        "- a. Konsultasi dari Bagian Bina Mental Spritual;\n"
        "- b. Menyerahkan surat permohonan failitasi\n"
    )
    parsed = parse_standard(text)
    assert parsed.procedure == [
        "Konsultasi dari Bagian Bina Mental Spiritual",
        "Menyerahkan surat permohonan fasilitasi",
    ]
    assert parsed.unit_hints == ["biroekonomi@kalbarprov.go.id"]
    messages = {(i.component, i.message) for i in parsed.issues if i.code == "typo_fixed"}
    assert messages == {
        ("procedure", "Corrected 'Spritual' to 'Spiritual'."),
        ("procedure", "Corrected 'failitasi' to 'fasilitasi'."),
        ("unit", "Corrected 'biroekonomi@kalbarprov.g.id' to 'biroekonomi@kalbarprov.go.id'."),
    }


# --- completion times and fees --------------------------------------------------------------


def test_completion_times_headline_not_counted_twice():
    """A headline "15 Menit" above "Administrasi : 15 Menit" is the same figure: two times
    (Administrasi 15 minutes, Konsultasi without value), no ambiguity."""
    text = (
        "Layanan Uji\n\nWaktu Penyelesaian\n\n15 Menit\n\nAdministrasi : 15 Menit\n\n"
        "Konsultasi : Sesuai materi konsultasi\n"
    )
    parsed = parse_standard(text)
    assert [(d.label, d.value, d.unit) for d in parsed.completion_times] == [
        ("Administrasi", 15, "minutes"),
        ("Konsultasi", None, None),
    ]
    assert not {code for code, _ in codes(parsed)} & {"ambiguous_duration"}


def test_a_different_headline_is_kept():
    """An unlabelled duration that differs from the labelled ones is a completion time of its
    own."""
    text = "Layanan Uji\n\nWaktu Penyelesaian\n\n1 Jam\n\nAdministrasi : 15 Menit\n"
    parsed = parse_standard(text)
    assert [(d.value, d.unit) for d in parsed.completion_times] == [(1, "hours"), (15, "minutes")]


def test_bare_hari_and_free_text_note():
    """Seed 004: "2 Hari" is read as 2 working days with an ambiguous_duration issue; the
    sentence after it is kept as the completion note, not as a duration."""
    text = (
        "Layanan Uji\n\nWaktu Penyelesaian\n\n2 Hari\n\n"
        "Proses Fasilitasi Penggunaan Sarana Prasarana Kantor dapat terlaksanakan dalam 2 Hari,\n"
    )
    parsed = parse_standard(text)
    (duration,) = parsed.completion_times
    assert (duration.value, duration.unit, duration.ambiguous) == (2, "working_days", True)
    assert parsed.completion_note == (
        "Proses Fasilitasi Penggunaan Sarana Prasarana Kantor dapat terlaksanakan dalam 2 Hari"
    )
    assert ("ambiguous_duration", "completion_times") in codes(parsed)


@pytest.mark.parametrize(
    ("text", "free", "amount", "label"),
    [
        ("Gratis", True, None, ""),
        ("Tidak dipungut biaya", True, None, ""),
        ("Tidak dikenakan biaya", True, None, ""),
        ("Rp 0,-", True, None, ""),
        ("Rp 50.000", False, 50000, ""),
        ("Rp. 1.500.000,-", False, 1500000, ""),
        ("Rp50000", False, 50000, ""),
        ("Rp 2,500,000.00", False, 2500000, ""),
        ("Biaya penerbitan : Rp 75.000,00", False, 75000, "Biaya penerbitan"),
        ("Pendaftaran : Gratis", True, None, "Pendaftaran"),
    ],
)
def test_fee_lines(text, free, amount, label):
    """Free-of-charge wordings and rupiah amounts in their usual spellings."""
    fee = parse_fee(text)
    assert fee is not None
    assert (fee.free, fee.amount_idr, fee.label, fee.text) == (free, amount, label, text)


def test_fee_without_amount_goes_to_the_note():
    """A fee line that is neither free nor an amount ("sesuai Perda …") is kept as fee_note."""
    text = "Layanan Uji\n\nBiaya/Tarif\n\nRetribusi sesuai Peraturan Daerah Nomor 3 Tahun 2020\n"
    parsed = parse_standard(text)
    assert parsed.fees == []
    assert parsed.fee_note == "Retribusi sesuai Peraturan Daerah Nomor 3 Tahun 2020"
    assert "fees" not in parsed.missing_components()


# --- complaint section ----------------------------------------------------------------------


def test_complaint_subsections_inline():
    """Seed 001 style: "- a. … : 1) … 7) …", "- b. Alur … : 1.) … 4.)", "- c. … : 1) … 4) …" each
    on one line."""
    text = (
        "Layanan Uji\n\nPengaduan Layanan\n\n"
        "- a. Pengaduan dapat dilakukan melalui : 1) Tatap Muka; 2) Tertulis ke Kotak Pengaduan;"
        " 3) WA : 085828735503\n"
        "- b. Alur Penanganan Pengaduan : 1.) Pengguna menyampaikan aduan 2.) Pejabat menerima "
        "aduan 3.) Tim Pengelola pengaduan 4.) Pengguna menerima jawaban\n"
        "- c. Jangka Waktu Penyelesaian Pengaduan : 1) Pengaduan ringan, selambat-lambatnya 3 Jam;"
        " 2) Pengaduan bersifat normatif, selambat-lambatnya 5 hari kerja; 3) Pengaduan tidak "
        "berkadar pengawasan, selambat-lambatnya 14 hari kerja; 4) Pengaduan berkadar pengawasan "
        "dan memerlukan pemeriksaan, selambat-lambatnya 60 hari kerja.\n"
    )
    parsed = parse_standard(text)
    assert [c.kind for c in parsed.complaint_channels] == [
        "face_to_face",
        "complaint_box",
        "whatsapp",
    ]
    assert parsed.complaint_flow == [
        "Pengguna menyampaikan aduan",
        "Pejabat menerima aduan",
        "Tim Pengelola pengaduan",
        "Pengguna menerima jawaban",
    ]
    assert [(c.code, c.duration.value, c.duration.unit) for c in parsed.complaint_classes] == [
        ("ringan", 3, "hours"),
        ("normatif", 5, "working_days"),
        ("tidak_berkadar_pengawasan", 14, "working_days"),
        ("berkadar_pengawasan", 60, "working_days"),
    ]
    assert parsed.complaint_classes[3].name == (
        "Pengaduan berkadar pengawasan dan memerlukan pemeriksaan"
    )
    assert not [i for i in parsed.issues if i.component.startswith("complaint")]


GARBLED = (
    "Layanan Uji\n\nPengaduan Layanan\n\na. Pengaduan dapat dilakukan melalui :\n\n"
    "- 1) Tatap Muka langsung kepada Pejabat Pengelola Pengaduan;\n"
    "- 2) Tertulis disampaikan ke Kotak Pengaduan;\n"
    "- 3) Email : umum@kalbarprov.go.id\n"
    "- 4) *Online* melalui website 1) Pengguna Layanan Menyampaikan Aduan Secara Lisan\n"
    "- 4) Pengguna Layanan Menerima Jawaban Pengaduan\n\n"
    "c. Jangka Waktu Penyelesaian Pengaduan :\n\n"
    "- 1) Pengaduan ringan, selambat-lambatnya 3 Jam;\n"
    "- 2) Pengaduan bersifat normatif, selambat-lambatnya 5 hari kerja;\n\n"
    "Pengaduan berkadar pengawasan dan memerlukan pemeriksaan, selambat-lambatnya 60 hari kerja.\n"
)


def test_garbled_complaint_section_is_reported_and_salvaged():
    """Seed 004's broken complaint section: the last channel runs into flow step 1 (the
    'Alur' heading is lost), steps 2-3 and class 3 are missing. It is one garbled_section
    issue; the clear channels, the two flow steps and three classes are kept."""
    parsed = parse_standard(GARBLED)
    assert [c.kind for c in parsed.complaint_channels] == [
        "face_to_face",
        "complaint_box",
        "email",
        "website",
    ]
    assert parsed.complaint_channels[3].label == "Online melalui website"
    assert parsed.complaint_flow == [
        "Pengguna Layanan Menyampaikan Aduan Secara Lisan",
        "Pengguna Layanan Menerima Jawaban Pengaduan",
    ]
    assert [c.code for c in parsed.complaint_classes] == [
        "ringan",
        "normatif",
        "berkadar_pengawasan",
    ]
    garbled = [i for i in parsed.issues if i.code == "garbled_section"]
    assert len(garbled) == 1
    assert garbled[0].component == "complaint_handling"
    assert "runs into the complaint flow" in garbled[0].message
    assert "steps 2, 3 are missing" in garbled[0].message
    assert "tidak berkadar pengawasan" in garbled[0].message


def test_empty_flow_and_ignored_line():
    """An empty "b. Alur …" is a missing complaint_flow; a line in the classes that has no
    deadline is reported as ignored_text, not parsed as a class."""
    text = (
        "Layanan Uji\n\nPengaduan Layanan\n\na. Pengaduan dapat dilakukan melalui :\n"
        "1) Kotak Pengaduan\n\nb. Alur Penanganan Pengaduan :\n\n\n"
        "c. Jangka Waktu Penyelesaian Pengaduan :\n"
        "- 1) Pengaduan ringan, selambat-lambatnya 3 Jam;\n"
        "- Pengaduan diselesaikan dengan baik\n"
    )
    parsed = parse_standard(text)
    assert parsed.complaint_flow == []
    assert ("missing", "complaint_flow") in codes(parsed)
    assert ("ignored_text", "complaint_handling") in codes(parsed)
    assert len(parsed.complaint_classes) == 1


def test_complaint_class_with_ambiguous_days():
    """A class "Pengaduan ringan: 2 hari" → code ringan, 2 working days, flagged ambiguous."""
    text = (
        "Layanan Uji\n\nPengaduan Layanan\n\nJangka waktu penyelesaian pengaduan:\n"
        "- Pengaduan ringan: 2 hari\n"
    )
    parsed = parse_standard(text)
    (klass,) = parsed.complaint_classes
    assert (klass.code, klass.duration.value, klass.duration.ambiguous) == ("ringan", 2, True)
    assert ("ambiguous_duration", "complaint_classes") in codes(parsed)


# --- staff and evaluation -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "count"),
    [
        ("5 (lima) orang", 5),
        ("lima orang", 5),
        ("Sebanyak 12 orang pelaksana", 12),
        ("Kepala Bagian : 1 orang\nStaf : 4 orang", 5),
        ("5 orang, terdiri dari:\n1 orang Kepala Subbagian\n4 orang staf", 5),
        ("Disesuaikan dengan kebutuhan", None),
    ],
)
def test_staff_count(body, count):
    """Staff "5 (lima) orang" → 5; several lines are added up unless the first is their total."""
    parsed = parse_standard(f"Layanan Uji\n\nJumlah Pelaksana\n\n{body}\n")
    assert parsed.staff_count == count
    assert parsed.staff_text


@pytest.mark.parametrize(
    ("line", "meetings", "surveys"),
    [
        ("Rapat minimal 1 (satu) kali dalam 1 (satu) bulan", 1, None),
        ("Survei Kepuasan Masyarakat dilakukan 2 (dua) kali dalam 1 (satu) tahun", None, 2),
        ("Rapat evaluasi dilaksanakan 2 (dua) kali sebulan", 2, None),
        ("SKM dilaksanakan setiap semester", None, 2),
        ("Survei kepuasan setiap triwulan", None, 4),
        ("Rapat evaluasi setiap 3 (tiga) bulan", None, None),
        ("Evaluasi standar pelayanan dilakukan untuk perbaikan", None, None),
    ],
)
def test_evaluation_cadence(line, meetings, surveys):
    """Meeting cadence per month and survey frequency per year, whole numbers only."""
    parsed = parse_standard(f"Layanan Uji\n\nEvaluasi Kinerja Pelaksana\n\n- a. {line};\n")
    assert (parsed.meetings_per_month, parsed.surveys_per_year) == (meetings, surveys)


# --- output shape ---------------------------------------------------------------------------


def test_components_registry_matches_the_catalogue():
    """COMPONENTS is the decree number plus the 14 components in the catalogue's keys and
    order (layanan.catalog.components)."""
    assert len(COMPONENTS) == 15
    assert COMPONENTS[0] == ("decree_number", "Nomor SK")
    assert [key for key, _ in COMPONENTS[1:]] == [c.key for c in catalog_components.COMPONENTS]


def test_as_dict_is_json_and_round_trips():
    """as_dict() is plain JSON; from_dict() rebuilds an equal ParsedStandard."""
    parsed = seed("001")
    data = json.loads(json.dumps(parsed.as_dict()))
    assert data["complaint_classes"][0]["duration"]["unit"] == "hours"
    assert ParsedStandard.from_dict(data) == parsed


def test_content_hash_tracks_content_only():
    """The hash ignores the file name, the issues and the letterhead, and changes with the
    content."""
    text = (SEEDS / "001_6ee5447df4eec370.txt").read_text(encoding="utf-8")
    first = parse_standard(text, source_name="a.txt")
    renamed = parse_standard(text, source_name="b.pdf")
    assert first.content_hash() == renamed.content_hash()
    assert len(first.content_hash()) == 64
    other_header = parse_standard(text.replace("085828735503\n", "0811111111\n"))
    assert other_header.unit_hints != first.unit_hints
    assert other_header.content_hash() == first.content_hash()
    edited = parse_standard(text.replace("b. Tanda pengenal/identitas.", "b. KTP."))
    assert edited.content_hash() != first.content_hash()


def test_odd_input_never_raises():
    """Empty, binary-looking or shuffled text gives a (mostly empty) result, never an
    exception."""
    for text in ["", "   \n\n", "\x00\x01 binary", "Persyaratan", "Pengaduan Layanan\n- 1) 2) 3)"]:
        assert isinstance(parse_standard(text), ParsedStandard)
    lines = [
        line
        for path in sorted(SEEDS.glob("*.txt"))
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
    rng = random.Random(4)
    for _ in range(50):
        rng.shuffle(lines)
        parse_standard("\n".join(lines[: rng.randint(0, len(lines))]))


# --- realistic documents in other layouts ---------------------------------------------------


def test_dinas_numbered_list_layout():
    """A PDF-extracted standard of a Kabupaten DPMPTSP: letterhead (repeated after the page
    break with a page number), "STANDAR PELAYANAN" title, group labels, wrapped lines, a
    Rp 50.000 fee, letter-paren channels, a 'ringan 2 hari kerja' class, staff lines adding
    up, a signature block at the end."""
    path = DOCUMENTS / "dpmptsp_izin_reklame.txt"
    parsed = parse_standard(path.read_text(encoding="utf-8"), source_name=path.name)
    assert parsed.unit_name == "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"
    assert parsed.service_name == "Penerbitan Izin Reklame"
    assert parsed.decree_number == "503/12/DPMPTSP/2024"
    assert len(parsed.requirements) == 4
    assert parsed.requirements[2] == (
        "Gambar/desain reklame berwarna beserta ukuran dan titik lokasi pemasangan"
    )
    assert len(parsed.procedure) == 5
    (duration,) = parsed.completion_times
    assert (duration.value, duration.unit, duration.ambiguous) == (5, "working_days", False)
    assert [(f.label, f.free, f.amount_idr) for f in parsed.fees] == [
        ("Biaya penerbitan izin", False, 50000),
        ("Pendaftaran", True, None),
    ]
    assert parsed.fee_note.startswith("Pajak reklame dipungut sesuai")
    assert parsed.products == ["Izin Reklame"]
    assert [(c.kind, c.value) for c in parsed.complaint_channels] == [
        ("complaint_box", ""),
        ("whatsapp", "0812-5678-9012"),
        ("email", "pengaduan.dpmptsp@kuburayakab.go.id"),
        ("website", "dpmptsp.kuburayakab.go.id"),
        ("lapor", "www.lapor.go.id"),
    ]
    assert len(parsed.complaint_flow) == 3
    assert [(c.code, c.duration.value, c.duration.unit) for c in parsed.complaint_classes] == [
        ("ringan", 2, "working_days"),
        ("berat", 14, "working_days"),
    ]
    assert parsed.legal_basis[1] == (
        "Peraturan Daerah Kabupaten Kubu Raya Nomor 3 Tahun 2020 tentang Pajak Daerah"
    )
    assert len(parsed.facilities) == 3
    assert parsed.supervision == ["Atasan langsung", "Inspektorat Kabupaten Kubu Raya"]
    assert parsed.staff_count == 6
    assert parsed.service_guarantee == [
        "Pelayanan diberikan sesuai standar pelayanan yang telah ditetapkan"
    ]
    assert len(parsed.evaluation) == 2  # the signature block is not an item
    assert (parsed.meetings_per_month, parsed.surveys_per_year) == (2, 2)
    assert parsed.missing_components() == []
    assert parsed.issues == []
    assert parsed.unit_hints[:2] == ["dpmptsp@kuburayakab.go.id", "(0561) 6725678"]


def test_disdukcapil_table_layout_docx(tmp_path):
    """A Kota Disdukcapil standard as a Word table "NO | KOMPONEN | URAIAN": read with the
    .docx reader, every component lands in place."""
    text = read_document(build_docx(tmp_path / "kk.docx"))
    parsed = parse_standard(text, source_name="kk.docx")
    assert parsed.unit_name == "Dinas Kependudukan dan Pencatatan Sipil"
    assert parsed.service_name == "Penerbitan Kartu Keluarga (KK)"
    assert parsed.decree_number == "470/112/DUKCAPIL/2023"
    assert parsed.requirements == [
        "Formulir F-1.01 yang telah diisi",
        "Fotokopi buku nikah/akta perkawinan",
        "Kartu Keluarga lama (untuk perubahan data)",
    ]
    assert len(parsed.procedure) == 5
    assert [(d.label, d.value, d.unit) for d in parsed.completion_times] == [
        ("Pelayanan di loket", 60, "minutes"),
        ("Penerbitan dokumen", 1, "working_days"),
    ]
    assert [(f.free, f.amount_idr) for f in parsed.fees] == [(True, None)]
    assert parsed.products == ["Kartu Keluarga (KK)"]
    assert [(c.kind, c.value) for c in parsed.complaint_channels] == [
        ("complaint_box", ""),
        ("phone", "(0561) 733322"),
        ("whatsapp", "0811-5670-123"),
        ("email", "disdukcapil@pontianak.go.id"),
        ("lapor", "www.lapor.go.id"),
    ]
    assert len(parsed.complaint_flow) == 3
    assert [(c.code, c.duration.value, c.duration.unit) for c in parsed.complaint_classes] == [
        ("ringan", 1, "calendar_days"),
        ("normatif", 5, "working_days"),
    ]
    assert parsed.legal_basis[1] == "Peraturan Presiden Nomor 96 Tahun 2018"
    assert parsed.staff_count == 8
    assert parsed.service_guarantee == ["Maklumat pelayanan dipasang di ruang tunggu"]
    # once every three months is not a whole number per month; once a year is
    assert (parsed.meetings_per_month, parsed.surveys_per_year) == (None, 1)
    assert len(parsed.evaluation) == 2  # "Pontianak, 3 Juli 2023" below the table is not one
    assert parsed.missing_components() == []


# --- the five real seeds --------------------------------------------------------------------

CONSULTATION_PROCEDURE = [
    "Tamu/Pengguna Layanan menuju ke Petugas Informasi",
    "Menyampaikan keperluan, mengisi buku tamu",
    "Menerima Informasi dari Petugas",
    "Menerima layanan konsultasi dari Bagian Bina Mental Spiritual, Bagian Pelayanan Dasar "
    "dan Bagian Pelayanan Non Dasar",
]
KESRA_CLASSES = [
    ("ringan", 3, "hours"),
    ("normatif", 5, "working_days"),
    ("tidak_berkadar_pengawasan", 14, "working_days"),
    ("berkadar_pengawasan", 60, "working_days"),
]
MANAGEMENT = [
    "legal_basis",
    "facilities",
    "competence",
    "supervision",
    "staffing",
    "service_guarantee",
    "safety_guarantee",
    "evaluation",
]


def classes_of(parsed):
    return [(c.code, c.duration.value, c.duration.unit) for c in parsed.complaint_classes]


def test_seed_000_kesra_consultation():
    """000: Biro Kesra consultation, SK 285/OR/2022, service delivery components only; the
    '15 Menit' headline is not counted twice; 7 channels from two run-together lines."""
    parsed = seed("000")
    assert parsed.unit_name == "Biro Kesejahteraan Rakyat"
    assert parsed.service_name == "Pelayanan Konsultasi"
    assert parsed.decree_number == "285/OR/2022"
    assert parsed.requirements == [
        "Surat Tugas",
        "Dokumen/berkas pendukung",
        "Tanda pengenal/identitas",
    ]
    assert parsed.procedure == CONSULTATION_PROCEDURE
    assert [(d.label, d.value, d.unit) for d in parsed.completion_times] == [
        ("Administrasi", 15, "minutes"),
        ("Konsultasi", None, None),
    ]
    assert [(f.free, f.text) for f in parsed.fees] == [(True, "Tidak dipungut biaya")]
    assert parsed.products == ["Layanan Konsultasi"]
    assert [c.kind for c in parsed.complaint_channels] == [
        "face_to_face",
        "complaint_box",
        "whatsapp",
        "phone",
        "fax",
        "email",
        "lapor",
    ]
    assert parsed.complaint_channels[3].value == "(0561) 736541 ext. 126"
    assert parsed.complaint_flow == [
        "Pengguna Layanan Menyampaikan aduan secara lisan/telepon/tertulis"
    ]
    assert classes_of(parsed) == KESRA_CLASSES
    assert parsed.missing_components() == MANAGEMENT
    assert "birokesra.kalbarprov.go.id" in parsed.unit_hints
    assert ("typo_fixed", "procedure") in codes(parsed)  # Spritual
    assert not {"missing", "garbled_section"} & {code for code, _ in codes(parsed)}


def test_seed_001_kesra_audience():
    """001: Biro Kesra audience facilitation, same SK, '3 Hari' ambiguous, complaint
    sub-sections each on one line."""
    parsed = seed("001")
    assert parsed.unit_name == "Biro Kesejahteraan Rakyat"
    assert parsed.service_name == (
        "Fasilitasi Audiensi Instansi Pemerintah, Pemerintah Daerah dan Lembaga Lain"
    )
    assert parsed.decree_number == "285/OR/2022"
    assert parsed.requirements == [
        "Surat permohonan fasilitasi rapat/audiensi",
        "Tanda pengenal/identitas",
    ]
    assert len(parsed.procedure) == 4
    (duration,) = parsed.completion_times
    assert (duration.value, duration.unit, duration.ambiguous) == (3, "working_days", True)
    assert ("ambiguous_duration", "completion_times") in codes(parsed)
    assert parsed.products == ["Fasilitasi rapat/audiensi"]
    assert len(parsed.complaint_channels) == 7
    assert len(parsed.complaint_flow) == 4
    assert classes_of(parsed) == KESRA_CLASSES
    assert parsed.missing_components() == MANAGEMENT


def test_seed_002_perekonomian_consultation():
    """002: Biro Perekonomian consultation, empty 'No. SK :', the '.g.id' e-mail typo in the
    header fixed, its own WA and e-mail channels, a scrambled copy of the flow ignored."""
    parsed = seed("002")
    assert parsed.unit_name == "Biro Perekonomian"
    assert parsed.service_name == "Pelayanan Konsultasi"
    assert parsed.decree_number == ""
    assert ("missing", "decree_number") in codes(parsed)
    assert "biroekonomi@kalbarprov.go.id" in parsed.unit_hints
    assert not any(".g.id" in hint for hint in parsed.unit_hints)
    assert ("typo_fixed", "unit") in codes(parsed)
    assert parsed.requirements == [
        "Surat Tugas",
        "Dokumen / Berkas Pendukung",
        "Tanda Pengenal / Identitas",
    ]
    assert parsed.procedure == CONSULTATION_PROCEDURE
    assert [(d.label, d.value) for d in parsed.completion_times] == [
        ("Administrasi", 15),
        ("Konsultasi", None),
    ]
    channels = {c.kind: c.value for c in parsed.complaint_channels}
    assert channels["whatsapp"] == "081649112053"
    assert channels["phone"] == "(0561) 736541 ext. 213"
    assert channels["email"] == "perekonomian@kalbarprov.go.id"
    assert len(parsed.complaint_flow) == 4
    assert classes_of(parsed) == KESRA_CLASSES
    assert ("ignored_text", "complaint_handling") in codes(parsed)
    assert parsed.missing_components() == ["decree_number", *MANAGEMENT]


def test_seed_003_consultation_without_header():
    """003: no page header (unit unknown, hints from the channels), no SK line, 'Gratis', an
    empty complaint flow, and all eight management components."""
    parsed = seed("003")
    assert parsed.unit_name == ""
    assert "kesra@kalbarprov.go.id" in parsed.unit_hints
    assert "085828735503" in parsed.unit_hints
    assert parsed.service_name == "Pelayanan Konsultasi"
    assert parsed.decree_number == ""
    assert ("missing", "decree_number") in codes(parsed)
    assert parsed.procedure == CONSULTATION_PROCEDURE
    assert [(f.free, f.text) for f in parsed.fees] == [(True, "Gratis")]
    assert parsed.products == ["Pelayanan Konsultasi"]
    assert parsed.complaint_channels[5].value == "kesra@kalbarprov.go.id"
    assert parsed.complaint_flow == []
    assert ("missing", "complaint_flow") in codes(parsed)
    assert classes_of(parsed) == KESRA_CLASSES
    assert len(parsed.legal_basis) == 6
    assert parsed.legal_basis[1] == "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik"
    assert len(parsed.facilities) == 3
    assert len(parsed.competence) == 4
    assert len(parsed.supervision) == 3
    assert (parsed.staff_count, parsed.staff_text) == (5, "5 (lima) orang")
    assert len(parsed.service_guarantee) == 2
    assert len(parsed.safety_guarantee) == 2
    assert "sarana prasarana yang berlaku" in parsed.safety_guarantee[1]  # "prasana" fixed
    assert len(parsed.evaluation) == 3
    assert (parsed.meetings_per_month, parsed.surveys_per_year) == (1, 2)
    assert parsed.missing_components() == ["decree_number"]


def test_seed_004_biro_umum_facility():
    """004: Biro Umum facility use, empty SK, duplicated procedure, 'failitasi', '2 Hari'
    ambiguous with a free-text note, the garbled complaint section."""
    parsed = seed("004")
    assert parsed.unit_name == "Biro Umum"
    assert parsed.service_name == "Fasilitasi Pengguna Sarana Prasarana Kantor"
    assert parsed.decree_number == ""
    assert parsed.requirements == ["Surat permintaan atau permohonan Fasilitasi"]
    assert parsed.procedure == [
        "Tamu/Pengguna Layanan menuju ke Petugas layanan",
        "Menyampaikan keperluan",
        "Menyerahkan surat permintaan atau permohonan fasilitasi",
        "Menerima pemberitahuan untuk penggunaan Sarana Prasarana kantor",
    ]
    (duration,) = parsed.completion_times
    assert (duration.value, duration.unit, duration.ambiguous) == (2, "working_days", True)
    assert "dalam 2 Hari" in parsed.completion_note
    assert [c.kind for c in parsed.complaint_channels] == [
        "face_to_face",
        "complaint_box",
        "whatsapp",
        "phone",
        "fax",
        "email",
        "website",
    ]
    assert parsed.complaint_channels[2].value == "0853-8768-7304"
    assert parsed.complaint_channels[5].value == "umum@kalbarprov.go.id"
    assert len(parsed.complaint_flow) == 2
    assert [c.code for c in parsed.complaint_classes] == [
        "ringan",
        "normatif",
        "berkadar_pengawasan",
    ]
    assert {
        ("missing", "decree_number"),
        ("duplicate_list", "procedure"),
        ("typo_fixed", "procedure"),
        ("ambiguous_duration", "completion_times"),
        ("garbled_section", "complaint_handling"),
    } <= codes(parsed)
    assert parsed.missing_components() == ["decree_number", *MANAGEMENT]
