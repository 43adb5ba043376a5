"""The officer's three choices on an incoming message, and the queue's filters."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DismissReason, IntakeChannel, IntakeStatus
from .selectors import STATUS_ALL


class QueueFilterForm(forms.Form):
    """GET form of the queue; an invalid value is ignored, never an error page."""

    status = forms.ChoiceField(label=_("Status"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    q = forms.CharField(label=_("Search"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [*IntakeStatus.choices, (STATUS_ALL, _("All"))]
        self.fields["channel"].choices = [("", _("All")), *IntakeChannel.choices]

    def filters(self) -> dict:
        if not self.is_valid():
            return {"status": IntakeStatus.NEW}
        data = self.cleaned_data
        return {
            "status": data["status"] or IntakeStatus.NEW,
            "channel": data["channel"],
            "q": data["q"].strip(),
        }


class ConvertForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(
        label=_("Complaint"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("The reporter's words; correct only what is needed to read them."),
    )
    confidential = forms.BooleanField(
        label=_("The reporter asks to stay confidential"), required=False
    )


class AttachForm(forms.Form):
    case_number = forms.CharField(
        label=_("Case number"),
        max_length=40,
        help_text=_("For example KESRA/ADU/2026/000123."),
    )


class DismissForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason"), choices=DismissReason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Internal note"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For staff only; the sender is not told."),
    )
