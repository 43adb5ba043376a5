"""The action forms of a case page: their base (:class:`CaseActionForm`), the note fields that
say who reads them, and the forms that move a case through its handling — verify, classify,
assign, start, pause, resume — and that add a note or a file. Answering and ending a case are in
``answer_forms``; the page's order is ``forms.ACTION_FORMS``.

Each action form knows the permission it needs, when the case's state offers it, and performs
itself by calling the domain services (``complaints.services``, ``cases.workflow``). The view
turns the services' ``ApplicationError``/``NotPermitted`` into a message on the page, with the
bound form (what the person typed) kept.
"""

from __future__ import annotations

from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from layanan.accounts.models import User
from layanan.accounts.permissions import can, ensure_can
from layanan.complaints.services import (
    assignees_for,
    complaint_assign,
    complaint_classes_for,
    complaint_classify,
)
from layanan.core.models import Unit

from .attachments import AttachmentsField, attachment_add
from .events import case_event_record
from .models import OPEN_STATUSES, Case, CaseKind, Status
from .workflow import case_transition

# --- actions on a case -----------------------------------------------------------------------

NOTE_WIDGET = {"rows": 3}


#: Every text field of an action says on the form who reads it: the staff only (the default,
#: stored as the event's ``note``), or the requester too (stored as ``public_note`` and shown on
#: the tracking page).
INTERNAL_NOTE_LABEL = _("Internal note (optional; staff only, the requester never reads it)")
PUBLIC_NOTE_LABEL = _("Message to the requester (optional; the requester will read it)")
PUBLIC_NOTE_HELP = _("Shown to the requester on the tracking page, word for word.")


def note_field(
    label=INTERNAL_NOTE_LABEL, *, required: bool = False, max_length: int = 2000, help_text=""
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs=dict(NOTE_WIDGET)),
    )


def public_note_field(label=PUBLIC_NOTE_LABEL, *, required: bool = False) -> forms.CharField:
    field = note_field(label, required=required, help_text=PUBLIC_NOTE_HELP)
    field.widget.attrs["data-public"] = "true"
    return field


class CaseActionForm(forms.Form):
    """Base of the action forms. Subclasses set ``action``, ``permission``, ``title``,
    ``button``, ``success`` and implement ``offered()`` and ``perform()``.

    ``offered()`` says whether the case's *state* offers the action; ``allowed()`` whether the
    *user* may do it (``accounts.permissions``). The services check both again.
    """

    action = ""
    permission = ""
    title = ""
    button = ""
    success = ""
    help = ""
    danger = False
    multipart = False
    #: The services' error codes → the field their message belongs beside. The rules live in
    #: the services (``complaints.services``, ``cases.workflow``); a form only shows them.
    error_fields: dict[str, str] = {}

    def __init__(self, *args, case: Case, user, **kwargs):
        kwargs.setdefault("prefix", self.action)
        super().__init__(*args, **kwargs)
        self.case = case
        self.user = user

    def offered(self) -> bool:
        """Whether the case's current state offers this action (permissions aside)."""
        raise NotImplementedError

    def allowed(self) -> bool:
        return can(self.user, self.permission, self.case)

    def perform(self) -> Case:
        raise NotImplementedError

    def note(self) -> str:
        """The internal note (staff only)."""
        return (self.cleaned_data.get("note") or "").strip()

    def public_note(self) -> str:
        """The text for the requester (shown on the tracking page)."""
        return (self.cleaned_data.get("public_note") or "").strip()


class VerifyForm(CaseActionForm):
    action = "verify"
    permission = "case.verify"
    title = _("Verify")
    button = _("Mark as verified")
    success = _("The case was verified.")
    help = _("The report is complete and within this unit's remit.")

    note = note_field()
    public_note = public_note_field()

    def offered(self) -> bool:
        return self.case.status == Status.RECEIVED

    def perform(self) -> Case:
        return case_transition(
            actor=self.user,
            case=self.case,
            to=Status.VERIFIED,
            note=self.note(),
            public_note=self.public_note(),
        )


def complaint_class_choices(case: Case) -> list[tuple[str, str]]:
    """(code, "name (time limit)") of the classes the unit's standard names for ``case``."""
    choices = []
    for c in complaint_classes_for(unit=case.unit, standard=case.standard):
        label = f"{c.name} ({c.text})" if c.text else c.name
        choices.append((c.code, label))
    return choices


