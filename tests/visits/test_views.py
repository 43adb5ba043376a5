"""Desk, kiosk and display pages: scoping, privacy of the display, rate limit, kept input."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from layanan.cases.models import Case, Channel, Status
from layanan.visits.services import OUTCOME_MAX, visit_call, visit_register


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def make_visit(actor, unit, standard, name="Siti Aminah", phone="081234567890"):
    return visit_register(
        actor=actor,
        unit=unit,
        standard=standard,
        name=name,
        phone=phone,
        origin="Dinas Sosial",
        purpose="Konsultasi",
        requirements=[],
    )


def test_desk_shows_todays_queue_with_the_running_clock(client, kesra_front, org, kesra_walk_in):
    """The front desk sees its guests with ticket, name and a live clock element."""
    make_visit(kesra_front, org["biro-kesra"], kesra_walk_in)
    client.force_login(kesra_front)
    response = client.get(reverse("visits:desk", args=["biro-kesra"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "A-001" in html and "Siti Aminah" in html
    assert 'class="vs-clock"' in html and "visits/desk.js" in html


def test_other_units_staff_get_404(client, ekon_officer, kesra_front, org, kesra_walk_in):
    """Perekonomian's officer cannot open Kesra's desk, its register page or act on its visits:
    404, as for something that does not exist."""
    case = make_visit(kesra_front, org["biro-kesra"], kesra_walk_in)
    client.force_login(ekon_officer)
    assert client.get(reverse("visits:desk", args=["biro-kesra"])).status_code == 404
    assert client.get(reverse("visits:register", args=["biro-kesra"])).status_code == 404
    response = client.post(reverse("visits:action", args=[case.pk, "call"]), {"desk": "X"})
    assert response.status_code == 404
    assert case.events.count() == 1


def test_desk_call_serve_route_finish(client, kesra_front, org, kesra_walk_in):
    """The desk's forms drive the whole flow and redirect back to the desk."""
    case = make_visit(kesra_front, org["biro-kesra"], kesra_walk_in)
    client.force_login(kesra_front)
    url = lambda action: reverse("visits:action", args=[case.pk, action])  # noqa: E731
    assert client.post(url("call"), {"desk": "Loket 2"}).status_code == 302
    assert client.post(url("serve")).status_code == 302
    division = org["kesra-pelayanan-dasar"]
    assert client.post(url("route"), {"division": division.pk}).status_code == 302
    assert client.post(url("finish"), {"outcome": "Sudah dijelaskan"}).status_code == 302
    case.refresh_from_db()
    assert case.status == Status.CLOSED and case.assigned_unit == division
    assert case.visit.desk == "Loket 2"


def test_finish_error_keeps_the_typed_outcome(client, kesra_front, org, kesra_walk_in):
    """An outcome longer than the field takes is refused (400) with the form's own reason on
    the desk page, the typed outcome still in its box, and the visit not finished."""
    case = make_visit(kesra_front, org["biro-kesra"], kesra_walk_in)
    client.force_login(kesra_front)
    client.post(reverse("visits:action", args=[case.visit.pk, "serve"]))
    typed = "Sudah dijelaskan persyaratan rekomendasi bantuan hibah. " * 100
    assert len(typed) > OUTCOME_MAX

    response = client.post(
        reverse("visits:action", args=[case.visit.pk, "finish"]),
        {"outcome": typed},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert f"at most {OUTCOME_MAX} characters" in html
    assert f">{typed}</textarea>" in html
    case.visit.refresh_from_db()
    assert case.visit.finished_at is None and case.visit.outcome == ""


def test_register_form_errors_keep_input(client, kesra_front, org, kesra_walk_in):
    """A bad phone number: 400, the translated error, and name, origin and ticked requirements
    still there."""
    client.force_login(kesra_front)
    url = reverse("visits:register", args=["biro-kesra"]) + "?layanan=pelayanan-konsultasi"
    response = client.post(
        url,
        {
            "phone": "12",
            "name": "Budi Santoso",
            "origin": "LPTQ Kalbar",
            "requirements": ["Surat Tugas"],
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "This telephone number is not valid." in html
    assert 'value="12"' in html
    assert 'value="Budi Santoso"' in html and 'value="LPTQ Kalbar"' in html
    assert 'value="Surat Tugas"' in html and "checked" in html
    assert not Case.objects.exists()


def test_phone_lookup_fills_in_a_returning_visitor(client, kesra_front, org, kesra_walk_in):
    """ "Find by phone number" fills in the name and origin of the unit's returning visitor."""
    make_visit(kesra_front, org["biro-kesra"], kesra_walk_in)
    client.force_login(kesra_front)
    url = reverse("visits:register", args=["biro-kesra"]) + "?layanan=pelayanan-konsultasi"
    response = client.post(url, {"phone": "+62 812-3456-7890", "lookup": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Siti Aminah"' in html and 'value="Dinas Sosial"' in html
    assert Case.objects.count() == 1  # looking up records nothing


def test_kiosk_registers_and_shows_the_ticket(client, org, kesra_walk_in):
    """A guest at the kiosk (no login) chooses the service, fills in the form and gets the
    ticket page with the number and no name."""
    url = reverse("visits:kiosk", args=["biro-kesra"])
    assert "Pelayanan Konsultasi" in client.get(url).content.decode()
    response = client.post(
        url + "?layanan=pelayanan-konsultasi",
        {
            "phone": "081234567890",
            "name": "Rahmat Hidayat",
            "origin": "Pribadi",
            "purpose": "Tanya bantuan rumah ibadah",
            "requirements": ["Tanda pengenal/identitas"],
        },
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.channel == Channel.KIOSK and case.created_by is None
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "A-001" in html and "Rahmat" not in html
    assert page["Cache-Control"].startswith("private") or "no-store" in page["Cache-Control"]


def test_kiosk_is_rate_limited_per_address(client, org, kesra_walk_in, settings, monkeypatch):
    """Past the limit the kiosk answers 429 with Retry-After and records nothing more."""
    settings.VISIT_KIOSK_RATE = (2, 600)
    from layanan.visits.views import public_pages

    monkeypatch.setattr(
        public_pages,
        "KIOSK_RATE",
        public_pages.RateLimit("visit_kiosk_t", "VISIT_KIOSK_RATE", (60, 3600)),
    )
    url = reverse("visits:kiosk", args=["biro-kesra"]) + "?layanan=pelayanan-konsultasi"
    data = {"phone": "081234567890", "name": "A", "purpose": "x"}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    response = client.post(url, data)
    assert response.status_code == 429 and response["Retry-After"]
    assert Case.objects.count() == 2


def test_display_shows_tickets_and_desks_never_names(client, kesra_front, org, kesra_walk_in):
    """The TV page refreshes itself and shows the called ticket and desk — not the name, the
    phone or the origin."""
    case = make_visit(kesra_front, org["biro-kesra"], kesra_walk_in, name="Nama Rahasia Sekali")
    make_visit(kesra_front, org["biro-kesra"], kesra_walk_in, name="Tamu Kedua", phone="0811111111")
    visit_call(actor=kesra_front, case=case, desk="Loket 3")
    response = client.get(reverse("visits:display", args=["biro-kesra"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'http-equiv="refresh"' in html
    assert "A-001" in html and "Loket 3" in html
    for secret in ("Nama Rahasia", "Tamu Kedua", "81234567890", "Dinas Sosial"):
        assert secret not in html


def test_display_of_unknown_unit_is_404(client, org):
    """An unknown unit has no display."""
    assert client.get(reverse("visits:display", args=["tidak-ada"])).status_code == 404
