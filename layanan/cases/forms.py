"""Staff forms: the inbox filters, and the action forms of a case page in the order the page
shows them (:data:`ACTION_FORMS`). The action forms live in ``action_forms`` (their base, the
handling of a case, notes and files) and ``answer_forms`` (answering and ending a case); they
are importable from here as before.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .action_forms import (
    AssignForm,
    AttachForm,
    CaseActionForm,
    ClassifyForm,
    NoteForm,
    PauseForm,
    ResumeForm,
    StartForm,
    VerifyForm,
)
from .answer_forms import AnswerForm, CloseForm, DraftAnswerForm, RejectForm, ReopenForm
from .models import CaseKind, Channel, Status
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

__all__ = [
    "ACTION_FORMS",
    "STATUS_ALL",
    "AnswerForm",
    "AssignForm",
    "AttachForm",
    "CaseActionForm",
    "ClassifyForm",
    "CloseForm",
    "DraftAnswerForm",
    "InboxFilterForm",
    "NoteForm",
    "PauseForm",
    "RejectForm",
    "ReopenForm",
    "ResumeForm",
    "StartForm",
    "VerifyForm",
]

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
