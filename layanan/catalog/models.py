"""Service standards (Standar Pelayanan) and their versions.

A ``ServiceStandard`` is the identity of one service of one unit (its URL, the kind of case it
produces). Its content lives in ``StandardVersion`` rows: every import of a changed document or
edit makes a new draft; publishing a draft archives the previously published version, which stays
readable. Structured components (completion times, fees, complaint channels and classes) are
child tables; plain ordered lists are JSON lists of strings.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from layanan.core.models import TimeStampedModel, Unit
from layanan.workdays.durations import Duration, DurationUnit

from .components import COMPONENTS, Component


class ServiceKind(models.TextChoices):
    CONSULTATION = "consultation", _("Consultation / walk-in service")
    AUDIENCE = "audience", _("Audience request")
    FACILITY = "facility", _("Office facility request")
    OTHER = "other", _("Other service")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class ServiceStandardQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_version__isnull=False)


class ServiceStandard(TimeStampedModel):
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), related_name="standards", on_delete=models.PROTECT
    )
    name = models.CharField(_("service name"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=100)
    service_kind = models.CharField(
        _("kind of service"), max_length=20, choices=ServiceKind, default=ServiceKind.OTHER
    )
    accepts_complaints = models.BooleanField(_("accepts complaints"), default=True)
    position = models.PositiveIntegerField(_("order"), default=0)
    published_version = models.OneToOneField(
        "StandardVersion",
        verbose_name=_("published version"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )

    objects = ServiceStandardQuerySet.as_manager()

    class Meta:
        verbose_name = _("service standard")
        verbose_name_plural = _("service standards")
        ordering = ["unit__path", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "slug"], name="standard_unique_slug_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit.display_name})"

    def get_absolute_url(self) -> str:
        return reverse("catalog:standard", args=[self.unit.slug, self.slug])

    @property
    def latest_version(self) -> StandardVersion | None:
        return self.versions.order_by("-number").first()


class StandardVersion(TimeStampedModel):
    standard = models.ForeignKey(
        ServiceStandard,
        verbose_name=_("service standard"),
        related_name="versions",
        on_delete=models.CASCADE,
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=12, choices=VersionStatus, default=VersionStatus.DRAFT
    )
    name = models.CharField(_("service name"), max_length=255)
    decree_number = models.CharField(_("decree number (No. SK)"), max_length=120, blank=True)

    # Service delivery components
    requirements = models.JSONField(_("requirements"), default=list, blank=True)
    procedure = models.JSONField(_("procedure"), default=list, blank=True)
    completion_note = models.TextField(_("completion time note"), blank=True)
    fee_note = models.TextField(_("fee note"), blank=True)
    products = models.JSONField(_("service products"), default=list, blank=True)
    complaint_flow = models.JSONField(_("complaint handling flow"), default=list, blank=True)
    # Service management components
    legal_basis = models.JSONField(_("legal basis"), default=list, blank=True)
    facilities = models.JSONField(_("facilities and infrastructure"), default=list, blank=True)
    competence = models.JSONField(_("staff competence"), default=list, blank=True)
    supervision = models.JSONField(_("internal supervision"), default=list, blank=True)
    staff_count = models.PositiveIntegerField(_("number of staff"), null=True, blank=True)
    staff_text = models.CharField(_("number of staff (as written)"), max_length=200, blank=True)
    service_guarantee = models.JSONField(_("service guarantee"), default=list, blank=True)
    safety_guarantee = models.JSONField(
        _("security and safety guarantee"), default=list, blank=True
    )
    evaluation = models.JSONField(_("performance evaluation"), default=list, blank=True)
    meetings_per_month = models.PositiveSmallIntegerField(
        _("evaluation meetings per month"), null=True, blank=True
    )
    surveys_per_year = models.PositiveSmallIntegerField(
        _("satisfaction surveys per year"), null=True, blank=True
    )

    # Provenance
    source_name = models.CharField(_("source document"), max_length=255, blank=True)
    content_hash = models.CharField(_("content hash"), max_length=64, blank=True, db_index=True)
    import_issues = models.JSONField(_("import report"), default=list, blank=True)
    change_note = models.TextField(_("change note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )

    class Meta:
        verbose_name = _("standard version")
        verbose_name_plural = _("standard versions")
        ordering = ["standard", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "number"], name="version_unique_number"),
            models.UniqueConstraint(
                fields=["standard"],
                condition=Q(status="published"),
                name="version_one_published_per_standard",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.number} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse(
            "catalog:standard_version",
            args=[self.standard.unit.slug, self.standard.slug, self.number],
        )

    # -- component access -------------------------------------------------------------------
    @property
    def fee_is_free(self) -> bool:
        fees = list(self.fees.all())
        return bool(fees) and all(f.free for f in fees)

    def component_value(self, component: Component):
        """The content of one component, for display and the completeness check."""
        key = component.key
        if key == "completion_times":
            return list(self.completion_times.all())
        if key == "fees":
            return list(self.fees.all())
        if key == "complaint_handling":
            return {
                "channels": list(self.complaint_channels.all()),
                "flow": self.complaint_flow,
                "classes": list(self.complaint_classes.all()),
            }
        if key == "staffing":
            return self.staff_count or self.staff_text
        return getattr(self, key)

    def missing_components(self) -> list[Component]:
        """Components that are empty. The complaint component counts as missing when it names
        neither a channel nor a deadline class."""
        missing = []
        for component in COMPONENTS:
            value = self.component_value(component)
            if component.key == "complaint_handling":
                empty = not value["channels"] and not value["classes"]
            else:
                empty = not value
            if empty:
                missing.append(component)
        return missing

    def completeness(self) -> dict:
        """Completeness check for staff: missing components, partial parts and import issues."""
        missing = self.missing_components()
        partial = []
        if not self.decree_number:
            partial.append(str(_("No decree number (No. SK)")))
        channels = list(self.complaint_channels.all())
        classes = list(self.complaint_classes.all())
        if channels or classes:
            if not channels:
                partial.append(str(_("No complaint channel")))
            if not self.complaint_flow:
                partial.append(str(_("No complaint handling flow")))
            if not classes:
                partial.append(str(_("No complaint classes with deadlines")))
        for ct in self.completion_times.all():
            if ct.ambiguous:
                partial.append(str(_("Ambiguous completion time: “%(text)s”")) % {"text": ct.text})
        present = len(COMPONENTS) - len(missing)
        return {
            "present": present,
            "total": len(COMPONENTS),
            "complete": not missing and not partial,
            "missing": missing,
            "partial": partial,
            "issues": self.import_issues,
        }

    def primary_completion_time(self) -> CompletionTime | None:
        """The completion time that sets a case's deadline: the first fixed one."""
        for ct in self.completion_times.all():
            if ct.value is not None and ct.unit:
                return ct
        return None


