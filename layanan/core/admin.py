from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from layanan.accounts.admin_access import UnitScopedAdmin
from layanan.workdays.models import OfficeHours

from .models import AuditEntry, Unit
from .read_only_admin import ReadOnlyAdmin


class OfficeHoursInline(admin.TabularInline):
    """A unit's week. No rows: the unit inherits the week of the nearest unit above it."""

    model = OfficeHours
    extra = 0
    max_num = 7
    fields = ["weekday", "opens", "closes"]


@admin.register(Unit)
class UnitAdmin(UnitScopedAdmin, admin.ModelAdmin):
    """Units after the organisation file was loaded (docs/adopting.md)."""

    list_display = ["indented_name", "slug", "code", "kind", "time_zone", "phone", "email"]
    list_filter = ["kind", "time_zone"]
    search_fields = ["name", "short_name", "slug", "code"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    inlines = [OfficeHoursInline]
    fieldsets = [
        (None, {"fields": ["parent", "name", "short_name", "slug", "code", "kind", "position"]}),
        (_("Contacts"), {"fields": ["address", "phone", "whatsapp", "email", "website"]}),
        (_("Time zone"), {"fields": ["time_zone"]}),
    ]

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is OfficeHours and formset.has_changed() and change:
            from layanan.workdays.admin import recompute_message
            from layanan.workdays.services import office_hours_changed

            run = office_hours_changed(actor=request.user, unit=form.instance)
            recompute_message(request, [run])

    @admin.display(description=_("name"), ordering="path")
    def indented_name(self, obj):
        depth = max(obj.path.count("/") - 1, 0)
        return "— " * depth + obj.name


def _may_read_audit(request) -> bool:
    from layanan.accounts.permissions import can

    user = request.user
    return user.is_active and user.is_staff and can(user, "audit.view")


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """The audit log: read-only for everyone; auditors (and superusers) may read it."""

    list_display = ["at", "actor_label", "action", "target_type", "target_repr", "unit"]
    list_filter = [
        "action",
        ("actor", admin.RelatedOnlyFieldListFilter),
        ("at", admin.DateFieldListFilter),
        ("unit", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["actor_label", "target_repr", "target_id"]
    date_hierarchy = "at"
    list_select_related = ["target_type", "unit"]
    list_per_page = 100
    show_full_result_count = False
    fields = [
        "at",
        "actor_label",
        "actor",
        "action",
        "target_type",
        "target_id",
        "target_repr",
        "unit",
        "data",
    ]
    readonly_fields = fields

    def has_module_permission(self, request):
        return _may_read_audit(request)

    def has_view_permission(self, request, obj=None):
        return _may_read_audit(request)
