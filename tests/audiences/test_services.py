"""Audience requests (audiensi): receipt, disposition, schedule, reply letter, close."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfReader

from layanan.accounts.actors import PUBLIC
from layanan.audiences.letters import render_reply_pdf, template_for
from layanan.audiences.models import AudienceDetail, ReplyLetterTemplate
from layanan.audiences.services import (
    audience_close,
    audience_dispose,
    audience_refuse,
    audience_reply,
    audience_request_create,
    audience_schedule,
)
from layanan.cases.models import CaseKind, Channel, Status
from layanan.core.errors import ApplicationError, Conflict, NotPermitted
from layanan.notify.models import OutboxMessage
from tests.dates import at, next_monday

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def test_request_is_a_case_with_number_code_and_the_standards_three_days(file_audience):
    """An audience request is a Case of kind audience, numbered KESRA/AUD/YYYY/NNNNNN, held to
    the 3 days of Biro Kesra's "Fasilitasi Audiensi" standard."""
    case = file_audience()
    assert case.kind == CaseKind.AUDIENCE
    assert case.number.startswith(f"KESRA/AUD/{timezone.localdate().year}/")
    assert case.status == Status.RECEIVED
    assert case.standard.service_kind == "audience"
    assert case.sla_value == 3 and case.due_at is not None
    assert case.audience.organisation == "Forum Pemuda Lintas Agama"
    assert case.events.filter(kind="received").count() == 1


def test_web_request_needs_contact_topic_and_a_future_date(file_audience):
    """Missing contact, topic or a past date are refused with stable codes."""
    with pytest.raises(ApplicationError) as exc:
        file_audience(requester_email="", requester_phone="")
    assert exc.value.code == "contact_required"
    with pytest.raises(ApplicationError) as exc:
        file_audience(topic="  ")
    assert exc.value.code == "topic_required"
    with pytest.raises(ApplicationError) as exc:
        file_audience(preferred_dates=[timezone.localdate() - dt.timedelta(days=1)])
    assert exc.value.code == "date_in_past"


def test_public_may_not_record_a_letter(file_audience):
    """Channels other than the web (a letter) and uploads are staff-only."""
    with pytest.raises(NotPermitted):
        file_audience(channel=Channel.LETTER)


def test_staff_records_a_letter_with_its_scan(file_audience, kesra_front):
    """The front desk records a request received by letter; the scan is an attachment."""
    scan = SimpleUploadedFile("surat.pdf", b"%PDF-1.4\n%scan\n", content_type="application/pdf")
    case = file_audience(
        actor=kesra_front,
        channel=Channel.LETTER,
        letter_number="045/FPLA/I/2026",
        letter_date=timezone.localdate(),
        letter_uploads=[scan],
    )
    assert case.channel == Channel.LETTER
    assert case.created_by == kesra_front
    assert case.attachments.get().original_name == "surat.pdf"
    assert case.audience.letter_number == "045/FPLA/I/2026"


def test_full_flow_writes_events_with_who(scheduled_audience, kesra_officer, kesra_head):
    """received → verified (disposition) → in_progress (schedule) → answered (reply) → closed,
    every step an event with its actor."""
    case = scheduled_audience
    assert case.status == Status.IN_PROGRESS
    assert case.assigned_unit.slug == "kesra-bina-mental"
    detail = audience_reply(actor=kesra_officer, case=case)
    case.refresh_from_db()
    assert case.status == Status.ANSWERED and case.answered_at
    assert detail.reply_number
    audience_close(actor=kesra_head, case=case)
    case.refresh_from_db()
    assert case.status == Status.CLOSED
    kinds = list(case.events.values_list("kind", "new_value", "actor__username"))
    assert ("disposition", "Bagian Bina Mental Spiritual", "kesra.head") in kinds
    assert ("status", Status.VERIFIED, "kesra.head") in kinds
    assert ("status", Status.IN_PROGRESS, "kesra.handler") in kinds
    assert ("status", Status.ANSWERED, "kesra.officer") in kinds
    assert ("status", Status.CLOSED, "kesra.head") in kinds


def test_only_the_head_dispositions(file_audience, kesra_officer, kesra_handler, org):
    """Disposition is the head's (case.dispose): the complaint officer and handler may not."""
    case = file_audience()
    for user in (kesra_officer, kesra_handler):
        with pytest.raises(NotPermitted):
            audience_dispose(
                actor=user, case=case, division=org["kesra-bina-mental"], instruction="x"
            )


