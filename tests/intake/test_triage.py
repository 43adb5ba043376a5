"""The intake queue's rules without a mail server: matching replies to cases, the officer's
three choices (each audited, each once), and answers going back in the same e-mail thread."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from layanan.accounts.actors import SYSTEM
from layanan.cases.models import Case, CaseEvent, Channel, Status
from layanan.cases.workflow import case_transition
from layanan.complaints.services import complaint_answer, complaint_create
from layanan.core.errors import ApplicationError, Conflict, NotPermitted
from layanan.core.models import AuditEntry
from layanan.intake.models import DismissReason, IntakeMessage, IntakeStatus
from layanan.intake.parsing import parse_mail
from layanan.intake.services import (
    REQUESTER_MESSAGE,
    Incoming,
    intake_attach,
    intake_convert,
    intake_dismiss,
    intake_receive,
)
from layanan.notify.dispatch import outbox_dispatch
from layanan.notify.models import OutboxMessage

from . import mails

pytestmark = pytest.mark.django_db


def receive(mailbox, raw: bytes, *, at: dt.datetime | None = None):
    mail = parse_mail(raw)
    at = at or timezone.now() - dt.timedelta(minutes=30)
    return intake_receive(
        unit=mailbox.unit, incoming=Incoming.from_mail(mail, received_at=at), mailbox=mailbox
    )


def _converted(mailbox, officer, raw=None):
    message = receive(mailbox, raw or mails.plain())
    return message, intake_convert(actor=officer, message=message)


# --- the officer's choices -------------------------------------------------------------------


def test_convert_makes_a_complaint_received_when_the_mail_arrived(mailbox, kesra_officer):
    """The complaint is Biro Kesra's, by e-mail, received when the mail arrived (the deadline
    counts from then, not from triage), with the sender as reporter and the files attached;
    the choice is audited and the reporter gets one acknowledgement, in the mail's thread."""
    arrived = timezone.now() - dt.timedelta(hours=3)
    message = receive(mailbox, mails.with_attachments(), at=arrived)

    case = intake_convert(actor=kesra_officer, message=message)

    assert (case.channel, case.unit.slug, case.received_at) == (
        Channel.EMAIL,
        "biro-kesra",
        arrived,
    )
    assert case.requester_email == "andi@warga.example"
    assert case.requester_name == "Andi"
    assert case.subject == "Bukti pengaduan"
    assert case.description == "Terlampir foto dan surat."
    assert sorted(case.attachments.values_list("original_name", flat=True)) == [
        "foto jalan.png",
        "surat pengaduan.pdf",
    ]
    message.refresh_from_db()
    assert (message.status, message.case, message.decided_by) == (
        IntakeStatus.CONVERTED,
        case,
        kesra_officer,
    )
    entry = AuditEntry.objects.get(action="intake_converted")
    assert entry.actor == kesra_officer and entry.data["case"] == case.number
    (ack,) = OutboxMessage.objects.filter(case_id=case.pk)
    assert ack.kind == "complaint.received"
    assert ack.subject == f"Re: Bukti pengaduan [{case.number}]"
    assert ack.headers == {
        "In-Reply-To": "<att-1@warga.example>",
        "References": "<att-1@warga.example>",
        "Reply-To": "kesra@kalbarprov.go.id",
    }


def test_a_message_is_handled_once(mailbox, kesra_officer, kesra_head):
    """Two officers deciding on the same message: the second is told it was handled."""
    message, _case = _converted(mailbox, kesra_officer)
    with pytest.raises(Conflict):
        intake_dismiss(actor=kesra_head, message=message, reason=DismissReason.SPAM)
    assert Case.objects.count() == 1


def test_only_the_units_complaint_officers_triage(
    mailbox, ekon_officer, kesra_handler, kesra_front
):
    """Another bureau's officer, a handler and the front desk may not decide on Kesra's mail."""
    message = receive(mailbox, mails.plain())
    for person in (ekon_officer, kesra_handler, kesra_front):
        with pytest.raises(NotPermitted):
            intake_dismiss(actor=person, message=message, reason=DismissReason.SPAM)
    message.refresh_from_db()
    assert message.status == IntakeStatus.NEW


def test_dismiss_needs_a_reason_and_is_audited(mailbox, kesra_officer):
    """Dismissing without a reason is refused; with one it is recorded with who and why."""
    message = receive(mailbox, mails.plain())
    with pytest.raises(ApplicationError) as refused:
        intake_dismiss(actor=kesra_officer, message=message, reason="")
    assert refused.value.code == "reason_required"
    intake_dismiss(
        actor=kesra_officer, message=message, reason=DismissReason.NOT_FOR_UNIT, note="Ke Dinsos"
    )
    message.refresh_from_db()
    assert (message.status, message.dismiss_reason, message.decision_note) == (
        IntakeStatus.DISMISSED,
        "not_for_unit",
        "Ke Dinsos",
    )
    assert AuditEntry.objects.get(action="intake_dismissed").data["reason"] == "not_for_unit"
    assert Case.objects.count() == 0


