"""Staff pages of cases: the inbox and the case page with its actions.

Server-rendered, every action a plain POST form (works without JavaScript). A case outside the
user's reach answers 404, as one that does not exist, so its existence is not revealed. Domain
errors from the services come back as a message on the page, with the typed input kept and the
error's status code (400/403/409) — never a 500.

A confidential reporter's identity is never on the page by default: the unit's complaint officer
asks for it with the "show identity" action (a POST), which calls
``cases.identity.requester_identity_reveal`` — the one place that checks the rule (no superuser
bypass) and records every showing (an internal ``identity_viewed`` event and an audit entry).
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from layanan.accounts.permissions import can
from layanan.complaints.notifications import answer_message_preview
from layanan.core.errors import ApplicationError
from layanan.core.timezones import activate_unit_time_zone
from layanan.workdays.deadlines import format_due
from layanan.workdays.selectors import calendar_gaps

from .forms import ACTION_FORMS, AnswerForm, CaseActionForm, DraftAnswerForm, InboxFilterForm
from .identity import may_reveal_identity, requester_identity_for, requester_identity_reveal
from .models import Case, CaseKind
from .numbering import format_public_code
from .selectors import (
    INBOX_PAGE_SIZE,
    case_attachments,
    case_for_staff,
    case_timeline,
    inbox_cases,
    latest_answer_draft,
    sla_badge,
)
from .timeline import event_label, status_label
from .workflow import due_steps

#: The POST action that shows a confidential reporter's identity (and records that it did).
SHOW_IDENTITY = "show_identity"


def staff_required(view):
    """Signed in (else to the login page) and holding a staff role (else 403)."""

    @login_required
    @never_cache
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not can(request.user, "staff.access"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def staff_context(request: HttpRequest, section: str) -> dict:
    """What the staff layout needs: the current section and which links to offer."""
    can_view_reports = can(request.user, "report.view")
    return {
        "staff_section": section,
        "can_record": can(request.user, "case.create"),
        "can_view_reports": can_view_reports,
        "can_triage": can(request.user, "intake.triage"),
        "can_evaluate": can(request.user, "evaluation.meeting_view"),
        # Members without the reports read their unit's SKM report (``report.skm_view``).
        "skm_unit_slug": "" if can_view_reports else _skm_unit_slug(request.user),
    }


def _skm_unit_slug(user) -> str:
    """The first of the user's units (in tree order) whose SKM report they may read; no query
    beyond the user's roles, which every request loads anyway."""
    from layanan.accounts.permissions import roles_for

    units = sorted((unit for _role, unit in roles_for(user)), key=lambda u: u.path)
    return next((u.slug for u in units if can(user, "report.skm_view", u)), "")


def case_url(case: Case) -> str:
    return reverse("cases:detail", args=[case.number])


# --- inbox -----------------------------------------------------------------------------------


