"""``cases/notifications.py``: how a request's requester is written to — e-mail when there is
an address (the attachment read only then), WhatsApp with the short text otherwise (only when
the sender has one and WhatsApp is on), nobody else — and queued so that a message that fails
never undoes the decision it reports."""

from __future__ import annotations

import logging

import pytest
from django.db import transaction

from layanan.accounts.actors import SYSTEM
from layanan.cases.models import Case, CaseKind, Channel
from layanan.cases.notifications import queue_for_requester, requester_message
from layanan.cases.services import case_create
from layanan.notify.models import OutboxMessage


def _case(org, **contact):
    return case_create(
        actor=SYSTEM,
        kind=CaseKind.FACILITY,
        unit=org["biro-umum"],
        channel=Channel.WEB,
        requester_name="Yayasan Khatulistiwa",
        **contact,
    )


@pytest.mark.django_db
def test_email_first_with_the_attachment(org, settings):
    """An address wins over a telephone number; the document goes with the e-mail."""
    settings.WHATSAPP_ENABLED = True
    case = _case(org, requester_email="yayasan@example.org", requester_phone="0812-3456-7890")
    pdf = ("pemberitahuan.pdf", b"%PDF-1.7", "application/pdf")

    message = requester_message(
        case, subject="Keputusan", body="Isi", short="Singkat", attachments=lambda: [pdf]
    )

    assert message == {
        "channel": "email",
        "recipient": "yayasan@example.org",
        "subject": "Keputusan",
        "body": "Isi",
        "attachments": [pdf],
    }


@pytest.mark.django_db
def test_whatsapp_only_with_a_short_text_and_whatsapp_on(org, settings):
    """Telephone only: WhatsApp with the short text (its own subject when given), the
    attachment never read; no short text, or WhatsApp off: nobody."""
    case = _case(org, requester_phone="0812-3456-7890")

    def unread():
        raise AssertionError("the attachment is read only for an e-mail")

    settings.WHATSAPP_ENABLED = True
    assert requester_message(
        case,
        subject="Keputusan",
        body="Isi",
        short="Singkat",
        short_subject="NO/1",
        attachments=unread,
    ) == {
        "channel": "whatsapp",
        "recipient": "+6281234567890",
        "subject": "NO/1",
        "body": "Singkat",
    }
    assert requester_message(case, subject="Keputusan", body="Isi", short=None) is None

    settings.WHATSAPP_ENABLED = False
    assert requester_message(case, subject="Keputusan", body="Isi", short="Singkat") is None


@pytest.mark.django_db
def test_a_message_that_fails_is_logged_and_the_decision_stays(org, caplog):
    """The caller's own write survives a message that could not be queued; the failure is in
    the log with the case; nothing half-queued remains."""
    case = _case(org, requester_email="yayasan@example.org")

    def compose():
        OutboxMessage.objects.create(channel="email", recipient="x@example.org", subject="s")
        raise RuntimeError("template missing")

    with transaction.atomic():
        Case.objects.filter(pk=case.pk).update(requester_name="Yayasan Baru")
        with caplog.at_level(logging.ERROR, logger="layanan.cases"):
            queue_for_requester(case, compose, what="approved")

    assert Case.objects.get(pk=case.pk).requester_name == "Yayasan Baru"
    assert not OutboxMessage.objects.filter(recipient="x@example.org").exists()
    assert f"Could not queue the approved message of case {case.pk}" in caplog.text


@pytest.mark.django_db
def test_queued_messages_reach_the_outbox_in_the_callers_transaction(org):
    """What compose returns is queued — and goes when the caller's transaction rolls back."""
    case = _case(org, requester_email="yayasan@example.org")
    row = {
        "channel": "email",
        "recipient": "yayasan@example.org",
        "subject": "Keputusan",
        "body": "Isi",
        "dedupe_key": f"case:{case.pk}:test",
        "case_id": case.pk,
    }
    with pytest.raises(RuntimeError), transaction.atomic():
        queue_for_requester(case, lambda: [row], what="approved")
        assert OutboxMessage.objects.filter(dedupe_key=row["dedupe_key"]).exists()
        raise RuntimeError("the decision failed later")
    assert not OutboxMessage.objects.filter(dedupe_key=row["dedupe_key"]).exists()

    queue_for_requester(case, lambda: [row], what="approved")
    assert OutboxMessage.objects.filter(dedupe_key=row["dedupe_key"]).count() == 1
