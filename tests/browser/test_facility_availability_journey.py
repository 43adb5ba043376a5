"""Out of the box, on a 360 px phone, through links only: from the home page to Biro Umum's
facility standard, on to the week of every facility, into the hall's week (next week, by the
plain "Minggu berikutnya" link), from a free stretch to the request form with the hall and the
time filled in, and the request sent. Every page is axe-clean (WCAG 2.1 A/AA, no serious or
critical violation) and has no sideways scroll.

Screenshots go to ``$LAYANAN_SCREENSHOTS`` when set (``docs/screenshots`` refreshes
``facility-week.png``, ``facility-schedule.png`` and ``facility-request-sent.png``), else to the
test's temporary folder.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from layanan.cases.models import Case, Status
from layanan.facilities.models import BookingState, Resource

from .a11y import assert_axe_clean, no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HALL = "Aula Utama Kantor Gubernur"


def check(page) -> None:
    assert no_horizontal_scroll(page), page.url
    assert_axe_clean(page)


def test_from_home_to_a_facility_request_seeing_the_week_first(
    live_server, phone_page, org, settings, shots
):
    """The demo's facilities are there without any set-up; the week view shows when the hall
    is taken (times only) before anyone asks; "Ajukan" beside free time opens the form with the
    hall and that time chosen; the request is received as a Biro Umum facility case."""
    call_command("load_demo", "--force", stdout=StringIO())
    settings.NOTIFY_DISPATCH_ON_COMMIT = False
    hall = Resource.objects.get(name=HALL)
    page = phone_page

    # 1. Home → Biro Umum's facility standard → the facilities' week.
    page.goto(live_server.url + "/")
    check(page)
    with page.expect_navigation():  # the new page, not the old one still loaded
        page.get_by_role("link", name="Fasilitasi Pengguna Sarana Prasarana Kantor").click()
    check(page)
    page.locator('[data-action="facility"] a').click()
    page.wait_for_url("**/fasilitas/jadwal/")
    assert page.locator("table.bk-overview caption").is_visible()
    assert page.locator("table.bk-overview tbody tr").count() == 8
    check(page)
    page.screenshot(path=str(shots / "facility-schedule.png"), full_page=True)

    # 2. The hall's week, then next week by the plain link.
    page.get_by_role("link", name=HALL).click()
    page.wait_for_url(f"**/fasilitas/jadwal/{hall.pk}/**")
    page.get_by_role("link", name="Minggu berikutnya ›").first.click()
    page.wait_for_url("**minggu=*")
    assert "minggu=" in page.url
    held = page.locator('.bk-stretch[data-state="booked"], .bk-stretch[data-state="pending"]')
    assert held.count() >= 1  # the demo's requests for the hall
    assert page.locator('.bk-stretch[data-state="free"]').count() >= 4
    body = page.locator("main").inner_text()
    assert "terpakai" in body or "dipesan" in body
    assert "Gladi bersih" not in body and "Sosialisasi SAKIP" not in body  # never why
    assert page.locator("script").count() == 0
    check(page)
    page.screenshot(path=str(shots / "facility-week.png"), full_page=True)

    # 3. "Ajukan" beside the first free stretch: the form, hall and time filled in.
    free = page.locator('.bk-stretch[data-state="free"]').first
    times = free.locator(".bk-time").inner_text()
    free.get_by_role("link").click()
    page.wait_for_url("**/fasilitas/?sarana=**")
    assert page.locator("#id_resource").input_value() == str(hall.pk)
    starts, ends = page.locator("#id_starts_at").input_value(), page.locator("#id_ends_at")
    assert starts.endswith("T" + times.split("–")[0].replace(".", ":"))
    assert ends.input_value()[:10] == starts[:10]
    check(page)
    page.fill("#id_participants", "150")
    page.fill("#id_purpose", "Seminar literasi digital bagi guru SMA se-Kota Pontianak")
    page.fill("#id_organisation", "Dinas Pendidikan dan Kebudayaan Provinsi Kalimantan Barat")
    page.fill("#id_name", "Rahmat Hidayat")
    page.fill("#id_email", "rahmat@example.org")
    page.set_input_files(  # the surat permohonan: the standard's first requirement
        "#id_letter",
        files=[
            {
                "name": "surat-permohonan.pdf",
                "mimeType": "application/pdf",
                "buffer": b"%PDF-1.4\n% surat permohonan\n",
            }
        ],
    )
    page.locator(".bk-form button[type=submit]").click()

    # 4. The request's page: the tracking code, awaiting the office's decision.
    page.wait_for_url("**/fasilitas/permohonan/**")
    case = Case.objects.get(booking__organisation__startswith="Dinas Pendidikan dan Kebudayaan")
    assert case.unit.slug == "biro-umum" and case.status == Status.RECEIVED
    assert case.booking.resource == hall and case.booking.state == BookingState.REQUESTED
    assert len(page.locator(".bk-code code").inner_text()) == 14
    check(page)
    page.screenshot(path=str(shots / "facility-request-sent.png"), full_page=True)
