from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from layanan.accounts.admin_access import UnitScopedAdmin
from layanan.core.read_only_admin import ReadOnlyAdmin

from .models import CalendarRecompute, Holiday, OfficeHours, OfficeHoursOverride
from .selectors import calendar_gaps
from .services import (
    holiday_confirm,
    holiday_delete,
    holiday_save,
    office_hours_changed,
    override_delete,
    override_save,
)


def recompute_message(request, runs) -> None:
    """Tell the administrator that running cases are being recomputed, and where to read how
    many moved (the run's page; the count appears when the background task finishes)."""
    runs = [run for run in runs if run is not None]
    if not runs:
        return
    if len(runs) == 1:
        url = reverse("admin:workdays_calendarrecompute_change", args=[runs[0].pk])
    else:
        url = reverse("admin:workdays_calendarrecompute_changelist")
    messages.info(
        request,
        format_html(
            gettext(
                "The due times of running cases this change touches are being recomputed in "
                'the background. <a href="{url}">See how many cases moved</a> once it has '
                "finished."
            ),
            url=url,
        ),
    )


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


class DecreeForm(forms.Form):
    decree_number = forms.CharField(
        label=_("Decree number"),
        max_length=120,
        help_text=_("E.g. SKB 3 Menteri No. 1497/2025, 2/2025, 5/2025."),
    )
    decree_date = forms.DateField(
        label=_("Decree date"), widget=forms.DateInput(attrs={"type": "date"})
    )


@admin.action(description=_("Confirm against the decree"), permissions=["change"])
def confirm_against_decree(modeladmin, request, queryset):
    """Ask for the decree's number and date, then confirm each selected holiday (audited)."""
    form = DecreeForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        for holiday in queryset:
            holiday_confirm(
                actor=request.user,
                holiday=holiday,
                decree_number=form.cleaned_data["decree_number"],
                decree_date=form.cleaned_data["decree_date"],
            )
        count = queryset.count()
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d holiday confirmed against the decree.",
                "%(count)d holidays confirmed against the decree.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
        return None
    return TemplateResponse(
        request,
        "admin/workdays/holiday/confirm_decree.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": _("Confirm against the decree"),
            "opts": modeladmin.model._meta,
            "holidays": queryset,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        },
    )


@admin.register(Holiday)
class HolidayAdmin(UnitScopedAdmin, admin.ModelAdmin):
    list_display = ["date", "name", "kind", "unit", "source_label", "is_estimated", "cancelled"]
    list_filter = [YearFilter, "kind", "source", "is_estimated", "cancelled", "unit"]
    search_fields = ["name", "note", "decree_number"]
    date_hierarchy = "date"
    readonly_fields = ["source", "created_at", "updated_at"]
    fields = [
        "date",
        "name",
        "kind",
        "unit",
        "is_estimated",
        "cancelled",
        "decree_number",
        "decree_date",
        "note",
        *readonly_fields,
    ]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]
    actions = [confirm_against_decree]
    change_list_template = "admin/workdays/holiday/change_list.html"

    @admin.display(description=_("source"))
    def source_label(self, obj):
        return obj.source_label

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "calendar_gaps": calendar_gaps()}
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        holiday_save(actor=request.user, holiday=obj, changed=bool(form.changed_data) or not change)
        recompute_message(request, [obj.calendar_run])

    def delete_model(self, request, obj):
        deleted = holiday_delete(actor=request.user, holiday=obj)
        recompute_message(request, [obj.calendar_run])
        if not deleted:
            messages.warning(
                request,
                _(
                    "%(holiday)s came from the holidays package: it was cancelled instead of "
                    "deleted, so that the next sync does not add it again."
                )
                % {"holiday": obj},
            )

    def delete_queryset(self, request, queryset):
        rows = list(queryset)
        cancelled = sum(not holiday_delete(actor=request.user, holiday=obj) for obj in rows)
        recompute_message(request, [obj.calendar_run for obj in rows])
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

    def save_model(self, request, obj, form, change):
        previous_unit = form.initial.get("unit") if change else None
        super().save_model(request, obj, form, change)
        if change and not form.changed_data:
            return
        runs = [office_hours_changed(actor=request.user, unit=obj.unit)]
        if previous_unit and previous_unit != obj.unit_id:
            from layanan.core.models import Unit

            runs.append(
                office_hours_changed(actor=request.user, unit=Unit.objects.get(pk=previous_unit))
            )
        recompute_message(request, runs)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        recompute_message(request, [office_hours_changed(actor=request.user, unit=obj.unit)])

    def delete_queryset(self, request, queryset):
        units = {row.unit for row in queryset.select_related("unit")}
        super().delete_queryset(request, queryset)
        recompute_message(
            request, [office_hours_changed(actor=request.user, unit=unit) for unit in units]
        )


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

    def save_model(self, request, obj, form, change):
        run = override_save(
            actor=request.user, override=obj, changed=bool(form.changed_data) or not change
        )
        recompute_message(request, [run])

    def delete_model(self, request, obj):
        recompute_message(request, [override_delete(actor=request.user, override=obj)])

    def delete_queryset(self, request, queryset):
        runs = [override_delete(actor=request.user, override=obj) for obj in queryset]
        recompute_message(request, runs)


@admin.register(CalendarRecompute)
class CalendarRecomputeAdmin(ReadOnlyAdmin):
    """What each calendar change did to running cases: read-only."""

    list_display = [
        "requested_at",
        "reason",
        "requested_by",
        "unit",
        "date_from",
        "date_to",
        "status",
        "cases_moved",
        "cases_checked",
        "finished_at",
    ]
    list_filter = ["status"]
    search_fields = ["reason"]
    date_hierarchy = "requested_at"
    list_select_related = ["requested_by", "unit"]
