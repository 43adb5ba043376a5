"""Walk-in visitors are invited to the survey: a QR code on the ticket and on the end-of-service
screen, tied to that visit (one response per visit, a second refused), answerable once served;
the link by WhatsApp (when switched on) and e-mail (when given) when the visit closes."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext

from layanan.notify.models import OutboxMessage
from layanan.surveys.models import ResponseChannel, SurveyInvitation, SurveyResponse
from layanan.visits.services import visit_finish, visit_no_show, visit_register, visit_serve

ANSWERS = {f"u{i}": "4" for i in range(1, 10)}


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def register(actor, org, standard, *, email="", phone="081234567890"):
    return visit_register(
        actor=actor,
        unit=org["biro-kesra"],
        standard=standard,
        name="Siti Aminah",
        phone=phone,
        origin="Dinas Sosial",
        purpose="Konsultasi",
        email=email,
    )


def answer_path(case) -> str:
    return reverse("surveys:answer", kwargs={"token": case.survey_invitation.token})


def test_kiosk_ticket_carries_the_qr_of_its_own_invitation(client, org, kesra_walk_in, settings):
    """A guest registering at the kiosk gets a ticket page with a QR code and the link of the
    invitation made for that visit, valid SURVEY_INVITATION_DAYS days."""
    settings.SURVEY_INVITATION_DAYS = 10
    response = client.post(
        reverse("visits:kiosk", args=["biro-kesra"]) + f"?layanan={kesra_walk_in.slug}",
        {"name": "Siti Aminah", "phone": "081234567890", "purpose": "Tanya"},
    )
    assert response.status_code == 302
    ticket = client.get(response["Location"])
    invitation = SurveyInvitation.objects.get()
    html = ticket.content.decode()
    assert "data-survey" in html and "<svg" in html
    assert invitation.token in html
    assert invitation.case.visit.ticket in html
    days = (invitation.expires_at - invitation.case.received_at).total_seconds() / 86400
    assert round(days) == 10


def test_waiting_guest_is_asked_to_come_back_then_answers_once(
    client, org, kesra_front, kesra_walk_in
):
    """Scanned while waiting: the page says to answer after the service (a POST is refused,
    409, nothing stored). Once served the visit's one response is stored, linked to the case
    and counted for the visit's service; a second submission is refused in so many words."""
    case = register(kesra_front, org, kesra_walk_in)
    path = answer_path(case)
    waiting = client.get(path)
    come_back = gettext("You can answer once you have been served. Please keep this link.")
    assert waiting.status_code == 200 and come_back in waiting.content.decode()
    assert client.post(path, ANSWERS).status_code == 409
    assert not SurveyResponse.objects.exists()
    visit_serve(actor=kesra_front, case=case, desk="Loket 1")
    visit_finish(actor=kesra_front, case=case, outcome="Dijelaskan")
    assert client.get(path).status_code == 200
    assert client.post(path, ANSWERS).status_code == 303
    response = SurveyResponse.objects.get()
    assert response.case_id == case.pk and response.service == kesra_walk_in
    assert response.channel == ResponseChannel.INVITATION
    again = client.post(path, ANSWERS)
    assert again.status_code == 200  # the "already answered" page, as for any spent link
    used = gettext("This survey has already been answered. Thank you for your time.")
    assert used in again.content.decode()
    assert SurveyResponse.objects.count() == 1


def test_a_guest_who_left_unserved_may_still_answer(client, org, kesra_front, kesra_walk_in):
    """A guest marked not present (withdrawn) can rate the wait that made them leave."""
    case = register(kesra_front, org, kesra_walk_in)
    visit_no_show(actor=kesra_front, case=case)
    assert client.post(answer_path(case), ANSWERS).status_code == 303


