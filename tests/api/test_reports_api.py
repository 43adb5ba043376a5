"""GET /api/v1/ikm: the satisfaction index as ikm_compute gives it, public, errors as JSON."""

from __future__ import annotations

import datetime as dt

import pytest

from layanan.surveys.models import SurveyResponse

pytestmark = pytest.mark.django_db


@pytest.fixture
def responses(org):
    # u1..u9: one respondent all 4s, one all 3s → NRR 3.5 each, IKM 3.5 → 87.50 (B, baik).
    for value, day in ((4, 10), (3, 11)):
        SurveyResponse.objects.create(
            unit=org["kesra-bina-mental"],
            channel="kiosk",
            answered_on=dt.date(2026, 10, day),
            comment="Nama saya Siti",
            **{f"u{i}": value for i in range(1, 10)},
        )
    SurveyResponse.objects.create(
        unit=org["biro-perekonomian"],
        channel="kiosk",
        answered_on=dt.date(2026, 10, 10),
        **{f"u{i}": 1 for i in range(1, 10)},
    )


def test_ikm_of_a_unit_includes_its_sub_units(client, responses):
    """Respondents, NRR per element, converted IKM with two decimals, grade and performance;
    the Bagian's responses count for the Biro; no comment text leaks."""
    response = client.get(
        "/api/v1/ikm", {"unit": "biro-kesra", "from": "2026-10-01", "to": "2026-10-31"}
    )
    assert response.status_code == 200
    data = response.json()
    assert data["respondents"] == 2
    assert [e["nrr"] for e in data["elements"]] == [3.5] * 9
    assert data["ikm_converted"] == 87.5 and data["grade"] == "B" and data["performance"] == "baik"
    assert data["from"] == "2026-10-01" and data["to"] == "2026-10-31"
    assert "Siti" not in response.content.decode()


def test_ikm_date_range_filters(client, responses):
    """`to` is inclusive: only the first day's respondent."""
    data = client.get("/api/v1/ikm", {"unit": "biro-kesra", "to": "2026-10-10"}).json()
    assert data["respondents"] == 1 and data["ikm_converted"] == 100.0 and data["grade"] == "A"


def test_ikm_without_responses(client, org):
    """No responses: zero respondents and null figures, not an error."""
    data = client.get("/api/v1/ikm", {"unit": "biro-umum"}).json()
    assert data["respondents"] == 0 and data["ikm_converted"] is None and data["grade"] is None


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"unit": "no-such-unit"}, 404, "unknown_unit"),
        ({"unit": "biro-kesra", "service": "no-such-service"}, 404, "unknown_service"),
        ({"unit": "biro-kesra", "from": "2026-10-31", "to": "2026-10-01"}, 400, "invalid_range"),
        ({"unit": "biro-kesra", "from": "31-10-2026"}, 400, "invalid_request"),
        ({"unit": "biro-kesra", "to": "0"}, 400, "invalid_request"),
    ],
)
def test_ikm_errors_are_json(client, org, params, status, code):
    """Bad parameters answer {"detail", "code"} with a stable code and a translated sentence."""
    response = client.get("/api/v1/ikm", params, HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == status
    body = response.json()
    assert body["code"] == code and body["detail"]
