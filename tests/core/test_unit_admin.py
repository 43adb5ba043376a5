"""After loading, units are edited in the admin: contacts, time zone and the week's hours."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from layanan.workdays.deadlines import Calendar
from layanan.workdays.models import OfficeHours
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_admin_edits_a_units_zone_and_hours(client, org):
    """The unit's change page has the time zone and an inline week; saving both changes what
    the calendar counts with."""
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    kesra = org["biro-kesra"]
    url = reverse("admin:core_unit_change", args=[kesra.pk])
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert 'name="time_zone"' in body and "office_hours-TOTAL_FORMS" in body
    data = {
        "parent": kesra.parent_id,
        "name": kesra.name,
        "short_name": kesra.short_name,
        "slug": kesra.slug,
        "code": kesra.code,
        "kind": kesra.kind,
        "position": kesra.position,
        "address": kesra.address,
        "phone": kesra.phone,
        "whatsapp": kesra.whatsapp,
        "email": kesra.email,
        "website": kesra.website,
        "time_zone": "Asia/Makassar",
        "office_hours-TOTAL_FORMS": "1",
        "office_hours-INITIAL_FORMS": "0",
        "office_hours-MIN_NUM_FORMS": "0",
        "office_hours-MAX_NUM_FORMS": "7",
        "office_hours-0-weekday": "5",
        "office_hours-0-opens": "08:00",
        "office_hours-0-closes": "12:00",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    kesra.refresh_from_db()
    assert kesra.time_zone == "Asia/Makassar"
    assert OfficeHours.objects.get(unit=kesra).weekday == 5
    saturday = Calendar.for_unit(kesra).hours(dt.date(2026, 12, 12))
    assert saturday[0].utcoffset() == dt.timedelta(hours=8)
    assert (saturday[0].hour, saturday[1].hour) == (8, 12)
