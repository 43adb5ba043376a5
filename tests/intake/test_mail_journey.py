"""The whole mail journey in a real browser, against the real IMAP and SMTP servers: a
citizen's mail lands in Biro Kesra's queue, the officer turns it into a complaint with the
keyboard-friendly page and answers it on the case page, the answer goes back by e-mail in the
citizen's own thread, and the citizen's reply to it joins the case."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from layanan.cases.models import Case, CaseEvent, Channel, Status
from layanan.intake.models import IntakeMessage, IntakeStatus, Mailbox
from layanan.intake.poller import poll_mailbox
from layanan.notify.dispatch import outbox_dispatch
from tests.browser.a11y import assert_axe_clean, no_horizontal_scroll
from tests.factories import DEFAULT_PASSWORD

from . import mails

pytestmark = [pytest.mark.browser, pytest.mark.smtp, pytest.mark.django_db(transaction=True)]

ANSWER = "Bantuan untuk keluarga Ibu dikirim melalui kelurahan pada hari Jumat."


def test_mail_to_complaint_to_answer_in_the_same_thread(
    live_server, browser, kesra_mailbox, imap_server, imap_account, kesra_officer, smtp_server
):
    """Mail → queue → complaint (received when the mail arrived) → answer by e-mail with
    In-Reply-To the citizen's message → the citizen's reply on the case's timeline; the queue
    and the message page pass axe-core and never scroll sideways on a phone."""
    arrived = timezone.now().replace(microsecond=0) - dt.timedelta(hours=1)
    imap_server.deliver(*imap_account, mails.quoted_printable_indonesian(), at=arrived)
    assert poll_mailbox(kesra_mailbox).queued == 1

    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
    page = context.new_page()
    page.goto(live_server.url + "/akun/masuk/")
    form = page.locator("form:has(input[type=password])")
    form.locator('input[name="username"]').fill(kesra_officer.username)
    form.locator('input[name="password"]').fill(DEFAULT_PASSWORD)
    form.locator('button[type="submit"]').click()
    page.wait_for_load_state()

    page.goto(live_server.url + "/staf/kasus/")
    assert page.locator("[data-intake-waiting]").get_attribute("data-intake-waiting") == "1"
    page.locator(".intake-link a").click()
    page.wait_for_url("**/staf/masuk/")
    assert_axe_clean(page)
    assert no_horizontal_scroll(page)
    page.get_by_role("link", name="Pengaduan: jalan rusak").click()
    page.wait_for_url("**/staf/masuk/*/")
    assert "musim hujan tahun lalu" in page.locator("[data-message-text]").inner_text()
    assert_axe_clean(page)
    assert no_horizontal_scroll(page)
    page.locator("#aksi-convert button[type=submit]").click()
    page.wait_for_url("**/staf/masuk/")  # nothing else waits: back to the queue

    case = Case.objects.get()
    assert (case.channel, case.received_at) == (Channel.EMAIL, arrived)
    assert case.requester_email == "rudi@warga.example"

    page.goto(live_server.url + f"/staf/kasus/{case.number}/")
    for action, fields in (("verify", {}), ("answer", {"answer": ANSWER})):
        panel = page.locator(f"#aksi-{action}")
        if panel.get_attribute("open") is None:
            panel.locator("summary").click()
        for name, value in fields.items():
            panel.locator(f'[name="{action}-{name}"]').fill(value)
        panel.locator('button[type="submit"]').click()
        page.wait_for_load_state()
    # The officer reads the answer as the citizen will, then confirms it.
    page.locator('button[name="answer-confirmed"]').click()
    page.wait_for_load_state()
    case.refresh_from_db()
    assert case.status == Status.ANSWERED

    outbox_dispatch()
    sent = smtp_server.wait_for(2)
    answer = next(m for m in sent if ANSWER in m.get_payload(decode=True).decode())
    assert answer["In-Reply-To"] == "<qp-1@warga.example>"
    assert answer["Reply-To"] == "kesra@kalbarprov.go.id"
    assert answer["Subject"].startswith("Re: Pengaduan: jalan rusak")

    imap_server.deliver(
        *imap_account,
        mails.reply(
            in_reply_to=answer["Message-ID"],
            subject="Re: jawaban",
            sender="Bapak Rudi <rudi@warga.example>",
            message_id="<qp-2@warga.example>",
            body="Terima kasih, tetapi jalan di RT 05 belum termasuk.\r\n",
        ),
        at=timezone.now(),
    )
    assert poll_mailbox(Mailbox.objects.get()).added_to_cases == 1
    reply = IntakeMessage.objects.get(external_id="<qp-2@warga.example>")
    assert (reply.status, reply.case) == (IntakeStatus.ATTACHED, case)
    assert CaseEvent.objects.filter(case=case, kind="requester_message").exists()
    page.goto(live_server.url + f"/staf/kasus/{case.number}/")
    assert "jalan di RT 05 belum termasuk" in page.content()
    context.close()
