"""Reading one e-mail as it arrived (raw RFC 5322 bytes) into what the intake queue keeps.

Everything here is pure (no database, no network) so that each rule is tested on real bytes:

- **Headers** are decoded word by word (RFC 2047 encoded words, any charset), each chunk by its
  own charset with a fallback, so ``=?koi8-r?B?…?=`` or a mislabelled ``=?iso-8859-1?Q?…?=``
  never breaks the message.
- **Bodies** are decoded from their transfer encoding (quoted-printable soft breaks, base64)
  and then by their declared charset; an unknown or wrong charset falls back to UTF-8, then
  Windows-1252, then Latin-1 (which never fails). A no-break space (``=C2=A0``) becomes a plain
  space. The text part is preferred; an HTML-only message is turned into readable text.
- **Automatic mail** (RFC 3834: ``Auto-Submitted``; ``Precedence: bulk/junk/list/auto_reply``;
  ``X-Autoreply``/``X-Autorespond``; mailing lists) and **bounces** (``multipart/report``,
  delivery status parts, the null sender ``<>``, ``MAILER-DAEMON``/``postmaster``) are
  recognised, so the caller creates no case and sends no answer for them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from email import message_from_bytes
from email.header import decode_header
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime
from html.parser import HTMLParser

# Tried in this order after the declared charset: what Indonesian mail clients actually send
# (UTF-8 from phones and webmail, Windows-1252 from older Outlook mislabelled as Latin-1).
FALLBACK_CHARSETS = ("utf-8", "windows-1252", "latin-1")

#: Labels read as the charset mail programs really mean by them (as browsers do, WHATWG
#: Encoding): "ISO-8859-1" from Outlook is Windows-1252, whose curly quotes would otherwise
#: come out as control characters.
_CHARSET_ALIASES = {
    "iso-8859-1": "windows-1252",
    "iso8859-1": "windows-1252",
    "latin1": "windows-1252",
    "latin-1": "windows-1252",
}

#: Charset labels that say nothing about the bytes.
_MEANINGLESS_CHARSETS = {"unknown-8bit", "x-unknown", "unknown", "default", "x-user-defined"}

AUTO_REPLY, AUTO_GENERATED, BULK, BOUNCE = "auto_reply", "auto_generated", "bulk", "bounce"

_MESSAGE_ID = re.compile(r"<[^<>\s]+>")


@dataclass
class MailPart:
    """An attached file as the message carried it (not yet checked)."""

    filename: str
    content_type: str
    data: bytes


@dataclass
class ParsedMail:
    message_id: str
    subject: str
    sender_address: str
    sender_name: str
    text: str
    date: dt.datetime | None
    received: dt.datetime | None
    in_reply_to: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    automatic: str = ""  # "", AUTO_REPLY, AUTO_GENERATED, BULK or BOUNCE
    attachments: list[MailPart] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)

    @property
    def thread_ids(self) -> list[str]:
        """Message-IDs this message answers, nearest first (In-Reply-To, then References from
        the newest back)."""
        ids = [*self.in_reply_to, *reversed(self.references)]
        return list(dict.fromkeys(ids))


def decode_bytes(data: bytes, charset: str | None) -> str:
    """``data`` decoded by ``charset`` when it is a real one that fits, else by the fallbacks."""
    tried = []
    label = (charset or "").strip().strip('"').lower()
    if label and label not in _MEANINGLESS_CHARSETS:
        tried.append(_CHARSET_ALIASES.get(label, label))
    for candidate in [*tried, *FALLBACK_CHARSETS]:
        try:
            return data.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("latin-1")  # unreachable: latin-1 decodes every byte


def decode_header_value(value) -> str:
    """A header as readable text: encoded words decoded chunk by chunk, folding undone."""
    if value is None:
        return ""
    raw = str(value)
    try:
        chunks = decode_header(raw)
    except Exception:  # a malformed encoded word: keep the header as it came
        return _clean_line(raw)
    text = []
    for chunk, charset in chunks:
        if isinstance(chunk, bytes):
            text.append(decode_bytes(chunk, charset))
        else:
            text.append(chunk)
    return _clean_line("".join(text))


def _clean_line(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def message_ids(value) -> list[str]:
    """The ``<…>`` ids in a Message-ID, In-Reply-To or References header, in order."""
    return _MESSAGE_ID.findall(str(value or ""))


def _date(value) -> dt.datetime | None:
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(str(value).strip())
    except (TypeError, ValueError, IndexError):
        return None
    if moment is None or moment.tzinfo is None:
        return None
    return moment


def received_time(message: Message) -> dt.datetime | None:
    """When the receiving server took the message: the date of the topmost ``Received``
    header (the last hop, added by our own mail server)."""
    for header in message.get_all("Received") or []:
        stamp = str(header).rsplit(";", 1)
        if len(stamp) == 2:
            moment = _date(stamp[1])
            if moment is not None:
                return moment
    return None


def automatic_kind(message: Message, sender_address: str) -> str:
    """Whether the message was sent by a machine, and which kind ("" for a person)."""
    content_type = message.get_content_type()
    if content_type == "multipart/report" or any(
        part.get_content_type() in ("message/delivery-status", "message/global-delivery-status")
        for part in message.walk()
    ):
        return BOUNCE
    local = sender_address.split("@", 1)[0].lower()
    return_path = message.get("Return-Path")
    null_sender = return_path is not None and str(return_path).strip() in ("<>", "")
    if local in ("mailer-daemon", "postmaster") or null_sender:
        return BOUNCE
    auto_submitted = str(message.get("Auto-Submitted", "")).strip().lower()
    if auto_submitted and not auto_submitted.startswith("no"):
        return AUTO_REPLY if auto_submitted.startswith("auto-replied") else AUTO_GENERATED
    if message.get("X-Autoreply") or message.get("X-Autorespond"):
        return AUTO_REPLY
    precedence = str(message.get("Precedence", "")).strip().lower()
    if precedence == "auto_reply":
        return AUTO_REPLY
    if precedence in ("bulk", "junk", "list"):
        return BULK
    if message.get("List-Id") or message.get("List-Unsubscribe"):
        return BULK
    return ""


class _TextFromHTML(HTMLParser):
    """HTML to readable text: blocks on their own lines, list items marked, links kept."""

    BLOCKS = {
        "p", "div", "br", "tr", "li", "ul", "ol", "table", "blockquote", "section", "article",
        "h1", "h2", "h3", "h4", "h5", "h6", "hr", "pre", "header", "footer",
    }  # fmt: skip
    SKIP = {"script", "style", "head", "title", "template"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skipping = 0
        self.href: list[str | None] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.out.append("\n")
            if tag == "li":
                self.out.append("- ")
        elif tag in ("td", "th"):
            self.out.append(" ")
        if tag == "a":
            self.href.append(dict(attrs).get("href"))

    def handle_startendtag(self, tag, attrs):
        if tag in ("br", "hr"):
            self.out.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.out.append("\n")
        if tag == "a" and self.href:
            href = self.href.pop()
            if href and href.startswith(("http://", "https://")):
                self.out.append(f" ({href})")

    def handle_data(self, data):
        if not self.skipping:
            self.out.append(re.sub(r"\s+", " ", data))


def html_to_text(html: str) -> str:
    parser = _TextFromHTML()
    parser.feed(html)
    parser.close()
    return tidy_text("".join(parser.out))


def tidy_text(text: str) -> str:
    """Line ends unified, no-break spaces plain, trailing blanks gone, at most one empty line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    lines = [line.rstrip() for line in text.split("\n")]
    text = "\n".join(line.lstrip() if not line.strip() else line for line in lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _part_text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if payload is None:
        return ""
    return decode_bytes(payload, part.get_content_charset())


def _filename(part: Message) -> str:
    name = part.get_filename()
    return decode_header_value(name) if name else ""


def _is_attachment(part: Message) -> bool:
    if part.is_multipart():
        return False
    disposition = str(part.get("Content-Disposition", "")).split(";", 1)[0].strip().lower()
    if disposition == "attachment":
        return True
    return bool(part.get_filename()) and part.get_content_maintype() != "text"


def parse_mail(raw: bytes) -> ParsedMail:
    """Read ``raw`` (the whole message as it arrived)."""
    message = message_from_bytes(raw)
    name, address = "", ""
    senders = getaddresses([str(message.get("From", ""))])
    if senders:
        name, address = senders[0]
    name = decode_header_value(name)
    address = address.strip().lower()
    plain, html, attachments = [], [], []
    for part in message.walk():
        content_type = part.get_content_type()
        if part.is_multipart() or content_type.startswith("message/"):
            continue
        if _is_attachment(part):
            data = part.get_payload(decode=True) or b""
            attachments.append(MailPart(_filename(part) or "lampiran", content_type, data))
        elif content_type == "text/plain":
            plain.append(_part_text(part))
        elif content_type == "text/html":
            html.append(_part_text(part))
    if any(p.strip() for p in plain):
        text = tidy_text("\n\n".join(p for p in plain if p.strip()))
    else:
        text = html_to_text("\n".join(html))
    message_id = (message_ids(message.get("Message-ID")) or [""])[0]
    if not message_id:
        # No id: one made from the content, so the same message read twice is still one.
        message_id = f"<sha256-{hashlib.sha256(raw).hexdigest()}@layanan.invalid>"
    recipients = [
        addr.lower() for _n, addr in getaddresses(
            [str(v) for key in ("To", "Cc", "Delivered-To") for v in message.get_all(key) or []]
        ) if addr
    ]  # fmt: skip
    return ParsedMail(
        message_id=message_id,
        subject=decode_header_value(message.get("Subject")),
        sender_address=address,
        sender_name=name,
        text=text,
        date=_date(message.get("Date")),
        received=received_time(message),
        in_reply_to=message_ids(message.get("In-Reply-To")),
        references=message_ids(message.get("References")),
        automatic=automatic_kind(message, address),
        attachments=attachments,
        recipients=recipients,
    )
