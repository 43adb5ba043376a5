"""Bookings API: facility requests and audience requests — filing, lists, detail, actions."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from layanan.accounts.actors import PUBLIC
from layanan.accounts.models import Role
from layanan.audiences.services import audience_request_create
from layanan.cases.models import Case, CaseKind, Status
from layanan.facilities.models import Resource, ResourceKind
from tests.factories import MembershipFactory, UserFactory

from .utils import EN, assert_error, bearer

pytestmark = pytest.mark.django_db


def _at(days: int, hour: int) -> str:
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime.combine(
        day, dt.time(hour), tzinfo=timezone.get_current_timezone()
    ).isoformat()


@pytest.fixture
def seeds(org):
    call_command("load_demo", "--no-users", verbosity=0)
    return org


@pytest.fixture
def room(org):
    return Resource.objects.create(
        unit=org["biro-umum"], name="Ruang Rapat Lt. 2", kind=ResourceKind.ROOM, capacity=20
    )


@pytest.fixture
def umum_head(org):
    user = UserFactory(username="umum.kepala")
    MembershipFactory(user=user, unit=org["biro-umum"], role=Role.HEAD)
    return user


def post(client, url, data=None, key=None):
    headers = bearer(key) if key else EN
    return client.post(url, json.dumps(data or {}), content_type="application/json", **headers)


def booking_payload(room, **over):
    data = {
        "resource": room.pk,
        "starts_at": _at(9, 9),
        "ends_at": _at(9, 11),
        "purpose": "Rapat koordinasi",
        "participants": 10,
        "name": "Siti Aminah",
        "email": "siti@example.org",
    }
    data.update(over)
    return data


# --- resources and bookings ---------------------------------------------------------------------


def test_resources_are_public(client, room):
    """Anyone lists the facilities that take requests."""
    response = client.get("/api/v1/resources")
    assert response.status_code == 200
    assert response.json()["results"][0]["name"] == "Ruang Rapat Lt. 2"


def test_public_files_a_booking_and_cannot_set_staff_fields(client, room):
    """Without a token a booking is filed through the web; `channel` is staff-only."""
    response = post(client, "/api/v1/bookings", booking_payload(room))
    assert response.status_code == 201, response.content
    assert Case.objects.get(pk=response.json()["id"]).channel == "web"
    response = post(client, "/api/v1/bookings", booking_payload(room, channel="letter"))
    assert_error(response, 403, "staff_only_fields")


def test_booking_errors(client, room):
    """Unknown resource 404, end before start 400, unknown keys 400."""
    assert_error(
        post(client, "/api/v1/bookings", booking_payload(room, resource=99999)),
        404,
        "unknown_resource",
    )
    assert_error(
        post(client, "/api/v1/bookings", booking_payload(room, ends_at=_at(9, 8))),
        400,
        "ends_before_start",
    )
    assert_error(
        post(client, "/api/v1/bookings", booking_payload(room, colour="x")), 400, "invalid_request"
    )


def test_booking_list_detail_and_actions(client, room, umum_head, make_token, ekon_officer):
    """Staff list, read, approve; an overlapping approval is a 409; another unit's token gets
    404 for the detail and an empty list."""
    _token, key = make_token(umum_head)
    first = post(client, "/api/v1/bookings", booking_payload(room)).json()["id"]
    second = post(client, "/api/v1/bookings", booking_payload(room, name="Budi")).json()["id"]
    listing = client.get("/api/v1/bookings", **bearer(key))
    assert listing.status_code == 200 and listing.json()["count"] == 2
    detail = client.get(f"/api/v1/bookings/{first}", **bearer(key))
    assert detail.json()["requester"]["name"] == "Siti Aminah"
    approved = post(client, f"/api/v1/bookings/{first}/approve", {"reason": "OK"}, key)
    assert approved.status_code == 200 and approved.json()["state"] == "approved"
    assert_error(
        post(client, f"/api/v1/bookings/{second}/approve", None, key), 409, "booking_overlap"
    )
    assert_error(
        post(client, f"/api/v1/bookings/{second}/refuse", {"reason": ""}, key),
        400,
        "reason_required",
    )
    refused = post(client, f"/api/v1/bookings/{second}/refuse", {"reason": "Bentrok"}, key)
    assert refused.json()["state"] == "refused"
    cancelled = post(client, f"/api/v1/bookings/{first}/cancel", {"reason": "Batal"}, key)
    assert cancelled.json()["state"] == "cancelled"
    assert_error(
        post(client, f"/api/v1/bookings/{first}/cancel", None, key), 409, "invalid_transition"
    )
    _t, other = make_token(ekon_officer)
    assert_error(client.get(f"/api/v1/bookings/{first}", **bearer(other)), 404, "unknown_booking")
    assert client.get("/api/v1/bookings", **bearer(other)).json()["count"] == 0


def test_booking_actions_need_tokens_and_rights(client, room, make_token, org):
    """No token is a 401; a front desk token may not approve (403)."""
    case_id = post(client, "/api/v1/bookings", booking_payload(room)).json()["id"]
    assert client.get("/api/v1/bookings", **EN).status_code == 401
    front = UserFactory(username="umum.front")
    MembershipFactory(user=front, unit=org["biro-umum"], role=Role.FRONT_DESK)
    _t, key = make_token(front)
    assert_error(
        post(client, f"/api/v1/bookings/{case_id}/approve", None, key), 403, "permission_denied"
    )


def test_booking_list_query_count_is_constant(
    client, room, umum_head, make_token, django_assert_max_num_queries
):
    """The list costs at most 6 queries (token, memberships, token units, count, page, and
    the token's last use) for 1 or 8 bookings."""
    _t, key = make_token(umum_head)
    post(client, "/api/v1/bookings", booking_payload(room))
    with django_assert_max_num_queries(6):
        client.get("/api/v1/bookings", **bearer(key))
    for i in range(7):
        post(
            client,
            "/api/v1/bookings",
            booking_payload(room, starts_at=_at(10 + i, 9), ends_at=_at(10 + i, 10)),
        )
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/bookings", **bearer(key))
    assert response.json()["count"] == 8


# --- audiences ----------------------------------------------------------------------------------


def audience_payload(**over):
    data = {
        "unit": "biro-kesra",
        "organisation": "Forum Pemuda Lintas Agama",
        "topic": "Dialog kerukunan",
        "preferred_dates": [(timezone.localdate() + dt.timedelta(days=7)).isoformat()],
        "participants": 12,
        "name": "Yohanes Ahmad",
        "email": "yohanes@example.org",
    }
    data.update(over)
    return data


def test_public_files_an_audience(client, seeds):
    """Without a token an audience request is filed via the web, held to the standard."""
    response = post(client, "/api/v1/audiences", audience_payload())
    assert response.status_code == 201, response.content
    case = Case.objects.get(pk=response.json()["id"])
    assert case.kind == CaseKind.AUDIENCE and case.channel == "web" and case.due_at
    assert_error(
        post(client, "/api/v1/audiences", audience_payload(letter_number="1/X")),
        403,
        "staff_only_fields",
    )
    assert_error(
        post(client, "/api/v1/audiences", audience_payload(unit="nope")), 404, "unknown_unit"
    )
    assert_error(
        post(client, "/api/v1/audiences", audience_payload(unit="biro-perekonomian")),
        400,
        "unit_takes_no_audiences",
    )
    assert_error(
        post(client, "/api/v1/audiences", audience_payload(preferred_dates=[])),
        400,
        "invalid_request",
    )


def test_staff_token_records_a_letter(client, seeds, kesra_front, make_token):
    """A staff token may set channel and the request letter."""
    _t, key = make_token(kesra_front)
    response = post(
        client,
        "/api/v1/audiences",
        audience_payload(channel="letter", letter_number="45/FPLA/2026", letter_date="2026-01-20"),
        key,
    )
    assert response.status_code == 201
    case = Case.objects.get(pk=response.json()["id"])
    assert case.channel == "letter" and case.audience.letter_number == "45/FPLA/2026"


def test_audience_flow_through_the_api(
    client, seeds, kesra_head, kesra_handler, kesra_officer, make_token
):
    """disposition → schedule → reply → close, each by the right token, with errors on the way."""
    case_id = post(client, "/api/v1/audiences", audience_payload()).json()["id"]
    _t, head = make_token(kesra_head)
    _t, handler = make_token(kesra_handler)
    _t, officer = make_token(kesra_officer)
    base = f"/api/v1/audiences/{case_id}"
    assert client.get(base, **bearer(head)).json()["actions"] == ["dispose"]
    assert_error(
        post(
            client,
            base + "/disposition",
            {"division": "kesra-bina-mental", "instruction": "x"},
            officer,
        ),
        403,
        "permission_denied",
    )
    assert_error(
        post(client, base + "/disposition", {"division": "biro-umum", "instruction": "x"}, head),
        400,
        "foreign_division",
    )
    done = post(
        client,
        base + "/disposition",
        {"division": "kesra-bina-mental", "instruction": "Jadwalkan"},
        head,
    )
    assert done.status_code == 200 and done.json()["status"] == Status.VERIFIED
    assert_error(post(client, base + "/reply", None, officer), 409, "schedule_required")
    assert_error(
        post(
            client,
            base + "/schedule",
            {"starts_at": "2020-01-01T10:00:00+07:00", "place": "R", "official": "K"},
            handler,
        ),
        400,
        "in_the_past",
    )
    done = post(
        client,
        base + "/schedule",
        {"starts_at": _at(10, 10), "place": "Ruang Rapat", "official": "Kepala Biro"},
        handler,
    )
    assert done.status_code == 200 and done.json()["schedule"]["place"] == "Ruang Rapat"
    assert_error(post(client, base + "/close", None, officer), 409, "invalid_transition")
    done = post(client, base + "/reply", {"date": "2026-02-05"}, officer)
    assert done.status_code == 200
    assert done.json()["reply_letter"] == {"number": "001/AUD/KESRA/2026", "date": "2026-02-05"}
    assert_error(post(client, base + "/reply", None, officer), 409, "already_replied")
    done = post(client, base + "/close", {"reason": "Selesai"}, officer)
    assert done.json()["status"] == Status.CLOSED


def test_audience_other_unit_is_404_and_list_is_scoped(
    client, seeds, ekon_officer, kesra_officer, make_token
):
    """Another bureau's token gets 404 for the request and its actions, and an empty list."""
    case_id = post(client, "/api/v1/audiences", audience_payload()).json()["id"]
    _t, other = make_token(ekon_officer)
    assert_error(
        client.get(f"/api/v1/audiences/{case_id}", **bearer(other)), 404, "unknown_audience"
    )
    assert_error(
        post(client, f"/api/v1/audiences/{case_id}/close", None, other), 404, "unknown_audience"
    )
    assert client.get("/api/v1/audiences", **bearer(other)).json()["count"] == 0
    _t, own = make_token(kesra_officer)
    assert client.get("/api/v1/audiences?status=received", **bearer(own)).json()["count"] == 1


def test_audience_list_query_count_is_constant(
    client, seeds, kesra_head, make_token, django_assert_max_num_queries
):
    """The audience list costs at most 6 queries for 1 or 6 requests."""
    _t, key = make_token(kesra_head)

    def file(i):
        audience_request_create(
            actor=PUBLIC,
            unit=seeds["biro-kesra"],
            organisation=f"Org {i}",
            topic="t",
            preferred_dates=[timezone.localdate()],
            participants=2,
            requester_name="N",
            requester_email="n@example.org",
        )

    file(0)
    with django_assert_max_num_queries(6):
        client.get("/api/v1/audiences", **bearer(key))
    for i in range(5):
        file(i + 1)
    with django_assert_max_num_queries(6):
        assert client.get("/api/v1/audiences", **bearer(key)).json()["count"] == 6


def test_staff_lists_carry_no_tracking_code(
    client, room, seeds, umum_head, kesra_officer, make_token
):
    """A tracking code is the requester's secret: the staff lists of bookings and audiences
    (read by everyone of the unit) give ``null``; one request's own answer and the filer's
    receipt carry it."""
    booking = post(client, "/api/v1/bookings", booking_payload(room)).json()
    audience = post(client, "/api/v1/audiences", audience_payload()).json()
    assert booking["public_code"] and audience["public_code"]
    _t, umum = make_token(umum_head)
    _t, kesra = make_token(kesra_officer)
    listed = client.get("/api/v1/bookings", **bearer(umum)).json()["results"]
    assert [item["public_code"] for item in listed] == [None]
    assert booking["public_code"] not in json.dumps(listed)
    own = client.get(f"/api/v1/bookings/{booking['id']}", **bearer(umum)).json()
    assert own["public_code"] == booking["public_code"]
    listed = client.get("/api/v1/audiences", **bearer(kesra)).json()["results"]
    assert [item["public_code"] for item in listed] == [None]
    own = client.get(f"/api/v1/audiences/{audience['id']}", **bearer(kesra)).json()
    assert own["public_code"] == audience["public_code"]
