"""The registration form (front desk and kiosk) and the desk's action forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from layanan.core.phones import PhoneField

from .services import DESK_MAX, NAME_MAX, ORIGIN_MAX, OUTCOME_MAX, PURPOSE_MAX


class VisitForm(forms.Form):
    """Name, phone, origin, purpose and the chosen service's requirements as checkboxes."""

    phone = PhoneField(
        label=_("Telephone / WhatsApp"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    name = forms.CharField(label=_("Name"), max_length=NAME_MAX)
    origin = forms.CharField(
        label=_("Origin / institution"),
        max_length=ORIGIN_MAX,
        required=False,
        help_text=_("E.g. Dinas Sosial Kabupaten Sambas, or “personal”."),
    )
    email = forms.EmailField(
        label=_("E-mail (optional)"),
        max_length=254,
        required=False,
        help_text=_("For the link to the satisfaction survey after the visit."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    purpose = forms.CharField(
        label=_("Purpose of the visit"),
        max_length=PURPOSE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    requirements = forms.MultipleChoiceField(
        label=_("Requirements presented"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, standard=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.standard = standard
        items = list(standard.published_version.requirements) if standard is not None else []
        self.fields["requirements"].choices = [(item, item) for item in items]
        if not items:
            del self.fields["requirements"]
        if standard is None:
            self.fields["purpose"].required = True

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())


class CallForm(forms.Form):
    desk = forms.CharField(label=_("Desk"), max_length=DESK_MAX)


class RouteForm(forms.Form):
    division = forms.ModelChoiceField(label=_("Division (Bagian)"), queryset=None)
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        from layanan.core.models import Unit

        self.fields["division"].queryset = (
            Unit.objects.filter(parent=unit).order_by("position", "name")
            if unit is not None
            else Unit.objects.none()
        )


class FinishForm(forms.Form):
    outcome = forms.CharField(
        label=_("Outcome"), max_length=OUTCOME_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )


class RegisterFilterForm(forms.Form):
    """The guest book's filters: a day range (default today; "this month" is a shortcut in the
    page), the service, the Bagian and the state. Invalid input falls back to the defaults
    with the error shown, never a 500."""

    MAX_DAYS = 366

    dari = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sampai = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    layanan = forms.ChoiceField(label=_("Service"), required=False)
    bagian = forms.ModelChoiceField(
        label=_("Division (Bagian)"), queryset=None, required=False, empty_label=_("All")
    )
    status = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[
            ("", _("All")),
            ("waiting", _("Waiting")),
            ("serving", _("Being served")),
            ("finished", _("Finished")),
            ("not_present", _("Not present")),
        ],
    )

    ttd = forms.BooleanField(label=_("Signature column in the PDF"), required=False)

    def __init__(self, *args, unit, services, today, **kwargs):
        super().__init__(*args, **kwargs)
        from layanan.core.models import Unit

        self.today = today
        self.fields["layanan"].choices = [
            ("", _("All")),
            *[(str(s.pk), s.name) for s in services],
            ("none", _("Other purpose (guest book)")),
        ]
        self.fields["bagian"].queryset = Unit.objects.filter(parent=unit).order_by(
            "position", "name"
        )

    def clean(self):
        data = super().clean()
        start = data.get("dari") or data.get("sampai") or self.today
        end = data.get("sampai") or (start if data.get("dari") else self.today)
        if end < start:
            raise forms.ValidationError(_("The last day comes before the first day."))
        if (end - start).days >= self.MAX_DAYS:
            raise forms.ValidationError(
                _("Choose at most %(days)s days at a time.") % {"days": self.MAX_DAYS}
            )
        data["dari"], data["sampai"] = start, end
        return data

    def filters(self) -> dict:
        """The valid filters, or today's unfiltered register when the input is invalid."""
        if self.is_bound and self.is_valid():
            data = self.cleaned_data
            return {
                "start": data["dari"],
                "end": data["sampai"],
                "service": data.get("layanan") or None,
                "division": data.get("bagian"),
                "state": data.get("status") or None,
            }
        return {"start": self.today, "end": self.today}
