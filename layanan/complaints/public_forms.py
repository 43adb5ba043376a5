"""Forms of the public complaint pages: the complaint itself and the tracking-code lookup.

Personal data is kept to a minimum: name, e-mail and telephone are optional; giving any of
them needs the reporter's consent to their use; and an anonymous complaint discards them in
``clean()`` whatever the browser sent (the service drops them again, and a database constraint
refuses them). A hidden honeypot field catches simple bots.
"""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from layanan.cases.attachments import AttachmentsField
from layanan.cases.numbering import CODE_ALPHABET, CODE_LENGTH, normalise_public_code
from layanan.catalog.models import ServiceStandard
from layanan.core.models import Unit
from layanan.core.phones import PhoneField

from .selectors import complaint_standards, complaint_units

IDENTITY_FIELDS = ("name", "email", "phone")
NORMAL, CONFIDENTIAL, ANONYMOUS = "normal", "confidential", "anonymous"
IDENTITY_CHOICES = [
    (NORMAL, _("With my name")),
    (CONFIDENTIAL, _("Confidential")),
    (ANONYMOUS, _("Anonymous")),
]
# Shown under each choice (the template renders them beside the radio buttons).
IDENTITY_EXPLANATIONS = {
    NORMAL: _(
        "The officers handling your complaint can see your name and contact details, to ask "
        "you questions and send you the answer."
    ),
    CONFIDENTIAL: _(
        "Only the complaint officer can see who you are. The staff who handle your complaint, "
        "and the public, will not know."
    ),
    ANONYMOUS: _(
        "We do not keep your name, email or telephone number, even if you fill them in: nobody "
        "can know who sent the complaint. You will therefore not receive any email or message: "
        "keep the tracking code, it is the only way to follow your complaint."
    ),
}
HONEYPOT_FIELD = "website"
_CODE_RE = re.compile(rf"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")


def service_label(standard: ServiceStandard) -> str:
    """A service as the complaint form lists it: with its unit, since several units offer a
    service of the same name ("Pelayanan Konsultasi — Biro Perekonomian")."""
    return f"{standard.name} — {standard.unit.display_name}"


class ServiceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ServiceStandard) -> str:
        return service_label(obj)


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return obj.name


