from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from layanan.accounts.admin_access import UnitScopedAdmin

from .models import Holiday, OfficeHours, OfficeHoursOverride
from .services import holiday_delete, holiday_save


class YearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = model_admin.get_queryset(request).dates("date", "year", order="DESC")
        return [(str(d.year), str(d.year)) for d in years]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.in_year(int(value))
        return queryset


@admin.register(Holiday)
class HolidayAdmin(UnitScopedAdmin, admin.ModelAdmin):
    list_display = ["date", "name", "kind", "source", "is_estimated", "cancelled"]
    list_filter = [YearFilter, "kind", "source", "is_estimated", "cancelled"]
    search_fields = ["name", "note"]
    date_hierarchy = "date"
    readonly_fields = ["source", "created_at", "updated_at"]
    fields = ["date", "name", "kind", "is_estimated", "cancelled", "note", *readonly_fields]

    def save_model(self, request, obj, form, change):
        holiday_save(holiday=obj, changed=bool(form.changed_data) or not change)

    def delete_model(self, request, obj):
        if not holiday_delete(holiday=obj):
            messages.warning(
                request,
                _(
                    "%(holiday)s came from the holidays package: it was cancelled instead of "
                    "deleted, so that the next sync does not add it again."
                )
                % {"holiday": obj},
            )

    def delete_queryset(self, request, queryset):
        cancelled = sum(not holiday_delete(holiday=obj) for obj in queryset)
        if cancelled:
            messages.warning(
                request,
                ngettext(
                    "%(count)d holiday came from the holidays package and was cancelled instead "
                    "of deleted.",
                    "%(count)d holidays came from the holidays package and were cancelled "
                    "instead of deleted.",
                    cancelled,
                )
                % {"count": cancelled},
            )


@admin.register(OfficeHours)
class OfficeHoursAdmin(UnitScopedAdmin, admin.ModelAdmin):
    list_display = ["unit", "weekday", "opens", "closes"]
    list_filter = ["weekday"]
    search_fields = ["unit__name", "unit__slug"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]


@admin.register(OfficeHoursOverride)
class OfficeHoursOverrideAdmin(UnitScopedAdmin, admin.ModelAdmin):
    list_display = [
        "reason",
        "unit",
        "date_from",
        "date_to",
        "weekdays",
        "opens",
        "closes",
        "closed",
    ]
    list_filter = ["closed", "unit"]
    search_fields = ["reason"]
    date_hierarchy = "date_from"
    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]
