"""The reporter's side of complaints: the public form, the receipt, tracking by code.

No login and no JavaScript: plain forms, POST-redirect-GET, one small stylesheet. The tracking
code is the only key a citizen holds, so the pages keyed by it:

- never show who filed the complaint (not even for a non-anonymous one: a code can be shared
  or photographed), nor staff names, internal events or internal notes;
- are private to the browser (``Cache-Control: private, no-store``) and not indexed;
- are rate-limited per client address against guessing, in the one lookup budget that the API
  and Open311 share (``core.ratelimit.TRACKING_LOOKUPS``): every lookup counts, and past the
  limit every lookup gets a 429 page until the window ends.

Submissions (POSTs of the form, and requests to reopen) are rate-limited per client address as
well. Counters live in the default cache, so they are shared between processes when the cache is
Redis.

The receipt (the page right after sending, with the QR code) is shown only to the browser that
sent the complaint: the redirect after sending sets a short-lived *signed cookie* (scoped to the
receipt path, ``RECEIPT_TTL``) naming the new code; anyone else opening the receipt address — or
the sender after that time — is sent on to the public tracking page of the code, which shows
nothing more than the code already gives. A cookie rather than the session, deliberately: the
server keeps no record tying a browser (or a signed-in account) to an anonymous complaint.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from layanan.accounts.actors import PUBLIC
from layanan.cases.attachments import attachment_add
from layanan.cases.models import Case, Status
from layanan.cases.numbering import format_public_code, normalise_public_code
from layanan.cases.public_pages import private_response, request_status_page, too_many_response
from layanan.cases.workflow import REOPEN_WINDOW, case_reopen_by_requester
from layanan.core.errors import ApplicationError
from layanan.core.ratelimit import PUBLIC_SUBMISSIONS, TRACKING_LOOKUPS
from layanan.core.scoping import public_surface
from layanan.core.timezones import activate_unit_time_zone, display_time_zone_of
from layanan.workdays.deadlines import format_due

from .notifications import tracking_url
from .public_forms import (
    IDENTITY_EXPLANATIONS,
    ComplaintForm,
    ReopenForm,
    TrackForm,
    looks_like_code,
)
from .selectors import (
    TrackedComplaint,
    complaint_by_code,
    complaint_standards,
    complaint_units,
    tracked_complaint,
)
from .services import complaint_create
from .tracking import case_body, is_provisional, reopen_until

# How long the browser that sent a complaint may reopen its receipt page.
RECEIPT_TTL = 60 * 60
RECEIPT_COOKIE = "pengaduan_diterima"
RECEIPT_SALT = "layanan.complaints.receipt"


# --- the complaint form --------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@public_surface("the public files in any unit; it reads no other case")
def complaint_form(request: HttpRequest, unit_slug: str | None = None) -> HttpResponse:
    """``/pengaduan/`` (choose the office) and ``/pengaduan/<unit>/`` (office fixed;
    ``?layanan=<service slug>`` preselects one of its services, as the catalogue links)."""
    unit = get_object_or_404(complaint_units(), slug=unit_slug) if unit_slug else None
    status = 200
    files_dropped = False
    if request.method == "POST":
        retry_after = PUBLIC_SUBMISSIONS.hit(request)
        if retry_after:
            return too_many_response(request, retry_after)
        form = ComplaintForm(request.POST, request.FILES, unit=unit)
        if form.is_valid():
            try:
                case = _file_complaint(form.cleaned_data)
            except ApplicationError as error:
                form.add_error(None, error.message)
            except ValidationError as error:  # a file the field let through, refused on storing
                form.add_error("attachments", error)
            else:
                url = reverse(
                    "complaints_public:receipt",
                    kwargs={"code": format_public_code(case.public_code)},
                )
                response = HttpResponseRedirect(url)
                response.status_code = 303  # See Other: reloading the receipt never re-posts
                _remember_receipt(response, case)
                return private_response(response)
        status = 400
        # A browser cannot be given files back: say so, instead of silently losing them.
        files_dropped = any(f for f in request.FILES.getlist("attachments"))
    else:
        initial = {}
        wanted = request.GET.get("layanan")
        if wanted and unit is not None:
            initial["service"] = (
                complaint_standards()
                .filter(unit__path__startswith=unit.path, slug=wanted)
                .values_list("pk", flat=True)
                .first()
            )
        form = ComplaintForm(unit=unit, initial=initial)
    context = {
        "form": form,
        "unit": unit,
        "identity_fields": [form[name] for name in ("name", "email", "phone")],
        "identity_options": [
            (radio, IDENTITY_EXPLANATIONS[radio.data["value"]]) for radio in form["identity"]
        ],
        "files_dropped": files_dropped,
    }
    if not form.is_bound:
        context["blank_fields"] = _blank_fields(form, context)
    response = render(request, "complaints/public/form.html", context, status=status)
    return private_response(response, noindex=False)


#: Part of the key of the blank form's fields: raise it when the form or its template change.
BLANK_FORM_VERSION = 1
BLANK_FORM_SECONDS = 60 * 60


def _blank_fields(form: ComplaintForm, context: dict) -> SafeString:
    """The fields of the empty complaint form (everything inside ``<form>`` but the CSRF token),
    rendered once per office, list of offices and services, preselected service and language,
    and kept in the cache. The key is a digest of exactly those, so a change in the catalogue
    (a service that starts or stops taking complaints, a renamed office) is a new key at once;
    nothing per visitor is in it (the token stays outside)."""
    state = repr(
        (
            BLANK_FORM_VERSION,
            get_language(),
            form.fixed_unit.pk if form.fixed_unit is not None else None,
            _plain(form.fields["unit"].choices) if "unit" in form.fields else None,
            _plain(form.fields["service"].choices),
            form.initial.get("service"),
        )
    )
    key = "pengaduan:form:" + hashlib.blake2b(state.encode(), digest_size=16).hexdigest()
    html = cache.get(key)
    if not isinstance(html, str):
        html = get_template("complaints/public/form.html#fields").render(context)
        cache.set(key, html, BLANK_FORM_SECONDS)
    return mark_safe(html)


def _plain(choices) -> list:
    """Choices (with option groups) as nested lists of strings, for a stable digest."""
    return [
        [str(value), _plain(label) if isinstance(label, list | tuple) else str(label)]
        for value, label in choices
    ]


@transaction.atomic
def _file_complaint(data: dict) -> Case:
    """The complaint and its files in one transaction: a file that cannot be stored leaves no
    half-filed complaint behind (and no receipt e-mail, which is queued in the same
    transaction)."""
    case = complaint_create(
        actor=PUBLIC,  # the citizen's voice, even when a staff member is signed in
        unit=data["unit_resolved"],
        standard=data["service"],
        description=data["description"],
        subject=data["subject"],
        location=data["location"],
        requester_name=data["name"],
        requester_email=data["email"],
        requester_phone=data["phone"],
        anonymous=data["anonymous"],
        confidential=data["confidential"],
    )
    for upload in data.get("attachments") or []:
        attachment_add(case=case, upload=upload, actor=PUBLIC)
    return case


def _remember_receipt(response: HttpResponse, case: Case) -> None:
    response.set_signed_cookie(
        RECEIPT_COOKIE,
        case.public_code,
        salt=RECEIPT_SALT,
        max_age=RECEIPT_TTL,
        path=reverse("complaints_public:form") + "diterima/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _receipt_allowed(request: HttpRequest, case: Case) -> bool:
    code = request.get_signed_cookie(
        RECEIPT_COOKIE, default=None, salt=RECEIPT_SALT, max_age=RECEIPT_TTL
    )
    return code == case.public_code


# --- pages keyed by the tracking code --------------------------------------------------------


def _by_code(
    request: HttpRequest,
    raw: str,
    url_name: str,
    find: Callable[[str], Any] = complaint_by_code,
) -> Any:
    """The complaint for ``raw`` as typed, or the response to give instead: 429 past the limit,
    a redirect to the canonical ``ABCD-EFGH-JKMN`` address, or the friendly 404 page. Each
    lookup counts in the shared budget, found or not. ``find`` reads the complaint by its
    normalised code (the tracking page's GET reads only what it shows)."""
    code = normalise_public_code(raw)
    if looks_like_code(code):
        canonical = format_public_code(code)
        if raw != canonical:  # no lookup yet: the canonical address counts it
            return private_response(
                HttpResponseRedirect(
                    reverse(f"complaints_public:{url_name}", kwargs={"code": canonical})
                )
            )
    else:
        # Malformed codes cost the same query as unknown ones and get the same answer: the
        # response does not tell a guesser which of the two it was.
        code = "-"
    retry_after = TRACKING_LOOKUPS.hit(request)
    if retry_after:
        return too_many_response(request, retry_after)
    case = find(code)
    if case is None and url_name == "track" and code != "-":
        # The code of an audience or facility request: its own status page answers.
        page = request_status_page(code)
        if page is not None:
            url = reverse(page, kwargs={"code": format_public_code(code)})
            return private_response(HttpResponseRedirect(url))
    if case is None:
        response = render(
            request,
            "complaints/public/not_found.html",
            {"code": raw[:40], "form": TrackForm()},
            status=404,
        )
        return private_response(response)
    return case


def qr_svg_inline(url: str) -> str:
    """The QR code of ``url`` as inline SVG (no extra request on a slow connection)."""
    qr = segno.make(url, error="m", micro=False)
    # segno's own markup; the URL is ours (SITE_URL + path)
    return mark_safe(
        qr.svg_inline(scale=4, border=2, omitsize=True, svgclass="qr", light="#fff", title=url)
    )


def _code_groups(case: Case) -> list[str]:
    return format_public_code(case.public_code).split("-")


@require_safe
@public_surface("the receipt of the case just filed, by its code")
def complaint_receipt(request: HttpRequest, code: str) -> HttpResponse:
    """After a successful submission: the code in big groups, the link, a QR code, the number and
    the (provisional) due time — for the browser that sent it only; everyone else is sent on to
    the tracking page."""
    case = _by_code(request, code, "receipt")
    if isinstance(case, HttpResponse):
        return case
    activate_unit_time_zone(case.unit)  # this page's times in the case's unit's zone
    if not _receipt_allowed(request, case):
        url = reverse(
            "complaints_public:track", kwargs={"code": format_public_code(case.public_code)}
        )
        return private_response(HttpResponseRedirect(url))
    url = tracking_url(case)
    context = {
        "anonymous": case.is_anonymous,
        "email_sent": Case.objects.filter(pk=case.pk).exclude(requester_email="").exists(),
        "case": case,
        "code_groups": _code_groups(case),
        "code": format_public_code(case.public_code),
        "tracking_url": url,
        "qr_svg": qr_svg_inline(url),
        "received": format_due(case.received_at),
        "due": format_due(case.due_at) if case.due_at else "",
        "provisional": is_provisional(case),
    }
    return private_response(render(request, "complaints/public/receipt.html", context))


# --- tracking ------------------------------------------------------------------------------------


@require_safe
@public_surface("found by the tracking code, the secret of its holder")
def track_lookup(request: HttpRequest) -> HttpResponse:
    """``/lacak/``: type a code (``?kode=``), get sent to its tracking page."""
    status = 200
    if "kode" in request.GET:
        form = TrackForm(request.GET)
        if form.is_valid():
            code = format_public_code(form.cleaned_data["kode"])
            url = reverse("complaints_public:track", kwargs={"code": code})
            return private_response(HttpResponseRedirect(url))
        status = 400
    else:
        form = TrackForm()
    response = render(request, "complaints/public/track_form.html", {"form": form}, status=status)
    return private_response(response, noindex=False)


@require_http_methods(["GET", "HEAD", "POST"])
@public_surface("found by the tracking code; the page shows no identity")
def track_case(request: HttpRequest, code: str) -> HttpResponse:
    """``/lacak/<code>/``: status in plain words, due time, public history, the answer, and —
    within the window after closing — the form to reopen it (POST here). Never the reporter's
    identity."""
    if request.method == "POST":
        retry_after = PUBLIC_SUBMISSIONS.hit(request)
        if retry_after:
            return too_many_response(request, retry_after)
        return _reopen(request, code)
    tracked = _by_code(request, code, "track", find=tracked_complaint)
    if isinstance(tracked, HttpResponse):
        return tracked
    return _track_page(request, tracked)


def _reopen(request: HttpRequest, code: str) -> HttpResponse:
    """A POST on the tracking page: reopen the closed complaint, or show the page again with
    the reason refused."""
    case = _by_code(request, code, "track")
    if isinstance(case, HttpResponse):
        return case
    activate_unit_time_zone(case.unit)
    reopen_form = ReopenForm(request.POST)
    if reopen_form.is_valid():
        try:
            case_reopen_by_requester(case=case, reason=reopen_form.cleaned_data["reason"])
        except ApplicationError as error:
            reopen_form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _(
                    "Your complaint has been reopened. The office will look at it again and "
                    "answer you."
                ),
            )
            url = reverse(
                "complaints_public:track", kwargs={"code": format_public_code(case.public_code)}
            )
            response = HttpResponseRedirect(url)
            response.status_code = 303
            return private_response(response)
    tracked = tracked_complaint(case.public_code)  # as it is now (it may have changed)
    if tracked is None:
        raise Http404("No such complaint")
    return _track_page(request, tracked, reopen_form=reopen_form, status=400)


