"""Importing *Standar Pelayanan* documents: read (``readers``), parse (``parser``), merge.

Pure Python: nothing here touches the database. Storing the result is
``layanan.catalog.services.standard_import_parsed``; the pipeline is ``layanan.catalog.imports``.
"""

from .merge import merge_parsed
from .parser import (
    COMPONENTS,
    Channel,
    ComplaintClass,
    Fee,
    ImportIssue,
    ParsedStandard,
    parse_standard,
    parse_standards,
)
from .readers import DocumentReadError, read_document

__all__ = [
    "COMPONENTS",
    "Channel",
    "ComplaintClass",
    "DocumentReadError",
    "Fee",
    "ImportIssue",
    "ParsedStandard",
    "merge_parsed",
    "parse_standard",
    "parse_standards",
    "read_document",
]
