"""The questionnaire as a form: nine questions with the regulation's answer labels, the
respondent profile (every part optional: a respondent may decline) and a comment."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from layanan.catalog.models import ServiceStandard
from layanan.core.models import Unit

from .questionnaire import ELEMENTS, Education, Gender, Occupation

PROFILE_FIELDS = ("gender", "age", "education", "occupation")


class SurveyForm(forms.Form):
    gender = forms.ChoiceField(
        label=_("Gender"),
        choices=Gender.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    age = forms.IntegerField(
        label=_("Age (years)"),
        min_value=10,
        max_value=120,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    education = forms.ChoiceField(
        label=_("Education"), choices=[("", "—"), *Education.choices], required=False
    )
    occupation = forms.ChoiceField(
        label=_("Occupation"), choices=[("", "—"), *Occupation.choices], required=False
    )
    comment = forms.CharField(
        label=_("Suggestions for improving our service"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for element in ELEMENTS:
            self.fields[element.field] = forms.TypedChoiceField(
                label=element.question,
                choices=element.choices(),
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Please choose one answer.")},
            )

    def answer_fields(self):
        return [(element, self[element.field]) for element in ELEMENTS]

    def profile_fields(self):
        return [self[name] for name in PROFILE_FIELDS]

    def answers(self) -> dict[str, int]:
        return {e.field: self.cleaned_data[e.field] for e in ELEMENTS}

    def profile(self) -> dict[str, object]:
        return {name: self.cleaned_data.get(name) for name in (*PROFILE_FIELDS, "comment")}


def kiosk_services(unit: Unit):
    """Published services of the unit and its sub-units, in catalogue order."""
    return (
        ServiceStandard.objects.published()
        .filter(unit__path__startswith=unit.path)
        .select_related("unit")
        .order_by("unit__path", "position", "name")
    )


class ServiceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ServiceStandard) -> str:
        return obj.name


class KioskForm(SurveyForm):
    """The walk-in questionnaire: first the service received."""

    field_order = ["service"]

    def __init__(self, *args, unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        services = kiosk_services(unit)
        self.has_services = services.exists()
        if not self.has_services:  # a unit without a published standard: rate the unit
            return
        self.fields["service"] = ServiceChoiceField(
            label=_("Which service did you receive?"),
            queryset=services,
            widget=forms.RadioSelect,
            empty_label=None,
            error_messages={
                "required": _("Please choose the service you received."),
                "invalid_choice": _("Please choose the service you received."),
            },
        )
        self.order_fields(self.field_order)
