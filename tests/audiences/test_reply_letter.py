"""The audience reply letter: how it refers to the request, its times, the preview and the
confirmed issue, the requester's download; and the request letter on the public form."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from layanan.accounts.actors import PUBLIC
from layanan.audiences.letters import draft_reply, letter_digest, render_reply_pdf
from layanan.audiences.models import ReplyLetterCounter, ReplyLetterTemplate
from layanan.audiences.services import audience_reply, audience_request_create
from layanan.cases.models import Case, CaseKind, Channel, Status
from layanan.cases.numbering import format_public_code
from layanan.core.errors import ApplicationError, Conflict, NotPermitted
from layanan.core.letters import render_body, request_reference
from layanan.core.models import AuditAction, AuditEntry
from layanan.notify.models import OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _on_wednesday_9_december_2026(clock):
    """This module's expectations (the letters' dates and times) are hand-written
    for Wed 9 Dec 2026, 10:00 WIB: it starts there whatever ``LAYANAN_TEST_NOW`` says."""
    clock.move_to(dt.datetime(2026, 12, 9, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=7))))


EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def _upload(name="surat.pdf", content=PDF, kind="application/pdf"):
    return SimpleUploadedFile(name, content, kind)


# --- how the letter refers to the request ---------------------------------------------------------


def test_web_request_without_a_letter_is_referred_to_as_a_web_request(scheduled_audience):
    """No letter: "permohonan Saudara melalui laman Layanan tanggal 9 Desember 2026" — never
    "surat Saudara nomor - tanggal -"."""
    detail = scheduled_audience.audience
    assert request_reference(detail) == (
        "permohonan Saudara melalui laman Layanan tanggal 9 Desember 2026"
    )
    text = draft_reply(detail).reply_body
    assert "permohonan Saudara melalui laman Layanan tanggal 9 Desember 2026" in text
    assert "nomor -" not in text and "tanggal -" not in text


def test_paper_letter_is_referred_to_by_its_number_and_date(kesra_front, kesra):
    """A recorded letter: "surat Saudara nomor 12/FPLA/XII/2026 tanggal 2 Desember 2026"."""
    case = audience_request_create(
        actor=kesra_front,
        unit=kesra,
        organisation="FPLA",
        topic="Dialog",
        preferred_dates=[dt.date(2026, 12, 21)],
        participants=5,
        requester_name="Yohanes",
        requester_email="y@example.org",
        channel=Channel.LETTER,
        letter_number="12/FPLA/XII/2026",
        letter_date=dt.date(2026, 12, 2),
        letter_uploads=[_upload()],
    )
    assert request_reference(case.audience) == (
        "surat Saudara nomor 12/FPLA/XII/2026 tanggal 2 Desember 2026"
    )


def test_attached_letter_without_number_is_referred_to_without_a_dash(kesra):
    """A web request with its letter attached but no number given: "surat Saudara tanggal …"
    with the letter's date, or "yang kami terima tanggal …" without one."""
    fields = {
        "actor": PUBLIC,
        "unit": kesra,
        "organisation": "FPLA",
        "topic": "Dialog",
        "preferred_dates": [dt.date(2026, 12, 21)],
        "participants": 5,
        "requester_name": "Yohanes",
        "requester_email": "y@example.org",
    }
    dated = audience_request_create(
        **fields, letter_uploads=[_upload()], letter_date=dt.date(2026, 12, 1)
    )
    assert request_reference(dated.audience) == "surat Saudara tanggal 1 Desember 2026"
    undated = audience_request_create(**fields, letter_uploads=[_upload()])
    assert request_reference(undated.audience) == (
        "surat Saudara yang kami terima tanggal 9 Desember 2026"
    )