def test_attach_to_an_existing_case(mailbox, kesra_officer):
    """The officer adds a message to a case: it is on the timeline as the reporter's message
    (staff only), audited, and no second case or acknowledgement appears."""
    _first, case = _converted(mailbox, kesra_officer)
    other = receive(mailbox, mails.html_only())
    intake_attach(actor=kesra_officer, message=other, case=case)
    event = CaseEvent.objects.get(case=case, kind=REQUESTER_MESSAGE)
    assert event.is_internal and event.note.startswith("Yth. Biro Kesra,")
    assert AuditEntry.objects.filter(action="intake_attached").count() == 1
    assert Case.objects.count() == 1
    assert OutboxMessage.objects.filter(kind="complaint.received").count() == 1


def test_attach_refuses_another_units_case(mailbox, kesra_officer, org, admin):
    """A Kesra message cannot be added to a case of Biro Perekonomian."""
    foreign = complaint_create(
        actor=SYSTEM, unit=org["biro-perekonomian"], description="x", channel=Channel.PHONE
    )
    message = receive(mailbox, mails.plain())
    with pytest.raises(ApplicationError) as refused:
        intake_attach(actor=admin, message=message, case=foreign)
    assert refused.value.code == "foreign_case"


# --- replies find their case -----------------------------------------------------------------


def _sent_acknowledgement(mailbox, officer, smtp_server):
    _message, case = _converted(mailbox, officer)
    outbox_dispatch()
    smtp_server.wait_for(1)
    ack = OutboxMessage.objects.get(case_id=case.pk)
    assert ack.provider_message_id
    return case, ack.provider_message_id


@pytest.mark.smtp
def test_reply_to_our_mail_joins_its_case(mailbox, kesra_officer, smtp_server):
    """A reply naming our acknowledgement in In-Reply-To, whose subject lost the number, is
    added to the case (not a new queue item), and the case waiting on the reporter runs
    again; the reporter is not acknowledged a second time."""
    case, our_id = _sent_acknowledgement(mailbox, kesra_officer, smtp_server)
    case_transition(
        actor=kesra_officer, case=case, to=Status.WAITING, public_note="Mohon kirim nomor KK."
    )
    reply = receive(
        mailbox,
        mails.reply(in_reply_to=our_id, subject="nomor KK", message_id="<r1@warga.example>"),
    )
    assert (reply.status, reply.case, reply.matched_by) == (IntakeStatus.ATTACHED, case, "thread")
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS and case.paused_since is None
    assert CaseEvent.objects.filter(case=case, kind=REQUESTER_MESSAGE).count() == 1
    assert OutboxMessage.objects.filter(kind="complaint.received").count() == 1


@pytest.mark.smtp
def test_reply_all_from_someone_in_cc_joins_the_case(mailbox, kesra_officer, smtp_server):
    """A reply-all from another person (CC'd) names our Message-ID only in References: it
    joins the case; the sender's address is not what decides."""
    case, our_id = _sent_acknowledgement(mailbox, kesra_officer, smtp_server)
    reply = receive(
        mailbox,
        mails.reply(
            in_reply_to="<somebody-else@warga.example>",
            references=f"{our_id} <somebody-else@warga.example>",
            sender="Pak RT <rt05@warga.example>",
            message_id="<r2@warga.example>",
        ),
    )
    assert (reply.status, reply.case) == (IntakeStatus.ATTACHED, case)


def test_case_number_in_the_subject_joins_the_case(mailbox, kesra_officer):
    """No thread headers (a new mail from another device) but the number in the subject."""
    _m, case = _converted(mailbox, kesra_officer)
    reply = receive(
        mailbox,
        mails.plain(
            message_id="<n1@lain.example>",
            sender="someone@lain.example",
            subject=f"Tambahan untuk {case.number.lower()}",
        ),
    )
    assert (reply.status, reply.case, reply.matched_by) == (IntakeStatus.ATTACHED, case, "subject")


def test_sender_with_an_open_case(mailbox, kesra_officer):
    """A reply (``Re:``) whose tag and headers were lost joins the sender's open case; a fresh
    message from the same sender waits in the queue with that case suggested."""
    _m, case = _converted(mailbox, kesra_officer)
    reply = receive(mailbox, mails.plain(message_id="<s1@warga.example>", subject="RE: bantuan"))
    assert (reply.status, reply.case, reply.matched_by) == (IntakeStatus.ATTACHED, case, "sender")
    fresh = receive(mailbox, mails.plain(message_id="<s2@warga.example>", subject="Jalan rusak"))
    assert (fresh.status, fresh.case, fresh.suggested_case) == (IntakeStatus.NEW, None, case)


