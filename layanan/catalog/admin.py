from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext_lazy as _

from layanan.accounts.admin_access import UnitScopedAdmin
from layanan.core.errors import ApplicationError

from .components import LIST_FIELDS
from .forms import LinesField
from .models import (
    ComplaintChannel,
    ComplaintClass,
    CompletionTime,
    Fee,
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


@admin.register(ServiceStandard)
class ServiceStandardAdmin(UnitScopedAdmin, admin.ModelAdmin):
    list_display = ["name", "unit", "service_kind", "published_version", "accepts_complaints"]
    list_filter = ["unit", "service_kind"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["unit"]
    readonly_fields = ["published_version"]
    inlines = [VersionInline]


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
