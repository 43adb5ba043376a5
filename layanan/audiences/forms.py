"""Forms of audience requests: the public request, the staff's record from a letter, the
steps (disposition, schedule, reply, close, refuse), the list filter and the letter template."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from layanan.cases.attachments import AttachmentsField, sniff_content_type
from layanan.cases.models import Status
from layanan.core.models import Unit
from layanan.core.phones import PhoneField
from layanan.core.widgets import DATETIME_LOCAL, DateTimeLocalInput
from layanan.intake.letter_forms import LetterRecordFields, date_field

from .models import ReplyLetterTemplate
from .services import LETTER_TYPES


class LetterField(AttachmentsField):
    """The request letter: PDF or image files, checked by content and size."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "help_text",
            _("The signed letter as PDF or a photo/scan (JPG, PNG, WebP); at most %(size)s a file.")
            % {"size": filesizeformat(settings.ATTACHMENT_MAX_BYTES)},
        )
        super().__init__(*args, **kwargs)
        self.widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png,.webp,application/pdf,image/*"

    def clean(self, data, initial=None):
        files = super().clean(data, initial)
        for upload in files:
            if sniff_content_type(upload) not in LETTER_TYPES:
                raise forms.ValidationError(
                    _("“%(name)s”: the letter must be a PDF or an image (JPG, PNG, WebP).")
                    % {"name": upload.name},
                    code="file_type",
                )
        return files


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return obj.name


class AudienceRequestForm(forms.Form):
    """The public's request (``/audiensi/``)."""

    unit = UnitChoiceField(
        label=_("Office"),
        queryset=Unit.objects.none(),
        empty_label=_("— choose —"),
        error_messages={"invalid_choice": _("Choose one of the offices in the list.")},
    )
    organisation = forms.CharField(label=_("Organisation / institution"), max_length=200)
    topic = forms.CharField(
        label=_("Topic of the audience"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What would you like to discuss, and with whom?"),
    )
    official_requested = forms.CharField(
        label=_("Official you wish to meet"),
        max_length=200,
        required=False,
        help_text=_("E.g. the head of the bureau. Optional."),
    )
    date_1 = date_field(_("Preferred date"), required=True)
    date_2 = date_field(_("Second choice"))
    date_3 = date_field(_("Third choice"))
    participants = forms.IntegerField(label=_("Number of participants"), min_value=1, max_value=500)
    letter = LetterField(
        label=_("Request letter"),
        required=True,
        error_messages={"required": _("Please attach your request letter (PDF or image).")},
    )
    letter_number = forms.CharField(
        label=_("Number of the request letter"),
        max_length=100,
        required=False,
        help_text=_("As written on the letter. Optional."),
    )
    letter_date = date_field(_("Date of the request letter"))
    name = forms.CharField(label=_("Contact person"), max_length=150)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = PhoneField(label=_("Telephone / WhatsApp"), required=False)
    consent = forms.BooleanField(
        label=_("I agree that these contact details are used to handle this request."),
        required=True,
        error_messages={
            "required": _("Please agree to the use of your contact details: we need them to reply.")
        },
        help_text=_("They are never shown on the tracking page and not given to anyone else."),
    )
    # Honeypot: people never see it (hidden, aria-hidden, out of the tab order); robots fill it.
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units

    def preferred_dates(self) -> list:
        return [self.cleaned_data.get(f"date_{i}") for i in (1, 2, 3)]

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        for name in ("date_1", "date_2", "date_3"):
            value = data.get(name)
            if value is not None and value < today:
                self.add_error(name, _("This date is in the past."))
        letter_date = data.get("letter_date")
        if letter_date is not None and letter_date > today:
            self.add_error("letter_date", _("The letter's date cannot be in the future."))
        given = data.get("email") or data.get("phone")
        if not given and not {"email", "phone"} & self.errors.keys():
            self.add_error(
                "email", _("Please give an email address or a telephone number so we can reply.")
            )
        if data.get("website"):
            raise forms.ValidationError(_("Your request could not be sent."))
        return data


class AudienceRecordForm(LetterRecordFields, AudienceRequestForm):
    """Staff record a request received by letter (or another channel), with the scan: the
    paper letter's fields and checks are ``intake/letter_forms.py``'s."""

    scan_field = "letter_scan"

    letter_scan = AttachmentsField(label=_("Scanned letter"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["consent"]
        del self.fields["website"]
        del self.fields["letter"]  # staff attach the scan (letter_scan), any channel


class DispositionForm(forms.Form):
    division = UnitChoiceField(label=_("To"), queryset=Unit.objects.none(), empty_label=None)
    instruction = forms.CharField(
        label=_("Instruction"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, unit: Unit | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if unit is not None:
            self.fields["division"].queryset = unit.descendants(include_self=True).order_by("path")


class OfficialChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name


class ScheduleForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M"],
        error_messages={"invalid": _("Enter a date and time, e.g. 2026-02-02 09:00.")},
    )
    place = forms.CharField(label=_("Place"), max_length=200)
    official = forms.CharField(label=_("Received by (official)"), max_length=200)
    official_user = OfficialChoiceField(
        label=_("Official's account (for the reminder)"),
        queryset=None,
        required=False,
        empty_label=_("— none: remind whoever scheduled —"),
        help_text=_("Gets a reminder the working day before the audience."),
    )
    note = forms.CharField(
        label=_("Internal note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, unit: Unit | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        from layanan.accounts.models import User

        users = User.objects.none()
        if unit is not None:
            ids = unit.descendants(include_self=True).values_list("pk", flat=True)
            users = (
                User.objects.filter(is_active=True, memberships__unit__in=ids)
                .distinct()
                .order_by("full_name", "username")
            )
        self.fields["official_user"].queryset = users


class ReplyForm(forms.Form):
    """Confirm the letter seen in the preview: ``digest`` is the preview's fingerprint."""

    digest = forms.CharField(widget=forms.HiddenInput, max_length=64)
    text = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RefuseForm(forms.Form):
    text = forms.CharField(
        label=_("Reason for the refusal"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Please give the reason for the refusal.")},
    )


class AudienceFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *Status.choices]
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=100)


class ReplyLetterTemplateForm(forms.ModelForm):
    class Meta:
        model = ReplyLetterTemplate
        fields = [
            "number_pattern",
            "seq_digits",
            "city",
            "subject",
            "body",
            "signatory_title",
            "signatory_name",
            "signatory_nip",
        ]
        widgets = {"body": forms.Textarea(attrs={"rows": 14})}
