"""The access matrix: every URL of the site and every API operation, as every persona.

The list of URLs is generated from the URL conf (``get_resolver()``) and the API's OpenAPI
schema, so a new view or API operation without a row in ``EXPECTATIONS`` fails this test with a
message saying which row to add. Each row gives the expected outcome per persona:

- ``OK``: allowed (2xx, or a redirect somewhere other than a login page);
- ``LOGIN``: redirected to a login page (staff login, or the admin's);
- ``DENY``: 403; ``HIDDEN``: 404 (staff outside the unit must not even learn the case exists);
- ``NOAUTH``: 401 (API without a token); ``INVALID``: 400/422 — the API accepted the caller and
  rejected the (deliberately empty) body; used only where authorisation comes first;
- ``NOMETHOD``: 405.

Objects belong to Biro Kesra ("unit A") unless the row says otherwise: a complaint (assigned to
Bagian Bina Mental, where ``kesra_handler`` works), an audience request, a visit, an
attachment; a facility booking belongs to Biro Umum (no persona works there). ``ekon_officer``
is the complaint officer of Biro Perekonomian ("unit B"). ``citizen`` is a member of the public
holding the case's tracking code (or survey link); ``anonymous`` tries a code that is not theirs.
The admin site (``/admin/``) is open to superusers only: every persona, even the ``admin`` role
and a staff user with ``is_staff`` but no superuser status, is kept out.

Second factor: covered by tests/accounts; here ``OTP_REQUIRED_FOR_ROLES`` is emptied so each
persona's session is fully signed in and the matrix tests authorisation alone.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, include, reverse
from django.urls import path as url_path
from django.utils import timezone

from layanan.accounts import actors
from tests.factories import MembershipFactory, UserFactory, published_standard

CONFLICT = "409"
OK, LOGIN, DENY, HIDDEN, NOAUTH, INVALID, NOMETHOD = (
    "ok",
    "login",
    "403",
    "404",
    "401",
    "invalid",
    "405",
)

PERSONAS = [
    "anonymous",
    "citizen",
    "kesra_front",
    "kesra_officer",
    "kesra_handler",
    "kesra_head",
    "ekon_officer",
    "auditor",
    "admin",
    "staff_flag",  # is_staff=True, no superuser, no membership: the admin must stay closed
    "superuser",
]
STAFF = [
    "kesra_front",
    "kesra_officer",
    "kesra_handler",
    "kesra_head",
    "ekon_officer",
    "auditor",
    "admin",
]


def row(default: str, **overrides: str) -> dict[str, str]:
    """An expectation: ``default`` for every persona, with per-persona overrides."""
    unknown = set(overrides) - set(PERSONAS)
    assert not unknown, unknown
    return {persona: overrides.get(persona, default) for persona in PERSONAS}


def staff_only(**overrides: str) -> dict[str, str]:
    """Public and non-member users go to the login page; every staff role gets in."""
    return row(OK, anonymous=LOGIN, citizen=LOGIN, staff_flag=LOGIN, superuser=LOGIN) | overrides


# Patterns that are not views of their own: Django's admin, ninja's per-operation URLs
# (covered through the OpenAPI schema below).
PUBLIC = row(OK)


# --- the objects the URLs point at --------------------------------------------------------------


def build_world(org) -> dict:
    """Users, tokens and one object of each kind; returns what the URL arguments need."""
    from layanan.api.services import api_token_create
    from layanan.audiences.services import audience_request_create
    from layanan.cases.attachments import attachment_add
    from layanan.cases.models import Case, Status
    from layanan.complaints.services import complaint_assign, complaint_create
    from layanan.facilities.models import Resource, ResourceKind
    from layanan.facilities.services import booking_request_create
    from layanan.surveys.services import survey_invitation_for_case
    from layanan.visits.services import visit_register

    from .conftest import PERSONAS as ROLES

    users = {}
    for name, (unit_slug, role) in ROLES.items():
        user = UserFactory(username=name.replace("_", "."))
        MembershipFactory(user=user, unit=org[unit_slug], role=role)
        users[name] = user
    users["staff_flag"] = UserFactory(username="staff.flag", is_staff=True)
    users["superuser"] = UserFactory(username="root", is_staff=True, is_superuser=True)
    tokens = {name: api_token_create(user=user, name="matrix")[1] for name, user in users.items()}

    kesra = org["biro-kesra"]
    standard = published_standard(
        standard__unit=kesra, standard__name="Pelayanan Konsultasi", standard__slug="konsultasi"
    )
    from layanan.catalog.models import ServicePledge

    ServicePledge.objects.create(
        unit=kesra,
        signatory_name="Dr. Kepala Biro",
        signatory_position="Kepala Biro Kesejahteraan Rakyat",
        place="Pontianak",
        signed_on=dt.date(2026, 12, 1),
        confirmed=True,
    )
    complaint = complaint_create(
        actor=AnonymousUser(),
        unit=kesra,
        description="Loket kosong.",
        requester_name="Siti",
        requester_email="siti@example.org",
        confidential=True,
    )
    complaint_assign(
        actor=users["kesra_officer"], case=complaint, division=org["kesra-bina-mental"]
    )
    # Its answer letter (as if issued): staff reach it like the case. Its public download
    # waits for the answer (tests/complaints/test_answer_letters.py), so it is a 404 here.
    from layanan.complaints.models import ComplaintDetail

    ComplaintDetail.objects.filter(pk=complaint.pk).update(
        letter_number="001/ADU/KESRA/2026",
        letter_date=dt.date(2026, 12, 9),
        letter_subject="Jawaban Pengaduan",
        letter_signatory_title="Kepala Biro Kesejahteraan Rakyat",
    )
    attachment = attachment_add(
        case=complaint,
        upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
        actor=actors.PUBLIC,
    )
    closed = complaint_create(actor=AnonymousUser(), unit=kesra, description="Sudah selesai.")
    Case.objects.filter(pk=closed.pk).update(status=Status.CLOSED, closed_at=timezone.now())
    closed.refresh_from_db()
    invitation = survey_invitation_for_case(closed)

    audience = audience_request_create(
        actor=users["kesra_front"],
        unit=kesra,
        organisation="Karang Taruna",
        topic="Audiensi",
        preferred_dates=[timezone.localdate() + dt.timedelta(days=14)],
        participants=5,
        requester_name="Budi",
        requester_email="budi@example.org",
    )
    visit = visit_register(
        actor=actors.PUBLIC,
        unit=kesra,
        standard=None,
        name="Tamu",
        phone="081211112222",
        purpose="Bertanya",
    )
    room = Resource.objects.create(
        unit=org["biro-umum"], name="Ruang Rapat", kind=ResourceKind.ROOM, capacity=20
    )
    today = timezone.localdate()
    monday = today + dt.timedelta(days=14 - today.weekday())
    start = dt.datetime.combine(monday, dt.time(9), tzinfo=timezone.get_current_timezone())
    booking = booking_request_create(
        actor=AnonymousUser(),
        resource=room,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        purpose="Rapat",
        requester_name="Ani",
        requester_email="ani@example.org",
    )
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=UserFactory(username="otp.owner"), name="HP")

    from layanan.intake.models import Mailbox
    from layanan.intake.parsing import parse_mail
    from layanan.intake.services import Incoming, intake_receive

    from .intake.mails import with_attachments

    mailbox = Mailbox.objects.create(
        unit=kesra, address="kesra@kalbarprov.go.id", host="imap.example.org", username="kesra"
    )
    incoming = intake_receive(
        unit=kesra,
        incoming=Incoming.from_mail(parse_mail(with_attachments()), received_at=timezone.now()),
        mailbox=mailbox,
    )

    from layanan.evaluation.models import EvaluationMeeting, FollowUpAction

    today = timezone.localdate()
    meeting = EvaluationMeeting.objects.create(
        unit=kesra, month=today.replace(day=1), planned_on=today
    )
    follow_up = FollowUpAction.objects.create(
        meeting=meeting, description="Papan SOP", owner=users["kesra_front"], due_on=today
    )

    def fresh_visit():
        return visit_register(
            actor=actors.PUBLIC,
            unit=kesra,
            standard=None,
            name="Tamu",
            phone="081233334444",
            purpose="Bertanya",
        )

    return {
        "device": device,
        "meeting": meeting,
        "follow_up": follow_up,
        "fresh_visit": fresh_visit,
        "incoming": incoming,
        "incoming_file": incoming.attachments.filter(refused="").first(),
        "users": users,
        "tokens": tokens,
        "standard": standard,
        "complaint": complaint,
        "attachment": attachment,
        "closed": closed,
        "invitation": invitation,
        "audience": audience,
        "visit": visit,
        "booking": booking,
        "month": timezone.localdate().strftime("%Y-%m"),
    }


WRONG_CODE = "AAAA-BBBB-CCCC"


def url_kwargs(name: str, persona: str, world: dict) -> dict:
    """Arguments for the named URL: real objects of unit A (a citizen gets the real tracking
    code, everyone else a wrong one)."""
    citizen = persona == "citizen"
    codes = {
        "complaints_public:receipt": world["complaint"].public_code,
        "complaints_public:track": world["complaint"].public_code,
        "complaints_public:answer_letter": world["complaint"].public_code,
        "bookings_public:status": world["booking"].public_code,
        "bookings_public:notice": world["booking"].public_code,
        "audience:status": world["audience"].public_code,
        "audience:public_letter": world["audience"].public_code,
        "visits:ticket": world["visit"].public_code,
    }
    kwargs = {
        "cases:detail": {"ref": world["complaint"].number},
        "cases:complaint_answer_letter": {"ref": world["complaint"].number},
        "admin:catalog_servicestandard_copy_components": {"object_id": world["standard"].pk},
        "cases:attachment_download": {"pk": world["attachment"].pk},
        "intake:detail": {"pk": world["incoming"].pk},
        "intake:attachment_download": {"pk": world["incoming_file"].pk},
        "bookings:detail": {"ref": world["booking"].number},
        "bookings:notice": {"ref": world["booking"].number},
        "bookings_public:week": {"pk": world["booking"].booking.resource_id},
        "audience:detail": {"ref": world["audience"].number},
        "audience:reply_pdf": {"ref": world["audience"].number},
        "audience:reply_preview": {"ref": world["audience"].number},
        "audience:reply_preview_pdf": {"ref": world["audience"].number},
        # A fresh visit for each persona: calling one changes it.
        "visits:action": {"pk": world["fresh_visit"]().pk, "action": "call"},
        "visits:survey_card": {"pk": world["visit"].visit.pk},
        "workdays:calendar_year": {"year": timezone.localdate().year},
        "surveys:answer": {"token": world["invitation"].token if citizen else "x" * 20},
        "accounts:password_reset_confirm": {"uidb64": "MQ", "token": "set-password"},
        "setup:start": {"token": "x" * 43},
        "evaluation:meeting": {"pk": world["meeting"].pk},
        "evaluation:meeting_edit": {"pk": world["meeting"].pk},
        "evaluation:action_add": {"pk": world["meeting"].pk},
        "evaluation:action_update": {"pk": world["follow_up"].pk},
        "reports:monthly_pdf": {"unit_slug": "biro-kesra", "month": world["month"]},
        "reports:monthly_xlsx": {"unit_slug": "biro-kesra", "month": world["month"]},
        "catalog:standard_version": {
            "unit_slug": "biro-kesra",
            "slug": "konsultasi",
            "number": world["standard"].published_version.number,
        },
    }
    generic = {
        "unit_slug": "biro-kesra",
        "fmt": "json",
        "app_label": "notify",
        "service_code": "konsultasi",
        # Open311 ids are case numbers, public by design; never the tracking code.
        "service_request_id": world["complaint"].number.replace("/", "-"),
        "token_id": WRONG_CODE,
        "content_type_id": 1,
        "pk": world["device"].pk,  # the admin's TOTP device views
        "object_id": 1,
    }
    if name in codes:
        result = {"code": codes[name] if citizen else WRONG_CODE}
        if name == "visits:ticket":
            result["unit_slug"] = "biro-kesra"
        return result
    if name in kwargs:
        return generic | kwargs[name]
    if name.startswith("catalog:standard"):
        return generic | {"slug": "konsultasi"}
    return generic


# --- the URLs -----------------------------------------------------------------------------------


def site_patterns():
    """(key, name, route, parameters) of every Django URL pattern, walking includes
    recursively. Ninja's per-operation patterns are left to the OpenAPI walk."""
    found = []

    def params(pattern) -> set[str]:
        return set(getattr(pattern.pattern, "converters", {})) | set(
            pattern.pattern.regex.groupindex
        )

    def walk(resolver, prefix, namespace, outer):
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                ns = namespace
                if pattern.namespace:
                    ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern, route, ns, outer | params(pattern))
            elif isinstance(pattern, URLPattern):
                if getattr(pattern.callback, "__module__", "") == "ninja.operation":
                    continue
                name = pattern.name and (
                    f"{namespace}:{pattern.name}" if namespace else pattern.name
                )
                found.append((name or route, name, route, outer | params(pattern)))

    walk(get_resolver(), "/", None, set())
    return found


