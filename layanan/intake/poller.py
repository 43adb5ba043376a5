"""Reading a unit's mailbox (``manage.py fetch_mail``, the ``fetch_mail_task`` task).

IMAP through ``imap-tools`` (never hand-written IMAP). Nothing lost, nothing doubled:

1. the new messages are those above the last UID recorded under the folder's UIDVALIDITY
   (when the server renumbers the folder, everything is read again and the Message-IDs,
   unique per unit, keep each message once);
2. each message is fetched without marking it read (``BODY.PEEK``) and recorded by
   ``services.intake_receive`` in its own transaction, which the database refuses for a
   message recorded before — by this run, an earlier run killed half-way, or another poller
   reading the same mailbox at the same moment;
3. only after that commit is the message marked processed on the server (moved to
   ``processed_folder``, or flagged read) and the mailbox's last UID moved on.

A poller that dies between 2 and 3 leaves the message unmarked; the next run finds it
recorded, skips it and marks it then. A message that fails to record (a bug, the database
gone) stays unmarked and the last UID stops before it, so the next run tries it again.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import re
import ssl
from dataclasses import asdict, dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from imap_tools import MailBox, MailBoxStartTls, MailBoxUnencrypted, MailMessage

from .models import IntakeStatus, Mailbox, MailSecurity
from .parsing import parse_mail
from .services import Incoming, intake_receive, receipt_time

logger = logging.getLogger("layanan.intake")


class MailboxError(Exception):
    """The mailbox cannot be read as configured (the message says why, for staff)."""


class RawMailMessage(MailMessage):
    """imap-tools' message, keeping the bytes as they arrived (our parser reads those)."""

    def __init__(self, fetch_data: list) -> None:
        self.raw = self._get_message_data_parts(fetch_data)[0]
        super().__init__(fetch_data)


@dataclass
class PollReport:
    fetched: int = 0
    recorded: int = 0  # new rows: in the queue, on a case, or ignored as automatic
    queued: int = 0  # of which waiting for triage
    added_to_cases: int = 0
    ignored: int = 0
    already_recorded: int = 0
    failed: int = 0

    def as_dict(self) -> dict:
        return asdict(self)

    def __str__(self) -> str:
        return (
            f"{self.fetched} fetched, {self.recorded} recorded ({self.queued} to triage, "
            f"{self.added_to_cases} added to cases, {self.ignored} automatic), "
            f"{self.already_recorded} already recorded, {self.failed} failed"
        )


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def open_mailbox(mailbox: Mailbox):
    """A logged-in imap-tools client on the mailbox's folder (a context manager)."""
    timeout = settings.INTAKE_IMAP_TIMEOUT
    context = ssl.create_default_context(cafile=settings.INTAKE_IMAP_CA_FILE or None)
    if mailbox.security == MailSecurity.SSL:
        client = MailBox(mailbox.host, mailbox.port, timeout=timeout, ssl_context=context)
    elif mailbox.security == MailSecurity.STARTTLS:
        client = MailBoxStartTls(mailbox.host, mailbox.port, timeout=timeout, ssl_context=context)
    elif settings.INTAKE_IMAP_ALLOW_PLAINTEXT_LOOPBACK and _is_loopback(mailbox.host):
        client = MailBoxUnencrypted(mailbox.host, mailbox.port, timeout=timeout)
    else:
        raise MailboxError(
            _("An unencrypted connection is allowed only to this machine, in tests. Use IMAPS.")
        )
    client.email_message_class = RawMailMessage
    password = mailbox.password()
    if not password:
        client.logout()
        raise MailboxError(_("No password: set the environment variable or store one."))
    return client.login(mailbox.username, password, initial_folder=mailbox.folder)


_INTERNALDATE = re.compile(rb'UID (\d+)|INTERNALDATE "([^"]+)"')


def _internal_dates(box, uids: list[str]) -> dict[str, dt.datetime]:
    """The server's time of arrival (INTERNALDATE) of each UID, in one command."""
    if not uids:
        return {}
    status, data = box.client.uid("fetch", ",".join(uids), "(UID INTERNALDATE)")
    dates: dict[str, dt.datetime] = {}
    if status != "OK":
        return dates
    for item in data:
        line = item if isinstance(item, bytes) else (item[0] if item else b"")
        uid = stamp = None
        for number, date in _INTERNALDATE.findall(line or b""):
            uid = number.decode() if number else uid
            stamp = date.decode() if date else stamp
        if uid and stamp:
            try:
                dates[uid] = dt.datetime.strptime(stamp.strip(), "%d-%b-%Y %H:%M:%S %z")
            except ValueError:
                continue
    return dates


