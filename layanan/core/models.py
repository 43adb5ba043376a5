from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class UnitKind(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    SECRETARIAT = "secretariat", _("Secretariat")
    BUREAU = "bureau", _("Bureau")
    DIVISION = "division", _("Division")
    OTHER = "other", _("Other")


class TimeZone(models.TextChoices):
    """Indonesia's time zones (IANA names). WIB has two names: Asia/Jakarta and Asia/Pontianak."""

    WIB = "Asia/Jakarta", _("WIB (Asia/Jakarta)")
    WIB_PONTIANAK = "Asia/Pontianak", _("WIB (Asia/Pontianak)")
    WITA = "Asia/Makassar", _("WITA (Asia/Makassar)")
    WIT = "Asia/Jayapura", _("WIT (Asia/Jayapura)")


class UnitQuerySet(models.QuerySet):
    def subtree_of(self, units) -> UnitQuerySet:
        """The given units and all their descendants (one query, by materialised path)."""
        condition = Q(pk__in=[])
        for unit in units:
            condition |= Q(path__startswith=unit.path)
        return self.filter(condition)


class Unit(TimeStampedModel):
    """An organisational unit: Pemprov > Setda > Biro > Bagian.

    ``path`` is a materialised path ("0001/0003/") maintained on save so that "this unit and
    everything below it" is a single indexed prefix query.
    """

    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        related_name="children",
        on_delete=models.PROTECT,
    )
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    code = models.CharField(
        _("number prefix"),
        max_length=12,
        blank=True,
        help_text=_("Used in case numbers, e.g. KESRA in KESRA/ADU/2026/000123."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind, default=UnitKind.BUREAU)
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    whatsapp = models.CharField(_("WhatsApp"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.CharField(_("website"), max_length=200, blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=40,
        blank=True,
        choices=TimeZone,
        help_text=_(
            "Empty: the zone of the nearest unit above that has one. The top unit's zone is the "
            "organisation's default."
        ),
    )
    position = models.PositiveIntegerField(_("order"), default=0)
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        creating = self.pk is None
        super().save(*args, **kwargs)
        new_path = self._compute_path()
        if new_path != self.path:
            old_path = self.path
            self.path = new_path
            Unit.objects.filter(pk=self.pk).update(path=new_path)
            if not creating and old_path:
                # Re-root descendants after a move.
                for child in Unit.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
                    child.save()

    def _compute_path(self) -> str:
        prefix = self.parent.path if self.parent_id else ""
        return f"{prefix}{self.pk:05d}/"

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def ancestors(self, include_self: bool = False) -> list[Unit]:
        pks = [int(p) for p in self.path.strip("/").split("/") if p]
        if not include_self:
            pks = pks[:-1]
        by_pk = Unit.objects.in_bulk(pks)
        return [by_pk[pk] for pk in pks if pk in by_pk]

    def descendants(self, include_self: bool = True) -> UnitQuerySet:
        qs = Unit.objects.filter(path__startswith=self.path)
        return qs if include_self else qs.exclude(pk=self.pk)

    def subtree_pks(self) -> list[int]:
        """Primary keys of this unit and every unit below it, read once per unit object.

        Filtering big tables on this literal list (``unit_id IN (1, 2, 3)``) lets PostgreSQL use
        their (unit, …) indexes; a join on ``unit__path__startswith`` makes it scan them whole."""
        cached = self.__dict__.get("_subtree_pks")
        if cached is None:
            cached = list(self.descendants().values_list("pk", flat=True))
            self.__dict__["_subtree_pks"] = cached
        return cached

    def time_zone_name(self) -> str:
        """This unit's zone: its own, else its nearest ancestor's, else the organisation's
        default (see layanan.core.timezones)."""
        if self.time_zone:
            return self.time_zone
        cached = self.__dict__.get("_time_zone_name")
        if cached is None:
            cached = nearest_time_zone(reversed(self.ancestors()))
            self.__dict__["_time_zone_name"] = cached
        return cached

    def is_within(self, other: Unit) -> bool:
        """True when this unit is ``other`` or below it."""
        return self.path.startswith(other.path)


# --- the organisation: its top unit (time zone and name; see core/timezones.py) ---------------

CACHE_KEY = "layanan:organisation"  # (zone, name) of the top unit
CACHE_SECONDS = 300


def organisation_from_db() -> tuple[str, str]:
    """(zone, name) of the organisation: the first top unit."""
    top = (
        Unit.objects.filter(parent__isnull=True)
        .order_by("path")
        .values_list("time_zone", "name")
        .first()
    )
    zone, name = top or ("", "")
    return zone or settings.TIME_ZONE, name


def _organisation() -> tuple[str, str]:
    value = cache.get(CACHE_KEY)
    if not isinstance(value, tuple | list) or len(value) != 2:
        try:
            value = organisation_from_db()
        except DatabaseError:
            # The database is down: pages still render (the 503 page has a footer too) in the
            # fallback zone, and nothing is cached, so the real values return with the database.
            return settings.TIME_ZONE, ""
        cache.set(CACHE_KEY, value, CACHE_SECONDS)
    return value[0], value[1]


def organisation_time_zone() -> str:
    """The organisation's default zone (IANA name): the top unit's, else ``TIME_ZONE``."""
    return _organisation()[0]


def organisation_name() -> str:
    """The organisation's name (the top unit's), "" before there is one (page footers)."""
    return _organisation()[1]


def nearest_time_zone(units: Iterable[Unit]) -> str:
    """The first zone set on ``units`` (nearest first), else the organisation's default."""
    for unit in units:
        if unit.time_zone:
            return unit.time_zone
    return organisation_time_zone()


class AuditAction(models.TextChoices):
    """Every kind of audited write, in one place (``layanan.core.audit.audit_log``)."""

    IDENTITY_VIEWED = "identity_viewed", _("Viewed a confidential reporter's identity")
    STANDARD_PUBLISHED = "standard_published", _("Published a service standard version")
    STANDARD_ARCHIVED = "standard_archived", _("Archived a service standard version")
    STANDARD_DRAFTED = "standard_drafted", _("Created a draft service standard version")
    STANDARD_COMPONENTS_COPIED = (
        "standard_components_copied",
        _("Copied components from another service standard of the unit"),
    )
    PLEDGE_CHANGED = "pledge_changed", _("Edited a unit's service pledge (Maklumat Pelayanan)")
    API_TOKEN_CREATED = "api_token_created", _("Created an API token")
    API_TOKEN_REVOKED = "api_token_revoked", _("Revoked an API token")
    MEMBERSHIP_ADDED = "membership_added", _("Gave a member a role")
    MEMBERSHIP_CHANGED = "membership_changed", _("Changed a member's role")
    MEMBERSHIP_REMOVED = "membership_removed", _("Took a member's role away")
    LETTER_TEMPLATE_CHANGED = "letter_template_changed", _("Edited a reply letter template")
    PERSONAL_DATA_EXPORTED = "personal_data_exported", _("Exported a person's data")
    HOLIDAY_CONFIRMED = "holiday_confirmed", _("Confirmed a holiday against the decree")
    INTAKE_CONVERTED = "intake_converted", _("Turned an incoming message into a case")
    INTAKE_ATTACHED = "intake_attached", _("Added an incoming message to a case")
    INTAKE_DISMISSED = "intake_dismissed", _("Dismissed an incoming message")
    MAILBOX_CHANGED = "mailbox_changed", _("Changed a unit's mailbox settings")
    MEETING_SCHEDULED = "meeting_scheduled", _("Scheduled an evaluation meeting")
    MEETING_RECORDED = "meeting_recorded", _("Recorded an evaluation meeting")
    FOLLOW_UP_ADDED = "follow_up_added", _("Added a follow-up action of an evaluation meeting")
    FOLLOW_UP_CHANGED = "follow_up_changed", _("Changed a follow-up action's status")
    REPRIMAND_GIVEN = "reprimand_given", _("Recorded a reprimand of an officer")
    LETTER_ISSUED = "letter_issued", _("Issued a numbered letter")
    SURVEY_PERIODS_PLANNED = (
        "survey_periods_planned",
        _("Made or moved survey periods from the standards' cadence"),
    )
    WHATSAPP_NUMBER_CHANGED = "whatsapp_number_changed", _("Changed a unit's WhatsApp number")


class AuditEntry(models.Model):
    """One audited write: who, when, what, on which object, in which unit.

    Written only by :func:`layanan.core.audit.audit_log`, never changed or deleted (the admin is
    read-only for everyone). ``actor_label`` keeps the username at the time (or a system label
    such as ``manage.py export_personal_data``) so the entry stays readable when the user goes.
    ``data`` holds non-secret details only: never a token, a password or a reporter's identity.
    """

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("actor"), max_length=150)
    action = models.CharField(_("action"), max_length=64, choices=AuditAction.choices)
    target_type = models.ForeignKey(
        "contenttypes.ContentType",
        verbose_name=_("target type"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    target_repr = models.CharField(_("target"), max_length=200, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    data = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["action", "at"], name="core_audit_action_at"),
            models.Index(fields=["target_type", "target_id"], name="core_audit_target"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("an audit entry is never changed once written")
        super().save(*args, **kwargs)
