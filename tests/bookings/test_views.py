"""Staff pages and the public form of facility requests."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from layanan.cases.models import Case, Status
from layanan.cases.numbering import format_public_code
from layanan.facilities.models import BookingDetail, BookingState
from layanan.facilities.services import booking_approve
from tests.dates import at

pytestmark = pytest.mark.django_db


def detail_url(case):
    return reverse("bookings:detail", args=[case.number])


def test_other_units_staff_get_404_everywhere(client, room, monday, file_request, ekon_officer):
    """Biro Perekonomian's officer cannot see a Biro Umum request: 404 on its page and on the
    room's calendar, and the request is in neither their list nor their calendar."""
    case = file_request(room, at(monday, 9), at(monday, 11))
    client.force_login(ekon_officer)
    assert client.get(detail_url(case)).status_code == 404
    assert client.post(detail_url(case), {"action": "approve"}).status_code == 404
    response = client.get(reverse("bookings:list"))
    assert response.status_code == 200 and case.number not in response.text
    week = f"{monday.isocalendar()[0]}-W{monday.isocalendar()[1]:02d}"
    response = client.get(reverse("bookings:calendar") + f"?week={week}")
    assert case.number not in response.text and room.name not in response.text
    assert client.get(reverse("bookings:calendar") + f"?resource={room.pk}").status_code == 404
    assert BookingDetail.objects.get(case=case).state == BookingState.REQUESTED


def test_anonymous_visitors_are_sent_to_login(client, room, monday, file_request):
    """The staff pages need a login."""
    case = file_request(room, at(monday, 9), at(monday, 11))
    for url in (reverse("bookings:list"), reverse("bookings:calendar"), detail_url(case)):
        response = client.get(url)
        assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


def test_head_approves_from_the_page(client, room, monday, file_request, umum_head):
    """The approve button approves and returns to the page with a confirmation."""
    case = file_request(room, at(monday, 9), at(monday, 11))
    client.force_login(umum_head)
    response = client.post(
        detail_url(case), {"action": "approve", "approve-text": "Kunci di satpam"}, follow=True
    )
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.booking.state == BookingState.APPROVED and case.status == Status.ANSWERED
    assert "Kunci di satpam" in response.text


def test_refusal_without_reason_keeps_the_page_and_says_why(
    client, room, monday, file_request, umum_head
):
    """An empty reason is a 400 with the error beside the field; nothing changes."""
    case = file_request(room, at(monday, 9), at(monday, 11))
    client.force_login(umum_head)
    response = client.post(detail_url(case), {"action": "refuse", "refuse-text": ""})
    assert response.status_code == 400
    assert 'class="field-error"' in response.text
    assert BookingDetail.objects.get(case=case).state == BookingState.REQUESTED


def test_overlapping_approval_on_the_page_is_a_409_naming_the_other(
    client, room, monday, file_request, umum_head
):
    """The conflict comes back as a 409 page naming the approved booking; the typed note stays."""
    first = file_request(room, at(monday, 9), at(monday, 11))
    second = file_request(room, at(monday, 10), at(monday, 12))
    booking_approve(actor=umum_head, case=first)
    client.force_login(umum_head)
    response = client.post(
        detail_url(second), {"action": "approve", "approve-text": "catatan saya"}
    )
    assert response.status_code == 409
    assert first.number in response.text
    assert "catatan saya" in response.text


def test_calendar_shows_approved_and_marks_pending(
    client, room, hall, monday, file_request, umum_head, umum_front, django_assert_max_num_queries
):
    """The week grid has one row per resource; an approved booking shows on its day, a pending
    one is marked; a booking over two days shows on both. The query count does not grow with
    the number of bookings."""
    approved = file_request(room, at(monday, 9), at(monday, 11))
    booking_approve(actor=umum_head, case=approved)
    pending = file_request(
        room, at(monday + dt.timedelta(days=1), 13), at(monday + dt.timedelta(days=1), 15)
    )
    two_days = file_request(
        hall, at(monday + dt.timedelta(days=2), 8), at(monday + dt.timedelta(days=3), 12)
    )
    for i in range(10):
        file_request(
            hall,
            at(monday + dt.timedelta(days=4), 8 + i % 8, 0),
            at(monday + dt.timedelta(days=4), 8 + i % 8, 30),
        )
    client.force_login(umum_front)
    iso = monday.isocalendar()
    url = reverse("bookings:calendar") + f"?week={iso[0]}-W{iso[1]:02d}"
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert response.status_code == 200
    html = response.text
    assert html.count(f'data-case="{approved.number}"') == 1
    assert f'class="bk-slot bk-approved" href="{detail_url(approved)}"' in html
    assert f'class="bk-slot bk-requested" href="{detail_url(pending)}"' in html
    assert html.count(f'data-case="{two_days.number}"') == 2
    # per resource
    response = client.get(url + f"&resource={room.pk}")
    assert approved.number in response.text and two_days.number not in response.text
    # other weeks are empty; a bad week value falls back to this week
    next_week = monday + dt.timedelta(days=7)
    iso = next_week.isocalendar()
    response = client.get(reverse("bookings:calendar") + f"?week={iso[0]}-W{iso[1]:02d}")
    assert approved.number not in response.text
    assert client.get(reverse("bookings:calendar") + "?week=nonsense").status_code == 200