def test_reply_to_a_closed_case_reopens_it_within_the_window(mailbox, kesra_officer, clock):
    """A closed case is reopened by the reporter's reply within 14 days; after that the reply
    waits in the queue with the case suggested."""
    _m, case = _converted(mailbox, kesra_officer)
    case_transition(actor=kesra_officer, case=case, to=Status.IN_PROGRESS)
    complaint_answer(actor=kesra_officer, case=case, answer="Sudah disalurkan.")
    case_transition(actor=kesra_officer, case=case, to=Status.CLOSED)
    subject = f"Re: [{case.number}]"
    reply = receive(mailbox, mails.plain(message_id="<c1@warga.example>", subject=subject))
    case.refresh_from_db()
    assert reply.status == IntakeStatus.ATTACHED and case.status == Status.IN_PROGRESS
    complaint_answer(actor=kesra_officer, case=case, answer="Sudah disalurkan lagi.")
    case_transition(actor=kesra_officer, case=case, to=Status.CLOSED)
    clock.shift(dt.timedelta(days=15))
    late = receive(mailbox, mails.plain(message_id="<c2@warga.example>", subject=subject))
    case.refresh_from_db()
    assert (late.status, late.suggested_case, case.status) == (
        IntakeStatus.NEW,
        case,
        Status.CLOSED,
    )


@pytest.mark.smtp
def test_auto_reply_to_our_mail_makes_nothing(mailbox, kesra_officer, smtp_server):
    """An out-of-office answering our acknowledgement is recorded as automatic: no event on
    the case, no queue item, no answer — no loop."""
    case, our_id = _sent_acknowledgement(mailbox, kesra_officer, smtp_server)
    before = OutboxMessage.objects.count()
    auto = receive(mailbox, mails.out_of_office(in_reply_to=our_id))
    assert (auto.status, auto.case) == (IntakeStatus.IGNORED, None)
    assert not CaseEvent.objects.filter(case=case, kind=REQUESTER_MESSAGE).exists()
    assert OutboxMessage.objects.count() == before


def test_our_own_mail_coming_back_is_ignored(mailbox):
    """Mail from our own sending address or the mailbox itself never becomes work."""
    own = receive(mailbox, mails.plain(sender="Layanan <layanan@kalbarprov.go.id>"))
    assert own.status == IntakeStatus.IGNORED


def test_the_same_message_twice_is_recorded_once(mailbox):
    """The same Message-ID delivered twice (To and CC the same mailbox) is one row."""
    assert receive(mailbox, mails.plain()) is not None
    assert receive(mailbox, mails.plain()) is None
    assert IntakeMessage.objects.count() == 1


# --- the answer goes back in the thread ------------------------------------------------------


@pytest.mark.smtp
def test_answer_goes_back_by_email_in_the_same_thread(mailbox, kesra_officer, smtp_server):
    """The answer to a complaint that came by e-mail is sent to the reporter with the answer
    itself, In-Reply-To their message and References to the thread, Reply-To the unit's
    mailbox, under their own subject."""
    raw = mails.reply(
        in_reply_to="<earlier@warga.example>",
        references="<root@warga.example> <earlier@warga.example>",
        subject="Bantuan sosial belum diterima",
        message_id="<orig@warga.example>",
    )
    message = receive(mailbox, raw)
    case = intake_convert(actor=kesra_officer, message=message)
    case_transition(actor=kesra_officer, case=case, to=Status.IN_PROGRESS)
    complaint_answer(actor=kesra_officer, case=case, answer="Bantuan dikirim Jumat ini.")
    outbox_dispatch()
    sent = smtp_server.wait_for(2)
    answer = next(m for m in sent if "Bantuan dikirim" in m.get_payload(decode=True).decode())
    assert answer["In-Reply-To"] == "<orig@warga.example>"
    assert answer["References"].split() == [
        "<root@warga.example>",
        "<earlier@warga.example>",
        "<orig@warga.example>",
    ]
    assert answer["Reply-To"] == "kesra@kalbarprov.go.id"
    assert answer["Subject"] == f"Re: Bantuan sosial belum diterima [{case.number}]"
    assert answer["To"] == "siti@warga.example"


def test_a_web_complaint_is_not_threaded(org):
    """A complaint filed on the web gets the usual messages: no thread headers, no answer."""
    from layanan.accounts.actors import PUBLIC

    case = complaint_create(
        actor=PUBLIC, unit=org["biro-kesra"], description="x", requester_email="a@b.example"
    )
    (ack,) = OutboxMessage.objects.filter(case_id=case.pk)
    assert ack.headers == {}


def test_a_refused_step_leaves_the_message_for_triage(mailbox, kesra_officer, monkeypatch):
    """When the case refuses the step the reply would take (staff changed it at that very
    moment), the message is not lost: it waits in the queue and the case is untouched."""
    from layanan.intake import services

    _m, case = _converted(mailbox, kesra_officer)
    case_transition(actor=kesra_officer, case=case, to=Status.WAITING, public_note="KK?")

    def refuse(**kwargs):
        raise Conflict("changed meanwhile", "invalid_transition")

    monkeypatch.setattr(services, "case_transition", refuse)
    reply = receive(mailbox, mails.plain(message_id="<w1@warga.example>", subject=case.number))
    assert (reply.status, reply.case) == (IntakeStatus.NEW, None)
    assert not CaseEvent.objects.filter(case=case, kind=REQUESTER_MESSAGE).exists()
    case.refresh_from_db()
    assert case.status == Status.WAITING
