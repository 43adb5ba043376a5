"""Audience request pages: public form and status, staff list, record, steps, letter PDF."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from layanan.audiences.models import ReplyLetterTemplate
from layanan.audiences.services import audience_reply
from layanan.cases.models import Case, CaseKind, Status
from layanan.cases.numbering import format_public_code
from tests.dates import at, next_monday

from ..cases.test_attachments import docx_bytes

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _public_post(kesra, **over):
    data = {
        "unit": kesra.pk,
        "organisation": "Forum Pemuda Lintas Agama",
        "topic": "Dialog kerukunan",
        "date_1": (timezone.localdate() + dt.timedelta(days=5)).isoformat(),
        "participants": "10",
        "name": "Yohanes Ahmad",
        "email": "yohanes@example.org",
        "phone": "",
        "consent": "on",
        "letter": SimpleUploadedFile("surat.pdf", LETTER_PDF, "application/pdf"),
    }
    data.update(over)
    return data


LETTER_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_public_form_files_a_request_and_shows_status_without_names(client, kesra):
    """The public form files a case and redirects to its status page, which shows the status
    and number but neither the requester's name nor staff names."""
    response = client.post(reverse("audience:form"), _public_post(kesra))
    assert response.status_code == 303
    case = Case.objects.get(kind=CaseKind.AUDIENCE)
    assert format_public_code(case.public_code) in response["Location"]
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert case.number in html
    assert "Yohanes" not in html and "yohanes@example.org" not in html


def test_public_form_errors_keep_the_input(client, kesra):
    """A past date and missing consent give translated errors; typed values stay."""
    data = _public_post(
        kesra, date_1=(timezone.localdate() - dt.timedelta(days=2)).isoformat(), consent=""
    )
    response = client.post(reverse("audience:form"), data, **EN)
    assert response.status_code == 400
    html = response.content.decode()
    assert "This date is in the past." in html
    assert "Please agree to the use of your contact details" in html
    assert 'value="Forum Pemuda Lintas Agama"' in html
    assert not Case.objects.exists()


def test_public_form_is_rate_limited(client, kesra, settings):
    """Submissions past the limit get 429."""
    settings.COMPLAINT_SUBMIT_RATE = (1, 600)
    from django.core.cache import cache

    cache.clear()
    client.post(reverse("audience:form"), _public_post(kesra, topic=""))
    response = client.post(reverse("audience:form"), _public_post(kesra))
    assert response.status_code == 429
    cache.clear()


def test_unknown_code_is_404(client, kesra):
    """An unknown tracking code is a 404."""
    response = client.get(reverse("audience:status", args=["AAAA-BBBB-CCCC"]))
    assert response.status_code == 404


def test_staff_record_from_letter_with_scan(client, kesra_front, kesra):
    """The front desk records a letter with its scan; a letter without scan is refused and
    keeps the input."""
    client.force_login(kesra_front)
    data = _public_post(kesra, channel="letter", letter_number="12/FPLA/2026")
    data.pop("consent")
    response = client.post(reverse("audience:record"), data, **EN)
    assert response.status_code == 400
    assert "Please attach the scanned letter." in response.content.decode()
    assert 'value="12/FPLA/2026"' in response.content.decode()
    data["letter_scan"] = SimpleUploadedFile("surat.pdf", b"%PDF-1.4\n%x\n", "application/pdf")
    response = client.post(reverse("audience:record"), data)
    assert response.status_code == 302
    case = Case.objects.get(kind=CaseKind.AUDIENCE)
    assert case.channel == "letter" and case.attachments.count() == 1


