"""Single units, the first-run page's small forms: checked by the rules of the file format
(:func:`validate_unit_values`) and created one at a time (:func:`unit_create`).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from layanan.core.errors import ApplicationError, NotPermitted
from layanan.core.models import Unit

from .reading import unit_spec
from .schema import FileProblem, OrganisationFileError, SourceMap, UnitSpec

# --- single units (the first-run page's small forms) --------------------------------------------


def validate_unit_values(values: dict, *, organisation: bool = False) -> UnitSpec:
    """Check one unit given as a mapping (a form's data) by the rules of the file format; raises
    :class:`OrganisationFileError` (problems without lines)."""
    problems: list[FileProblem] = []
    raw = {key: value for key, value in values.items() if value not in ("", None)}
    spec = unit_spec(raw, "organisation" if organisation else "unit", 0, SourceMap(""), problems)
    if organisation and not spec.fields.get("time_zone"):
        problems.append(
            FileProblem(None, _("the organisation needs a time_zone (WIB, WITA or WIT)"))
        )
    if spec.slug and Unit.objects.filter(slug=spec.slug).exists():
        problems.append(
            FileProblem(None, _("the slug “%(slug)s” is already used") % {"slug": spec.slug})
        )
    if not organisation and spec.parent and not Unit.objects.filter(slug=spec.parent).exists():
        problems.append(
            FileProblem(None, _("unknown parent “%(parent)s”") % {"parent": spec.parent})
        )
    if problems:
        raise OrganisationFileError(problems)
    return spec


@transaction.atomic
def unit_create(*, actor, values: dict, organisation: bool = False) -> Unit:
    """Create one unit (or the organisation itself, the top unit) from validated values."""
    if actor is None or not actor.is_superuser:
        raise NotPermitted(_("Only an administrator may change the organisation."))
    spec = validate_unit_values(values, organisation=organisation)
    if organisation:
        if Unit.objects.filter(parent__isnull=True).exists():
            raise ApplicationError(
                _("This installation already has an organisation."), "another_organisation"
            )
        parent = None
    else:
        parent = Unit.objects.get(slug=spec.parent)
    position = Unit.objects.filter(parent=parent).count()
    unit = Unit(slug=spec.slug, parent=parent, position=position, **spec.fields)
    unit.full_clean(validate_constraints=False)
    unit.save()
    return unit