def test_an_old_template_phrase_is_read_as_the_reference():
    """A template saved before {{ reference }} ("surat Saudara nomor {{ letter_number }}
    tanggal {{ letter_date }}") prints the reference instead of dashes."""
    body = "Menindaklanjuti surat Saudara nomor {{ letter_number }} tanggal {{letter_date}} perihal"
    values = {"reference": "permohonan Saudara melalui laman Layanan tanggal 9 Desember 2026"}
    assert render_body(body, values) == (
        "Menindaklanjuti permohonan Saudara melalui laman Layanan tanggal 9 Desember 2026 perihal"
    )


# --- times ---------------------------------------------------------------------------------


def test_letter_and_email_state_the_time_as_pukul_with_the_units_zone(
    scheduled_audience, kesra_officer
):
    """ "pukul 10.00 WIB" (Kalbar) in the letter and the e-mail — never "10:00" or "at"."""
    detail = audience_reply(actor=kesra_officer, case=scheduled_audience)
    text = pdf_text(render_reply_pdf(detail))
    assert "pukul 10.00 WIB" in text
    mail = OutboxMessage.objects.get(kind="audience.reply")
    assert "pukul 10.00 WIB" in mail.body and "10:00" not in mail.body


def test_a_unit_in_wita_gets_wita(scheduled_audience, kesra, kesra_officer):
    """A unit whose time zone is Asia/Makassar: the same moment reads "pukul 11.00 WITA"."""
    kesra.time_zone = "Asia/Makassar"
    kesra.save(update_fields=["time_zone"])
    scheduled_audience.unit.refresh_from_db()
    detail = audience_reply(actor=kesra_officer, case=scheduled_audience)
    assert "pukul 11.00 WITA" in detail.reply_body


# --- preview and issue ----------------------------------------------------------------------------


def test_preview_is_the_letter_that_is_issued(client, scheduled_audience, kesra_head):
    """The preview page shows the number, date and text the issue then freezes; the preview
    PDF is marked as such; confirming issues exactly that letter, audited, and takes nothing
    before confirming."""
    case = scheduled_audience
    client.force_login(kesra_head)
    url = reverse("audience:reply_preview", args=[case.number])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "001/AUD/KESRA/2026" in html
    assert "permohonan Saudara melalui laman Layanan tanggal 9 Desember 2026" in html
    preview_pdf = client.get(reverse("audience:reply_preview_pdf", args=[case.number]))
    assert preview_pdf["Content-Type"] == "application/pdf"
    assert "001/AUD/KESRA/2026" in pdf_text(preview_pdf.content)
    assert not ReplyLetterCounter.objects.exists()  # previewing takes no number
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS and not case.audience.reply_number
    digest = page.context["form"].initial["digest"]
    response = client.post(url, {"reply-digest": digest, "reply-text": ""})
    assert response.status_code == 302
    case.refresh_from_db()
    detail = case.audience
    assert case.status == Status.ANSWERED and detail.reply_number == "001/AUD/KESRA/2026"
    assert letter_digest(detail) == digest
    entry = AuditEntry.objects.get(action=AuditAction.LETTER_ISSUED)
    assert entry.actor == kesra_head and entry.data["number"] == "001/AUD/KESRA/2026"


def test_a_letter_that_changed_since_the_preview_is_not_issued(
    client, scheduled_audience, file_audience, kesra_head, kesra_officer, org, kesra_handler
):
    """The template changes between preview and confirmation (as when another letter takes
    the previewed number first): the confirmation is refused, the case and the counter are as
    before, the new preview is shown with the typed note kept, and confirming it issues."""
    case = scheduled_audience
    client.force_login(kesra_head)
    url = reverse("audience:reply_preview", args=[case.number])
    digest = client.get(url).context["form"].initial["digest"]
    template = ReplyLetterTemplate.objects.create(
        unit=case.unit,
        subject="Jawaban",
        body="Menindaklanjuti {{ reference }}.",
        signatory_title="Kepala Biro",
    )
    response = client.post(url, {"reply-digest": digest, "reply-text": "Catatan"}, **EN)
    assert response.status_code == 409
    assert "The letter has changed since the preview" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS and not case.audience.reply_number
    assert not ReplyLetterCounter.objects.filter(last__gt=0).exists()
    assert not AuditEntry.objects.filter(action=AuditAction.LETTER_ISSUED).exists()
    assert response.context["form"].initial["text"] == "Catatan"
    new_digest = response.context["form"].initial["digest"]
    assert new_digest != digest
    assert client.post(url, {"reply-digest": new_digest}).status_code == 302
    case.refresh_from_db()
    assert case.audience.reply_body == "Menindaklanjuti " + request_reference(case.audience) + "."
    assert template.pk