def api_operations():
    """(key, method, path template) of every operation in the API's OpenAPI schema."""
    from layanan.api.api import api

    schema = api.get_openapi_schema()
    ops = []
    for path, methods in schema["paths"].items():
        for method in methods:
            ops.append((f"{method.upper()} {path}", method.upper(), path))
    return ops


ADMIN_MODEL_VIEWS = ("_changelist", "_add", "_change", "_delete", "_history")


def admin_url(name: str, route: str):
    """The URL of an admin pattern: model views of registered models (with their first object,
    or ``None`` to skip an object view when the table is empty)."""
    from django.contrib import admin

    short = name.removeprefix("admin:")
    for model in admin.site._registry:
        base = f"{model._meta.app_label}_{model._meta.model_name}"
        for suffix in ADMIN_MODEL_VIEWS:
            if short == base + suffix:
                if suffix in ("_changelist", "_add"):
                    return reverse(name)
                obj = model._default_manager.order_by("pk").first()
                return None if obj is None else reverse(name, args=[obj.pk])
    return None


ADMIN_OBJECT_REDIRECT_ROUTE = re.compile(r"^/admin/(\w+)/(\w+)/<path:object_id>/$")


def admin_object_redirect_url(route: str):
    """``/admin/<app>/<model>/<id>/``: the admin's old-style object URL (redirects to the change
    view), with the model's first object."""
    from django.apps import apps

    app_label, model_name = ADMIN_OBJECT_REDIRECT_ROUTE.match(route).groups()
    obj = apps.get_model(app_label, model_name)._default_manager.order_by("pk").first()
    return None if obj is None else f"/admin/{app_label}/{model_name}/{obj.pk}/"


