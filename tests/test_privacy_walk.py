"""The privacy walk (issue 14, "Trust at the edges"): the whole promise, surface by surface.

Complaints are filed with distinctive identities through every filing path — the public form
(``/pengaduan/``), the JSON API (``POST /api/v1/complaints``), Open311 (``POST
/open311/v2/requests.json`` with an API key) and staff recording (``/staf/pengaduan/baru/``) —
each once named, once confidential and once anonymous; some move through the workflow with
internal notes carrying distinctive markers. Then the walker (tests/privacy_walker.py) fetches
every surface and scans every answer (headers, body, files inside a ZIP) for:

- **identities** — names, e-mail addresses, telephone numbers, Open311 device/account ids and
  original attachment file names;
- **tracking codes** — the only key a reporter holds: shown only where the caller already has
  it (the page addressed by the code) or, for staff, on the case's own page;
- **internal-note markers** — what staff write for each other.

What is walked is found, not listed: HTML pages by following links from the home page and from
every URL of the URL conf that a value can be found for; the API from its OpenAPI schema; Open311
from its listing; the admin from ``admin.site._registry``; the staff area by following links from
the inbox. A new page or endpoint is therefore walked without touching this file; a new URL
parameter without a value in ``URL_VALUES``/``API_VALUES`` fails the walk, naming it.

The parts are separate tests: public pages, public API, Open311, the admin as a superuser, the
staff pages and the staff API as a superuser and as the ``admin`` role, the complaint officer's
explicit reveal (so the staff checks are not vacuous), and the database (an anonymous identity is
stored nowhere). Each failure names the surface (URL and status) and what leaked.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from types import SimpleNamespace
from urllib.parse import quote, urlencode

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from layanan.accounts.actors import SYSTEM
from layanan.cases import views as case_views
from layanan.cases.forms import STATUS_ALL
from layanan.cases.models import Attachment, Case, CaseEvent, CaseKind
from layanan.cases.numbering import format_public_code
from tests.conftest import suite_now

from .conftest import PERSONAS
from .factories import MembershipFactory, UserFactory
from .privacy_walker import Leaks, Secret, Visit, Walker

pytestmark = [pytest.mark.django_db, pytest.mark.scoped]

# --- what the integrator may adjust ------------------------------------------------------------

#: The POST ``action`` of the staff case page that shows a confidential reporter to the unit's
#: complaint officer (and records it).
REVEAL_ACTION = getattr(case_views, "SHOW_IDENTITY", "show_identity")
#: Words that mark an API operation as the explicit reveal of a reporter's identity, if one is
#: added; without one, ``GET /api/v1/complaints/{id}`` is the complaint officer's reveal.
API_REVEAL_WORDS = ("identity", "reveal", "requester")
#: Change pages walked per admin model (every outbox message is walked whatever this says).
ADMIN_OBJECTS_PER_MODEL = 5
#: Paths the public walk never follows: the staff area and the admin (they answer the public
#: with a login page) and static files.
NOT_PUBLIC = ("/admin/", "/staf/", "/static/", "/media/", "/akun/keluar/")

UNIT = "biro-kesra"
SERVICE = "pelayanan-konsultasi"
DIVISION = "kesra-bina-mental"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

NAMED, CONFIDENTIAL, ANONYMOUS = "named", "confidential", "anonymous"
PATHS = {
    "web": "public form /pengaduan/",
    "api": "POST /api/v1/complaints",
    "open311": "Open311 POST requests.json",
    "staff": "staff recording /staf/pengaduan/baru/",
}
# (path, mode, given name, family name, attachment file name): rare names, so that a hit is a
# leak and not a coincidence. Only the web form and staff recording take files.
FILINGS = [
    ("web", NAMED, "Hartono", "Wicaksanadjaja", "Hartono_Surat_Kuasa.pdf"),
    ("web", CONFIDENTIAL, "Kusnadi", "Purbayaningrat", "Bukti_Rahasia_Loket.pdf"),
    ("web", ANONYMOUS, "Zulkifli", "Rahmatsyahputra", "Zulkifli_KTP.png"),
    ("api", NAMED, "Sumarni", "Tjahjadiwirya", ""),
    ("api", CONFIDENTIAL, "Maryati", "Sulistyowarni", ""),
    ("api", ANONYMOUS, "Darmawan", "Poerbonegoro", ""),
    ("open311", NAMED, "Wahyudi", "Kartasasmitra", ""),
    ("open311", CONFIDENTIAL, "Ratnasari", "Djojohadiwarno", ""),
    ("open311", ANONYMOUS, "Suharjo", "Mangkubumiraja", ""),
    ("staff", NAMED, "Nurhayati", "Prawiranegoro", "Nurhayati_Surat.pdf"),
    ("staff", CONFIDENTIAL, "Bambang", "Soedarsonoputro", "Kuitansi_Rahasia_Dua.pdf"),
    ("staff", ANONYMOUS, "Fitriani", "Hadikusumowati", "Fitriani_KTP.png"),
]
#: Internal notes typed by staff, one marker each; none may ever reach a public surface.
MARKERS = {
    "verify_page": "CATATAN-VERIFIKASI-HALAMAN-Q7X",
    "verify_api": "CATATAN-VERIFIKASI-API-Q7X",
    "assign": "INSTRUKSI-DISPOSISI-Q7X",
    "note": "CATATAN-INTERNAL-Q7X",
    "draft": "DRAF-JAWABAN-INTERNAL-Q7X",
}
MARKER_WORDS = {
    "verify_page": "the verification note typed on the staff case page",
    "verify_api": "the verification note sent to POST /api/v1/complaints/{id}/verify",
    "assign": "the assignment instruction",
    "note": "an internal note",
    "draft": "a draft answer",
}
PUBLIC_ANSWER = "Terima kasih, loket konsultasi kini dijaga dua petugas setiap hari kerja."


@dataclass
class Filing:
    path: str
    mode: str
    given: str
    family: str
    filename: str
    index: int
    case: Case | None = None
    attachments: list[int] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.path}-{self.mode}"

    @property
    def name(self) -> str:
        return f"{self.given} {self.family}"

    @property
    def email(self) -> str:
        return f"{self.given}.{self.family}@warga-rahasia.id".lower()

    @property
    def phone(self) -> str:
        return f"0857-93{self.index:02d}-48{self.index:02d}"

    @property
    def device_id(self) -> str:
        return f"HP-ANDROID-7Q{self.index:02d}X" if self.path == "open311" else ""

    @property
    def account_id(self) -> str:
        return f"akun-warga-{self.index:02d}-k9z" if self.path == "open311" else ""

    @property
    def code(self) -> str:
        return format_public_code(self.case.public_code)

    def words(self) -> str:
        return f"the {self.mode} reporter ({PATHS[self.path]})"

    def identity(self) -> list[Secret]:
        """Who the reporter is: the full name and the (rare) family name, the contacts, the
        Open311 device and account ids."""
        values = [
            (self.name, "name"),
            (self.family, "family name"),
            (self.email, "e-mail"),
            (self.phone, "telephone"),
            (self.device_id, "Open311 device_id"),
            (self.account_id, "Open311 account_id"),
        ]
        return [Secret(v, f"{what} of {self.words()}", self.key) for v, what in values if v]

    @property
    def address(self) -> str:
        return f"Gang Rahasia {self.family[:5]} No. {self.index}" if self.path == "open311" else ""

    @property
    def media_url(self) -> str:
        return (
            f"https://foto.warga-rahasia.id/bukti-{self.index:02d}q.jpg"
            if self.path == "open311"
            else ""
        )

    def whereabouts(self) -> list[Secret]:
        """Where an Open311 reporter was and the photo they sent: public only for a named
        complaint filed through Open311 (the client sent them to a public API)."""
        values = [(self.address, "address_string"), (self.media_url, "media_url")]
        return [Secret(v, f"Open311 {what} of {self.words()}", self.key) for v, what in values if v]

    def file_secret(self) -> list[Secret]:
        if not self.filename:
            return []
        stem = self.filename.rsplit(".", 1)[0]
        return [Secret(stem, f"original attachment name of {self.words()}", self.key)]

    def code_secret(self) -> Secret:
        return CodeSecret(
            self.code, f"tracking code of the {self.mode} complaint ({PATHS[self.path]})", self.key
        )


@dataclass(frozen=True)
class CodeSecret(Secret):
    """A tracking code, as ``ABCD-EFGH-JKMN`` or ``ABCDEFGHJKMN``."""

    def forms(self) -> set[str]:
        return {self.value.lower(), self.value.replace("-", "").lower()}


@dataclass
class World:
    filings: list[Filing]
    users: dict
    keys: dict
    own: Filing  # the walker's own complaint: filed by the public client, whose code it holds
    public_client: Client
    storage_dir: str

    def by_key(self, key: str) -> Filing:
        return next(f for f in self.filings if f.key == key)

    def of(self, *modes: str) -> list[Filing]:
        return [f for f in self.filings if f.mode in modes]

    def identities(self, *modes: str) -> list[Secret]:
        return [s for f in self.of(*modes) for s in f.identity()]

    def whereabouts(self, *modes: str) -> list[Secret]:
        return [s for f in self.of(*modes) for s in f.whereabouts()]

    def files(self, *modes: str) -> list[Secret]:
        return [s for f in self.of(*modes) for s in f.file_secret()]

    def codes(self, *modes: str) -> list[CodeSecret]:
        return [f.code_secret() for f in self.of(*(modes or (NAMED, CONFIDENTIAL, ANONYMOUS)))]

    def markers(self) -> list[Secret]:
        return [Secret(v, MARKER_WORDS[k]) for k, v in MARKERS.items()]

    def staff_forbidden(self) -> list[Secret]:
        """What no one but the unit's complaint officer (on request) may see: a confidential
        identity; and what nobody may ever see: an anonymous one, its attachments' names
        included."""
        return self.identities(CONFIDENTIAL, ANONYMOUS) + self.files(ANONYMOUS)


# --- building the world (once per module: filing through HTTP is the slow part) ----------------


def _ok(response, words: str, *statuses: int) -> None:
    statuses = statuses or (200, 201, 302, 303)
    assert response.status_code in statuses, (
        f"setting up the walk: {words} answered {response.status_code}: {response.content[:600]!r}"
    )


def _latest_case() -> Case:
    return Case.objects.filter(kind=CaseKind.COMPLAINT).latest("pk")


def _upload(filing: Filing) -> SimpleUploadedFile:
    content = PNG if filing.filename.endswith(".png") else PDF
    kind = "image/png" if filing.filename.endswith(".png") else "application/pdf"
    return SimpleUploadedFile(filing.filename, content, content_type=kind)


def _file(filing: Filing, *, public: Client, officer: Client, officer_key: str, units) -> Case:
    cache.clear()
    description = f"Pengaduan uji jalur {filing.path} ({filing.mode}): loket kosong pagi hari."
    if filing.path == "web":
        data = {
            "unit": units[UNIT].pk,
            "service": "",
            "subject": "Loket kosong",
            "description": description,
            "location": "Kantor Gubernur",
            "identity": {NAMED: "normal"}.get(filing.mode, filing.mode),
            "name": filing.name,
            "email": filing.email,
            "phone": filing.phone,
            "consent": "on",
            "website": "",
            "attachments": [_upload(filing)],
        }
        _ok(public.post(reverse("complaints_public:form"), data), f"filing {filing.key}")
    elif filing.path == "api":
        body = {
            "unit": UNIT,
            "description": description,
            "name": filing.name,
            "email": filing.email,
            "phone": filing.phone,
            "anonymous": filing.mode == ANONYMOUS,
            "confidential": filing.mode == CONFIDENTIAL,
        }
        response = Client().post("/api/v1/complaints", body, content_type="application/json")
        _ok(response, f"filing {filing.key}", 201)
    elif filing.path == "open311":
        data = {
            "api_key": officer_key,
            "jurisdiction_id": UNIT,
            "service_code": SERVICE,
            "address_string": filing.address,
            "media_url": filing.media_url,
            "first_name": filing.given,
            "last_name": filing.family,
            "email": filing.email,
            "phone": filing.phone,
            "device_id": filing.device_id,
            "account_id": filing.account_id,
            "description": description,
            "attribute[subject]": "Loket kosong",
        }
        if filing.mode != NAMED:
            data[f"attribute[{filing.mode}]"] = "true"
        _ok(Client().post("/open311/v2/requests.json", data), f"filing {filing.key}", 200, 201)
    else:
        data = {
            "channel": "face_to_face",
            "lapor_number": "",
            "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "unit": units[UNIT].pk,
            "standard": "",
            "subject": "Loket kosong",
            "description": description,
            "location": "",
            "name": filing.name,
            "email": filing.email,
            "phone": filing.phone,
            "files": [_upload(filing)],
        }
        if filing.mode != NAMED:
            data[filing.mode] = "on"
        _ok(officer.post(reverse("cases:complaint_record"), data), f"filing {filing.key}")
    case = _latest_case()
    assert case.is_anonymous == (filing.mode == ANONYMOUS), filing.key
    assert case.is_confidential == (filing.mode == CONFIDENTIAL), filing.key
    return case


def _page_action(officer: Client, filing: Filing, action: str, **fields) -> None:
    cache.clear()
    url = reverse("cases:detail", args=[filing.case.number])
    data = {"action": action, **{f"{action}-{k}": v for k, v in fields.items()}}
    _ok(officer.post(url, data), f"{action} of {filing.key} on the staff page", 302)


def _api_action(filing: Filing, action: str, key: str, body: dict | None = None) -> None:
    cache.clear()
    response = Client().post(
        f"/api/v1/complaints/{filing.case.pk}/{action}",
        json.dumps(body or {}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    _ok(response, f"{action} of {filing.key} through the API", 200)


def _move_through_the_workflow(world: World, officer: Client, units) -> None:
    """Verify with a marked note, assign with a marked instruction, note, draft, answer, close —
    on the staff page and through the API, for a few complaints of every kind."""
    key = world.keys["kesra_officer"]
    division = units[DIVISION].pk
    own = world.by_key("web-named")
    _page_action(officer, own, "verify", note=MARKERS["verify_page"])

    full = world.by_key("web-confidential")
    _page_action(officer, full, "verify", note=MARKERS["verify_page"])
    _page_action(officer, full, "assign", division=division, assignee="", note=MARKERS["assign"])
    _page_action(officer, full, "note", note=MARKERS["note"])
    _page_action(officer, full, "draft", answer=MARKERS["draft"])
    _page_action(officer, full, "answer", answer=PUBLIC_ANSWER, confirmed="1")
    _page_action(officer, full, "close", note="")

    anonymous = world.by_key("staff-anonymous")
    _page_action(officer, anonymous, "verify", note=MARKERS["verify_page"])
    _page_action(officer, anonymous, "note", note=MARKERS["note"])
    _page_action(officer, anonymous, "answer", answer=PUBLIC_ANSWER, confirmed="1")

    for filing in (world.by_key("api-named"), world.by_key("api-anonymous")):
        _api_action(filing, "verify", key, {"note": MARKERS["verify_api"]})
    named = world.by_key("api-named")
    _api_action(named, "answer", key, {"answer": PUBLIC_ANSWER})
    _api_action(named, "close", key)

    secret = world.by_key("open311-confidential")
    _page_action(officer, secret, "verify", note=MARKERS["verify_page"])
    _page_action(officer, secret, "assign", division=division, assignee="", note=MARKERS["assign"])


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Users, keys and twelve complaints, built once and rolled back after the module."""
    from layanan.api.services import api_token_create
    from layanan.catalog.imports import import_documents
    from layanan.core.management.commands.load_demo import Command as LoadDemo
    from layanan.core.organisation import ensure_organisation

    storage = Attachment._meta.get_field("file").storage
    storage_dir = str(tmp_path_factory.mktemp("privacy-walk-attachments"))
    saved = storage._location
    quick = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        OTP_REQUIRED_FOR_ROLES=(),
        SESSION_IDLE_TIMEOUT=0,
    )
    # Module-scoped, so built before the per-test fixtures: it enters the suite's clock and
    # disables unit scopes itself, as the autouse fixtures do for each test.
    clock = time_machine.travel(suite_now(), tick=True)
    with clock, scopes_disabled(), django_db_blocker.unblock(), quick, transaction.atomic():
        _point_storage(storage, storage_dir)
        # The seed catalogue, as ``load_demo --no-users`` loads it (without the holidays).
        units = ensure_organisation()
        import_documents([str(settings.SEEDS_DIR)], actor=SYSTEM)
        LoadDemo()._publish_first_versions()
        users = {}
        for index, (name, (unit_slug, role)) in enumerate(PERSONAS.items()):
            user = UserFactory(username=name.replace("_", "."), full_name=f"Petugas Uji {index}")
            MembershipFactory(user=user, unit=units[unit_slug], role=role)
            users[name] = user
        users["superuser"] = UserFactory(
            username="root", full_name="Akar Sistem", is_staff=True, is_superuser=True
        )
        keys = {
            name: api_token_create(user=users[name], name="privacy walk")[1]
            for name in ("kesra_officer", "admin", "superuser")
        }
        public = Client()
        officer = Client()
        officer.force_login(
            users["kesra_officer"], backend="django.contrib.auth.backends.ModelBackend"
        )
        filings = [Filing(*row, index=i + 1) for i, row in enumerate(FILINGS)]
        world = World(filings, users, keys, filings[0], public, storage_dir)
        for filing in filings:
            # The walker's own complaint is the only one its client sends (its receipt cookie
            # names it); every other reporter uses a browser of their own.
            filing.case = _file(
                filing,
                public=public if filing is world.own else Client(),
                officer=officer,
                officer_key=keys["kesra_officer"],
                units=units,
            )
            filing.attachments = list(filing.case.attachments.values_list("pk", flat=True))
        _move_through_the_workflow(world, officer, units)
        cache.clear()
        try:
            yield world
        finally:
            transaction.set_rollback(True)
            storage._location = saved
            for cached in ("base_location", "location"):
                storage.__dict__.pop(cached, None)


