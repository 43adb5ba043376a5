"""Reading mail as Indonesian (and other) mail clients send it: every part decoded by its own
charset with a fallback, quoted-printable soft breaks and no-break spaces gone, HTML made
readable, attachments found, automatic mail recognised (RFC 3834)."""

from __future__ import annotations

from layanan.intake.parsing import (
    AUTO_GENERATED,
    AUTO_REPLY,
    BOUNCE,
    BULK,
    decode_bytes,
    html_to_text,
    parse_mail,
)

from . import mails


def test_plain_utf8_message():
    """A plain UTF-8 message: sender, name, subject, text and Message-ID as sent."""
    mail = parse_mail(mails.plain())
    assert mail.sender_address == "siti@warga.example"
    assert mail.sender_name == "Siti Aminah"
    assert mail.subject == "Bantuan sosial belum diterima"
    assert mail.text.startswith("Selamat pagi,\nBantuan sosial")
    assert mail.message_id == "<plain-1@warga.example>"
    assert mail.automatic == ""


def test_encoded_word_subject_and_quoted_printable_body():
    """A folded subject of B and Q encoded words reads as one line; the QP soft break joins
    "tah=/un" into "tahun" and =C2=A0 is a plain space, never left in the text."""
    mail = parse_mail(mails.quoted_printable_indonesian())
    assert mail.subject == (
        "Pengaduan: jalan rusak di Kecamatan Sungai Raya – mohon ditindaklanjuti"
    )
    assert mail.sender_name == "Bapak Rudí Hartono"
    assert "musim hujan tahun lalu" in mail.text
    assert "Dengan hormat, Bapak/Ibu." in mail.text
    assert "=C2" not in mail.text and "\u00a0" not in mail.text and "=\n" not in mail.text


def test_koi8_r_subject_and_body():
    """koi8-r, which both django-helpdesk and osTicket garbled, decodes by its label."""
    mail = parse_mail(mails.koi8r())
    assert mail.subject == "Жалоба на обслуживание"
    assert mail.text == "Здравствуйте! Прошу рассмотреть мою жалобу."


def test_windows_1252_bytes_labelled_latin_1():
    """Old Outlook labels Windows-1252 as ISO-8859-1: read as Windows-1252 (as browsers do),
    the curly quotes are quotes, not control characters — in the subject and the text."""
    mail = parse_mail(mails.windows1252_labelled_latin1())
    assert mail.subject == "Keluhan pelayanan \u201cloket 3\u201d"
    assert mail.text == "Petugas di \u201cloket 3\u201d menolak berkas saya."


def test_unknown_charset_falls_back_to_utf8():
    """A charset no codec knows does not lose the message: UTF-8 is tried next."""
    mail = parse_mail(mails.unknown_charset())
    assert mail.text == "Antrean terlalu panjang – tidak ada kursi."


def test_decode_bytes_fallback_order():
    """Declared charset first; if the bytes do not fit, UTF-8, then Windows-1252."""
    assert decode_bytes("é".encode(), "us-ascii") == "é"  # 8-bit "ASCII" from a phone: UTF-8
    assert decode_bytes(b"\x93ok\x94", "utf-8") == "\u201cok\u201d"
    assert decode_bytes(b"abc", "no-such-charset") == "abc"


def test_html_only_message_becomes_readable_text():
    """An HTML-only message: paragraphs on their own lines, list items marked, links kept,
    no style, script or title, &nbsp; a space."""
    mail = parse_mail(mails.html_only())
    assert mail.text == (
        "Yth. Biro Kesra,\n\nPelayanan di kantor sangat lambat.\n\n"
        "- Antrean 3 jam\n\n- Tidak ada informasi\n\n"
        "Foto: di sini (https://warga.example/foto)"
    )


def test_html_to_text_line_breaks():
    """<br> breaks a line; runs of blank lines collapse to one."""
    assert html_to_text("a<br>b<br/><p></p><p></p><p>c</p>") == "a\nb\n\nc"


def test_attachments_and_text_part_preferred():
    """multipart/mixed with alternative text: the plain part is the text; the three files,
    with names in plain and RFC 2231 form, are found with their bytes."""
    mail = parse_mail(mails.with_attachments())
    assert mail.text == "Terlampir foto dan surat."
    names = [(a.filename, a.content_type) for a in mail.attachments]
    assert names == [
        ("foto jalan.png", "image/png"),
        ("surat pengaduan.pdf", "application/pdf"),
        ("program.pdf", "application/pdf"),
    ]
    assert mail.attachments[0].data == mails.PNG


def test_automatic_mail_is_recognised():
    """Out-of-office (Auto-Submitted), Precedence auto_reply, bounces (multipart/report,
    MAILER-DAEMON, null sender) and lists are all machines."""
    assert parse_mail(mails.out_of_office()).automatic == AUTO_REPLY
    assert parse_mail(mails.precedence_auto_reply()).automatic == AUTO_REPLY
    assert parse_mail(mails.bounce()).automatic == BOUNCE
    assert parse_mail(mails.plain(Auto_Submitted="auto-generated")).automatic == AUTO_GENERATED
    assert parse_mail(mails.plain(Auto_Submitted="no")).automatic == ""
    assert parse_mail(mails.plain(Precedence="bulk")).automatic == BULK
    assert parse_mail(mails.plain(List_Id="<warta.example>")).automatic == BULK
    assert parse_mail(mails.plain(Return_Path="<>")).automatic == BOUNCE


def test_thread_ids_nearest_first():
    """In-Reply-To first, then References from the newest back, without repeats."""
    mail = parse_mail(mails.reply(in_reply_to="<c@x>", references="<a@x> <b@x>\r\n <c@x>"))
    assert mail.thread_ids == ["<c@x>", "<b@x>", "<a@x>"]


def test_message_without_id_gets_a_stable_one():
    """No Message-ID: an id made from the bytes, the same each time the message is read."""
    raw = mails.plain().replace(b"Message-ID: <plain-1@warga.example>\r\n", b"")
    first, second = parse_mail(raw), parse_mail(raw)
    assert first.message_id == second.message_id
    assert first.message_id.startswith("<sha256-")


def test_received_header_gives_time_of_arrival():
    """The topmost Received header's date is when our server took the message."""
    raw = (
        b"Received: from mx (mx [10.0.0.1]) by imap; Wed, 09 Dec 2026 09:15:30 +0700\r\n"
        b"Received: from phone by mx; Wed, 09 Dec 2026 09:14:00 +0700\r\n" + mails.plain()
    )
    mail = parse_mail(raw)
    assert mail.received.isoformat() == "2026-12-09T09:15:30+07:00"
