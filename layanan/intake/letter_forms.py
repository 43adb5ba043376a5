"""The paper letter's fields of the staff record forms — how a request arrived: the channel, the
time of receipt, the letter's number and date, and the checks of them (a scan is required when
it came as a letter; it cannot have been received in the future).

One definition for the facility request (``facilities.forms.FacilityRecordForm``) and the
audience request (``audiences.forms.AudienceRecordForm``), both recorded through the shared
page ``record_page.py``; it lives here, below both apps, so neither imports the other.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from layanan.cases.models import Channel
from layanan.core.widgets import DATETIME_LOCAL, DateInput, DateTimeLocalInput

#: the channels staff record a request from (the web form is the public's own)
STAFF_CHANNELS = [(c.value, c.label) for c in Channel if c != Channel.WEB]


def date_field(label, required=False) -> forms.DateField:
    """A date typed in the browser's date picker (or as ``5-2-2026``/``5/2/2026``)."""
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        input_formats=["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"],
        error_messages={"invalid": _("Enter a date, e.g. 2026-02-05.")},
    )


class LetterRecordFields(forms.Form):
    """The paper letter's fields and their checks, mixed in *before* the public request form
    (``class AudienceRecordForm(LetterRecordFields, AudienceRequestForm)``): its fields come
    after the public form's, and a field the public form also has (``letter_number``) keeps
    its place there with this definition. The form names its scan's field in ``scan_field``."""

    #: the field holding the scanned letter (the form declares it)
    scan_field = "letter_scan"

    channel = forms.ChoiceField(label=_("Received through"), choices=STAFF_CHANNELS)
    received_at = forms.DateTimeField(
        label=_("Received at"),
        required=False,
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M"],
        help_text=_("Empty: now."),
        error_messages={"invalid": _("Enter a date and time, e.g. 2026-02-02 09:00.")},
    )
    letter_number = forms.CharField(
        label=_("Number of the request letter"), max_length=100, required=False
    )
    letter_date = date_field(_("Date of the request letter"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].initial = Channel.LETTER

    def clean(self):
        data = super().clean()
        scan = self.scan_field
        no_scan = not data.get(scan) and scan not in self.errors
        if data.get("channel") == Channel.LETTER and no_scan:
            self.add_error(scan, _("Please attach the scanned letter."))
        received = data.get("received_at")
        if received and received > timezone.now():
            self.add_error("received_at", _("The time of receipt cannot be in the future."))
        return data
