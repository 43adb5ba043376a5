"""Our own error pages (issue 16, item 6): with DEBUG off, a wrong URL, a refusal, a request that
cannot be read (a form too large, too many files), a failed CSRF check and a bug all answer a
page in the site's layout, in Indonesian (English when chosen), with a way home — never Django's
bare English page. The 500 page shows even when the database is gone.
"""

from __future__ import annotations

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.utils import translation

from layanan.catalog import selectors as catalog_selectors
from layanan.core import middleware

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
ID = {"HTTP_ACCEPT_LANGUAGE": "id"}


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False
    language = translation.get_language()
    yield
    translation.activate(language)


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


def assert_our_page(response, status: int, *, lang: str = "id") -> str:
    page = response.content.decode()
    assert response.status_code == status, page[:500]
    assert response["Content-Type"].startswith("text/html")
    assert f'<html lang="{lang}">' in page
    assert 'class="site-header"' in page  # the site's layout
    assert 'href="/"' in page  # a way home
    assert "error-page" in page
    return page


def test_a_wrong_url_is_our_404_in_indonesian_and_english(client, org):
    """A URL that does not exist: 404, our page in Indonesian by default (title, explanation,
    link back home), in English for a visitor who chose English."""
    page = assert_our_page(client.get("/tidak-ada/", **ID), 404)
    assert "Halaman tidak ditemukan" in page
    assert "Kembali ke beranda" in page
    assert "Not Found" not in page

    page = assert_our_page(client.get("/tidak-ada/", **EN), 404, lang="en")
    assert "Page not found" in page
    assert "Back to the home page" in page


def test_the_language_chosen_with_the_cookie_wins(client, org, settings):
    """The language switch sets a cookie; the error page follows it over Accept-Language."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = assert_our_page(client.get("/tidak-ada/", **ID), 404, lang="en")
    assert "Page not found" in page


def test_a_refusal_is_our_403(client, org, monkeypatch):
    """A view that refuses (PermissionDenied): 403, our page, saying whom to ask."""

    def refuse(*args, **kwargs):
        raise PermissionDenied

    monkeypatch.setattr(catalog_selectors, "catalogue_groups", refuse)
    page = assert_our_page(client.get("/", **ID), 403)
    assert "Akses ditolak" in page


def test_a_failed_csrf_check_is_our_403_with_a_way_back(org):
    """A form posted without its CSRF token (open too long, cookies blocked): 403, our page,
    telling what to do, with a link to reload the form."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    page = assert_our_page(client.post("/pengaduan/", {"description": "x"}, **ID), 403)
    assert 'href="/pengaduan/"' in page
    assert "Coba lagi" in page
    assert "CSRF verification failed" not in page

    page = assert_our_page(client.post("/pengaduan/", {}, **EN), 403, lang="en")
    assert "open too long" in page


def test_a_form_past_the_size_limit_is_our_page_naming_the_limit(client, org, settings):
    """A form body past DATA_UPLOAD_MAX_MEMORY_SIZE: 413 with our page (not Django's bare
    400), naming the limit."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post("/pengaduan/", {"description": "x" * 5000}, **EN)
    page = assert_our_page(response, 413, lang="en")
    assert "The request body is too large: at most 1000\xa0bytes." in page


def test_too_many_files_is_our_page(client, org, settings):
    """More files than DATA_UPLOAD_MAX_NUMBER_FILES in one form: our page, in Indonesian."""
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    files = [SimpleUploadedFile(f"{i}.pdf", b"%PDF-1.4") for i in range(3)]
    page = assert_our_page(client.post("/pengaduan/", {"attachments": files}, **ID), 413)
    assert "Terlalu banyak" in page or "terlalu banyak" in page


def test_an_unreadable_request_is_our_400(client, org):
    """A request Django cannot read (a bad multipart body): 400, our page."""
    response = client.post(
        "/pengaduan/",
        data=b"--x\r\nbroken",
        content_type="multipart/form-data; boundary=",
        **ID,
    )
    assert_our_page(response, 400)


def test_a_bug_is_our_500_even_with_the_database_gone(client, org, monkeypatch, caplog):
    """A bug in a view whose failure also took the database away: 500, our page in the site's
    layout, in the visitor's language, with no query at all (no user, no messages, no
    organisation name read) — and the traceback still logged."""
    gone = []

    def no_database(execute, sql, params, many, context):
        if gone:
            raise AssertionError(f"the 500 page queried the database: {sql}")
        return execute(sql, params, many, context)

    def bug(*args, **kwargs):
        gone.append(True)
        raise RuntimeError("a bug")

    monkeypatch.setattr(catalog_selectors, "catalogue_groups", bug)
    with connection.execute_wrapper(no_database):
        response = client.get("/", **ID)
    page = assert_our_page(response, 500)
    assert "Terjadi kesalahan" in page
    assert "a bug" not in page
    assert "RuntimeError" in caplog.text  # Django's django.request logger: the traceback

    gone.clear()
    with connection.execute_wrapper(no_database):
        response = client.get("/", **EN)
    assert "Something went wrong" in assert_our_page(response, 500, lang="en")


def test_the_500_page_of_a_signed_in_user_shows_no_user(client, org, monkeypatch):
    """Signed in, the 500 page still reads nothing from the session: it shows the header of a
    visitor (staff login), not the user's menu."""
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get("/", **EN).status_code == 200
    data = dict(client.session.items())
    monkeypatch.setattr(SessionStore, "load", lambda self: dict(data))

    def bug(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(catalog_selectors, "catalogue_groups", bug)
    page = assert_our_page(client.get("/", **EN), 500, lang="en")
    assert "Staff login" in page
    assert "Log out" not in page


def test_the_handlers_are_ours(settings):
    """The URLconf's handlers and the CSRF failure view are the one error path."""
    from layanan import urls

    assert urls.handler400 == "layanan.core.middleware.bad_request"
    assert urls.handler403 == "layanan.core.middleware.permission_denied"
    assert urls.handler404 == "layanan.core.middleware.page_not_found"
    assert urls.handler500 == "layanan.core.middleware.server_error"
    assert settings.CSRF_FAILURE_VIEW == "layanan.core.middleware.csrf_failure"
    assert middleware.ERROR_TEMPLATE == "errors/page.html"


def test_the_favicon_is_served_and_cached_long(client, org):
    """``/favicon.ico`` (asked for by every browser) is an icon, cached for a month; the pages
    link it."""
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # the ICO header
    assert "max-age=2592000" in response["Cache-Control"]
    assert 'rel="icon"' in client.get("/", **ID).content.decode()


def test_a_host_we_do_not_serve_is_our_400(client, org):
    """A Host header outside ALLOWED_HOSTS: 400, our page saying so (Django's would be bare)."""
    page = assert_our_page(client.get("/", HTTP_HOST="evil.example", **EN), 400, lang="en")
    assert "This site is not served under that host name." in page