def _point_storage(storage, location: str) -> None:
    storage._location = location
    for cached in ("base_location", "location"):
        storage.__dict__.pop(cached, None)


@pytest.fixture
def walk(world, _private_attachment_storage, monkeypatch):
    """The world, with its attachment files reachable and WeasyPrint replaced by a stand-in
    whose "PDF" is the HTML it was given (so a PDF is scanned as what it prints)."""
    _point_storage(_private_attachment_storage, world.storage_dir)
    # The code imports ``from weasyprint import HTML`` where it prints: a stand-in module (the
    # real one takes seconds to import).
    monkeypatch.setitem(sys.modules, "weasyprint", SimpleNamespace(HTML=_PrintedHtml))
    cache.clear()
    return world


class _PrintedHtml:
    pages = [None]

    def __init__(self, *args, string: str = "", **kwargs):
        self.string = string

    def render(self, *args, **kwargs):
        return self

    def write_pdf(self, *args, **kwargs):
        return b"%PDF-1.4\n" + self.string.encode()


def _client(user=None) -> Client:
    client = Client(**EN)
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


# --- URL values --------------------------------------------------------------------------------


def url_values(world: World) -> dict[str, list[str]]:
    """What each URL parameter is filled with: real slugs and the walker's own code and case."""
    from layanan.catalog.models import ServiceStandard

    standard = ServiceStandard.objects.get(unit__slug=UNIT, slug=SERVICE)
    own = world.own
    return {
        "unit_slug": [UNIT],
        "slug": [SERVICE],
        "number": [str(standard.published_version.number)],
        "code": [own.code],
        "fmt": ["json", "xml"],
        "service_code": [SERVICE],
        "service_request_id": [own.code, own.case.number.replace("/", "-")],
        "token_id": [own.code],
        "ref": [own.case.number],
        "pk": [str(own.attachments[0])],
        "action": ["call"],
        "year": [str(timezone.localdate().year)],
        "month": [timezone.localdate().strftime("%Y-%m")],
        "token": ["x" * 20],
        "uidb64": ["MQ"],
    }


