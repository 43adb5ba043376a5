"""Scoping by unit as a safety net (django-scopes, as pretix and pretalx use it).

The case tables (``cases.Case``, ``CaseEvent``, ``CasePause``, ``Attachment`` and
``complaints.ComplaintDetail``) have a default manager that refuses to query outside an
explicit scope: a query with no scope active raises ``django_scopes.ScopeError`` instead of
reading every unit's cases. Selectors still filter by the actor's units themselves
(``cases/selectors.py``); the scope is the second line, so a code path that forgets to filter
reads nothing it should not, and a path that forgets to think about scoping fails loudly.

The one scope dimension is ``unit``. Its value is

- a list of unit ids: a row is in scope when its unit **or** its assigned division is one of
  them (the same rule as ``cases.selectors.cases_visible_to``: a member sees their unit and
  everything below it, and what was assigned to a division in their reach);
- ``None``: every unit (auditors, administrators, superusers);
- a callable returning one of those, resolved at the first scoped query (so a staff page that
  reads no case pays no query for it).

Where each scope comes from:

- every request: :class:`UnitScopeMiddleware` enters ``scope(unit=<the user's units>)``, the
  units read from ``request.user`` at the first scoped query (so the API's token users are
  covered too); a request without a signed-in user has no units, and a view that reads a case
  table without saying so raises;
- public surfaces (the complaint, audience and facility forms, tracking by code, the kiosk,
  Open311, the API's public endpoints), commands, tasks, the SLA sweep and the notification
  receivers enter ``scopes_disabled()`` explicitly, each with a comment saying why reading
  across units is safe there. Migrations use historical models (plain managers): unaffected.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django_scopes import ScopeError, get_scope, scope, scopes_disabled
from django_scopes.manager import DisabledQuerySet

from layanan.accounts.permissions import sees_every_unit, visible_unit_ids

__all__ = [
    "DIMENSION",
    "RequestUnits",
    "ScopeError",
    "UnitScopeMiddleware",
    "scope",
    "scopes_disabled",
    "unit_scoped_manager",
]

DIMENSION = "unit"


def unit_scoped_manager(*lookups: str, manager_class=models.Manager) -> models.Manager:
    """A manager limited to the active unit scope.

    ``lookups`` are paths to ``Unit`` foreign keys (``"unit"``, ``"case__assigned_unit"``); a
    row is in scope when any of them is one of the scope's units. Like django-scopes'
    ``ScopedManager``, but with OR across lookups, which ``ScopedManager`` cannot express.
    """

    class UnitScopedManager(manager_class):
        def get_queryset(self):
            current = get_scope()
            queryset = super().get_queryset()
            if not current.get("_enabled", True):
                return queryset
            if DIMENSION not in current:
                return DisabledQuerySet(self.model, using=self._db, missing_scopes=[DIMENSION])
            units = current[DIMENSION]
            if callable(units):
                units = units()
            if units is None:
                return queryset
            condition = Q(pk__in=[])
            for lookup in lookups:
                condition |= Q(**{f"{lookup}__in": units})
            return queryset.filter(condition)

        def all(self):
            queryset = super().all()
            if isinstance(queryset, DisabledQuerySet):
                queryset = queryset.all()  # raises, as django-scopes' own manager does
            return queryset

    return UnitScopedManager()


class RequestUnits:
    """The scope value of a request: the unit ids its user may see cases of, or None for every
    unit. Resolved at the first scoped query, from ``request.user`` as it is then, so the API's
    token authentication (which runs after the middleware and sets ``request.user``) is covered
    too. A request without a signed-in user has no units: reading a case table raises
    ``ScopeError`` until the view enters ``scopes_disabled()`` (public surfaces)."""

    def __init__(self, request) -> None:
        self.request = request
        self.user = None
        self.units: list[int] | None = []

    def __call__(self) -> list[int] | None:
        user = getattr(self.request, "user", None)
        if not getattr(user, "is_authenticated", False):
            raise ScopeError(
                "No unit scope: this request has no signed-in user. A public view must enter "
                "scopes_disabled() (layanan/core/scoping.py) and say why that is safe."
            )
        if user is not self.user:
            if not user.is_active:
                self.units = []
            elif sees_every_unit(user):
                self.units = None
            else:
                self.units = list(visible_unit_ids(user))
            self.user = user
        return self.units


class UnitScopeMiddleware:
    """Every request runs inside the unit scope of its user (see :class:`RequestUnits`)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        with scope(**{DIMENSION: RequestUnits(request)}):
            return self.get_response(request)


#: The attribute that records why a view or endpoint reads across units.
REASON_ATTRIBUTE = "scopes_disabled_because"


def public_surface(reason: str):
    """Decorate a Django view that serves the public (or reads across units by design): it
    runs with scopes disabled. ``reason`` says why that is safe there; it is kept on the view
    (``scopes_disabled_because``) for review and tests."""

    def decorate(view):
        wrapped = scopes_disabled()(view)
        setattr(wrapped, REASON_ATTRIBUTE, reason)
        return wrapped

    return decorate


def public_endpoint(reason: str):
    """Mark a django-ninja endpoint as a public surface: :func:`ninja_scopes` (registered on
    the API in ``api/api.py``) runs it, serialisation included, with scopes disabled.

    Only a mark, not a wrapper: ninja reads the endpoint's signature and resolves its
    annotations in the function's own module, which a wrapper would hide."""

    def mark(func):
        setattr(func, REASON_ATTRIBUTE, reason)
        return func

    return mark


def ninja_scopes(run):
    """``NinjaAPI.add_decorator(..., mode="view")``: an operation whose endpoint is marked
    with :func:`public_endpoint` runs with scopes disabled; every other one in the request's
    unit scope (the token's user, see :class:`RequestUnits`)."""
    view = getattr(getattr(run, "__self__", None), "view_func", None)
    if getattr(view, REASON_ATTRIBUTE, None):
        return scopes_disabled()(run)
    return run
