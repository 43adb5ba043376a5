"""Admin: resources are edited here; bookings are read-only (decisions go through the staff
pages and the services, which record who decided and when)."""

from django.contrib import admin

from layanan.accounts.admin_access import UnitScopedAdmin
from layanan.core.audit import audit_log
from layanan.core.models import AuditAction

from .models import BookingDetail, Resource


@admin.register(Resource)
class ResourceAdmin(UnitScopedAdmin, admin.ModelAdmin):
    list_display = ["name", "kind", "capacity", "unit", "location", "is_active"]
    list_filter = ["kind", "is_active", "unit"]
    search_fields = ["name", "location", "rules"]
    list_select_related = ["unit"]
    autocomplete_fields = []
    fields = ["unit", "name", "kind", "capacity", "location", "rules", "is_active"]


@admin.register(BookingDetail)
class BookingDetailAdmin(admin.ModelAdmin):
    list_display = ["case", "resource", "starts_at", "ends_at", "state", "decided_by"]
    list_filter = ["state", "resource__kind", "resource"]
    search_fields = ["case__number", "purpose", "organisation", "resource__name"]
    list_select_related = ["case", "resource", "decided_by"]
    date_hierarchy = "starts_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


from .audience_models import AudienceDetail, ReplyLetterTemplate  # noqa: E402


@admin.register(ReplyLetterTemplate)
class ReplyLetterTemplateAdmin(UnitScopedAdmin, admin.ModelAdmin):
    """The unit's reply letter for audience requests. ``clean()`` refuses unknown placeholders
    and number patterns without {seq} and {year} (see bookings/audience_letters.py)."""

    list_display = ["unit", "number_pattern", "subject", "signatory_title", "updated_at"]
    list_select_related = ["unit"]
    fields = [
        "unit",
        "number_pattern",
        "seq_digits",
        "city",
        "subject",
        "body",
        "signatory_title",
        "signatory_name",
        "signatory_nip",
    ]

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
        audit_log(
            actor=request.user,
            action=AuditAction.LETTER_TEMPLATE_CHANGED,
            target=obj,
            unit=obj.unit,
            data={"created": not change, "fields": sorted(form.changed_data)},
        )


@admin.register(AudienceDetail)
class AudienceDetailAdmin(admin.ModelAdmin):
    list_display = ["case", "organisation", "preferred_date_1", "reply_number", "reply_date"]
    search_fields = ["case__number", "organisation", "topic", "reply_number"]
    list_select_related = ["case"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
