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
        "completion time",
    ),
    "fees": (
        "biaya tarif",
        "biaya atau tarif",
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


def match_heading(line: str) -> Heading | None:
    """The component a line is the heading of, with content given on the same line."""
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
        return None  # a bulleted line is content
    text = _NUMBERING.sub("", text)
    key = _alias_key(text.rstrip(":").strip())
    if key:
        return Heading(key, [])
    if ":" in text:
        head, rest = text.split(":", 1)
        key = _alias_key(head)
        if key:
            return Heading(key, [rest.strip()] if rest.strip() else [])
    return None
