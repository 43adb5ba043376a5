"""Who may use which part of the Django admin — the one place.

Superusers administer everything. A member of staff with "staff status" (``is_staff``) sees
only what their role administers, within their unit and below (``ADMINISTRABLE``, each entry a
rule of ``accounts.permissions.RULES``): the catalogue, the office hours, resources, reply
letter templates, the people of their unit — and the units themselves read-only, to pick from.
Everything else — login attempts (django-axes), second-factor devices (django-otp), task
results (django-tasks-db), the outbox, API tokens, the unit tree, the units' mailboxes and
WhatsApp numbers and the raw WhatsApp webhook deliveries — stays with superusers: no rule
grants it.

Two pieces, so the admin's own permission checks keep working unchanged:

- :class:`AdminRulesBackend` (an authentication backend that authenticates nobody) answers
  Django's model permissions (``catalog.change_servicestandard``) from ``ADMINISTRABLE``;
  ModelAdmins that refuse a change to everyone (read-only tables) still refuse it;
- :class:`UnitScopedAdmin`, mixed into each administrable ModelAdmin, narrows its list (and so
  every object view, which looks the object up in that list) and the unit choices of its forms
  to the units the rule reaches for that person.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.backends import BaseBackend
from django.core.exceptions import PermissionDenied

from .permissions import can, visible_units


@dataclass(frozen=True)
class Administrable:
    rule: str  # the action in accounts.permissions.RULES
    unit_path: str | None  # the lookup from the model to its Unit; None: not a unit's own
    actions: tuple[str, ...] = ("view", "add", "change", "delete")


_CATALOG = "catalog.edit"
#: A standard and its versions are never deleted by staff: the history stays readable (old
#: versions explain old cases); a standard is withdrawn by archiving.
_KEEP = ("view", "add", "change")
ADMINISTRABLE: dict[str, Administrable] = {
    "catalog.servicestandard": Administrable(_CATALOG, "unit", _KEEP),
    "catalog.standardversion": Administrable(_CATALOG, "standard__unit", _KEEP),
    "catalog.completiontime": Administrable(_CATALOG, "version__standard__unit"),
    "catalog.fee": Administrable(_CATALOG, "version__standard__unit"),
    "catalog.complaintchannel": Administrable(_CATALOG, "version__standard__unit"),
    "catalog.complaintclass": Administrable(_CATALOG, "version__standard__unit"),
    # The unit's Maklumat Pelayanan: kept (a confirmed pledge is unconfirmed, not deleted).
    "catalog.servicepledge": Administrable(_CATALOG, "unit", _KEEP),
    "workdays.officehours": Administrable("calendar.edit", "unit"),
    "workdays.officehoursoverride": Administrable("calendar.edit", "unit"),
    "workdays.holiday": Administrable("calendar.holidays", None),
    # Whoever changes the calendar reads how many running cases the change moved.
    # Survey periods (and the people served) span units: the administrator's, like holidays.
    "surveys.surveyperiod": Administrable("calendar.holidays", None),
    "workdays.calendarrecompute": Administrable("calendar.edit", None, actions=("view",)),
    "bookings.resource": Administrable("resources.edit", "unit"),
    "audiences.replylettertemplate": Administrable("letters.edit", "unit"),
    "bookings.facilitynoticetemplate": Administrable("letters.edit", "unit"),
    "complaints.answerlettertemplate": Administrable("letters.edit", "unit"),
    "accounts.user": Administrable("people.manage", "memberships__unit"),
    "accounts.membership": Administrable("people.manage", "unit"),
    # To choose a unit in the forms above (autocomplete), never to change the tree.
    "core.unit": Administrable(_CATALOG, "", actions=("view",)),
}


def _entry_for(perm: str) -> tuple[Administrable | None, str]:
    app_label, _dot, codename = perm.partition(".")
    action, _sep, model_name = codename.partition("_")
    entry = ADMINISTRABLE.get(f"{app_label}.{model_name}")
    if entry is None or action not in entry.actions:
        return None, action
    return entry, action


def _is_admin_user(user) -> bool:
    return bool(getattr(user, "is_active", False) and getattr(user, "is_staff", False))


class AdminRulesBackend(BaseBackend):
    """Model permissions of the admin from ``ADMINISTRABLE`` (never authenticates anyone)."""

    def authenticate(self, request, **credentials):
        return None

    def has_perm(self, user_obj, perm, obj=None):
        if not _is_admin_user(user_obj):
            return False
        entry, _action = _entry_for(perm)
        return entry is not None and can(user_obj, entry.rule)

    def has_module_perms(self, user_obj, app_label):
        if not _is_admin_user(user_obj):
            return False
        return any(
            label.startswith(f"{app_label}.") and can(user_obj, entry.rule)
            for label, entry in ADMINISTRABLE.items()
        )


def administrable_units(user, model):
    """The units whose rows of ``model`` ``user`` administers (a queryset), or None for all."""
    entry = ADMINISTRABLE.get(model._meta.label_lower)
    if user.is_superuser or entry is None:
        return None
    return visible_units(user, entry.rule)


class UnitScopedAdmin:
    """Mixin for an administrable ModelAdmin: a non-superuser lists, opens and changes only the
    rows of the units their rule reaches, and picks only those units in its forms."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        units = administrable_units(request.user, self.model)
        entry = ADMINISTRABLE.get(self.model._meta.label_lower)
        if units is None or entry is None or entry.unit_path is None:
            return queryset
        lookup = f"{entry.unit_path}__in" if entry.unit_path else "pk__in"
        # A subquery, not a join: the list stays one row per object (and deletable).
        within = self.model._default_manager.filter(**{lookup: units}).values("pk")
        return queryset.filter(pk__in=within)

    # Refused before the object is looked up: someone without the rule gets 403, as before,
    # rather than the "no such object" redirect the narrowed list would give.
    def _ensure_may_view(self, request):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._ensure_may_view(request)
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._ensure_may_view(request)
        return super().history_view(request, object_id, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self._ensure_may_view(request)
        return super().delete_view(request, object_id, extra_context)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        units = administrable_units(request.user, self.model)
        if units is not None and db_field.related_model._meta.label_lower == "core.unit":
            kwargs["queryset"] = units
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
