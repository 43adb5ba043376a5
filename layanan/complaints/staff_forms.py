"""Staff recording of a complaint received on another channel (a visit, the complaint box,
WhatsApp, telephone, fax, e-mail, SP4N-LAPOR!, a letter).

Unlike the public form, staff give the channel, the *real* time of receipt (which may lie in the
past — the clock runs from then — but never in the future nor before the unit records
complaints), the unit among their own, and, for SP4N-LAPOR!, the LAPOR! tracking number. The
bounds of the time of receipt are ``complaint_create``'s rule (``complaints/services.py``); the
page shows its error beside the field (``staff_views.ERROR_FIELDS``).
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from layanan.accounts.permissions import can, roles_for, visible_units
from layanan.cases.attachments import AttachmentsField
from layanan.cases.models import Channel
from layanan.catalog.models import ServiceStandard
from layanan.core.models import Unit
from layanan.core.phones import PhoneField

#: The channels a complaint reaches staff through, in the order the form offers them.
RECORDED_CHANNELS = (
    Channel.FACE_TO_FACE,
    Channel.COMPLAINT_BOX,
    Channel.WHATSAPP,
    Channel.PHONE,
    Channel.FAX,
    Channel.EMAIL,
    Channel.LAPOR,
    Channel.LETTER,
)
DATETIME_INPUT = "%Y-%m-%dT%H:%M"
IDENTITY_FIELDS = ("name", "email", "phone")


def recording_units(user):
    """Units ``user`` may record a complaint for (their units and everything below)."""
    return visible_units(user, "case.create").order_by("path")


def own_units(user) -> list[Unit]:
    """The units ``user`` is a member of and may record complaints for (not those below)."""
    units = {unit.pk: unit for _role, unit in roles_for(user)}
    return [unit for unit in units.values() if can(user, "case.create", unit)]


class UnitField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return obj.name


class StaffComplaintForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Received through"),
        choices=[(c.value, c.label) for c in RECORDED_CHANNELS],
    )
    lapor_number = forms.CharField(
        label=_("SP4N-LAPOR! tracking number"),
        max_length=40,
        required=False,
        help_text=_("Required for a complaint forwarded from SP4N-LAPOR!."),
    )
    received_at = forms.DateTimeField(
        label=_("Received at"),
        input_formats=[DATETIME_INPUT, "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT),
        help_text=_(
            "When the complaint actually reached the office; the time limit runs from then."
        ),
    )
    unit = UnitField(
        label=_("Unit"), queryset=Unit.objects.none(), empty_label=_("— choose the unit —")
    )
    standard = forms.ModelChoiceField(
        label=_("Service (optional)"),
        queryset=ServiceStandard.objects.none(),
        required=False,
        empty_label=_("— not about one particular service —"),
    )
    subject = forms.CharField(label=_("Subject (optional)"), max_length=200, required=False)
    description = forms.CharField(
        label=_("The complaint"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text=_("As the reporter put it: what happened, when, and what they expect."),
        error_messages={"required": _("Please describe the complaint.")},
    )
    location = forms.CharField(label=_("Location (optional)"), max_length=300, required=False)
    anonymous = forms.BooleanField(
        label=_("Anonymous: the reporter gives no identity (nothing is stored)"), required=False
    )
    confidential = forms.BooleanField(
        label=_("Confidential: only the complaint officer may see the identity"), required=False
    )
    name = forms.CharField(label=_("Reporter's name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), max_length=254, required=False)
    phone = PhoneField(label=_("Telephone / WhatsApp"), required=False)
    files = AttachmentsField()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        units = recording_units(user)
        self.fields["unit"].queryset = units
        standards = (
            ServiceStandard.objects.published()
            .filter(accepts_complaints=True, unit__in=units)
            .select_related("unit")
            .order_by("unit__path", "position", "name")
        )
        self.fields["standard"].queryset = standards
        self.fields["standard"].choices = self._grouped(standards)
        if not self.is_bound:
            self.initial.setdefault(
                "received_at", timezone.localtime().replace(second=0, microsecond=0)
            )
            own = own_units(user)
            if len(own) == 1:
                self.initial.setdefault("unit", own[0].pk)
        for name, attrs in {
            "email": {"autocomplete": "off", "inputmode": "email"},
            "phone": {"autocomplete": "off", "inputmode": "tel"},
            "name": {"autocomplete": "off"},
            "lapor_number": {"autocomplete": "off"},
        }.items():
            self.fields[name].widget.attrs.update(attrs)

    def _grouped(self, standards) -> list:
        groups: dict[int, tuple[str, list]] = {}
        for standard in standards:
            groups.setdefault(standard.unit_id, (standard.unit.name, []))[1].append(
                (standard.pk, standard.name)
            )
        return [("", self.fields["standard"].empty_label), *groups.values()]

    def clean_lapor_number(self) -> str:
        return self.cleaned_data["lapor_number"].strip()

    def clean(self):
        data = super().clean()
        if data.get("channel") == Channel.LAPOR and not data.get("lapor_number"):
            if "lapor_number" not in self.errors:
                self.add_error(
                    "lapor_number",
                    forms.ValidationError(
                        _("A complaint from SP4N-LAPOR! needs its LAPOR! tracking number."),
                        code="lapor_number_required",
                    ),
                )
        elif data.get("channel") != Channel.LAPOR:
            data["lapor_number"] = ""
        if data.get("anonymous"):
            if data.get("confidential"):
                self.add_error(
                    "confidential",
                    _("An anonymous complaint has no identity to keep confidential."),
                )
            for name in IDENTITY_FIELDS:
                data[name] = ""
        unit, standard = data.get("unit"), data.get("standard")
        if unit is not None and standard is not None and not standard.unit.is_within(unit):
            self.add_error("standard", _("This service is not offered by the chosen unit."))
        return data
