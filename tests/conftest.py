"""Shared fixtures: the organisation, personas, a local SMTP server, a browser.

Personas (all in the real unit tree, loaded from data/organisations/kalbar.toml):
- ``admin``: admin role at the province (catalogue, users, calendar)
- ``kesra_front``: information officer of Biro Kesra
- ``kesra_officer``: complaint officer of Biro Kesra
- ``kesra_handler``: handler in Bagian Bina Mental Spiritual (below Biro Kesra)
- ``kesra_head``: head of Biro Kesra
- ``ekon_officer``: complaint officer of Biro Perekonomian — the officer of *another* unit
- ``auditor``: APIP auditor, read-only across all units
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message

import pytest

from layanan.accounts.models import Role
from layanan.core.organisation import ensure_organisation

from .factories import DEFAULT_PASSWORD, MembershipFactory, UserFactory

PERSONAS = {
    "admin": ("pemprov-kalbar", Role.ADMIN),
    "kesra_front": ("biro-kesra", Role.FRONT_DESK),
    "kesra_officer": ("biro-kesra", Role.COMPLAINT_OFFICER),
    "kesra_handler": ("kesra-bina-mental", Role.HANDLER),
    "kesra_head": ("biro-kesra", Role.HEAD),
    "ekon_officer": ("biro-perekonomian", Role.COMPLAINT_OFFICER),
    "auditor": ("pemprov-kalbar", Role.AUDITOR),
}


# --- the clock --------------------------------------------------------------------------------

#: Where every test starts, unless ``LAYANAN_TEST_NOW`` says otherwise: a Wednesday in office
#: hours (Kalbar time). CI runs the suite a second time on a weekend night
#: (``.ci/run``), so a test that silently assumes the office is open (or closed) fails there.
DEFAULT_TEST_NOW = "2026-12-09T10:00:00+07:00"


def suite_now() -> dt.datetime:
    """The instant tests start at: ``LAYANAN_TEST_NOW`` (ISO 8601 with offset) or the default."""
    raw = os.environ.get("LAYANAN_TEST_NOW", "").strip() or DEFAULT_TEST_NOW
    moment = dt.datetime.fromisoformat(raw)
    if moment.tzinfo is None:
        raise pytest.UsageError(f"LAYANAN_TEST_NOW needs an offset, e.g. +07:00: {raw!r}")
    return moment


def pytest_report_header(config):
    return f"clock: every test starts at {suite_now().isoformat()} (LAYANAN_TEST_NOW)"


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """On SQLite the guarantees that only PostgreSQL can show (row locks under real concurrency,
    exclusion constraints, advisory locks) are skipped: say so at the end of the run, with how
    to run them, instead of letting a green SQLite run pass for the whole proof."""
    skipped = terminalreporter.stats.get("skipped", [])
    postgres_only = [r for r in skipped if "postgresql" in str(r.longrepr).lower()]
    if not postgres_only:
        return
    terminalreporter.section("PostgreSQL-only guarantees not run")
    terminalreporter.write_line(
        f"{len(postgres_only)} tests of guarantees only PostgreSQL can show were skipped: this "
        "run used SQLite. Run them too with"
    )
    terminalreporter.write_line(
        "  DATABASE_URL=postgres://postgres@127.0.0.1:5432/layanan make test"
    )
    terminalreporter.write_line("(CI, .ci/run, runs the suite on both databases.)")


@pytest.fixture(autouse=True)
def clock():
    """Every test runs on a controlled clock, so none depends on when the suite runs.

    Each test starts at :func:`suite_now` and time then flows (``tick=True``: timeouts and
    ordering by time still behave). A test that needs another moment travels further with
    ``clock.move_to(...)`` or its own ``time_machine.travel``.
    """
    import time_machine

    with time_machine.travel(suite_now(), tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every test starts with an empty in-process cache. Each test starts at the same instant
    (:func:`clock`), so rate-limit windows and cached values of earlier tests would otherwise
    never expire and a test would pass or fail by what ran before it."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    for alias in caches:
        if isinstance(caches[alias], LocMemCache):  # never flush a real (shared) Redis
            caches[alias].clear()
    yield


@pytest.fixture(autouse=True)
def _site_language():
    """Every test starts in the site's language, whatever ran before it: a request through
    the test client leaves the language its LocaleMiddleware chose active in the thread."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Real hashers cost ~0.3 s per user; tests that are not about hashing use a cheap one."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _second_factor_not_required(settings):
    """Tests log heads and admins in with ``force_login``; the second factor (required for
    those roles in production) is switched off here so such a session counts as complete.
    The idle-session timeout is off too. tests/accounts turns both back on where tested."""
    settings.OTP_REQUIRED_FOR_ROLES = ()
    settings.SESSION_IDLE_TIMEOUT = 0