def site_urls(values: dict[str, list[str]], *, skip=("admin",)) -> tuple[list[str], list[str]]:
    """Every URL of the URL conf (includes walked recursively; ninja's operations are left to
    the OpenAPI walk, the admin to its registry), with each parameter filled from ``values``.
    Returns (urls, patterns whose parameters have no value)."""
    urls, unfilled = [], []

    def params(pattern) -> set[str]:
        return set(getattr(pattern.pattern, "converters", {})) | set(
            pattern.pattern.regex.groupindex
        )

    def walk(resolver, namespace, outer):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                ns = namespace
                if pattern.namespace:
                    ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                if ns in skip:
                    continue
                walk(pattern, ns, outer | params(pattern))
            elif isinstance(pattern, URLPattern):
                if getattr(pattern.callback, "__module__", "") == "ninja.operation":
                    continue
                if not pattern.name:
                    continue  # catch-all "not found" routes
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                wanted = sorted(outer | params(pattern))
                missing = [p for p in wanted if p not in values]
                if missing:
                    unfilled.append(f"{name} needs {missing}")
                    continue
                combos = [{}]
                for p in wanted:
                    combos = [c | {p: v} for c in combos for v in values[p]]
                for kwargs in combos:
                    try:
                        urls.append(reverse(name, kwargs=kwargs))
                    except Exception:  # a value that does not fit this route (e.g. a regex)
                        continue

    walk(get_resolver(), None, set())
    return list(dict.fromkeys(urls)), unfilled


