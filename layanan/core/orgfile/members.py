"""Reading the ``[[member]]`` tables of an organisation file: who (username, full name,
e-mail) has which role in which unit, each problem with its line.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext as _

from .schema import MEMBER_KEYS, ROLE_KEYS, FileProblem, MemberSpec, SourceMap, text_value


def member_specs(
    raw_members, unit_slugs: set[str], source: SourceMap, problems: list[FileProblem]
) -> list[MemberSpec]:
    """Check the ``[[member]]`` tables: who (username, name, e-mail) has which role where."""
    if not isinstance(raw_members, list) or not all(isinstance(m, dict) for m in raw_members):
        problems.append(
            FileProblem(source.key("", 0, "member"), _("members are written as [[member]] tables"))
        )
        return []
    members: list[MemberSpec] = []
    first: dict[str, MemberSpec] = {}
    for index, raw in enumerate(raw_members):
        spec = _member_spec(raw, index, unit_slugs, source, problems)
        if not spec.username:
            continue
        if spec.username in first:
            problems.append(
                FileProblem(
                    spec.line,
                    _(
                        "the member “%(username)s” is written twice (first on line %(first)s); "
                        "give one member several roles with roles = [{ unit = …, role = … }, …]"
                    )
                    % {"username": spec.username, "first": first[spec.username].line},
                )
            )
            continue
        first[spec.username] = spec
        members.append(spec)
    return members


def _member_spec(
    raw: dict, index: int, unit_slugs: set[str], source: SourceMap, problems: list[FileProblem]
) -> MemberSpec:
    def problem(key: str | None, message: str) -> None:
        where = source.key("member", index, key) if key else source.table("member", index)
        problems.append(FileProblem(where, message))

    username, values = _member_values(raw, problem)
    roles: list[tuple[str, str]] = []
    for entry, list_key, position in _role_entries(raw, problem):

        def entry_problem(key: str, message: str, _list=list_key, _at=position) -> None:
            if _list:
                where = source.item("member", index, _list, _at)
            else:
                where = source.key("member", index, key)
            problems.append(FileProblem(where, message))

        unit_role = _entry_role(entry, unit_slugs, entry_problem)
        if unit_role is None:
            continue
        if unit_role in roles:
            entry_problem(
                "role",
                _("“%(username)s” is given the role “%(role)s” in “%(unit)s” twice")
                % {"username": username, "role": unit_role[1], "unit": unit_role[0]},
            )
            continue
        roles.append(unit_role)
    line = source.key("member", index, "username") if "username" in raw else None
    return MemberSpec(
        username=username,
        name=values.get("name", ""),
        email=values.get("email", ""),
        roles=roles,
        line=line or source.table("member", index),
    )


def _member_values(raw: dict, problem: Callable[..., None]) -> tuple[str, dict[str, str]]:
    """A member's keys, user name, name and e-mail checked: (user name, or "" when it is
    missing or invalid; the valid text values by key)."""
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    for key in raw:
        if key not in MEMBER_KEYS:
            problem(
                key,
                _("unknown key “%(key)s” (allowed: %(allowed)s)")
                % {"key": key, "allowed": ", ".join(sorted(MEMBER_KEYS))},
            )
    values: dict[str, str] = {}
    for key, limit in (("username", 150), ("name", 150), ("email", 254)):
        value = raw.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            problem(key if key in raw else None, _("“%(key)s” is required") % {"key": key})
            continue
        value = text_value(value, key, limit, problem)
        if value is not None:
            values[key] = value
    username = values.get("username", "")
    if username:
        try:
            user_model.username_validator(username)
        except ValidationError:
            problem(
                "username",
                _("the user name “%(username)s” may contain only letters, digits and @ . + - _")
                % {"username": username},
            )
            username = ""
    if values.get("email"):
        try:
            EmailValidator()(values["email"])
        except ValidationError:
            problem("email", _("“%(email)s” is not an e-mail address") % {"email": values["email"]})
    return username, values


def _role_entries(raw: dict, problem: Callable[..., None]) -> list[tuple[dict, str, int | None]]:
    """A member's role entries as (entry, key for its line, position in ``roles``).

    One role: unit = …, role = …; several: roles = [{ unit = …, role = … }, …]."""
    if "roles" in raw:
        if "unit" in raw or "role" in raw:
            problem(
                "roles",
                _("give either “unit” and “role” or “roles”, not both"),
            )
        elif not isinstance(raw["roles"], list) or not raw["roles"]:
            problem(
                "roles",
                _('“roles” is a list such as [{ unit = "dinas-sosial", role = "handler" }, …]'),
            )
        else:
            return [(entry, "roles", i) for i, entry in enumerate(raw["roles"])]
        return []
    if "unit" in raw or "role" in raw:
        return [({k: raw[k] for k in ("unit", "role") if k in raw}, "", None)]
    problem(None, _("a member needs a “unit” and a “role” (or a list of “roles”)"))
    return []


def _entry_role(
    entry: object, unit_slugs: set[str], entry_problem: Callable[[str, str], None]
) -> tuple[str, str] | None:
    """The (unit, role) one role entry gives; None when it has a problem."""
    from layanan.accounts.models import Role

    if not isinstance(entry, dict):
        entry_problem(
            "roles",
            _('each of “roles” is a table such as { unit = "dinas-sosial", role = "head" }'),
        )
        return None
    for key in entry:
        if key not in ROLE_KEYS:
            entry_problem(
                key,
                _("unknown key “%(key)s” (allowed: %(allowed)s)")
                % {"key": key, "allowed": ", ".join(sorted(ROLE_KEYS))},
            )
    unit, role = entry.get("unit"), entry.get("role")
    ok = True
    for key, value in (("unit", unit), ("role", role)):
        if not isinstance(value, str) or not value.strip():
            entry_problem(key, _("“%(key)s” is required, in quotes") % {"key": key})
            ok = False
    if not ok:
        return None
    unit, role = unit.strip(), role.strip()
    if unit not in unit_slugs:
        entry_problem(
            "unit",
            _("unknown unit “%(unit)s”: no unit in this file has that slug") % {"unit": unit},
        )
        ok = False
    if role not in Role.values:
        entry_problem(
            "role",
            _("unknown role “%(role)s” (allowed: %(allowed)s)")
            % {"role": role, "allowed": ", ".join(Role.values)},
        )
        ok = False
    return (unit, role) if ok else None
