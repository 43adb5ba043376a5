"""Real MIME messages as Indonesian mail clients send them, built byte by byte (not through
Python's email package, whose output would only prove that it reads itself)."""

from __future__ import annotations

import base64

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _headers(**extra) -> str:
    lines = [f"{key.replace('_', '-')}: {value}" for key, value in extra.items()]
    return "\r\n".join(lines)


def plain(
    *,
    message_id="<plain-1@warga.example>",
    sender="Siti Aminah <siti@warga.example>",
    to="kesra@kalbarprov.go.id",
    subject="Bantuan sosial belum diterima",
    body="Selamat pagi,\r\nBantuan sosial untuk keluarga kami belum diterima sejak Oktober.\r\n",
    **extra,
) -> bytes:
    head = _headers(
        From=sender,
        To=to,
        Subject=subject,
        Date="Wed, 09 Dec 2026 09:12:00 +0700",
        Message_ID=message_id,
        MIME_Version="1.0",
        Content_Type='text/plain; charset="utf-8"',
        Content_Transfer_Encoding="8bit",
        **extra,
    )
    return f"{head}\r\n\r\n{body}".encode()


def quoted_printable_indonesian(message_id="<qp-1@warga.example>") -> bytes:
    """Outlook-style: an encoded-word subject (UTF-8, B and Q), a quoted-printable body with
    soft line breaks and no-break spaces (=C2=A0)."""
    return (
        "From: =?UTF-8?Q?Bapak_Rud=C3=AD_Hartono?= <rudi@warga.example>\r\n"
        "To: kesra@kalbarprov.go.id\r\n"
        "Subject: =?UTF-8?B?UGVuZ2FkdWFuOiBqYWxhbiBydXNhayBkaSBLZWNhbWF0YW4=?=\r\n"
        " =?UTF-8?Q?_Sungai_Raya_=E2=80=93_mohon_ditindaklanjuti?=\r\n"
        f"Message-ID: {message_id}\r\n"
        "Date: Wed, 09 Dec 2026 08:00:00 +0700\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: text/plain; charset="utf-8"\r\n'
        "Content-Transfer-Encoding: quoted-printable\r\n"
        "\r\n"
        "Dengan hormat,=C2=A0Bapak/Ibu.\r\n"
        "Jalan menuju sekolah di desa kami sudah rusak parah sejak musim hujan tah=\r\n"
        "un lalu dan belum diperbaiki.\r\n"
    ).encode("ascii")


def koi8r(message_id="<koi8-1@example.ru>") -> bytes:
    subject = base64.b64encode("Жалоба на обслуживание".encode("koi8-r")).decode()
    body = "Здравствуйте! Прошу рассмотреть мою жалобу.\r\n".encode("koi8-r")
    return (
        "From: Ivan <ivan@example.ru>\r\n"
        "To: kesra@kalbarprov.go.id\r\n"
        f"Subject: =?koi8-r?B?{subject}?=\r\n"
        f"Message-ID: {message_id}\r\n"
        "Date: Wed, 09 Dec 2026 07:00:00 +0300\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=koi8-r\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\n"
    ).encode("ascii") + body


def windows1252_labelled_latin1(message_id="<cp-1@warga.example>") -> bytes:
    """An old Outlook: Windows-1252 bytes (curly quotes 0x93/0x94) labelled iso-8859-1."""
    return (
        b"From: Dewi <dewi@warga.example>\r\n"
        b"To: kesra@kalbarprov.go.id\r\n"
        b"Subject: =?iso-8859-1?Q?Keluhan_pelayanan_=93loket_3=94?=\r\n"
        + f"Message-ID: {message_id}\r\n".encode()
        + b"Date: Wed, 09 Dec 2026 08:30:00 +0700\r\n"
        b"MIME-Version: 1.0\r\n"
        b"Content-Type: text/plain; charset=iso-8859-1\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\n"
        b"Petugas di \x93loket 3\x94 menolak berkas saya.\r\n"
    )


def unknown_charset(message_id="<unk-1@warga.example>") -> bytes:
    """A charset no codec knows, over UTF-8 bytes: read by the fallback."""
    return (
        b"From: Budi <budi@warga.example>\r\n"
        b"To: kesra@kalbarprov.go.id\r\n"
        b"Subject: Keluhan\r\n"
        + f"Message-ID: {message_id}\r\n".encode()
        + b"MIME-Version: 1.0\r\n"
        b"Content-Type: text/plain; charset=x-mac-indonesia\r\n\r\n"
        + "Antrean terlalu panjang – tidak ada kursi.\r\n".encode()
    )