def classify(response) -> str:
    status = response.status_code
    if status in (301, 302, 303, 307, 308):
        target = urlsplit(response["Location"]).path
        if target in (reverse("accounts:login"), reverse("admin:login")):
            return LOGIN
        return OK
    if 200 <= status < 300:
        return OK
    if status in (400, 422):
        return INVALID
    return {401: NOAUTH, 403: DENY, 404: HIDDEN, 405: NOMETHOD, 409: CONFLICT}.get(
        status, str(status)
    )


def api_path(template: str, persona: str, world: dict) -> str:
    citizen = persona == "citizen"
    values = {
        "complaint_id": world["complaint"].pk,
        "case_id": world["audience"].pk if "/audiences/" in template else world["booking"].pk,
        "visit_id": world["visit"].pk,
        "public_code": world["complaint"].public_code if citizen else WRONG_CODE,
        "unit_slug": "biro-kesra",
        "slug": "konsultasi",
    }
    return template.format(**values)


def api_request(key: str, world: dict) -> tuple[dict | None, dict | None]:
    """(JSON body, query) that pass validation, so that a denial is about the caller."""
    start = world["booking"].booking.starts_at + dt.timedelta(days=1)
    day = (timezone.localdate() + dt.timedelta(days=21)).isoformat()
    bodies = {
        "POST /api/v1/complaints": {"unit": "biro-kesra", "description": "Uji akses."},
        "POST /api/v1/complaints/{complaint_id}/classify": {"class": "ringan"},
        "POST /api/v1/complaints/{complaint_id}/assign": {"division": "kesra-bina-mental"},
        "POST /api/v1/complaints/{complaint_id}/answer": {"answer": "Sudah ditindaklanjuti."},
        "POST /api/v1/complaints/{complaint_id}/reject": {"reason": "Bukan kewenangan kami."},
        "POST /api/v1/visits": {"unit": "biro-kesra", "name": "Tamu", "phone": "081255556666"},
        "POST /api/v1/visits/{visit_id}/call": {"desk": "Loket 1"},
        "POST /api/v1/visits/{visit_id}/route": {"division": "kesra-bina-mental"},
        "POST /api/v1/visits/{visit_id}/finish": {"outcome": "Selesai."},
        "POST /api/v1/bookings": {
            "resource": world["booking"].booking.resource_id,
            "starts_at": start.isoformat(),
            "ends_at": (start + dt.timedelta(hours=1)).isoformat(),
            "purpose": "Rapat",
            "name": "Ani",
            "email": "ani@example.org",
        },
        "POST /api/v1/bookings/{case_id}/refuse": {"reason": "Ruangan dipakai."},
        "POST /api/v1/audiences": {
            "unit": "biro-kesra",
            "organisation": "Karang Taruna",
            "topic": "Audiensi",
            "preferred_dates": [day],
            "participants": 3,
            "name": "Budi",
            "email": "budi@example.org",
        },
        "POST /api/v1/audiences/{case_id}/disposition": {
            "division": "kesra-bina-mental",
            "instruction": "Tindak lanjuti.",
        },
        "POST /api/v1/audiences/{case_id}/schedule": {
            "starts_at": f"{day}T10:00:00+07:00",
            "place": "Ruang Rapat",
            "official": "Kepala Biro",
        },
        "POST /api/v1/survey/responses": {"unit": "biro-kesra"}
        | {f"u{i}": 4 for i in range(1, 10)},
    }
    queries = {"GET /api/v1/reports/monthly": {"unit": "biro-kesra", "month": world["month"]}}
    return bodies.get(key, {}), queries.get(key)


