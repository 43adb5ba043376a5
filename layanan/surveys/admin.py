"""Admin: survey periods are edited here; responses are read-only and never show the case
(who answered stays out of sight, as on every other page).

Periods made automatically (``periods.py``) are marked; saving one here makes it the
administrator's own, which the automatic planning then never moves or removes. The reminders
sent about a period are listed on it, read-only."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import SurveyPeriod, SurveyPeriodReminder, SurveyResponse
from .questionnaire import ELEMENT_FIELDS


class SurveyPeriodReminderInline(admin.TabularInline):
    model = SurveyPeriodReminder
    fields = ["kind", "at", "respondents", "min_sample", "ikm", "queued"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SurveyPeriod)
class SurveyPeriodAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "start", "end", "population", "auto"]
    list_filter = ["auto", "unit"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["unit"]
    readonly_fields = ["auto"]
    inlines = [SurveyPeriodReminderInline]

    def save_model(self, request, obj, form, change):
        # Whatever the administrator saves is theirs: never moved or removed automatically.
        obj.auto = False
        super().save_model(request, obj, form, change)


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
