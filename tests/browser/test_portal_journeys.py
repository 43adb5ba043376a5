"""The front door in a real browser: a citizen on a 360 px phone starts at ``/`` and reaches
each goal through links only (no typed address) — files a complaint about a service and gets
the receipt with its code, tracks a complaint with the code, sends an audience request. Every
page on the way is axe-clean (WCAG 2.1 A/AA, no serious or critical violation) and never scrolls
sideways.

Screenshots (the home on a phone and a desk, a standard page, each journey's last page) are
written to ``$LAYANAN_SCREENSHOTS`` when set (``docs/screenshots`` to refresh the ones in the
repository), else to the test's temporary folder.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from layanan.accounts.actors import PUBLIC
from layanan.cases.models import Case, CaseKind, Status
from layanan.cases.numbering import format_public_code
from layanan.complaints.services import complaint_create
from tests.browser.a11y import assert_axe_clean, no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(org, settings, live_server):
    """The demo catalogue (Kesra's audience and consultation, Perekonomian's consultation, Umum's
    facility service), no staff; notifications kept in the outbox."""
    call_command("load_demo", "--no-users", stdout=StringIO())
    settings.NOTIFY_DISPATCH_ON_COMMIT = False
    settings.SITE_URL = live_server.url
    return org


def check(page) -> None:
    """What every page on a journey must pass: no sideways scroll, no script, axe-clean."""
    page.wait_for_load_state()
    assert no_horizontal_scroll(page), page.url
    assert page.locator("script").count() == 0, page.url
    assert_axe_clean(page)


def test_home_on_a_phone_and_a_desk(live_server, browser, phone_page, demo, shots):
    """The home page offers the six entries of the front door on a phone and on a 1366 px desk,
    each visible without sideways scrolling."""
    page = phone_page
    page.goto(live_server.url + "/")
    check(page)
    for name in (
        "Sampaikan pengaduan",
        "Lacak pengaduan/permohonan",
        "Ajukan audiensi",
        "Pinjam sarana",
        "Isi survei",
        "Hasil survei & kinerja layanan",
    ):
        tile = page.locator(".portal-tile", has_text=name)
        assert tile.count() == 1, name
        box = tile.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360, name
    page.screenshot(path=str(shots / "portal-home-phone.png"), full_page=True)

    desk = browser.new_context(viewport={"width": 1366, "height": 900}, locale="id-ID")
    try:
        wide = desk.new_page()
        wide.goto(live_server.url + "/")
        check(wide)
        wide.screenshot(path=str(shots / "portal-home-desktop.png"), full_page=True)
    finally:
        desk.close()


def test_complaint_journey_from_home_to_receipt(live_server, phone_page, demo, shots):
    """Home → a service's page → "Adukan layanan ini" (unit and service already chosen) → the
    receipt with its tracking code; the complaint is filed against that service."""
    page = phone_page
    page.goto(live_server.url + "/")
    check(page)
    page.locator("#unit-biro-perekonomian").locator("xpath=..").get_by_role(
        "link", name="Pelayanan Konsultasi"
    ).click()
    page.wait_for_url("**/layanan/biro-perekonomian/pelayanan-konsultasi/")
    check(page)
    page.screenshot(path=str(shots / "portal-standard.png"), full_page=True)

    page.get_by_role("link", name="Adukan layanan ini").click()
    page.wait_for_url("**/pengaduan/biro-perekonomian/?layanan=pelayanan-konsultasi")
    check(page)
    selected = page.locator("#id_service option:checked").inner_text()
    assert selected == "Pelayanan Konsultasi — Biro Perekonomian"
    page.fill("#id_description", "Jadwal konsultasi dibatalkan tanpa pemberitahuan.")
    page.fill("#id_name", "Rahmawati")
    page.fill("#id_email", "rahmawati@example.com")
    page.check("#id_consent")
    page.get_by_role("button", name="Kirim pengaduan").click()

    page.wait_for_url("**/pengaduan/diterima/**")
    check(page)
    code = page.locator(".code-big").get_attribute("data-code")
    assert len(code) == 14
    page.screenshot(path=str(shots / "portal-complaint-receipt.png"), full_page=True)
    case = Case.objects.get(kind=CaseKind.COMPLAINT, requester_email="rahmawati@example.com")
    assert format_public_code(case.public_code) == code
    assert (case.unit.slug, case.standard.slug) == ("biro-perekonomian", "pelayanan-konsultasi")


def test_tracking_journey_from_home(live_server, phone_page, demo, shots):
    """A citizen holding a code on paper: home → "Lacak pengaduan/permohonan" → types the code
    (lower case, with spaces, as people do) → sees the status in plain words."""
    case = complaint_create(
        actor=PUBLIC,
        unit=demo["biro-kesra"],
        description="Loket informasi tutup pada jam layanan.",
        requester_name="Siti Aminah",
        requester_email="siti@example.com",
    )
    code = format_public_code(case.public_code)
    page = phone_page
    page.goto(live_server.url + "/")
    check(page)
    page.locator(".portal-tile", has_text="Lacak pengaduan/permohonan").click()
    page.wait_for_url("**/lacak/")
    check(page)
    page.fill("#id_kode", code.lower().replace("-", " "))
    page.get_by_role("button", name="Lacak").click()
    page.wait_for_url(f"**/lacak/{code}/")
    check(page)
    assert page.locator(f'[data-status="{Status.RECEIVED}"]').is_visible()
    assert "Siti" not in page.content()
    page.screenshot(path=str(shots / "portal-track.png"), full_page=True)


def test_audience_journey_from_home(live_server, phone_page, demo, shots):
    """Home → "Ajukan audiensi" → the form (the only office taking audiences already chosen),
    with the request letter attached → sent: the status page with the tracking code."""
    page = phone_page
    page.goto(live_server.url + "/")
    check(page)
    page.locator(".portal-tile", has_text="Ajukan audiensi").click()
    page.wait_for_url("**/audiensi/")
    check(page)
    assert page.locator("#id_unit option:checked").inner_text() == "Biro Kesejahteraan Rakyat"
    page.fill("#id_organisation", "Forum Pemuda Lintas Agama")
    page.fill("#id_topic", "Dialog kerukunan antarumat beragama menjelang hari raya.")
    page.fill("#id_participants", "12")
    page.set_input_files(  # the request letter: the standard's requirement
        "#id_letter",
        files=[
            {
                "name": "surat-permohonan.pdf",
                "mimeType": "application/pdf",
                "buffer": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
            }
        ],
    )
    page.fill("#id_date_1", (timezone.localdate() + dt.timedelta(days=10)).isoformat())
    page.fill("#id_name", "Yohanes Ahmad")
    page.fill("#id_email", "yohanes@example.org")
    page.check("#id_consent")
    page.get_by_role("button", name="Kirim permohonan").click()

    page.wait_for_url("**/audiensi/permohonan/**")
    check(page)
    case = Case.objects.get(kind=CaseKind.AUDIENCE)
    assert format_public_code(case.public_code) in page.content()
    assert "Yohanes" not in page.content()
    page.screenshot(path=str(shots / "portal-audience-sent.png"), full_page=True)