class CompletionTime(models.Model):
    version = models.ForeignKey(
        StandardVersion, related_name="completion_times", on_delete=models.CASCADE
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    label = models.CharField(_("label"), max_length=120, blank=True)
    value = models.PositiveIntegerField(_("value"), null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=20, choices=DurationUnit, blank=True)
    text = models.CharField(_("text as written"), max_length=300)
    ambiguous = models.BooleanField(_("ambiguous"), default=False)

    class Meta:
        verbose_name = _("completion time")
        verbose_name_plural = _("completion times")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.label}: {self.text}" if self.label else self.text

    def as_duration(self) -> Duration:
        return Duration(
            value=self.value,
            unit=self.unit or None,
            text=self.text,
            label=self.label,
            ambiguous=self.ambiguous,
        )


class Fee(models.Model):
    version = models.ForeignKey(StandardVersion, related_name="fees", on_delete=models.CASCADE)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    label = models.CharField(_("label"), max_length=120, blank=True)
    free = models.BooleanField(_("free of charge"), default=True)
    amount_idr = models.PositiveBigIntegerField(_("amount (Rp)"), null=True, blank=True)
    text = models.CharField(_("text as written"), max_length=300)

    class Meta:
        verbose_name = _("fee")
        verbose_name_plural = _("fees")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(free=True, amount_idr__isnull=True)
                | Q(free=False, amount_idr__isnull=False),
                name="fee_free_xor_amount",
            )
        ]

    def __str__(self) -> str:
        return self.text