def persona_clients(world, only: str | None = None) -> dict[str, Client]:
    clients = {}
    for persona in [only] if only else PERSONAS:
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        user = world["users"].get(persona)
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        clients[persona] = client
    return clients


def _dump(actual: dict) -> None:
    """ACCESS_MATRIX_DUMP=path writes the observed matrix (for reviewing a new row)."""
    target = os.environ.get("ACCESS_MATRIX_DUMP")
    if not target:
        return
    with open(target, "w") as fh:
        for key, observed in actual.items():
            fh.write(f"{key!r}: {observed!r},\n")


class _QuickPdf:
    """Stands in for WeasyPrint: the matrix is about who gets the PDF, not its layout (tested
    in tests/catalog and tests/reports); rendering one takes ~1 s."""

    pages = [None]

    def __init__(self, *args, **kwargs):
        pass

    def render(self, *args, **kwargs):
        return self

    def write_pdf(self, *args, **kwargs):
        return b"%PDF-1.4\n%%EOF\n"


@pytest.mark.django_db
def test_every_url_and_api_operation_has_the_expected_access_for_every_persona(
    org, settings, monkeypatch
):
    """Walks the URL conf and the OpenAPI schema; every URL needs a row in EXPECTATIONS and
    every persona must get exactly the expected outcome (all mismatches reported at once)."""
    import weasyprint

    monkeypatch.setattr(weasyprint, "HTML", _QuickPdf)
    settings.OTP_REQUIRED_FOR_ROLES = ()
    world = build_world(org)
    clients = persona_clients(world)
    api_client = Client(HTTP_ACCEPT_LANGUAGE="en")
    missing, mismatches, actual, timings = [], [], {}, {}

    def check(key, expected, fetch):
        observed = {}
        started = time.perf_counter()
        for persona in PERSONAS:
            cache.clear()  # rate limits must not turn a later request into a 429
            observed[persona] = fetch(persona)
        actual[key] = observed
        timings[key] = time.perf_counter() - started
        if expected is None:
            missing.append(key)
            return
        wrong = {
            p: f"expected {expected[p]}, got {observed[p]}"
            for p in PERSONAS
            if observed[p] not in expected[p].split("|")
        }
        if wrong:
            mismatches.append(f"{key}: {wrong}")

    for key, name, route, parameters in site_patterns():
        url = None
        if name and name.startswith("admin:") and name not in EXPECTATIONS:
            if not name.endswith(ADMIN_MODEL_VIEWS):
                missing.append(key)
                continue
            url = admin_url(name, route)
            if url is None:
                continue  # an object view of an empty table
            expected = ADMIN_MODEL_VIEW
        elif not name and ADMIN_OBJECT_REDIRECT_ROUTE.match(route):
            url = admin_object_redirect_url(route)
            if url is None:
                continue
            expected = ADMIN_OBJECT_REDIRECT
        elif key in LITERAL_URLS:
            url, expected = LITERAL_URLS[key], EXPECTATIONS.get(key)
        elif not name:
            missing.append(f"{key} (unnamed: add it to LITERAL_URLS and EXPECTATIONS)")
            continue
        else:
            expected = EXPECTATIONS.get(key)
        method = "post" if key in POST_ONLY else "get"

        def fetch(persona, key=key, url=url, name=name, method=method, parameters=parameters):
            if url is None:
                kwargs = url_kwargs(name, persona, world)
                url = reverse(name, kwargs={k: v for k, v in kwargs.items() if k in parameters})
            client = clients[persona]
            if key in POST_ONLY:  # logging out must not end the persona's session for the rest
                client = persona_clients(world, only=persona)[persona]
            return classify(getattr(client, method)(url, POST_DATA.get(key)))

        check(key, expected, fetch)

    for key, method, template in api_operations():

        def fetch_api(persona, key=key, method=method, template=template):
            headers = {}
            if persona not in ("anonymous", "citizen"):
                headers["HTTP_AUTHORIZATION"] = f"Bearer {world['tokens'][persona]}"
            path = api_path(template, persona, world)
            body, query = api_request(key, world)
            if method == "GET":
                response = api_client.get(path, query, **headers)
            else:
                response = getattr(api_client, method.lower())(
                    path, data=body, content_type="application/json", **headers
                )
            return classify(response)

        check(key, API_EXPECTATIONS.get(key), fetch_api)

    _dump(actual)
    if os.environ.get("ACCESS_MATRIX_DUMP"):
        slow = sorted(timings.items(), key=lambda kv: -kv[1])[:15]
        admin_t = sum(t for k, t in timings.items() if "admin" in k)
        print(f"admin {admin_t:.1f}s in {sum('admin' in k for k in timings)} rows")
        print("\n".join(f"{t:6.2f}s {k}" for k, t in slow), f"\ntotal {sum(timings.values()):.1f}s")
    message = []
    if missing:
        message.append(
            "URLs without an access rule — add a row to EXPECTATIONS (views) or "
            "API_EXPECTATIONS (API) in tests/test_access_matrix.py:\n  " + "\n  ".join(missing)
        )
    if mismatches:
        message.append("Unexpected access:\n  " + "\n  ".join(mismatches))
    assert not message, "\n".join(message)


