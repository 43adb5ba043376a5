"""Fixtures for facility requests: Biro Umum staff, its rooms, and a helper to file requests.

The sweep over both kinds (``test_reminders.py``) and the messages' wording
(``test_message_wording.py``) also file audiences, with tests/audiences/conftest.py's fixtures
(imported here: a conftest's fixtures are seen only in its directory and below)."""

from __future__ import annotations

import pytest

from layanan.accounts.actors import PUBLIC
from layanan.accounts.models import Role
from layanan.facilities.models import Resource, ResourceKind
from layanan.facilities.services import booking_request_create
from tests.audiences.conftest import file_audience, kesra, scheduled_audience, seeds  # noqa: F401
from tests.dates import next_monday
from tests.factories import MembershipFactory, UserFactory


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