def test_disposition_stays_within_the_unit(file_audience, kesra_head, org):
    """A request cannot be handed to another bureau's division."""
    case = file_audience()
    with pytest.raises(ApplicationError) as exc:
        audience_dispose(
            actor=kesra_head, case=case, division=org["biro-perekonomian"], instruction="x"
        )
    assert exc.value.code == "foreign_division"


def test_handler_of_another_division_cannot_schedule(file_audience, kesra_head, kesra_handler, org):
    """The handler acts only once the request is handed to their Bagian."""
    case = file_audience()
    audience_dispose(
        actor=kesra_head, case=case, division=org["kesra-pelayanan-dasar"], instruction="x"
    )
    with pytest.raises(NotPermitted):
        audience_schedule(
            actor=kesra_handler,
            case=case,
            starts_at=at(next_monday(), 10),
            place="R",
            official="K",
        )


def test_reply_needs_a_schedule(file_audience, kesra_head, org):
    """The reply letter gives the schedule, so it cannot be issued before one is proposed."""
    case = file_audience()
    audience_dispose(
        actor=kesra_head, case=case, division=org["kesra-bina-mental"], instruction="x"
    )
    with pytest.raises(Conflict) as exc:
        audience_reply(actor=kesra_head, case=case)
    assert exc.value.code == "schedule_required"


def test_reply_letter_pdf_has_number_indonesian_date_and_addressee(
    scheduled_audience, kesra_officer, kesra
):
    """The PDF carries the unit's numbered letter, the date in Indonesian and the addressee
    (contact person and organisation), with the schedule in the text."""
    ReplyLetterTemplate.objects.create(
        unit=kesra,
        number_pattern="{seq}/123/{unit}/{year}",
        subject="Jawaban Permohonan Audiensi",
        body=template_for(kesra).body,
        signatory_title="Kepala Biro Kesejahteraan Rakyat",
        signatory_name="Dr. H. Contoh Pejabat, M.Si",
        signatory_nip="197001012000031001",
    )
    detail = audience_reply(actor=kesra_officer, case=scheduled_audience, on=dt.date(2026, 2, 5))
    assert detail.reply_number == "001/123/KESRA/2026"
    text = pdf_text(render_reply_pdf(detail))
    assert "001/123/KESRA/2026" in text
    assert "Pontianak, 5 Februari 2026" in text
    assert "Yohanes Ahmad" in text and "Forum Pemuda Lintas Agama" in text
    assert "Ruang Rapat Biro Kesra" in text
    assert "Dr. H. Contoh Pejabat, M.Si" in text
    assert "BIRO KESEJAHTERAAN RAKYAT" in text.upper()


def test_reply_notifies_the_requester_through_the_outbox(scheduled_audience, kesra_officer):
    """The requester gets the schedule and the letter number by e-mail (queued)."""
    detail = audience_reply(actor=kesra_officer, case=scheduled_audience)
    message = OutboxMessage.objects.get(case_id=scheduled_audience.pk, kind="audience.reply")
    assert message.recipient == "yohanes@example.org"
    assert detail.reply_number in message.body
    assert "Ruang Rapat Biro Kesra" in message.body


def test_reply_numbers_are_gapless_per_unit_and_year(
    file_audience, kesra_head, kesra_officer, kesra_handler, org
):
    """Letters are numbered 001, 002, 003 in a year; a failed issue takes no number; a new
    year starts again at 001."""
    numbers = []
    for i in range(3):
        case = file_audience(organisation=f"Organisasi {i}")
        audience_dispose(
            actor=kesra_head, case=case, division=org["kesra-bina-mental"], instruction="x"
        )
        audience_schedule(
            actor=kesra_head, case=case, starts_at=at(next_monday(), 9 + i), place="R", official="K"
        )
        if i == 1:
            with pytest.raises(NotPermitted):  # the handler may not issue letters
                audience_reply(actor=kesra_handler, case=case)
        on = dt.date(2026, 3, 1) if i < 2 else dt.date(2027, 1, 4)
        numbers.append(audience_reply(actor=kesra_officer, case=case, on=on).reply_number)
    assert numbers == ["001/AUD/KESRA/2026", "002/AUD/KESRA/2026", "001/AUD/KESRA/2027"]