def api_values(world: World) -> dict[str, str]:
    own = world.own
    return {
        "unit_slug": UNIT,
        "slug": SERVICE,
        "public_code": own.code,
        "complaint_id": str(own.case.pk),
        "case_id": str(own.case.pk),
        "visit_id": "1",
    }


def openapi_get_paths(world: World, client: Client) -> tuple[list[str], list[str]]:
    """Every GET operation of /api/v1/openapi.json with its path parameters filled."""
    cache.clear()
    schema = json.loads(client.get("/api/v1/openapi.json").content)
    values = api_values(world)
    urls, unfilled = [], []
    for template, operations in schema["paths"].items():
        if "get" not in operations:
            continue
        wanted = re.findall(r"{(\w+)}", template)
        missing = [p for p in wanted if p not in values]
        if missing:
            unfilled.append(f"GET {template} needs {missing}")
            continue
        urls.append(template.format(**values))
    return urls, unfilled


def _public(path: str) -> bool:
    return not path.startswith(NOT_PUBLIC)


def _code_in_url(visit: Visit, secret: Secret) -> bool:
    """A tracking code may be shown by the answer addressed by that very code."""
    url = visit.url.lower()
    return isinstance(secret, CodeSecret) and any(form in url for form in secret.forms())


# --- the public ---------------------------------------------------------------------------------


