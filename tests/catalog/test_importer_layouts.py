"""Layouts other agencies use (issue 19): several services in one document, flattened and glued
tables, Roman-numbered parts, tariff lists, times in sentences, pages that lost their labels.
Each test fails on the importer that was shaped on the five West Kalimantan seeds only."""

from __future__ import annotations

from layanan.catalog.importer import parse_standard, parse_standards
from layanan.catalog.importer.parser import parse_fee, split_services


def _times(parsed) -> list[tuple]:
    return [(d.value, d.unit) for d in parsed.completion_times]


def _fees(parsed) -> list[tuple]:
    return [(f.free, f.amount_idr, f.label) for f in parsed.fees]


MULTI = """PEMERINTAH KABUPATEN CONTOH
DINAS PENANAMAN MODAL DAN PTSP

JENIS LAYANAN

1. PERSETUJUAN PENANAMAN MODAL
Persyaratan
  1. Nomor Induk Berusaha (NIB)
  2. Fotokopi KTP Pemohon
Jangka Waktu Pelayanan : 5 Hari Kerja
Biaya :

Gratis (Non Retribusi)

2. IZIN PENELITIAN
Persyaratan
  1. Proposal Penelitian.
Jangka Waktu Pelayanan : 3 Hari Kerja
Biaya : Rp. 25.000,-
"""


def test_numbered_upper_case_service_headings_give_one_standard_each():
    """Two services under "1. PERSETUJUAN …" / "2. IZIN …" are two standards with their own
    times and fees, not one standard named after a line of the title."""
    parsed = parse_standards(MULTI, source_name="dpmptsp.txt")
    assert [p.service_name for p in parsed] == ["Persetujuan Penanaman Modal", "Izin Penelitian"]
    assert _times(parsed[0]) == [(5, "working_days")]
    assert _fees(parsed[0]) == [(True, None, "")]
    assert _times(parsed[1]) == [(3, "working_days")]
    assert _fees(parsed[1]) == [(False, 25000, "")]
    assert parsed[1].requirements == ["Proposal Penelitian"]
    assert all(p.source_name == "dpmptsp.txt" for p in parsed)


def test_listed_service_names_then_one_section_each():
    """A decree that lists its services ("meliputi: 1. Pelayanan Pendaftaran 2. …") and then
    repeats each name over its components gives one standard per section."""
    text = """KEPUTUSAN KEPALA PUSKESMAS CONTOH
Standar pelayanan meliputi:
1. Pelayanan Pendaftaran
2. Pelayanan Laboratorium

1. Pelayanan Pendaftaran
Persyaratan : Kartu berobat
Waktu Penyelesaian : 10 menit
Biaya : Gratis

2. Pelayanan Laboratorium
Persyaratan : Surat pengantar dokter
Waktu Penyelesaian : 2 jam
Tarif : Rp 15.000
"""
    parsed = parse_standards(text)
    assert [p.service_name for p in parsed] == ["Pelayanan Pendaftaran", "Pelayanan Laboratorium"]
    assert _times(parsed[1]) == [(2, "hours")]
    assert _fees(parsed[1]) == [(False, 15000, "")]


def test_repeated_jenis_pelayanan_labels_split_the_document():
    """ "Jenis Pelayanan : …" over each section starts a new service."""
    text = """Jenis Pelayanan : Legalisir Ijazah
Persyaratan : Ijazah asli
Jangka Waktu : 15 menit
Biaya : Gratis

Jenis Pelayanan : Surat Keterangan Pindah Sekolah
Persyaratan : Surat permohonan
Jangka Waktu : 1 (satu) hari kerja
Biaya : Gratis
"""
    parsed = parse_standards(text)
    assert [p.service_name for p in parsed] == [
        "Legalisir Ijazah",
        "Surat Keterangan Pindah Sekolah",
    ]
    assert _times(parsed[1]) == [(1, "working_days")]