class ComplaintForm(forms.Form):
    """The complaint as a citizen writes it. With ``unit`` given the office is fixed (the
    ``/pengaduan/<unit>/`` page) and only its services are offered."""

    unit = UnitChoiceField(
        label=_("Office"),
        queryset=Unit.objects.none(),
        empty_label=_("— choose the office —"),
        help_text=_("The office your complaint is about."),
        error_messages={"required": _("Choose the office your complaint is about.")},
    )
    service = ServiceChoiceField(
        label=_("Service (optional)"),
        queryset=ServiceStandard.objects.none(),
        required=False,
        empty_label=_("— general / not sure —"),
    )
    subject = forms.CharField(
        label=_("Subject (optional)"),
        max_length=200,
        required=False,
        help_text=_("A few words, e.g. “Queue at the front desk too long”."),
    )
    description = forms.CharField(
        label=_("What happened?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Describe what happened, when, and what you expected."),
        error_messages={"required": _("Please describe your complaint.")},
    )
    location = forms.CharField(
        label=_("Where did it happen? (optional)"),
        max_length=300,
        required=False,
    )
    attachments = AttachmentsField(label=_("Attachments (optional)"))
    identity = forms.ChoiceField(
        label=_("How do you want to send it?"),
        choices=IDENTITY_CHOICES,
        initial=NORMAL,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how you want to send your complaint.")},
    )
    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        required=False,
        help_text=_("We send the tracking code and the answer to this address."),
    )
    phone = PhoneField(label=_("Telephone / WhatsApp"), required=False)
    consent = forms.BooleanField(
        label=_("I agree that my name and contact details are used to handle this complaint."),
        required=False,
        help_text=_(
            "They are used only to handle this complaint and to tell you about it, are never "
            "shown on the tracking page, and are not given to anyone else."
        ),
    )
    # Honeypot: hidden from people (CSS, aria-hidden, not focusable); bots fill every field.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args, unit: Unit | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fixed_unit = unit
        standards = complaint_standards()
        if unit is not None:
            standards = standards.filter(unit__path__startswith=unit.path)
            del self.fields["unit"]
        else:
            self.fields["unit"].queryset = complaint_units()
        self.fields["service"].queryset = standards
        # Read when shown, once: a POST that is valid never needs the list (the chosen service
        # is looked up on its own), so it costs no query there.
        self._service_choices: list | None = None

        def service_choices() -> list:
            if self._service_choices is None:
                self._service_choices = self._grouped_service_choices(standards)
            return self._service_choices

        self.fields["service"].choices = service_choices
        widgets = {
            "subject": {"autocomplete": "off"},
            "location": {"autocomplete": "off"},
            "name": {"autocomplete": "name"},
            "email": {"autocomplete": "email", "inputmode": "email"},
            "phone": {"autocomplete": "tel", "inputmode": "tel", "type": "tel"},
            HONEYPOT_FIELD: {"autocomplete": "off", "tabindex": "-1"},
        }
        for name, attrs in widgets.items():
            self.fields[name].widget.attrs.update(attrs)
            if "type" in attrs:
                self.fields[name].widget.input_type = attrs["type"]

    def _grouped_service_choices(self, standards) -> list:
        """One option group per unit when services of several units are offered."""
        groups: dict[int, tuple[str, list]] = {}
        for standard in standards:
            groups.setdefault(standard.unit_id, (standard.unit.name, []))[1].append(
                (standard.pk, service_label(standard))
            )
        empty = [("", self.fields["service"].empty_label)]
        if len(groups) == 1:
            return empty + next(iter(groups.values()))[1]
        return empty + list(groups.values())

    def clean(self):
        data = super().clean()
        if data.get(HONEYPOT_FIELD):
            raise forms.ValidationError(
                _("Your complaint could not be sent. Leave the last field empty and try again."),
                code="honeypot",
            )
        mode = data.get("identity") or NORMAL
        data["anonymous"] = mode == ANONYMOUS
        data["confidential"] = mode == CONFIDENTIAL
        if data["anonymous"]:
            # Anonymous means nothing is kept, not merely hidden.
            for name in IDENTITY_FIELDS:
                data[name] = ""
                self.errors.pop(name, None)  # e.g. a malformed e-mail that will not be kept
        elif any(data.get(name) for name in IDENTITY_FIELDS) and not data.get("consent"):
            self.add_error(
                "consent",
                _(
                    "Please agree to the use of your contact details, or leave them empty, "
                    "or send the complaint anonymously."
                ),
            )
        elif mode == CONFIDENTIAL and not any(data.get(name) for name in IDENTITY_FIELDS):
            self.add_error(
                "identity",
                _(
                    "A confidential complaint needs at least your name or a way to contact "
                    "you. Fill them in, or choose “Anonymous”."
                ),
            )
        unit = self.fixed_unit or data.get("unit")
        service = data.get("service")
        if unit is None and service is not None:
            # The office left empty but a service chosen: the service names its office.
            unit = service.unit
            self.errors.pop("unit", None)
        if unit is not None and service is not None and not service.unit.is_within(unit):
            self.add_error(
                "service",
                _(
                    "“%(service)s” is a service of %(service_unit)s, not of %(unit)s. Choose "
                    "a service of %(unit)s, or “general / not sure”, or change the office."
                )
                % {"service": service.name, "service_unit": service.unit.name, "unit": unit.name},
            )
        data["unit_resolved"] = unit
        return data

    @property
    def honeypot_tripped(self) -> bool:
        return any(e.code == "honeypot" for e in self.non_field_errors().as_data())


class TrackForm(forms.Form):
    """A tracking code as people type it: any case, with dashes or spaces."""

    kode = forms.CharField(
        label=_("Tracking code"),
        max_length=40,
        help_text=_("12 letters and digits, e.g. ABCD-EFGH-JKMN."),
        error_messages={"required": _("Enter your tracking code.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "placeholder": "ABCD-EFGH-JKMN",
            }
        ),
    )

    def clean_kode(self) -> str:
        code = normalise_public_code(self.cleaned_data["kode"])
        if not looks_like_code(code):
            raise forms.ValidationError(
                _(
                    "A tracking code has 12 letters and digits, e.g. ABCD-EFGH-JKMN. "
                    "Please check what you typed."
                ),
                code="bad_code",
            )
        return code


def looks_like_code(code: str) -> bool:
    """True when ``code`` (normalised) could be a tracking code at all."""
    return bool(_CODE_RE.match(code))


class ReopenForm(forms.Form):
    """The reporter asks for a closed complaint to be looked at again (within the window)."""

    reason = forms.CharField(
        label=_("Why should your complaint be reopened?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("E.g. what in the answer is missing or not right. Do not write your name."),
        error_messages={"required": _("Please say why your complaint should be reopened.")},
    )
