"""Numbered answer letters of written complaints (letter, complaint box): issued with the answer
when the officer chooses, downloaded by the reporter from the tracking page, never naming a
confidential or anonymous reporter."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from pypdf import PdfReader

from layanan.cases.forms import AnswerForm
from layanan.cases.models import CaseEvent, Channel, Status
from layanan.cases.numbering import format_public_code
from layanan.cases.workflow import case_transition
from layanan.complaints.models import AnswerLetterCounter, AnswerLetterTemplate, ComplaintDetail
from layanan.complaints.services import complaint_answer, complaint_create
from layanan.core.errors import ApplicationError, NotPermitted

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Pontianak")
ANSWER = "Petugas loket telah ditegur dan jadwal piket diperbaiki mulai 14 Desember 2026."


def written(officer, unit, *, channel=Channel.LETTER, **kwargs):
    case = complaint_create(
        actor=officer,
        unit=unit,
        description="Surat: petugas loket tidak ada di tempat pada jam layanan.",
        channel=channel,
        received_at=dt.datetime(2026, 12, 8, 9, 0, tzinfo=WIB),
        requester_name=kwargs.pop("requester_name", "Budi Santoso"),
        requester_phone="081234567890",
        **kwargs,
    )
    return case_transition(actor=officer, case=case, to=Status.VERIFIED)


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)


def test_letter_is_numbered_per_unit_and_year_and_downloaded_by_the_reporter(
    client, org, kesra_officer
):
    """Two written complaints answered with letters get 001 and 002 of the unit's pattern; the
    reporter downloads the letter (the answer is its text) from the tracking page, which links
    it; the timeline tells the reporter."""
    AnswerLetterTemplate.objects.create(
        unit=org["biro-kesra"],
        number_pattern="{seq}/ADU/{unit}/{year}",
        signatory_title="Kepala Biro Kesejahteraan Rakyat",
        signatory_name="Dr. H. Kepala Biro",
        signatory_nip="19700101 199003 1 001",
    )
    first = written(kesra_officer, org["biro-kesra"])
    second = written(kesra_officer, org["biro-kesra"], channel=Channel.COMPLAINT_BOX)
    first = complaint_answer(actor=kesra_officer, case=first, answer=ANSWER, issue_letter=True)
    second = complaint_answer(actor=kesra_officer, case=second, answer=ANSWER, issue_letter=True)
    code = org["biro-kesra"].code or "BIRO-KESRA"
    assert first.complaint.letter_number == f"001/ADU/{code}/2026"
    assert ComplaintDetail.objects.get(pk=second.pk).letter_number == f"002/ADU/{code}/2026"
    assert CaseEvent.objects.filter(case=first, kind="answer_letter").exists()

    public_code = format_public_code(first.public_code)
    track = client.get(reverse("complaints_public:track", args=[public_code])).content.decode()
    url = reverse("complaints_public:answer_letter", args=[public_code])
    assert url in track
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"] or "private" in response["Cache-Control"]
    text = pdf_text(response.content)
    assert f"001/ADU/{code}/2026" in text
    assert "Petugas loket telah ditegur" in text
    assert "Budi Santoso" in text  # an ordinary reporter is addressed by name
    assert "8 Desember 2026" in text and first.number in text
    assert "NIP. 19700101 199003 1 001" in text


def test_confidential_or_anonymous_reporter_is_never_named(client, org, kesra_officer):
    """The letter of a confidential complaint is addressed to "Pelapor": neither the reporter
    (tracking code) nor any staff member who downloads it reads the name."""
    case = written(kesra_officer, org["biro-kesra"], confidential=True, requester_name="Rahasia")
    case = complaint_answer(actor=kesra_officer, case=case, answer=ANSWER, issue_letter=True)
    public = client.get(
        reverse("complaints_public:answer_letter", args=[format_public_code(case.public_code)])
    )
    staff_client = client.__class__()
    staff_client.force_login(kesra_officer)
    staff = staff_client.get(reverse("cases:complaint_answer_letter", args=[case.number]))
    for response in (public, staff):
        text = pdf_text(response.content)
        assert "Rahasia" not in text and "081234567890" not in text
        assert "Yth. Pelapor" in text


def test_only_written_complaints_get_a_letter(org, kesra_officer):
    """A complaint by telephone is refused a letter; nothing is answered, no number is taken."""
    case = written(kesra_officer, org["biro-kesra"], channel=Channel.PHONE)
    with pytest.raises(ApplicationError) as refused:
        complaint_answer(actor=kesra_officer, case=case, answer=ANSWER, issue_letter=True)
    assert refused.value.code == "letter_not_written"
    detail = ComplaintDetail.objects.get(pk=case.pk)
    assert detail.answer == "" and detail.letter_number == ""
    assert not AnswerLetterCounter.objects.exists()
    form = AnswerForm(case=case, user=kesra_officer)
    assert "issue_letter" not in form.fields
    assert (
        "issue_letter"
        in AnswerForm(case=written(kesra_officer, org["biro-kesra"]), user=kesra_officer).fields
    )


def test_a_refused_answer_takes_no_number(org, kesra_handler, kesra_officer):
    """The handler may not send the answer: refused, and the counter is untouched (the number
    is taken in the answer's transaction)."""
    case = written(kesra_officer, org["biro-kesra"])
    with pytest.raises(NotPermitted):
        complaint_answer(actor=kesra_handler, case=case, answer=ANSWER, issue_letter=True)
    assert not AnswerLetterCounter.objects.exists()
    assert ComplaintDetail.objects.get(pk=case.pk).letter_number == ""


def test_no_letter_before_the_answer_nor_for_another_unit(client, org, kesra_officer, ekon_officer):
    """The download is a 404 until the complaint is answered with a letter, and another unit's
    staff cannot reach the staff download."""
    case = written(kesra_officer, org["biro-kesra"])
    url = reverse("complaints_public:answer_letter", args=[format_public_code(case.public_code)])
    assert client.get(url).status_code == 404
    case = complaint_answer(actor=kesra_officer, case=case, answer=ANSWER, issue_letter=True)
    client.force_login(ekon_officer)
    staff_url = reverse("cases:complaint_answer_letter", args=[case.number])
    assert client.get(staff_url).status_code == 404
    client.force_login(kesra_officer)
    assert client.get(staff_url).status_code == 200


def test_officer_chooses_the_letter_on_the_answer_form(client, org, kesra_officer):
    """On the case page the officer ticks the letter, confirms the preview, and the letter is
    issued with the answer."""
    case = written(kesra_officer, org["biro-kesra"])
    client.force_login(kesra_officer)
    url = reverse("cases:detail", args=[case.number])
    preview = client.post(
        url, {"action": "answer", "answer-answer": ANSWER, "answer-issue_letter": "on"}
    )
    assert preview.status_code == 200
    assert b"data-letter-preview" in preview.content
    assert ComplaintDetail.objects.get(pk=case.pk).letter_number == ""
    sent = client.post(
        url,
        {
            "action": "answer",
            "answer-answer": ANSWER,
            "answer-issue_letter": "on",
            "answer-confirmed": "1",
        },
    )
    assert sent.status_code in (200, 302, 303)
    detail = ComplaintDetail.objects.get(pk=case.pk)
    assert detail.answer == ANSWER and detail.letter_number.startswith("001/ADU/")
