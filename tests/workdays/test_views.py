"""The staff calendar page: staff only, a year's months with weekends and holidays marked, the
holiday list and the office-hour overrides."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from layanan.workdays.models import Holiday, OfficeHours, OfficeHoursOverride

from .conftest import CUTI, NATIONAL

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def url(year=2026, **query):
    base = reverse("workdays:calendar_year", args=[year])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def cell(html: str, title: str) -> str:
    """The class attribute of the day cell whose title is ``title``."""
    match = re.search(r'<span class="([^"]+)" title="' + re.escape(title) + '"', html)
    assert match, title
    return match.group(1)


def test_anonymous_is_sent_to_login(client):
    """Login required."""
    response = client.get(url())
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_user_without_a_staff_role_is_refused(client, db):
    """A signed-in account without any role gets 403."""
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(url(), **EN).status_code == 403


def test_staff_sees_the_year(client, kesra_front, holidays_2026, django_assert_max_num_queries):
    """Any staff role may look: Nyepi is marked national, its eve cuti bersama, Saturdays as
    weekend; the list shows the 25 holidays of 2026; a bounded number of queries."""
    client.force_login(kesra_front)
    with django_assert_max_num_queries(12):
        response = client.get(url(), **EN)
    assert response.status_code == 200
    html = response.content.decode()
    assert cell(html, "holiday 2026-03-19") == f"d-{NATIONAL}"
    assert cell(html, "holiday 2026-03-18") == f"d-{CUTI}"
    # 2026 has 104 weekend days; 4 are holidays (Sat 21 & Sun 22 Mar, Sun 5 Apr, Sun 31 May).
    assert html.count('<span class="d-weekend">') == 104 - 4
    assert "25 holidays in 2026" in html
    assert html.count('<tr class="cancelled">') == 0


def test_year_navigation_and_default_year(client, kesra_front):
    """Without a year the page shows the current one; previous/next links exist; an absurd
    year is a 404; the page warns when the year has no holidays yet."""
    client.force_login(kesra_front)
    response = client.get(reverse("workdays:calendar"), **EN)
    assert response.status_code == 200
    assert response.context["year"] == timezone.localdate().year
    html = client.get(url(2031), **EN).content.decode()
    assert reverse("workdays:calendar_year", args=[2030]) in html
    assert reverse("workdays:calendar_year", args=[2032]) in html
    assert "sync_holidays 2031" in html
    assert client.get(url(3000), **EN).status_code == 404


def test_overrides_and_unit_hours(client, kesra_front, org, holidays_2026):
    """For Bagian Bina Mental: Biro Kesra's own week (inherited, open on Saturday), Kesra's
    closure and the global Ramadan hours are listed, another bureau's override is not; the
    closed day is marked."""
    kesra = org["biro-kesra"]
    for weekday in range(5):
        OfficeHours.objects.create(
            unit=kesra, weekday=weekday, opens=dt.time(7, 30), closes=dt.time(16)
        )
    OfficeHours.objects.create(unit=kesra, weekday=5, opens=dt.time(8), closes=dt.time(12))
    OfficeHoursOverride.objects.create(
        date_from=dt.date(2026, 2, 19),
        date_to=dt.date(2026, 3, 19),
        weekdays="0123",
        opens=dt.time(8),
        closes=dt.time(15),
        reason="Ramadan 1447 H",
    )
    OfficeHoursOverride.objects.create(
        unit=kesra,
        date_from=dt.date(2026, 3, 10),
        date_to=dt.date(2026, 3, 10),
        closed=True,
        reason="Pindah kantor",
    )
    OfficeHoursOverride.objects.create(
        unit=org["biro-umum"],
        date_from=dt.date(2026, 4, 7),
        date_to=dt.date(2026, 4, 7),
        closed=True,
        reason="Rapat Biro Umum",
    )
    client.force_login(kesra_front)
    html = client.get(url(unit="kesra-bina-mental"), **EN).content.decode()
    assert "Ramadan 1447 H" in html and "Pindah kantor" in html
    assert "Rapat Biro Umum" not in html
    assert cell(html, "Pindah kantor") == "d-closed"
    assert "08.00–12.00" in html  # Saturday, inherited from Biro Kesra
    assert "Inherited from Biro Kesra." in html
    assert "only on Mon, Tue, Wed, Thu" in html
    assert client.get(url(unit="nope"), **EN).status_code == 404


def test_cancelled_holiday_is_listed_struck_through(client, kesra_front, holidays_2026):
    """A cancelled cuti bersama stays in the list, marked, and the day is a working day."""
    Holiday.objects.filter(date=dt.date(2026, 5, 15)).update(cancelled=True)
    client.force_login(kesra_front)
    html = client.get(url(), **EN).content.decode()
    assert html.count('<tr class="cancelled">') == 1
    assert "24 holidays in 2026" in html