def test_template_edits_change_new_letters_not_issued_ones(
    file_audience, scheduled_audience, kesra_officer, kesra_head, kesra, org
):
    """A letter keeps the text it was issued with; a letter issued after the unit edits the
    template uses the new text, subject and pattern."""
    first = audience_reply(actor=kesra_officer, case=scheduled_audience)
    ReplyLetterTemplate.objects.create(
        unit=kesra,
        number_pattern="{seq}/{month}/{unit}/{year}",
        seq_digits=4,
        subject="Kesediaan Audiensi",
        body="Audiensi {{ organisation }} diterima pada {{ schedule }} di {{ place }}.",
        signatory_title="Plt. Kepala Biro",
    )
    case = file_audience(organisation="Ikatan Guru Ngaji")
    audience_dispose(
        actor=kesra_head, case=case, division=org["kesra-bina-mental"], instruction="x"
    )
    audience_schedule(
        actor=kesra_head, case=case, starts_at=at(next_monday(), 13), place="Aula", official="K"
    )
    second = audience_reply(actor=kesra_officer, case=case, on=dt.date(2026, 4, 2))
    assert second.reply_number == "0002/IV/KESRA/2026"
    text = pdf_text(render_reply_pdf(second))
    assert "Audiensi Ikatan Guru Ngaji diterima pada" in text and "Kesediaan Audiensi" in text
    assert "Plt. Kepala Biro" in text
    first.refresh_from_db()
    assert "Menindaklanjuti" in first.reply_body  # the default text it was issued with


def test_unsafe_template_input_is_text_not_code(scheduled_audience, kesra_officer, kesra):
    """Template tags are refused when saved; HTML and values from the request are escaped,
    so nothing runs, no file is fetched and the PDF still renders."""
    bad = ReplyLetterTemplate(
        unit=kesra,
        subject="x",
        body="{% load static %}{% debug %} {{ settings.SECRET_KEY }}",
        signatory_title="K",
    )
    with pytest.raises(ValidationError) as exc:
        bad.full_clean()
    assert "body" in exc.value.message_dict
    ReplyLetterTemplate.objects.create(
        unit=kesra,
        subject="<b>Perihal</b>",
        body='<img src="file:///etc/passwd"><script>x()</script> {{ organisation }} {{ nope }}',
        signatory_title="K",
    )
    AudienceDetail.objects.filter(case=scheduled_audience).update(
        organisation="</p><img src='http://127.0.0.1:1/x'>"
    )
    detail = audience_reply(actor=kesra_officer, case=scheduled_audience)
    text = pdf_text(render_reply_pdf(detail))
    assert '<img src="file:///etc/passwd">' in text
    assert "<script>x()</script>" in text
    assert "{{ nope }}" in text
    assert "root:" not in text


def test_refusal_and_invalid_steps(file_audience, kesra_head):
    """The head may refuse with a reason; closing an unanswered request is a conflict."""
    case = file_audience()
    with pytest.raises(Conflict):
        audience_close(actor=kesra_head, case=case)
    with pytest.raises(ApplicationError):
        audience_refuse(actor=kesra_head, case=case, reason=" ")
    audience_refuse(actor=kesra_head, case=case, reason="Jadwal pimpinan penuh bulan ini.")
    case.refresh_from_db()
    assert case.status == Status.REJECTED


def test_direct_call_needs_audience_case(kesra_head, kesra):
    """A case of another kind is not treated as an audience request."""
    from layanan.complaints.services import complaint_create

    complaint = complaint_create(actor=PUBLIC, unit=kesra, description="x")
    with pytest.raises(ApplicationError) as exc:
        audience_close(actor=kesra_head, case=complaint)
    assert exc.value.code == "not_audience"


def test_request_create_refuses_unit_without_standard_for_the_public(file_audience, org):
    """The public can only ask units that publish an audience standard."""
    with pytest.raises(ApplicationError) as exc:
        audience_request_create(
            actor=PUBLIC,
            unit=org["biro-perekonomian"],
            organisation="X",
            topic="Y",
            preferred_dates=[timezone.localdate()],
            participants=2,
            requester_name="Z",
            requester_email="z@example.org",
        )
    assert exc.value.code == "unit_takes_no_audiences"


def test_closing_invites_the_requester_to_the_satisfaction_survey_once(
    scheduled_audience, kesra_officer, kesra_head
):
    """When the audience request closes, its one survey invitation is made and the link is
    e-mailed to the requester (queued in the closing's transaction), once."""
    from layanan.surveys.models import SurveyInvitation

    case = scheduled_audience
    audience_reply(actor=kesra_officer, case=case)
    assert not SurveyInvitation.objects.filter(case=case).exists()
    audience_close(actor=kesra_head, case=case)
    invitation = SurveyInvitation.objects.get(case=case)
    message = OutboxMessage.objects.get(case_id=case.pk, kind="survey.invitation")
    assert message.recipient == "yohanes@example.org"
    assert f"/survei/{invitation.token}/" in message.body
