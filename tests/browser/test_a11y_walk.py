"""Accessible, every page, every persona (issue 16, item 8): axe-core (WCAG 2.1 A/AA,
tests/browser/a11y.py) finds no serious or critical violation on any page of the URL conf, as
the public, a citizen with a tracking code, every staff role and a superuser (the admin), in one
real browser; and no page, once its JavaScript has run, shows a message the Indonesian
catalogues leave untranslated (the admin's date-time widgets write theirs in the browser).

The pages are the access matrix's (tests/page_walk.py). Each persona has its own browser
context, signed in by the session cookie of ``Client.force_login`` (no login form); a page that
redirects (a login page, a list's canonical URL) is checked once where it lands. The browser
runs in UTC while the organisation's zone is Asia/Pontianak, so the admin shows its time zone
note, which must be Indonesian too.
"""

from __future__ import annotations

import re
import time
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client
from playwright.sync_api import Error as PlaywrightError

from tests.page_walk import WALK_PERSONAS, persona_urls, untranslated_in, visible_text
from tests.test_access_matrix import _QuickPdf, build_world

from .a11y import axe_violations, describe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _signed_in_context(browser, live_server, user):
    context = browser.new_context(locale="id-ID", timezone_id="UTC")
    if user is not None:
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return context


def _html(page) -> str:
    """The page as the browser shows it; a page that moves on by itself (a refresh) is read
    where it lands."""
    for _attempt in range(3):
        try:
            return page.content()
        except PlaywrightError:
            page.wait_for_load_state("load")
    return page.content()


#: Path prefixes of the signed-in areas; every other page is public.
SIGNED_IN_AREAS = ("/staf/", "/akun/", "/admin/")
#: The admin's per-object views that share one template across models: checked for the first
#: model only (the changelist and change/add form of every model are checked).
ADMIN_GENERIC = re.compile(r"^/admin/\w+/\w+/[^/]+/(delete|history)/$")


#: axe rules a page may break, each for a reason WCAG itself accepts. Kept small: a rule listed
#: here is not checked on that page at all.
ALLOWED = {
    # A self-service kiosk returns to its start for the next visitor; leaving one visitor's
    # answers or ticket on a shared screen is what must not happen (WCAG 2.2.1, "essential").
    "meta-refresh": re.compile(
        r"^/survei/kiosk/[^/]+/terima-kasih/$|^/tamu/[^/]+/tiket/[^/]+/$"
        # The waiting-room display shows the queue as it moves (2.2.1, "real-time").
        r"|^/tamu/[^/]+/layar/$"
    ),
}


def _not_allowed(path: str, violations: list[dict]) -> list[dict]:
    return [v for v in violations if not (v["id"] in ALLOWED and ALLOWED[v["id"]].match(path))]


def worth_checking(persona: str, url: str, admin_generic_done: set) -> bool:
    """Whether the browser checks ``url`` for ``persona``; the untranslated check of
    tests/test_untranslated.py renders every one. A public page shows the same to everyone
    but its header, so the public (anonymous, and a citizen on the pages of their code) checks
    them all and each staff persona the home page (the signed-in header) and the signed-in
    areas, where each role sees different actions."""
    path = url.split("?")[0]
    if persona not in ("anonymous", "citizen") and not path.startswith(SIGNED_IN_AREAS):
        return path == "/"
    match = ADMIN_GENERIC.match(path)
    if match:
        if match.group(1) in admin_generic_done:
            return False
        admin_generic_done.add(match.group(1))
    return True


def test_every_page_is_accessible_and_indonesian_for_every_persona(
    live_server, browser, org, settings, monkeypatch
):
    """Every HTML page, as every persona: no serious or critical axe-core violation, and no
    untranslated message in the page as the browser shows it. All findings are reported at
    once, each with its page, persona and the elements at fault."""
    import weasyprint

    monkeypatch.setattr(weasyprint, "HTML", _QuickPdf)
    settings.OTP_REQUIRED_FOR_ROLES = ()
    world = build_world(org)
    failures, checked = [], 0
    started = time.monotonic()
    admin_generic_done = set()
    for persona in WALK_PERSONAS:
        context = _signed_in_context(browser, live_server, world["users"].get(persona))
        page = context.new_page()
        if persona != "citizen":  # the citizen's public pages are the anonymous visitor's
            landed = set()
        for url in persona_urls(world, persona):
            if not worth_checking(persona, url, admin_generic_done):
                continue
            cache.clear()  # rate limits count every request
            try:
                response = page.goto(live_server.url + url, wait_until="load")
            except PlaywrightError as exc:
                if "Download is starting" in str(exc):
                    continue  # a file (an attachment), not a page
                raise
            if response is None or "text/html" not in response.headers.get("content-type", ""):
                continue
            where = urlsplit(page.url)
            final = where.path + (f"?{where.query}" if where.query else "")
            if final in landed:
                continue
            landed.add(final)
            checked += 1
            label = f"{final} (as {persona}, {response.status})"
            # The front desk reloads itself every 30 s unless a form is being filled in: tell it
            # one is, so that a slow check is not cut short by a reload.
            page.evaluate("document.dispatchEvent(new Event('input'))")
            violations = _not_allowed(where.path, axe_violations(page))
            if violations:
                failures.append(
                    f"{label}:\n    " + describe_violations(violations).replace("\n", "\n    ")
                )
            for msgid in untranslated_in(visible_text(_html(page))):
                failures.append(f"{label}: untranslated {msgid!r}")
        context.close()
    elapsed = time.monotonic() - started
    assert checked > 100, f"only {checked} pages checked"
    assert not failures, (
        f"{len(failures)} finding(s) on {checked} pages ({elapsed:.0f} s):\n" + "\n".join(failures)
    )


FOCUS_PAGES = ["/", "/pengaduan/", "/lacak/", "/akun/masuk/"]
_FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const ring = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
  return {tag: el.tagName, name: el.name || el.id || el.textContent.trim().slice(0, 30),
          visible: ring || style.boxShadow !== "none", submit: el.type === "submit"};
}"""


def test_forms_are_reached_by_keyboard_with_the_focus_visible(live_server, browser, org):
    """The home page, the complaint form, the tracking form and the staff login, by keyboard
    alone: Tab reaches every control up to the form's submit button, and every element that
    takes the focus shows a ring of at least 2 px (WCAG 2.4.7)."""
    context = browser.new_context(locale="id-ID")
    page = context.new_page()
    problems = []
    for url in FOCUS_PAGES:
        cache.clear()
        page.goto(live_server.url + url)
        reached_submit = False
        for _press in range(80):
            page.keyboard.press("Tab")
            focused = page.evaluate(_FOCUSED)
            if focused is None:
                break  # past the last element
            if not focused["visible"]:
                problems.append(f"{url}: no visible focus on {focused['tag']} {focused['name']!r}")
            reached_submit = reached_submit or focused["submit"]
        if url != "/" and not reached_submit:
            problems.append(f"{url}: Tab never reaches a submit button")
    context.close()
    assert not problems, "\n".join(problems)