def mark_processed(box, mailbox: Mailbox, uid: str) -> None:
    """Move the message to the processed folder, or flag it read. Called after commit only."""
    if mailbox.processed_folder:
        box.move(uid, mailbox.processed_folder)
    else:
        box.flag(uid, ["\\Seen"], True)


def poll_mailbox(mailbox: Mailbox, *, limit: int | None = None) -> PollReport:
    """Read the new messages of ``mailbox`` into its unit's queue. Run outside a transaction:
    each message commits on its own before it is marked on the server."""
    limit = limit or settings.INTAKE_FETCH_LIMIT
    report = PollReport()
    try:
        with open_mailbox(mailbox) as box:
            uidvalidity = int(box.folder.status(mailbox.folder, ["UIDVALIDITY"])["UIDVALIDITY"])
            if mailbox.uidvalidity != uidvalidity:
                Mailbox.objects.filter(pk=mailbox.pk).update(uidvalidity=uidvalidity, last_uid=0)
                mailbox.uidvalidity, mailbox.last_uid = uidvalidity, 0
            after = mailbox.last_uid
            # "n:*" always answers the last message, even below n: filter again here.
            uids = [u for u in box.uids(f"UID {after + 1}:*") if int(u) > after][:limit]
            if not uids:  # (imap-tools' fetch with an empty uid_list would fetch ALL)
                Mailbox.objects.filter(pk=mailbox.pk).update(
                    last_polled_at=timezone.now(), last_error=""
                )
                return report
            arrived = _internal_dates(box, uids)
            watermark, contiguous = after, True
            # The time of receipt: our mail server's own stamp (the topmost Received header), else
            # the IMAP server's INTERNALDATE, else the sender's Date; never in the future.
            for item in box.fetch(uid_list=uids, mark_seen=False, bulk=20):
                report.fetched += 1
                uid = item.uid
                try:
                    mail = parse_mail(item.raw)
                    incoming = Incoming.from_mail(
                        mail, received_at=receipt_time(mail.received, arrived.get(uid), mail.date)
                    )
                    row = intake_receive(
                        unit=mailbox.unit,
                        incoming=incoming,
                        mailbox=mailbox,
                        uidvalidity=uidvalidity,
                        uid=int(uid),
                    )
                except Exception:
                    logger.exception("intake: mailbox %s, UID %s not recorded", mailbox.pk, uid)
                    report.failed += 1
                    contiguous = False
                    continue
                _count(report, row)
                mark_processed(box, mailbox, uid)
                if contiguous:
                    watermark = max(watermark, int(uid))
            if watermark > after:
                Mailbox.objects.filter(
                    pk=mailbox.pk, uidvalidity=uidvalidity, last_uid__lt=watermark
                ).update(last_uid=watermark)
    except MailboxError as error:
        _record_error(mailbox, str(error))
        raise
    except Exception as error:
        _record_error(mailbox, f"{type(error).__name__}: {error}")
        raise MailboxError(str(error)) from error
    Mailbox.objects.filter(pk=mailbox.pk).update(last_polled_at=timezone.now(), last_error="")
    return report


def _count(report: PollReport, row) -> None:
    if row is None:
        report.already_recorded += 1
        return
    report.recorded += 1
    if row.status == IntakeStatus.IGNORED:
        report.ignored += 1
    elif row.status == IntakeStatus.ATTACHED:
        report.added_to_cases += 1
    else:
        report.queued += 1


def _record_error(mailbox: Mailbox, error: str) -> None:
    # The error names the server, never the password (imaplib does not echo it).
    logger.warning("intake: mailbox %s could not be read: %s", mailbox.pk, error)
    Mailbox.objects.filter(pk=mailbox.pk).update(
        last_polled_at=timezone.now(), last_error=error[:2000]
    )


def poll_all(*, limit: int | None = None) -> dict[int, PollReport | str]:
    """Every active mailbox; one that fails does not stop the others."""
    results: dict[int, PollReport | str] = {}
    for mailbox in Mailbox.objects.filter(is_active=True).select_related("unit").order_by("pk"):
        try:
            results[mailbox.pk] = poll_mailbox(mailbox, limit=limit)
        except MailboxError as error:
            results[mailbox.pk] = str(error)
    return results


__all__ = ["MailboxError", "PollReport", "mark_processed", "poll_all", "poll_mailbox"]
