"""Admin: resources are edited here; bookings are read-only (decisions go through the staff
pages and the services, which record who decided and when)."""

from django.contrib import admin

from layanan.accounts.admin_access import UnitScopedAdmin
from layanan.core.letter_admin import LetterTemplateAdmin
from layanan.core.read_only_admin import ReadOnlyAdmin

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
class BookingDetailAdmin(ReadOnlyAdmin):
    list_display = ["case", "resource", "starts_at", "ends_at", "state", "decided_by"]
    list_filter = ["state", "resource__kind", "resource"]
    search_fields = ["case__number", "purpose", "organisation", "resource__name"]
    list_select_related = ["case", "resource", "decided_by"]
    date_hierarchy = "starts_at"


from .notice_models import FacilityNoticeTemplate  # noqa: E402


@admin.register(FacilityNoticeTemplate)
class FacilityNoticeTemplateAdmin(LetterTemplateAdmin):
    """The unit's facility decision notice (pemberitahuan). ``clean()`` refuses unknown
    placeholders and number patterns without {seq} and {year} (see notices.py).
    A new template starts from the default text (``notices.notice_template_for``)."""

    list_display = ["unit", "number_pattern", "signatory_title", "updated_at"]
    fields = [
        "unit",
        "number_pattern",
        "seq_digits",
        "city",
        "approved_body",
        "refused_body",
        "signatory_title",
        "signatory_name",
        "signatory_nip",
    ]

    def get_changeform_initial_data(self, request):
        from .notices import DEFAULT_APPROVED_BODY, DEFAULT_REFUSED_BODY

        return {
            "approved_body": DEFAULT_APPROVED_BODY,
            "refused_body": DEFAULT_REFUSED_BODY,
            **super().get_changeform_initial_data(request),
        }