def html_only(message_id="<html-1@warga.example>") -> bytes:
    html = (
        "<html><head><style>p{color:red}</style><title>x</title></head><body>"
        "<p>Yth. Biro Kesra,</p><p>Pelayanan&nbsp;di kantor <b>sangat lambat</b>.</p>"
        "<ul><li>Antrean 3 jam</li><li>Tidak ada informasi</li></ul>"
        '<p>Foto: <a href="https://warga.example/foto">di sini</a></p>'
        "<script>alert(1)</script></body></html>"
    )
    encoded = base64.encodebytes(html.encode("utf-8")).decode().replace("\n", "\r\n")
    return (
        "From: Lina <lina@warga.example>\r\n"
        "To: kesra@kalbarprov.go.id\r\n"
        "Subject: Pelayanan lambat\r\n"
        f"Message-ID: {message_id}\r\n"
        "Date: Wed, 09 Dec 2026 09:00:00 +0700\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: text/html; charset="UTF-8"\r\n'
        "Content-Transfer-Encoding: base64\r\n\r\n" + encoded
    ).encode("ascii")


def with_attachments(
    message_id="<att-1@warga.example>", extra_file=b"MZ\x90\x00not allowed"
) -> bytes:
    boundary = "==b0undary=="

    def b64(data: bytes) -> str:
        return base64.encodebytes(data).decode().replace("\n", "\r\n")

    return (
        "From: Andi <andi@warga.example>\r\n"
        "To: kesra@kalbarprov.go.id\r\n"
        "Subject: Bukti pengaduan\r\n"
        f"Message-ID: {message_id}\r\n"
        "Date: Wed, 09 Dec 2026 09:30:00 +0700\r\n"
        "MIME-Version: 1.0\r\n"
        f'Content-Type: multipart/mixed; boundary="{boundary}"\r\n\r\n'
        f"--{boundary}\r\n"
        'Content-Type: multipart/alternative; boundary="alt"\r\n\r\n'
        "--alt\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        "Terlampir foto dan surat.\r\n"
        "--alt\r\n"
        "Content-Type: text/html; charset=utf-8\r\n\r\n"
        "<p>Terlampir <b>foto</b> dan surat.</p>\r\n"
        "--alt--\r\n"
        f"--{boundary}\r\n"
        'Content-Type: image/png; name="foto jalan.png"\r\n'
        'Content-Disposition: attachment; filename="foto jalan.png"\r\n'
        "Content-Transfer-Encoding: base64\r\n\r\n"
        f"{b64(PNG)}"
        f"--{boundary}\r\n"
        "Content-Type: application/pdf\r\n"
        "Content-Disposition: attachment;\r\n"
        " filename*=UTF-8''surat%20pengaduan.pdf\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\n"
        f"{b64(PDF)}"
        f"--{boundary}\r\n"
        'Content-Type: application/pdf; name="program.pdf"\r\n'
        'Content-Disposition: attachment; filename="program.pdf"\r\n'
        "Content-Transfer-Encoding: base64\r\n\r\n"
        f"{b64(extra_file)}"
        f"--{boundary}--\r\n"
    ).encode("ascii")


def out_of_office(message_id="<ooo-1@warga.example>", in_reply_to="") -> bytes:
    extra = f"In-Reply-To: {in_reply_to}\r\n" if in_reply_to else ""
    return (
        "From: Siti Aminah <siti@warga.example>\r\n"
        "To: kesra@kalbarprov.go.id\r\n"
        "Subject: Balasan otomatis: Pengaduan Anda telah diterima\r\n"
        f"Message-ID: {message_id}\r\n"
        f"{extra}"
        "Auto-Submitted: auto-replied\r\n"
        "X-Auto-Response-Suppress: All\r\n"
        "Date: Wed, 09 Dec 2026 09:40:00 +0700\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        "Saya sedang cuti sampai 15 Desember.\r\n"
    ).encode()


def precedence_auto_reply(message_id="<prec-1@warga.example>") -> bytes:
    return plain(message_id=message_id, subject="Terima kasih", Precedence="auto_reply")


def bounce(message_id="<bounce-1@mx.kalbarprov.go.id>") -> bytes:
    return (
        "From: Mail Delivery System <MAILER-DAEMON@mx.kalbarprov.go.id>\r\n"
        "To: kesra@kalbarprov.go.id\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        f"Message-ID: {message_id}\r\n"
        "Return-Path: <>\r\n"
        "Date: Wed, 09 Dec 2026 09:41:00 +0700\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="r"\r\n\r\n'
        "--r\r\nContent-Type: text/plain\r\n\r\nThis is the mail system.\r\n"
        "--r\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.kalbarprov.go.id\r\n\r\n"
        "Final-Recipient: rfc822; nobody@warga.example\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        "--r--\r\n"
    ).encode()


def reply(*, in_reply_to: str, references: str = "", subject="Re: Pengaduan Anda",
          message_id="<reply-1@warga.example>", sender="Siti Aminah <siti@warga.example>",
          body="Ini tambahan data yang diminta: nomor KK 6171xxxx.\r\n") -> bytes:  # fmt: skip
    extra = {"In_Reply_To": in_reply_to}
    if references:
        extra["References"] = references
    return plain(message_id=message_id, sender=sender, subject=subject, body=body, **extra)