def test_service_refuses_a_stale_digest_and_gives_the_number_back(
    scheduled_audience, kesra_officer
):
    """At the service level too: a wrong fingerprint is a Conflict and nothing stays."""
    with pytest.raises(Conflict) as exc:
        audience_reply(actor=kesra_officer, case=scheduled_audience, confirmed_digest="x" * 32)
    assert exc.value.code == "letter_changed"
    scheduled_audience.refresh_from_db()
    assert scheduled_audience.status == Status.IN_PROGRESS
    assert not ReplyLetterCounter.objects.filter(last__gt=0).exists()


def test_wrong_role_and_wrong_unit_cannot_preview_or_issue(
    client, scheduled_audience, kesra_front, ekon_officer
):
    """The front desk (no case.answer) and another bureau's officer get 404 on the preview
    and its PDF; the service refuses them."""
    case = scheduled_audience
    for user in (kesra_front, ekon_officer):
        client.force_login(user)
        for name in ("audience:reply_preview", "audience:reply_preview_pdf"):
            assert client.get(reverse(name, args=[case.number])).status_code == 404
        with pytest.raises(NotPermitted):
            audience_reply(actor=user, case=case)
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS


def test_staff_reply_step_needs_the_preview(client, scheduled_audience, kesra_head):
    """Posting the reply step without the preview's fingerprint issues nothing."""
    client.force_login(kesra_head)
    url = reverse("audience:detail", args=[scheduled_audience.number])
    page = client.get(url).content.decode()
    assert reverse("audience:reply_preview", args=[scheduled_audience.number]) in page
    assert client.post(url, {"action": "reply"}).status_code == 400
    scheduled_audience.refresh_from_db()
    assert scheduled_audience.status == Status.IN_PROGRESS


# --- the requester's download ------------------------------------------------------------------


