"""What the tracking page (``/lacak/<code>/``) shows of a complaint, rendered once per state of
the case and kept in the default cache.

The page's *case body* — the status card, the answer, the details, the public history and the
office's contacts — depends on nothing but what :func:`facts` reads from the case (its row,
detail, unit and standard, as ``selectors.tracked_complaint`` reads them in one query), its
public events, the zone its times are shown in, the language, and two facts of the clock: is
it overdue, is the reopening window open. So the body is rendered from those and stored under

    ``lacak:<case id>:<digest of all of them, the public events' count and last id>``

— any change to the case (a new event, a status change, an answer, a reopening, a new due
time, a renamed office, another language) is a new key and shows at once; an entry that no
state uses any more just expires (``FRAGMENT_SECONDS``). The key holds the case's id, never
its tracking code, so nothing that names the case by its code leaves the server.

Never in a fragment: anything per visitor or per request — the CSRF token, the reopen form and
its errors, messages, the survey link (read fresh on each request) — and never the reporter's
identity, which is not even loaded (``selectors.IDENTITY_FIELDS``). The lookup limiter runs
before any of this (``public_views._by_code``): a cached body is never a free lookup.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy

from layanan.cases.models import Case, Status
from layanan.cases.numbering import format_public_code
from layanan.cases.selectors import is_overdue
from layanan.cases.workflow import REOPEN_WINDOW
from layanan.workdays.deadlines import format_due

from .selectors import TrackedComplaint, public_timeline

#: How long a rendered body is kept when nothing changes (a new state is a new key anyway).
FRAGMENT_SECONDS = 6 * 60 * 60
#: Part of every key: raise it when the template or the facts change shape.
FRAGMENT_VERSION = 1
TEMPLATE = "complaints/public/_track_case.html"
PARTS = ("status", "answer", "body")

STATUS_WORDS: dict[str, tuple[str, str]] = {
    Status.RECEIVED: (
        gettext_lazy("Received"),
        gettext_lazy(
            "Your complaint has been recorded. The complaint officer will check it and decide "
            "how it will be handled."
        ),
    ),
    Status.VERIFIED: (
        gettext_lazy("Checked"),
        gettext_lazy(
            "The complaint officer has checked your complaint. It will now be followed up."
        ),
    ),
    Status.IN_PROGRESS: (
        gettext_lazy("Being handled"),
        gettext_lazy("The responsible team is looking into your complaint."),
    ),
    Status.WAITING: (
        gettext_lazy("Waiting for you"),
        gettext_lazy(
            "We need more information from you before we can continue. Please contact the "
            "office and mention your tracking code. The time limit is paused until then."
        ),
    ),
    Status.ANSWERED: (
        gettext_lazy("Answered"),
        gettext_lazy("Your complaint has been answered. You can read the answer below."),
    ),
    Status.CLOSED: (
        gettext_lazy("Closed"),
        gettext_lazy("Your complaint has been answered and closed."),
    ),
    Status.REJECTED: (
        gettext_lazy("Not accepted"),
        gettext_lazy(
            "Your complaint could not be accepted for handling. The reason is shown in the "
            "history below when the office gave one."
        ),
    ),
    Status.WITHDRAWN: (
        gettext_lazy("Withdrawn"),
        gettext_lazy("This complaint was withdrawn."),
    ),
}


def status_tone(case: Case | TrackedComplaint) -> str:
    if case.status in (Status.ANSWERED, Status.CLOSED):
        return "done"
    if case.status in (Status.REJECTED, Status.WITHDRAWN):
        return "stopped"
    if case.status == Status.WAITING:
        return "waiting"
    return "open"


def is_provisional(case: Case) -> bool:
    """The due time is the provisional one (the complaint is open and not classified yet)."""
    detail = getattr(case, "complaint", None)
    return detail is not None and not detail.is_classified and case.is_open


def reopen_until(case: Case | TrackedComplaint, now: dt.datetime) -> str:
    """Until when the reporter may reopen the closed ``case`` (as the page says it), or ""."""
    if case.status == Status.CLOSED and case.closed_at and now - case.closed_at <= REOPEN_WINDOW:
        return format_due(case.closed_at + REOPEN_WINDOW)
    return ""


def facts(case: TrackedComplaint, now: dt.datetime) -> dict:
    """Everything the case body shows, as plain values, in the active language and zone (the
    unit's: the view activated it). Reads nothing beyond ``case``."""
    title, explanation = STATUS_WORDS.get(case.status, (Status(case.status).label, ""))
    done = case.status in (Status.ANSWERED, Status.CLOSED)
    # After reopening, the earlier answer stays readable, marked as the previous one.
    show_answer = bool(case.answer) and (done or case.reopen_count > 0)
    return {
        "code": format_public_code(case.public_code),
        "status": case.status,
        "status_title": str(title),
        "status_explanation": str(explanation),
        "status_tone": status_tone(case),
        "received": format_due(case.received_at),
        "due": format_due(case.due_at) if case.due_at and case.is_open else "",
        "provisional": not case.class_code and case.is_open,
        "overdue": is_overdue(case, now),  # the one rule, on the same columns
        "paused": case.is_paused,
        "answer": case.answer if show_answer else "",
        "answer_is_previous": show_answer and not done,
        "answered": format_due(case.answered_at) if show_answer and case.answered_at else "",
        "answer_letter": case.letter_number if show_answer and done else "",
        "reopen_open": bool(reopen_until(case, now)),
        "number": case.number,
        "subject": case.subject,
        "standard_name": case.standard_name,
        "unit": {
            "name": case.unit_name,
            "phone": case.unit_phone,
            "whatsapp": case.unit_whatsapp,
            "email": case.unit_email,
        },
    }


@dataclass(frozen=True)
class CaseBody:
    """The rendered parts of the case body (safe HTML), and whether they came from the cache."""

    status: SafeString
    answer: SafeString
    body: SafeString
    cached: bool


def fragment_key(case: TrackedComplaint, values: dict) -> str:
    """``lacak:<case id>:<digest>``: the digest covers every value the body shows, the public
    events' count and last id, the zone and the language."""
    state = repr(
        (
            FRAGMENT_VERSION,
            translation.get_language(),
            timezone.get_current_timezone_name(),
            (case.public_events, case.last_public_event),
            sorted(values.items()),
        )
    )
    digest = hashlib.blake2b(state.encode(), digest_size=16).hexdigest()
    return f"lacak:{case.pk}:{digest}"


def case_body(case: TrackedComplaint, now: dt.datetime) -> CaseBody:
    """The case body of ``case`` for the tracking page: from the cache when this state of the
    case was rendered before, else rendered (reading the public history, one query) and
    kept."""
    values = facts(case, now)
    key = fragment_key(case, values)
    parts = cache.get(key)
    cached = isinstance(parts, dict) and all(isinstance(parts.get(p), str) for p in PARTS)
    if not cached:
        context = {**values, "timeline": public_timeline(case)}
        parts = {p: get_template(f"{TEMPLATE}#{p}").render(context) for p in PARTS}
        cache.set(key, parts, FRAGMENT_SECONDS)
    return CaseBody(*(mark_safe(parts[p]) for p in PARTS), cached=cached)
