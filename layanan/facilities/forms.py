"""Forms of facility requests: the public request, the staff decisions, the list filter."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from layanan.cases.attachments import AttachmentsField
from layanan.core.phones import PhoneField
from layanan.core.widgets import DATETIME_LOCAL, DateTimeLocalInput
from layanan.intake.letter_forms import LetterRecordFields

from .models import BookingState, Resource
from .services import validate_time_range


class ResourceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Resource) -> str:
        parts = [obj.name, obj.get_kind_display()]
        if obj.capacity:
            parts.append(_("up to %(n)s people") % {"n": obj.capacity})
        return f"{parts[0]} ({', '.join(str(p) for p in parts[1:])}) · {obj.unit.display_name}"


class FacilityRequestForm(forms.Form):
    resource = ResourceChoiceField(
        label=_("Facility"),
        queryset=Resource.objects.none(),
        empty_label=_("— choose —"),
        error_messages={"invalid_choice": _("Choose one of the facilities in the list.")},
    )
    starts_at = forms.DateTimeField(
        label=_("From"),
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M"],
        error_messages={"invalid": _("Enter a date and time, e.g. 2026-02-02 09:00.")},
    )
    ends_at = forms.DateTimeField(
        label=_("Until"),
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M"],
        error_messages={"invalid": _("Enter a date and time, e.g. 2026-02-02 11:00.")},
    )
    participants = forms.IntegerField(
        label=_("Number of participants"), required=False, min_value=1, max_value=100000
    )
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What is the facility for? E.g. a coordination meeting, a seminar, a trip."),
    )
    organisation = forms.CharField(
        label=_("Organisation / organiser"), max_length=200, required=False
    )
    name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = PhoneField(label=_("Telephone / WhatsApp"), required=False)
    # The standard's requirement: the request letter (surat permintaan/permohonan).
    letter = AttachmentsField(
        label=_("Request letter"),
        required=True,
        error_messages={"required": _("Please attach your request letter (PDF or photo).")},
    )
    # Honeypot: people never see it; robots fill it.
    # Hidden from assistive technology and out of the tab order (axe: aria-hidden-focus).
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, resources=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource"].queryset = (
            resources
            if resources is not None
            else Resource.objects.filter(is_active=True).select_related("unit")
        )

    def clean(self):
        data = super().clean()
        resource, start, end = data.get("resource"), data.get("starts_at"), data.get("ends_at")
        if start and end:
            if end <= start:
                self.add_error("ends_at", _("The end must be after the start."))
            elif start < timezone.now():
                self.add_error("starts_at", _("The start is in the past."))
            elif resource is not None:
                from layanan.core.errors import ApplicationError

                try:
                    validate_time_range(
                        resource=resource, starts_at=start, ends_at=end, now=timezone.now()
                    )
                except ApplicationError as exc:
                    self.add_error("ends_at", exc.message)
        participants = data.get("participants")
        over = (
            resource is not None and resource.capacity and (participants or 0) > resource.capacity
        )
        if over:
            self.add_error(
                "participants",
                _("%(resource)s holds at most %(capacity)s people.")
                % {"resource": resource.name, "capacity": resource.capacity},
            )
        given = data.get("email") or data.get("phone")
        if not given and not {"email", "phone"} & self.errors.keys():
            self.add_error(
                "email",
                _(
                    "Please give an email address or a telephone number so we can tell you "
                    "the decision."
                ),
            )
        if data.get("website"):
            raise forms.ValidationError(_("Your request could not be sent."))
        return data

    def request_kwargs(self) -> dict:
        """The cleaned request as ``services.booking_request_create`` takes it."""
        data = self.cleaned_data
        return {
            "resource": data["resource"],
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "purpose": data["purpose"],
            "participants": data.get("participants"),
            "organisation": data.get("organisation", ""),
            "requester_name": data["name"],
            "requester_email": data.get("email", ""),
            "requester_phone": data.get("phone", ""),
            "letter_uploads": data.get("letter") or [],
        }


class FacilityRecordForm(LetterRecordFields, FacilityRequestForm):
    """Staff record a request that arrived as a paper letter (or by another channel): the
    letter's number and date and its scan, and when it was received (the deadline counts from
    then). The letter's fields and checks are ``intake/letter_forms.py``'s, as the audience's
    record form; the scan is the public form's ``letter``, optional here."""

    scan_field = "letter"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["website"]
        self.fields["letter"].label = _("Scanned letter")
        self.fields["letter"].required = False
        self.fields["name"].label = _("Requester's name")


class DecisionForm(forms.Form):
    """One decision's text: the note of an approval, the reason of a refusal (required) or of
    a cancellation. Used with the action as prefix (``refuse-text``)."""

    text = forms.CharField(
        label=_("Reason / note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, require_text: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.require_text = require_text
        if require_text:
            self.fields["text"].label = _("Reason for the refusal")
            self.fields["text"].required = True
            self.fields["text"].error_messages["required"] = _(
                "Please give the reason for the refusal."
            )


class BookingFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All")), *BookingState.choices]
    )
    resource = forms.ModelChoiceField(
        label=_("Facility"), required=False, queryset=Resource.objects.none(), empty_label=_("All")
    )
    upcoming = forms.BooleanField(label=_("Not yet over"), required=False)

    def __init__(self, *args, resources=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource"].queryset = (
            resources if resources is not None else Resource.objects.none()
        )
