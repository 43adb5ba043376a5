"""Web-layer hardening: the Content-Security-Policy on every page with nothing inline that it
would block, request-size limits, and tracking-code guessing made futile by the rate limit."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from layanan.accounts.actors import PUBLIC
from layanan.cases.numbering import CODE_LENGTH, format_public_code
from layanan.complaints.services import complaint_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EXPECTED_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'self'",
}

# <script> elements that hold data, not code (the API docs' settings): CSP does not run them
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


class _InlineFinder(HTMLParser):
    """Collects what a strict CSP would block: inline scripts and styles without the nonce,
    event-handler and style attributes, and scripts or stylesheets from other origins."""

    def __init__(self, nonce: str | None):
        super().__init__()
        self.nonce = nonce
        self.problems: list[str] = []

    def _nonced(self, attributes: dict) -> bool:
        return bool(self.nonce) and attributes.get("nonce") == self.nonce

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in attributes:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> event handler")
        if "style" in attributes:
            self.problems.append(f"<{tag} style=…> attribute")
        if tag == "script":
            src = attributes.get("src")
            if src is not None:
                if not src.startswith("/"):
                    self.problems.append(f"script from elsewhere: {src}")
            elif attributes.get("type") not in DATA_SCRIPT_TYPES and not self._nonced(attributes):
                self.problems.append("inline <script> without the nonce")
        if tag == "style" and not self._nonced(attributes):
            self.problems.append("inline <style> without the nonce")
        href = attributes.get("href") or ""
        if tag == "link" and attributes.get("rel") == "stylesheet" and not href.startswith("/"):
            self.problems.append(f"stylesheet from elsewhere: {attributes.get('href')}")


def _assert_csp_clean(response, url):
    assert response.status_code == 200, (url, response.status_code)
    header = response.headers.get("Content-Security-Policy")
    assert header, f"{url}: no Content-Security-Policy header"
    directives = dict(
        part.strip().split(" ", 1) for part in header.split(";") if " " in part.strip()
    )
    for name, value in EXPECTED_DIRECTIVES.items():
        assert directives.get(name, "").startswith(value), (url, name, header)
    assert "unsafe-inline" not in header and "unsafe-eval" not in header
    nonce = re.search(r"'nonce-([^']+)'", header)
    if "text/html" in response.headers.get("Content-Type", ""):
        finder = _InlineFinder(nonce.group(1) if nonce else None)
        finder.feed(response.content.decode())
        assert not finder.problems, (url, finder.problems)


@pytest.fixture
def seeded(org):
    call_command("load_demo", "--no-users", verbosity=0)
    cache.clear()
    return org


def _public_urls(org):
    from layanan.catalog.models import ServiceStandard

    standard = ServiceStandard.objects.select_related("unit").first()
    urls = [
        reverse("catalog:home"),
        reverse("catalog:unit", args=["biro-kesra"]),
        reverse("complaints_public:form"),
        reverse("complaints_public:lookup"),
        reverse("bookings_public:form"),
        reverse("audience:form"),
        reverse("reports:public"),
        reverse("surveys:kiosk", args=["biro-kesra"]),
        reverse("visits:kiosk", args=["biro-kesra"]),
        reverse("visits:display", args=["biro-kesra"]),
        reverse("accounts:login"),
        reverse("accounts:password_reset"),
    ]
    if standard is not None:
        urls.append(
            reverse(
                "catalog:standard", kwargs={"unit_slug": standard.unit.slug, "slug": standard.slug}
            )
        )
    return urls


def test_public_pages_send_the_policy_and_have_nothing_inline(client, seeded):
    """Every public page carries the strict CSP and contains no script or style it would
    block: no inline scripts, no event handlers, no style attributes, nothing from elsewhere."""
    for url in _public_urls(seeded):
        _assert_csp_clean(client.get(url), url)


def test_staff_pages_send_the_policy_and_have_nothing_inline(client, seeded, personas):
    """The staff pages (inbox, calendar, reports, bookings, front desk, 2FA) are as strict."""
    client.force_login(personas["kesra_head"])
    urls = [
        reverse("cases:inbox"),
        reverse("cases:complaint_record"),
        reverse("workdays:calendar"),
        reverse("bookings:list"),
        reverse("bookings:calendar"),
        reverse("audience:list"),
        reverse("reports:dashboard"),
        reverse("visits:desk", args=["biro-kesra"]),
        reverse("accounts:twofactor"),
        reverse("accounts:twofactor_enrol"),
        reverse("accounts:password_change"),
    ]
    for url in urls:
        _assert_csp_clean(client.get(url), url)


def test_admin_sends_the_policy(client, seeded):
    """The admin pages carry the policy too (Django's admin is built for a strict CSP)."""
    boss = UserFactory(username="boss", is_staff=True, is_superuser=True)
    client.force_login(boss)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_oversized_form_body_is_refused_cleanly(client, settings):
    """A form body above DATA_UPLOAD_MAX_MEMORY_SIZE is answered 413 (the edge-error table's
    answer, as under /api/), not a 500 or a hang."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = client.post(
        reverse("complaints_public:form"), {"description": "x" * 4096}, REMOTE_ADDR="192.0.2.50"
    )
    assert response.status_code == 413


def test_request_size_settings_are_sensible():
    """Bodies are capped in memory (large files spill to disk); files are stored non-public."""
    from django.conf import settings

    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 5 * 1024 * 1024
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 5 * 1024 * 1024
    assert settings.FILE_UPLOAD_PERMISSIONS == 0o640
    assert not str(settings.MEDIA_ROOT).startswith(str(settings.STATIC_ROOT))


def test_guessing_tracking_codes_is_futile(client, settings, org):
    """Past the lookup limit every lookup from that address gets 429 — even a real code — so
    a guesser gets at most the limit's worth of tries per window against a 31**12 space."""
    cache.clear()
    settings.TRACKING_LOOKUP_RATE = (30, 600)
    case = complaint_create(
        actor=PUBLIC, unit=org["biro-kesra"], description="Loket tutup.", requester_name="Siti"
    )
    real = reverse("complaints_public:track", args=[format_public_code(case.public_code)])
    address = {"REMOTE_ADDR": "203.0.113.99"}
    assert client.get(real, **address).status_code == 200
    for n in range(30):
        guess = f"ABCD-EFGH-{n:04d}".translate(str.maketrans("0123", "WXYZ"))
        client.get(reverse("complaints_public:track", args=[guess]), **address)
    blocked = client.get(real, **address)
    assert blocked.status_code == 429
    assert int(blocked["Retry-After"]) > 0
    assert client.get(real, REMOTE_ADDR="203.0.113.100").status_code == 200
    per_day = 30 * (24 * 3600 // 600)
    assert per_day == 4320
    assert 31**CODE_LENGTH > 2**59
    assert per_day * 1_000_000 / 31**CODE_LENGTH < 1e-8  # a million live codes: <1e-8 a day