@pytest.fixture(autouse=True)
def _scopes_disabled(request):
    """Tests build and inspect cases of many units directly, so they run with unit scopes
    disabled (as pretix's suite does); requests through the test client still get the scope
    the middleware enters. Tests marked ``scoped`` run with scopes enforced
    (tests/core/test_scoping.py)."""
    from django_scopes import scopes_disabled

    if request.node.get_closest_marker("scoped"):
        yield
        return
    with scopes_disabled():
        yield


@pytest.fixture(autouse=True)
def _poster_storage(tmp_path):
    """Each test keeps rendered posters in its own scratch directory, never in var/media."""
    from django.core.files.storage import storages

    storage = storages["posters"]
    saved = storage._location
    storage._location = str(tmp_path / "posters")
    for cached in ("base_location", "location"):
        storage.__dict__.pop(cached, None)
    yield storage
    storage._location = saved
    for cached in ("base_location", "location"):
        storage.__dict__.pop(cached, None)


@pytest.fixture(autouse=True)
def _private_attachment_storage(tmp_path):
    """Each test stores attachments in its own scratch directory, never in var/media."""
    from layanan.cases.models import Attachment

    storage = Attachment._meta.get_field("file").storage
    saved = storage._location
    storage._location = str(tmp_path / "attachments")
    for cached in ("base_location", "location"):
        storage.__dict__.pop(cached, None)
    yield storage
    storage._location = saved
    for cached in ("base_location", "location"):
        storage.__dict__.pop(cached, None)


@pytest.fixture
def org(db):
    """The real unit tree (Pemprov > Setda > Biro > Bagian) from the shipped organisation file
    data/organisations/kalbar.toml, by slug."""
    return ensure_organisation()


@pytest.fixture
def personas(org):
    users = {}
    for name, (unit_slug, role) in PERSONAS.items():
        user = UserFactory(username=name.replace("_", "."))
        MembershipFactory(user=user, unit=org[unit_slug], role=role)
        users[name] = user
    return users


@pytest.fixture
def password():
    return DEFAULT_PASSWORD


def _persona_fixture(name):
    @pytest.fixture(name=name)
    def _fixture(personas):
        return personas[name]

    return _fixture


for _name in PERSONAS:
    globals()[_name] = _persona_fixture(_name)


# --- local SMTP server ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class SMTPServer:
    host: str
    port: int
    messages: list[Message] = field(default_factory=list)
    controller: object = None

    def wait_for(self, count: int, timeout: float = 5.0) -> list[Message]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.messages

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server (aiosmtpd) on 127.0.0.1; Django's SMTP backend is pointed at it."""
    from aiosmtpd.controller import Controller

    server = SMTPServer(host="127.0.0.1", port=free_port())
    lock = threading.Lock()

    class Handler:
        async def handle_DATA(self, _server, _session, envelope):
            with lock:
                server.messages.append(message_from_bytes(envelope.original_content))
            return "250 Message accepted for delivery"

    server.controller = Controller(Handler(), hostname=server.host, port=server.port)
    server.controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": server.host, "port": server.port, "timeout": 5},
        }
    }
    yield server
    server.stop()


# --- browser ----------------------------------------------------------------------------------

# --- the live server on SQLite: one request at a time --------------------------------------


def _serve_one_request_at_a_time() -> None:
    """On SQLite the test database lives in memory and the live server's request threads all
    share the test's one connection; two requests at once (a page and the favicon the browser
    asks for beside it) then use it together and one gets another's rows (seen as a 500 with
    ``IndexError`` in ``apply_converters`` under a session read). With a shared connection the
    live server therefore serves one request at a time — Django's server then answers
    ``Connection: close``, so no idle keep-alive holds it. On PostgreSQL (no shared
    connection) it stays threaded."""
    from django.core.servers.basehttp import WSGIServer
    from django.test.testcases import LiveServerThread, QuietWSGIRequestHandler

    threaded = LiveServerThread._create_server

    def create_server(self, connections_override=None):
        if not connections_override:
            return threaded(self, connections_override)
        return WSGIServer(
            (self.host, self.port), QuietWSGIRequestHandler, allow_reuse_address=False
        )

    LiveServerThread._create_server = create_server


_serve_one_request_at_a_time()


CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright (never a downloaded browser build)."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run scripts/ensure-system-deps.sh (make test does)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
    # test itself (fixtures, assertions) are still synchronous and safe.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def phone_page(browser):
    """A page with a phone-sized viewport (360×740, touch, Indonesian locale)."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="id-ID",
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def calendar_ready(db):
    """A working-day calendar with nothing to warn about: a New Year's Day confirmed against the
    decree for last year to next year (the years ``workdays.selectors.calendar_gaps`` looks at
    from the suite's clock), so that no banner or /healthz degradation gets in the way."""
    from layanan.workdays.models import Holiday, HolidaySource

    this_year = suite_now().year
    return Holiday.objects.bulk_create(
        Holiday(
            date=dt.date(year, 1, 1),
            name="Tahun Baru Masehi",
            source=HolidaySource.DECREE,
            decree_number="SKB 3 Menteri",
            decree_date=dt.date(year - 1, 9, 1),
        )
        for year in range(this_year - 1, this_year + 2)
    )
