"""The admin edits holidays through the services: an edit protects a synced row."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from layanan.workdays.models import Holiday, HolidaySource

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    from tests.factories import UserFactory

    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def test_editing_a_synced_holiday_makes_it_manual(superuser_client):
    """Saving a changed package row through the admin sets source=manual."""
    row = Holiday.objects.create(
        date=dt.date(2026, 5, 15),
        name="Cuti Bersama Kenaikan",
        kind="cuti_bersama",
        source=HolidaySource.PACKAGE,
    )
    response = superuser_client.post(
        reverse("admin:workdays_holiday_change", args=[row.pk]),
        {
            "date": "2026-05-15",
            "name": "Cuti Bersama (SKB baru)",
            "kind": "cuti_bersama",
            "note": "SKB perubahan",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    row.refresh_from_db()
    assert (row.name, row.source) == ("Cuti Bersama (SKB baru)", HolidaySource.MANUAL)


def test_saving_unchanged_keeps_the_package_source(superuser_client):
    """Pressing save without changes does not take the row away from the sync."""
    row = Holiday.objects.create(
        date=dt.date(2026, 5, 15),
        name="Cuti Bersama Kenaikan",
        kind="cuti_bersama",
        source=HolidaySource.PACKAGE,
    )
    superuser_client.post(
        reverse("admin:workdays_holiday_change", args=[row.pk]),
        {"date": "2026-05-15", "name": "Cuti Bersama Kenaikan", "kind": "cuti_bersama", "note": ""},
    )
    row.refresh_from_db()
    assert row.source == HolidaySource.PACKAGE


def test_admin_lists_filter_by_year_and_delete_cancels(superuser_client):
    """The changelist filters by year; deleting a synced row cancels it."""
    Holiday.objects.create(date=dt.date(2026, 1, 1), name="A", source=HolidaySource.PACKAGE)
    Holiday.objects.create(date=dt.date(2027, 1, 1), name="B", source=HolidaySource.PACKAGE)
    changelist = reverse("admin:workdays_holiday_changelist")
    response = superuser_client.get(changelist, {"year": "2027"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list.values_list("name", flat=True)) == ["B"]
    for name in ("officehours", "officehoursoverride"):
        assert superuser_client.get(reverse(f"admin:workdays_{name}_changelist")).status_code == 200
    row = Holiday.objects.get(name="A")
    superuser_client.post(reverse("admin:workdays_holiday_delete", args=[row.pk]), {"post": "yes"})
    row.refresh_from_db()
    assert row.cancelled and row.source == HolidaySource.MANUAL
