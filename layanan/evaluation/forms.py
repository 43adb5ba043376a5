from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from layanan.core.widgets import DateInput
from layanan.reports.metrics import Month

from .models import ActionStatus, MeetingStatus, ReprimandKind
from .services import parse_case_numbers


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name


class PeopleChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name


class MeetingForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=MeetingStatus.choices)
    planned_on = forms.DateField(label=_("Planned for"), widget=DateInput())
    held_on = forms.DateField(label=_("Held on"), required=False, widget=DateInput())
    attendees = PeopleChoice(
        label=_("Attendees"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    minutes = forms.CharField(
        label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    decisions = forms.CharField(
        label=_("Decisions"),
        required=False,
        help_text=_("One decision per line."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = people


class NewMeetingForm(forms.Form):
    planned_on = forms.DateField(label=_("Planned for"), widget=DateInput())


class ActionForm(forms.Form):
    description = forms.CharField(
        label=_("Action"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    owner = PersonChoice(label=_("Owner"), queryset=None)
    due_on = forms.DateField(label=_("Due date"), widget=DateInput())

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    done_on = forms.DateField(
        label=_("Done on"),
        required=False,
        widget=DateInput(),
        help_text=_("Empty: today."),
    )
    note = forms.CharField(
        label=_("Result"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReprimandForm(forms.Form):
    officer = PersonChoice(label=_("Officer"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=ReprimandKind.choices)
    given_on = forms.DateField(label=_("Date"), widget=DateInput())
    breach = forms.CharField(
        label=_("Breach of the service standard"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )
    case_numbers = forms.CharField(
        label=_("Cases concerned (optional)"),
        required=False,
        max_length=1000,
        help_text=_("Case numbers, separated by commas or spaces."),
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = people
        self.fields["given_on"].initial = timezone.localdate()

    def clean_case_numbers(self) -> list[str]:
        return parse_case_numbers(self.cleaned_data.get("case_numbers", ""))


class RangeForm(forms.Form):
    """``?dari=YYYY-MM-DD&sampai=YYYY-MM-DD``; default this month up to today."""

    dari = forms.DateField(label=_("From"), required=False, widget=DateInput())
    sampai = forms.DateField(label=_("Until"), required=False, widget=DateInput())

    MAX_DAYS = 366

    def clean(self):
        data = super().clean()
        start, end = self.default()
        start = data.get("dari") or start
        end = data.get("sampai") or end
        if end < start:
            raise forms.ValidationError(_("The range ends before it starts."))
        if (end - start).days >= self.MAX_DAYS:
            raise forms.ValidationError(_("Choose a range of at most one year."))
        data["range"] = (start, end)
        return data

    @staticmethod
    def default() -> tuple[dt.date, dt.date]:
        today = timezone.localdate()
        return Month.of(today).first_day, today

    def range(self) -> tuple[dt.date, dt.date]:
        if self.is_bound and self.is_valid():
            return self.cleaned_data["range"]
        return self.default()