def test_requester_downloads_the_issued_letter_from_the_status_page(
    client, scheduled_audience, kesra_officer
):
    """Before the issue: no link and 404. After: the status page links the PDF, which is the
    issued letter; a wrong code is 404."""
    case = scheduled_audience
    code = format_public_code(case.public_code)
    letter_url = reverse("audience:public_letter", kwargs={"code": code})
    assert client.get(letter_url).status_code == 404
    assert letter_url not in client.get(reverse("audience:status", args=[code])).content.decode()
    detail = audience_reply(actor=kesra_officer, case=case)
    page = client.get(reverse("audience:status", args=[code])).content.decode()
    assert letter_url in page
    response = client.get(letter_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert detail.reply_number in pdf_text(response.content)
    text = pdf_text(response.content)
    assert "PRATINJAU" not in text and "PREVIEW" not in text
    wrong = reverse("audience:public_letter", kwargs={"code": "AAAA-BBBB-CCCC"})
    assert client.get(wrong).status_code == 404


def test_reply_by_whatsapp_when_only_a_phone_was_given(
    scheduled_audience, kesra_officer, settings, file_audience
):
    """No e-mail, WhatsApp on: the reply goes by WhatsApp with the letter's download link."""
    settings.WHATSAPP_ENABLED = True
    case = scheduled_audience
    case.requester_email = ""
    case.save(update_fields=["requester_email"])
    audience_reply(actor=kesra_officer, case=case)
    message = OutboxMessage.objects.get(kind="audience.reply")
    assert message.channel == "whatsapp" and "surat-balasan.pdf" in message.body


# --- the request letter on the public form --------------------------------------------------------


def _post(kesra, **over):
    data = {
        "unit": kesra.pk,
        "organisation": "Forum Pemuda Lintas Agama",
        "topic": "Dialog kerukunan",
        "date_1": "2026-12-21",
        "participants": "10",
        "name": "Yohanes Ahmad",
        "email": "yohanes@example.org",
        "consent": "on",
        "letter": _upload(),
        "letter_number": "7/FPLA/XII/2026",
        "letter_date": "2026-12-03",
    }
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def test_public_request_with_its_letter(client, kesra):
    """The letter is attached (by content a PDF), its number and date kept for the reply."""
    response = client.post(reverse("audience:form"), _post(kesra))
    assert response.status_code == 303
    case = Case.objects.get(kind=CaseKind.AUDIENCE)
    attachment = case.attachments.get()
    assert attachment.content_type == "application/pdf" and not attachment.is_internal
    assert request_reference(case.audience) == (
        "surat Saudara nomor 7/FPLA/XII/2026 tanggal 3 Desember 2026"
    )


def test_an_image_of_the_letter_is_accepted(client, kesra):
    """A photo of the letter (PNG by content) is accepted."""
    response = client.post(reverse("audience:form"), _post(kesra, letter=_upload("foto.png", PNG)))
    assert response.status_code == 303


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (None, "Please attach your request letter"),
        (_upload("surat.pdf", b"MZ\x90\x00not a pdf", "application/pdf"), "not an accepted"),
        (
            _upload("surat.docx", b"PK\x03\x04rest", "application/pdf"),
            "not an accepted",
        ),
    ],
)
def test_bad_letter_is_refused_keeping_what_was_typed(client, kesra, upload, message):
    """No letter, or one that is not a PDF/image by content: 400, the typed values stay, the
    requester is told to choose the file again, and no case exists."""
    response = client.post(reverse("audience:form"), _post(kesra, letter=upload), **EN)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'value="Forum Pemuda Lintas Agama"' in html and 'value="7/FPLA/XII/2026"' in html
    if upload is not None:
        assert "please choose them again" in html
    assert not Case.objects.exists()


def test_too_large_letter_is_refused(client, kesra, settings):
    """A letter over ATTACHMENT_MAX_BYTES is refused; nothing is written."""
    settings.ATTACHMENT_MAX_BYTES = 20
    response = client.post(reverse("audience:form"), _post(kesra), **EN)
    assert response.status_code == 400
    assert "files may be at most" in response.content.decode()
    assert not Case.objects.exists()


def test_service_refuses_a_word_document_as_the_letter_and_writes_nothing(kesra):
    """The service checks too: a .docx (accepted elsewhere) is not a request letter."""
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<x/>")
        archive.writestr("word/document.xml", "<x/>")
    with pytest.raises(ApplicationError) as exc:
        audience_request_create(
            actor=PUBLIC,
            unit=kesra,
            organisation="FPLA",
            topic="Dialog",
            preferred_dates=[dt.date(2026, 12, 21)],
            participants=5,
            requester_name="Yohanes",
            requester_email="y@example.org",
            letter_uploads=[_upload("surat.docx", buffer.getvalue(), "application/msword")],
        )
    assert exc.value.code == "bad_letter_file"
    assert not Case.objects.exists()


def test_a_letter_dated_in_the_future_is_refused(client, kesra):
    """The letter's date cannot be after today; the form comes back with the input."""
    response = client.post(reverse("audience:form"), _post(kesra, letter_date="2026-12-20"), **EN)
    assert response.status_code == 400
    assert "The letter&#x27;s date cannot be in the future." in response.content.decode()
    assert not Case.objects.exists()