def test_roman_numbered_parts_stay_one_service():
    """ "I. PENYAMPAIAN PELAYANAN / II. PENGELOLAAN PELAYANAN" are the two parts of one
    standard, not two services; upper-case component headings are read."""
    text = """STANDAR PELAYANAN PENERBITAN SURAT IZIN PRAKTIK BIDAN

I. PENYAMPAIAN PELAYANAN
1. PERSYARATAN
a. Fotokopi STR
2. JANGKA WAKTU PENYELESAIAN
14 (empat belas) hari kerja
3. BIAYA/TARIF
Tidak dipungut biaya
II. PENGELOLAAN PELAYANAN
1. DASAR HUKUM
a. Peraturan Menteri Kesehatan Nomor 28 Tahun 2017
2. JUMLAH PELAKSANA
3 orang
"""
    parsed = parse_standards(text)
    assert len(parsed) == 1
    (standard,) = parsed
    assert standard.service_name == "Penerbitan Surat Izin Praktik Bidan"
    assert _times(standard) == [(14, "working_days")]
    assert _fees(standard) == [(True, None, "")]
    assert standard.legal_basis == ["Peraturan Menteri Kesehatan Nomor 28 Tahun 2017"]
    assert standard.staff_count == 3


def test_numbered_standar_pelayanan_heading_names_the_service():
    """ "1. STANDAR PELAYANAN SURAT KETERANGAN PINDAH" names the service, even when it is the
    only one in the document."""
    text = """SURAT KEPUTUSAN CAMAT CONTOH
NOMOR : 140/12/SK/2022

1. STANDAR PELAYANAN SURAT KETERANGAN PINDAH

NO KOMPONEN URAIAN
1. Persyaratan 1. Surat Pengantar Desa
2. Waktu pelayanan Proses 1 (satu) hari kerja
3. Biaya /tariff Gratis
"""
    (parsed,) = parse_standards(text)
    assert parsed.service_name == "Surat Keterangan Pindah"
    assert parsed.requirements == ["Surat Pengantar Desa"]
    assert _times(parsed) == [(1, "working_days")]
    assert _fees(parsed) == [(True, None, "")]


def test_flattened_table_rows_carry_heading_and_content():
    """A "No Komponen Uraian" table whose cells lost their separators: the row starts with the
    component and goes on with its content ("1 Produk Pelayanan Dokumen Kartu Keluarga")."""
    text = """PENERBITAN KARTU KELUARGA

No Komponen Uraian
1 Produk Pelayanan Dokumen Kartu Keluarga
2 Jangka Waktu Penyelesaian Informasi ketersediaan layanan maksimal 15 menit
3 Biaya Tarif Gratis (Rp. 0,00;-)
4 Persyaratan administrasi lengkap
"""
    parsed = parse_standard(text)
    assert parsed.service_name == "Penerbitan Kartu Keluarga"
    assert parsed.products == ["Dokumen Kartu Keluarga"]
    assert _times(parsed) == [(15, "minutes")]
    assert _fees(parsed) == [(True, None, "")]
    # "Persyaratan administrasi lengkap" goes on in lower case: content (of the fee section),
    # not a heading
    assert parsed.requirements == []


def test_glued_table_rows_are_split():
    """ "3.Jangka Waktu Pelayanan10 (sepuluh) menit": a web table flattened without any
    separator still gives its components."""
    text = """LEGALISIR IJAZAH

NOKOMPONENURAIAN
1.PersyaratanAsli Ijazah
3.Jangka Waktu Pelayanan10 (sepuluh) menit
4.Biaya/TarifGratis
"""
    parsed = parse_standard(text)
    assert parsed.service_name == "Legalisir Ijazah"
    assert parsed.requirements == ["Asli Ijazah"]
    assert _times(parsed) == [(10, "minutes")]
    assert _fees(parsed) == [(True, None, "")]


def test_markdown_table_with_wrapped_cells():
    """A pipe table whose cells wrap over lines: the closing "|" of a cell is not content; two
    labelled times on one line are two times."""
    text = """| No | KOMPONEN | URAIAN |
| 1 | Jangka waktu penyelesaian |
Pendaftaran anggota : 10 Menit Layanan silang kunjung : 15 Menit |
| 2 | Biaya/tarif |
a. Tidak dipungut biaya (Gratis); b. Keterlambatan dikenakan denda sesuai Perda |
"""
    parsed = parse_standard(text)
    assert [(d.label, d.value) for d in parsed.completion_times] == [
        ("Pendaftaran anggota", 10),
        ("Layanan silang kunjung", 15),
    ]
    assert _fees(parsed) == [(True, None, "")]
    assert parsed.fee_note == "Keterlambatan dikenakan denda sesuai Perda"