def test_staff_record_refuses_a_scan_that_is_not_a_letter_beside_the_scan(
    client, kesra_front, kesra
):
    """A scan the service refuses (a Word file is no letter) comes back as a 400 with the
    message beside the scan field and the note that files are not kept; nothing is recorded."""
    client.force_login(kesra_front)
    data = _public_post(kesra, channel="letter", letter_number="12/FPLA/2026")
    data.pop("consent")
    data["letter_scan"] = SimpleUploadedFile(
        "surat.docx",
        docx_bytes(),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response = client.post(reverse("audience:record"), data, **EN)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "the letter must be a PDF or an image" in " ".join(errors["letter_scan"])
    assert "Chosen files are not kept" in response.content.decode()
    assert not Case.objects.filter(kind=CaseKind.AUDIENCE).exists()


def test_steps_on_the_staff_page(client, file_audience, kesra_head, kesra_handler, org):
    """Head dispositions, handler schedules, head issues the reply and downloads the PDF."""
    case = file_audience()
    url = reverse("audience:detail", args=[case.number])
    client.force_login(kesra_head)
    response = client.post(
        url,
        {
            "action": "dispose",
            "dispose-division": org["kesra-bina-mental"].pk,
            "dispose-instruction": "Jadwalkan.",
        },
    )
    assert response.status_code == 302
    client.force_login(kesra_handler)
    response = client.post(
        url,
        {
            "action": "schedule",
            "schedule-starts_at": at(next_monday(2), 10).strftime("%Y-%m-%dT%H:%M"),
            "schedule-place": "Ruang Rapat",
            "schedule-official": "Kepala Biro",
        },
    )
    assert response.status_code == 302
    client.force_login(kesra_head)
    preview = client.get(reverse("audience:reply_preview", args=[case.number]))
    digest = preview.context["form"].initial["digest"]
    assert client.post(url, {"action": "reply", "reply-digest": digest}).status_code == 302
    case.refresh_from_db()
    assert case.status == Status.ANSWERED
    pdf = client.get(reverse("audience:reply_pdf", args=[case.number]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert case.audience.reply_number in text


def test_step_error_keeps_input(client, file_audience, kesra_head, org):
    """A schedule in the past is refused with the message and the typed place kept."""
    case = file_audience()
    url = reverse("audience:detail", args=[case.number])
    client.force_login(kesra_head)
    client.post(
        url,
        {
            "action": "dispose",
            "dispose-division": org["kesra-bina-mental"].pk,
            "dispose-instruction": "x",
        },
    )
    response = client.post(
        url,
        {
            "action": "schedule",
            "schedule-starts_at": "2020-01-01T10:00",
            "schedule-place": "Aula Lantai 3",
            "schedule-official": "Kepala Biro",
        },
        **EN,
    )
    assert response.status_code == 400
    assert "The proposed time is in the past." in response.content.decode()
    assert 'value="Aula Lantai 3"' in response.content.decode()


def test_other_units_staff_get_404(client, scheduled_audience, kesra_officer, ekon_officer):
    """Another bureau's staff see neither the page, the PDF nor the request in their list."""
    audience_reply(actor=kesra_officer, case=scheduled_audience)
    client.force_login(ekon_officer)
    number = scheduled_audience.number
    assert client.get(reverse("audience:detail", args=[number])).status_code == 404
    assert client.get(reverse("audience:reply_pdf", args=[number])).status_code == 404
    listing = client.get(reverse("audience:list"))
    assert number not in listing.content.decode()


def test_list_query_count_is_constant(
    client, file_audience, kesra_head, django_assert_max_num_queries
):
    """The staff list runs a fixed number of queries however many requests there are."""
    for i in range(6):
        file_audience(organisation=f"Org {i}")
    client.force_login(kesra_head)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("audience:list"))
    assert response.content.decode().count("data-case=") == 6


def test_head_edits_the_letter_template(client, kesra_head, kesra, kesra_officer):
    """The head saves the unit's template; unknown placeholders are refused with the input kept;
    the front desk cannot open the page."""
    client.force_login(kesra_head)
    url = reverse("audience:letter_template") + f"?unit={kesra.slug}"
    assert client.get(url).status_code == 200
    data = {
        "unit": kesra.slug,
        "number_pattern": "{seq}/123/{unit}/{year}",
        "seq_digits": "3",
        "city": "Pontianak",
        "subject": "Jawaban Audiensi",
        "body": "Yth {{ organisation }} {{ rahasia }}",
        "signatory_title": "Kepala Biro",
        "signatory_name": "",
        "signatory_nip": "",
    }
    response = client.post(url, data, **EN)
    assert response.status_code == 400
    assert "Unknown placeholders" in response.content.decode()
    assert "{{ rahasia }}" in response.content.decode()
    data["body"] = "Yth {{ organisation }}, audiensi pada {{ schedule }}."
    assert client.post(url, data).status_code == 302
    template = ReplyLetterTemplate.objects.get(unit=kesra)
    assert template.updated_by == kesra_head
    client.force_login(kesra_officer)
    assert client.get(url).status_code == 404
