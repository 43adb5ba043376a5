from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from layanan.workdays.models import OfficeHours

from .models import Unit


class OfficeHoursInline(admin.TabularInline):
    """A unit's week. No rows: the unit inherits the week of the nearest unit above it."""

    model = OfficeHours
    extra = 0
    max_num = 7
    fields = ["weekday", "opens", "closes"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
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

    @admin.display(description=_("name"), ordering="path")
    def indented_name(self, obj):
        depth = max(obj.path.count("/") - 1, 0)
        return "— " * depth + obj.name