def test_public_pages_show_no_identity_no_internal_note_and_no_code_but_the_callers_own(walk):
    """Walking the public site without logging in — the home page and everything linked from
    it, every URL of the URL conf (filled with real slugs and the walker's own code), the
    walker's receipt and tracking page — shows no reporter's identity (named, confidential or
    anonymous: the tracking page never shows the reporter), no internal-note marker, and no
    tracking code except the walker's own on the pages addressed by it. Then every reporter
    opens their own tracking page: only their code, no identity, no internal note."""
    world = walk
    values = url_values(world)
    urls, unfilled = site_urls(values)
    assert not unfilled, "URL parameters without a value — add them to url_values():\n  " + (
        "\n  ".join(unfilled)
    )
    own = world.own
    walker = Walker(world.public_client, headers=EN, limit=600)
    seeds = ["/", *[u for u in urls if _public(u)], f"/lacak/{own.code}/"]
    walker.crawl(seeds, follow=_public)
    walked = {v.url.split("?")[0] for v in walker.visits}
    assert f"/lacak/{own.code}/" in walked
    assert any(v.url.startswith("/layanan/") and v.status == 200 for v in walker.visits)

    leaks = Leaks()
    everything = world.identities(NAMED, CONFIDENTIAL, ANONYMOUS) + world.files(
        NAMED, CONFIDENTIAL, ANONYMOUS
    )
    leaks.check(walker.visits, everything, words="shows")
    leaks.check(walker.visits, world.markers(), words="shows")
    leaks.check(walker.visits, world.codes(), allowed=_code_in_url, words="shows")

    # Each reporter with their own code (a fresh browser: no receipt cookie).
    for filing in world.filings:
        holder = Walker(_client(), limit=50)
        holder.crawl(
            [f"/lacak/{filing.code}/", f"/lacak/{filing.case.public_code.lower()}/"],
            follow=lambda path, code=filing.code: code in path or path.startswith("/survei/"),
            max_depth=1,
        )
        assert holder.visits[0].status == 200, holder.visits[0].url
        leaks.check(holder.visits, everything + world.markers(), words="shows")
        leaks.check(holder.visits, world.codes(), allowed=_code_in_url, words="shows")
    leaks.assert_none(f"Public pages ({len(walker.visits)} answers walked)")


def test_public_api_shows_no_identity_no_internal_note_and_no_code_but_the_callers_own(walk):
    """Every GET operation of the API's OpenAPI schema, called without a token (path
    parameters filled with real slugs, ids and the walker's own code), and the URLs inside the
    answers (pages, details): no identity, no internal note, no tracking code but the caller's
    own on ``/api/v1/track/{its code}``. Then each reporter reads ``/api/v1/track/{code}``."""
    world = walk
    client = _client()
    urls, unfilled = openapi_get_paths(world, client)
    assert not unfilled, "API path parameters without a value — add them to api_values():\n  " + (
        "\n  ".join(unfilled)
    )
    walker = Walker(client, limit=300)
    walker.crawl(["/api/v1/", *urls], follow=lambda path: path.startswith("/api/v1/"))
    assert any(v.url.startswith("/api/v1/track/") and v.status == 200 for v in walker.visits)

    leaks = Leaks()
    secrets = world.identities(NAMED, CONFIDENTIAL, ANONYMOUS) + world.files(
        NAMED, CONFIDENTIAL, ANONYMOUS
    )
    leaks.check(walker.visits, secrets + world.markers(), words="shows")
    leaks.check(walker.visits, world.codes(), allowed=_code_in_url, words="shows")
    for filing in world.filings:
        holder = Walker(_client())
        visit = holder.get(f"/api/v1/track/{filing.code}")
        assert visit.status == 200, visit.url
        leaks.check(holder.visits, secrets + world.markers(), words="shows")
        leaks.check(holder.visits, world.codes(), allowed=_code_in_url, words="shows")
    leaks.assert_none(f"Public API ({len(walker.visits)} answers walked)")