# --- the expectations ---------------------------------------------------------------------------

# Every model view of the admin (changelist, add, change, delete, history): superusers only —
# read-only models (task results, login records) refuse "add"/"delete" even to them.
ADMIN_MODEL_VIEW = row(LOGIN, staff_flag=DENY, superuser=f"{OK}|{DENY}")
# /admin/<app>/<model>/<id>/ only redirects an admin user to the change view (which is guarded
# by ADMIN_MODEL_VIEW); everyone else goes to the admin login.
ADMIN_OBJECT_REDIRECT = row(LOGIN, staff_flag=OK, superuser=OK)
# The admin's own pages: the login form is public; the rest needs is_staff.
ADMIN_PAGE = row(LOGIN, staff_flag=OK, superuser=OK)

PUBLIC = row(OK)
NOBODY = row(HIDDEN)  # an unknown object: the same 404 for everyone
# A public page reached with a secret code or token: only its holder gets in.
BY_CODE = row(HIDDEN, citizen=OK)


def staff(**overrides: str) -> dict[str, str]:
    """Staff pages: the public goes to the login page; a signed-in user without any role in a
    unit (``staff_flag``) is refused; superusers pass."""
    return row(OK, anonymous=LOGIN, citizen=LOGIN, staff_flag=DENY) | overrides


# Unit A's case seen from unit B: 404, as if it did not exist.
A_ONLY = {"ekon_officer": HIDDEN}
# The intake queue: roles that do not triage get a 404, as if it did not exist.
INTAKE_OTHERS = {"kesra_front": HIDDEN, "kesra_handler": HIDDEN, "auditor": HIDDEN}
# Biro Umum's object: no persona of Kesra or Perekonomian sees it.
UMUM_ONLY = {
    p: HIDDEN
    for p in ("kesra_front", "kesra_officer", "kesra_handler", "kesra_head", "ekon_officer")
}
# Reports: heads, auditors, administrators.
REPORT_UNIT = staff(
    kesra_front=HIDDEN, kesra_officer=HIDDEN, kesra_handler=HIDDEN, ekon_officer=HIDDEN
)

# Pages of the head of Biro Kesra: every other persona of a unit gets a 404.
HEAD_ONLY = {
    p: HIDDEN
    for p in ("kesra_front", "kesra_officer", "kesra_handler", "ekon_officer", "auditor", "admin")
}
EVALUATION_HEAD = staff(**HEAD_ONLY)
# The SKM report: every member of the unit (the follow-up plan is theirs to carry out); the
# handler of a Bagian below does not read the Biro's, nor another bureau's officer.
SKM_UNIT = staff(kesra_handler=HIDDEN, ekon_officer=HIDDEN)

# Patterns without a name, reached by a fixed URL.
LITERAL_URLS = {
    "/admin/(?P<url>.*)$": "/admin/no-such-page/",
    "/api/v1/^.*$": "/api/v1/no-such-endpoint",
    "/open311/v2/^.*$": "/open311/v2/no-such-endpoint.json",
}

