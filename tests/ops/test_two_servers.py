"""Scale-out: two app servers behind one address share everything that matters.

Two real gunicorn processes (bench/server.py, the benchmark's launcher; 2 sync workers each)
run Layanan with production settings (DEBUG off, HTTPS as the proxy says, the static manifest)
on one PostgreSQL database, one Redis (db 6) and one MEDIA_ROOT. A citizen and a staff member
talk to them as through one nginx address (same Host, ``X-Forwarded-Proto: https``, their own
``X-Forwarded-For``), each request going to the server the test names, as an upstream might
send it. Nothing a request leaves behind may live only in one process: sessions (database),
rate-limit counters and the cache (Redis), uploaded files (MEDIA_ROOT), signatures
(SECRET_KEY). docs/operations.md, "Two or more app servers".
"""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from http.cookies import SimpleCookie
from pathlib import Path

import httpx
import pytest
import redis
from django.core.cache.backends.redis import RedisCache
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from bench.server import Server, ServerError
from layanan.cases.models import Attachment, Case, CaseEvent, Status
from layanan.cases.workflow import case_transition
from layanan.complaints.services import complaint_answer
from tests.factories import published_standard

from .conftest import PDF

REDIS_URL = "redis://127.0.0.1:6379/6"
HOST = "layanan.example.go.id"
ORIGIN = f"https://{HOST}"
CITIZEN_ADDRESS = "203.0.113.7"
OTHER_CITIZEN_ADDRESS = "203.0.113.8"
STAFF_ADDRESS = "198.51.100.20"
LOOKUP_LIMIT = 5  # lookups by tracking code per address; the sixth is refused
SHARED_ORGANISATION_NAME = "Pemprov Uji Dua Server"
GUNICORN_CONFIG = Path(__file__).with_name("gunicorn_suite_clock.py")


pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: the servers must open the test database, and SQLite's test "
    "database lives in the memory of the test process",
)


@pytest.fixture(scope="module")
def static_root(tmp_path_factory) -> Path:
    """A STATIC_ROOT with its manifest: with DEBUG off the web process refuses to start without
    one (layanan/core/checks.py). Django's manifest storage writes the same staticfiles.json as
    the compressed one production uses, without the gzip/brotli copies."""
    root = tmp_path_factory.mktemp("static")
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=root, STORAGES=storages):
        call_command("collectstatic", "--noinput", verbosity=0)
    return root


def _database_url() -> str:
    """The test database (pytest-django's), as a URL for the servers."""
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    host = f"{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}"
    return f"postgres://{s.get('USER') or 'postgres'}{password}@{host}/{s['NAME']}"


