"""Plain text out of the documents offices publish: .txt/.md, .pdf (text layer) and .docx.

:func:`read_document` is the only entry point. What each format gives:

- ``.txt``/``.md``: the file decoded as UTF-8 (a BOM is dropped), falling back to Windows-1252 and
  finally Latin-1, so that a file saved by an old office PC still reads.
- ``.pdf``: the text layer of every page (pypdf), pages separated by a form feed on its own line
  (``"\\n\\f\\n"``). Scanned PDFs without a text layer give no text and are refused.
- ``.docx``: paragraphs and tables in document order. A table row becomes one line with its cells
  separated by a tab (merged cells only once), so that the two- and three-column layouts
  ("Persyaratan | 1. …", "NO | KOMPONEN | URAIAN") reach the parser as ``heading<TAB>content``.
  A cell with several paragraphs continues on the following lines. Word's automatic numbering is
  not part of a paragraph's text, so numbered/bulleted paragraphs get a ``"- "`` prefix, and
  paragraphs in a Heading style a ``"## "`` prefix.

Anything that cannot be read — unknown extension, missing, corrupt or encrypted file, no text —
raises :class:`DocumentReadError` with the path and a reason in English.
"""

from __future__ import annotations

import logging
from pathlib import Path

__all__ = ["SUPPORTED_SUFFIXES", "DocumentReadError", "read_document"]

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".pdf", ".docx")
PAGE_BREAK = "\n\f\n"


class DocumentReadError(Exception):
    """A document could not be turned into text."""

    def __init__(self, path: Path | str, reason: str):
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path.name}: {reason}")


def read_document(path: Path | str) -> str:
    """The plain text of a .txt/.md/.pdf/.docx document (see the module documentation)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise DocumentReadError(
            path,
            f"unsupported file type {suffix or '(none)'!r}; "
            f"expected one of {', '.join(SUPPORTED_SUFFIXES)}",
        )
    if not path.is_file():
        raise DocumentReadError(path, "file not found")
    try:
        if suffix == ".pdf":
            text = _read_pdf(path)
        elif suffix == ".docx":
            text = _read_docx(path)
        else:
            text = _decode(path.read_bytes())
    except DocumentReadError:
        raise
    except OSError as exc:
        raise DocumentReadError(path, f"cannot open the file ({exc.strerror or exc})") from exc
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise DocumentReadError(path, "the document contains no text")
    return text


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _read_pdf(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    # pypdf logs every recoverable oddity of a damaged file; the reason we raise is enough.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentReadError(path, "the PDF is encrypted")
        pages = [page.extract_text() or "" for page in reader.pages]
    except DocumentReadError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        raise DocumentReadError(path, f"not a readable PDF ({exc})") from exc
    if not any(page.strip() for page in pages):
        raise DocumentReadError(path, "the PDF has no text layer (a scan?)")
    return PAGE_BREAK.join(page.strip("\n") for page in pages)


def _read_docx(path: Path) -> str:
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise DocumentReadError(path, f"not a readable .docx file ({exc})") from exc
    lines: list[str] = []
    _docx_blocks(document, lines)
    return "\n".join(lines)


def _docx_blocks(container, lines: list[str]) -> None:
    from docx.table import Table

    for block in container.iter_inner_content():
        if isinstance(block, Table):
            _docx_table(block, lines)
        else:
            lines.append(_docx_paragraph(block))


def _docx_paragraph(paragraph) -> str:
    text = paragraph.text.strip()
    if not text:
        return ""
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    ppr = paragraph._p.pPr
    numbered = ppr is not None and ppr.numPr is not None
    if style.lower().startswith(("heading", "title")):
        return f"## {text}"
    if numbered or style.lower().startswith("list"):
        return f"- {text}"
    return text


def _docx_table(table, lines: list[str]) -> None:
    for row in table.rows:
        cells: list[str] = []
        seen = set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell appears once per grid column it spans
                continue
            seen.add(id(cell._tc))
            inner: list[str] = []
            _docx_blocks(cell, inner)
            cells.append("\n".join(line for line in inner if line.strip()).strip())
        if any(cells):
            lines.append("\t".join(cells))
    lines.append("")
