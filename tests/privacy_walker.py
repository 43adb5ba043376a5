"""The walker of tests/test_privacy_walk.py: fetch pages, follow their links, scan what comes back.

It knows nothing about complaints. A ``Secret`` is a string that must not show (an identity, an
internal note, a tracking code) with the words that name it in a failure message; a
``Walker`` fetches URLs with one client, follows links (HTML ``href``/``src``, and URLs inside
JSON answers) within the paths it is told to follow, and hands every response to the checks
as text: headers (a download's file name is in ``Content-Disposition``), the body (decoded,
HTML entities resolved, the files inside a ZIP such as an XLSX opened) — so a secret is found
whatever the format.
"""

from __future__ import annotations

import html
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import quote, urljoin, urlsplit

from django.core.cache import cache
from django.test import Client


@dataclass(frozen=True)
class Secret:
    """A value that must not appear where it does not belong."""

    value: str
    what: str  # e.g. "e-mail of the confidential reporter (web form)"
    owner: str = ""  # the filing it belongs to

    def forms(self) -> set[str]:
        """The spellings it may take in a page, an URL, JSON or XML (compared case-blind)."""
        value = self.value
        forms = {
            value,
            html.escape(value),
            quote(value),
            quote(value, safe=""),
            json.dumps(value)[1:-1],
        }
        digits = re.sub(r"\D", "", value)
        if len(digits) >= 10 and len(digits) >= len(value) - 4:  # a telephone number
            forms |= {digits, digits.lstrip("0")}
        return {f.lower() for f in forms if len(f) >= 6}

    def found_in(self, text: str) -> bool:
        return any(form in text for form in self.forms())


def response_text(response) -> str:
    """Headers and body of a Django test response as one lower-case text to search."""
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    parts = [f"{name}: {value}" for name, value in response.items()]
    if body[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                for name in archive.namelist():
                    parts.append(archive.read(name).decode("utf-8", "replace"))
        except zipfile.BadZipFile:
            pass
    text = body.decode("utf-8", "replace")
    parts += [text, html.unescape(text)]
    response._walker_body = text  # the links are read from it
    return "\n".join(parts).lower()


_LINK = re.compile(r"""(?:href|src)\s*=\s*["']([^"'#]+)""", re.IGNORECASE)
_JSON_URL = re.compile(r'"((?:https?://[^"/]+)?/(?:api|open311)/[^"\s]*)"')


def links_of(base: str, response) -> list[str]:
    """Site-local URLs (path + query) the response points at: HTML links and sources, and URLs
    inside a JSON answer (``url``, ``next``, ``tracking_url``…)."""
    body = getattr(response, "_walker_body", "")
    kind = response.get("Content-Type", "")
    found = []
    if "html" in kind:
        found = [html.unescape(m) for m in _LINK.findall(body)]
    elif "json" in kind:
        found = [m.replace("\\/", "/") for m in _JSON_URL.findall(body)]
    urls = []
    for raw in found:
        if "{" in raw or raw.startswith(("mailto:", "tel:", "javascript:", "data:", "sms:")):
            continue
        absolute = urljoin(base, raw)
        parts = urlsplit(absolute)
        if parts.netloc and parts.hostname not in ("testserver", "localhost", "127.0.0.1"):
            continue
        urls.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return urls


@dataclass
class Visit:
    url: str
    status: int
    text: str
    content_type: str
    response: object = field(default=None, repr=False)


@dataclass
class Walker:
    """Fetches with one client; every response is kept (url, status, text) for the checks."""

    client: Client
    headers: dict = field(default_factory=dict)
    limit: int = 400
    #: Links of one shape (the path with its numbers as N, and the names of its query
    #: parameters) followed at most this many times: a calendar's "next week" is one page, not
    #: a thousand. Seeds are always fetched.
    per_shape: int = 3
    visits: list[Visit] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
    shapes: dict[str, int] = field(default_factory=dict)

    def get(self, url: str, **extra) -> Visit | None:
        if url in self.seen:
            return None
        self.seen.add(url)
        cache.clear()  # rate limits count every request; the walk must not turn into 429s
        response = self.client.get(url, **{**self.headers, **extra})
        # A surface that fails (a forgotten unit scope is a ScopeError) hides what it would
        # show: the walk counts as a walk only where every answer is a real one.
        assert response.status_code < 500, f"{url} answered {response.status_code}"
        visit = Visit(
            url,
            response.status_code,
            response_text(response),
            response.get("Content-Type", ""),
            response,
        )
        self.visits.append(visit)
        return visit

    def post(self, url: str, data: dict, **extra) -> Visit:
        cache.clear()
        response = self.client.post(url, data, **{**self.headers, **extra})
        assert response.status_code < 500, f"POST {url} answered {response.status_code}"
        visit = Visit(
            f"POST {url}",
            response.status_code,
            response_text(response),
            response.get("Content-Type", ""),
            response,
        )
        self.visits.append(visit)
        return visit

    def crawl(
        self,
        seeds: Iterable[str],
        follow: Callable[[str], bool],
        *,
        max_depth: int = 50,
    ) -> None:
        """Breadth first from ``seeds``; links are followed when ``follow(path)`` says so."""
        queue = [(url, 0) for url in seeds]
        while queue:
            url, depth = queue.pop(0)
            if url in self.seen:
                continue
            if len(self.seen) >= self.limit:
                raise AssertionError(
                    f"The walk reached its limit of {self.limit} URLs at {url}: raise "
                    "Walker.limit or narrow what it follows."
                )
            visit = self.get(url)
            if visit is None or depth >= max_depth:
                continue
            for link in links_of(url, visit.response):
                parts = urlsplit(link)
                if link in self.seen or not follow(parts.path):
                    continue
                shape = (
                    re.sub(r"\d+", "N", parts.path)
                    + "?"
                    + ",".join(sorted(k.split("=")[0] for k in parts.query.split("&") if k))
                )
                if self.shapes.get(shape, 0) >= self.per_shape:
                    continue
                self.shapes[shape] = self.shapes.get(shape, 0) + 1
                queue.append((link, depth + 1))


@dataclass
class Leaks:
    """Everything found, reported at once: one line per (surface, secret)."""

    lines: list[str] = field(default_factory=list)

    def add(self, surface: str, status: int, message: str) -> None:
        self.lines.append(f"{surface} [{status}]: {message}")

    def check(
        self,
        visits: Iterable[Visit],
        secrets: Iterable[Secret],
        *,
        allowed: Callable[[Visit, Secret], bool] = lambda visit, secret: False,
        words: str = "leaks",
    ) -> None:
        secrets = list(secrets)
        for visit in visits:
            for secret in secrets:
                if secret.found_in(visit.text) and not allowed(visit, secret):
                    self.add(visit.url, visit.status, f"{words} {secret.what} ({secret.value!r})")

    def assert_none(self, title: str) -> None:
        if self.lines:
            unique = list(dict.fromkeys(self.lines))
            raise AssertionError(f"{title} — {len(unique)} leak(s):\n  " + "\n  ".join(unique))
