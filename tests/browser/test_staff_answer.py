"""The complaint officer on a 320 px phone: the case with a waiting draft opens on "Send the
answer", and sending shows the answer as the reporter will read it before anything goes out —
no JavaScript needed, no sideways scrolling, no serious accessibility violation.

Screenshots go to ``$LAYANAN_SCREENSHOTS`` when set, else to the test's temporary folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from layanan.cases.models import Status
from layanan.cases.workflow import case_answer_draft, case_transition
from layanan.complaints.services import complaint_assign
from tests.browser.a11y import assert_axe_clean, no_horizontal_scroll
from tests.browser.conftest import staff_sign_in
from tests.cases.test_inbox import file_complaint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANSWER = "Petugas loket telah dibina.\n\nMulai Senin loket dibuka pukul 07.30."


def test_officer_sends_a_drafted_answer_after_seeing_it_as_the_reporter_will(
    live_server, browser, org, kesra_officer, kesra_handler, tmp_path
):
    """The draft's panel is the first and open; the preview shows the tracking page's card with
    the text; only the confirm button sends it."""
    shots = Path(os.environ.get("LAYANAN_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    case = file_complaint(kesra_officer, org["biro-kesra"], subject="Loket tutup")
    case_transition(actor=kesra_officer, case=case, to=Status.VERIFIED)
    complaint_assign(
        actor=kesra_officer, case=case, division=org["kesra-bina-mental"], assignee=kesra_handler
    )
    case_answer_draft(actor=kesra_handler, case=case, answer=ANSWER)

    context = browser.new_context(viewport={"width": 320, "height": 720}, locale="id-ID")
    context.route("**/*.js", lambda route: route.abort())  # nothing may need JavaScript
    page = context.new_page()
    staff_sign_in(page, live_server, kesra_officer)
    assert page.url.endswith("/staf/kasus/")  # the complaint officer lands on the inbox

    page.goto(live_server.url + f"/staf/kasus/{case.number}/")
    first = page.locator("details.action").first
    assert first.get_attribute("id") == "aksi-answer"
    assert first.get_attribute("open") is not None
    assert no_horizontal_scroll(page)
    page.screenshot(path=str(shots / "staff-case-due-step.png"), full_page=True)

    with page.expect_navigation():  # the new page, not the old one
        first.locator('button[type="submit"]').click()
    preview = page.locator("[data-answer-preview] .cp-answer")
    assert "Mulai Senin loket dibuka pukul 07.30." in preview.inner_text()
    assert no_horizontal_scroll(page)
    assert_axe_clean(page)
    page.screenshot(path=str(shots / "staff-answer-confirm.png"), full_page=True)
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS  # nothing sent yet

    with page.expect_navigation():  # the new page, not the old one
        page.locator('button[name="answer-confirmed"]').click()
    case.refresh_from_db()
    assert case.status == Status.ANSWERED
    assert case.complaint.answer.replace("\r\n", "\n") == ANSWER
    context.close()