@pytest.fixture
def shared_redis():
    """Redis db 6, empty at the start and at the end (never another database); the test is
    skipped when Redis does not answer. Yields Django's cache client on it."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5)
    try:
        client.flushdb()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"needs Redis at {REDIS_URL}")
    cache = RedisCache(REDIS_URL, {})
    yield cache
    cache.close()
    client.flushdb()
    client.close()


@pytest.fixture
def two_servers(shared_redis, transactional_db, static_root, tmp_path):
    """Servers A and B: same database, Redis, MEDIA_ROOT and SECRET_KEY, production settings.
    Both are stopped (and their process groups killed if they linger) however the test ends."""
    media = tmp_path / "media"
    media.mkdir()
    lookup_window = int(timezone.now().timestamp()) + 3600
    env = {
        "DJANGO_SETTINGS_MODULE": "layanan.settings",
        "DEBUG": "false",
        "SECRET_KEY": "two-servers-one-secret-" + "k" * 40,
        "ALLOWED_HOSTS": HOST,
        "SITE_URL": ORIGIN,
        "BEHIND_PROXY": "true",  # X-Forwarded-Proto and the last X-Forwarded-For are believed
        "STATIC_ROOT": str(static_root),
        "MEDIA_ROOT": str(media),
        "REDIS_URL": REDIS_URL,
        # One fixed window that runs from the epoch to an hour from now: the test never
        # straddles two windows, whatever moment the suite's clock says it is.
        "TRACKING_LOOKUP_RATE": f"{LOOKUP_LIMIT}/{lookup_window}",
        "NOTIFY_DISPATCH_ON_COMMIT": "false",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LAYANAN_SERVER_NOW": timezone.now().isoformat(),
        "LOG_LEVEL": "WARNING",
    }
    servers = []
    try:
        for name in ("a", "b"):
            servers.append(
                Server(
                    _database_url(),
                    tmp_path / f"gunicorn-{name}.log",
                    env=env,
                    ready_path="/healthz",
                    ready_headers={"Host": HOST, "X-Forwarded-Proto": "https"},
                    # the application loaded once per server (not once per worker: the
                    # imports take seconds on a busy 2-CPU machine)
                    extra_args=["-c", str(GUNICORN_CONFIG), "--preload"],
                )
            )
        for server in servers:
            try:
                server.wait_ready()
            except ServerError as error:
                pytest.fail(f"{error}:\n{server.log_path.read_text()[-3000:]}")
        yield servers[0], servers[1], media
    finally:
        for server in servers:
            server.stop(quick=True)
        for server in servers:
            assert server.proc.poll() is not None, "a gunicorn master outlived the test"


class Browser:
    """One person's browser at the one public address: its own cookies (kept by hand, as they
    are Secure and the servers are reached over plain HTTP on the loopback) and address. Each
    request goes to the server given, the way nginx's upstream may pick either."""

    def __init__(self, address: str):
        self.address = address
        self.cookies: dict[str, str] = {}

    def request(self, server: Server, method: str, path: str, **kwargs) -> httpx.Response:
        headers = {"Host": HOST, "X-Forwarded-Proto": "https", "X-Forwarded-For": self.address}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            headers["Origin"] = ORIGIN
        response = httpx.request(method, server.base + path, headers=headers, timeout=60, **kwargs)
        for header in response.headers.get_list("set-cookie"):
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response

    def get(self, server: Server, path: str) -> httpx.Response:
        return self.request(server, "GET", path)

    def post(self, server: Server, path: str, **kwargs) -> httpx.Response:
        return self.request(server, "POST", path, **kwargs)


def _csrf_token(page: httpx.Response) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert match, f"no CSRF token on the page ({page.status_code})"
    return match.group(1)


def _path(location: str) -> str:
    """The path of a redirect (relative, or absolute to the public address)."""
    return location.removeprefix(ORIGIN)


