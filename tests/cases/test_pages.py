"""The staff case page (/staf/kasus/<number>/): who may see it, who may act on it, what it
shows of the reporter, and the whole complaint flow driven through its forms."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from layanan.cases.forms import ACTION_FORMS
from layanan.cases.models import Attachment, Case, CaseEvent, Status
from layanan.cases.workflow import case_transition
from layanan.complaints.services import complaint_assign, complaint_classify
from layanan.workdays.deadlines import deadline
from layanan.workdays.durations import Duration
from tests.cases.test_inbox import file_complaint
from tests.factories import published_standard

pytestmark = pytest.mark.django_db


@pytest.fixture
def kesra_standard(org):
    """A published Biro Kesra standard with the seeds' four complaint classes."""
    return published_standard(standard__unit=org["biro-kesra"])


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# The phone as stored and shown (E.164, layanan.core.phones), so a leak of it is recognised.
IDENTITY = ("Siti Rahmawati", "siti.rahma@example.com", "+62811223344")


def page(case: Case) -> str:
    return reverse("cases:detail", args=[case.number])


def act(client, case: Case, action: str, **fields):
    """POST one action form of the case page (fields without the form's prefix)."""
    data = {"action": action, **{f"{action}-{k}": v for k, v in fields.items()}}
    return client.post(page(case), data)


def confidential_case(officer, unit, **kwargs):
    name, email, phone = IDENTITY
    return file_complaint(
        officer,
        unit,
        confidential=True,
        requester_name=name,
        requester_email=email,
        requester_phone=phone,
        **kwargs,
    )


def shows_identity(html: str) -> bool:
    return any(part in html for part in IDENTITY)


# --- reach -----------------------------------------------------------------------------------


def test_another_units_officer_gets_404_on_page_actions_and_files(
    client, org, kesra_officer, ekon_officer
):
    """Biro Perekonomian's complaint officer cannot tell a Kesra case exists: its page, every
    action POST (identity included) and its attachment download all answer 404, and nothing
    changes."""
    case = confidential_case(kesra_officer, org["biro-kesra"])
    client.force_login(kesra_officer)
    assert act(client, case, "note", note="lampiran").status_code == 302
    upload = SimpleUploadedFile("bukti.pdf", PDF, content_type="application/pdf")
    client.post(page(case), {"action": "attach", "attach-files": [upload]})
    attachment = Attachment.objects.get(case=case)
    events_before = CaseEvent.objects.filter(case=case).count()

    client.force_login(ekon_officer)
    assert client.get(page(case)).status_code == 404
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    for action in [*ACTION_FORMS, "show_identity", "nonsense"]:
        response = act(client, case, action, note="x", answer="x", class_code="ringan")
        assert response.status_code == 404, action
    assert client.get(reverse("cases:attachment_download", args=[attachment.pk])).status_code == 404
    case.refresh_from_db()
    assert case.status == Status.RECEIVED
    assert CaseEvent.objects.filter(case=case).count() == events_before


def test_unknown_case_is_404(client, kesra_officer):
    """A number that does not exist answers 404 like one out of reach."""
    client.force_login(kesra_officer)
    response = client.get(reverse("cases:detail", args=["KESRA/ADU/2026/999999"]))
    assert response.status_code == 404


def test_auditor_reads_but_cannot_act(client, org, kesra_officer, auditor):
    """The APIP auditor sees the page with its timeline but is offered no action, and every
    action POST is refused with 403 without changing the case."""
    case = file_complaint(kesra_officer, org["biro-kesra"], subject="Diperiksa APIP")
    client.force_login(auditor)
    response = client.get(page(case))
    assert response.status_code == 200
    assert "Diperiksa APIP" in response.content.decode()
    assert response.context["action_forms"] == []
    for action in ACTION_FORMS:
        response = act(client, case, action, note="audit", answer="x", class_code="ringan")
        assert response.status_code == 403, action
    case.refresh_from_db()
    assert case.status == Status.RECEIVED
    assert not CaseEvent.objects.filter(case=case, actor=auditor).exists()


def test_inbox_root_redirects_to_the_list(client, kesra_officer):
    """/staf/ leads to the inbox."""
    client.force_login(kesra_officer)
    response = client.get("/staf/")
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:inbox")


# --- the reporter's identity ----------------------------------------------------------------