class ChannelKind(models.TextChoices):
    FACE_TO_FACE = "face_to_face", _("Face to face")
    COMPLAINT_BOX = "complaint_box", _("Complaint box")
    WHATSAPP = "whatsapp", _("WhatsApp")
    PHONE = "phone", _("Telephone")
    FAX = "fax", _("Fax")
    EMAIL = "email", _("Email")
    LAPOR = "lapor", _("SP4N-LAPOR!")
    WEBSITE = "website", _("Website")
    OTHER = "other", _("Other")


class ComplaintChannel(models.Model):
    version = models.ForeignKey(
        StandardVersion, related_name="complaint_channels", on_delete=models.CASCADE
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("channel"), max_length=20, choices=ChannelKind)
    label = models.CharField(_("label"), max_length=200, blank=True)
    value = models.CharField(_("contact"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("complaint channel")
        verbose_name_plural = _("complaint channels")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}" if self.value else self.label

    @property
    def href(self) -> str:
        """A clickable link for the contact (tel:, WhatsApp, mailto:, web), or ""."""
        from .links import channel_href

        return channel_href(self.kind, self.value)


class ComplaintClass(models.Model):
    """A complaint class with its deadline, as the unit's own standard sets it."""

    version = models.ForeignKey(
        StandardVersion, related_name="complaint_classes", on_delete=models.CASCADE
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    value = models.PositiveIntegerField(_("value"), null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=20, choices=DurationUnit, blank=True)
    text = models.CharField(_("text as written"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("complaint class")
        verbose_name_plural = _("complaint classes")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="complaint_class_unique_code")
        ]

    def __str__(self) -> str:
        return self.name

    def as_duration(self) -> Duration:
        return Duration(value=self.value, unit=self.unit or None, text=self.text, label=self.name)


DEFAULT_PLEDGE_TEXT = (
    "Dengan ini, kami menyatakan sanggup menyelenggarakan pelayanan sesuai standar pelayanan "
    "yang telah ditetapkan dan apabila tidak menepati janji ini, kami siap menerima sanksi "
    "sesuai peraturan perundang-undangan yang berlaku."
)


class ServicePledge(TimeStampedModel):
    """The unit's *Maklumat Pelayanan* (PermenPANRB 15/2014): its public pledge to deliver its
    services by its standards, signed by the head of the unit and displayed beside the posters.

    A draft (``confirmed`` off) is seen by the unit's staff only; once the unit's administrator
    or head confirms it, it is public (page and printable PDF). Every change is audited."""

    unit = models.OneToOneField(
        Unit, verbose_name=_("unit"), related_name="service_pledge", on_delete=models.CASCADE
    )
    text = models.TextField(
        _("text of the pledge"),
        default=DEFAULT_PLEDGE_TEXT,
        help_text=_("Plain text; paragraphs separated by an empty line."),
    )
    signatory_name = models.CharField(_("signatory's name"), max_length=200, blank=True)
    signatory_position = models.CharField(_("signatory's position"), max_length=200)
    signatory_nip = models.CharField(
        _("signatory's NIP"), max_length=40, blank=True, help_text=_("Optional.")
    )
    place = models.CharField(_("place of signing"), max_length=100)
    signed_on = models.DateField(_("date of signing"), null=True, blank=True)
    confirmed = models.BooleanField(
        _("confirmed"),
        default=False,
        help_text=_("Only a confirmed pledge is public; until then it is a draft for staff."),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last changed by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )

    class Meta:
        verbose_name = _("service pledge (Maklumat Pelayanan)")
        verbose_name_plural = _("service pledges (Maklumat Pelayanan)")
        ordering = ["unit__path"]

    def __str__(self) -> str:
        return f"Maklumat Pelayanan {self.unit.name}"

    def get_absolute_url(self) -> str:
        return reverse("catalog:pledge", args=[self.unit.slug])

    def clean(self) -> None:
        """A pledge has a text; a confirmed one names its signatory, place and date."""
        from django.core.exceptions import ValidationError

        errors = {}
        if not (self.text or "").strip():
            errors["text"] = _("The pledge needs a text.")
        if self.confirmed:
            for field, message in (
                ("signatory_name", _("Name the signatory before confirming.")),
                ("signatory_position", _("Give the signatory's position before confirming.")),
                ("place", _("Give the place of signing before confirming.")),
                ("signed_on", _("Give the date of signing before confirming.")),
            ):
                if not getattr(self, field):
                    errors[field] = message
        if errors:
            raise ValidationError(errors)
