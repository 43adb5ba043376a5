"""A realistic standard in the "NO | KOMPONEN | URAIAN" table layout, written as a .docx.

Kept as Python data (not a binary .docx in the repository) so that a reviewer can read it; the
tests build the Word file from it with python-docx.
"""

from __future__ import annotations

from pathlib import Path

LETTERHEAD = [
    "PEMERINTAH KOTA PONTIANAK",
    "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL",
    "Jl. Letnan Jenderal Sutoyo No. 1, Pontianak 78121 Telp. (0561) 733322",
]
TITLE = ["STANDAR PELAYANAN", "PENERBITAN KARTU KELUARGA (KK)", "No. SK : 470/112/DUKCAPIL/2023"]

ROWS = [
    ("NO", "KOMPONEN", "URAIAN"),
    (
        "1",
        "Persyaratan",
        "1. Formulir F-1.01 yang telah diisi\n"
        "2. Fotokopi buku nikah/akta perkawinan\n"
        "3. Kartu Keluarga lama (untuk perubahan data)",
    ),
    (
        "2",
        "Sistem, Mekanisme dan Prosedur",
        "1. Pemohon mengambil nomor antrean\n"
        "2. Petugas memverifikasi berkas\n"
        "3. Operator merekam data pada SIAK\n"
        "4. Kepala Dinas menandatangani KK secara elektronik\n"
        "5. KK diserahkan kepada pemohon",
    ),
    (
        "3",
        "Jangka Waktu Penyelesaian",
        "Pelayanan di loket : 60 menit\nPenerbitan dokumen : 1 (satu) hari kerja",
    ),
    ("4", "Biaya/Tarif", "Tidak dipungut biaya (Gratis)"),
    ("5", "Produk Pelayanan", "Kartu Keluarga (KK)"),
    (
        "6",
        "Penanganan Pengaduan, Saran dan Masukan",
        "Pengaduan dapat disampaikan melalui:\n"
        "1. Kotak pengaduan di ruang tunggu\n"
        "2. Telepon: (0561) 733322\n"
        "3. WhatsApp: 0811-5670-123\n"
        "4. Email: Disdukcapil@Pontianak.go.id\n"
        "5. SP4N-LAPOR! (www.lapor.go.id)\n"
        "Alur penanganan pengaduan:\n"
        "1. Pengaduan diterima dan dicatat petugas\n"
        "2. Pengaduan diteruskan kepada Kepala Bidang\n"
        "3. Jawaban disampaikan kepada pengadu\n"
        "Jangka waktu penyelesaian pengaduan:\n"
        "1. Pengaduan ringan: 1 x 24 jam\n"
        "2. Pengaduan bersifat normatif: 5 hari kerja",
    ),
    (
        "7",
        "Dasar Hukum",
        "1. Undang-Undang Nomor 24 Tahun 2013 tentang Perubahan atas Undang-Undang Nomor 23 "
        "Tahun 2006 tentang Administrasi Kependudukan\n"
        "2. Peraturan Presiden Nomor 96 Tahun 2018",
    ),
    (
        "8",
        "Sarana, Prasarana dan/atau Fasilitas",
        "Ruang tunggu, nomor antrean, komputer, printer, jaringan internet",
    ),
    ("9", "Kompetensi Pelaksana", "Memahami SIAK dan ketentuan administrasi kependudukan"),
    ("10", "Pengawasan Internal", "Kepala Dinas dan Inspektorat Kota Pontianak"),
    ("11", "Jumlah Pelaksana", "8 (delapan) orang"),
    ("12", "Jaminan Pelayanan", "Maklumat pelayanan dipasang di ruang tunggu"),
    ("13", "Jaminan Keamanan dan Keselamatan Pelayanan", "Data penduduk dijaga kerahasiaannya"),
    (
        "14",
        "Evaluasi Kinerja Pelaksana",
        "Evaluasi dilakukan 1 (satu) kali dalam 3 (tiga) bulan\n"
        "Survei Kepuasan Masyarakat 1 (satu) kali setahun",
    ),
]


def build_docx(path: Path) -> Path:
    """Write the document: letterhead and title as paragraphs, then the 3-column table, each
    multi-line cell as one paragraph per line (as people type them in Word)."""
    import docx

    document = docx.Document()
    for line in LETTERHEAD:
        document.add_paragraph().add_run(line).bold = True
    document.add_paragraph("")
    for line in TITLE:
        document.add_paragraph(line)
    table = document.add_table(rows=0, cols=3)
    for row in ROWS:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            lines = text.split("\n")
            cell.text = lines[0]
            for line in lines[1:]:
                cell.add_paragraph(line)
    document.add_paragraph("Pontianak, 3 Juli 2023")
    document.save(path)
    return path
