"""E-mail through the outbox and a real SMTP server: delivered, retried through an outage,
failed for good after the last try, and sent after commit by the task worker."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from layanan.notify.dispatch import outbox_dispatch
from layanan.notify.models import OutboxMessage, OutboxStatus
from layanan.notify.services import outbox_enqueue

pytestmark = [pytest.mark.django_db, pytest.mark.smtp]


def _enqueue_email(**overrides) -> OutboxMessage:
    fields = {
        "channel": "email",
        "recipient": "warga@example.com",
        "subject": "Pengaduan Anda KESRA/ADU/2026/000123 telah diterima",
        "body": "Yth. Bapak/Ibu,\n\nPengaduan Anda telah kami terima.",
        "case_id": 123,
        "kind": "complaint.received",
    }
    fields.update(overrides)
    return outbox_enqueue(**fields)


def test_email_is_delivered_through_smtp(smtp_server):
    """A queued e-mail reaches the SMTP server with its subject, recipient, sender and body, and
    the row records the delivery."""
    message = _enqueue_email(html_body="<p>Pengaduan Anda telah kami <b>terima</b>.</p>")

    report = outbox_dispatch()

    assert (report.claimed, report.sent) == (1, 1)
    (received,) = smtp_server.wait_for(1)
    assert received["To"] == "warga@example.com"
    assert received["Subject"] == "Pengaduan Anda KESRA/ADU/2026/000123 telah diterima"
    assert received["From"] == "Layanan Kalbar <layanan@kalbarprov.go.id>"
    parts = {part.get_content_type(): part for part in received.walk()}
    text = parts["text/plain"].get_payload(decode=True).decode()
    assert "Pengaduan Anda telah kami terima." in text
    assert "<b>terima</b>" in parts["text/html"].get_payload(decode=True).decode()
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert message.attempts == 1
    assert message.sent_at is not None
    assert message.provider_message_id == received["Message-ID"]


def test_plain_text_email_has_no_html_part(smtp_server):
    """Without an HTML body the e-mail is a single text/plain part."""
    _enqueue_email()
    outbox_dispatch()
    (received,) = smtp_server.wait_for(1)
    assert received.get_content_type() == "text/plain"


def test_attachments_travel_with_the_email(smtp_server):
    """Files queued with a message (a monthly report) arrive as attachments with their names,
    types and exact bytes."""
    pdf = b"%PDF-1.4\n% laporan\n%%EOF\n"
    _enqueue_email(attachments=[("evaluasi-2026-10.pdf", pdf, "application/pdf")])
    outbox_dispatch()
    (received,) = smtp_server.wait_for(1)
    files = [part for part in received.walk() if part.get_filename()]
    assert [(f.get_filename(), f.get_content_type()) for f in files] == [
        ("evaluasi-2026-10.pdf", "application/pdf")
    ]
    assert files[0].get_payload(decode=True) == pdf


def test_smtp_outage_keeps_the_message_and_a_later_dispatch_delivers_it(smtp_down, request):
    """With the SMTP server down the message stays pending with backoff (nothing lost, no busy
    loop); once the server is up, a later dispatch delivers it exactly once."""
    message = _enqueue_email()
    start = timezone.now()

    report = outbox_dispatch(now=start)

    assert (report.sent, report.retrying, report.unavailable_channels) == (0, 1, ["email"])
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert message.attempts == 1
    assert message.next_attempt_at == start + dt.timedelta(minutes=1)
    assert "Connection" in message.last_error or "refused" in message.last_error.lower()

    # Not due yet: a dispatch a few seconds later leaves it alone.
    assert outbox_dispatch(now=start + dt.timedelta(seconds=10)).claimed == 0

    server = request.getfixturevalue("smtp_server")  # the mail server comes back
    report = outbox_dispatch(now=start + dt.timedelta(minutes=2))

    assert report.sent == 1
    (received,) = server.wait_for(1)
    assert received["To"] == "warga@example.com"
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (OutboxStatus.SENT, 2, "")
    assert outbox_dispatch(now=start + dt.timedelta(hours=1)).claimed == 0
    assert len(server.messages) == 1


def test_outage_does_not_burn_the_attempts_of_every_queued_message(smtp_down):
    """When the SMTP server is unreachable the dispatcher stops using e-mail for that run: one
    message records the outage, the others keep all their attempts."""
    first = _enqueue_email(recipient="satu@example.com")
    second = _enqueue_email(recipient="dua@example.com")

    report = outbox_dispatch()

    assert report.claimed == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.attempts, second.attempts) == (1, 0)
    assert second.status == OutboxStatus.PENDING


def test_backoff_doubles_and_the_last_attempt_marks_the_message_failed(smtp_down):
    """Retries wait 1, 2, 4, 8, 16 minutes; after max_attempts the message is failed with the
    last error and no dispatcher touches it again."""
    message = _enqueue_email()
    now = timezone.now()
    delays = []
    for _attempt in range(5):
        outbox_dispatch(now=now)
        message.refresh_from_db()
        assert message.status == OutboxStatus.PENDING
        delays.append(message.next_attempt_at - now)
        now = message.next_attempt_at

    outbox_dispatch(now=now)

    assert [d.total_seconds() / 60 for d in delays] == [1, 2, 4, 8, 16]
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.FAILED, 6)
    assert message.last_error
    assert outbox_dispatch(now=now + dt.timedelta(days=1)).claimed == 0


def test_backoff_is_capped(settings, smtp_down):
    """The delay never exceeds NOTIFY_BACKOFF_MAX_SECONDS, however many attempts."""
    settings.NOTIFY_BACKOFF_MAX_SECONDS = 300
    message = _enqueue_email(max_attempts=20)
    now = timezone.now()
    for _attempt in range(8):
        outbox_dispatch(now=now)
        message.refresh_from_db()
        delay = message.next_attempt_at - now
        now = message.next_attempt_at
    assert delay == dt.timedelta(minutes=5)


def test_refused_recipient_fails_at_once(smtp_server, monkeypatch):
    """A permanent (5xx) refusal of the recipient marks the message failed without retries."""
    import smtplib

    def refuse(self, email_messages):
        raise smtplib.SMTPRecipientsRefused({"x@example.com": (550, b"5.1.1 No such user")})

    monkeypatch.setattr("django.core.mail.backends.smtp.EmailBackend.send_messages", refuse)
    message = _enqueue_email(recipient="x@example.com")

    report = outbox_dispatch()

    assert report.failed == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.FAILED, 1)
    assert "No such user" in message.last_error


def test_dispatch_command_sends_and_reports(smtp_server):
    """`manage.py dispatch_outbox` sends due messages and says what it did."""
    _enqueue_email()
    out = StringIO()
    call_command("dispatch_outbox", stdout=out)
    assert "1 sent" in out.getvalue()
    assert len(smtp_server.wait_for(1)) == 1


@pytest.mark.django_db(transaction=True)
def test_commit_enqueues_the_dispatch_task_and_the_worker_sends(settings, smtp_server):
    """After the caller's transaction commits, a `dispatch_outbox` task is queued in the task
    backend (django-tasks-db), and the task worker delivers the e-mail."""
    from django_tasks_db.models import DBTaskResult

    settings.NOTIFY_DISPATCH_ON_COMMIT = True
    with transaction.atomic():
        _enqueue_email()

    assert DBTaskResult.objects.filter(task_path="layanan.notify.tasks.dispatch_outbox").exists()
    call_command("db_worker", batch=True, no_startup_delay=True, reload=False, verbosity=0)

    (received,) = smtp_server.wait_for(1)
    assert received["To"] == "warga@example.com"
    assert OutboxMessage.objects.get().status == OutboxStatus.SENT


def test_dispatch_task_returns_its_report(smtp_server):
    """The task runs the dispatcher and returns the report as JSON-ready data."""
    from layanan.notify.tasks import dispatch_outbox

    _enqueue_email()
    result = dispatch_outbox.call()
    assert result["sent"] == 1
