"""The staff case page leads with the step that is due, shows an answer exactly as the reporter
will read it before sending it, and a draft answer starts the work on the record."""

from __future__ import annotations

import pytest
from django.urls import reverse

from layanan.cases.models import Case, CaseEvent, Status
from layanan.cases.workflow import case_answer_draft, case_transition, due_steps
from layanan.complaints.selectors import public_timeline
from layanan.complaints.services import complaint_assign, complaint_classify
from layanan.notify.models import OutboxMessage
from tests.cases.test_inbox import file_complaint
from tests.factories import published_standard

pytestmark = pytest.mark.django_db

S = Status


@pytest.fixture
def kesra_standard(org):
    return published_standard(standard__unit=org["biro-kesra"])


def page(case: Case) -> str:
    return reverse("cases:detail", args=[case.number])


def act(client, case: Case, action: str, **fields):
    data = {"action": action, **{f"{action}-{k}": v for k, v in fields.items()}}
    return client.post(page(case), data)


def opened_panel(response) -> str:
    """The action whose panel the page opens (its first one) and marks as the next step."""
    assert response.status_code == 200
    forms = response.context["action_forms"]
    assert forms and forms[0].action == response.context["due_action"]
    html = response.content.decode()
    assert f'id="aksi-{forms[0].action}" open data-due-step' in html
    return forms[0].action


# --- the due step, per state -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "classified", "assigned", "draft", "expected"),
    [
        (S.RECEIVED, False, False, False, ("verify", "classify", "start")),
        (S.VERIFIED, False, False, False, ("classify", "assign", "start", "draft", "answer")),
        (S.VERIFIED, True, False, False, ("assign", "start", "draft", "answer")),
        (S.VERIFIED, True, True, False, ("start", "draft", "answer")),
        (S.VERIFIED, False, False, True, ("answer", "draft")),
        (S.IN_PROGRESS, True, True, False, ("draft", "answer")),
        (S.IN_PROGRESS, True, True, True, ("answer", "draft")),
        (S.WAITING, True, True, False, ("resume",)),
        (S.ANSWERED, True, True, False, ("close",)),
        (S.CLOSED, True, True, False, ("reopen",)),
        (S.REJECTED, False, False, False, ()),
        (S.WITHDRAWN, False, False, False, ()),
    ],
)
def test_due_steps_per_state(
    org, kesra_officer, kesra_handler, status, classified, assigned, draft, expected
):
    """Each state names its due step: a waiting draft is sent before anything else, an
    unclassified complaint is classified before it is assigned, an unassigned one assigned
    before work starts."""
    case = file_complaint(kesra_officer, org["biro-kesra"])
    case.status = status
    if classified:
        case.complaint.class_code = "ringan"
    if assigned:
        case.assigned_unit = org["kesra-bina-mental"]
        case.assignee = kesra_handler
    assert due_steps(case, draft_waiting=draft) == expected


def test_a_waiting_draft_opens_send_the_answer_not_reclassify(
    client, org, kesra_standard, kesra_officer, kesra_handler
):
    """The complaint officer opening a case whose handler drafted an answer lands on "Send the
    answer" — not on "Reclassify" as the first panel used to be."""
    case = file_complaint(kesra_officer, org["biro-kesra"], standard=kesra_standard)
    case_transition(actor=kesra_officer, case=case, to=S.VERIFIED)
    complaint_classify(actor=kesra_officer, case=case, class_code="ringan")
    complaint_assign(
        actor=kesra_officer, case=case, division=org["kesra-bina-mental"], assignee=kesra_handler
    )
    client.force_login(kesra_officer)
    assert opened_panel(client.get(page(case))) == "start"
    case_answer_draft(actor=kesra_handler, case=case, answer="Sudah dibina.")
    assert opened_panel(client.get(page(case))) == "answer"
    client.force_login(kesra_handler)  # may not send: their due step is the draft itself
    assert opened_panel(client.get(page(case))) == "draft"


def test_a_new_complaint_opens_verify(client, org, kesra_standard, kesra_officer):
    """A complaint just received opens on "Verify" for the complaint officer."""
    case = file_complaint(kesra_officer, org["biro-kesra"], standard=kesra_standard)
    client.force_login(kesra_officer)
    assert opened_panel(client.get(page(case))) == "verify"


# --- sending an answer: preview, then confirm ------------------------------------------------


def _in_progress(org, kesra_officer, **kwargs):
    case = file_complaint(kesra_officer, org["biro-kesra"], **kwargs)
    case_transition(actor=kesra_officer, case=case, to=S.IN_PROGRESS)
    return case