def test_anonymous_reporter_is_nowhere(
    client, org, kesra_officer, kesra_handler, kesra_head, auditor
):
    """An anonymous complaint stores no identity, so no page shows one: every persona sees
    "Anonim" and nothing else; asking to show the identity records nothing."""
    case = file_complaint(
        kesra_officer,
        org["biro-kesra"],
        anonymous=True,
        requester_name=IDENTITY[0],
        requester_email=IDENTITY[1],
        requester_phone=IDENTITY[2],
    )
    complaint_assign(actor=kesra_officer, case=case, division=org["kesra-bina-mental"])
    for user in (kesra_officer, kesra_handler, kesra_head, auditor):
        client.force_login(user)
        for response in (
            client.get(page(case)),
            client.get(reverse("cases:inbox")),
            client.post(page(case), {"action": "show_identity"}),
        ):
            html = response.content.decode()
            assert response.status_code == 200, user
            assert not shows_identity(html), user
        assert 'data-identity="anonymous"' in html and "Anonim" in html
    assert not CaseEvent.objects.filter(case=case, kind="identity_viewed").exists()


def test_confidential_identity_for_the_complaint_officer_only_and_audited(
    client, org, kesra_officer, kesra_handler, kesra_head, auditor
):
    """A confidential reporter is hidden from the handler, the head and the auditor, even when
    they ask; the complaint officer sees it only after pressing "show identity", and each
    showing records an internal identity_viewed event with the officer and the time."""
    case = confidential_case(kesra_officer, org["biro-kesra"])
    complaint_assign(actor=kesra_officer, case=case, division=org["kesra-bina-mental"])
    for user in (kesra_handler, kesra_head, auditor):
        client.force_login(user)
        html = client.get(page(case)).content.decode()
        assert not shows_identity(html) and 'data-identity="hidden"' in html
        assert 'value="show_identity"' not in html
        refused = client.post(page(case), {"action": "show_identity"})
        assert refused.status_code == 403
        assert not shows_identity(refused.content.decode())
    assert not CaseEvent.objects.filter(kind="identity_viewed").exists()

    client.force_login(kesra_officer)
    html = client.get(page(case)).content.decode()
    assert not shows_identity(html)
    assert 'value="show_identity"' in html
    assert not CaseEvent.objects.filter(kind="identity_viewed").exists()
    before = timezone.now()
    response = client.post(page(case), {"action": "show_identity"})
    assert response.status_code == 200
    html = response.content.decode()
    assert all(part in html for part in IDENTITY)
    event = CaseEvent.objects.get(case=case, kind="identity_viewed")
    assert event.actor == kesra_officer and event.is_internal and event.at >= before
    # Viewing again is recorded again; the next plain visit hides it once more.
    client.post(page(case), {"action": "show_identity"})
    assert CaseEvent.objects.filter(case=case, kind="identity_viewed").count() == 2
    assert not shows_identity(client.get(page(case)).content.decode())


def test_ordinary_requester_is_shown_to_staff(client, org, kesra_officer, kesra_head):
    """A requester who asked for neither anonymity nor confidentiality is shown directly,
    without an audit event."""
    case = file_complaint(kesra_officer, org["biro-kesra"], requester_name="Rahmat Hidayat")
    client.force_login(kesra_head)
    assert "Rahmat Hidayat" in client.get(page(case)).content.decode()
    assert not CaseEvent.objects.filter(kind="identity_viewed").exists()


# --- the flow --------------------------------------------------------------------------------


