"""Organisation files: the unit tree, contacts, office hours, time zones and staff roles as data.

``parse_organisation(text)`` validates a whole file and returns an :class:`OrganisationSpec`
or raises :class:`OrganisationFileError` with *every* problem found, each with its line.
``organisation_load(spec=...)`` writes it in one transaction: units are matched by slug, created
or updated, never deleted (units that are in the database but not in the file are reported).
Members (``[[member]]``) are matched by username: missing users are created with an unusable
password, their roles (``Membership`` rows) are added and recorded in the audit log; users and
roles the file does not name are kept and reported. Loading the same file twice changes nothing.
The format is documented in docs/adopting.md; the shipped example is
data/organisations/kalbar.toml.

The package: ``schema`` (keys, problems and their lines, the specs), ``reading``
(``parse_organisation``, units), ``members`` (``[[member]]`` tables), ``loading``
(``organisation_load``, ``LoadReport``) and ``single_units`` (the first-run page's forms); the
names others use are importable from ``layanan.core.orgfile``.

Used by ``manage.py load_organisation``, ``ensure_organisation()`` (tests, ``load_demo``) and the
first-run page (``layanan.core.first_run``).
"""

from .loading import LoadReport, load_organisation_file, organisation_load
from .reading import parse_organisation
from .schema import (
    SHIPPED_ORGANISATION,
    FileProblem,
    MemberSpec,
    OrganisationFileError,
    OrganisationSpec,
    UnitSpec,
)
from .single_units import unit_create, validate_unit_values

__all__ = [
    "SHIPPED_ORGANISATION",
    "FileProblem",
    "LoadReport",
    "MemberSpec",
    "OrganisationFileError",
    "OrganisationSpec",
    "UnitSpec",
    "load_organisation_file",
    "organisation_load",
    "parse_organisation",
    "unit_create",
    "validate_unit_values",
]
