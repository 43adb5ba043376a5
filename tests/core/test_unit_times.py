"""A unit in another time zone: its deadlines are counted and its case pages are shown in its
own zone (WITA here), while the organisation stays in WIB."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from layanan.accounts.actors import PUBLIC
from layanan.cases.numbering import format_public_code
from layanan.complaints.services import complaint_create

pytestmark = pytest.mark.django_db

WITA = ZoneInfo("Asia/Makassar")


@pytest.fixture
def kesra_in_wita(org):
    kesra = org["biro-kesra"]
    kesra.time_zone = "Asia/Makassar"
    kesra.save()
    return kesra


@pytest.fixture(autouse=True)
def _wednesday_morning(clock):
    """Filed Wed 9 Dec 2026 10:00 WIB, whatever moment the suite runs at: without the seed
    classes a complaint is held to 5 working days, due Wed 16 Dec at closing time (by hand:
    Thu 10, Fri 11, Mon 14, Tue 15, Wed 16), which is 16:00 on a Wednesday."""
    clock.move_to(dt.datetime(2026, 12, 9, 10, 0, tzinfo=ZoneInfo("Asia/Pontianak")))


def new_complaint(unit):
    return complaint_create(
        actor=PUBLIC,
        unit=unit,
        description="Petugas tidak ada di loket.",
        requester_name="Siti Aminah",
        requester_email="siti.aminah@example.com",
    )


def test_due_time_is_closing_time_in_the_units_zone(kesra_in_wita):
    """Office hours are local: the due time is 16:00 WITA (15:00 WIB), not 16:00 WIB."""
    case = new_complaint(kesra_in_wita)
    local = case.due_at.astimezone(WITA)
    assert (local.hour, local.minute) == (16, 0)


def test_tracking_and_staff_pages_show_the_units_zone(client, kesra_in_wita, kesra_officer):
    """The public tracking page and the staff case page say "16.00 WITA"; a case of a WIB
    bureau still says WIB on the same site."""
    case = new_complaint(kesra_in_wita)
    track = reverse(
        "complaints_public:track", kwargs={"code": format_public_code(case.public_code)}
    )
    body = client.get(track).content.decode()
    assert "pukul 16.00 WITA" in body and " WIB" not in body
    client.force_login(kesra_officer)
    body = client.get(reverse("cases:detail", args=[case.number])).content.decode()
    assert "pukul 16.00 WITA" in body


def test_a_wib_units_case_stays_in_wib(client, org):
    """Without a zone of its own, a bureau inherits the organisation's WIB."""
    case = new_complaint(org["biro-perekonomian"])
    assert case.due_at.astimezone(ZoneInfo("Asia/Pontianak")).hour == 16
    track = reverse(
        "complaints_public:track", kwargs={"code": format_public_code(case.public_code)}
    )
    assert "pukul 16.00 WIB" in client.get(track).content.decode()
    assert dt.timedelta(hours=7) == case.due_at.astimezone(ZoneInfo("Asia/Pontianak")).utcoffset()