def test_tariff_list_in_every_rupiah_spelling():
    """PNBP tariff lists: each item keeps its amount and what it is for, however the rupiah
    amount is written."""
    text = """PENERBITAN PASPOR

Biaya :
- Paspor biasa Rp. 350.000,-
- Paspor elektronik (e-Passport) Rp650.000,00
- Biaya beban paspor hilang : Rp 1.000.000
- Biaya beban paspor rusak Rp. 500,000
- Percepatan layanan = Rp.1.000.000,-
- Paspor hilang karena bencana alam Rp. 0,-
- Penggantian blanko sesuai PP No. 28 Tahun 2019
"""
    parsed = parse_standard(text)
    assert _fees(parsed) == [
        (False, 350000, "Paspor biasa"),
        (False, 650000, "Paspor elektronik (e-Passport)"),
        (False, 1000000, "Biaya beban paspor hilang"),
        (False, 500000, "Biaya beban paspor rusak"),
        (False, 1000000, "Percepatan layanan"),
        (True, None, "Paspor hilang karena bencana alam"),
    ]
    assert parsed.fee_note == "Penggantian blanko sesuai PP No. 28 Tahun 2019"


def test_parse_fee_decimal_and_small_amounts():
    """ "Rp 4.000,00" is four thousand, "Rp 100,00" one hundred, "Rp 50,000" fifty thousand."""
    assert parse_fee("Rp 4.000,00").amount_idr == 4000
    assert parse_fee("Rp 100,00").amount_idr == 100
    assert parse_fee("Rp 50,000").amount_idr == 50000
    assert parse_fee("Rp. 13.750.000,00").amount_idr == 13750000


def test_descriptive_fee_over_wrapped_lines_is_one_statement():
    """ "Tarif sesuai dengan / Perda … / … di" wrapped by the PDF is one descriptive fee."""
    text = """Layanan Uji

Biaya/Tarif
Bagi Pasien Non Jaminan Kesehatan Tarif Sesuai dengan

Perda Kabupaten Contoh tentang Retribusi no

8 tahun 2018 tentang Retribusi Pelayanan Kesehatan
"""
    parsed = parse_standard(text)
    assert parsed.fees == []
    assert parsed.fee_note.count("\n") == 0
    assert parsed.fee_note.startswith("Bagi Pasien") and parsed.fee_note.endswith("Kesehatan")


def test_completion_times_in_sentences_stages_and_calendar_days():
    """Times in a sentence, per stage, in hours and minutes, "x 24 jam" and calendar days are
    read; office hours are not a completion time; "sesuai …" stays descriptive."""
    text = """Layanan Uji

Waktu Pelayanan
Senin-Kamis pukul 08:00 WIB s/d 16:00 WIB
Proses 1 Minggu
"""
    parsed = parse_standard(text)
    assert _times(parsed) == [(7, "calendar_days")]
    assert "pukul" in parsed.completion_note

    stages = parse_standard(
        "Layanan Tiga\n\nJangka Waktu Penyelesaian\n"
        "a. Verifikasi berkas : 30 menit\nb. Pemeriksaan lapangan : 2 x 24 jam\n"
        "c. Penerbitan izin : 14 hari kalender\nd. Konsultasi : sesuai jadwal\n"
    )
    assert [(d.label, d.value, d.unit) for d in stages.completion_times] == [
        ("Verifikasi berkas", 30, "minutes"),
        ("Pemeriksaan lapangan", 2, "calendar_days"),
        ("Penerbitan izin", 14, "calendar_days"),
        ("Konsultasi", None, None),
    ]

    sentence = parse_standard(
        "Layanan Empat\n\nJangka Waktu Penyelesaian\n"
        "Pengaduan diselesaikan paling lambat 10 (sepuluh) hari kerja sejak diterima lengkap, "
        "dan dapat diperpanjang 7 (tujuh) hari kerja\n"
    )
    assert _times(sentence) == [(10, "working_days")]