def test_two_servers_share_sessions_limits_files_and_cache(
    two_servers, shared_redis, org, kesra_officer, password, settings
):
    """A complaint filed with a file on A is tracked, seen with its file by staff and reopened
    on B; a staff session opened on A works on B; B honours A's signed receipt cookie; the
    lookup budget used partly on A runs out on B (and then on A too) for that address only; a
    value put in the shared cache is what both servers read."""
    server_a, server_b, media = two_servers
    settings.NOTIFY_DISPATCH_ON_COMMIT = False  # nothing is sent from the test process either
    published_standard(standard__unit=org["biro-kesra"])  # Biro Kesra takes complaints

    # The cache: both servers read the organisation's name from Redis (core/timezones.py).
    shared_redis.set("layanan:organisation", ("Asia/Pontianak", SHARED_ORGANISATION_NAME), 300)
    for server in (server_a, server_b):
        assert SHARED_ORGANISATION_NAME in Browser(CITIZEN_ADDRESS).get(server, "/lacak/").text

    # File on A through the public form, with a PDF.
    citizen = Browser(CITIZEN_ADDRESS)
    form = citizen.get(server_a, "/pengaduan/biro-kesra/")
    assert form.status_code == 200
    sent = citizen.post(
        server_a,
        "/pengaduan/biro-kesra/",
        data={
            "csrfmiddlewaretoken": _csrf_token(form),
            "description": "Loket pelayanan kosong pada jam kerja, dua hari berturut-turut.",
            "identity": "normal",
            "name": "Siti Aminah",
            "consent": "on",
            "website": "",
        },
        files={"attachments": ("bukti.pdf", PDF, "application/pdf")},
    )
    assert sent.status_code == 303, sent.text[:2000]
    receipt_path = _path(sent.headers["location"])
    code = receipt_path.rstrip("/").rsplit("/", 1)[-1]
    case = Case.objects.get(public_code=code.replace("-", ""))
    # Stamped by A on the test's clock (gunicorn_suite_clock.py), not the machine's.
    assert dt.timedelta(0) <= timezone.now() - case.received_at < dt.timedelta(minutes=5)
    attachment = Attachment.objects.get(case=case)
    assert (media / "private" / attachment.file.name).read_bytes() == PDF

    # B honours the receipt cookie A signed (same SECRET_KEY): the receipt, not a redirect.
    receipt = citizen.get(server_b, receipt_path)  # lookup 1
    assert receipt.status_code == 200
    assert code in unescape(receipt.text)

    # Tracking by code on both.
    assert citizen.get(server_a, f"/lacak/{code}/").status_code == 200  # lookup 2
    tracking = citizen.get(server_b, f"/lacak/{code}/")  # lookup 3
    assert tracking.status_code == 200 and code in tracking.text
    assert 'name="reason"' not in tracking.text  # open: nothing to reopen yet

    # Staff: sign in on A, work on B with that session; the file A stored is served by B.
    staff = Browser(STAFF_ADDRESS)
    # A hash the servers' hashers read (the tests' autouse fixture hashes with MD5).
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"]):
        kesra_officer.set_password(password)
    kesra_officer.save(update_fields=["password"])
    login = staff.get(server_a, "/akun/masuk/")
    signed_in = staff.post(
        server_a,
        "/akun/masuk/",
        data={
            "csrfmiddlewaretoken": _csrf_token(login),
            "username": kesra_officer.username,
            "password": password,
        },
    )
    assert signed_in.status_code == 302, signed_in.text[:2000]
    assert "sessionid" in staff.cookies
    detail = staff.get(server_b, f"/staf/kasus/{case.number}/")
    assert detail.status_code == 200
    assert f"/staf/lampiran/{attachment.pk}/" in detail.text
    download = staff.get(server_b, f"/staf/lampiran/{attachment.pk}/")
    assert download.status_code == 200
    assert download.content == PDF

    # Close it through the service layer; the citizen reopens it on B.
    case_transition(actor=kesra_officer, case=case, to=Status.IN_PROGRESS)
    complaint_answer(actor=kesra_officer, case=case, answer="Petugas loket sudah ditambah.")
    case_transition(actor=kesra_officer, case=case, to=Status.CLOSED)
    closed = citizen.get(server_b, f"/lacak/{code}/")  # lookup 4
    assert closed.status_code == 200 and 'name="reason"' in closed.text
    reopened = citizen.post(  # lookup 5: the last one this address has
        server_b,
        f"/lacak/{code}/",
        data={"csrfmiddlewaretoken": _csrf_token(closed), "reason": "Loket masih kosong."},
    )
    assert reopened.status_code == 303, reopened.text[:2000]
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS and case.reopen_count == 1
    assert case.closed_at is None
    assert CaseEvent.objects.filter(case=case, kind="reopened").count() == 1

    # The budget, used partly on A, is spent on B: refused on B, and on A as well.
    refused_b = citizen.get(server_b, f"/lacak/{code}/")
    assert refused_b.status_code == 429
    assert 0 < int(refused_b.headers["retry-after"]) <= 3600
    assert citizen.get(server_a, f"/lacak/{code}/").status_code == 429
    # Per address: another citizen's lookups are untouched.
    assert Browser(OTHER_CITIZEN_ADDRESS).get(server_b, f"/lacak/{code}/").status_code == 200

    # Signing out on B ends the session on A too: the old cookie no longer opens staff pages.
    session_cookie = dict(staff.cookies)
    page = staff.get(server_b, f"/staf/kasus/{case.number}/")
    signed_out = staff.post(
        server_b, "/akun/keluar/", data={"csrfmiddlewaretoken": _csrf_token(page)}
    )
    assert signed_out.status_code == 302
    replayed = Browser(STAFF_ADDRESS)
    replayed.cookies = session_cookie
    refused = replayed.get(server_a, f"/staf/kasus/{case.number}/")
    assert refused.status_code == 302 and "/akun/masuk/" in refused.headers["location"]
