"""Staff pages of the performance evaluation (``/staf/evaluasi/``).

- meetings: every member of the unit (and the auditor) reads them; the head records them;
- per-officer figures: the head and the auditor;
- the reprimand register: the head and the auditor; each officer reads their own entries on
  ``/staf/evaluasi/teguran-saya/``.

A unit, meeting or action outside what the user may read is a 404, as another unit's case.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from layanan.accounts.permissions import can, roles_for
from layanan.cases.views import staff_context, staff_required
from layanan.core.errors import ApplicationError
from layanan.core.models import Unit
from layanan.reports.metrics import Month

from . import selectors, services
from .forms import (
    ActionForm,
    ActionStatusForm,
    MeetingForm,
    NewMeetingForm,
    RangeForm,
    ReprimandForm,
)
from .models import FollowUpAction

SECTION = "evaluation"


def _context(request: HttpRequest, **extra) -> dict:
    return {**staff_context(request, SECTION), **extra}


def _unit(request: HttpRequest, slug: str, action: str) -> Unit:
    unit = get_object_or_404(Unit, slug=slug)
    if not can(request.user, action, unit):
        raise Http404
    return unit


def _meeting(request: HttpRequest, pk: int, action: str = "evaluation.meeting_view"):
    meeting = selectors.meeting_detail(pk)
    if meeting is None:
        raise Http404
    if action == "evaluation.meeting_view":
        allowed = selectors.may_read_meeting(request.user, meeting)
    else:
        allowed = can(request.user, action, meeting)
    if not allowed:
        raise Http404
    return meeting


@staff_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    units = list(selectors.meeting_units(request.user))
    slug = request.GET.get("unit", "").strip()
    unit = next((u for u in units if u.slug == slug), None) if slug else None
    if slug and unit is None:
        raise Http404
    if unit is None and units:
        # The unit the user works in first, rather than the province at the top of the tree.
        own = [u for _role, u in roles_for(request.user) if u in units]
        unit = own[0] if own else units[0]
    meetings = list(selectors.meetings_of(unit)[:36]) if unit else []
    return render(
        request,
        "evaluation/home.html",
        _context(
            request,
            units=units,
            unit=unit,
            meetings=meetings,
            may_edit=bool(unit) and can(request.user, "evaluation.meeting_edit", unit),
            may_see_performance=bool(unit)
            and can(request.user, "evaluation.performance_view", unit),
            may_see_register=bool(unit) and selectors.may_read_register(request.user, unit),
        ),
    )


@staff_required
@require_safe
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    record = _meeting(request, pk)
    return render(
        request,
        "evaluation/meeting.html",
        _context(
            request,
            meeting=record,
            unit=record.unit,
            carried=selectors.carried_actions(record),
            may_edit=can(request.user, "evaluation.meeting_edit", record),
        ),
    )


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def meeting_new(request: HttpRequest, unit_slug: str) -> HttpResponse:
    unit = _unit(request, unit_slug, "evaluation.meeting_edit")
    form = NewMeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        planned_on = form.cleaned_data["planned_on"]
        try:
            created = services.meeting_create(
                actor=request.user, unit=unit, month=Month.of(planned_on), planned_on=planned_on
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The meeting is scheduled."))
            return redirect("evaluation:meeting_edit", pk=created.pk)
    return render(request, "evaluation/meeting_new.html", _context(request, unit=unit, form=form))


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    record = _meeting(request, pk, "evaluation.meeting_edit")
    people = selectors.unit_people(record.unit)
    if request.method == "POST":
        form = MeetingForm(request.POST, people=people)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.meeting_record(
                    actor=request.user,
                    meeting=record,
                    status=data["status"],
                    planned_on=data["planned_on"],
                    held_on=data["held_on"],
                    attendees=data["attendees"],
                    minutes=data["minutes"],
                    decisions=data["decisions"],
                )
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The meeting record is saved."))
                return redirect(record.get_absolute_url())
    else:
        form = MeetingForm(
            people=people,
            initial={
                "status": record.status,
                "planned_on": record.planned_on,
                "held_on": record.held_on,
                "attendees": list(record.attendees.all()),
                "minutes": record.minutes,
                "decisions": record.decisions,
            },
        )
    return render(
        request,
        "evaluation/meeting_edit.html",
        _context(request, meeting=record, unit=record.unit, form=form),
    )


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    record = _meeting(request, pk, "evaluation.meeting_edit")
    form = ActionForm(request.POST or None, people=selectors.unit_people(record.unit))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.action_add(
                actor=request.user,
                meeting=record,
                description=data["description"],
                owner=data["owner"],
                due_on=data["due_on"],
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The follow-up action is added."))
            return redirect(record.get_absolute_url())
    return render(
        request,
        "evaluation/action_form.html",
        _context(request, meeting=record, unit=record.unit, form=form),
    )


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def action_update(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(
        FollowUpAction.objects.select_related("meeting__unit", "owner"), pk=pk
    )
    if not can(request.user, "evaluation.meeting_edit", action.meeting):
        raise Http404
    back = request.POST.get("next") or request.GET.get("next") or ""
    if not back.startswith(reverse("evaluation:home")):
        back = action.meeting.get_absolute_url()
    if request.method == "POST":
        form = ActionStatusForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.action_set_status(
                    actor=request.user,
                    action=action,
                    status=data["status"],
                    note=data["note"],
                    done_on=data["done_on"],
                )
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The follow-up action is updated."))
                return redirect(back)
    else:
        form = ActionStatusForm(
            initial={"status": action.status, "done_on": action.done_on, "note": action.note}
        )
    return render(
        request,
        "evaluation/action_update.html",
        _context(request, action=action, unit=action.meeting.unit, form=form, back=back),
    )


@staff_required
@require_safe
def performance(request: HttpRequest, unit_slug: str) -> HttpResponse:
    unit = _unit(request, unit_slug, "evaluation.performance_view")
    first, last = RangeForm.default()
    form = RangeForm(request.GET or None, initial={"dari": first, "sampai": last})
    start, end = form.range()
    rows = selectors.officer_performance(unit=unit, start=start, end=end)
    return render(
        request,
        "evaluation/performance.html",
        _context(request, unit=unit, form=form, start=start, end=end, rows=rows),
    )


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def reprimands(request: HttpRequest, unit_slug: str) -> HttpResponse:
    unit = get_object_or_404(Unit, slug=unit_slug)
    if not selectors.may_read_register(request.user, unit):
        raise Http404
    may_give = can(request.user, "evaluation.reprimand_give", unit)
    people = selectors.unit_people(unit).exclude(pk=request.user.pk)
    form = ReprimandForm(request.POST or None, people=people) if may_give else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.reprimand_give(
                    actor=request.user,
                    unit=unit,
                    officer=data["officer"],
                    kind=data["kind"],
                    given_on=data["given_on"],
                    breach=data["breach"],
                    case_numbers=data["case_numbers"],
                )
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The reprimand is recorded."))
                return redirect("evaluation:reprimands", unit_slug=unit.slug)
    return render(
        request,
        "evaluation/reprimands.html",
        _context(
            request,
            unit=unit,
            entries=list(selectors.reprimand_register(unit)[:500]),
            form=form,
            own=False,
        ),
    )


@staff_required
@require_safe
def my_reprimands(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "evaluation/reprimands.html",
        _context(request, unit=None, entries=list(selectors.reprimands_of(request.user)), own=True),
    )
