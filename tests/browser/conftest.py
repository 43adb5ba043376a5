"""Fixtures shared by the browser journeys."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture
def shots(tmp_path) -> Path:
    """Where a journey writes its screenshots: ``$LAYANAN_SCREENSHOTS`` when set
    (``docs/screenshots`` refreshes the ones in the repository), else the test's temporary
    folder."""
    folder = Path(os.environ.get("LAYANAN_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def staff_sign_in(page, live_server, user) -> None:
    """Sign ``user`` in on ``page`` through the login form (the factories' password) and wait
    until the browser has left the login page: a test must not go on (and later fail somewhere
    unrelated) on a login that was refused; the page's text says why it was."""
    from tests.factories import DEFAULT_PASSWORD

    page.goto(live_server.url + "/akun/masuk/")
    page.fill('input[name="username"]', user.username)
    page.fill('input[name="password"]', DEFAULT_PASSWORD)
    with page.expect_navigation():  # the new page, not the old one
        page.locator("form:has(input[type=password]) button[type=submit]").click()
    assert "/akun/masuk/" not in page.url, page.locator("main").inner_text()


@pytest.fixture
def umum_room(org, settings, live_server):
    """Biro Umum with the seed standards, its head and its meeting room (with rules of use);
    messages stay queued and links point at the live server. Returns (head, room)."""
    from io import StringIO

    from django.core.management import call_command

    from layanan.accounts.models import Role
    from layanan.facilities.models import Resource, ResourceKind
    from tests.factories import MembershipFactory, UserFactory

    call_command("load_demo", "--no-users", stdout=StringIO())
    settings.NOTIFY_DISPATCH_ON_COMMIT = False
    settings.SITE_URL = live_server.url
    umum = org["biro-umum"]
    head = UserFactory(username="umum.kepala", full_name="Kepala Biro Umum")
    MembershipFactory(user=head, unit=umum, role=Role.HEAD)
    room = Resource.objects.create(
        unit=umum,
        name="Ruang Rapat Lt. 2",
        kind=ResourceKind.ROOM,
        capacity=20,
        rules="Ruangan dikembalikan dalam keadaan bersih.",
    )
    return head, room
