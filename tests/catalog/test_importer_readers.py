"""Reading documents into plain text (layanan.catalog.importer.readers).

The .docx and .pdf files are generated here (python-docx, WeasyPrint), so every expected string
is visible in the test.
"""

from __future__ import annotations

import zipfile

import docx
import pytest
import weasyprint

from layanan.catalog.importer.parser import parse_standard
from layanan.catalog.importer.readers import PAGE_BREAK, DocumentReadError, read_document

from .documents.table_layout import build_docx


def test_utf8_text_and_markdown(tmp_path):
    """.txt and .md are read as UTF-8 (a BOM is dropped), CRLF becomes LF; case of the
    extension does not matter."""
    txt = tmp_path / "a.TXT"
    txt.write_bytes("\ufeffPelayanan Konsultasi\r\nBiaya – Gratis\r\n".encode())
    assert read_document(txt) == "Pelayanan Konsultasi\nBiaya – Gratis\n"
    md = tmp_path / "b.md"
    md.write_text("# Judul\n\n- a. Surat Tugas;\n", encoding="utf-8")
    assert read_document(md).startswith("# Judul")


def test_windows_1252_and_latin1_fallback(tmp_path):
    """A file saved as Windows-1252 (en dash = 0x96) still reads; bytes that are not even
    cp1252 fall back to Latin-1 instead of failing."""
    cp = tmp_path / "cp.txt"
    cp.write_bytes("Biaya – Rp 50.000".encode("cp1252"))
    assert read_document(cp) == "Biaya – Rp 50.000"
    odd = tmp_path / "odd.txt"
    odd.write_bytes(b"Biaya \x81 Rp 50.000")
    assert read_document(odd) == "Biaya \x81 Rp 50.000"


def test_docx_paragraphs_and_two_column_table(tmp_path):
    """Paragraphs in order, numbered paragraphs marked "- ", headings "## ", and a two-column
    table as one line per row with the cells separated by a tab."""
    document = docx.Document()
    document.add_paragraph("Pelayanan Legalisir", style="Heading 1")
    document.add_paragraph("Surat permohonan", style="List Number")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Persyaratan"
    table.cell(0, 1).text = "1. KTP"
    table.cell(0, 1).add_paragraph("2. KK")
    table.cell(1, 0).text = "Biaya/Tarif"
    table.cell(1, 1).text = "Gratis"
    document.add_paragraph("Penutup")
    path = tmp_path / "legalisir.docx"
    document.save(path)

    text = read_document(path)
    assert text.splitlines() == [
        "## Pelayanan Legalisir",
        "- Surat permohonan",
        "Persyaratan\t1. KTP",
        "2. KK",
        "Biaya/Tarif\tGratis",
        "",
        "Penutup",
    ]


def test_docx_merged_cells_appear_once(tmp_path):
    """A cell merged across columns is one cell of the row, not repeated per grid column."""
    document = docx.Document()
    table = document.add_table(rows=1, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 1))
    merged.text = "Jangka Waktu Penyelesaian"
    table.cell(0, 2).text = "5 hari kerja"
    path = tmp_path / "merged.docx"
    document.save(path)
    assert read_document(path).splitlines()[0] == "Jangka Waktu Penyelesaian\t5 hari kerja"


def test_docx_three_column_table_layout(tmp_path):
    """The realistic NO | KOMPONEN | URAIAN document: one line per row, multi-line cells
    continue on the next lines."""
    text = read_document(build_docx(tmp_path / "kk.docx"))
    lines = text.splitlines()
    assert "NO\tKOMPONEN\tURAIAN" in lines
    row = lines.index("1\tPersyaratan\t1. Formulir F-1.01 yang telah diisi")
    assert lines[row + 1] == "2. Fotokopi buku nikah/akta perkawinan"
    assert "11\tJumlah Pelaksana\t8 (delapan) orang" in lines


def test_pdf_text_layer_with_page_breaks(tmp_path):
    """A PDF's text layer, pages separated by a form feed line; the parser reads it."""
    html = (
        "<h1>Pelayanan Konsultasi</h1><p>No. SK : 285/OR/2022</p>"
        "<h2>Persyaratan</h2><p>a. Surat Tugas;<br>b. Tanda pengenal/identitas.</p>"
        '<h2 style="page-break-before: always">Biaya / Tarif</h2><p>Rp 50.000</p>'
    )
    path = tmp_path / "konsultasi.pdf"
    path.write_bytes(weasyprint.HTML(string=html).write_pdf())
    text = read_document(path)
    assert PAGE_BREAK in text
    first, second = text.split(PAGE_BREAK)
    assert "No. SK : 285/OR/2022" in first
    assert "Rp 50.000" in second
    parsed = parse_standard(text, source_name=path.name)
    assert parsed.service_name == "Pelayanan Konsultasi"
    assert parsed.requirements == ["Surat Tugas", "Tanda pengenal/identitas"]
    assert parsed.fees[0].amount_idr == 50000


@pytest.mark.parametrize("name", ["standar.doc", "standar.odt", "standar"])
def test_unknown_extension(tmp_path, name):
    """Only .txt/.md/.pdf/.docx are read; anything else is a DocumentReadError naming it."""
    path = tmp_path / name
    path.write_bytes(b"x")
    with pytest.raises(DocumentReadError, match="unsupported file type") as error:
        read_document(path)
    assert error.value.path == path


def test_missing_file(tmp_path):
    """A path that does not exist is a DocumentReadError, not a bare OSError."""
    with pytest.raises(DocumentReadError, match="file not found"):
        read_document(tmp_path / "nope.txt")


def test_corrupt_pdf_and_docx(tmp_path):
    """Garbage with a .pdf or .docx name is refused with a reason."""
    pdf = tmp_path / "broken.pdf"
    pdf.write_bytes(b"not a pdf at all")
    with pytest.raises(DocumentReadError, match="not a readable PDF"):
        read_document(pdf)
    not_zip = tmp_path / "broken.docx"
    not_zip.write_bytes(b"PK but not really")
    with pytest.raises(DocumentReadError, match=r"not a readable \.docx"):
        read_document(not_zip)
    wrong_zip = tmp_path / "other.docx"
    with zipfile.ZipFile(wrong_zip, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(DocumentReadError, match=r"not a readable \.docx"):
        read_document(wrong_zip)


def test_empty_documents(tmp_path):
    """No text is an error: an empty or blank text file, a PDF without a text layer, an empty
    Word document."""
    blank = tmp_path / "blank.txt"
    blank.write_text(" \n\n\t\n", encoding="utf-8")
    with pytest.raises(DocumentReadError, match="no text"):
        read_document(blank)
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(
        weasyprint.HTML(
            string='<div style="width:50px;height:50px;background:black"></div>'
        ).write_pdf()
    )
    with pytest.raises(DocumentReadError, match="no text layer"):
        read_document(scan)
    empty_docx = tmp_path / "empty.docx"
    docx.Document().save(empty_docx)
    with pytest.raises(DocumentReadError, match="no text"):
        read_document(empty_docx)


def test_error_message_names_the_file(tmp_path):
    """str(error) starts with the file name so that the import report is readable."""
    path = tmp_path / "kosong.md"
    path.write_text("", encoding="utf-8")
    with pytest.raises(DocumentReadError) as error:
        read_document(path)
    assert str(error.value).startswith("kosong.md: ")
    assert error.value.reason == "the document contains no text"
