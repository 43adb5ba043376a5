"""The action forms that answer and end a case: draft the answer, send it, close, reject and
reopen — the ones whose words the requester reads (the answer, the reason). Their base and the
note fields are in ``action_forms``.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from layanan.accounts.permissions import can, ensure_can
from layanan.complaints.services import complaint_answer

from .action_forms import CaseActionForm, note_field, public_note_field
from .models import Case, CaseKind, Status
from .workflow import REOPEN_WINDOW, case_answer_draft, case_transition

#: Sending the answer to the reporter is the complaint officer's or the head's decision (the
#: handler drafts it): ``case.send_answer``, on top of ``case.answer`` for the status change.
SEND_ANSWER_PERMISSIONS = ("case.answer", "case.send_answer")


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

    note = note_field()
    public_note = public_note_field()

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
    public_note = public_note_field(
        _("Reason for rejecting (required; the requester will read it)")
    )
    note = note_field()

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

    note = note_field(
        _("Reason for reopening (staff only, the requester never reads it)"), required=True
    )
    public_note = public_note_field()

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