def test_stage_list_without_times_is_one_descriptive_time():
    """A "Jangka Waktu" section that only lists stages names no time: one descriptive entry,
    not one per stage."""
    parsed = parse_standard(
        "Pengesahan STNK\n\nDeskripsi Jangka Waktu Penyelesaian :\n\n1. Informasi\n\n"
        "2. Pendaftaran\n\n3. Penetapan\n"
    )
    (duration,) = parsed.completion_times
    assert duration.value is None and "Pendaftaran" in duration.text


def test_page_without_labels_gives_time_and_fee():
    """SIPPN pages show the values without their labels: the line that states a time and the
    one that states a fee are read, and the report says they were guessed."""
    text = """Pelayanan Tera di Kantor

No. SK: 188/109/KEP/434.212/2022

  1. Surat Permohonan Tera/Tera Ulang
  2. KTP

1 Hari

TarifSesuai dengan Perda No. 9 Tahun 2020 Tentang Retribusi Jasa Umum

Tera
"""
    parsed = parse_standard(text)
    assert parsed.service_name == "Pelayanan Tera di Kantor"
    assert parsed.decree_number == "188/109/KEP/434.212/2022"
    assert _times(parsed) == [(1, "working_days")]
    assert parsed.fee_note.startswith("Tarif Sesuai dengan Perda")
    assert any(i.code == "unlabelled" for i in parsed.issues)


def test_title_is_not_a_value_a_bullet_a_date_or_a_numbered_hash():
    """Titles: "Standar Layanan X" keeps "Layanan X"; "KODE SP" announces the title; bullets,
    dates, "#1. …" worksheet steps and value lines are never the title."""
    assert parse_standard("Standar Layanan Perpustakaan\n\nBiaya : Gratis\n").service_name == (
        "Layanan Perpustakaan"
    )
    coded = parse_standard(
        "STANDAR PELAYANAN KEMENTERIAN CONTOH\n\nKODE SP: I.A\n\nPELAYANAN PEMBERIAN\n\n"
        "PERSETUJUAN SUBSTANSI\n\n1. Persyaratan : 1. Surat Permohonan\n"
    )
    assert coded.service_name == "Pelayanan Pemberian Persetujuan Substansi"
    assert parse_standard("17 Oktober 2025\n| 1 | Biaya | Gratis |\n").service_name == ""
    assert (
        parse_standard("  • This email address is protected\n\nKARTU KELUARGA\n\nBiaya : Gratis\n")
    ).service_name == "Kartu Keluarga"
    worksheet = parse_standard(
        "#1. Identifikasi Jenis Pelayanan\n1. SP Ruang Loket\n"
        "Jenis Pelayanan : Pelayanan Ruang Loket\nBiaya : Gratis\n"
    )
    assert worksheet.service_name == "Pelayanan Ruang Loket"
    assert parse_standard("Satu hari kerja\nTidak dipungut biaya\n").service_name == ""


def test_bulleted_component_heading():
    """ "- Biaya :" on a bulleted page is the fee heading; other bulleted lines stay content."""
    parsed = parse_standard("MASA BERLAKU DAN BIAYA\n- Biaya :\n- Paspor biasa Rp. 350.000,-\n")
    assert parsed.service_name == "Masa Berlaku dan Biaya"
    assert _fees(parsed) == [(False, 350000, "Paspor biasa")]


def test_lists_repeated_inside_sections_do_not_split():
    """A list given twice inside the components (a known PDF defect) is not a list of services:
    only names listed before the first component count."""
    text = """Layanan Uji

Prosedur
1. Pemohon datang ke loket
2. Petugas memeriksa berkas
1. Pemohon datang ke loket
2. Petugas memeriksa berkas
Biaya : Gratis
Pengaduan
1. Pemohon datang ke loket
2. Petugas memeriksa berkas
Dasar Hukum : UU 25/2009
"""
    assert split_services(text) == []
    (parsed,) = parse_standards(text)
    assert parsed.service_name == "Layanan Uji"


def test_single_document_is_not_split():
    """A one-service document (the seeds' layout) is not split, whatever its numbering."""
    assert split_services("Layanan Uji\n\n1. Persyaratan\n- KTP\n2. Biaya\nGratis\n") == []
