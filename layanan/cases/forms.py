"""Staff forms: the inbox filters and one small form per action on a case.

Each action form knows the permission it needs, when the case's state offers it, and performs
itself by calling the domain services (``complaints.services``, ``cases.workflow``). The view
turns the services' ``ApplicationError``/``NotPermitted`` into a message on the page, with the
bound form (what the person typed) kept.
"""

from __future__ import annotations

from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from layanan.accounts.models import User
from layanan.accounts.permissions import can, ensure_can
from layanan.complaints.services import (
    assignees_for,
    complaint_answer,
    complaint_assign,
    complaint_classes_for,
    complaint_classify,
)
from layanan.core.models import Unit

from .attachments import AttachmentsField, attachment_add
from .events import case_event_record
from .models import OPEN_STATUSES, Case, CaseKind, Channel, Status
from .selectors import (
    ASSIGNEE_ME,
    ASSIGNEE_NONE,
    STATUS_ALL,
    STATUS_OPEN,
    InboxFilters,
    inbox_assignee_choices,
    inbox_class_choices,
    inbox_division_choices,
)
from .workflow import REOPEN_WINDOW, case_answer_draft, case_transition

# --- inbox filters ---------------------------------------------------------------------------


class InboxFilterForm(forms.Form):
    """GET form of the inbox. Invalid values are ignored, never an error page."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("Number, tracking code, subject or description"),
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    class_code = forms.ChoiceField(label=_("Class"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    division = forms.TypedChoiceField(
        label=_("Division"), required=False, coerce=int, empty_value=None
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    due_this_week = forms.BooleanField(label=_("Due this week"), required=False)
    assignee = forms.ChoiceField(label=_("Assignee"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        every = [("", _("All"))]
        self.fields["status"].choices = [
            (STATUS_OPEN, _("Not finished")),
            (STATUS_ALL, _("All, including finished")),
            *Status.choices,
        ]
        self.fields["kind"].choices = every + list(CaseKind.choices)
        self.fields["channel"].choices = every + list(Channel.choices)
        self.fields["class_code"].choices = [
            *every,
            ("-", _("Not classified yet")),
            *inbox_class_choices(user),
        ]
        self.fields["division"].choices = every + [
            (u.pk, u.display_name) for u in inbox_division_choices(user)
        ]
        self.fields["assignee"].choices = [
            *every,
            (ASSIGNEE_ME, _("Me")),
            (ASSIGNEE_NONE, _("Nobody yet")),
            *((str(u.pk), u.display_name) for u in inbox_assignee_choices(user)),
        ]

    def filters(self) -> InboxFilters:
        if not self.is_bound:
            return InboxFilters()
        self.is_valid()
        data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        return InboxFilters(
            kind=data.get("kind") or "",
            status=data.get("status") or STATUS_OPEN,
            class_code=data.get("class_code") or "",
            channel=data.get("channel") or "",
            overdue=bool(data.get("overdue")),
            due_this_week=bool(data.get("due_this_week")),
            assignee=data.get("assignee") or "",
            division=data.get("division"),
            q=data.get("q") or "",
        )

    @property
    def is_narrowed(self) -> bool:
        f = self.filters()
        return f != InboxFilters()


# --- actions on a case -----------------------------------------------------------------------

NOTE_WIDGET = {"rows": 3}

#: Sending the answer to the reporter is the complaint officer's or the head's decision (the
#: handler drafts it): ``case.send_answer``, on top of ``case.answer`` for the status change.
SEND_ANSWER_PERMISSIONS = ("case.answer", "case.send_answer")


#: Every text field of an action says on the form who reads it: the staff only (the default,
#: stored as the event's ``note``), or the requester too (stored as ``public_note`` and shown on
#: the tracking page).
INTERNAL_NOTE_LABEL = _("Internal note (optional; staff only, the requester never reads it)")
PUBLIC_NOTE_LABEL = _("Message to the requester (optional; the requester will read it)")
PUBLIC_NOTE_HELP = _("Shown to the requester on the tracking page, word for word.")


def _note_field(
    label=INTERNAL_NOTE_LABEL, *, required: bool = False, max_length: int = 2000, help_text=""
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs=dict(NOTE_WIDGET)),
    )


def _public_note_field(label=PUBLIC_NOTE_LABEL, *, required: bool = False) -> forms.CharField:
    field = _note_field(label, required=required, help_text=PUBLIC_NOTE_HELP)
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

    note = _note_field()
    public_note = _public_note_field()

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
    note = _note_field(_("Instruction (optional; staff only, the requester never reads it)"))

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

    public_note = _public_note_field(
        _("Message to the requester: what is needed (the requester will read it)"), required=True
    )
    note = _note_field()

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

    note = _note_field(
        _("What the requester sent (optional; staff only, the requester never reads it)")
    )

    def offered(self) -> bool:
        return self.case.status == Status.WAITING

    def perform(self) -> Case:
        # The step itself is public ("handling started"); what was sent stays internal.
        return case_transition(
            actor=self.user, case=self.case, to=Status.IN_PROGRESS, note=self.note()
        )


def _answer_field(label) -> forms.CharField:
    return forms.CharField(
        label=label, widget=forms.Textarea(attrs={"rows": 8}), max_length=20000, strip=True
    )


class DraftAnswerForm(CaseActionForm):
    """The handler writes the answer; the complaint officer or the head sends it."""

    action = "draft"
    permission = "case.answer"
    title = _("Draft the answer")
    button = _("Save the draft")
    success = _("The draft answer was saved. The complaint officer sends it to the requester.")
    help = _("The draft stays internal until it is sent.")

    answer = _answer_field(_("Draft answer (internal until it is sent)"))

    def __init__(self, *args, draft: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if draft and not self.is_bound:
            self.initial["answer"] = draft

    def offered(self) -> bool:
        return self.case.status in (Status.VERIFIED, Status.IN_PROGRESS)

    def perform(self) -> Case:
        case_answer_draft(actor=self.user, case=self.case, answer=self.cleaned_data["answer"])
        return self.case


class AnswerForm(CaseActionForm):
    action = "answer"
    permission = "case.answer"
    title = _("Send the answer")
    button = _("Send the answer to the requester")
    success = _("The answer was sent to the requester.")
    help = _("The requester reads the answer on the tracking page and is told by e-mail.")

    answer = _answer_field(_("Answer to the requester (the requester will read it)"))
    #: Only for a complaint received by letter or through the complaint box: issue a numbered
    #: answer letter (PDF) with the answer (``complaints/answer_letters.py``).
    issue_letter = forms.BooleanField(
        required=False,
        label=_("Also issue a numbered answer letter (PDF) that the reporter can download"),
    )
    #: Set by the confirmation page: the sender has seen the answer as the requester will
    #: read it. Without it the page shows that preview instead of sending (a two-step form
    #: that needs no JavaScript).
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, draft: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if draft and not self.is_bound:
            self.initial["answer"] = draft
        from layanan.complaints.answer_letters import letter_offered

        if self.case.kind != CaseKind.COMPLAINT or not letter_offered(self.case):
            del self.fields["issue_letter"]
        elif not self.is_bound:
            self.initial["issue_letter"] = True

    @property
    def needs_confirmation(self) -> bool:
        return not self.cleaned_data.get("confirmed")

    def allowed(self) -> bool:
        return all(can(self.user, p, self.case) for p in SEND_ANSWER_PERMISSIONS)

    def offered(self) -> bool:
        return self.case.status in (Status.VERIFIED, Status.IN_PROGRESS)

    def perform(self) -> Case:
        for permission in SEND_ANSWER_PERMISSIONS:
            ensure_can(self.user, permission, self.case)
        answer = self.cleaned_data["answer"]
        if self.case.kind == CaseKind.COMPLAINT:
            return complaint_answer(
                actor=self.user,
                case=self.case,
                answer=answer,
                issue_letter=bool(self.cleaned_data.get("issue_letter")),
            )
        return case_transition(
            actor=self.user, case=self.case, to=Status.ANSWERED, public_note=answer
        )


class CloseForm(CaseActionForm):
    action = "close"
    permission = "case.close"
    title = _("Close")
    button = _("Close the case")
    success = _("The case was closed.")

    note = _note_field()
    public_note = _public_note_field()

    def offered(self) -> bool:
        return self.case.status == Status.ANSWERED

    def perform(self) -> Case:
        return case_transition(
            actor=self.user,
            case=self.case,
            to=Status.CLOSED,
            note=self.note(),
            public_note=self.public_note(),
        )


class RejectForm(CaseActionForm):
    action = "reject"
    permission = "case.verify"
    title = _("Reject")
    button = _("Reject the case")
    success = _("The case was rejected.")
    danger = True
    error_fields = {"reason_required": "public_note"}

    help = _(
        "The requester is told why: the reason is shown on the tracking page. Anything for the "
        "staff only goes in the internal note."
    )

    # A rejected requester is owed the reason (and may take it to the Ombudsman): it is public.
    # Required by the status machine (reason_required), which the page shows beside the field.
    public_note = _public_note_field(
        _("Reason for rejecting (required; the requester will read it)")
    )
    note = _note_field()

    def offered(self) -> bool:
        return self.case.status in (Status.RECEIVED, Status.VERIFIED)

    def perform(self) -> Case:
        return case_transition(
            actor=self.user,
            case=self.case,
            to=Status.REJECTED,
            note=self.note(),
            public_note=self.public_note(),
        )


class ReopenForm(CaseActionForm):
    action = "reopen"
    permission = "case.close"
    title = _("Reopen")
    button = _("Reopen the case")
    success = _("The case was reopened.")

    note = _note_field(
        _("Reason for reopening (staff only, the requester never reads it)"), required=True
    )
    public_note = _public_note_field()

    def offered(self) -> bool:
        closed_at = self.case.closed_at
        return (
            self.case.status == Status.CLOSED
            and closed_at is not None
            and timezone.now() - closed_at <= REOPEN_WINDOW
        )

    def perform(self) -> Case:
        return case_transition(
            actor=self.user,
            case=self.case,
            to=Status.IN_PROGRESS,
            note=self.note(),
            public_note=self.public_note(),
        )


class NoteForm(CaseActionForm):
    action = "note"
    permission = "case.work"
    title = _("Internal note")
    button = _("Add note")
    success = _("The note was added.")

    note = _note_field(
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


#: In the order the case page shows them.
ACTION_FORMS: dict[str, type[CaseActionForm]] = {
    form.action: form
    for form in (
        VerifyForm,
        ClassifyForm,
        AssignForm,
        StartForm,
        PauseForm,
        ResumeForm,
        DraftAnswerForm,
        AnswerForm,
        CloseForm,
        RejectForm,
        ReopenForm,
        NoteForm,
        AttachForm,
    )
}
