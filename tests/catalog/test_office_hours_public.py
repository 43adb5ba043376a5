"""Office hours (jam pelayanan) of a unit on its public page, its standards' pages and posters."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.cache import cache
from django.db import transaction
from django.utils import translation
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from layanan.catalog import poster
from layanan.core.models import Unit
from layanan.workdays.models import OfficeHours, OfficeHoursOverride
from layanan.workdays.office_hours import group_week, special_hours, weekly_hours
from tests.factories import published_standard

pytestmark = pytest.mark.django_db

ID = {"HTTP_ACCEPT_LANGUAGE": "id"}
DEFAULT_WORDS = "Senin–Kamis 07.30–16.00 WIB, Jumat 07.30–16.30 WIB"


@pytest.fixture
def standard(org):
    return published_standard(
        standard__unit=org["biro-kesra"],
        standard__name="Pelayanan Konsultasi",
        standard__slug="pelayanan-konsultasi",
        number=1,
    )


def _t(h, m=0):
    return dt.time(h, m)


def test_week_groups_equal_consecutive_days_and_leaves_out_closed_ones():
    """Equal consecutive days form one group, a day with other hours breaks the run, closed days
    are not printed (hand-written expectation)."""
    week = {
        0: (_t(8), _t(16)),
        1: (_t(8), _t(16)),
        2: (_t(8), _t(12)),
        3: (_t(8), _t(16)),
        4: (_t(8), _t(16)),
        5: (_t(8), _t(12)),
        6: None,
    }
    with translation.override("en"):
        lines = group_week(week)
    assert [(line.days, line.hours) for line in lines] == [
        ("Monday–Tuesday", "08.00–16.00"),
        ("Wednesday", "08.00–12.00"),
        ("Thursday–Friday", "08.00–16.00"),
        ("Saturday", "08.00–12.00"),
    ]
    assert group_week({d: None for d in range(7)}) == ()


def test_default_week_reads_like_the_regulation_text(org):
    """A unit without hours of its own (and no ancestor with any) shows the system default, in
    Indonesian with the unit's zone (Asia/Pontianak: WIB)."""
    with translation.override("id"):
        assert str(weekly_hours(org["biro-kesra"])) == DEFAULT_WORDS


def test_hours_and_zone_come_from_the_nearest_unit(org):
    """A Bagian without hours inherits its bureau's week; a bureau in a WITA zone says WITA."""
    bureau = org["biro-kesra"]
    for day in range(5):
        OfficeHours.objects.create(unit=bureau, weekday=day, opens=_t(8), closes=_t(15, 30))
    Unit.objects.filter(pk=bureau.pk).update(time_zone="Asia/Makassar")
    division = Unit.objects.get(slug="kesra-bina-mental")
    with translation.override("id"):
        assert str(weekly_hours(division)) == "Senin–Jumat 08.00–15.30 WITA"


def test_unit_and_standard_pages_show_the_hours(client, org, standard):
    """The unit page and the standard page both carry the service hours in their contact card."""
    for url in ("/unit/biro-kesra/", standard.get_absolute_url()):
        body = client.get(url, **ID).content.decode()
        assert "data-office-hours" in body
        assert "Senin–Kamis 07.30–16.00 WIB" in body
        assert "Jumat 07.30–16.30 WIB" in body


def test_pages_announce_special_hours_in_the_next_month(client, org, standard, clock):
    """An override starting within 30 days is announced with its reason; one further away is
    not yet; another unit's override never shows."""
    today = dt.date(2026, 12, 9)
    OfficeHoursOverride.objects.create(
        unit=org["biro-kesra"],
        date_from=today + dt.timedelta(days=15),
        date_to=today + dt.timedelta(days=16),
        closed=True,
        reason="Pindah kantor",
    )
    OfficeHoursOverride.objects.create(
        unit=org["biro-kesra"],
        date_from=today + dt.timedelta(days=60),
        date_to=today + dt.timedelta(days=61),
        closed=True,
        reason="Jauh di depan",
    )
    OfficeHoursOverride.objects.create(
        unit=org["biro-umum"], date_from=today, date_to=today, closed=True, reason="Unit lain"
    )
    assert [s.reason for s in special_hours(org["biro-kesra"], today=today)] == ["Pindah kantor"]
    body = client.get("/unit/biro-kesra/", **ID).content.decode()
    assert "Pindah kantor" in body
    assert "Jauh di depan" not in body
    assert "Unit lain" not in body


def test_poster_prints_the_hours_and_changes_with_them(
    client, org, standard, django_capture_on_commit_callbacks
):
    """The poster's header carries the hours; changing them changes the poster's key (no stale
    poster is served) and queues a new rendering after commit."""
    cache.clear()
    old_key = poster.poster_key(standard)
    response = client.get(standard.get_absolute_url() + "poster.pdf")
    text = " ".join(
        (page.extract_text() or "") for page in PdfReader(io.BytesIO(response.content)).pages
    )
    assert "07.30–16.00 WIB" in " ".join(text.split())

    DBTaskResult.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        OfficeHours.objects.create(unit=org["biro-kesra"], weekday=0, opens=_t(8), closes=_t(14))
    assert poster.poster_key(standard) != old_key
    assert DBTaskResult.objects.filter(
        task_path="layanan.catalog.tasks.render_poster", args_kwargs__args=[standard.pk]
    ).exists()
    response = client.get(standard.get_absolute_url() + "poster.pdf")
    text = " ".join(
        (page.extract_text() or "") for page in PdfReader(io.BytesIO(response.content)).pages
    )
    assert "Senin 08.00–14.00 WIB" in " ".join(text.split())
