"""The poller against a real IMAP server (dovecot on loopback, tests/intake/conftest.py):
real MIME messages delivered with IMAP APPEND, read into the unit's queue exactly once —
also when a run is killed half-way, dies between commit and marking, or two run at once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from layanan.cases.models import Case, CaseEvent
from layanan.intake import poller
from layanan.intake.models import IntakeAttachment, IntakeMessage, IntakeStatus, Mailbox
from layanan.intake.poller import MailboxError, poll_mailbox
from layanan.notify.models import OutboxMessage
from tests.concurrency import run_concurrently

from . import mails

pytestmark = pytest.mark.django_db


def _deliver_all(server, account, raws, *, at):
    for n, raw in enumerate(raws):
        server.deliver(*account, raw, at=at + dt.timedelta(minutes=n))


def _every_kind():
    return [
        mails.plain(),
        mails.html_only(),
        mails.with_attachments(),
        mails.out_of_office(),
        mails.bounce(),
        mails.quoted_printable_indonesian(),
    ]


def test_each_kind_of_message_lands_once(kesra_mailbox, imap_server, imap_account):
    """Plain, HTML-only, with files, an Indonesian encoded subject: four messages wait in
    Biro Kesra's queue with their time of arrival (INTERNALDATE, not the time of reading);
    the out-of-office and the bounce are recorded as automatic, make no case and are not
    answered; every message is marked read on the server; a second run reads nothing."""
    arrived = timezone.now().replace(microsecond=0) - dt.timedelta(hours=2)
    _deliver_all(imap_server, imap_account, _every_kind(), at=arrived)

    report = poll_mailbox(kesra_mailbox)

    assert (report.fetched, report.recorded, report.queued, report.ignored) == (6, 6, 4, 2)
    rows = list(IntakeMessage.objects.order_by("received_at"))
    assert [r.status for r in rows] == [
        IntakeStatus.NEW,
        IntakeStatus.NEW,
        IntakeStatus.NEW,
        IntakeStatus.IGNORED,
        IntakeStatus.IGNORED,
        IntakeStatus.NEW,
    ]
    assert rows[0].received_at == arrived
    assert rows[5].received_at == arrived + dt.timedelta(minutes=5)
    assert all(r.unit.slug == "biro-kesra" for r in rows)
    assert rows[5].subject.startswith("Pengaduan: jalan rusak di Kecamatan Sungai Raya")
    assert rows[1].text.startswith("Yth. Biro Kesra,")
    files = {(a.original_name, a.content_type, a.refused != "") for a in rows[2].attachments.all()}
    assert files == {
        ("foto jalan.png", "image/png", False),
        ("surat pengaduan.pdf", "application/pdf", False),
        ("program.pdf", "application/pdf", True),  # not a PDF inside: refused, not stored
    }
    assert not IntakeAttachment.objects.filter(refused__gt="").exclude(file="").exists()
    assert Case.objects.count() == 0
    assert OutboxMessage.objects.count() == 0
    assert imap_server.uids(*imap_account, criteria="UNSEEN") == []

    again = poll_mailbox(Mailbox.objects.get(pk=kesra_mailbox.pk))
    assert again.fetched == 0
    assert IntakeMessage.objects.count() == 6


def test_processed_mail_moves_to_the_folder(kesra_mailbox, imap_server, imap_account):
    """With a processed folder set, each recorded message is moved there after its commit."""
    kesra_mailbox.processed_folder = "Processed"
    kesra_mailbox.save()
    _deliver_all(imap_server, imap_account, [mails.plain(), mails.html_only()], at=timezone.now())
    poll_mailbox(kesra_mailbox)
    assert imap_server.uids(*imap_account) == []
    assert len(imap_server.uids(*imap_account, folder="Processed")) == 2
    assert IntakeMessage.objects.count() == 2


def test_crash_between_commit_and_marking(kesra_mailbox, imap_server, imap_account, monkeypatch):
    """The poller dies after committing the first message but before marking it on the
    server: the next run finds it recorded, does not record it again, and marks it then."""
    _deliver_all(imap_server, imap_account, [mails.plain(), mails.html_only()], at=timezone.now())

    def die(*args, **kwargs):
        raise ConnectionResetError("the connection dropped")

    monkeypatch.setattr(poller, "mark_processed", die)
    with pytest.raises(MailboxError):
        poll_mailbox(kesra_mailbox)
    assert IntakeMessage.objects.count() == 1
    assert len(imap_server.uids(*imap_account, criteria="UNSEEN")) == 2
    monkeypatch.undo()

    report = poll_mailbox(Mailbox.objects.get(pk=kesra_mailbox.pk))
    assert (report.already_recorded, report.recorded) == (1, 1)
    assert IntakeMessage.objects.count() == 2
    assert imap_server.uids(*imap_account, criteria="UNSEEN") == []


class Killed(BaseException):
    """Like SIGKILL for the code under test: nothing of it catches this."""


def test_killed_half_way_and_run_again(kesra_mailbox, imap_server, imap_account, monkeypatch):
    """Killed while recording the third of five messages: two are kept, the third left no
    trace; the run after records the other three, each message once."""
    raws = [mails.plain(message_id=f"<m{n}@warga.example>") for n in range(5)]
    _deliver_all(imap_server, imap_account, raws, at=timezone.now())
    real = poller.intake_receive
    calls = []

    def receive_then_die(**kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise Killed
        return real(**kwargs)

    monkeypatch.setattr(poller, "intake_receive", receive_then_die)
    with pytest.raises(Killed):
        poll_mailbox(kesra_mailbox)
    assert IntakeMessage.objects.count() == 2
    monkeypatch.undo()

    poll_mailbox(Mailbox.objects.get(pk=kesra_mailbox.pk))
    ids = sorted(IntakeMessage.objects.values_list("external_id", flat=True))
    assert ids == [f"<m{n}@warga.example>" for n in range(5)]


def test_server_renumbering_reads_again_without_doubles(kesra_mailbox, imap_server, imap_account):
    """A new UIDVALIDITY (the folder was rebuilt) makes the poller read the whole folder again;
    the Message-IDs keep every message once."""
    _deliver_all(imap_server, imap_account, [mails.plain(), mails.html_only()], at=timezone.now())
    poll_mailbox(kesra_mailbox)
    Mailbox.objects.filter(pk=kesra_mailbox.pk).update(uidvalidity=1, last_uid=99)
    # Mark them unread again, as a rebuilt folder would show them.
    with imap_server.client(*imap_account) as box:
        box.flag(box.uids(), ["\\Seen"], False)
    report = poll_mailbox(Mailbox.objects.get(pk=kesra_mailbox.pk))
    assert (report.fetched, report.already_recorded) == (2, 2)
    assert IntakeMessage.objects.count() == 2


def test_wrong_password_is_reported_not_raised_silently(kesra_mailbox):
    """A refused login is the mailbox's error, visible to staff; no password in it."""
    kesra_mailbox.set_password("salah")
    kesra_mailbox.save()
    with pytest.raises(MailboxError):
        poll_mailbox(kesra_mailbox)
    kesra_mailbox.refresh_from_db()
    assert kesra_mailbox.last_error
    assert "salah" not in kesra_mailbox.last_error


