"""Staff pages of audience requests (audiensi): the list, record-from-letter, the request page
with its steps, the reply letter PDF and preview, and the letter template (the public form,
status page and letter download are in ``public_views.py``).

Staff pages need login and a staff role (``cases.views.staff_required``) and are scoped to the
cases the user may see (``case.view``): another unit's request — its page and its letter —
answers 404, like one that does not exist. Steps are plain POST forms (no JavaScript); a
refused step comes back with the typed input and the service's message, with its status code.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from layanan.accounts.permissions import visible_units
from layanan.cases.identity import requester_identity_for
from layanan.cases.numbering import format_public_code
from layanan.cases.timeline import staff_timeline
from layanan.cases.views import staff_context, staff_required
from layanan.core.audit import audit_log
from layanan.core.errors import ApplicationError
from layanan.core.letters import indonesian_date
from layanan.core.models import AuditAction
from layanan.intake.record_page import RecordPage, record_request
from layanan.intake.recording import record_initial
from layanan.workdays.deadlines import format_due

from .forms import (
    AudienceFilterForm,
    AudienceRecordForm,
    DispositionForm,
    NoteForm,
    RefuseForm,
    ReplyForm,
    ReplyLetterTemplateForm,
    ScheduleForm,
)
from .letters import (
    draft_reply,
    format_schedule,
    letter_digest,
    letter_sheet_html,
    render_reply_pdf,
    template_for,
)
from .models import AudienceDetail, ReplyLetterTemplate
from .selectors import LIST_PAGE_SIZE, audience_for_staff, audiences_for
from .services import (
    audience_close,
    audience_dispose,
    audience_refuse,
    audience_reply,
    audience_request_create,
    audience_schedule,
    may,
)

#: service error code → the field its message belongs beside
ERROR_FIELDS = {
    "date_required": "date_1",
    "too_many_dates": "date_1",
    "date_in_past": "date_1",
    "date_too_far_ahead": "date_1",
    "organisation_required": "organisation",
    "topic_required": "topic",
    "name_required": "name",
    "contact_required": "email",
    "participants_required": "participants",
    "unit_takes_no_audiences": "unit",
    "future_receipt": "received_at",
    "permission_denied": "unit",
    "instruction_required": "instruction",
    "foreign_division": "division",
    "starts_at_required": "starts_at",
    "in_the_past": "starts_at",
    "place_required": "place",
    "official_required": "official",
    "reason_required": "text",
    "bad_letter_file": "letter",
    "foreign_official": "official_user",
}


def audience_url(detail: AudienceDetail) -> str:
    return reverse("audience:detail", args=[detail.case.number])


def create_kwargs(form) -> dict:
    data = form.cleaned_data
    return {
        "unit": data["unit"],
        "organisation": data["organisation"],
        "topic": data["topic"],
        "preferred_dates": form.preferred_dates(),
        "participants": data["participants"],
        "official_requested": data.get("official_requested", ""),
        "requester_name": data["name"],
        "requester_email": data.get("email", ""),
        "requester_phone": data.get("phone", ""),
    }


def pdf_response(pdf: bytes, number: str, *, attachment=False, prefix="surat-balasan-"):
    response = HttpResponse(pdf, content_type="application/pdf")
    name = prefix + number.replace("/", "-") + ".pdf"
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- staff ------------------------------------------------------------------------------------


def _ctx(request, **extra) -> dict:
    return {
        **staff_context(request, "audiences"),
        "may_edit_letter": _letter_units(request.user).exists(),
        "may_record": bool(_record_units(request.user).exists()),
        **extra,
    }


def _record_units(user):
    return visible_units(user, "case.create").order_by("path")


def _letter_units(user):
    return visible_units(user, "letters.edit").filter(parent__isnull=False).order_by("path")


@staff_required
@require_safe
def audience_list(request: HttpRequest) -> HttpResponse:
    form = AudienceFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = audiences_for(request.user, status=filters.get("status") or "", q=filters.get("q") or "")
    page = Paginator(qs, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"detail": d, "case": d.case, "url": audience_url(d)} for d in page.object_list]
    return render(request, "audiences/list.html", _ctx(request, form=form, page=page, rows=rows))


_RECORD_PAGE = RecordPage(
    form_class=AudienceRecordForm,
    template="audiences/record.html",
    detail_url="audience:detail",
    recorded=gettext_lazy("The audience request %(number)s was recorded."),
    error_fields=ERROR_FIELDS,
    letter_field="letter_scan",
)


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def audience_record(request: HttpRequest) -> HttpResponse:
    """Record a request received by letter (with its scan) or another channel."""
    units = _record_units(request.user)
    if not units.exists():
        raise Http404

    def initial(message) -> dict:
        values = record_initial(message, text_field="topic")
        if message is not None and units.filter(pk=message.unit_id).exists():
            values["unit"] = message.unit_id
        elif units.count() == 1:
            values["unit"] = units.first().pk
        return values

    return record_request(
        request,
        _RECORD_PAGE,
        create=audience_request_create,
        request_kwargs=lambda form: {
            **create_kwargs(form),
            "letter_uploads": form.cleaned_data.get("letter_scan") or [],
        },
        initial=initial,
        form_kwargs={"units": units},
        context=_ctx(request),
    )


STEP_FORMS = {
    "dispose": DispositionForm,
    "schedule": ScheduleForm,
    "reply": ReplyForm,
    "close": NoteForm,
    "refuse": RefuseForm,
}
DONE = {
    "dispose": gettext_lazy("The request %(number)s was handed on."),
    "schedule": gettext_lazy("The schedule of %(number)s was saved."),
    "reply": gettext_lazy("The reply letter of %(number)s was issued and the requester told."),
    "close": gettext_lazy("The request %(number)s was closed."),
    "refuse": gettext_lazy("The request %(number)s was refused."),
}


def _make_forms(case, data=None, action=None) -> dict:
    forms = {}
    for name, cls in STEP_FORMS.items():
        kwargs = {"prefix": name}
        if name in ("dispose", "schedule"):
            kwargs["unit"] = case.unit
        if data is not None and name == action:
            forms[name] = cls(data, **kwargs)
        else:
            forms[name] = cls(**kwargs)
    if case.assigned_unit_id and data is None:
        forms["dispose"].initial["division"] = case.assigned_unit_id
    return forms


def _run(action: str, user, case, data: dict):
    if action == "dispose":
        return audience_dispose(
            actor=user, case=case, division=data["division"], instruction=data["instruction"]
        )
    if action == "schedule":
        return audience_schedule(
            actor=user,
            case=case,
            starts_at=data["starts_at"],
            place=data["place"],
            official=data["official"],
            note=data.get("note", ""),
            official_user=data.get("official_user"),
        )
    if action == "reply":
        return audience_reply(
            actor=user, case=case, note=data.get("text", ""), confirmed_digest=data["digest"]
        )
    if action == "close":
        return audience_close(actor=user, case=case, note=data.get("text", ""))
    return audience_refuse(actor=user, case=case, reason=data["text"])


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def audience_detail(request: HttpRequest, ref: str) -> HttpResponse:
    detail = audience_for_staff(request.user, ref)
    if detail is None:
        raise Http404
    case = detail.case
    forms = _make_forms(case)
    status, error = 200, ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in STEP_FORMS:
            error, status = _("Unknown action."), 400
        else:
            forms = _make_forms(case, request.POST, action)
            form = forms[action]
            if form.is_valid():
                try:
                    _run(action, request.user, case, form.cleaned_data)
                except ApplicationError as exc:
                    error, status = exc.message, exc.status_code
                    field = ERROR_FIELDS.get(exc.code)
                    form.add_error(field if field in form.fields else None, exc.message)
                else:
                    messages.success(request, DONE[action] % {"number": case.number})
                    return redirect(audience_url(detail))
            else:
                status = 400
        detail = audience_for_staff(request.user, ref)
        case = detail.case
    actions = {name: may(request.user, name, case) for name in STEP_FORMS}
    context = _ctx(
        request,
        detail=detail,
        case=case,
        code=format_public_code(case.public_code),
        identity=requester_identity_for(request.user, case),
        attachments=list(case.attachments.all()),
        events=staff_timeline(case),
        forms=forms,
        error=error,
        actions=actions,
        schedule=(
            format_schedule(detail.schedule_starts_at, case.unit)
            if detail.schedule_starts_at
            else ""
        ),
        reply_date=indonesian_date(detail.reply_date) if detail.reply_date else "",
        due=format_due(case.due_at, unit=case.unit) if case.due_at and case.is_open else "",
    )
    return render(request, "audiences/detail.html", context, status=status)


@staff_required
@require_safe
def reply_letter_pdf(request: HttpRequest, ref: str) -> HttpResponse:
    """The reply letter as PDF, to staff who may see the case (404 otherwise, and before the
    letter is issued)."""
    detail = audience_for_staff(request.user, ref)
    if detail is None or not detail.reply_number:
        raise Http404
    return pdf_response(render_reply_pdf(detail), detail.reply_number)


def _previewable(request, ref) -> AudienceDetail:
    """The request whose letter ``request.user`` may issue now, else 404."""
    detail = audience_for_staff(request.user, ref)
    if detail is None or not may(request.user, "reply", detail.case):
        raise Http404
    return detail


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def reply_preview(request: HttpRequest, ref: str) -> HttpResponse:
    """``…/pratinjau-surat/``: the letter exactly as issuing it now would give it (the next
    number, today's date, the text from the template), and the confirmation. Issuing is the
    POST, with the preview's fingerprint: a letter that changed meanwhile is not issued."""
    detail = _previewable(request, ref)
    case = detail.case
    status, error = 200, ""
    form = ReplyForm(prefix="reply")
    if request.method == "POST":
        form = ReplyForm(request.POST, prefix="reply")
        if form.is_valid():
            try:
                audience_reply(
                    actor=request.user,
                    case=case,
                    note=form.cleaned_data.get("text", ""),
                    confirmed_digest=form.cleaned_data["digest"],
                )
            except ApplicationError as exc:
                error, status = exc.message, exc.status_code
            else:
                messages.success(request, DONE["reply"] % {"number": case.number})
                return redirect(audience_url(detail))
        else:
            status = 400
        detail = _previewable(request, ref)
    draft = draft_reply(detail)
    digest = letter_digest(draft)
    if not form.is_bound or not form.errors:
        # a refused confirmation shows the new preview, to be confirmed again; the note stays
        typed = form.cleaned_data.get("text", "") if form.is_bound else ""
        form = ReplyForm(prefix="reply", initial={"digest": digest, "text": typed})
    return render(
        request,
        "audiences/reply_preview.html",
        _ctx(
            request,
            detail=detail,
            case=case,
            draft=draft,
            sheet=letter_sheet_html(draft),
            form=form,
            error=error,
            schedule=format_schedule(detail.schedule_starts_at, case.unit),
        ),
        status=status,
    )


@staff_required
@require_safe
def reply_preview_pdf(request: HttpRequest, ref: str) -> HttpResponse:
    """The preview as PDF, marked "PRATINJAU" on each page: the layout to be printed."""
    detail = _previewable(request, ref)
    draft = draft_reply(detail)
    return pdf_response(
        render_reply_pdf(draft, draft=True), draft.reply_number, prefix="pratinjau-surat-balasan-"
    )


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def letter_template(request: HttpRequest) -> HttpResponse:
    """``/staf/audiensi/templat-surat/?unit=<slug>``: the unit's reply letter template."""
    units = list(_letter_units(request.user))
    if not units:
        raise Http404
    slug = request.GET.get("unit") or request.POST.get("unit") or ""
    unit = next((u for u in units if u.slug == slug), None) if slug else units[0]
    if unit is None:
        raise Http404
    instance = ReplyLetterTemplate.objects.filter(unit=unit).first() or template_for(unit)
    status = 200
    if request.method == "POST":
        form = ReplyLetterTemplateForm(request.POST, instance=instance)
        if form.is_valid():
            template = form.save(commit=False)
            template.unit = unit
            template.updated_by = request.user
            with transaction.atomic():
                created = template.pk is None
                template.save()
                audit_log(
                    actor=request.user,
                    action=AuditAction.LETTER_TEMPLATE_CHANGED,
                    target=template,
                    unit=unit,
                    data={"created": created, "fields": sorted(form.changed_data)},
                )
            messages.success(request, _("The reply letter template was saved."))
            return redirect(reverse("audience:letter_template") + f"?unit={unit.slug}")
        status = 400
    else:
        form = ReplyLetterTemplateForm(instance=instance)
    from .models import PLACEHOLDERS

    return render(
        request,
        "audiences/letter_template.html",
        _ctx(request, form=form, unit=unit, units=units, placeholders=PLACEHOLDERS),
        status=status,
    )