# Django views answered to POST only: requested with an empty POST (the permission check comes
# before the form's).
POST_DATA = {"visits:action": {"desk": "Loket 1"}}
POST_ONLY = {"accounts:logout", "accounts:twofactor_disable", "visits:action", "admin:logout"}

EXPECTATIONS: dict[str, dict[str, str]] = {
    # public site
    "set_language": PUBLIC,
    "ops:healthz": PUBLIC,
    "favicon": PUBLIC,
    "catalog:home": PUBLIC,
    "catalog:unit": PUBLIC,
    "catalog:standard": PUBLIC,
    "catalog:standard_history": PUBLIC,
    "catalog:standard_version": PUBLIC,
    "catalog:standard_poster": PUBLIC,
    "catalog:standard_qr": PUBLIC,
    "catalog:pledge": PUBLIC,
    "catalog:pledge_pdf": PUBLIC,
    "complaints_public:form": PUBLIC,
    "complaints_public:form_unit": PUBLIC,
    "complaints_public:lookup": PUBLIC,
    "complaints_public:receipt": BY_CODE,
    "complaints_public:track": BY_CODE,
    # The letter is downloadable by the code's holder once the complaint is answered (the walk
    # may or may not have answered the world's complaint by then); nobody else, ever.
    "complaints_public:answer_letter": row(HIDDEN, citizen=f"{OK}|{HIDDEN}"),
    "bookings_public:form": PUBLIC,
    "bookings_public:status": BY_CODE,
    "bookings_public:schedule": PUBLIC,
    "bookings_public:week": PUBLIC,  # times only, never who or why
    # The decision notice exists once a decision is made (the world's request is pending).
    "bookings_public:notice": NOBODY,
    "audience:form": PUBLIC,
    "audience:status": BY_CODE,
    # The reply letter exists once issued: before, 404 even with the right code.
    "audience:public_letter": NOBODY,
    "visits:kiosk": PUBLIC,
    "visits:display": PUBLIC,
    "visits:ticket": BY_CODE,
    "surveys:results": PUBLIC,
    "surveys:kiosk": PUBLIC,
    "surveys:kiosk_thanks": PUBLIC,
    "surveys:thanks": PUBLIC,
    "surveys:answer": BY_CODE,
    "reports:public": PUBLIC,
    "open311:discovery": PUBLIC,
    "open311:services": PUBLIC,
    "open311:service": PUBLIC,
    "open311:requests": PUBLIC,
    # Ids are public case numbers, but the world's complaint is confidential: never published.
    "open311:request": NOBODY,
    "open311:token": NOBODY,
    "/open311/v2/^.*$": NOBODY,
    "api_index": PUBLIC,
    "api:api-root": PUBLIC,
    "api:openapi-json": PUBLIC,
    "api:openapi-view": PUBLIC,
    "/api/v1/^.*$": NOBODY,
    # accounts
    "accounts:login": PUBLIC,
    "accounts:logout": PUBLIC,
    "accounts:password_reset": PUBLIC,
    "accounts:password_reset_done": PUBLIC,
    "accounts:password_reset_confirm": PUBLIC,  # a wrong link shows "invalid link"
    "accounts:password_reset_complete": PUBLIC,
    "accounts:password_change": row(OK, anonymous=LOGIN, citizen=LOGIN),
    "accounts:password_change_done": row(OK, anonymous=LOGIN, citizen=LOGIN),
    "accounts:twofactor": row(OK, anonymous=LOGIN, citizen=LOGIN),
    "accounts:twofactor_enrol": row(OK, anonymous=LOGIN, citizen=LOGIN),
    "accounts:twofactor_verify": row(OK, anonymous=LOGIN, citizen=LOGIN),
    "accounts:twofactor_disable": row(OK, anonymous=LOGIN, citizen=LOGIN),
    # staff: cases and complaints
    "cases:home": PUBLIC,  # only redirects to the inbox, which is guarded
    "cases:inbox": staff(),
    "cases:detail": staff(**A_ONLY),
    "cases:complaint_answer_letter": staff(**A_ONLY),
    "cases:attachment_download": staff(**A_ONLY, staff_flag=HIDDEN),
    "cases:complaint_record": staff(kesra_handler=DENY, auditor=DENY),
    # staff: the intake queue (complaint officers, heads, administrators of the unit)
    "intake:queue": staff(**INTAKE_OTHERS),
    "intake:detail": staff(**INTAKE_OTHERS, **A_ONLY),
    "intake:attachment_download": staff(**INTAKE_OTHERS, **A_ONLY),
    # The WhatsApp webhook: no login; a GET without the verify token is refused for everyone.
    "intake_whatsapp:webhook": row(DENY),
    "workdays:calendar": staff(),
    "workdays:calendar_year": staff(),
    # staff: facilities, audiences, guests
    "bookings:list": staff(),
    "bookings:calendar": staff(),
    "bookings:detail": staff(**UMUM_ONLY),
    "bookings:notice": staff(**{p: HIDDEN for p in STAFF}, superuser=HIDDEN),
    # Recording a letter: who may record cases in a unit with facilities (Biro Umum here).
    "bookings:record": staff(**UMUM_ONLY, auditor=HIDDEN),
    "audience:list": staff(),
    "audience:record": staff(kesra_handler=HIDDEN, auditor=HIDDEN),
    "audience:letter_template": staff(
        kesra_front=HIDDEN,
        kesra_officer=HIDDEN,
        kesra_handler=HIDDEN,
        ekon_officer=HIDDEN,
        auditor=HIDDEN,
    ),
    "audience:detail": staff(**A_ONLY, kesra_handler=HIDDEN),
    # The reply letter exists once a reply is issued: 404 before, for everyone.
    "audience:reply_pdf": staff(**{p: HIDDEN for p in STAFF}, superuser=HIDDEN),
    # The preview exists while a scheduled request awaits its letter: 404 before, for everyone.
    "audience:reply_preview": staff(**{p: HIDDEN for p in STAFF}, superuser=HIDDEN),
    "audience:reply_preview_pdf": staff(**{p: HIDDEN for p in STAFF}, superuser=HIDDEN),
    "visits:desk_home": staff(),
    "visits:desk": staff(**A_ONLY, kesra_handler=HIDDEN),
    "visits:register": staff(**A_ONLY, kesra_handler=HIDDEN, auditor=HIDDEN),
    "visits:action": staff(**A_ONLY, kesra_handler=HIDDEN, auditor=DENY),
    # The guest book: everyone who sees the unit's cases (auditors too); a Bagian's handler
    # has the Bagian's book, not the Biro's.
    "visits:guest_book": staff(**A_ONLY, kesra_handler=HIDDEN),
    "visits:survey_card": staff(**A_ONLY, kesra_handler=HIDDEN),
    "visits:guest_book_pdf": staff(**A_ONLY, kesra_handler=HIDDEN),
    "visits:guest_book_xlsx": staff(**A_ONLY, kesra_handler=HIDDEN),
    # staff: reports
    "reports:dashboard": staff(
        kesra_front=DENY, kesra_officer=DENY, kesra_handler=DENY, ekon_officer=DENY
    ),
    "reports:skm": SKM_UNIT,
    "reports:skm_pdf": SKM_UNIT,
    "reports:skm_xlsx": SKM_UNIT,
    "reports:monthly_pdf": REPORT_UNIT,
    "reports:monthly_xlsx": REPORT_UNIT,
    # staff: the evaluation (layanan/evaluation): meetings read by the unit's people (its
    # Bagian too) and every unit's auditor and administrator, written by its head; the
    # officers' figures for the head and the auditor; the reprimand register for the head and
    # the auditor only — not a superuser without the role; one's own reprimands for everyone.
    "evaluation:home": staff(),
    "evaluation:meeting": staff(**A_ONLY),
    "evaluation:meeting_edit": EVALUATION_HEAD,
    "evaluation:meeting_new": EVALUATION_HEAD,
    "evaluation:action_add": EVALUATION_HEAD,
    "evaluation:action_update": EVALUATION_HEAD,
    "evaluation:performance": staff(**HEAD_ONLY | {"auditor": OK}),
    "evaluation:reprimands": staff(**HEAD_ONLY | {"auditor": OK, "superuser": HIDDEN}),
    "evaluation:my_reprimands": staff(),
    # the first-run page: gone once the installation has units or a superuser
    "setup:start": NOBODY,
    "setup:steps": NOBODY,
    "setup:organisation": NOBODY,
    "setup:organisation_file": NOBODY,
    "setup:unit": NOBODY,
    "setup:standards": NOBODY,
    "setup:publish": NOBODY,
    "setup:finish": NOBODY,
    # the admin site: superusers only
    "admin:login": PUBLIC,
    "admin:logout": PUBLIC,
    "admin:index": ADMIN_PAGE,
    "admin:app_list": row(LOGIN, staff_flag=HIDDEN, superuser=OK),
    "admin:password_change": ADMIN_PAGE,
    "admin:password_change_done": ADMIN_PAGE,
    "admin:jsi18n": ADMIN_PAGE,
    # Without its query parameters (autocomplete) or a real object (view_on_site, unknown
    # pages) even a superuser gets an error: what matters is that nobody else reaches it.
    "admin:autocomplete": row(LOGIN, staff_flag=DENY, superuser=DENY),
    "admin:view_on_site": row(LOGIN, staff_flag=HIDDEN, superuser=HIDDEN),
    "/admin/(?P<url>.*)$": row(LOGIN, staff_flag=HIDDEN, superuser=HIDDEN),
    # django-otp's device pages (secret key, QR code): superusers only.
    "admin:otp_totp_totpdevice_config": ADMIN_MODEL_VIEW,
    "admin:otp_totp_totpdevice_qrcode": ADMIN_MODEL_VIEW,
    # Copying management components between a unit's standards: like the standard's change view.
    "admin:catalog_servicestandard_copy_components": ADMIN_MODEL_VIEW,
}

