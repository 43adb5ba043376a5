"""Recognising component headings in their many spellings and layouts.

A heading is a whole line (or the first cell of a table row) that names a component, with any
decoration around it: markdown ``#``, bold, numbering (``1.``, ``A.``, ``IV.``, ``3)``), a
trailing colon, table pipes or tabs. Words that merely *start* a sentence are not headings:
"Persyaratan administrasi lengkap" is content, "Persyaratan :" or "Persyaratan : KTP" is a
heading (with inline content after the colon).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import norm

#: Normalised heading texts (see :func:`layanan.catalog.importer.text.norm`) per component.
ALIASES: dict[str, tuple[str, ...]] = {
    "requirements": (
        "persyaratan",
        "persyaratan pelayanan",
        "persyaratan layanan",
        "persyaratan administrasi",
        "persyaratan teknis dan administratif",
        "persyaratan administratif",
        "persyaratan pelayanan dan administrasi",
        "syarat",
        "syarat syarat",
        "requirements",
    ),
    "procedure": (
        "sistem mekanisme dan prosedur",
        "sistem mekanisme prosedur",
        "sistem mekanisme dan prosedur pelayanan",
        "mekanisme dan prosedur",
        "prosedur pelayanan",
        "alur pelayanan",
        "prosedur",
        "mekanisme dan prosedur pelayanan",
        "procedure",
    ),
    "completion_times": (
        "waktu penyelesaian",
        "jangka waktu penyelesaian",
        "jangka waktu pelayanan",
        "jangka waktu penyelesaian pelayanan",
        "waktu penyelesaian pelayanan",
        "waktu pelayanan",
        "jangka waktu",
        "deskripsi jangka waktu penyelesaian",
        "jangka waktu layanan",
        "waktu layanan",
        "completion time",
    ),
    "fees": (
        "biaya tarif",
        "biaya tariff",
        "biaya atau tarif",
        "biaya retribusi",
        "biaya dan tarif",
        "biaya",
        "tarif",
        "biaya tarif pelayanan",
        "biaya pelayanan",
        "fee",
        "fees",
    ),
    "products": (
        "produk pelayanan",
        "produk layanan",
        "produk",
        "produk spesifikasi jenis pelayanan",
        "hasil pelayanan",
        "products",
    ),
    "complaint_handling": (
        "pengaduan layanan",
        "pengaduan pelayanan",
        "penanganan pengaduan saran dan masukan",
        "penanganan pengaduan saran masukan",
        "penanganan pengaduan saran dan masukan kritik",
        "penanganan pengaduan",
        "pengelolaan pengaduan",
        "pengaduan saran dan masukan",
        "pengaduan",
        "complaints",
    ),
    "legal_basis": ("dasar hukum", "landasan hukum", "legal basis"),
    "facilities": (
        "sarana prasarana dan atau fasilitas",
        "sarana dan prasarana dan atau fasilitas",
        "sarana prasarana dan fasilitas",
        "sarana dan prasarana",
        "sarana prasarana",
        "sarana dan fasilitas",
        "fasilitas",
        "facilities",
    ),
    "competence": ("kompetensi pelaksana", "kompetensi", "kompetensi petugas"),
    "supervision": ("pengawasan internal", "pengawasan intern", "pengawasan"),
    "staffing": ("jumlah pelaksana", "jumlah petugas", "jumlah pegawai", "jumlah sdm"),
    "service_guarantee": ("jaminan pelayanan", "jaminan layanan"),
    "safety_guarantee": (
        "jaminan keamanan dan keselamatan pelayanan",
        "jaminan keamanan dan keselamatan",
        "jaminan keselamatan dan keamanan pelayanan",
        "jaminan keselamatan dan keamanan",
        "jaminan keamanan",
    ),
    "evaluation": (
        "evaluasi kinerja pelaksana",
        "evaluasi kinerja",
        "evaluasi kinerja petugas",
        "evaluasi",
    ),
}
ALIAS_TO_KEY = {alias: key for key, aliases in ALIASES.items() for alias in aliases}

# Labels of the two component groups, dropped wherever they appear ("### Service Delivery").
_GROUP_LABELS = re.compile(
    r"^(?:komponen\b.*|service delivery|manufacturing|penyampaian pelayanan|"
    r"pengelolaan pelayanan|komponen standar pelayanan.*)$"
)
# Table header rows of the "NO | KOMPONEN | URAIAN" layout.
_TABLE_HEADER_WORDS = {
    "no",
    "nomor",
    "komponen",
    "uraian",
    "keterangan",
    "komponen standar pelayanan",
    "uraian keterangan",
    "penjelasan",
    "isi",
}
_NUMBERING = re.compile(r"^(?:\d{1,2}|[A-Za-z]|[IVXivx]{1,4})\s*[.)]\s*")
_CELL_NUMBER = re.compile(r"^(?:\d{1,2}|[A-Za-z]|[IVXivx]{1,4})[.)]?$")


@dataclass
class Heading:
    key: str
    inline: list[str]  # content on the heading line itself (after ":" or in other cells)


def table_cells(line: str) -> list[str] | None:
    """The cells of a table row (tab- or pipe-separated), or None for an ordinary line."""
    stripped = line.strip()
    if "\t" in stripped:
        cells = stripped.split("\t")
    elif stripped.startswith("|") and stripped.count("|") >= 2:
        cells = stripped.strip("|").split("|")
    else:
        return None
    return [cell.strip() for cell in cells]


def is_table_rule(line: str) -> bool:
    """``|---|:---:|`` separator rows of markdown tables."""
    stripped = line.strip()
    return bool(stripped) and stripped[0] == "|" and set(stripped) <= set("|-:= ")


def is_table_header(cells: list[str]) -> bool:
    filled = [norm(c) for c in cells if norm(c)]
    return bool(filled) and all(c in _TABLE_HEADER_WORDS for c in filled)


def is_group_label(line: str) -> bool:
    """Group names such as "Service Delivery", "Komponen … (manufacturing)": not content."""
    text = _NUMBERING.sub("", line.strip().lstrip("#").strip())
    return bool(_GROUP_LABELS.match(norm(text)))


def _alias_key(text: str) -> str | None:
    return ALIAS_TO_KEY.get(norm(text))


def is_flat_table_header(line: str) -> bool:
    """A table header row whose cells lost their separators: "NO KOMPONEN URAIAN",
    "No. Komponen Uraian", "NOKOMPONENURAIAN", "Komponen Uraian" (web and PDF exports)."""
    return norm(line.lstrip("#")).replace(" ", "") in _FLAT_HEADERS


_FLAT_HEADERS = {
    "nokomponenuraian",
    "komponenuraian",
    "nomorkomponenuraian",
    "nokomponenuraianketerangan",
    "nokomponenstandarpelayananuraian",
    "nokomponenpenjelasan",
}
# A table row glued to its cells: "3.Jangka Waktu Pelayanan10 (sepuluh) menit".
_GLUED_ROW = re.compile(r"^\s*\d{1,2}\.(?=[A-Z])")
_ROW_NUMBER = re.compile(r"^\s*(?:\d{1,2}|[A-Za-z]|[IVXivx]{1,4})\s*[.)]?\s+|^\s*\d{1,2}\.(?=\S)")
_BULLET_HEADING = re.compile(r"^[-*•]\s+(?P<text>[^:]+?)\s*:\s*$")


def unglue_row(line: str) -> str:
    """ "1.PersyaratanAsli Ijazah" → "1. Persyaratan Asli Ijazah": spaces back between a row
    number and its cells and where a lower-case letter meets a capital or a digit."""
    if not _GLUED_ROW.match(line):
        return line
    line = re.sub(r"^(\s*\d{1,2}\.)", r"\1 ", line, count=1)
    return re.sub(r"(?<=[a-z])(?=[A-Z0-9])", " ", line)


def _prefix_heading(text: str) -> Heading | None:
    """A heading at the start of a flattened table row, with the row's content after it:
    "Jangka Waktu Penyelesaian Informasi … 15 menit", "Biaya /tariff Gratis". The longest
    alias wins, and only when what follows does not continue the sentence (it starts with a
    capital, a digit or punctuation), so "Persyaratan administrasi lengkap" stays content."""
    tokens = list(re.finditer(r"[0-9a-z]+", text.casefold()))
    for size in range(min(len(tokens), 7), 0, -1):
        key = ALIAS_TO_KEY.get(" ".join(t.group(0) for t in tokens[:size]))
        if not key:
            continue
        rest = text[tokens[size - 1].end() :]
        stripped = rest.strip(" :.-–\t")
        if stripped and stripped[0].islower():
            return None  # the sentence goes on: "Persyaratan administrasi lengkap"
        return Heading(key, [stripped] if stripped else [])
    return None


def match_heading(line: str, *, loose: bool = False) -> Heading | None:
    """The component a line is the heading of, with content given on the same line.

    ``loose`` (documents laid out as a flattened "No | Komponen | Uraian" table): a line may
    also *start* with the heading and continue with the content, without a colon.
    """
    stripped = line.strip()
    if not stripped:
        return None
    cells = table_cells(stripped)
    if cells is not None:
        while cells and (not cells[0] or _CELL_NUMBER.match(cells[0])):
            cells = cells[1:]
        if not cells:
            return None
        head = _NUMBERING.sub("", cells[0].lstrip("#").strip())
        key = _alias_key(head.rstrip(":"))
        if key:
            return Heading(key, [c for c in cells[1:] if c])
        return None
    has_hash = stripped.startswith("#")
    text = stripped.lstrip("#").strip()
    if not has_hash and text[:1] in "-*•":
        bulleted = _BULLET_HEADING.match(text)
        key = _alias_key(bulleted.group("text")) if bulleted else None
        return Heading(key, []) if key else None  # "- Biaya :"; other bulleted lines: content
    text = _NUMBERING.sub("", text)
    key = _alias_key(text.rstrip(":").strip())
    if key:
        return Heading(key, [])
    if ":" in text:
        head, rest = text.split(":", 1)
        key = _alias_key(head)
        if key:
            return Heading(key, [rest.strip()] if rest.strip() else [])
    if loose:
        numbered = _ROW_NUMBER.match(stripped)
        body = stripped[numbered.end() :] if numbered else stripped.lstrip("#").strip()
        return _prefix_heading(body)
    return None
