from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class PeriodForm(forms.Form):
    """Which responses an SKM report covers: a survey period, or a date range."""

    periode = forms.ChoiceField(label=_("Survey period"), required=False)
    dari = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sampai = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.periods = {p.slug: p for p in periods}
        self.fields["periode"].choices = [("", _("— dates below —"))] + [
            (p.slug, f"{p.name} ({p.start:%d/%m/%Y}–{p.end:%d/%m/%Y})") for p in periods
        ]

    def clean(self):
        data = super().clean()
        start, end = data.get("dari"), data.get("sampai")
        if not data.get("periode") and bool(start) != bool(end):
            raise forms.ValidationError(
                _("Give both the first and the last day, or choose a period.")
            )
        if start and end and end < start:
            raise forms.ValidationError(_("The last day is before the first day."))
        return data

    def scope(self, default):
        """(start, end, period): what was chosen, else ``default`` (a ``surveys.scope``
        ``ResultsScope``: the period running today, else the last 12 months)."""
        if self.is_bound and self.is_valid():
            data = self.cleaned_data
            if data.get("periode"):
                period = self.periods[data["periode"]]
                return period.start, period.end, period
            if data.get("dari"):
                return data["dari"], data["sampai"], None
        if default.period is not None and not self.is_bound:
            self.initial["periode"] = default.period.slug
        return default.start, default.end, default.period


class FollowUpForm(forms.Form):
    text = forms.CharField(
        label=_("Follow-up plan"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "What the unit will do about the lowest elements and the suggestions, "
            "by whom and by when."
        ),
    )