def _open311_ids(visit: Visit) -> list[str]:
    """The service_request_id values of an Open311 answer (JSON or XML)."""
    body = visit.response.content.decode()
    if visit.url.split("?")[0].endswith(".json"):
        try:
            data = json.loads(body)
        except ValueError:
            return []
        return [
            str(r["service_request_id"])
            for r in data
            if isinstance(r, dict) and r.get("service_request_id")
        ]
    return re.findall(r"<service_request_id>([^<]+)</service_request_id>", body)


def test_open311_shows_no_identity_no_tracking_code_and_no_internal_note(walk):
    """Open311 GeoReport v2 without a key — discovery, services, every service definition, the
    request listing of every jurisdiction (and filtered by status and service), every request
    the listing names, tokens — in JSON and XML: the listing's ``service_request_id`` is never
    a tracking code (anyone may read it), no identity, no internal note; confidential and
    anonymous complaints do not expose their reporters."""
    world = walk
    from layanan.catalog.models import ServiceStandard

    units = sorted(
        set(
            ServiceStandard.objects.published()
            .filter(accepts_complaints=True)
            .values_list("unit__slug", flat=True)
        )
    )
    walker = Walker(_client(), limit=400)
    base = "/open311/v2"
    for fmt in ("json", "xml"):
        walker.get(f"{base}/discovery.{fmt}")
        for unit in units:
            query = {"jurisdiction_id": unit}
            walker.get(f"{base}/services.{fmt}?{urlencode(query)}")
            for slug in ServiceStandard.objects.filter(
                unit__slug=unit, accepts_complaints=True
            ).values_list("slug", flat=True):
                walker.get(f"{base}/services/{slug}.{fmt}?{urlencode(query)}")
                walker.get(f"{base}/requests.{fmt}?{urlencode(query | {'service_code': slug})}")
            for extra in ({}, {"status": "open"}, {"status": "closed"}):
                walker.get(f"{base}/requests.{fmt}?{urlencode(query | extra)}")
        walker.get(f"{base}/requests.{fmt}")
    listings = [v for v in walker.visits if "/requests." in v.url]
    ids = {i for v in listings for i in _open311_ids(v)}
    assert ids, "the Open311 listing of biro-kesra named no request at all"
    for request_id in sorted(ids):
        for fmt in ("json", "xml"):
            walker.get(f"{base}/requests/{quote(request_id, safe='')}.{fmt}")
            walker.get(f"{base}/requests/{quote(request_id, safe='')}.{fmt}?jurisdiction_id={UNIT}")
            walker.get(f"{base}/tokens/{quote(request_id, safe='')}.{fmt}")

    leaks = Leaks()
    secrets = world.identities(NAMED, CONFIDENTIAL, ANONYMOUS) + world.files(
        NAMED, CONFIDENTIAL, ANONYMOUS
    )
    leaks.check(walker.visits, secrets + world.markers(), words="shows")
    # Nobody holds a code here: none may appear, not even on the page of a request (its id is
    # public, so it must not be the secret).
    leaks.check(walker.visits, world.codes(), words="shows")
    # Where a confidential or anonymous Open311 reporter was (address, photo) is theirs too.
    leaks.check(walker.visits, world.whereabouts(CONFIDENTIAL, ANONYMOUS), words="shows")
    leaks.assert_none(f"Open311 ({len(walker.visits)} answers walked)")


def test_an_anonymous_identity_is_stored_nowhere(walk):
    """Anonymous means nothing is kept: no row of any table (every text, file and JSON column of
    every model) holds an anonymous reporter's name, e-mail, telephone, Open311 device/account
    id or original attachment file name — whatever path it came through."""
    world = walk
    secrets = world.identities(ANONYMOUS) + world.files(ANONYMOUS)
    leaks = Leaks()
    text_fields = (models.CharField, models.TextField, models.JSONField, models.FileField)
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        columns = [f.attname for f in model._meta.concrete_fields if isinstance(f, text_fields)]
        if not columns:
            continue
        for row in model._default_manager.values_list("pk", *columns):
            text = json.dumps([str(v) for v in row[1:]], ensure_ascii=False).lower()
            for secret in secrets:
                if secret.found_in(text):
                    leaks.add(
                        f"database {model._meta.label} pk={row[0]}",
                        0,
                        f"stores {secret.what} ({secret.value!r})",
                    )
    leaks.assert_none("Stored data")


# --- the superuser and the admin role -----------------------------------------------------------


def _admin_walk(client: Client) -> Walker:
    """The admin index, the changelist of every registered model and the change page of its
    first objects (every outbox message)."""
    from layanan.notify.models import OutboxMessage

    walker = Walker(client, limit=2000)
    walker.get(reverse("admin:index"))
    for model in admin.site._registry:
        meta = model._meta
        prefix = f"admin:{meta.app_label}_{meta.model_name}"
        walker.get(reverse(f"{prefix}_changelist"))
        objects = model._default_manager.order_by("-pk").values_list("pk", flat=True)
        if model is not OutboxMessage:
            objects = objects[:ADMIN_OBJECTS_PER_MODEL]
        for pk in objects:
            walker.get(reverse(f"{prefix}_change", args=[pk]))
    return walker


