"""Ways to answer: the link of a closed case (once per case), the kiosk (rate-limited), and
the public results page."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation

from layanan.accounts.actors import PUBLIC
from layanan.cases.models import CaseKind, Channel, Status
from layanan.cases.services import case_create
from layanan.core.errors import Conflict
from layanan.surveys.models import SurveyInvitation, SurveyPeriod, SurveyResponse
from layanan.surveys.services import survey_answer_invitation, survey_invite_for_case

from .conftest import add_responses
from .test_ikm import WORKED

ANSWERS = {f"u{i}": "4" for i in range(1, 10)}


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def closed_case(kesra, kesra_service):
    case = case_create(
        actor=PUBLIC,
        kind=CaseKind.CONSULTATION,
        unit=kesra,
        channel=Channel.FACE_TO_FACE,
        standard=kesra_service,
        subject="Konsultasi bantuan hibah",
        requester_name="Siti Rahmawati",
        requester_email="siti@example.com",
    )
    case.status = Status.CLOSED
    case.closed_at = timezone.now()
    case.save(update_fields=["status", "closed_at"])
    return case


@pytest.mark.django_db
def test_invitation_link_answers_once_per_case(client, settings, closed_case, kesra_service):
    """The link of a closed case shows the questionnaire; answering stores one response tied
    to the case (unit and service from the case); the link then says it was used, and a
    second answer is refused."""
    settings.SITE_URL = "https://layanan.example.go.id"
    url = survey_invite_for_case(closed_case)
    assert url.startswith("https://layanan.example.go.id/survei/")
    assert survey_invite_for_case(closed_case) == url  # idempotent
    token = SurveyInvitation.objects.get(case=closed_case).token
    assert len(token) >= 32
    path = reverse("surveys:answer", args=[token])
    assert url.endswith(path)

    page = client.get(path)
    assert page.status_code == 200
    body = page.content.decode()
    assert kesra_service.name in body
    assert "Siti" not in body and "siti@example.com" not in body
    assert "private" in page["Cache-Control"]

    response = client.post(path, {**ANSWERS, "gender": "P", "age": "29", "comment": "Cepat"})
    assert response.status_code == 303
    assert response["Location"] == reverse("surveys:thanks")
    stored = SurveyResponse.objects.get()
    assert stored.case == closed_case
    assert (stored.unit, stored.service) == (closed_case.unit, kesra_service)
    assert (stored.channel, stored.gender, stored.age) == ("invitation", "P", 29)

    again = client.post(path, ANSWERS)
    assert again.status_code == 200
    assert SurveyResponse.objects.count() == 1
    with pytest.raises(Conflict):
        survey_answer_invitation(
            invitation=SurveyInvitation.objects.get(case=closed_case),
            answers={f"u{i}": 4 for i in range(1, 10)},
            profile={},
        )


@pytest.mark.django_db
def test_invitation_unknown_expired_and_open_case(client, closed_case, kesra):
    """An unknown token is a 404; an expired link answers 410 and stores nothing; a case still
    open gets no invitation."""
    assert client.get("/survei/tidak-ada-token-seperti-ini-sama-sekali/").status_code == 404
    survey_invite_for_case(closed_case)
    invitation = SurveyInvitation.objects.get(case=closed_case)
    invitation.expires_at = timezone.now() - datetime.timedelta(minutes=1)
    invitation.save()
    path = reverse("surveys:answer", args=[invitation.token])
    assert client.get(path).status_code == 410
    assert client.post(path, ANSWERS).status_code == 410
    assert SurveyResponse.objects.count() == 0

    open_case = case_create(
        actor=PUBLIC, kind=CaseKind.CONSULTATION, unit=kesra, channel=Channel.WEB
    )
    with pytest.raises(Conflict):
        survey_invite_for_case(open_case)


@pytest.mark.django_db
def test_incomplete_answers_keep_what_was_typed(client, closed_case):
    """A missing answer: 400, a translated message at the question, the other choices and the
    comment still there, nothing stored."""
    survey_invite_for_case(closed_case)
    path = reverse("surveys:answer", args=[closed_case.survey_invitation.token])
    data = {**ANSWERS, "comment": "Ruang tunggu panas"}
    del data["u5"]
    with translation.override("en"):
        response = client.post(path, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    body = response.content.decode()
    assert "Ruang tunggu panas" in body
    for question in (f"u{i}" for i in range(1, 10)):
        radios = re.findall(rf'<input[^>]*name="{question}"[^>]*>', body)
        assert len(radios) == 4, question
        checked = [r for r in radios if re.search(r"\bchecked\b", r)]
        if question == "u5":  # the one left out stays unanswered
            assert checked == []
        else:
            assert len(checked) == 1 and 'value="4"' in checked[0], question
    assert SurveyResponse.objects.count() == 0


@pytest.mark.django_db
def test_kiosk_works_without_javascript(client, kesra, kesra_service, binmental_service):
    """The kiosk page lists the unit's services (its Bagian's too) as radio buttons; a plain
    form POST stores a response for the chosen service's own unit and redirects to a thank-you
    page; on the office's tablet (``?tablet=1``) that page returns to an empty form by itself
    (meta refresh, no script), on a visitor's phone it does not (WCAG 2.2.1)."""
    path = reverse("surveys:kiosk", args=[kesra.slug]) + "?tablet=1"
    page = client.get(path)
    body = page.content.decode()
    assert page.status_code == 200
    assert "<script" not in body
    assert kesra_service.name in body and binmental_service.name in body
    assert body.count('type="radio"') >= 36 + 2

    response = client.post(path, {**ANSWERS, "service": binmental_service.pk})
    assert response.status_code == 303
    assert response["Location"].endswith("?tablet=1")
    thanks = client.get(response["Location"])
    assert 'http-equiv="refresh"' in thanks.content.decode()
    phone = client.get(reverse("surveys:kiosk_thanks", args=[kesra.slug]))
    assert 'http-equiv="refresh"' not in phone.content.decode()
    stored = SurveyResponse.objects.get()
    assert (stored.unit, stored.service, stored.channel) == (
        binmental_service.unit, binmental_service, "kiosk"
    )  # fmt: skip
    assert stored.case is None

    missing_service = client.post(path, ANSWERS)
    assert missing_service.status_code == 400
    assert client.get("/survei/kiosk/tidak-ada/").status_code == 404