# The API: staff operations need a token (401 without); a token of a user without a role is
# refused (403). A state-changing operation passes authorisation when it answers 2xx, 409 (the
# case is no longer in a state for it — an earlier persona moved it) or 400/422; every denial
# must be exactly 401, 403 or 404.
ALLOWED = f"{OK}|{CONFLICT}|{INVALID}"


def api_read(**overrides: str) -> dict[str, str]:
    return row(OK, anonymous=NOAUTH, citizen=NOAUTH, staff_flag=DENY) | overrides


def api_act(**overrides: str) -> dict[str, str]:
    return row(ALLOWED, anonymous=NOAUTH, citizen=NOAUTH, staff_flag=DENY) | overrides


# Complaint decisions: the complaint officer, the head, administrators.
COMPLAINT_DECISION = api_act(
    kesra_front=DENY, kesra_handler=DENY, ekon_officer=HIDDEN, auditor=DENY
)
# Filing for unit A with a token: only users who record cases in unit A.
FILE_IN_A = {"kesra_handler": DENY, "ekon_officer": DENY, "auditor": DENY, "staff_flag": DENY}
VISIT_DESK = api_act(kesra_handler=HIDDEN, ekon_officer=HIDDEN, auditor=DENY)
BOOKING_DECISION = api_act(**UMUM_ONLY, auditor=DENY)
AUDIENCE_DECISION = api_act(kesra_front=DENY, kesra_handler=DENY, ekon_officer=HIDDEN, auditor=DENY)

