"""The first-run page of an empty installation: one-time token, first administrator, the
organisation (form or file), standards imported and published, then the page is gone."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from layanan.accounts.models import User
from layanan.catalog.models import ServiceStandard
from layanan.core.models import Unit
from layanan.core.orgfile import SHIPPED_ORGANISATION
from layanan.setup.models import FirstRunToken
from layanan.setup.services import first_run_token_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client, settings):
    """Messages are checked in English (the msgids), whatever the catalogue holds."""
    with translation.override("en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        yield


PASSWORD = "Kapuas-sungai-terpanjang-1143"
ADMIN = {
    "username": "admin.sambas",
    "full_name": "Admin Sambas",
    "email": "admin@sambas.go.id",
    "password1": PASSWORD,
    "password2": PASSWORD,
}


def new_token() -> str:
    token, _url = first_run_token_create()
    return token


def start_url(token: str) -> str:
    return reverse("setup:start", args=[token])


def test_command_prints_a_link_and_stores_only_the_hash():
    """manage.py first_run_token prints SITE_URL/mulai/akun/<token>/; the database holds the
    token's SHA-256 and an expiry, never the token."""
    out = StringIO()
    call_command("first_run_token", stdout=out, stderr=StringIO())
    url = out.getvalue().strip()
    assert url.startswith(settings.SITE_URL + "/mulai/akun/")
    token = url.rstrip("/").rsplit("/", 1)[1]
    row = FirstRunToken.objects.get()
    assert token not in row.token_hash and len(row.token_hash) == 64
    assert row.expires_at > row.created_at


def test_command_refuses_an_installation_that_is_set_up(org):
    """With units (or a superuser) there is nothing to set up: no link is printed."""
    with pytest.raises(CommandError, match="already set up"):
        call_command("first_run_token", stdout=StringIO(), stderr=StringIO())
    assert not FirstRunToken.objects.exists()


def test_a_bad_token_is_refused(client):
    """Without the printed token the page does not exist: a wrong, expired or withdrawn token
    gets 404 on GET and POST, and no account is created."""
    token = new_token()
    assert client.get(start_url(token)).status_code == 200
    assert client.get(start_url("x" * 43)).status_code == 404
    assert client.post(start_url("x" * 43), ADMIN).status_code == 404
    assert client.get("/mulai/").status_code == 404
    newer = new_token()  # a new link withdraws the old one
    assert client.post(start_url(token), ADMIN).status_code == 404
    FirstRunToken.objects.update(expires_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    assert client.post(start_url(newer), ADMIN).status_code == 404
    assert not User.objects.exists()


def test_the_token_works_once(client):
    """The token is spent on the first administrator: a second visitor with the same link
    (even a moment later) gets 404 and cannot create a second superuser."""
    token = new_token()
    response = client.post(start_url(token), ADMIN)
    assert response.status_code == 302 and response["Location"] == reverse("setup:steps")
    admin = User.objects.get(username="admin.sambas")
    assert admin.is_superuser and admin.check_password(PASSWORD)
    other = type(client)()
    assert other.get(start_url(token)).status_code == 404
    second = {**ADMIN, "username": "intruder"}
    assert other.post(start_url(token), second).status_code == 404
    assert other.get("/mulai/").status_code == 404  # the steps belong to the new admin
    assert User.objects.filter(is_superuser=True).count() == 1


def test_password_rules_apply(client):
    """A weak password is refused with the validators' message; the token is not spent."""
    token = new_token()
    weak = {**ADMIN, "password1": "12345678", "password2": "12345678"}
    response = client.post(start_url(token), weak)
    assert response.status_code == 400
    assert not User.objects.exists()
    assert FirstRunToken.objects.get().used_at is None


def test_a_bad_organisation_file_shows_the_line_and_writes_nothing(client):
    """An uploaded file with a mistake is refused with its line number; no unit is created."""
    client.post(start_url(new_token()), ADMIN)
    text = SHIPPED_ORGANISATION.read_text().replace('slug = "ekon-sda"', 'slug = "biro-kesra"')
    first, second = (i for i, t in enumerate(text.splitlines(), 1) if t == 'slug = "biro-kesra"')
    upload = SimpleUploadedFile("org.toml", text.encode(), content_type="application/toml")
    response = client.post(reverse("setup:organisation_file"), {"file": upload})
    assert response.status_code == 400
    body = response.content.decode()
    assert f"{second}: " in body and f"(first on line {first})" in body
    assert "biro-kesra" in body
    assert not Unit.objects.exists()


def test_happy_path_on_an_empty_database(client):
    """From nothing to a published catalogue: token → administrator → organisation by form →
    a unit by form → organisation file → a standard uploaded, reported, published → finished;
    afterwards the page is gone for everyone."""
    assert not Unit.objects.exists() and not User.objects.exists()
    token = new_token()
    client.post(start_url(token), ADMIN)

    response = client.get("/mulai/")
    assert response.status_code == 200
    organisation = {
        "name": "Pemerintah Provinsi Kalimantan Barat",
        "short_name": "Pemprov Kalbar",
        "slug": "pemprov-kalbar",
        "code": "KALBAR",
        "time_zone": "Asia/Pontianak",
    }
    assert client.post(reverse("setup:organisation"), organisation).status_code == 302
    root = Unit.objects.get(slug="pemprov-kalbar")
    assert root.parent is None and root.time_zone == "Asia/Pontianak"

    unit = {
        "parent": root.pk,
        "name": "Biro Hukum",
        "slug": "biro-hukum",
        "kind": "bureau",
        "email": "hukum@kalbarprov.go.id",
    }
    assert client.post(reverse("setup:unit"), unit).status_code == 302
    assert Unit.objects.get(slug="biro-hukum").parent == root
    duplicate = client.post(reverse("setup:unit"), unit)
    assert duplicate.status_code == 400 and "biro-hukum" in duplicate.content.decode()

    upload = SimpleUploadedFile("kalbar.toml", SHIPPED_ORGANISATION.read_bytes())
    response = client.post(reverse("setup:organisation_file"), {"file": upload})
    assert response.status_code == 200
    assert "biro-hukum" in response.content.decode()  # reported as not in the file, kept
    assert Unit.objects.count() == 15

    seed = sorted(settings.SEEDS_DIR.glob("*.txt"))[0]
    standard = SimpleUploadedFile(seed.name, seed.read_bytes(), content_type="text/plain")
    response = client.post(reverse("setup:standards"), {"files": [standard]})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Pelayanan Konsultasi" in body and seed.name in body
    created = ServiceStandard.objects.get()
    assert created.unit.slug == "biro-kesra" and created.published_version is None

    draft = created.versions.get()
    assert client.post(reverse("setup:publish"), {"version": [draft.pk]}).status_code == 302
    created.refresh_from_db()
    assert created.published_version == draft

    response = client.post(reverse("setup:finish"))
    assert response.status_code == 302
    assert client.get("/mulai/").status_code == 404
    assert client.get(start_url(token)).status_code == 404
    assert type(client)().get(start_url(token)).status_code == 404
    with pytest.raises(CommandError):
        call_command("first_run_token", stdout=StringIO(), stderr=StringIO())


def test_another_superuser_cannot_use_the_steps(client, org):
    """An existing superuser who did not spend a token does not get the first-run steps."""
    root = User.objects.create_superuser("root", "root@example.org", PASSWORD)
    client.force_login(root)
    assert client.get("/mulai/").status_code == 404
    assert client.post(reverse("setup:finish")).status_code == 404
