"""The organisation file's format and what a valid file becomes: the keys and limits, a problem
with its line (:class:`FileProblem`, :class:`OrganisationFileError`), where a table or a key
stands in the text (:class:`SourceMap`), and the specs that reading returns and loading writes.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from layanan.core.errors import ApplicationError

#: The organisation Layanan ships with (used by ``load_demo`` and the test suite).
SHIPPED_ORGANISATION = Path(settings.BASE_DIR) / "data" / "organisations" / "kalbar.toml"

#: Shorthands accepted for ``time_zone`` besides the IANA names of TimeZone.
ZONE_SHORTHANDS = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

#: Keys a unit (and the organisation, which is the top unit) may have, with their max length.
TEXT_FIELDS = {
    "slug": 80,
    "name": 200,
    "short_name": 60,
    "code": 12,
    "kind": 20,
    "time_zone": 40,
    "address": 2000,
    "phone": 60,
    "whatsapp": 40,
    "email": 254,
    "website": 200,
}
UNIT_KEYS = {*TEXT_FIELDS, "parent", "hours"}
ORGANISATION_KEYS = set(TEXT_FIELDS) | {"hours"}
TOP_KEYS = {"organisation", "unit", "member"}
#: Keys of a ``[[member]]`` table and of one entry of its ``roles`` list.
MEMBER_KEYS = {"username", "name", "email", "unit", "role", "roles"}
ROLE_KEYS = {"unit", "role"}
#: Tables written as arrays (``[[unit]]``, ``[[member]]``): their blocks are numbered in order.
ARRAY_TABLES = ("unit", "member")
#: Model fields written from the file (everything but the tree and the hours).
STORED_FIELDS = (
    "name",
    "short_name",
    "code",
    "kind",
    "time_zone",
    "address",
    "phone",
    "whatsapp",
    "email",
    "website",
)

HOURS_RE = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*[-–]\s*(\d{1,2})[:.](\d{2})\s*$")


# --- errors -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileProblem:
    line: int | None
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return _("line %(line)d: %(message)s") % {"line": self.line, "message": self.message}


class OrganisationFileError(ApplicationError):
    """The file is not a valid organisation file; ``problems`` lists each one with its line."""

    def __init__(self, problems: list[FileProblem]):
        self.problems = sorted(problems, key=lambda p: (p.line or 0, p.message))
        super().__init__("\n".join(str(p) for p in self.problems), "organisation_file_invalid")


# --- where things are in the source text ----------------------------------------------------

_HEADER_RE = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY_RE = re.compile(r"^\s*([A-Za-z0-9_\-]+|\"[^\"]*\")\s*(\.\s*[A-Za-z0-9_\-]+\s*)?=")


class SourceMap:
    """Line numbers of tables and keys (tomllib reports them for syntax errors only).

    The file is cut into blocks at table headers; ``[[unit]]`` blocks are numbered in order,
    which is also the order tomllib returns them in. Sub-tables (``[unit.hours]``) belong to
    the ``[[unit]]`` before them.
    """

    def __init__(self, text: str):
        self.blocks: dict[tuple[str, int], list[tuple[int, int]]] = {}
        self.array_lines: dict[str, list[int]] = {name: [] for name in ARRAY_TABLES}
        self.organisation_line: int | None = None
        current: tuple[str, int] = ("", 0)
        start = 1
        lines = text.splitlines()
        spans: dict[tuple[str, int], list[tuple[int, int]]] = {}

        def close(end: int) -> None:
            spans.setdefault(current, []).append((start, end))

        for number, line in enumerate(lines, start=1):
            match = _HEADER_RE.match(line)
            if not match or line.lstrip().startswith("#"):
                continue
            close(number - 1)
            name = match.group(2).replace(" ", "")
            head = name.split(".", 1)[0]
            if match.group(1) == "[[" and name in ARRAY_TABLES:
                self.array_lines[name].append(number)
                current = (name, len(self.array_lines[name]) - 1)
            elif head in ARRAY_TABLES and name != head and self.array_lines[head]:
                current = (head, len(self.array_lines[head]) - 1)
            elif name == "organisation" or name.startswith("organisation."):
                if name == "organisation":
                    self.organisation_line = number
                current = ("organisation", 0)
            else:
                current = (name, 0)
            start = number
        close(len(lines))
        self.blocks = spans
        self.lines = lines

    @property
    def unit_lines(self) -> list[int]:
        return self.array_lines["unit"]

    def table(self, kind: str, index: int = 0) -> int | None:
        if kind in ARRAY_TABLES:
            found = self.array_lines[kind]
            return found[index] if index < len(found) else None
        if kind == "organisation":
            return self.organisation_line
        spans = self.blocks.get((kind, 0))
        return spans[0][0] if spans else None

    def key(self, kind: str, index: int, key: str, *, within: str = "") -> int | None:
        """The line of ``key =`` inside the table (or its sub-tables), else that of ``within``
        (e.g. an inline ``hours = { … }``), else the table's line."""
        found = self._key(kind, index, key)
        if found is None and within:
            found = self._key(kind, index, within)
        return found if found is not None else self.table(kind, index)

    def item(self, kind: str, index: int, key: str, position: int) -> int | None:
        """The line of the ``position``-th inline table of the list ``key = [ {…}, {…} ]``
        (counted by its opening brace), else the line of ``key``."""
        start = self.key(kind, index, key)
        if start is None or self._key(kind, index, key) is None:
            return start
        seen = 0
        for number in range(start, len(self.lines) + 1):
            text = self.lines[number - 1]
            if number > start and _HEADER_RE.match(text):
                break
            seen += text.split("#", 1)[0].count("{")
            if seen > position:
                return number
        return start

    def _key(self, kind: str, index: int, key: str) -> int | None:
        for first, last in self.blocks.get((kind, index), []):
            for number in range(first, last + 1):
                match = _KEY_RE.match(self.lines[number - 1])
                if match and match.group(1).strip('"') == key:
                    return number
                header = _HEADER_RE.match(self.lines[number - 1])
                if header and header.group(2).replace(" ", "").endswith("." + key):
                    return number
        return None


# --- the validated content ------------------------------------------------------------------


@dataclass
class UnitSpec:
    slug: str
    parent: str | None  # None for the organisation (the top unit)
    fields: dict[str, str]
    hours: dict[int, tuple[dt.time, dt.time] | None] | None  # None: inherits
    line: int | None = None


@dataclass
class MemberSpec:
    username: str
    name: str  # the user's full name
    email: str
    roles: list[tuple[str, str]]  # (unit slug, role), in the file's order
    line: int | None = None


@dataclass
class OrganisationSpec:
    units: list[UnitSpec]  # parents before children, the organisation first
    members: list[MemberSpec] = field(default_factory=list)

    @property
    def organisation(self) -> UnitSpec:
        return self.units[0]


def text_value(value, key: str, limit: int, problem) -> str | None:
    """``value`` stripped, or None with the problem reported (not text, or too long)."""
    if not isinstance(value, str):
        problem(key, _("“%(key)s” must be text in quotes") % {"key": key})
        return None
    value = value.strip()
    if len(value) > limit:
        problem(
            key,
            _("“%(key)s” is longer than %(limit)d characters") % {"key": key, "limit": limit},
        )
        return None
    return value
