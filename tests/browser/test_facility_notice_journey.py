"""Seed 004 on a phone, end to end: someone on a 320 px phone asks for Biro Umum's meeting room
with the request letter attached (a wrong file first: refused, the typing kept); the head of
Biro Umum approves on the request's page; the requester opens the request's page again and
downloads the numbered notice (pemberitahuan) PDF with the tracking code.
"""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest
from django.utils import timezone

from layanan.cases.models import Case, Status
from layanan.facilities.models import BookingState
from tests.browser.a11y import assert_axe_clean, no_horizontal_scroll
from tests.browser.conftest import staff_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LETTER = b"%PDF-1.4\n% surat permohonan LPTQ\n"


@pytest.mark.parametrize("width", [320, 390])
def test_request_with_letter_approved_and_notice_downloaded_on_a_phone(
    live_server, browser, umum_room, tmp_path, width
):
    """Phone form with the letter (a text file posing as PDF is refused by its content, the
    typing is kept, the page still fits and passes axe), the head approves, the requester's
    page offers the notice and the download is the stored PDF with the notice's number."""
    head, room = umum_room
    today = timezone.localdate()
    wednesday = today + dt.timedelta(days=7 - today.weekday() + 2)

    context = browser.new_context(
        viewport={"width": width, "height": 760},
        is_mobile=True,
        has_touch=True,
        locale="id-ID",
        accept_downloads=True,
    )
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.locator('a[href="/fasilitas/"]').first.click()  # reached from the home page
    page.wait_for_url("**/fasilitas/")
    page.select_option("#id_resource", str(room.pk))
    page.fill("#id_starts_at", f"{wednesday:%Y-%m-%d}T09:00")
    page.fill("#id_ends_at", f"{wednesday:%Y-%m-%d}T11:00")
    page.fill("#id_participants", "15")
    page.fill("#id_purpose", "Rapat koordinasi persiapan MTQ tingkat provinsi")
    page.fill("#id_organisation", "LPTQ Provinsi Kalimantan Barat")
    page.fill("#id_name", "Siti Aminah")
    page.fill("#id_email", "siti@example.org")
    fake = {"name": "surat.pdf", "mimeType": "application/pdf", "buffer": b"bukan pdf"}
    page.set_input_files("#id_letter", files=[fake])
    with page.expect_navigation():  # the refused form comes back at the same address
        page.locator(".bk-form button[type=submit]").click()
    # Refused by content, clearly, and nothing typed is lost.
    error = page.locator("#field-letter .field-error")
    assert error.count() == 1 and "surat.pdf" in error.inner_text()
    assert page.input_value("#id_purpose").startswith("Rapat koordinasi")
    assert page.input_value("#id_email") == "siti@example.org"
    assert not Case.objects.exists()
    assert no_horizontal_scroll(page)
    assert_axe_clean(page)
    letter = {"name": "surat-permohonan.pdf", "mimeType": "application/pdf", "buffer": LETTER}
    page.set_input_files("#id_letter", files=[letter])
    page.locator(".bk-form button[type=submit]").click()
    page.wait_for_url("**/fasilitas/permohonan/**")
    status_url = page.url.split("?")[0]
    case = Case.objects.get()
    assert case.attachments.get().content_type == "application/pdf"
    assert page.locator(".bk-notice a").count() == 0  # no notice before the decision
    assert no_horizontal_scroll(page)

    # The head of Biro Umum approves it.
    staff_context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="id-ID")
    staff = staff_context.new_page()
    staff_sign_in(staff, live_server, head)
    staff.goto(live_server.url + f"/staf/fasilitas/permohonan/{case.number}/")
    with staff.expect_navigation():
        staff.locator('#aksi-approve button[value="approve"]').click()
    staff_context.close()
    case.refresh_from_db()
    assert case.status == Status.ANSWERED and case.booking.state == BookingState.APPROVED
    notice = case.booking.notice

    # The requester downloads the notice from the request's page.
    page.goto(status_url)
    link = page.locator(".bk-notice a")
    assert notice.number in link.inner_text()
    assert no_horizontal_scroll(page)
    assert_axe_clean(page)
    with page.expect_download() as info:
        link.click()
    path = tmp_path / "pemberitahuan.pdf"
    info.value.save_as(path)
    data = path.read_bytes()
    with notice.file.open("rb") as handle:
        assert data == handle.read()
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout
    assert notice.number.encode() in text
    context.close()
