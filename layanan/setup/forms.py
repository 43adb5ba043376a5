from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from layanan.core.models import TimeZone, Unit, UnitKind


class AdminForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("Email"))
    password1 = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
        strip=False,
    )
    password2 = forms.CharField(
        label=_("Password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data


ZONE_CHOICES = [(value, label) for value, label in TimeZone.choices]


class OrganisationForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the organisation"),
        max_length=200,
        help_text=_("E.g. Pemerintah Kabupaten Sambas."),
    )
    short_name = forms.CharField(label=_("Short name"), max_length=60, required=False)
    slug = forms.SlugField(
        label=_("Slug"), max_length=80, help_text=_("Used in addresses, e.g. pemkab-sambas.")
    )
    code = forms.CharField(label=_("Number prefix"), max_length=12, required=False)
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=ZONE_CHOICES)


class OrganisationFileForm(forms.Form):
    file = forms.FileField(
        label=_("Organisation file (TOML)"),
        help_text=_("The format is described in docs/adopting.md."),
    )


class UnitForm(forms.Form):
    parent = forms.ModelChoiceField(label=_("Parent unit"), queryset=Unit.objects.none())
    name = forms.CharField(label=_("Name"), max_length=200)
    short_name = forms.CharField(label=_("Short name"), max_length=60, required=False)
    slug = forms.SlugField(label=_("Slug"), max_length=80)
    code = forms.CharField(label=_("Number prefix"), max_length=12, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=UnitKind.choices, initial=UnitKind.BUREAU)
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=[("", _("Same as the unit above")), *ZONE_CHOICES],
        required=False,
    )
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=60, required=False)
    whatsapp = forms.CharField(label=_("WhatsApp"), max_length=40, required=False)
    website = forms.CharField(label=_("Website"), max_length=200, required=False)
    address = forms.CharField(
        label=_("Address"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Unit.objects.order_by("path")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class StandardsForm(forms.Form):
    files = MultipleFileField(
        label=_("Service standards"),
        help_text=_("PDF, DOCX, TXT or MD; several files at once."),
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("Recognise from the document"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.order_by("path")