def test_sending_an_answer_shows_what_the_reporter_reads_and_sends_nothing(
    client, org, kesra_officer
):
    """The first POST of "Send the answer" changes nothing: it shows the tracking page's answer
    card with the text as typed and the e-mail the reporter will get, and asks to confirm."""
    case = _in_progress(org, kesra_officer)
    queued = OutboxMessage.objects.count()
    client.force_login(kesra_officer)
    text = "Petugas telah ditegur.\n\nTerima kasih atas laporan Anda."
    response = act(client, case, "answer", answer=text)
    assert response.status_code == 200
    # The page rendered (the message preview's own text templates render before it).
    pages = [template.name for template in response.templates if template.name.endswith(".html")]
    assert pages[0] == "cases/answer_confirm.html"
    html = response.content.decode()
    assert '<section class="card cp-answer"' in html  # the tracking page's own card
    assert "<p>Petugas telah ditegur.</p>\n\n<p>Terima kasih atas laporan Anda.</p>" in html
    email_subject, email_body = response.context["message"]["email"]
    assert email_subject in html and email_body.splitlines()[0] in html
    assert "budi@example.com" not in html  # the text, never the address
    assert "Baca jawabannya di halaman pelacakan." in email_body  # Indonesian, as sent
    assert 'name="answer-confirmed" value="1"' in html
    case.refresh_from_db()
    assert case.status == S.IN_PROGRESS and not case.complaint.answer
    assert OutboxMessage.objects.count() == queued

    response = act(client, case, "answer", answer=text, confirmed="1")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == S.ANSWERED
    assert case.complaint.answer == text
    assert OutboxMessage.objects.filter(case_id=case.pk, kind="complaint.answered").exists()


def test_changing_the_answer_from_the_preview_keeps_the_text(client, org, kesra_officer):
    """ "Change the answer" returns to the case page with the text in the open answer panel."""
    case = _in_progress(org, kesra_officer)
    client.force_login(kesra_officer)
    data = {"action": "answer", "answer-answer": "Draf yang belum pas", "edit": "1"}
    response = client.post(page(case), data)
    assert response.status_code == 200
    assert response.context["bound_action"] == "answer"
    assert "Draf yang belum pas" in response.content.decode()
    case.refresh_from_db()
    assert case.status == S.IN_PROGRESS


def test_the_preview_of_an_anonymous_complaint_says_nobody_is_told(client, org, kesra_officer):
    """An anonymous reporter gets no message: the preview says so instead of showing one."""
    case = _in_progress(org, kesra_officer, anonymous=True)
    client.force_login(kesra_officer)
    response = act(client, case, "answer", answer="Jawaban")
    assert response.context["message"]["email"] is None
    assert 'data-message="none"' in response.content.decode()


# --- drafting starts the work ----------------------------------------------------------------


def test_drafting_on_a_verified_case_starts_the_work_on_the_timeline(
    client, org, kesra_officer, kesra_handler
):
    """A handler who drafts the answer before pressing "Start work" does start it: the case
    moves to in progress as its own step (the reporter reads "in progress", never the draft),
    with an internal note saying the draft started it."""
    case = file_complaint(kesra_officer, org["biro-kesra"])
    case_transition(actor=kesra_officer, case=case, to=S.VERIFIED)
    complaint_assign(
        actor=kesra_officer, case=case, division=org["kesra-bina-mental"], assignee=kesra_handler
    )
    client.force_login(kesra_handler)
    assert act(client, case, "draft", answer="Draf rahasia").status_code == 302
    case.refresh_from_db()
    assert case.status == S.IN_PROGRESS
    start, draft = CaseEvent.objects.filter(case=case).order_by("-at", "-pk")[:2][::-1]
    assert (start.kind, start.old_value, start.new_value) == ("status", "verified", "in_progress")
    assert start.actor == kesra_handler and not start.is_internal
    assert start.note and not start.public_note  # why it started: for staff only
    assert (draft.kind, draft.is_internal, draft.note) == ("answer_drafted", True, "Draf rahasia")
    entries = public_timeline(case)
    assert entries[-1].status == S.IN_PROGRESS  # the reporter sees the work start
    assert "Draf rahasia" not in " ".join(entry.note for entry in entries)


def test_drafting_on_a_case_in_progress_adds_no_status_step(org, kesra_officer, kesra_handler):
    """Once the work has started, a (second) draft is only the internal draft."""
    case = file_complaint(kesra_officer, org["biro-kesra"])
    case_transition(actor=kesra_officer, case=case, to=S.IN_PROGRESS)
    before = case.events.filter(kind="status").count()
    case_answer_draft(actor=kesra_officer, case=case, answer="Draf")
    assert case.events.filter(kind="status").count() == before


def test_a_draft_needs_text_and_an_open_state(org, kesra_officer):
    """An empty draft, or one on a received (unverified) case, is refused with nothing written."""
    from layanan.core.errors import ApplicationError

    case = file_complaint(kesra_officer, org["biro-kesra"])
    events = case.events.count()
    with pytest.raises(ApplicationError):
        case_answer_draft(actor=kesra_officer, case=case, answer="Draf")
    case_transition(actor=kesra_officer, case=case, to=S.VERIFIED)
    with pytest.raises(ApplicationError):
        case_answer_draft(actor=kesra_officer, case=case, answer="   ")
    assert case.events.count() == events + 1  # only the verification
    case.refresh_from_db()
    assert case.status == S.VERIFIED