def _track_page(
    request: HttpRequest,
    tracked: TrackedComplaint,
    *,
    reopen_form: ReopenForm | None = None,
    status: int = 200,
) -> HttpResponse:
    # this page's times in the case's unit's zone
    timezone.activate(display_time_zone_of(tracked.unit_id, tracked.unit_time_zone))
    now = timezone.now()
    until = reopen_until(tracked, now)
    if until:
        reopen_form = reopen_form or ReopenForm()
    context = {
        "code": format_public_code(tracked.public_code),
        # status, answer, details, history, contacts: cached per state of the case
        "case_body": case_body(tracked, now),
        "reopen_until": until,
        "reopen_form": reopen_form if until else None,
        "reopen_errors": reopen_form.non_field_errors() if reopen_form is not None else [],
        "reopen_days": REOPEN_WINDOW.days,
        "survey_url": _open_survey_url(tracked, now),
    }
    response = render(request, "complaints/public/track.html", context, status=status)
    return private_response(response)


@require_safe
@public_surface("found by the tracking code; the letter names no confidential reporter")
def track_answer_letter(request: HttpRequest, code: str) -> HttpResponse:
    """``/lacak/<code>/surat-jawaban.pdf``: the numbered answer letter of the complaint, for the
    holder of its tracking code, once the answer is out (404 otherwise, and for a wrong code)."""
    from .answer_letters import render_answer_letter_pdf
    from .staff_views import letter_response

    case = _by_code(request, code, "answer_letter")
    if isinstance(case, HttpResponse):
        return case
    detail = case.complaint
    if not detail.letter_number or case.status not in (Status.ANSWERED, Status.CLOSED):
        raise Http404("No answer letter")
    return private_response(letter_response(detail, render_answer_letter_pdf(detail)))


def _open_survey_url(tracked: TrackedComplaint, now: dt.datetime) -> str:
    """The satisfaction survey of a closed case while its invitation is unused and valid."""
    if tracked.status != Status.CLOSED or not tracked.survey_token:
        return ""
    if tracked.survey_used_at is not None or (
        tracked.survey_expires_at is not None and now >= tracked.survey_expires_at
    ):
        return ""
    return reverse("surveys:answer", kwargs={"token": tracked.survey_token})