API_EXPECTATIONS: dict[str, dict[str, str]] = {
    "GET /api/v1/units": PUBLIC,
    "GET /api/v1/standards": PUBLIC,
    "GET /api/v1/standards/{unit_slug}/{slug}": PUBLIC,
    "GET /api/v1/standards/{slug}": PUBLIC,
    "GET /api/v1/ikm": PUBLIC,
    "GET /api/v1/resources": PUBLIC,
    "GET /api/v1/survey/questionnaire": PUBLIC,
    "GET /api/v1/survey/periods": PUBLIC,
    "GET /api/v1/me": api_read(),
    # complaints
    "POST /api/v1/complaints": row(OK, **FILE_IN_A),
    "GET /api/v1/track/{public_code}": BY_CODE,
    "GET /api/v1/complaints": api_read(),
    "GET /api/v1/complaints/{complaint_id}": api_read(**A_ONLY),
    "POST /api/v1/complaints/{complaint_id}/verify": COMPLAINT_DECISION,
    "POST /api/v1/complaints/{complaint_id}/classify": COMPLAINT_DECISION,
    "POST /api/v1/complaints/{complaint_id}/assign": COMPLAINT_DECISION,
    "POST /api/v1/complaints/{complaint_id}/answer": COMPLAINT_DECISION,
    "POST /api/v1/complaints/{complaint_id}/close": COMPLAINT_DECISION,
    "POST /api/v1/complaints/{complaint_id}/reject": COMPLAINT_DECISION,
    # guests
    "POST /api/v1/visits": api_act(**FILE_IN_A),
    "GET /api/v1/visits": api_read(),
    "POST /api/v1/visits/{visit_id}/call": VISIT_DESK,
    "POST /api/v1/visits/{visit_id}/serve": VISIT_DESK,
    # by now the visit is routed to the handler's division: they see it but may not route it
    "POST /api/v1/visits/{visit_id}/route": api_act(
        kesra_handler=DENY, ekon_officer=HIDDEN, auditor=DENY
    ),
    "POST /api/v1/visits/{visit_id}/finish": api_act(ekon_officer=HIDDEN, auditor=DENY),
    # facilities (Biro Umum's room)
    "POST /api/v1/bookings": row(OK, **{p: DENY for p in STAFF if p != "admin"}, staff_flag=DENY),
    "GET /api/v1/bookings": api_read(),
    "GET /api/v1/bookings/{case_id}": api_read(**UMUM_ONLY),
    "POST /api/v1/bookings/{case_id}/approve": BOOKING_DECISION,
    "POST /api/v1/bookings/{case_id}/refuse": BOOKING_DECISION,
    "POST /api/v1/bookings/{case_id}/cancel": BOOKING_DECISION,
    # audiences (Biro Kesra has no published audience standard here: the public is refused
    # with a validation error, staff record requests)
    "POST /api/v1/audiences": row(OK, anonymous=INVALID, citizen=INVALID, **FILE_IN_A),
    "GET /api/v1/audiences": api_read(),
    "GET /api/v1/audiences/{case_id}": api_read(**A_ONLY, kesra_handler=HIDDEN),
    "POST /api/v1/audiences/{case_id}/disposition": api_act(
        kesra_front=DENY,
        kesra_officer=DENY,
        kesra_handler=HIDDEN,
        ekon_officer=HIDDEN,
        auditor=DENY,
    ),
    # disposed to the handler's division: it prepares the schedule
    "POST /api/v1/audiences/{case_id}/schedule": api_act(ekon_officer=HIDDEN, auditor=DENY),
    "POST /api/v1/audiences/{case_id}/reply": AUDIENCE_DECISION,
    "POST /api/v1/audiences/{case_id}/close": AUDIENCE_DECISION,
    # surveys and reports
    "POST /api/v1/survey/responses": api_act(**FILE_IN_A),
    "GET /api/v1/reports/monthly": api_read(
        kesra_front=DENY, kesra_officer=DENY, kesra_handler=DENY, ekon_officer=DENY
    ),
}


def _new_view(request):
    raise AssertionError("never called")


urlpatterns = [
    url_path("neu/", _new_view, name="brand_new_view"),
    url_path("", include("layanan.urls")),
]


def test_a_view_without_a_rule_is_reported(settings):
    """The matrix is generated from the URL conf: a view added without a row is found (and the
    main test then fails, naming it)."""
    settings.ROOT_URLCONF = __name__
    keys = [key for key, *_ in site_patterns()]
    assert "brand_new_view" in keys
    assert "brand_new_view" not in EXPECTATIONS
    assert "cases:inbox" in keys