def test_full_flow_through_the_pages(
    client, org, kesra_standard, kesra_officer, kesra_handler, kesra_head
):
    """verify → classify → assign → start → pause/resume → draft (handler) → send (officer) →
    close, each through the page's forms, each recorded on the timeline."""
    case = file_complaint(kesra_officer, org["biro-kesra"], standard=kesra_standard)
    client.force_login(kesra_officer)
    assert act(client, case, "verify", note="Lengkap").status_code == 302
    assert act(client, case, "classify", class_code="normatif").status_code == 302
    response = act(
        client,
        case,
        "assign",
        division=org["kesra-bina-mental"].pk,
        assignee=kesra_handler.pk,
        note="Mohon ditindaklanjuti",
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.VERIFIED
    assert case.complaint.class_code == "normatif"
    assert (case.assigned_unit, case.assignee) == (org["kesra-bina-mental"], kesra_handler)

    client.force_login(kesra_handler)
    offered = {f.action for f in client.get(page(case)).context["action_forms"]}
    assert {"start", "pause", "draft", "note", "attach"} <= offered
    assert not offered & {"answer", "verify", "assign", "close", "classify", "reject"}
    assert act(client, case, "start").status_code == 302
    assert act(client, case, "pause", public_note="Mohon kirim fotokopi KTP").status_code == 302
    case.refresh_from_db()
    assert case.status == Status.WAITING and case.paused_since is not None
    assert act(client, case, "resume").status_code == 302
    assert act(client, case, "draft", answer="Petugas telah ditegur.").status_code == 302
    # The handler may not send it.
    assert act(client, case, "answer", answer="Petugas telah ditegur.").status_code == 403

    client.force_login(kesra_officer)
    response = client.get(page(case))
    send = next(f for f in response.context["action_forms"] if f.action == "answer")
    assert send.initial["answer"] == "Petugas telah ditegur."  # the draft, ready to send
    response = act(
        client, case, "answer", answer="Petugas telah ditegur dan dibina.", confirmed="1"
    )
    assert response.status_code == 302
    assert act(client, case, "close", note="Selesai").status_code == 302
    case.refresh_from_db()
    assert case.status == Status.CLOSED and case.closed_at is not None
    assert case.complaint.answer == "Petugas telah ditegur dan dibina."
    assert case.complaint.answered_by == kesra_officer
    kinds = list(case.events.values_list("kind", flat=True))
    for kind in ("received", "status", "classified", "assigned", "answer_drafted"):
        assert kind in kinds
    html = client.get(page(case)).content.decode()
    assert "Petugas telah ditegur dan dibina." in html
    assert "Mohon kirim fotokopi KTP" in html

    # Reopen within the window.
    assert act(client, case, "reopen", note="Pelapor belum puas").status_code == 302
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS and case.reopen_count == 1


def test_pause_message_goes_on_the_public_timeline(client, org, kesra_officer):
    """The message written when pausing is the public text of a public event (the reporter
    reads it on the tracking page); the resume note stays internal (the step itself, "handling
    started", is public)."""
    case = file_complaint(kesra_officer, org["biro-kesra"])
    client.force_login(kesra_officer)
    act(client, case, "pause", public_note="Mohon lengkapi alamat kejadian")
    act(client, case, "resume", note="Alamat diterima lewat telepon")
    paused, resumed = case.events.filter(kind="status").order_by("at", "pk")
    assert paused.public_note == "Mohon lengkapi alamat kejadian" and not paused.is_internal
    assert resumed.note == "Alamat diterima lewat telepon" and resumed.public_note == ""


def test_classification_recomputes_the_due_time_from_receipt(
    client, org, kesra_standard, kesra_officer
):
    """Classifying (and reclassifying) sets due_at to the class's time limit counted from the
    original receipt, and the page shows the new due time."""
    received = timezone.now() - dt.timedelta(days=2)
    case = file_complaint(
        kesra_officer, org["biro-kesra"], standard=kesra_standard, received_at=received
    )
    client.force_login(kesra_officer)
    act(client, case, "classify", class_code="normatif")
    case.refresh_from_db()
    expected = deadline(received, Duration(value=5, unit="working_days", text=""), unit=case.unit)
    assert case.due_at == expected
    act(client, case, "classify", class_code="berkadar_pengawasan")
    case.refresh_from_db()
    later = deadline(received, Duration(value=60, unit="working_days", text=""), unit=case.unit)
    assert case.due_at == later
    assert case.events.filter(kind="reclassified").exists()
    from layanan.workdays.deadlines import format_due

    assert format_due(later) in client.get(page(case)).content.decode()


def test_conflict_is_a_message_not_a_500(client, org, kesra_officer):
    """An action the case's state no longer allows (verifying twice, closing before an
    answer) answers 409 with a message on the page."""
    case = file_complaint(kesra_officer, org["biro-kesra"])
    client.force_login(kesra_officer)
    act(client, case, "verify")
    for action in ("verify", "close", "resume"):
        response = act(client, case, action)
        assert response.status_code == 409, action
        assert response.context["error"]


def test_service_conflict_after_the_page_was_loaded(client, org, kesra_officer, monkeypatch):
    """When the service itself refuses (here: the status machine, because another officer
    changed the case meanwhile), the page shows its message with status 409 and keeps what was
    typed."""
    case = file_complaint(kesra_officer, org["biro-kesra"])
    client.force_login(kesra_officer)
    from layanan.cases import action_forms as forms  # where VerifyForm calls case_transition

    real = forms.case_transition

    def racing(*, actor, case, to, **kwargs):
        case_transition(actor=actor, case=case, to=Status.REJECTED, public_note="Oleh petugas lain")
        return real(actor=actor, case=case, to=to, **kwargs)

    monkeypatch.setattr(forms, "case_transition", racing)
    response = act(client, case, "verify", note="Catatan saya")
    assert response.status_code == 409
    html = response.content.decode()
    assert "Catatan saya" in html and response.context["error"]


def test_form_errors_keep_the_input(client, org, kesra_officer):
    """A rejection without a reason is refused with 400, the error beside the field, and the
    other forms still there; a too-long note keeps what was typed."""
    case = file_complaint(kesra_officer, org["biro-kesra"])
    client.force_login(kesra_officer)
    response = act(client, case, "reject", public_note="   ")
    assert response.status_code == 400
    assert response.context["bound_action"] == "reject"
    long = "Sangat panjang " * 200
    response = act(client, case, "reject", public_note=long)
    assert response.status_code == 400
    assert "Sangat panjang Sangat panjang" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.RECEIVED
    response = act(client, case, "reject", public_note="Bukan kewenangan Biro Kesra")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.REJECTED


def test_assign_only_within_the_cases_unit(client, org, kesra_officer, ekon_officer):
    """The division list holds the Bagian of the case's Biro only; a division of another Biro
    posted anyway is refused."""
    case = file_complaint(kesra_officer, org["biro-kesra"])
    client.force_login(kesra_officer)
    form = next(f for f in client.get(page(case)).context["action_forms"] if f.action == "assign")
    divisions = set(form.fields["division"].queryset)
    assert org["kesra-bina-mental"] in divisions
    assert all(d.is_within(org["biro-kesra"]) and d != org["biro-kesra"] for d in divisions)
    other = next(u for u in org.values() if u.is_within(org["biro-perekonomian"]))
    response = act(client, case, "assign", division=other.pk)
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.assigned_unit is None


def test_note_and_attachment(client, org, kesra_officer):
    """An internal note and an uploaded file appear on the page (marked internal), the file with
    a working download link; a file of a wrong type is refused with 400."""
    case = file_complaint(kesra_officer, org["biro-kesra"])
    client.force_login(kesra_officer)
    assert act(client, case, "note", note="Sudah ditelepon").status_code == 302
    upload = SimpleUploadedFile("Surat pelapor.pdf", PDF, content_type="application/pdf")
    response = client.post(
        page(case), {"action": "attach", "attach-files": [upload], "attach-internal": ""}
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get(case=case)
    assert not attachment.is_internal and attachment.uploaded_by == kesra_officer
    html = client.get(page(case)).content.decode()
    assert "Sudah ditelepon" in html
    link = reverse("cases:attachment_download", args=[attachment.pk])
    assert link in html and "Surat pelapor.pdf" in html
    download = client.get(link)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    bad = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00not a pdf", content_type="application/pdf")
    response = client.post(page(case), {"action": "attach", "attach-files": [bad]})
    assert response.status_code == 400
    assert Attachment.objects.filter(case=case).count() == 1


def test_case_page_query_count_is_bounded(
    client, org, kesra_standard, kesra_officer, django_assert_max_num_queries
):
    """The case page does not grow with its timeline: 3 events or 40 cost the same."""
    case = file_complaint(kesra_officer, org["biro-kesra"], standard=kesra_standard)
    complaint_classify(actor=kesra_officer, case=case, class_code="normatif")
    client.force_login(kesra_officer)
    client.get(page(case))
    # 15, plus one per Bagian beyond the first for the disposition's person list (who may work
    # each Bagian's cases): Biro Kesra has three.
    with django_assert_max_num_queries(17) as few:
        client.get(page(case))
    count = len(few.captured_queries)  # read now: every request resets the query log
    for i in range(40):
        act(client, case, "note", note=f"Catatan {i}")
    with django_assert_max_num_queries(count):
        client.get(page(case))