@pytest.mark.django_db
def test_kiosk_rate_limit_per_client_address(client, settings, kesra, kesra_service):
    """Past the limit an address gets a 429 page with Retry-After and nothing is stored;
    another address (another tablet) is not affected."""
    settings.SURVEY_KIOSK_RATE = (3, 600)
    path = reverse("surveys:kiosk", args=[kesra.slug])
    data = {**ANSWERS, "service": kesra_service.pk}
    for _ in range(3):
        assert client.post(path, data, REMOTE_ADDR="10.0.0.5").status_code == 303
    blocked = client.post(path, data, REMOTE_ADDR="10.0.0.5")
    assert blocked.status_code == 429
    assert int(blocked["Retry-After"]) > 0
    assert SurveyResponse.objects.count() == 3
    assert client.post(path, data, REMOTE_ADDR="10.0.0.6").status_code == 303
    assert SurveyResponse.objects.count() == 4


@pytest.mark.django_db
def test_results_page_lists_units_of_the_latest_period(
    client, org, kesra, kesra_service, django_assert_max_num_queries
):
    """/survei/hasil/ shows, for the latest period that has started, each unit with responses
    (sub-units rolled up): converted IKM, grade, performance; in a fixed number of queries;
    and never anything about who answered."""
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    SurveyPeriod.objects.create(
        name="Semester lalu", slug="lalu", start=today - 210 * day, end=today - 31 * day
    )
    SurveyPeriod.objects.create(
        name="Semester berjalan", slug="berjalan", start=today - 30 * day, end=today + 150 * day
    )
    SurveyPeriod.objects.create(
        name="Semester depan", slug="depan", start=today + 151 * day, end=today + 330 * day
    )
    add_responses(
        WORKED,  # 81.25, B (worked by hand in test_ikm.py)
        unit=kesra,
        service=kesra_service,
        answered_on=today - day,
    )
    add_responses([(1,) * 9], unit=org["biro-umum"], answered_on=today - 100 * day)
    with translation.override("id"), django_assert_max_num_queries(8):
        page = client.get(reverse("surveys:results"))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Semester berjalan" in body and "Semester depan" not in body
    assert "81,25" in body and "Baik" in body
    assert org["biro-kesra"].name in body
    assert org["biro-umum"].name not in body  # answered in the other period
    previous = client.get(reverse("surveys:results"), {"periode": "lalu"}).content.decode()
    assert org["biro-umum"].name in previous and "25,00" in previous and "Tidak Baik" in previous
    assert client.get(reverse("surveys:results"), {"periode": "nope"}).status_code == 404


@pytest.mark.django_db
def test_results_page_without_periods(client, db):
    """No period yet: a friendly note, not an error."""
    page = client.get(reverse("surveys:results"))
    assert page.status_code == 200
