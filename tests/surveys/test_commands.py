"""manage.py ikm: the figures of the worked example, as text and as JSON."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from layanan.surveys.models import SurveyPeriod

from .conftest import add_responses
from .test_ikm import WORKED


def ikm(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    with translation.override("en"):
        call_command("ikm", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_text_output(kesra, kesra_service):
    """Respondents, each element's NRR, the converted IKM with two decimals, grade and
    performance; the sample warning goes to stderr."""
    add_responses(WORKED, unit=kesra, service=kesra_service)
    out, err = ikm(
        "--unit", "biro-kesra", "--service", kesra_service.slug, "--from", "2026-01-01",
        "--to", "2026-06-30", "--population", "100",
    )  # fmt: skip
    assert "Respondents: 4" in out
    assert "U1 " in out and "NRR 3.50" in out and "NRR 2.75" in out and "NRR 4.00" in out
    assert "converted: 81.25" in out
    assert "Service quality: B; unit performance: Good" in out
    assert "minimum sample (Krejcie–Morgan): 80" in out
    assert "Warning:" in err and "80" in err


@pytest.mark.django_db
def test_json_output(kesra, kesra_service):
    """--json prints IkmResult.as_dict(): the shape the API will reuse."""
    add_responses(WORKED, unit=kesra, service=kesra_service)
    out, _err = ikm("--unit", "biro-kesra", "--json", "--population", "4")
    data = json.loads(out)
    assert data["respondents"] == 4
    assert [e["nrr"] for e in data["elements"]] == [
        3.5,
        3.5,
        2.75,
        4.0,
        3.0,
        3.25,
        3.75,
        2.75,
        2.75,
    ]
    assert data["ikm"] == 3.25
    assert data["ikm_converted"] == 81.25
    assert (data["grade"], data["performance"]) == ("B", "baik")
    assert (data["min_sample"], data["sample_sufficient"]) == (4, True)
    assert data["unit"] == "biro-kesra" and data["service"] is None


@pytest.mark.django_db
def test_period_and_bad_arguments(kesra):
    """--period reads the period's dates and its people served; bad arguments are clear
    errors."""
    import datetime

    SurveyPeriod.objects.create(
        unit=kesra, name="Semester I 2026", slug="kesra-2026-1",
        start=datetime.date(2026, 1, 1), end=datetime.date(2026, 6, 30), population=1000,
    )  # fmt: skip
    add_responses(WORKED, unit=kesra)
    data = json.loads(ikm("--unit", "biro-kesra", "--period", "kesra-2026-1", "--json")[0])
    assert (data["from"], data["to"], data["min_sample"]) == ("2026-01-01", "2026-06-30", 278)
    for args, message in [
        (("--unit", "nope"), "Unknown unit"),
        (("--unit", "biro-kesra", "--service", "nope"), "Unknown service"),
        (("--unit", "biro-kesra", "--from", "kemarin"), "Not a date"),
        (("--unit", "biro-kesra", "--from", "2026-02-01", "--to", "2026-01-01"), "after"),
        (("--unit", "biro-kesra", "--period", "nope"), "Unknown survey period"),
    ]:
        with pytest.raises(CommandError, match=message):
            ikm(*args)
