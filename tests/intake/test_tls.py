"""The production connection: the poller reads the test dovecot over IMAPS and STARTTLS, and
checks the server's certificate against ``INTAKE_IMAP_CA_FILE`` — a server whose certificate the
machine cannot verify is refused before the password is sent, nothing is read."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from layanan.intake.models import IntakeMessage, Mailbox, MailSecurity
from layanan.intake.poller import MailboxError, poll_mailbox

from . import mails

pytestmark = pytest.mark.django_db


def _mailbox(org, server, account, *, security, port, host="127.0.0.1"):
    user, password = account
    mailbox = Mailbox(
        unit=org["biro-kesra"],
        address="kesra@kalbarprov.go.id",
        host=host,
        port=port,
        security=security,
        username=user,
    )
    mailbox.set_password(password)
    mailbox.save()
    return mailbox


@pytest.fixture
def tls_account(imap_server, settings):
    """A fresh account; unencrypted IMAP is NOT allowed, as in production."""
    settings.INTAKE_IMAP_ALLOW_PLAINTEXT_LOOPBACK = False
    return imap_server.add_user()


@pytest.mark.parametrize(
    ("security", "which_port", "host"),
    [
        (MailSecurity.SSL, "tls_port", "127.0.0.1"),
        (MailSecurity.SSL, "tls_port", "localhost"),
        (MailSecurity.STARTTLS, "port", "127.0.0.1"),
    ],
)
def test_reads_over_tls_with_the_office_ca(
    org, imap_server, tls_account, settings, security, which_port, host
):
    """IMAPS (TLS from the first byte) and STARTTLS both read the message into the queue when
    the server's certificate is signed by the CA named in INTAKE_IMAP_CA_FILE and names the
    host we connect to."""
    settings.INTAKE_IMAP_CA_FILE = imap_server.ca_file
    imap_server.deliver(*tls_account, mails.plain(), at=timezone.now() - dt.timedelta(hours=1))
    mailbox = _mailbox(
        org,
        imap_server,
        tls_account,
        security=security,
        port=getattr(imap_server, which_port),
        host=host,
    )

    report = poll_mailbox(mailbox)

    assert (report.fetched, report.recorded) == (1, 1)
    assert IntakeMessage.objects.filter(unit=org["biro-kesra"]).count() == 1
    assert Mailbox.objects.get(pk=mailbox.pk).last_error == ""


@pytest.mark.parametrize(
    ("security", "which_port"),
    [(MailSecurity.SSL, "tls_port"), (MailSecurity.STARTTLS, "port")],
)
def test_an_unverifiable_certificate_is_refused(
    org, imap_server, tls_account, settings, security, which_port
):
    """Without the office's CA the certificate cannot be verified against the system's CAs:
    the poll fails with the TLS error kept on the mailbox for the admin, and nothing is read
    (the message stays unseen on the server for the next run)."""
    settings.INTAKE_IMAP_CA_FILE = ""
    imap_server.deliver(*tls_account, mails.plain(), at=timezone.now() - dt.timedelta(hours=1))
    mailbox = _mailbox(
        org, imap_server, tls_account, security=security, port=getattr(imap_server, which_port)
    )

    with pytest.raises(MailboxError, match=r"(?i)certificate"):
        poll_mailbox(mailbox)

    assert IntakeMessage.objects.count() == 0
    assert "certificate" in Mailbox.objects.get(pk=mailbox.pk).last_error.lower()
    assert len(imap_server.uids(*tls_account, criteria="UNSEEN")) == 1


def test_plain_imap_is_refused_outside_tests(org, imap_server, tls_account):
    """The unencrypted setting is refused unless the loopback test switch is on: a password
    never crosses a network in clear."""
    mailbox = _mailbox(
        org,
        imap_server,
        tls_account,
        security=MailSecurity.PLAIN_LOOPBACK,
        port=imap_server.port,
    )

    with pytest.raises(MailboxError, match="IMAPS"):
        poll_mailbox(mailbox)
    assert IntakeMessage.objects.count() == 0
