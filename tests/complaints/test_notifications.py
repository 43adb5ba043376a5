"""Messages to the reporter through the outbox: e-mail at receipt, classification, answer,
closing and reopening, delivered by a real SMTP server (aiosmtpd); nothing for anonymous
reporters; WhatsApp only when switched on; queued in the same transaction as the change; kept
when the mail server is down and sent once it is back."""

from __future__ import annotations

from email.header import decode_header, make_header
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction

from layanan.accounts.actors import PUBLIC
from layanan.cases.models import Status
from layanan.cases.numbering import format_public_code
from layanan.cases.workflow import case_reopen_by_requester, case_transition
from layanan.complaints.services import complaint_answer, complaint_classify, complaint_create
from layanan.notify.models import OutboxMessage, OutboxStatus
from tests.conftest import free_port

pytestmark = pytest.mark.django_db(transaction=True)

SITE = "https://layanan.example.go.id"


@pytest.fixture(autouse=True)
def _settings(settings):
    cache.clear()
    settings.NOTIFY_DISPATCH_ON_COMMIT = False
    settings.NOTIFY_MAX_ATTEMPTS = 6
    settings.NOTIFY_MAILER = "default"
    settings.WHATSAPP_ENABLED = False
    settings.SITE_URL = SITE
    settings.DEFAULT_FROM_EMAIL = "Layanan Kalbar <layanan@kalbarprov.go.id>"


@pytest.fixture
def kesra(org):
    call_command("load_demo", "--no-users", stdout=StringIO())
    return org["biro-kesra"]


def file_complaint(unit, **kwargs):
    defaults = {
        "actor": PUBLIC,
        "unit": unit,
        "description": "Loket tutup pada jam layanan.",
        "requester_name": "Siti Aminah",
        "requester_email": "siti@example.com",
        "requester_phone": "0812 3456 7890",
    }
    defaults.update(kwargs)
    return complaint_create(**defaults)


def dispatch() -> str:
    out = StringIO()
    call_command("dispatch_outbox", stdout=out)
    return out.getvalue()


