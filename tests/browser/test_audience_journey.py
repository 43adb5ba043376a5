"""An audience request from the phone to the reply letter, in a real browser: an organisation
asks Biro Kesra for an audience on /audiensi/ from a phone, attaching its request letter; the
head of Biro Kesra hands it to Bagian Bina Mental, sets the schedule, previews the reply letter
and issues it; the requester downloads the letter from the status page on the phone.

Screenshots are written to ``$LAYANAN_SCREENSHOTS`` when set, else to the test's temporary
folder.
"""

from __future__ import annotations

import datetime as dt
import io
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from layanan.accounts.models import Role
from layanan.cases.models import Case, CaseKind, Status
from layanan.core.models import AuditAction, AuditEntry
from tests.browser.a11y import assert_axe_clean
from tests.browser.conftest import staff_sign_in
from tests.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LETTER = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)


def test_audience_request_with_letter_to_reply_letter_download(
    live_server, browser, phone_page, org, settings, shots
):
    """On a phone the form takes the letter, fits the screen and passes axe; the head disposes,
    schedules, sees the letter in the preview (its number, the web request's letter by number
    and date, "pukul 10.00 WIB") and issues it; the requester's status page offers the issued
    letter, which downloads as that PDF."""
    call_command("load_demo", "--no-users", stdout=StringIO())
    settings.NOTIFY_DISPATCH_ON_COMMIT = False
    settings.SITE_URL = live_server.url
    kesra = org["biro-kesra"]
    head = UserFactory(username="kesra.kepala", full_name="Purwanto Nurdiyanti")
    MembershipFactory(user=head, unit=kesra, role=Role.HEAD)
    today = timezone.localdate()
    wish = today + dt.timedelta(days=7)
    monday = today + dt.timedelta(days=7 - today.weekday())

    # 1. On a phone: the request, with the letter.
    page = phone_page
    page.goto(live_server.url + "/audiensi/")
    page.select_option("#id_unit", str(kesra.pk))
    page.fill("#id_organisation", "Forum Pemuda Lintas Agama Kalimantan Barat")
    page.fill("#id_topic", "Rencana dialog kerukunan umat beragama")
    page.fill("#id_participants", "12")
    page.set_input_files(
        "#id_letter",
        files=[{"name": "surat-permohonan.pdf", "mimeType": "application/pdf", "buffer": LETTER}],
    )
    page.fill("#id_letter_number", "015/FPLA-KB/XII/2026")
    page.fill("#id_letter_date", f"{today - dt.timedelta(days=2):%Y-%m-%d}")
    page.fill("#id_date_1", f"{wish:%Y-%m-%d}")
    page.fill("#id_name", "Yohanes Ahmad")
    page.fill("#id_email", "yohanes@example.org")
    page.check("#id_consent")
    assert no_horizontal_scroll(page)
    assert_axe_clean(page)
    page.screenshot(path=str(shots / "audience-request-phone.png"), full_page=True)
    page.locator(".bk-form button[type=submit]").click()
    page.wait_for_url("**/audiensi/permohonan/**")
    case = Case.objects.get(kind=CaseKind.AUDIENCE)
    assert case.attachments.get().content_type == "application/pdf"
    status_url = page.url.split("?")[0]
    assert no_horizontal_scroll(page)

    # 2. The head of Biro Kesra: disposition, schedule, preview, issue.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    staff = context.new_page()
    staff_sign_in(staff, live_server, head)
    staff.goto(live_server.url + f"/staf/audiensi/permohonan/{case.number}/")
    # The head may hand the new request on; if not, the page's text says what it shows instead.
    assert staff.locator("#aksi-dispose select").count() == 1, staff.locator("main").inner_text()
    staff.select_option("#aksi-dispose select", str(org["kesra-bina-mental"].pk))
    staff.fill("#aksi-dispose textarea", "Agar dijadwalkan dengan Kepala Biro.")
    with staff.expect_navigation():  # the new page, not the old one
        staff.locator('#aksi-dispose button[value="dispose"]').click()
    staff.fill('#aksi-schedule input[name="schedule-starts_at"]', f"{monday:%Y-%m-%d}T10:00")
    staff.fill('#aksi-schedule input[name="schedule-place"]', "Ruang Rapat Biro Kesra")
    staff.fill('#aksi-schedule input[name="schedule-official"]', "Kepala Biro Kesra")
    staff.select_option('#aksi-schedule select[name="schedule-official_user"]', str(head.pk))
    with staff.expect_navigation():  # the new page, not the old one
        staff.locator('#aksi-schedule button[value="schedule"]').click()
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS

    staff.locator("#aksi-reply a").click()
    staff.wait_for_url("**/pratinjau-surat/")
    sheet = staff.locator(".bk-letter-sheet").inner_text()
    number = f"001/AUD/KESRA/{today.year}"
    assert number in sheet
    assert "surat Saudara nomor 015/FPLA-KB/XII/2026 tanggal" in sheet
    assert "pukul 10.00 WIB" in sheet and "nomor - tanggal -" not in sheet
    preview = staff.request.get(staff.url.replace("pratinjau-surat/", "pratinjau-surat.pdf"))
    assert preview.headers["content-type"] == "application/pdf"
    assert number in pdf_text(preview.body())
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS  # previewing issues nothing
    assert_axe_clean(staff)
    staff.screenshot(path=str(shots / "audience-reply-preview.png"), full_page=True)
    with staff.expect_navigation():  # the new page, not the old one
        staff.locator("#aksi-reply button[type=submit]").click()
    case.refresh_from_db()
    assert case.status == Status.ANSWERED and case.audience.reply_number == number
    assert AuditEntry.objects.filter(action=AuditAction.LETTER_ISSUED, actor=head).count() == 1
    context.close()

    # 3. Back on the phone: the status page offers the issued letter.
    page.goto(status_url)
    assert no_horizontal_scroll(page)
    link = page.locator('a[href$="surat-balasan.pdf"]')
    assert link.count() == 1
    assert_axe_clean(page)
    page.screenshot(path=str(shots / "audience-status-letter-phone.png"), full_page=True)
    with page.expect_download() as info:
        link.click()
    download = info.value
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    assert number in text and "pukul 10.00 WIB" in text
    assert "PRATINJAU" not in text and "PREVIEW" not in text
