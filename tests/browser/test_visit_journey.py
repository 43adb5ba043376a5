"""A walk-in guest in real browsers: registers at Biro Kesra's kiosk and gets a ticket; the front
desk calls the ticket and the TV display shows it with the desk (never the name); the desk
serves, routes the consultation to Bagian Bina Mental Spiritual and records the outcome; the
end-of-service screen shows the visit's survey QR, the guest answers on a phone, and the day's
guest book lists the visit.

Screenshots go to ``$LAYANAN_SCREENSHOTS`` when set (``docs/screenshots`` refreshes
``visit-kiosk.png``, ``visit-display.png`` and ``visit-desk.png``), else to a temporary folder.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from layanan.cases.models import Case, Channel, Status
from layanan.surveys.models import SurveyResponse
from layanan.visits.services import visit_register, walk_in_services
from tests.browser.conftest import staff_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_guest_registers_at_the_kiosk_is_called_served_and_routed(
    live_server, browser, org, kesra_front, shots
):
    """Kiosk → ticket A-002 → desk calls it to Loket 2 → the display shows A-002 and Loket 2
    but not the name → the desk serves, routes to Bina Mental and finishes with an outcome."""
    call_command("load_demo", "--no-users", stdout=StringIO())
    # Two guests already in the queue: one waiting 20 minutes (over the 15), one 6 minutes.
    now = timezone.now()
    kesra = org["biro-kesra"]
    consultation = walk_in_services(kesra)[0]
    visit_register(
        actor=kesra_front,
        unit=kesra,
        standard=consultation,
        name="Dewi Lestari",
        phone="081111111111",
        origin="Dinas Pendidikan",
        now=now - dt.timedelta(minutes=20),
    )
    visit_register(
        actor=kesra_front,
        unit=kesra,
        standard=None,
        name="Agus Salim",
        phone="081222222222",
        purpose="Mengantar surat undangan",
        now=now - dt.timedelta(minutes=6),
    )

    # 1. The kiosk: a touch screen in the lobby.
    kiosk_ctx = browser.new_context(
        viewport={"width": 800, "height": 1100}, has_touch=True, locale="id-ID"
    )
    kiosk = kiosk_ctx.new_page()
    kiosk.goto(live_server.url + "/tamu/biro-kesra/")
    with kiosk.expect_navigation():  # the new page, not the old one
        kiosk.locator(".vs-service").first.click()
    kiosk.fill('input[name="phone"]', "0812 3456 7890")
    kiosk.fill('input[name="name"]', "Rahmat Hidayat")
    kiosk.fill('input[name="origin"]', "Yayasan Al-Ikhlas Pontianak")
    kiosk.fill('textarea[name="purpose"]', "Konsultasi bantuan hibah rumah ibadah")
    kiosk.locator('input[name="requirements"]').first.check()
    kiosk.screenshot(path=str(shots / "visit-kiosk.png"), full_page=True)
    with kiosk.expect_navigation():  # the new page, not the old one
        kiosk.locator('button[type="submit"]').click()
    assert kiosk.locator("[data-ticket]").inner_text().strip() == "A-002"
    assert "Rahmat" not in kiosk.content()
    case = Case.objects.get(channel=Channel.KIOSK)
    assert case.channel == Channel.KIOSK and case.status == Status.RECEIVED
    kiosk.screenshot(path=str(shots / "visit-ticket.png"), full_page=True)

    # 2. The front desk signs in and calls the ticket.
    staff_ctx = browser.new_context(viewport={"width": 1280, "height": 800}, locale="id-ID")
    staff = staff_ctx.new_page()
    staff_sign_in(staff, live_server, kesra_front)
    staff.goto(live_server.url + "/staf/tamu/")
    row = staff.locator('tr[data-ticket="A-002"]')
    assert "Rahmat Hidayat" in row.inner_text()
    row.locator('input[name="desk"]').fill("Loket 2")
    with staff.expect_navigation():  # the new page, not the old one
        row.locator('form[action$="/call/"] button').click()

    # 3. The TV display shows the ticket and the desk, not the guest.
    tv_ctx = browser.new_context(viewport={"width": 1280, "height": 720}, locale="id-ID")
    tv = tv_ctx.new_page()
    tv.goto(live_server.url + "/tamu/biro-kesra/layar/")
    assert tv.locator(".vs-now-ticket").inner_text().strip() == "A-002"
    assert "Loket 2" in tv.locator(".vs-now-desk").inner_text()
    assert "Rahmat" not in tv.content() and "Yayasan" not in tv.content()
    tv.screenshot(path=str(shots / "visit-display.png"))

    staff.reload()
    staff.screenshot(path=str(shots / "visit-desk.png"), full_page=True)

    # 4. The desk serves, routes to the Bagian and records the outcome.
    row = staff.locator('tr[data-ticket="A-002"]')
    with staff.expect_navigation():  # the new page, not the old one
        row.locator('form[action$="/serve/"] button').click()
    row = staff.locator('tr[data-ticket="A-002"]')
    row.locator('select[name="division"]').select_option(value=str(org["kesra-bina-mental"].pk))
    with staff.expect_navigation():  # the new page, not the old one
        row.locator('form[action$="/route/"] button').click()
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS
    assert case.assigned_unit == org["kesra-bina-mental"]
    row = staff.locator('tr[data-ticket="A-002"]')
    row.locator('textarea[name="outcome"]').fill("Dijelaskan persyaratan hibah; berkas menyusul.")
    with staff.expect_navigation():  # the new page, not the old one
        row.locator('form[action$="/finish/"] button').click()
    case.refresh_from_db()
    assert case.status == Status.CLOSED
    assert case.visit.served_at is not None and case.visit.outcome.startswith("Dijelaskan")

    # 5. The end-of-service screen: the QR code of this visit's survey, no name.
    assert staff.url.split("?")[0].endswith(f"/kunjungan/{case.visit.pk}/survei/")
    assert staff.locator("[data-survey] svg").count() == 1
    assert "Rahmat" not in staff.content()
    staff.screenshot(path=str(shots / "visit-end-of-service.png"), full_page=True)

    # 6. The guest answers on their phone through that link, once.
    survey_url = staff.locator(".vs-survey-link").get_attribute("href")
    assert survey_url == settings.SITE_URL + f"/survei/{case.survey_invitation.token}/"
    phone_ctx = browser.new_context(viewport={"width": 360, "height": 800}, locale="id-ID")
    phone = phone_ctx.new_page()
    phone.goto(live_server.url + f"/survei/{case.survey_invitation.token}/")
    for number in range(1, 10):
        phone.locator(f'input[name="u{number}"][value="4"]').check()
    with phone.expect_navigation():  # the new page, not the old one
        phone.locator('form button[type="submit"]').last.click()
    assert SurveyResponse.objects.get().case_id == case.pk

    # 7. The guest book of the day holds the visit, with the served time.
    staff.goto(live_server.url + "/staf/tamu/biro-kesra/buku-tamu/")
    book = staff.locator(f'tr[data-visit="{case.visit.pk}"]').inner_text()
    assert "Rahmat Hidayat" in book and "Yayasan Al-Ikhlas Pontianak" in book
    assert staff.locator("tr[data-visit]").count() == 3
    staff.screenshot(path=str(shots / "visit-guest-book.png"), full_page=True)
    for ctx in (kiosk_ctx, staff_ctx, tv_ctx, phone_ctx):
        ctx.close()
