"""The poster is rendered when a standard is published (a background task) and the poster page
serves the stored file: nobody who clicks "poster" waits for WeasyPrint. And a loopback
SITE_URL — every printed QR code dead — is reported by `check --deploy` and on staff pages."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from layanan.accounts.actors import SYSTEM
from layanan.catalog import poster
from layanan.catalog.services import version_create_draft, version_publish
from layanan.catalog.tasks import render_poster
from layanan.core.checks import check_site_url, site_url_is_loopback
from tests.factories import published_standard

pytestmark = pytest.mark.django_db

SITE = "https://layanan.kalbarprov.go.id"
FAKE_PDF = b"%PDF-1.4 stand-in poster\n%%EOF\n"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def standard(org):
    return published_standard(standard__unit=org["biro-kesra"], standard__slug="audiensi")


@pytest.fixture
def renders(monkeypatch):
    """Count WeasyPrint renderings (replaced by a stand-in PDF: these tests are about when a
    poster is rendered, not how it looks — tests/catalog/test_poster.py covers that)."""
    calls = []

    def fake_render(standard, version=None):
        calls.append(standard.pk)
        return FAKE_PDF + str(len(calls)).encode()

    monkeypatch.setattr(poster, "render_poster_pdf", fake_render)
    return calls


def poster_url(standard) -> str:
    return standard.get_absolute_url() + "poster.pdf"


def test_publishing_enqueues_the_rendering(org, standard, django_capture_on_commit_callbacks):
    """Publishing a version queues one render_poster task for its standard, after commit."""
    draft = version_create_draft(actor=SYSTEM, source=standard.published_version)
    with django_capture_on_commit_callbacks(execute=True):
        version_publish(actor=SYSTEM, version=draft)
    queued = DBTaskResult.objects.filter(task_path="layanan.catalog.tasks.render_poster")
    assert [row.args_kwargs["args"] for row in queued] == [[standard.pk]]


def test_the_page_serves_the_stored_poster_without_rendering(client, standard, renders):
    """Once the task has stored the poster, the page answers with that file and renders
    nothing — the fast path for whoever clicks it."""
    render_poster.call(standard.pk)
    assert renders == [standard.pk]
    response = client.get(poster_url(standard))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content == FAKE_PDF + b"1"
    assert renders == [standard.pk]  # not rendered again


def test_a_missing_poster_is_rendered_once_on_demand_and_kept(client, standard, renders):
    """Without a stored file (the worker is behind), the first request renders and stores it;
    the second is served from the file."""
    first = client.get(poster_url(standard))
    second = client.get(poster_url(standard))
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert renders == [standard.pk]
    assert poster.poster_storage().exists(poster.poster_file_name(standard))


def test_changed_unit_contacts_make_a_new_poster_and_drop_the_old(
    client, org, standard, renders, django_capture_on_commit_callbacks
):
    """The unit's phone number is printed on the poster: changing it queues a new rendering,
    the page never serves the old file, and the old file is removed once the new is stored."""
    render_poster.call(standard.pk)
    old_name = poster.poster_file_name(standard)
    unit = org["biro-kesra"]
    unit.phone = "(0561) 999999"
    with django_capture_on_commit_callbacks(execute=True):
        unit.save()
    assert DBTaskResult.objects.filter(task_path="layanan.catalog.tasks.render_poster").exists()
    standard.refresh_from_db()
    new_name = poster.poster_file_name(standard)
    assert new_name != old_name
    response = client.get(poster_url(standard))
    assert response.content == FAKE_PDF + b"2"  # rendered afresh, not the stored old one
    storage = poster.poster_storage()
    assert storage.exists(new_name) and not storage.exists(old_name)


def test_the_task_skips_a_standard_no_longer_published(standard, renders):
    """A task that runs after the standard was withdrawn does nothing."""
    from layanan.catalog.models import ServiceStandard

    ServiceStandard.objects.filter(pk=standard.pk).update(published_version=None)
    assert render_poster.call(standard.pk) == ""
    assert renders == []


# --- a loopback SITE_URL ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "loopback"),
    [
        ("http://127.0.0.1:8000", True),
        ("http://localhost:8000", True),
        ("http://127.8.0.1", True),
        ("http://[::1]:8000", True),
        ("http://app.localhost", True),
        ("https://layanan.kalbarprov.go.id", False),
        ("http://10.0.0.5", False),  # an office network address still reaches the office's phones
        ("http://192.168.1.20:8000", False),
    ],
)
def test_loopback_addresses(url, loopback):
    """Only addresses of the machine itself count: a LAN address works for phones on the LAN."""
    assert site_url_is_loopback(url) is loopback


def test_check_deploy_warns_about_a_loopback_site_url(settings):
    """`check --deploy` reports layanan.W001 for the development default, nothing for a real
    address."""
    settings.SITE_URL = "http://127.0.0.1:8000"
    assert [w.id for w in check_site_url()] == ["layanan.W001"]
    settings.SITE_URL = SITE
    assert check_site_url() == []
    call_command("check", "--deploy", "--tag", "site_url")  # registered under that tag


def test_staff_see_the_warning_on_the_standard_page_the_public_does_not(
    client, standard, kesra_officer, settings
):
    """A staff member on the standard's page (where the poster button is) is told the QR code
    would be dead; a citizen is not."""
    settings.SITE_URL = "http://127.0.0.1:8000"
    url = standard.get_absolute_url()
    assert "data-site-url-warning" not in client.get(url).content.decode()
    client.force_login(kesra_officer)
    html = client.get(url).content.decode()
    assert "data-site-url-warning" in html and "http://127.0.0.1:8000" in html
    settings.SITE_URL = SITE
    assert "data-site-url-warning" not in client.get(url).content.decode()