class ClassifyForm(CaseActionForm):
    action = "classify"
    permission = "case.verify"
    title = _("Classify the complaint")
    button = _("Save class")
    success = _("The complaint was classified; its due time follows the class.")
    help = _(
        "The due time is recomputed from the original time of receipt with the class's time limit."
    )

    class_code = forms.ChoiceField(label=_("Complaint class"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        is_open_complaint = (
            self.case.kind == CaseKind.COMPLAINT and self.case.status in OPEN_STATUSES
        )
        self.choices = complaint_class_choices(self.case) if is_open_complaint else []
        self.fields["class_code"].choices = [("", "—"), *self.choices]
        detail = getattr(self.case, "complaint", None)
        if detail is not None and detail.class_code:
            self.title = _("Reclassify the complaint")
            if not self.is_bound:
                self.initial["class_code"] = detail.class_code

    def offered(self) -> bool:
        return bool(self.choices)

    def perform(self) -> Case:
        return complaint_classify(
            actor=self.user, case=self.case, class_code=self.cleaned_data["class_code"]
        )


def assignable_divisions(case: Case):
    """Where ``case`` may be assigned: the sub-units (Bagian) of its unit, or the unit itself
    when it has none."""
    below = case.unit.descendants(include_self=False)
    if below.exists():
        return below.order_by("path")
    return Unit.objects.filter(pk=case.unit_id)


def assignee_choices(case: Case, divisions) -> list:
    """The "Person" choices of a disposition, grouped under each division: only the people who
    may work on and answer that division's cases (``complaints.services.assignees_for``, the
    rule the assignment itself checks)."""
    groups = []
    for division in divisions:
        people = [(str(u.pk), u.display_name) for u in assignees_for(case, division)]
        if people:
            groups.append((division.name, people))
    return groups


def _user_or_none(pk: int | None):
    return User.objects.filter(pk=pk).first() if pk is not None else None


class AssignForm(CaseActionForm):
    action = "assign"
    permission = "case.assign"
    title = _("Assign to a division")
    button = _("Assign")
    success = _("The case was assigned.")
    error_fields = {"invalid_assignee": "assignee", "foreign_division": "division"}

    division = forms.ModelChoiceField(label=_("Division"), queryset=Unit.objects.none())
    assignee = forms.TypedChoiceField(
        label=_("Person (optional)"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Listed under each division: the people who may work on its cases."),
    )
    note = note_field(_("Instruction (optional; staff only, the requester never reads it)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        divisions = assignable_divisions(self.case)
        self.fields["division"].queryset = divisions
        self.fields["division"].label_from_instance = lambda u: u.name
        self.fields["assignee"].choices = [
            ("", _("— anyone in the division —")),
            *assignee_choices(self.case, divisions),
        ]
        if not self.is_bound:
            self.initial.update(division=self.case.assigned_unit_id, assignee=self.case.assignee_id)

    def offered(self) -> bool:
        return self.case.status in OPEN_STATUSES

    def perform(self) -> Case:
        return complaint_assign(
            actor=self.user,
            case=self.case,
            division=self.cleaned_data["division"],
            assignee=_user_or_none(self.cleaned_data.get("assignee")),
            note=self.note(),
        )


class StartForm(CaseActionForm):
    action = "start"
    permission = "case.work"
    title = _("Start work")
    button = _("Start work")
    success = _("The case is now in progress.")

    def offered(self) -> bool:
        return self.case.status in (Status.RECEIVED, Status.VERIFIED)

    def perform(self) -> Case:
        return case_transition(actor=self.user, case=self.case, to=Status.IN_PROGRESS)


class PauseForm(CaseActionForm):
    action = "pause"
    permission = "case.work"
    title = _("Wait for the requester")
    button = _("Pause the clock")
    success = _("The clock is paused until the requester answers.")
    help = _(
        "While the case waits for the requester its time limit does not run. The message is "
        "shown to the requester on the tracking page."
    )

    public_note = public_note_field(
        _("Message to the requester: what is needed (the requester will read it)"), required=True
    )
    note = note_field()

    def offered(self) -> bool:
        return self.case.status in (Status.RECEIVED, Status.VERIFIED, Status.IN_PROGRESS)

    def perform(self) -> Case:
        return case_transition(
            actor=self.user,
            case=self.case,
            to=Status.WAITING,
            note=self.note(),
            public_note=self.public_note(),
        )


class ResumeForm(CaseActionForm):
    action = "resume"
    permission = "case.work"
    title = _("The requester answered")
    button = _("Resume the clock")
    success = _("The clock runs again.")

    note = note_field(
        _("What the requester sent (optional; staff only, the requester never reads it)")
    )

    def offered(self) -> bool:
        return self.case.status == Status.WAITING

    def perform(self) -> Case:
        # The step itself is public ("handling started"); what was sent stays internal.
        return case_transition(
            actor=self.user, case=self.case, to=Status.IN_PROGRESS, note=self.note()
        )


class NoteForm(CaseActionForm):
    action = "note"
    permission = "case.work"
    title = _("Internal note")
    button = _("Add note")
    success = _("The note was added.")

    note = note_field(
        _("Note (staff only, never shown to the requester)"), required=True, max_length=5000
    )

    def offered(self) -> bool:
        return True

    @transaction.atomic
    def perform(self) -> Case:
        ensure_can(self.user, self.permission, self.case)
        case_event_record(
            case=self.case, actor=self.user, kind="note", note=self.note(), internal=True
        )
        return self.case


class AttachForm(CaseActionForm):
    action = "attach"
    permission = "case.work"
    title = _("Add attachments")
    button = _("Upload")
    success = _("The files were attached.")
    multipart = True

    files = AttachmentsField(required=True)
    internal = forms.BooleanField(
        label=_("Internal (staff working papers, never offered to the requester)"),
        required=False,
        initial=True,
    )

    def offered(self) -> bool:
        return True

    @transaction.atomic
    def perform(self) -> Case:
        ensure_can(self.user, self.permission, self.case)
        for upload in self.cleaned_data["files"]:
            attachment_add(
                case=self.case,
                upload=upload,
                actor=self.user,
                internal=self.cleaned_data["internal"],
            )
        return self.case