@staff_required
@require_safe
def inbox(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    form = InboxFilterForm(request.GET or None, user=request.user)
    filters = form.filters()
    paginator = Paginator(inbox_cases(request.user, filters, now=now), INBOX_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = [_inbox_row(case, now) for case in page.object_list]
    return render(
        request,
        "cases/inbox.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "narrowed": form.is_narrowed,
            "calendar_gaps": calendar_gaps(now),
            "intake_waiting": _intake_waiting(request),
            **staff_context(request, "inbox"),
        },
    )


def _intake_waiting(request: HttpRequest) -> int | None:
    """Messages waiting in the intake queue of the user's units (the inbox's badge), or None
    for who may not triage."""
    if not can(request.user, "intake.triage"):
        return None
    from layanan.intake.selectors import intake_waiting_count

    return intake_waiting_count(request.user)


#: The deadline badge of an inbox row: (CSS class, label) per ``sla_badge`` value; the same
#: words as ``cases/_sla_badge.html`` on the case page.
SLA_BADGES = {
    "overdue": ("bad", gettext_lazy("Overdue")),
    "due_soon": ("warn", gettext_lazy("Due soon")),
    "on_track": ("ok", gettext_lazy("On track")),
    "paused": ("", gettext_lazy("Clock paused")),
}


def _inbox_row(case: Case, now) -> dict:
    """What an inbox row shows, worked out here rather than in the template: 50 rows of
    template lookups, filters and includes cost more than the page's SQL (bench/README.md)."""
    sla = sla_badge(case, now)
    division = case.assigned_unit if case.assigned_unit_id != case.unit_id else None
    return {
        "case": case,
        "url": case_url(case),
        "kind": case.get_kind_display(),
        "channel": case.get_channel_display(),
        "status": case.get_status_display(),
        "subject": Truncator(case.subject or case.summary).chars(90),
        "unit": case.unit.display_name,
        "division": division.display_name if division else "",
        "assignee": case.assignee.display_name if case.assignee else "",
        "due": format_due(case.due_at) if case.due_at else "",
        "sla": sla,
        "badge": SLA_BADGES.get(sla),
        "class_name": _complaint_class_name(case),
    }


def _complaint_class_name(case: Case) -> str:
    if case.kind != CaseKind.COMPLAINT:
        return ""
    detail = getattr(case, "complaint", None)  # joined by the selector: no query
    return detail.class_name if detail is not None else ""


# --- the case page ---------------------------------------------------------------------------


def _timeline(case: Case) -> list[dict]:
    rows = []
    for event in case_timeline(case):
        old, new = event.old_value, event.new_value
        if event.kind == "received":
            old = new = ""  # "Received: Received" says nothing
        elif event.kind in ("status", "reopened"):
            old, new = status_label(old) if old else "", status_label(new) if new else ""
        if event.actor_id:
            actor = event.actor.display_name
        elif event.kind in ("reopened", "requester_message"):
            actor = _("The requester")
        else:
            actor = _("System")
        rows.append(
            {
                "event": event,
                "label": event_label(event.kind),
                "old": old,
                "new": new,
                "actor": actor,
            }
        )
    return rows


def _identity(request: HttpRequest, case: Case, *, revealed=None) -> dict:
    """What the page shows of the requester.

    - anonymous: nothing at all (no identity is stored);
    - confidential: hidden; the unit's complaint officer may ask for it (the "show identity"
      action, through ``requester_identity_reveal``, which records it); ``revealed`` is what
      that call returned;
    - otherwise: as ``requester_identity_for`` allows.
    """
    if case.is_anonymous:
        return {"state": "anonymous"}
    if case.is_confidential:
        if revealed is None:
            return {"state": "hidden", "may_reveal": may_reveal_identity(request.user, case)}
        return {"state": "shown", "confidential": True, **revealed.as_dict()}
    identity = requester_identity_for(request.user, case)
    if identity is None:
        return {"state": "unavailable"}
    return {"state": "shown", "confidential": False, **identity.as_dict()}


def _action_forms(
    request: HttpRequest, case: Case, bound: CaseActionForm | None, draft: str
) -> list:
    forms = []
    for action, form_class in ACTION_FORMS.items():
        if bound is not None and bound.action == action:
            forms.append(bound)
            continue
        kwargs = {"draft": draft} if form_class in (DraftAnswerForm, AnswerForm) else {}
        form = form_class(case=case, user=request.user, **kwargs)
        if form.allowed() and form.offered():
            forms.append(form)
    return forms


def _due_first(case: Case, forms: list, *, draft_waiting: bool) -> tuple[list, str]:
    """Put the step the case waits for (``workflow.due_steps``) first among the actions this
    person may take, and name it: the page opens that panel."""
    offered = {form.action: form for form in forms}
    due = next(
        (step for step in due_steps(case, draft_waiting=draft_waiting) if step in offered), ""
    )
    if not due:
        return forms, ""
    return [offered[due], *(form for form in forms if form.action != due)], due


def _render_case(
    request: HttpRequest,
    case: Case,
    *,
    bound: CaseActionForm | None = None,
    error: str = "",
    status: int = 200,
    revealed=None,
) -> HttpResponse:
    now = timezone.now()
    activate_unit_time_zone(case.unit)  # this page's times in the case's unit's zone
    draft = latest_answer_draft(case)
    forms = _action_forms(request, case, bound, draft.note if draft else "")
    forms, due_action = _due_first(case, forms, draft_waiting=draft is not None)
    context = {
        "case": case,
        "complaint": getattr(case, "complaint", None) if case.kind == CaseKind.COMPLAINT else None,
        "public_code": format_public_code(case.public_code),
        "due": format_due(case.due_at) if case.due_at else "",
        "sla": sla_badge(case, now),
        "identity": _identity(request, case, revealed=revealed),
        "timeline": _timeline(case),
        "attachments": list(case_attachments(case)),
        "draft": draft,
        "action_forms": forms,
        "due_action": due_action,
        "due_title": forms[0].title if due_action else "",
        "bound_action": bound.action if bound is not None else "",
        "error": error,
        "received": format_due(case.received_at),
        **staff_context(request, "inbox"),
    }
    return render(request, "cases/detail.html", context, status=status)


def _confirm_answer(request: HttpRequest, case: Case, form: AnswerForm) -> HttpResponse:
    """Before an answer is sent: what the requester will read, exactly — the tracking page's
    answer card (the same template) and the message they are sent — and one button to send
    it. Works without JavaScript: the text travels in a hidden field of the confirming POST."""
    activate_unit_time_zone(case.unit)
    answer = form.cleaned_data["answer"]
    context = {
        "case": case,
        "form": form,
        "answer": answer,
        "answered": format_due(timezone.now()),
        "message": answer_message_preview(case),
        **staff_context(request, "inbox"),
    }
    return render(request, "cases/answer_confirm.html", context)


def _reveal_identity(request: HttpRequest, case: Case) -> HttpResponse:
    """Show a confidential reporter to the unit's complaint officer (the service records it)."""
    if not (case.is_confidential and not case.is_anonymous):
        return _render_case(request, case)
    try:
        revealed = requester_identity_reveal(actor=request.user, case=case)
    except ApplicationError as exc:
        return _render_case(request, case, error=exc.message, status=exc.status_code)
    return _render_case(request, case, revealed=revealed)


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def case_detail(request: HttpRequest, ref: str) -> HttpResponse:
    try:
        case = case_for_staff(request.user, ref)
    except Case.DoesNotExist:
        raise Http404("No such case within reach") from None
    if case.kind == CaseKind.FACILITY:
        # A booking's state moves with its case: only the booking page may change either.
        return redirect("bookings:detail", ref=case.number)
    if request.method != "POST":
        return _render_case(request, case)

    action = request.POST.get("action", "")
    if action == SHOW_IDENTITY:
        return _reveal_identity(request, case)
    form_class = ACTION_FORMS.get(action)
    if form_class is None:
        return _render_case(request, case, error=_("Unknown action."), status=400)
    form = form_class(request.POST, request.FILES, case=case, user=request.user)
    refused = _refusal(request, case, form)
    if refused is not None:
        return refused
    if getattr(form, "needs_confirmation", False):
        if request.POST.get("edit"):  # back from the confirmation, to change the text
            return _render_case(request, case, bound=form)
        return _confirm_answer(request, case, form)
    return _perform(request, case, form)


def _refusal(request: HttpRequest, case: Case, form) -> HttpResponse | None:
    """The page that refuses a step the user may not take, that the case's status does not
    offer, or whose form is invalid; None when the step may go on."""
    if not form.allowed():
        return _render_case(request, case, error=_("You are not allowed to do this."), status=403)
    if not form.offered():
        return _render_case(
            request,
            case,
            error=_("This action is not possible while the case is “%(status)s”.")
            % {"status": case.get_status_display()},
            status=409,
        )
    if not form.is_valid():
        return _render_case(
            request, case, bound=form, error=_("Please correct the form below."), status=400
        )
    return None


def _perform(request: HttpRequest, case: Case, form) -> HttpResponse:
    """Take the step; a service's refusal goes beside its field (or above the form)."""
    try:
        form.perform()
    except ApplicationError as exc:  # NotPermitted (403), Conflict (409), others (400)
        field = form.error_fields.get(exc.code)
        if field is None:
            error = exc.message
        else:  # a rule of the service about one field: its message goes beside that field
            form.add_error(field, exc.message)
            error = _("Please correct the form below.")
        return _render_case(request, case, bound=form, error=error, status=exc.status_code)
    messages.success(request, form.success)
    return redirect(case_url(case))
