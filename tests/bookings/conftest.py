"""Fixtures for facility requests: Biro Umum staff, its rooms, and a helper to file requests."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from layanan.accounts.actors import PUBLIC
from layanan.accounts.models import Role
from layanan.facilities.models import Resource, ResourceKind
from layanan.facilities.services import booking_request_create
from tests.factories import MembershipFactory, UserFactory


def next_monday(weeks: int = 1) -> dt.date:
    today = timezone.localdate()
    return today + dt.timedelta(days=7 * weeks - today.weekday())


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def umum(org):
    return org["biro-umum"]


def _member(username, unit, role):
    user = UserFactory(username=username)
    MembershipFactory(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def umum_head(umum):
    """Head of Biro Umum: approves and refuses facility requests."""
    return _member("umum.kepala", umum, Role.HEAD)


@pytest.fixture
def umum_front(umum):
    """Information officer of Biro Umum: sees requests, may withdraw a pending one."""
    return _member("umum.informasi", umum, Role.FRONT_DESK)


@pytest.fixture
def room(umum):
    return Resource.objects.create(
        unit=umum,
        name="Ruang Rapat Lt. 2",
        kind=ResourceKind.ROOM,
        capacity=20,
        location="Kantor Gubernur, lantai 2",
        rules="Ruangan dikembalikan dalam keadaan bersih.",
    )


@pytest.fixture
def hall(umum):
    return Resource.objects.create(
        unit=umum, name="Aula Utama", kind=ResourceKind.HALL, capacity=300
    )


@pytest.fixture
def monday():
    return next_monday()


@pytest.fixture
def file_request():
    def _file(resource, starts_at, ends_at, **kwargs):
        fields = {
            "actor": PUBLIC,
            "purpose": "Rapat koordinasi",
            "requester_name": "Siti Aminah",
            "requester_email": "siti@example.org",
            "organisation": "Dinas Pendidikan",
            "participants": 10,
        }
        fields.update(kwargs)
        return booking_request_create(
            resource=resource, starts_at=starts_at, ends_at=ends_at, **fields
        )

    return _file


# --- audience requests ---------------------------------------------------------------------------


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
