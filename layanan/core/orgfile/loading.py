"""Loading a read organisation file into the database (:func:`organisation_load`, one
transaction; :func:`load_organisation_file` reads and loads a file): units by slug, their office
hours, members by username and their roles, with a :class:`LoadReport` of what changed and what
the file does not name (kept, never deleted).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from layanan.accounts.actors import SYSTEM, require_actor
from layanan.core.errors import ApplicationError, NotPermitted
from layanan.core.models import Unit

from .reading import parse_organisation
from .schema import FileProblem, OrganisationFileError, OrganisationSpec

# --- writing ----------------------------------------------------------------------------------


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: dict[str, list[str]] = field(default_factory=dict)  # slug → changed fields
    unchanged: list[str] = field(default_factory=list)
    not_in_file: list[str] = field(default_factory=list)  # kept: never deleted by a load
    units: dict[str, Unit] = field(default_factory=dict)
    members_created: list[str] = field(default_factory=list)  # usernames, no password yet
    members_updated: dict[str, list[str]] = field(default_factory=dict)  # username → fields
    members_unchanged: list[str] = field(default_factory=list)
    roles_added: list[tuple[str, str, str]] = field(default_factory=list)  # username, role, unit
    #: Roles in the database that a file with members does not name: kept, never removed.
    roles_not_in_file: list[tuple[str, str, str]] = field(default_factory=list)
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        return bool(
            self.created
            or self.updated
            or self.members_created
            or self.members_updated
            or self.roles_added
        )

    def lines(self) -> list[str]:
        out = []
        for slug in self.created:
            out.append(_("created   %(slug)s") % {"slug": slug})
        for slug, names in self.updated.items():
            out.append(
                _("updated   %(slug)s (%(fields)s)") % {"slug": slug, "fields": ", ".join(names)}
            )
        out.append(_("unchanged: %(count)d") % {"count": len(self.unchanged)})
        for slug in self.not_in_file:
            out.append(
                _("not in the file, kept: %(slug)s (delete it in the admin if it should go)")
                % {"slug": slug}
            )
        for username in self.members_created:
            out.append(
                _(
                    "member created   %(username)s (no password yet: an administrator sets the "
                    "first one in the admin)"
                )
                % {"username": username}
            )
        for username, names in self.members_updated.items():
            out.append(
                _("member updated   %(username)s (%(fields)s)")
                % {"username": username, "fields": ", ".join(names)}
            )
        for username, role, unit in self.roles_added:
            out.append(
                _("role given   %(username)s: %(role)s in %(unit)s")
                % {"username": username, "role": role, "unit": unit}
            )
        if self.members_created or self.members_updated or self.members_unchanged:
            out.append(_("members unchanged: %(count)d") % {"count": len(self.members_unchanged)})
        for username, role, unit in self.roles_not_in_file:
            out.append(
                _(
                    "role not in the file, kept: %(username)s: %(role)s in %(unit)s (remove it "
                    "in the admin if it should go)"
                )
                % {"username": username, "role": role, "unit": unit}
            )
        return out


class _DryRun(Exception):
    pass


def organisation_load(*, spec: OrganisationSpec, actor=SYSTEM, dry_run: bool = False) -> LoadReport:
    """Create or update the units of ``spec`` by slug, then its members by username, in one
    transaction.

    Never deletes a unit (cases, staff and standards hang on units); units in the database that
    the file does not name are listed in ``not_in_file``. Never deletes a user or a role either:
    new users get an unusable password, each role given is recorded in the audit log
    (``membership_added``, by ``actor``), and roles the file does not name are listed in
    ``roles_not_in_file``. With ``dry_run`` the report says what a load would do and nothing is
    kept. ``actor`` is ``SYSTEM`` (a command, the test fixture) or a superuser: only the
    administrator of the installation reshapes the organisation.
    """
    if require_actor(actor) is not SYSTEM and not actor.is_superuser:
        raise NotPermitted(_("Only an administrator may load an organisation file."))
    report = LoadReport(dry_run=dry_run)
    try:
        with transaction.atomic():
            _write(spec, report, actor)
            _write_members(spec, report, actor)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


def _write(spec: OrganisationSpec, report: LoadReport, actor) -> None:
    from layanan.workdays.models import OfficeHours
    from layanan.workdays.services import office_hours_changed

    other_roots = (
        Unit.objects.filter(parent__isnull=True)
        .exclude(slug=spec.organisation.slug)
        .values_list("slug", flat=True)
    )
    if other_roots and not Unit.objects.filter(slug=spec.organisation.slug).exists():
        raise ApplicationError(
            _(
                "This installation already holds the organisation “%(existing)s”; a file can "
                "only describe that one (its [organisation] slug must be “%(existing)s”)."
            )
            % {"existing": other_roots[0]},
            "another_organisation",
        )
    existing = {u.slug: u for u in Unit.objects.select_for_update().order_by("path")}
    positions: dict[str | None, int] = {}
    units: dict[str, Unit] = {}
    for item in spec.units:
        parent = units[item.parent] if item.parent else None
        position = positions.get(item.parent, 0)
        positions[item.parent] = position + 1
        wanted = {**item.fields, "position": position}
        unit = existing.get(item.slug)
        if unit is None:
            unit = Unit(slug=item.slug, parent=parent, **wanted)
            unit.full_clean(validate_unique=False, validate_constraints=False)
            unit.save()
            report.created.append(item.slug)
        else:
            changed = [name for name, value in wanted.items() if getattr(unit, name) != value]
            if unit.parent_id != (parent.pk if parent else None):
                changed.append("parent")
            if changed:
                for name, value in wanted.items():
                    setattr(unit, name, value)
                unit.parent = parent
                unit.save()
                report.updated[item.slug] = changed
        units[item.slug] = unit
        current = {
            row.weekday: (row.opens, row.closes) for row in OfficeHours.objects.filter(unit=unit)
        }
        target = {} if item.hours is None else {d: h for d, h in item.hours.items() if h}
        if current != target:
            OfficeHours.objects.filter(unit=unit).delete()
            OfficeHours.objects.bulk_create(
                OfficeHours(unit=unit, weekday=day, opens=hours[0], closes=hours[1])
                for day, hours in sorted(target.items())
            )
            if item.slug not in report.created:
                report.updated.setdefault(item.slug, []).append("hours")
                office_hours_changed(actor=actor, unit=unit)
        if item.slug not in report.created and item.slug not in report.updated:
            report.unchanged.append(item.slug)
    report.not_in_file = [slug for slug in existing if slug not in units]
    report.units = units


def _write_members(spec: OrganisationSpec, report: LoadReport, actor) -> None:
    """Create missing users (unusable password), bring the named ones' full name and e-mail
    in line with the file, add the roles they lack and record each in the audit log."""
    if not spec.members:
        return
    from django.contrib.auth import get_user_model

    from layanan.accounts.models import Membership
    from layanan.core.audit import audit_log
    from layanan.core.models import AuditAction

    user_model = get_user_model()
    usernames = [member.username for member in spec.members]
    users = {
        user.username: user
        for user in user_model.objects.select_for_update().filter(username__in=usernames)
    }
    for member in spec.members:
        user = users.get(member.username)
        wanted = {"full_name": member.name, "email": member.email}
        if user is None:
            user = user_model(username=member.username, **wanted)
            user.set_unusable_password()  # never a default password
            user.full_clean(validate_unique=False, validate_constraints=False)
            user.save()
            report.members_created.append(member.username)
        else:
            changed = [name for name, value in wanted.items() if getattr(user, name) != value]
            if changed:
                for name in changed:
                    setattr(user, name, wanted[name])
                user.save(update_fields=changed)
                report.members_updated[member.username] = changed
        users[member.username] = user
        added = False
        for unit_slug, role in member.roles:
            unit = report.units[unit_slug]
            membership, created = Membership.objects.get_or_create(user=user, unit=unit, role=role)
            if created:
                added = True
                audit_log(
                    actor=actor,
                    action=AuditAction.MEMBERSHIP_ADDED,
                    target=membership,
                    unit=unit,
                    data={
                        "member": member.username,
                        "role": role,
                        "unit_slug": unit_slug,
                        "source": "organisation_file",
                    },
                )
                report.roles_added.append((member.username, role, unit_slug))
        touched = member.username in report.members_created or member.username in (
            report.members_updated
        )
        if not added and not touched:
            report.members_unchanged.append(member.username)
    named = {(m.username, role, slug) for m in spec.members for slug, role in m.roles}
    report.roles_not_in_file = [
        row
        for row in Membership.objects.order_by("user__username", "unit__path", "role").values_list(
            "user__username", "role", "unit__slug"
        )
        if row not in named
    ]


def load_organisation_file(path: str | Path, *, actor=SYSTEM, dry_run: bool = False) -> LoadReport:
    """Read, validate and load one file (UTF-8)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise OrganisationFileError(
            [FileProblem(None, _("cannot read %(path)s: %(error)s") % {"path": path, "error": exc})]
        ) from exc
    return organisation_load(spec=parse_organisation(text), actor=actor, dry_run=dry_run)
