"""Every page of the site as every persona, and what a page must not show: the walk shared by
the untranslated-string check (tests/test_untranslated.py) and the accessibility walk
(tests/browser/test_a11y_walk.py).

The URLs are the access matrix's (tests/test_access_matrix.py): every pattern of the URL conf,
filled with the objects of its ``build_world`` (the admin's model views with their first object),
so a page added to the site is walked as soon as the matrix has its row. What is checked is the
page each persona actually gets: redirects (to the login page, say) are left to the page they go
to, and answers that are not HTML (PDF, JSON, spreadsheets) are skipped.

``untranslated_in(text)`` finds English that should be Indonesian. The candidates are the msgids
of every catalogue the site uses — Django's, its contrib apps', the installed apps' and the
project's, in the ``django`` and ``djangojs`` (admin JavaScript) domains — that the Indonesian
catalogues do not translate at all. A msgid translated to the same word on purpose ("Status",
"Email") is a translation and is not reported.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from django.urls import reverse

from .core.test_translations import read_po
from .test_access_matrix import (
    ADMIN_MODEL_VIEWS,
    ADMIN_OBJECT_REDIRECT_ROUTE,
    LITERAL_URLS,
    POST_ONLY,
    STAFF,
    admin_object_redirect_url,
    admin_url,
    site_patterns,
    url_kwargs,
)

#: The personas whose pages are walked: the public (without and with a tracking code), every
#: staff role, and a superuser for the admin.
WALK_PERSONAS = ["anonymous", "citizen", *STAFF, "superuser"]

#: Untranslated msgids that may appear on an Indonesian page, each with why.
ALLOWED_UNTRANSLATED = {
    # Django admin's JavaScript names the server's zone "server" when the page does not say it;
    # ours always does (data-admin-server-timezone). The word also occurs in Indonesian.
    "server": "an Indonesian word as well",
}


#: Pages that are not the site's own, each with why they are not walked.
NOT_WALKED = {
    "/api/v1/docs": "django-ninja's Swagger UI: the API's reference for integrators, in English",
}


#: Answers that are files, not pages (skipped without fetching them).
NOT_PAGES = re.compile(r"\.(json|xml|pdf|xlsx|csv|ics|png|svg|ico)$|/jsi18n/$")


def persona_urls(world: dict, persona: str) -> Iterator[str]:
    """The GET URLs of the URL conf for ``persona``, filled from the access matrix's world.
    The admin is walked by the superuser only (everyone else is sent to its login page, which
    the anonymous persona walks)."""
    seen = set()
    for key, name, route, parameters in site_patterns():
        if key in POST_ONLY:
            continue
        admin = route.startswith("/admin/")
        if admin and persona != "superuser" and name != "admin:login":
            continue
        if admin and name == "admin:login" and persona != "anonymous":
            continue
        if name and name.startswith("admin:") and name.endswith(ADMIN_MODEL_VIEWS):
            url = admin_url(name, route)
        elif not name and ADMIN_OBJECT_REDIRECT_ROUTE.match(route):
            url = admin_object_redirect_url(route)
        elif key in LITERAL_URLS:
            url = LITERAL_URLS[key]
        elif not name:
            continue
        else:
            kwargs = url_kwargs(name, persona, world)
            url = reverse(name, kwargs={k: v for k, v in kwargs.items() if k in parameters})
        if url is None or NOT_PAGES.search(url.split("?")[0]) or url in NOT_WALKED:
            continue
        if url not in seen:
            seen.add(url)
            yield url


# --- untranslated strings ----------------------------------------------------------------------


def po_messages(path: Path) -> list[tuple[str | None, str, str | None]]:
    """(context, msgid, msgid_plural) of the live entries of a .po file."""
    return [(e.msgctxt, e.msgid, e.msgid_plural) for e in read_po(path)[1:] if e.msgid]


def _catalogue_dirs() -> list[Path]:
    import django
    from django.apps import apps
    from django.conf import settings

    dirs = [Path(django.__file__).parent / "conf" / "locale"]
    dirs += [Path(app.path) / "locale" for app in apps.get_app_configs()]
    dirs += [Path(p) for p in settings.LOCALE_PATHS]
    return [d for d in dirs if d.is_dir()]


def _source_po(locale_dir: Path, domain: str) -> Path | None:
    """A .po that lists the msgids of ``locale_dir``: the English one, else any."""
    english = locale_dir / "en" / "LC_MESSAGES" / f"{domain}.po"
    if english.exists():
        return english
    return next(iter(sorted(locale_dir.glob(f"*/LC_MESSAGES/{domain}.po"))), None)


def _indonesian_catalogue(domain: str):
    from django.utils.translation.trans_real import DjangoTranslation

    if domain == "django":
        return DjangoTranslation("id")._catalog
    # What JavaScriptCatalog serves the admin: the apps' catalogues, then LOCALE_PATHS.
    from django.apps import apps

    paths = [str(Path(app.path) / "locale") for app in apps.get_app_configs()]
    return DjangoTranslation("id", domain="djangojs", localedirs=paths)._catalog


def _translated(catalogue, context: str | None, msgid: str, plural: str | None) -> bool:
    key = f"{context}\x04{msgid}" if context else msgid
    if plural is not None:
        key = (key, 0)
    try:
        return bool(catalogue[key])
    except KeyError:
        return False


_PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]|\{[^}]*\}|<[^>]+>")


def _fragments(msgid: str) -> list[str]:
    """The literal pieces of a msgid worth searching for (between placeholders and tags)."""
    pieces = [p.strip(" \t\n.,:;()“”\"'…-") for p in _PLACEHOLDER.split(msgid)]
    return [p for p in pieces if len(p) >= 4 and re.search(r"[A-Za-z]{3}", p)]


def pattern_for(msgid: str, plural: str | None = None) -> re.Pattern | None:
    """A pattern that finds the message as a page shows it: its literal pieces in order, as
    whole words, whatever fills its placeholders (either form of a plural)."""
    alternatives = []
    for form in filter(None, (msgid, plural)):
        pieces = _fragments(form)
        if pieces:
            body = r"[\s\S]{0,80}?".join(re.escape(" ".join(p.split())) for p in pieces)
            alternatives.append(rf"(?<![\w-]){body}(?![\w-])")
    return re.compile("|".join(alternatives)) if alternatives else None


@cache
def untranslated_patterns() -> tuple[tuple[str, re.Pattern], ...]:
    """(msgid, pattern) of every msgid the Indonesian catalogues lack; the pattern matches all
    of its literal pieces in order, as whole words."""
    found = {}
    for domain in ("django", "djangojs"):
        catalogue = _indonesian_catalogue(domain)
        for locale_dir in _catalogue_dirs():
            source = _source_po(locale_dir, domain)
            if source is None:
                continue
            for context, msgid, plural in po_messages(source):
                if msgid in found or msgid in ALLOWED_UNTRANSLATED:
                    continue
                if _translated(catalogue, context, msgid, plural):
                    continue
                pattern = pattern_for(msgid, plural)
                if pattern is not None:
                    found[msgid] = pattern
    return tuple(found.items())


class _VisibleText(HTMLParser):
    """The text a person reads or hears: text nodes and the attributes screen readers announce,
    outside scripts and styles and outside elements marked as another language (the
    "English" switch)."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
    SPOKEN = ("title", "alt", "placeholder", "aria-label", "aria-description")

    def __init__(self, language: str):
        super().__init__(convert_charrefs=True)
        self.language = language
        self.stack: list[tuple[str, bool]] = []  # (tag, hidden)
        self.parts: list[str] = []

    def _hidden(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        lang = attrs.get("lang")
        hidden = (
            self._hidden()
            or tag in ("script", "style", "template")
            or (lang is not None and tag != "html" and not lang.startswith(self.language))
        )
        if not hidden:
            self.parts += [attrs[a] for a in self.SPOKEN if attrs.get(a)]
            if tag == "input" and attrs.get("type") in ("submit", "button", "reset"):
                self.parts.append(attrs.get("value") or "")
        if tag not in self.VOID:
            self.stack.append((tag, hidden))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        if not self._hidden():
            self.parts.append(data)


def visible_text(page: str, language: str = "id") -> str:
    parser = _VisibleText(language)
    parser.feed(page)
    parser.close()
    return " ".join(" ".join(parser.parts).split())


def untranslated_in(text: str) -> list[str]:
    """The untranslated msgids found in ``text`` (visible text, whitespace collapsed)."""
    text = html.unescape(text)
    return [msgid for msgid, pattern in untranslated_patterns() if pattern.search(text)]
