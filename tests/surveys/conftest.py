"""Fixtures for the survey tests: published services in Biro Kesra and one of its Bagian, and a
helper that writes responses straight to the table (the services are tested separately)."""

from __future__ import annotations

import datetime

import pytest

from layanan.surveys.models import ResponseChannel, SurveyResponse
from layanan.surveys.questionnaire import ELEMENT_FIELDS

from ..factories import published_standard


@pytest.fixture
def kesra(org):
    return org["biro-kesra"]


@pytest.fixture
def kesra_service(org):
    return published_standard(
        standard__unit=org["biro-kesra"], standard__name="Layanan Konsultasi Kesra"
    )


@pytest.fixture
def binmental_service(org):
    return published_standard(
        standard__unit=org["kesra-bina-mental"], standard__name="Fasilitasi Keagamaan"
    )


def add_responses(
    rows, *, unit, service=None, answered_on=datetime.date(2026, 3, 2), channel="kiosk"
):
    """One SurveyResponse per row of nine answers."""
    return SurveyResponse.objects.bulk_create(
        SurveyResponse(
            unit=unit,
            service=service,
            channel=channel or ResponseChannel.KIOSK,
            answered_on=answered_on,
            **dict(zip(ELEMENT_FIELDS, row, strict=True)),
        )
        for row in rows
    )
