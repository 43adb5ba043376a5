"""``cases.public_pages.case_by_code``: the one lookup behind the status pages of audience and
facility requests and their letters. A found code costs nothing and reaches the view with the
code in its canonical spelling; an unknown, malformed or other-kind code — or the view's
``UnknownCode`` — spends one lookup of the shared budget and answers 404, then 429."""

from __future__ import annotations

import pytest
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from layanan.accounts.actors import SYSTEM
from layanan.cases.models import CaseKind, Channel
from layanan.cases.numbering import format_public_code
from layanan.cases.public_pages import UnknownCode, case_by_code, request_status_page
from layanan.cases.services import case_create

seen: list[tuple[int, str]] = []


@case_by_code(kind=CaseKind.AUDIENCE, canonical=True)
def status_view(request, case, code):
    seen.append((case.pk, code))
    return HttpResponse("ok")


@case_by_code(kind=CaseKind.AUDIENCE)
def letter_view(request, case, code):
    raise UnknownCode  # e.g. the letter is not issued yet


@pytest.fixture
def audience(org):
    seen.clear()
    return case_create(
        actor=SYSTEM, kind=CaseKind.AUDIENCE, unit=org["biro-kesra"], channel=Channel.WEB
    )


@pytest.fixture
def budget_of_two(settings):
    settings.TRACKING_LOOKUP_RATE = (2, 600)


def _get(view, code, query=""):
    return view(RequestFactory().get(f"/x/{code}/{query}"), code)


@pytest.mark.django_db
def test_a_found_code_spends_nothing(audience, budget_of_two):
    """Ten visits with a budget of two: each reaches the view with its case."""
    code = format_public_code(audience.public_code)
    for _ in range(10):
        assert _get(status_view, code).status_code == 200
    assert seen == [(audience.pk, code)] * 10


@pytest.mark.django_db
def test_another_spelling_redirects_to_the_status_page_keeping_just_sent(audience):
    """Lower case without dashes → the kind's status page at the canonical code, ``?baru=1``
    kept, private and not indexed; the view is not run."""
    code = format_public_code(audience.public_code)
    typed = code.replace("-", "").lower()

    response = status_view(RequestFactory().get("/x/", {"baru": "1"}), typed)

    assert response.status_code == 302
    assert response["Location"] == f"/audiensi/permohonan/{code}/?baru=1"
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert seen == []


@pytest.mark.django_db
def test_unknown_codes_spend_the_budget_then_429(audience, budget_of_two):
    """Two misses (unknown, malformed) answer 404; the third — even the code of a request of
    another kind's page — 429 with Retry-After."""
    for code in ("AAAA-BBBB-CCCC", "not a code"):
        with pytest.raises(Http404):
            _get(status_view, code)
    response = _get(status_view, "AAAA-BBBB-CCCD")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert seen == []


@pytest.mark.django_db
def test_a_code_of_another_kind_is_unknown_here(org, budget_of_two):
    """A facility request's code on the audience page is a miss (it costs a lookup)."""
    facility = case_create(
        actor=SYSTEM, kind=CaseKind.FACILITY, unit=org["biro-umum"], channel=Channel.WEB
    )
    code = format_public_code(facility.public_code)
    with pytest.raises(Http404):
        _get(status_view, code)
    with pytest.raises(Http404):
        _get(status_view, code)
    assert _get(status_view, code).status_code == 429
    assert request_status_page(facility.public_code) == "bookings_public:status"


@pytest.mark.django_db
def test_the_views_unknown_code_counts_as_a_miss(audience, budget_of_two):
    """A view that answers "not yet" (UnknownCode) costs the client as a wrong code does, so
    the answer does not tell a guesser that the code exists."""
    code = format_public_code(audience.public_code)
    with pytest.raises(Http404):
        _get(letter_view, code)
    with pytest.raises(Http404):
        _get(letter_view, code)
    assert _get(letter_view, code).status_code == 429
