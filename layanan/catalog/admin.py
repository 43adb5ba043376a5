from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from layanan.accounts.admin_access import UnitScopedAdmin
from layanan.accounts.permissions import can
from layanan.core.errors import ApplicationError

from . import copying
from .components import COMPONENTS, LIST_FIELDS, MANAGEMENT
from .forms import LinesField
from .models import (
    ComplaintChannel,
    ComplaintClass,
    CompletionTime,
    Fee,
    ServicePledge,
    ServiceStandard,
    StandardVersion,
)
from .services import version_create_draft, version_publish


class VersionInline(UnitScopedAdmin, admin.TabularInline):
    model = StandardVersion
    fields = ["number", "status", "decree_number", "source_name", "published_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


MANAGEMENT_CHOICES = [
    (c.key, f"{c.number}. {c.label}") for c in COMPONENTS if c.group == MANAGEMENT
]


class CopyComponentsForm(forms.Form):
    source = forms.ModelChoiceField(
        label=_("Copy from"), queryset=ServiceStandard.objects.none(), empty_label=None
    )
    components = forms.MultipleChoiceField(
        label=_("Components"),
        choices=MANAGEMENT_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Preselected: those this standard is missing and the other one has."),
    )

    def __init__(self, *args, target: ServiceStandard, **kwargs):
        super().__init__(*args, **kwargs)
        # Every standard of the unit that has a version; the service refuses any other source.
        self.fields["source"].queryset = copying.copy_candidates(target)


@admin.register(ServiceStandard)
class ServiceStandardAdmin(UnitScopedAdmin, admin.ModelAdmin):
    list_display = ["name", "unit", "service_kind", "published_version", "accepts_complaints"]
    list_filter = ["unit", "service_kind"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["unit"]
    readonly_fields = ["published_version"]
    inlines = [VersionInline]
    change_form_template = "admin/catalog/servicestandard/change_form.html"

    def get_urls(self):
        return [
            path(
                "<path:object_id>/copy-components/",
                self.admin_site.admin_view(self.copy_components_view),
                name="catalog_servicestandard_copy_components",
            ),
            *super().get_urls(),
        ]

    def copy_components_view(self, request, object_id):
        """Copy management components from another standard of the same unit: choose, preview,
        confirm (``catalog.copying``)."""
        self._ensure_may_view(request)
        target = self.get_object(request, object_id)
        if target is None:
            raise Http404
        if not can(request.user, "catalog.edit", target):
            raise PermissionDenied
        before = copying.target_version(target)
        missing = {c.key for c in before.missing_components()} if before else set()
        initial = {}
        candidates = list(copying.copy_candidates(target))
        if candidates:
            source = candidates[0]
            has = copying.source_version(source)
            gaps = {c.key for c in has.missing_components()} if has else set()
            initial = {
                "source": source,
                "components": [k for k in copying.COPYABLE if k in missing and k not in gaps],
            }
        form = CopyComponentsForm(request.POST or None, target=target, initial=initial)
        changes = None
        if request.method == "POST" and form.is_valid():
            source = form.cleaned_data["source"]
            keys = form.cleaned_data["components"]
            try:
                if "confirm" in request.POST:
                    draft = copying.standard_copy_components(
                        actor=request.user, target=target, source=source, components=keys
                    )
                    self.message_user(
                        request,
                        _("Copied into %(version)s. Check it and publish it.") % {"version": draft},
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(
                        reverse("admin:catalog_standardversion_change", args=[draft.pk])
                    )
                changes = copying.copy_preview(
                    actor=request.user, target=target, source=source, components=keys
                )
            except ApplicationError as exc:
                form.add_error(None, exc.message)
        return TemplateResponse(
            request,
            "admin/catalog/servicestandard/copy_components.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Copy components from another standard of this unit"),
                "opts": self.model._meta,
                "original": target,
                "target_version": before,
                "missing": [c for c in (before.missing_components() if before else [])],
                "form": form,
                "changes": changes,
                "has_candidates": bool(candidates),
            },
        )


class CompletionTimeInline(UnitScopedAdmin, admin.TabularInline):
    model = CompletionTime
    extra = 0


class FeeInline(UnitScopedAdmin, admin.TabularInline):
    model = Fee
    extra = 0


class ComplaintChannelInline(UnitScopedAdmin, admin.TabularInline):
    model = ComplaintChannel
    extra = 0


class ComplaintClassInline(UnitScopedAdmin, admin.TabularInline):
    model = ComplaintClass
    extra = 0
    prepopulated_fields = {"code": ["name"]}


@admin.register(StandardVersion)
class StandardVersionAdmin(UnitScopedAdmin, admin.ModelAdmin):
    list_display = ["name", "standard", "number", "status", "decree_number", "published_at"]
    list_filter = ["status", "standard__unit"]
    search_fields = ["name", "decree_number", "standard__name"]
    readonly_fields = [
        "standard",
        "number",
        "status",
        "content_hash",
        "import_issues",
        "source_name",
        "created_by",
        "published_at",
        "published_by",
    ]
    inlines = [CompletionTimeInline, FeeInline, ComplaintChannelInline, ComplaintClassInline]
    actions = ["publish_selected", "copy_as_draft"]
    formfield_overrides = {}
    fieldsets = (
        (None, {"fields": ("standard", "number", "status", "name", "decree_number")}),
        (
            _("Service delivery"),
            {
                "fields": (
                    "requirements",
                    "procedure",
                    "completion_note",
                    "fee_note",
                    "products",
                    "complaint_flow",
                )
            },
        ),
        (
            _("Service management"),
            {
                "fields": (
                    "legal_basis",
                    "facilities",
                    "competence",
                    "supervision",
                    "staff_count",
                    "staff_text",
                    "service_guarantee",
                    "safety_guarantee",
                    "evaluation",
                    "meetings_per_month",
                    "surveys_per_year",
                )
            },
        ),
        (
            _("Provenance"),
            {
                "classes": ["collapse"],
                "fields": (
                    "change_note",
                    "source_name",
                    "content_hash",
                    "import_issues",
                    "created_by",
                    "published_at",
                    "published_by",
                ),
            },
        ),
    )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.JSONField) and db_field.name in LIST_FIELDS:
            return LinesField(label=db_field.verbose_name.capitalize())
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        # Published and archived versions are history: edit a new draft instead.
        if obj is not None and obj.status != "draft":
            return False
        return super().has_change_permission(request, obj)

    @admin.action(description=_("Publish the selected draft versions"))
    def publish_selected(self, request, queryset):
        for version in queryset:
            try:
                version_publish(actor=request.user, version=version)
            except ApplicationError as exc:
                self.message_user(request, f"{version}: {exc.message}", messages.ERROR)
            else:
                self.message_user(request, _("Published %(v)s") % {"v": version}, messages.SUCCESS)

    @admin.action(description=_("Copy as a new draft version"))
    def copy_as_draft(self, request, queryset):
        for version in queryset:
            draft = version_create_draft(actor=request.user, source=version)
            self.message_user(request, _("Created %(v)s") % {"v": draft}, messages.SUCCESS)


@admin.register(ServicePledge)
class ServicePledgeAdmin(UnitScopedAdmin, admin.ModelAdmin):
    """The unit's Maklumat Pelayanan: its administrator or head edits and confirms it."""

    list_display = ["unit", "signatory_name", "signed_on", "confirmed", "updated_at"]
    list_filter = ["confirmed"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]
    fields = [
        "unit",
        "text",
        "signatory_name",
        "signatory_position",
        "signatory_nip",
        "place",
        "signed_on",
        "confirmed",
        "confirmed_at",
        "updated_by",
    ]
    readonly_fields = ["confirmed_at", "updated_by"]

    def get_readonly_fields(self, request, obj=None):
        # A pledge stays with its unit.
        return [*self.readonly_fields, "unit"] if obj is not None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        from django.core.exceptions import ValidationError

        from .pledge import pledge_save

        try:
            pledge_save(actor=request.user, pledge=obj)
        except ValidationError as exc:  # validated in the form already; never half-saved
            self.message_user(request, "; ".join(exc.messages), messages.ERROR)