def test_plaintext_refused_unless_loopback_allowed(kesra_mailbox, settings):
    """Without the test-only setting, an unencrypted mailbox is refused before connecting."""
    settings.INTAKE_IMAP_ALLOW_PLAINTEXT_LOOPBACK = False
    with pytest.raises(MailboxError, match=r"unencrypted|tanpa enkripsi"):
        poll_mailbox(kesra_mailbox)


@pytest.mark.django_db(transaction=True)
def test_two_pollers_at_once_record_each_message_once(kesra_mailbox, imap_server, imap_account):
    """Two pollers read the same mailbox at the same moment (own connections, PostgreSQL):
    every one of 20 messages is recorded once, and both runs finish without error."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (DATABASE_URL=postgres://…)")
    raws = [mails.plain(message_id=f"<c{n}@warga.example>") for n in range(20)]
    _deliver_all(imap_server, imap_account, raws, at=timezone.now())

    def run():
        return poll_mailbox(Mailbox.objects.select_related("unit").get(pk=kesra_mailbox.pk))

    reports = run_concurrently(2, run)
    assert sum(r.recorded for r in reports) == 20
    assert sum(r.recorded + r.already_recorded for r in reports) >= 20
    assert IntakeMessage.objects.count() == 20
    assert imap_server.uids(*imap_account, criteria="UNSEEN") == []
    assert CaseEvent.objects.count() == 0


def test_fetch_mail_command_reads_every_active_mailbox(kesra_mailbox, imap_server, imap_account):
    """``manage.py fetch_mail`` reads the active mailboxes and says what it did; a mailbox
    that cannot be read makes it exit non-zero after the others were read."""
    from io import StringIO

    from django.core.management import CommandError, call_command

    imap_server.deliver(*imap_account, mails.plain(), at=timezone.now())
    out = StringIO()
    call_command("fetch_mail", stdout=out)
    assert "1 recorded" in out.getvalue()
    assert IntakeMessage.objects.count() == 1
    broken = Mailbox.objects.create(
        unit=kesra_mailbox.unit,
        address="lama@kalbarprov.go.id",
        host=imap_server.host,
        port=imap_server.port,
        security="plain_loopback",
        username="lama",
    )  # no password
    with pytest.raises(CommandError):
        call_command("fetch_mail", stdout=StringIO(), stderr=StringIO())
    broken.refresh_from_db()
    assert broken.last_error