def test_admin_shows_no_confidential_or_anonymous_identity_to_a_superuser(walk):
    """The Django admin — index, the changelist and change pages of every registered model, the
    outbox of notifications (addresses and bodies) — walked by a real superuser and by the
    ``admin`` role: no confidential or anonymous identity, and no tracking code of a
    confidential or anonymous complaint (a masked message shows neither)."""
    world = walk
    from layanan.notify.models import OutboxMessage

    assert OutboxMessage.objects.filter(
        case_id__in=[f.case.pk for f in world.of(CONFIDENTIAL)]
    ).exists(), "no message was queued to a confidential reporter: the outbox walk proves nothing"
    leaks = Leaks()
    walked = 0
    for persona in ("superuser", "admin"):
        walker = _admin_walk(_client(world.users[persona]))
        walked += len(walker.visits)
        if persona == "superuser":
            changelists = [
                v for v in walker.visits if v.url.endswith("/") and "/change/" not in v.url
            ]
            assert all(v.status == 200 for v in changelists), [
                (v.url, v.status) for v in changelists if v.status != 200
            ]
        for visit in walker.visits:
            visit.url = f"{visit.url} (as {persona})"
        leaks.check(walker.visits, world.staff_forbidden(), words="shows")
        leaks.check(walker.visits, world.codes(CONFIDENTIAL, ANONYMOUS), words="shows")
    leaks.assert_none(f"Admin ({walked} answers walked)")


def _case_url(filing: Filing) -> str:
    return reverse("cases:detail", args=[filing.case.number])


def _own_case_page(visit: Visit, secret: Secret) -> bool:
    """On staff pages a tracking code is shown only on its own case's page."""
    if not isinstance(secret, CodeSecret):
        return False
    case = Case.objects.get(public_code=secret.value.replace("-", ""))
    url = visit.url.split(" ")[-1] if visit.url.startswith("POST ") else visit.url
    return url.split("?")[0] in (
        reverse("cases:detail", args=[case.number]),
        reverse("cases:detail", args=[case.pk]),
    )


def _staff_walk(world: World, user) -> Walker:
    """The staff area as ``user``: the inbox and everything linked under /staf/, every
    complaint's case page and attachments, the reveal action on every confidential case, and
    the inbox searched for every confidential and anonymous identity."""
    walker = Walker(_client(user), limit=600)
    seeds = [reverse("cases:inbox")]
    for filing in world.filings:
        seeds.append(_case_url(filing))
        seeds += [reverse("cases:attachment_download", args=[pk]) for pk in filing.attachments]
    walker.crawl(seeds, follow=lambda path: path.startswith("/staf/"))
    for filing in world.of(CONFIDENTIAL):
        walker.post(_case_url(filing), {"action": REVEAL_ACTION})
    return walker


def _search_hits(world: World, search) -> Leaks:
    """Searching for a hidden identity must not find its complaint (a hit tells who filed it)."""
    leaks = Leaks()
    for filing in world.of(CONFIDENTIAL, ANONYMOUS):
        for secret in filing.identity():
            visit = search(secret.value)
            number = filing.case.number.lower()
            if visit is not None and (number in visit.text or quote(number, safe="") in visit.text):
                leaks.add(
                    visit.url,
                    visit.status,
                    f"finds the {filing.mode} complaint "
                    f"{filing.case.number} when searched for {secret.what}",
                )
    return leaks


@pytest.mark.parametrize("persona", ["superuser", "admin"])
def test_staff_pages_show_no_confidential_or_anonymous_identity_to_a_superuser(walk, persona):
    """The staff area (/staf/: inbox, every case page and attachment download, everything they
    link to) as a real superuser and as the ``admin`` role, including the "show identity"
    action: no confidential or anonymous identity (the reveal is the unit's complaint
    officer's alone), no anonymous attachment's original name; a tracking code only on its own
    case's page; and the inbox search does not find a complaint by its hidden reporter."""
    world = walk
    walker = _staff_walk(world, world.users[persona])
    pages = [v for v in walker.visits if v.status == 200]
    assert len(pages) > len(world.filings), [(v.url, v.status) for v in walker.visits]
    leaks = Leaks()
    leaks.check(walker.visits, world.staff_forbidden(), words="shows")
    leaks.check(walker.visits, world.codes(), allowed=_own_case_page, words="shows")
    search = _search_hits(
        world,
        lambda text: walker.get(
            f"{reverse('cases:inbox')}?{urlencode({'q': text, 'status': STATUS_ALL})}"
        ),
    )
    leaks.lines += search.lines
    leaks.assert_none(f"Staff pages as {persona} ({len(walker.visits)} answers walked)")


