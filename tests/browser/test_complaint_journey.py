"""A complaint from start to answer, in real browsers: a citizen on a phone files it on
/pengaduan/ and keeps the code from the receipt; the complaint officer signs in on /akun/masuk/
in a second browser context and verifies, classifies and answers it on the staff case page; the
citizen reads the answer on the tracking page.

Screenshots of the three public pages are written to ``$LAYANAN_SCREENSHOTS`` when set (``docs/
screenshots`` to refresh the ones in the repository), else to the test's temporary folder.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from layanan.cases.models import Case, Status
from tests.browser.conftest import staff_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANSWER = "Mulai Senin loket informasi dibuka pukul 07.30 dan ditambah satu petugas."


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def staff_action(page, action: str, fields: dict[str, str], *, select: bool = False) -> None:
    """Open the action's panel on the staff case page, fill it and submit it."""
    panel = page.locator(f"#aksi-{action}")
    if panel.get_attribute("open") is None:
        panel.locator("summary").click()
    for name, value in fields.items():
        field = panel.locator(f'[name="{action}-{name}"]')
        if select:
            field.select_option(value)
        else:
            field.fill(value)
    with page.expect_navigation():  # wait for the answer, not the page still showing
        panel.locator('button[type="submit"]').click()


def test_citizen_files_officer_answers_citizen_reads_the_answer(
    live_server, browser, phone_page, org, kesra_officer, settings, shots
):
    """The whole journey on a 360 px phone: no JavaScript needed, no sideways scrolling, the code
    from the receipt opens the tracking page, and the officer's answer appears there — without
    the officer's or the citizen's name."""
    call_command("load_demo", "--no-users", stdout=StringIO())
    settings.NOTIFY_DISPATCH_ON_COMMIT = False
    settings.SITE_URL = live_server.url
    kesra = org["biro-kesra"]
    page = phone_page

    # 1. The citizen fills in the form on a phone.
    page.goto(live_server.url + "/pengaduan/")
    assert page.locator("script").count() == 0
    page.select_option("#id_unit", str(kesra.pk))
    page.fill("#id_description", "Saya datang pukul 08.00 tetapi loket informasi masih tutup.")
    page.fill("#id_subject", "Loket informasi tutup")
    page.fill("#id_name", "Rahmawati")
    page.fill("#id_email", "rahmawati@example.com")
    page.check("#id_consent")
    assert no_horizontal_scroll(page)
    page.screenshot(path=str(shots / "complaint-form.png"), full_page=True)
    page.get_by_role("button", name="Kirim pengaduan").click()

    # 2. The receipt: the code, a QR code, the due time.
    page.wait_for_url("**/pengaduan/diterima/**")
    code = page.locator(".code-big").get_attribute("data-code")
    assert len(code) == 14
    assert page.locator(".cp-qr svg").is_visible()
    assert "WIB" in page.locator(".cp-due").inner_text()
    assert no_horizontal_scroll(page)
    page.screenshot(path=str(shots / "complaint-receipt.png"), full_page=True)
    case = Case.objects.get()
    assert case.status == Status.RECEIVED

    # 3. The officer signs in in another browser and handles the complaint on the case page.
    staff_context = browser.new_context(viewport={"width": 1100, "height": 900}, locale="id-ID")
    staff = staff_context.new_page()
    staff_sign_in(staff, live_server, kesra_officer)
    staff.goto(live_server.url + f"/staf/kasus/{case.number}/")
    assert case.number in staff.content()
    staff_action(staff, "verify", {})
    staff_action(staff, "classify", {"class_code": "ringan"}, select=True)
    staff_action(staff, "answer", {"answer": ANSWER})
    # Nothing is sent yet: the officer reads the answer as the citizen will, then confirms.
    assert ANSWER in staff.locator("[data-answer-preview] .cp-answer").inner_text()
    with staff.expect_navigation():
        staff.locator('button[name="answer-confirmed"]').click()
    staff_context.close()
    case.refresh_from_db()
    assert case.status == Status.ANSWERED
    assert case.complaint.class_code == "ringan"

    # 4. The citizen opens the tracking page from the receipt and reads the answer.
    page.get_by_role("link", name="Pantau pengaduan saya").click()
    page.wait_for_url(f"**/lacak/{code}/")
    assert page.locator('[data-status="answered"]').is_visible()
    assert ANSWER in page.locator(".cp-answer").inner_text()
    history = page.locator(".cp-timeline").inner_text()
    assert "ringan" in history.lower()
    body = page.content()
    assert "Rahmawati" not in body
    assert kesra_officer.username not in body and kesra_officer.full_name not in body
    assert no_horizontal_scroll(page)
    page.screenshot(path=str(shots / "complaint-track.png"), full_page=True)


def test_choosing_anonymous_hides_the_identity_fields_and_explains_why(
    live_server, phone_page, org
):
    """On the phone, "Anonim" hides name, e-mail and telephone and shows that no message will
    come — with CSS only, no script."""
    call_command("load_demo", "--no-users", stdout=StringIO())
    page = phone_page
    page.goto(live_server.url + "/pengaduan/")
    assert page.locator("#id_email").is_visible()
    assert not page.locator(".cp-anon-note").is_visible()
    page.locator(".cp-mode-anonymous input").check()
    assert not page.locator("#id_email").is_visible()
    assert not page.locator("#id_consent").is_visible()
    note = page.locator(".cp-anon-note")
    assert note.is_visible() and "kode pelacakan" in note.inner_text()
