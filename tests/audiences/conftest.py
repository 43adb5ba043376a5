"""Fixtures for audience requests: Biro Kesra with the seed standards, a helper to file a
request, one disposed and scheduled. tests/bookings/conftest.py imports them for its tests
that cover both kinds."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from layanan.accounts.actors import PUBLIC
from tests.dates import at, next_monday


@pytest.fixture
def seeds(org):
    """The seed standards (Biro Kesra's "Fasilitasi Audiensi": 3 days) and holidays."""
    from django.core.management import call_command

    call_command("load_demo", "--no-users", verbosity=0)
    return org


@pytest.fixture
def kesra(seeds):
    return seeds["biro-kesra"]


@pytest.fixture
def file_audience(kesra):
    """File an audience request with Biro Kesra from the web (override any field)."""
    from layanan.audiences.services import audience_request_create

    def _file(**kwargs):
        fields = {
            "actor": PUBLIC,
            "unit": kesra,
            "organisation": "Forum Pemuda Lintas Agama",
            "topic": "Rencana dialog kerukunan umat beragama",
            "preferred_dates": [timezone.localdate() + dt.timedelta(days=7)],
            "participants": 12,
            "requester_name": "Yohanes Ahmad",
            "requester_email": "yohanes@example.org",
            "requester_phone": "081234567890",
        }
        fields.update(kwargs)
        return audience_request_create(**fields)

    return _file


@pytest.fixture
def scheduled_audience(file_audience, kesra_head, kesra_handler, org):
    """An audience request handed to Bagian Bina Mental and scheduled by its handler."""
    from layanan.audiences.services import audience_dispose, audience_schedule

    case = file_audience()
    audience_dispose(
        actor=kesra_head,
        case=case,
        division=org["kesra-bina-mental"],
        instruction="Agar dijadwalkan dengan Kepala Biro.",
    )
    audience_schedule(
        actor=kesra_handler,
        case=case,
        starts_at=at(next_monday(2) + dt.timedelta(days=3), 10),
        place="Ruang Rapat Biro Kesra",
        official="Kepala Biro Kesejahteraan Rakyat",
    )
    case.refresh_from_db()
    return case