@pytest.mark.parametrize("persona", ["superuser", "admin"])
def test_staff_api_shows_no_confidential_or_anonymous_identity_to_a_superuser(walk, persona):
    """``GET /api/v1/complaints`` (every page, every URL it links) and ``GET
    /api/v1/complaints/{id}`` of every complaint, with the token of a real superuser and of the
    ``admin`` role: no confidential or anonymous identity, and the search does not find a
    complaint by its hidden reporter."""
    world = walk
    walker = Walker(_client(), headers={"HTTP_AUTHORIZATION": f"Bearer {world.keys[persona]}"})
    seeds = ["/api/v1/complaints"]
    seeds += [f"/api/v1/complaints/{f.case.pk}" for f in world.filings]
    walker.crawl(seeds, follow=lambda path: path.startswith("/api/v1/complaints"))
    assert sum(v.status == 200 for v in walker.visits) > len(world.filings), [
        (v.url, v.status) for v in walker.visits
    ]
    leaks = Leaks()
    leaks.check(walker.visits, world.staff_forbidden(), words="shows")
    search = _search_hits(
        world, lambda text: walker.get(f"/api/v1/complaints?{urlencode({'q': text})}")
    )
    leaks.lines += search.lines
    leaks.assert_none(f"Staff API as {persona} ({len(walker.visits)} answers walked)")


# --- the unit's complaint officer ---------------------------------------------------------------


def _api_reveal_path(client: Client) -> tuple[str, str] | None:
    """(method, path template) of an explicit reveal operation in the OpenAPI schema, if any."""
    schema = json.loads(client.get("/api/v1/openapi.json").content)
    for template, operations in schema["paths"].items():
        if not template.startswith("/api/v1/complaints/{complaint_id}/"):
            continue
        last = template.rstrip("/").rsplit("/", 1)[-1]
        if any(word in last for word in API_REVEAL_WORDS):
            method = "post" if "post" in operations else "get"
            return method, template
    return None


def test_the_complaint_officer_sees_a_confidential_reporter_only_by_asking_and_it_is_recorded(
    walk,
):
    """The checks above are not vacuous: the unit's complaint officer does not see a
    confidential reporter by default (inbox, case page), sees name, e-mail and telephone after
    the explicit reveal on the case page and through the API, and each reveal is an internal
    ``identity_viewed`` event in the officer's name. Another unit's officer and the unit's
    handler get nothing."""
    world = walk
    officer = world.users["kesra_officer"]
    confidential = world.of(CONFIDENTIAL)
    leaks = Leaks()

    walker = Walker(_client(officer))
    walker.get(reverse("cases:inbox"))
    for filing in confidential:
        walker.get(_case_url(filing))
    leaks.check(walker.visits, world.staff_forbidden(), words="shows without being asked")
    leaks.assert_none("The complaint officer's pages before the reveal")

    def viewed(filing) -> int:
        return CaseEvent.objects.filter(
            case=filing.case, kind="identity_viewed", actor=officer, is_internal=True
        ).count()

    for filing in confidential:
        before = viewed(filing)
        visit = walker.post(_case_url(filing), {"action": REVEAL_ACTION})
        assert visit.status == 200, (visit.url, visit.status)
        # The very check that finds leaks elsewhere finds the identity here.
        contacts = [s for s in filing.identity() if "Open311" not in s.what]
        shown = [s for s in contacts if s.found_in(visit.text)]
        assert shown == contacts, f"{visit.url}: the reveal shows only {[s.what for s in shown]}"
        assert viewed(filing) == before + 1, f"{visit.url}: the reveal was not recorded"

    api = Walker(_client(), headers={"HTTP_AUTHORIZATION": f"Bearer {world.keys['kesra_officer']}"})
    reveal = _api_reveal_path(api.client)
    for filing in confidential:
        before = viewed(filing)
        if reveal is None:
            visit = api.get(f"/api/v1/complaints/{filing.case.pk}")
        elif reveal[0] == "post":
            cache.clear()
            visit = api.post(reveal[1].format(complaint_id=filing.case.pk), {})
        else:
            visit = api.get(reveal[1].format(complaint_id=filing.case.pk))
        assert visit.status == 200, (visit.url, visit.status, visit.text[:300])
        assert Secret(filing.email, "e-mail").found_in(visit.text), (
            f"{visit.url}: the API does not reveal the e-mail"
        )
        assert viewed(filing) == before + 1, f"{visit.url}: the API reveal was not recorded"

    for persona, statuses in (("ekon_officer", (404,)), ("kesra_handler", (403, 404, 200))):
        other = Walker(_client(world.users[persona]))
        for filing in confidential:
            before = CaseEvent.objects.filter(case=filing.case, kind="identity_viewed").count()
            visit = other.post(_case_url(filing), {"action": REVEAL_ACTION})
            assert visit.status in statuses, (persona, visit.url, visit.status)
            after = CaseEvent.objects.filter(case=filing.case, kind="identity_viewed").count()
            assert after == before, f"{persona}: a refused reveal was recorded as a viewing"
        leaks.check(other.visits, world.staff_forbidden(), words=f"shows {persona}")
    leaks.assert_none("Other staff asking for the identity")


def test_the_walk_covers_every_filing_path_and_mode(walk):
    """The world is what the walk claims: every path filed named, confidential and anonymous;
    anonymous complaints kept no identity in the case row; complaints moved through the
    workflow carry the internal markers in their (internal) timeline."""
    world = walk
    assert {(f.path, f.mode) for f in world.filings} == {
        (p, m) for p in PATHS for m in (NAMED, CONFIDENTIAL, ANONYMOUS)
    }
    for filing in world.of(ANONYMOUS):
        case = Case.objects.get(pk=filing.case.pk)
        assert not (case.requester_name or case.requester_email or case.requester_phone)
    notes = " ".join(CaseEvent.objects.values_list("note", flat=True))
    for key in ("verify_page", "verify_api", "assign", "note", "draft"):
        assert MARKERS[key] in notes, key
