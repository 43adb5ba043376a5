"""Admin: survey periods are edited here; responses are read-only and never show the case
(who answered stays out of sight, as on every other page)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import SurveyPeriod, SurveyResponse
from .questionnaire import ELEMENT_FIELDS


@admin.register(SurveyPeriod)
class SurveyPeriodAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "start", "end", "population"]
    list_filter = ["unit"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["unit"]


@admin.register(SurveyResponse)
class SurveyResponseAdmin(admin.ModelAdmin):
    list_display = ["answered_on", "unit", "service", "channel", "total"]
    list_filter = ["channel", "unit", "answered_on"]
    date_hierarchy = "answered_on"
    list_select_related = ["unit", "service"]
    fields = [
        "unit",
        "service",
        "channel",
        "answered_on",
        *ELEMENT_FIELDS,
        "gender",
        "age",
        "education",
        "occupation",
        "comment",
        "source_name",
        "created_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("sum of answers"))
    def total(self, obj: SurveyResponse) -> int:
        return sum(obj.answers())

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
