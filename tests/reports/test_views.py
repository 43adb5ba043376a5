"""Report pages: who may see what, and that the public page carries aggregates only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from layanan.cases.models import CaseKind, Status

from .conftest import at, make_case

MONTH = "2026-10"


@pytest.fixture
def data(org):
    kesra = org["biro-kesra"]
    start = at("2026-10-05", "08:00")
    for i in range(3):
        make_case(
            kesra,
            received=start,
            due=start + dt.timedelta(hours=3),
            first_response=start + dt.timedelta(minutes=15),
            closed=start + dt.timedelta(hours=2 + i),
            requester_name="Siti Rahmawati",
            requester_email="siti@example.org",
            subject="Jalan rusak di Gang Melati",
        )
    make_case(
        kesra,
        received=at("2026-10-09"),
        due=at("2026-10-12"),
        kind=CaseKind.CONSULTATION,
        status=Status.IN_PROGRESS,
        assigned_unit=org["kesra-bina-mental"],
        requester_name="Budi Santoso",
    )
    return kesra


def test_public_dashboard_shows_figures_and_no_personal_data(client, data):
    """/laporan/ answers without login, with the month's figures and charts, and never a
    requester's name, e-mail, subject or case number."""
    response = client.get("/laporan/", {"unit": "biro-kesra", "bulan": MONTH})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and 'role="img"' in html
    assert "Biro Kesejahteraan Rakyat" in html
    for secret in ("Siti", "siti@example.org", "Gang Melati", "Budi", "T/complaint/"):
        assert secret not in html


def test_public_dashboard_bad_month_is_a_message_not_an_error(client, data):
    """A month that cannot be read gives a translated message and this month's figures."""
    response = client.get("/laporan/", {"bulan": "2026-13"})
    assert response.status_code == 200
    assert "2026-13" in response.content.decode()
    assert client.get("/laporan/", {"unit": "no-such-unit"}).status_code == 404


def test_public_dashboard_query_count_is_constant(
    client, data, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    """The public dashboard is a bounded number of aggregate queries, whatever the cases (the
    new cases of the closed month forget its stored figures once they commit)."""
    from django.core.cache import cache

    cache.clear()
    with django_assert_max_num_queries(45):
        client.get("/laporan/", {"unit": "biro-kesra", "bulan": MONTH})
    with django_capture_on_commit_callbacks(execute=True):
        for _i in range(20):
            make_case(
                data, received=at("2026-10-06"), closed=at("2026-10-07"), due=at("2026-10-08")
            )
    cache.clear()
    with django_assert_max_num_queries(45):
        response = client.get("/laporan/", {"unit": "biro-kesra", "bulan": MONTH})
    assert "24 kasus diterima" in response.content.decode()


def test_head_sees_own_unit_dashboard(client, data, kesra_head):
    """The head of Biro Kesra reads the staff dashboard of the bureau, with download links."""
    client.force_login(kesra_head)
    response = client.get(reverse("reports:dashboard"), {"bulan": MONTH})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Biro Kesejahteraan Rakyat" in html
    assert reverse("reports:monthly_pdf", args=["biro-kesra", MONTH]) in html


def test_other_units_head_gets_404(client, data, org, kesra_head, ekon_officer):
    """Another unit's report is a 404 for the head of Kesra, on the dashboard and downloads."""
    from layanan.accounts.models import Membership, Role

    client.force_login(kesra_head)
    assert (
        client.get(reverse("reports:dashboard"), {"unit": "biro-perekonomian"}).status_code == 404
    )
    for name in ("monthly_pdf", "monthly_xlsx"):
        assert (
            client.get(reverse(f"reports:{name}", args=["biro-perekonomian", MONTH])).status_code
            == 404
        )
    assert client.get(reverse("reports:skm", args=["biro-perekonomian"])).status_code == 404
    # The head of another bureau cannot read Kesra's.
    Membership.objects.create(user=ekon_officer, unit=org["biro-perekonomian"], role=Role.HEAD)
    client.force_login(ekon_officer)
    assert client.get(reverse("reports:monthly_pdf", args=["biro-kesra", MONTH])).status_code == 404
    assert client.get(reverse("reports:dashboard"), {"unit": "biro-kesra"}).status_code == 404


def test_staff_without_report_role_is_refused(client, data, kesra_officer, kesra_handler):
    """Complaint officers and handlers have no report role: 403."""
    for user in (kesra_officer, kesra_handler):
        client.force_login(user)
        assert client.get(reverse("reports:dashboard")).status_code == 403


def test_auditor_reads_every_unit(client, data, auditor):
    """The auditor reads every unit's dashboard but may not write the follow-up plan."""
    client.force_login(auditor)
    assert client.get(reverse("reports:dashboard"), {"unit": "biro-kesra"}).status_code == 200
    url = reverse("reports:skm", args=["biro-kesra"])
    assert client.get(url).status_code == 200
    assert client.post(url, {"text": "Rencana"}).status_code == 403


def test_bad_month_in_download_url_is_404(client, data, kesra_head):
    """A month in the URL that is not YYYY-MM is a 404, not an error page."""
    client.force_login(kesra_head)
    assert (
        client.get(reverse("reports:monthly_pdf", args=["biro-kesra", "2026-99"])).status_code
        == 404
    )


def test_staff_pages_query_count_is_constant(
    client, data, kesra_head, django_assert_max_num_queries
):
    """The staff dashboard and the SKM page stay within a fixed number of queries however many
    cases there are."""
    client.force_login(kesra_head)
    for _i in range(25):
        make_case(data, received=at("2026-10-06"), closed=at("2026-10-07"), due=at("2026-10-08"))
    with django_assert_max_num_queries(50):
        assert client.get(reverse("reports:dashboard"), {"bulan": MONTH}).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("reports:skm", args=["biro-kesra"])).status_code == 200