def subject_of(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def body_of(message) -> str:
    part = message.get_payload(decode=True)
    if part is None:  # multipart
        part = message.get_payload()[0].get_payload(decode=True)
    return part.decode(message.get_content_charset() or "utf-8")


def test_receipt_email_has_code_number_and_tracking_link(smtp_server, kesra):
    """At receipt the reporter gets an Indonesian e-mail with the code, the number and the
    tracking link on SITE_URL, sent through real SMTP by the dispatcher."""
    case = file_complaint(kesra)
    dispatch()
    (message,) = smtp_server.wait_for(1)
    code = format_public_code(case.public_code)
    assert message["To"] == "siti@example.com"
    assert subject_of(message) == f"Pengaduan Anda telah diterima – {code}"
    body = body_of(message)
    assert "Yth. Pelapor" in body
    assert code in body and case.number in body
    assert f"{SITE}/lacak/{code}/" in body
    assert "pukul" in body
    assert OutboxMessage.objects.get().status == OutboxStatus.SENT


def test_an_email_at_each_stage_and_none_carries_internal_notes_or_staff_names(
    smtp_server, kesra, kesra_officer
):
    """Classification, answer, closing (with the survey link) and reopening each send one
    e-mail; internal notes, the officer's name and the answer text stay out of them."""
    kesra_officer.full_name = "Bambang Pengelola"
    kesra_officer.save()
    case = file_complaint(kesra)
    complaint_classify(actor=kesra_officer, case=case, class_code="normatif")
    case_transition(
        actor=kesra_officer,
        case=case,
        to=Status.IN_PROGRESS,
        note="RAHASIA: disposisi ke Bagian",
        internal_note=True,
    )
    complaint_answer(actor=kesra_officer, case=case, answer="Loket kini buka tepat waktu.")
    case_transition(actor=kesra_officer, case=case, to=Status.CLOSED)
    case_reopen_by_requester(case=case, reason="Masih tutup kemarin.")
    dispatch()
    messages = smtp_server.wait_for(5)
    code = format_public_code(case.public_code)
    assert [subject_of(m) for m in messages] == [
        f"Pengaduan Anda telah diterima – {code}",
        f"Pengaduan Anda telah diklasifikasikan – {code}",
        f"Pengaduan Anda telah dijawab – {code}",
        f"Pengaduan Anda telah ditutup – {code}",
        f"Pengaduan Anda telah dibuka kembali – {code}",
    ]
    assert "normatif" in body_of(messages[1]).lower()
    assert "14 hari" in body_of(messages[3])
    # the closing message carries the case's one satisfaction-survey link (SKM)
    token = case.survey_invitation.token
    assert f"{SITE}/survei/{token}/" in body_of(messages[3])
    for message in messages:
        body = body_of(message)
        assert "RAHASIA" not in body
        assert "Bambang" not in body and kesra_officer.username not in body
        assert f"{SITE}/lacak/{code}/" in body


def test_a_request_for_more_information_tells_the_reporter_what_is_needed(
    smtp_server, kesra, kesra_officer
):
    """Waiting for the reporter (the clock stops) e-mails them the officer's public request
    (never the internal note), that the time limit stands still, and the tracking link."""
    case = file_complaint(kesra)
    case_transition(
        actor=kesra_officer,
        case=case,
        to=Status.WAITING,
        public_note="Mohon kirim foto loket yang tutup beserta tanggalnya.",
        note="RAHASIA: pelapor sering mengadu",
    )
    dispatch()
    messages = smtp_server.wait_for(2)
    code = format_public_code(case.public_code)
    assert subject_of(messages[1]) == f"Pengaduan Anda memerlukan keterangan tambahan – {code}"
    body = body_of(messages[1])
    assert "Mohon kirim foto loket yang tutup beserta tanggalnya." in body
    assert "RAHASIA" not in body  # the internal note stays on the staff page
    assert "batas waktu dihentikan" in body.lower()
    assert f"{SITE}/lacak/{code}/" in body


def test_anonymous_reporter_is_never_sent_anything(smtp_server, kesra, kesra_officer, settings):
    """Anonymous: no identity, so no outbox row at any stage, on any channel."""
    settings.WHATSAPP_ENABLED = True
    case = file_complaint(kesra, anonymous=True)
    complaint_classify(actor=kesra_officer, case=case, class_code="normatif")
    case_transition(actor=kesra_officer, case=case, to=Status.IN_PROGRESS)
    complaint_answer(actor=kesra_officer, case=case, answer="Sudah ditindaklanjuti.")
    case_transition(actor=kesra_officer, case=case, to=Status.CLOSED)
    assert not OutboxMessage.objects.exists()
    dispatch()
    assert smtp_server.messages == []


def test_no_email_without_an_address(kesra):
    """A reporter who gave only a phone number gets no e-mail (and no WhatsApp while it is
    switched off, the default)."""
    file_complaint(kesra, requester_email="")
    assert not OutboxMessage.objects.exists()


def test_whatsapp_is_queued_only_when_switched_on(kesra, settings):
    """With WHATSAPP_ENABLED and a phone number, a short WhatsApp text with the link is queued
    beside the e-mail, the number normalised."""
    settings.WHATSAPP_ENABLED = True
    case = file_complaint(kesra)
    wa = OutboxMessage.objects.get(channel="whatsapp")
    assert wa.recipient == "6281234567890"
    assert format_public_code(case.public_code) in wa.body
    assert f"{SITE}/lacak/" in wa.body
    assert OutboxMessage.objects.filter(channel="email").count() == 1


def test_message_is_queued_in_the_transaction_of_the_change(kesra, kesra_officer):
    """A classification that rolls back leaves no message behind."""
    case = file_complaint(kesra)
    before = OutboxMessage.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        complaint_classify(actor=kesra_officer, case=case, class_code="normatif")
        assert OutboxMessage.objects.count() == before + 1
        raise RuntimeError("rolled back")
    assert OutboxMessage.objects.count() == before


def test_mail_server_down_keeps_the_message_and_sends_it_later(smtp_server, kesra, settings):
    """SMTP unreachable: the receipt stays pending in the outbox with the error; once the server
    is back (and the backoff has passed) the next dispatch delivers it."""
    working = settings.MAILERS
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
        }
    }
    case = file_complaint(kesra)
    dispatch()
    row = OutboxMessage.objects.get()
    assert row.status == OutboxStatus.PENDING
    assert row.attempts == 1 and row.last_error
    assert smtp_server.messages == []

    settings.MAILERS = working
    OutboxMessage.objects.filter(pk=row.pk).update(next_attempt_at=row.created_at)
    dispatch()
    (message,) = smtp_server.wait_for(1)
    assert format_public_code(case.public_code) in subject_of(message)
    assert OutboxMessage.objects.get().status == OutboxStatus.SENT


def test_web_form_submission_queues_the_receipt(client, kesra):
    """Filing through /pengaduan/ with an e-mail queues the receipt (the form and the hook
    together)."""
    response = client.post(
        "/pengaduan/",
        {
            "unit": kesra.pk,
            "description": "Pelayanan lambat.",
            "identity": "normal",
            "email": "warga@example.com",
            "consent": "on",
        },
    )
    assert response.status_code == 303
    row = OutboxMessage.objects.get()
    assert row.recipient == "warga@example.com" and row.kind == "complaint.received"