def test_list_is_scoped_and_has_a_fixed_number_of_queries(
    client, room, monday, file_request, umum_front, django_assert_max_num_queries
):
    """The list shows the unit's requests with a bounded number of queries."""
    cases = [file_request(room, at(monday, 8 + i), at(monday, 9 + i)) for i in range(6)]
    client.force_login(umum_front)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("bookings:list"))
    assert all(c.number in response.text for c in cases)


# --- public --------------------------------------------------------------------------------------


def form_data(room, monday, **overrides):
    data = {
        "resource": room.pk,
        "starts_at": at(monday, 9).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": at(monday, 11).strftime("%Y-%m-%dT%H:%M"),
        "participants": "12",
        "purpose": "Rapat persiapan MTQ",
        "organisation": "LPTQ Provinsi",
        "name": "Budi Santoso",
        "email": "budi@example.org",
        "phone": "",
        "website": "",
        "letter": letter_pdf(),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def letter_pdf(name="surat-permohonan.pdf"):
    """A request letter as the browser uploads it (the content is checked, not the name)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, b"%PDF-1.4\n% surat permohonan\n", "application/pdf")


def test_public_request_creates_the_case_and_shows_its_page(client, room, monday):
    """A valid request lands on the request's page with the tracking code; the page shows the
    state and the facility but not the requester's name or e-mail."""
    response = client.post(reverse("bookings_public:form"), form_data(room, monday))
    assert response.status_code == 303
    case = Case.objects.get()
    assert case.requester_name == "Budi Santoso" and case.booking.participants == 12
    response = client.get(response["Location"])
    assert response.status_code == 200
    assert format_public_code(case.public_code) in response.text
    assert room.name in response.text
    assert "Budi" not in response.text and "budi@example.org" not in response.text


@pytest.mark.parametrize(
    ("overrides", "field", "kept"),
    [
        ({"ends_at": "2020-01-01T08:00"}, "ends_at", "Rapat persiapan MTQ"),
        ({"participants": "500"}, "participants", "LPTQ Provinsi"),
        ({"email": "", "phone": ""}, "email", "Budi Santoso"),
        ({"phone": "0812-34"}, "phone", "0812-34"),
        ({"starts_at": "besok pagi"}, "starts_at", "Rapat persiapan MTQ"),
        ({"resource": "999999"}, "resource", "Budi Santoso"),
    ],
)
def test_public_form_errors_keep_the_input(client, room, monday, overrides, field, kept):
    """A rejected request is a 400 with the error beside the field and everything typed kept."""
    response = client.post(reverse("bookings_public:form"), form_data(room, monday, **overrides))
    assert response.status_code == 400
    assert f'id="field-{field}"' in response.text
    block = response.text.split(f'id="field-{field}"', 1)[1].split('<div class="field', 1)[0]
    assert "field-error" in block
    assert kept in response.text
    assert not Case.objects.exists()


def test_public_form_refuses_a_past_start(client, room):
    """A start in the past is refused with a message, not a 500."""
    past = dt.date.today() - dt.timedelta(days=3)
    response = client.post(
        reverse("bookings_public:form"),
        form_data(room, past),
    )
    assert response.status_code == 400
    assert not Case.objects.exists()


def test_public_form_says_when_the_slot_is_taken(client, room, monday, file_request, umum_head):
    """An approved booking's slot is refused with its times; the other request's number is not
    revealed."""
    first = file_request(room, at(monday, 9), at(monday, 11))
    booking_approve(actor=umum_head, case=first)
    response = client.post(reverse("bookings_public:form"), form_data(room, monday))
    assert response.status_code == 400
    assert "09.00" in response.text and first.number not in response.text


def test_unknown_code_is_404(client):
    """A made-up code finds nothing."""
    response = client.get(reverse("bookings_public:status", args=["ABCD-EFGH-JKMN"]))
    assert response.status_code == 404


def test_the_generic_case_page_hands_a_facility_case_to_the_booking_page(
    client, room, monday, file_request, umum_head
):
    """A facility case opened from the inbox goes to its booking page, so its status can
    never change apart from its booking (a status action posted there changes nothing)."""
    case = file_request(room, at(monday, 9), at(monday, 11))
    client.force_login(umum_head)
    url = reverse("cases:detail", args=[case.number])
    assert client.get(url)["Location"] == detail_url(case)
    client.post(url, {"action": "verify"})
    case.refresh_from_db()
    assert case.status == Status.RECEIVED
    assert case.booking.state == BookingState.REQUESTED