def test_end_of_service_screen_shows_the_same_qr(client, org, kesra_front, kesra_walk_in):
    """Finishing at the desk leads to the end-of-service screen with the QR code of the
    visit's invitation (the ticket's link), and no guest name; back to the desk from there."""
    case = register(kesra_front, org, kesra_walk_in)
    client.force_login(kesra_front)
    client.post(reverse("visits:action", args=[case.visit.pk, "serve"]))
    response = client.post(
        reverse("visits:action", args=[case.visit.pk, "finish"]), {"outcome": "Dijelaskan"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("visits:survey_card", args=[case.visit.pk]))
    screen = client.get(response["Location"])
    html = screen.content.decode()
    assert case.survey_invitation.token in html and "<svg" in html
    assert "Siti Aminah" not in html
    assert reverse("visits:desk", args=["biro-kesra"]) in html


def test_end_of_service_screen_is_for_the_units_staff(
    client, org, kesra_front, ekon_officer, kesra_walk_in
):
    """Another unit's officer gets 404 for the screen (it carries the visit's link)."""
    case = register(kesra_front, org, kesra_walk_in)
    client.force_login(ekon_officer)
    assert client.get(reverse("visits:survey_card", args=[case.visit.pk])).status_code == 404


def test_closing_sends_the_link_by_whatsapp_and_email(
    org, kesra_front, kesra_walk_in, settings, django_capture_on_commit_callbacks
):
    """When the visit closes the invitation's link is queued to the e-mail the guest gave and,
    with WhatsApp switched on, to their number; once each, and only at closing."""
    settings.WHATSAPP_ENABLED = True
    case = register(kesra_front, org, kesra_walk_in, email="siti@example.org")
    visit_serve(actor=kesra_front, case=case, desk="Loket 1")
    assert not OutboxMessage.objects.filter(kind="survey.invitation").exists()
    visit_finish(actor=kesra_front, case=case, outcome="Dijelaskan")
    sent = {
        m.channel: m
        for m in OutboxMessage.objects.filter(kind="survey.invitation", case_id=case.pk)
    }
    assert set(sent) == {"email", "whatsapp"}
    assert sent["email"].recipient == "siti@example.org"
    assert sent["whatsapp"].recipient == "6281234567890"
    token = case.survey_invitation.token
    assert token in sent["email"].body and token in sent["whatsapp"].body


def test_whatsapp_off_and_no_email_sends_nothing(org, kesra_front, kesra_walk_in, settings):
    """Without an e-mail and with WhatsApp switched off (the default) nothing is queued: the
    QR codes remain the way in."""
    settings.WHATSAPP_ENABLED = False
    case = register(kesra_front, org, kesra_walk_in)
    visit_serve(actor=kesra_front, case=case)
    visit_finish(actor=kesra_front, case=case, outcome="Selesai")
    assert not OutboxMessage.objects.filter(case_id=case.pk, kind="survey.invitation").exists()
    assert SurveyInvitation.objects.filter(case=case).count() == 1


def test_a_bad_email_is_refused_and_nothing_is_written(client, org, kesra_front, kesra_walk_in):
    """The desk form refuses a malformed e-mail (400), keeps what was typed, writes nothing."""
    client.force_login(kesra_front)
    response = client.post(
        reverse("visits:register", args=["biro-kesra"]) + f"?layanan={kesra_walk_in.slug}",
        {"name": "Siti Aminah", "phone": "081234567890", "email": "siti@", "register": "1"},
    )
    assert response.status_code == 400
    assert 'value="siti@"' in response.content.decode()
    assert not SurveyInvitation.objects.exists()
    from layanan.cases.models import Case

    assert not Case.objects.exists()


def test_only_visits_get_a_ticket_invitation(org):
    """The ticket-time invitation is for desk visits; any other case kind is refused."""
    from layanan.accounts.actors import PUBLIC
    from layanan.cases.models import CaseKind, Channel
    from layanan.cases.services import case_create
    from layanan.core.errors import ApplicationError
    from layanan.surveys.services import survey_invitation_for_visit

    complaint = case_create(
        actor=PUBLIC,
        kind=CaseKind.COMPLAINT,
        unit=org["biro-kesra"],
        channel=Channel.WEB,
        subject="x",
    )
    with pytest.raises(ApplicationError):
        survey_invitation_for_visit(complaint)
    assert not SurveyInvitation.objects.exists()


def test_desk_registered_guest_gets_the_ticket_card_without_tracking_code(
    client, org, kesra_front, kesra_walk_in
):
    """A guest registered at the desk: the queue row links to the visit's card — ticket number
    and the survey QR — whose address and page hold no tracking code and no name."""
    case = register(kesra_front, org, kesra_walk_in)
    client.force_login(kesra_front)
    desk = client.get(reverse("visits:desk", args=["biro-kesra"])).content.decode()
    card_url = reverse("visits:survey_card", args=[case.visit.pk])
    assert card_url in desk and case.public_code not in desk
    html = client.get(card_url).content.decode()
    assert case.visit.ticket in html and case.survey_invitation.token in html
    assert case.public_code not in html and "Siti Aminah" not in html
