"""The complaints API: public filing and tracking, the staff's list, detail and actions.

What is protected: the public can file and follow a complaint without an account but cannot
act as staff; a reporter who chose anonymity never appears in any answer; a confidential
reporter is shown to the unit's complaint officer only, and that reading is on the record;
another unit's staff cannot see or act on a complaint (404, as if it did not exist); every action
goes through the status machine and a refused one leaves no trace; bad input is a 4xx JSON
answer, never a 500; lists cost the same number of queries however long they are.
"""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from layanan.accounts.actors import PUBLIC
from layanan.api.complaints import submit_throttle
from layanan.api.services import api_token_create
from layanan.api.throttling import public_throttle
from layanan.cases.models import Case, CaseEvent, CaseKind, Channel, Status
from layanan.cases.services import case_create
from layanan.cases.workflow import case_transition
from layanan.complaints.services import complaint_assign, complaint_create
from tests.factories import UserFactory

from .utils import EN, assert_error, bearer

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Pontianak")
COMPLAINTS = "/api/v1/complaints"

IDENTITY = {"name": "Siti Rahmawati", "email": "siti.rahma@example.com", "phone": "0812-7777-4321"}
#: The identity as stored and shown to staff: the phone in E.164 (layanan.core.phones).
STORED_IDENTITY = {**IDENTITY, "phone": "+6281277774321", "organisation": ""}


@pytest.fixture
def seeded(org):
    """The seed catalogue published (Biro Kesra's complaint classes) and the holidays loaded."""
    call_command("load_demo", "--no-users", stdout=StringIO())
    return org


@pytest.fixture
def tokens(personas, make_token):
    """A key per persona."""
    return {name: make_token(user)[1] for name, user in personas.items()}


def post(client, url, data=None, key=None, **extra):
    headers = {**(bearer(key) if key else EN), **extra}
    body = data if isinstance(data, (str, bytes)) else json.dumps(data or {})
    return client.post(url, body, content_type="application/json", **headers)


def get(client, url, key=None, **params):
    headers = bearer(key) if key else dict(EN)
    return client.get(url, params, **headers)


def ok(response, status=200) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:800])
    return response.json()


def file_public(client, **fields) -> dict:
    data = {"unit": "biro-kesra", "description": "Loket konsultasi kosong pukul 09.00."}
    data.update(fields)
    return ok(post(client, COMPLAINTS, data), 201)


def url_of(complaint_id: int, action: str = "") -> str:
    return f"{COMPLAINTS}/{complaint_id}" + (f"/{action}" if action else "")


def track(client, code: str):
    return client.get(f"/api/v1/track/{code}", **EN)


# --- filing -----------------------------------------------------------------------------------


def test_the_public_files_a_complaint_and_follows_it(client, seeded):
    """Without a token a citizen files a web complaint and gets id, number, tracking code,
    status, a due time with its offset and a tracking URL that works (also in lower case)."""
    body = file_public(
        client, service="pelayanan-konsultasi", subject="Loket kosong", location="Lantai 2"
    )
    assert set(body) == {"id", "number", "public_code", "status", "due_at", "tracking_url"}
    assert body["number"].startswith("KESRA/ADU/")
    assert body["status"] == "received"
    assert body["due_at"].endswith("+07:00")
    case = Case.objects.get(pk=body["id"])
    assert case.channel == Channel.WEB and case.created_by is None
    assert case.standard.slug == "pelayanan-konsultasi"
    assert case.complaint.location == "Lantai 2"
    assert body["public_code"].replace("-", "") == case.public_code
    assert dt.datetime.fromisoformat(body["due_at"]) == case.due_at
    response = client.get(body["tracking_url"], **EN)
    assert ok(response)["number"] == body["number"]
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    lower = ok(track(client, body["public_code"].lower().replace("-", "")))
    assert lower["status"] == "received" and lower["status_label"] == "Received"
    assert [e["label"] for e in lower["timeline"]] == ["Complaint received"]
    assert lower["answer"] is None
    assert lower["unit"] == {"slug": "biro-kesra", "name": case.unit.name}


def test_track_labels_follow_the_language(client, seeded):
    """The labels of the tracking answer are translated (Indonesian by default)."""
    body = file_public(client)
    en = ok(client.get(body["tracking_url"], HTTP_ACCEPT_LANGUAGE="en"))
    id_ = ok(client.get(body["tracking_url"], HTTP_ACCEPT_LANGUAGE="id"))
    assert en["status_label"] == "Received"
    assert id_["status_label"] == "Diterima"
    assert id_["timeline"][0]["label"] != en["timeline"][0]["label"]


def test_staff_token_records_channel_real_receipt_class_and_lapor_number(
    client, seeded, kesra_officer, tokens
):
    """A complaint officer's token records a LAPOR! complaint received Mon 3 Aug 2026 09:00
    (sent without an offset: office time), classified normatif (5 working days): due Mon 10 Aug
    2026 16:00 +07:00."""
    data = {
        "unit": "biro-kesra",
        "description": "Laporan dari SP4N-LAPOR!",
        "channel": "lapor",
        "received_at": "2026-08-03T09:00:00",
        "complaint_class": "normatif",
        "lapor_number": "LAP-1234567",
    }
    body = ok(post(client, COMPLAINTS, data, key=tokens["kesra_officer"]), 201)
    assert body["due_at"] == "2026-08-10T16:00:00+07:00"
    case = Case.objects.get(pk=body["id"])
    assert case.received_at == dt.datetime(2026, 8, 3, 9, tzinfo=WIB)
    assert case.channel == Channel.LAPOR
    assert case.created_by == kesra_officer
    assert (case.complaint.class_code, case.complaint.lapor_number) == ("normatif", "LAP-1234567")


def test_a_token_without_a_channel_records_an_api_complaint(client, seeded, tokens):
    """An integration that does not name a channel files through the channel `api`, received
    now."""
    data = {"unit": "biro-kesra", "description": "Dari aplikasi mitra."}
    body = ok(post(client, COMPLAINTS, data, key=tokens["kesra_front"]), 201)
    case = Case.objects.get(pk=body["id"])
    assert case.channel == Channel.API
    assert abs((case.received_at - dt.datetime.now(WIB)).total_seconds()) < 60


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("channel", "phone"),
        ("channel", "web"),
        ("received_at", "2026-08-03T09:00:00+07:00"),
        ("complaint_class", "ringan"),
        ("lapor_number", "LAP-1"),
    ],
)
def test_the_public_cannot_set_staff_only_fields(client, seeded, field, value):
    """Without a token, channel, time of receipt, class and LAPOR! number are refused (not
    silently dropped) with a 403 naming the fields; nothing is recorded."""
    data = {"unit": "biro-kesra", "description": "Coba.", field: value}
    body = assert_error(post(client, COMPLAINTS, data), 403, "staff_only_fields")
    assert body["fields"] == [field]
    assert not Case.objects.exists()


def test_null_staff_fields_from_the_public_are_harmless(client, seeded):
    """A client that sends every key with null for the staff-only ones files normally."""
    data = {key: None for key in ("channel", "received_at", "complaint_class", "lapor_number")}
    body = file_public(client, **data)
    assert Case.objects.get(pk=body["id"]).channel == Channel.WEB


def test_tokens_need_the_right_to_record_cases_in_the_unit(client, seeded, personas, make_token):
    """A token files only where its user may record cases: a handler (no intake role) gets
    403, a token limited to another unit 403 token_out_of_scope, another bureau's officer 403,
    a bad token 401 (never silently treated as the public)."""
    data = {"unit": "biro-kesra", "description": "Coba.", "channel": "phone"}
    _t, handler_key = make_token(personas["kesra_handler"])
    assert_error(post(client, COMPLAINTS, data, key=handler_key), 403, "permission_denied")
    _t, limited = make_token(personas["kesra_officer"], units=[seeded["kesra-bina-mental"]])
    assert_error(post(client, COMPLAINTS, data, key=limited), 403, "token_out_of_scope")
    _t, ekon_key = make_token(personas["ekon_officer"])
    assert_error(post(client, COMPLAINTS, data, key=ekon_key), 403, "permission_denied")
    assert_error(post(client, COMPLAINTS, data, key="lyn_nothing_x"), 401, "invalid_token")
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ("{not json", 400, "bad_request"),
        ("[1, 2]", 400, "invalid_request"),
        ('"just a string"', 400, "invalid_request"),
        ({"unit": "biro-kesra"}, 400, "invalid_request"),
        ({"unit": "biro-kesra", "description": 12}, 400, "invalid_request"),
        ({"unit": ["biro-kesra"], "description": "x"}, 400, "invalid_request"),
        ({"unit": "biro-kesra", "description": "x", "anonymous": [1]}, 400, "invalid_request"),
        ({"unit": "biro-kesra", "description": "x" * 5001}, 400, "invalid_request"),
        ({"unit": "biro-kesra", "description": "x", "subject": "s" * 201}, 400, "invalid_request"),
        ({"unit": "biro-kesra", "description": "x", "name": "n" * 151}, 400, "invalid_request"),
        ({"unit": "biro-kesra", "description": "x", "phone": "1" * 41}, 400, "invalid_request"),
        (
            {"unit": "biro-kesra", "description": "x", "email": "not-an-email"},
            400,
            "invalid_request",
        ),
        ({"unit": "biro-kesra", "description": "nul \u0000 byte"}, 400, "invalid_request"),
        ({"unit": "biro-kesra", "description": "x", "anonymus": True}, 400, "invalid_request"),
        ({"unit": "u" * 81, "description": "x"}, 400, "invalid_request"),
        ({"unit": "biro-kesra", "description": "   "}, 400, "description_required"),
        ({"unit": "biro-x", "description": "x"}, 404, "unknown_unit"),
        ({"unit": "kesra-bina-mental", "description": "x"}, 400, "unit_takes_no_complaints"),
        (
            {"unit": "biro-kesra", "service": "tidak-ada", "description": "x"},
            404,
            "unknown_standard",
        ),
    ],
)
def test_bad_submissions_are_json_4xx(client, seeded, body, status, code):
    """Malformed JSON, wrong types, unknown or oversized fields, NUL characters, a blank
    description, an unknown unit or service, a unit that takes no complaints: a 4xx JSON error,
    nothing recorded."""
    assert_error(post(client, COMPLAINTS, body), status, code)
    assert not Case.objects.exists()


def test_validation_errors_name_the_field(client, seeded):
    """A 400 invalid_request says which field is wrong, and its detail is translated."""
    data = {"unit": "biro-kesra", "description": 12}
    body = assert_error(post(client, COMPLAINTS, data), 400, "invalid_request")
    assert ["body", "payload", "description"] in [e["loc"] for e in body["errors"]]
    indonesian = post(client, COMPLAINTS, data, HTTP_ACCEPT_LANGUAGE="id").json()
    assert indonesian["detail"] != body["detail"]


def test_a_bad_phone_number_is_a_field_error_and_a_good_one_is_stored_in_e164(client, seeded):
    """The phone goes through the one rule: an unreadable number is a 400 naming the field,
    with the rule's translated message and type; one typed the Indonesian way is stored in
    E.164."""
    data = {"unit": "biro-kesra", "description": "x", "phone": "0812-77"}
    body = assert_error(post(client, COMPLAINTS, data), 400, "invalid_request")
    (error,) = [e for e in body["errors"] if e["loc"] == ["body", "payload", "phone"]]
    assert error["type"] == "invalid_phone"
    assert error["msg"].startswith("This telephone number is not valid.")
    assert not Case.objects.exists()
    filed = file_public(client, phone="+62 812 7777 4321")
    assert Case.objects.get(pk=filed["id"]).requester_phone == "+6281277774321"


@pytest.mark.parametrize(
    ("extra", "status", "code"),
    [
        ({"channel": "carrier-pigeon"}, 400, "invalid_request"),
        ({"received_at": "yesterday"}, 400, "invalid_request"),
        ({"received_at": 12.5}, 400, "invalid_request"),
        ({"received_at": "2999-01-01T09:00:00+07:00"}, 400, "future_receipt"),
        ({"complaint_class": "sangat-berat"}, 400, "unknown_class"),
        ({"channel": "lapor"}, 400, "lapor_number_required"),
        ({"channel": "lapor", "lapor_number": ""}, 400, "lapor_number_required"),
        ({"lapor_number": "L" * 41}, 400, "invalid_request"),
    ],
)
def test_bad_staff_submissions_are_json_4xx(client, seeded, tokens, extra, status, code):
    """The staff fields are checked too: channel, time (not in the future), class (from the
    unit's standard) and the LAPOR! number a `lapor` complaint needs."""
    data = {"unit": "biro-kesra", "description": "x", **extra}
    assert_error(post(client, COMPLAINTS, data, key=tokens["kesra_officer"]), status, code)
    assert not Case.objects.exists()


def test_a_form_encoded_body_is_refused_as_json(client, seeded):
    """A browser-style form post is not JSON: 400, never a 500."""
    response = client.post(COMPLAINTS, {"unit": "biro-kesra", "description": "x"}, **EN)
    assert response.status_code == 400
    assert response.json()["code"] in {"bad_request", "invalid_request"}


def test_filing_is_rate_limited_per_address_with_retry_after(client, seeded, tokens, monkeypatch):
    """Past the filing rate an address gets 429 throttled with Retry-After and nothing is
    recorded; another address and staff tokens keep their own budgets."""
    monkeypatch.setattr(submit_throttle, "num_requests", 2)
    for _ in range(2):
        file_public(client)
    response = post(client, COMPLAINTS, {"unit": "biro-kesra", "description": "x"})
    assert_error(response, 429, "throttled")
    assert int(response["Retry-After"]) >= 1
    assert Case.objects.count() == 2
    other = post(
        client, COMPLAINTS, {"unit": "biro-kesra", "description": "x"}, REMOTE_ADDR="10.9.9.9"
    )
    assert other.status_code == 201
    staff = post(
        client, COMPLAINTS, {"unit": "biro-kesra", "description": "x"}, key=tokens["kesra_officer"]
    )
    assert staff.status_code == 201
    assert Case.objects.count() == 4


def test_tracking_is_rate_limited_with_retry_after(client, seeded, monkeypatch, settings):
    """Guessing tracking codes hits its own limit (the lookup budget the tracking page and
    Open311 share): 429 with Retry-After, even for a code that exists."""
    body = file_public(client)
    settings.TRACKING_LOOKUP_RATE = (3, 600)
    monkeypatch.setattr(public_throttle, "num_requests", 100)
    for i in range(3):
        assert_error(track(client, f"AAAA{i}"), 404, "not_found")
    response = track(client, body["public_code"])
    assert_error(response, 429, "throttled")
    assert int(response["Retry-After"]) >= 1


def test_unknown_tracking_codes_are_404(client, seeded, kesra_front):
    """Unknown, empty-after-normalising or absurd codes, and the code of a case that is not a
    complaint: 404 with the shared shape and code not_found."""
    visit = case_create(
        actor=kesra_front, kind=CaseKind.VISIT, unit=seeded["biro-kesra"], channel="face_to_face"
    )
    for code in ("ZZZZ-ZZZZ-ZZZZ", "----", "x" * 300, "%00", visit.public_code):
        assert_error(track(client, code), 404, "not_found")


# --- identity ---------------------------------------------------------------------------------


def _identity_strings() -> list[str]:
    stored = STORED_IDENTITY["phone"]
    return [IDENTITY["name"], IDENTITY["email"], IDENTITY["phone"], stored, "Rahmawati", "7777"]


def test_an_anonymous_reporter_never_appears_in_any_answer(client, seeded, personas, tokens):
    """Filed with a name, email and phone but anonymous=true: neither the filing answer, the
    tracking answer, nor any staff list, detail or action answer (officer, head, admin,
    auditor) contains them; `requester` is null and `requester_state` says why."""
    filed = post(
        client,
        COMPLAINTS,
        {"unit": "biro-kesra", "description": "Pungli.", "anonymous": True, **IDENTITY},
    )
    body = ok(filed, 201)
    responses = [filed, client.get(body["tracking_url"], **EN)]
    for name in ("kesra_officer", "kesra_head", "admin", "auditor"):
        listed = get(client, COMPLAINTS, key=tokens[name])
        item = ok(listed)["results"][0]
        assert (item["requester"], item["requester_state"]) == (None, "anonymous")
        detail = get(client, url_of(body["id"]), key=tokens[name])
        assert ok(detail)["requester"] is None
        responses += [listed, detail]
    responses.append(post(client, url_of(body["id"], "verify"), key=tokens["kesra_officer"]))
    assert responses[-1].status_code == 200
    for response in responses:
        text = response.content.decode()
        for value in _identity_strings():
            assert value not in text, (value, response.request["PATH_INFO"])
    assert not CaseEvent.objects.filter(kind="identity_viewed").exists()


def test_a_confidential_reporter_is_shown_to_the_complaint_officer_only(
    client, seeded, personas, tokens
):
    """The complaint officer's token sees a confidential reporter in the detail, and each
    reading adds an internal identity_viewed event with his name; the list and action answers
    withhold it even from him; the head, the division's handler, the admin and the auditor see
    no trace of it; tracking never shows it, nor the viewing."""
    body = file_public(client, confidential=True, **IDENTITY)
    case = Case.objects.get(pk=body["id"])
    complaint_assign(
        actor=personas["kesra_officer"], case=case, division=seeded["kesra-bina-mental"]
    )
    officer = tokens["kesra_officer"]
    detail = ok(get(client, url_of(body["id"]), key=officer))
    assert detail["requester"] == STORED_IDENTITY
    assert detail["requester_state"] == "shown"
    viewed = detail["events"][-1]
    assert (viewed["kind"], viewed["actor"], viewed["is_internal"]) == (
        "identity_viewed",
        "kesra.officer",
        True,
    )
    listed = ok(get(client, COMPLAINTS, key=officer))["results"][0]
    assert (listed["requester"], listed["requester_state"]) == (None, "withheld")
    acted = ok(post(client, url_of(body["id"], "verify"), key=officer))
    assert acted["requester"] is None
    assert CaseEvent.objects.filter(case=case, kind="identity_viewed").count() == 1
    for name in ("kesra_head", "kesra_handler", "admin", "auditor"):
        for response in (
            get(client, url_of(body["id"]), key=tokens[name]),
            get(client, COMPLAINTS, key=tokens[name]),
        ):
            text = response.content.decode()
            assert response.status_code == 200, (name, text[:300])
            for value in _identity_strings():
                assert value not in text, (name, value)
    assert CaseEvent.objects.filter(case=case, kind="identity_viewed").count() == 1
    tracked = client.get(body["tracking_url"], **EN).content.decode()
    assert IDENTITY["name"] not in tracked and "kesra.officer" not in tracked


def test_an_ordinary_reporter_is_shown_to_the_units_staff(client, seeded, tokens):
    """Neither anonymous nor confidential: the unit's staff see who filed it, in the list and
    the detail, and no viewing is recorded; tracking still does not show it."""
    body = file_public(client, **IDENTITY)
    detail = ok(get(client, url_of(body["id"]), key=tokens["kesra_head"]))
    assert detail["requester"] == STORED_IDENTITY
    listed = ok(get(client, COMPLAINTS, key=tokens["kesra_front"]))["results"][0]
    assert listed["requester"]["email"] == IDENTITY["email"]
    assert not CaseEvent.objects.filter(kind="identity_viewed").exists()
    assert IDENTITY["name"] not in client.get(body["tracking_url"], **EN).content.decode()


# --- reach ------------------------------------------------------------------------------------


def test_another_units_officer_can_neither_see_nor_act_on_a_kesra_complaint(client, seeded, tokens):
    """Biro Perekonomian's complaint officer: the Kesra complaint is not in the list, and
    reading or acting on it answers exactly like an id that does not exist (404
    unknown_complaint); nothing changes and no event is written."""
    body = file_public(client)
    key = tokens["ekon_officer"]
    assert ok(get(client, COMPLAINTS, key=key))["count"] == 0
    missing = assert_error(get(client, url_of(999999), key=key), 404, "unknown_complaint")
    hidden = assert_error(get(client, url_of(body["id"]), key=key), 404, "unknown_complaint")
    assert hidden == missing
    actions = {
        "verify": {},
        "classify": {"class": "ringan"},
        "assign": {"division": "kesra-bina-mental"},
        "answer": {"answer": "Sudah."},
        "close": {},
        "reject": {"reason": "Bukan kewenangan."},
    }
    for action, data in actions.items():
        response = post(client, url_of(body["id"], action), data, key=key)
        assert_error(response, 404, "unknown_complaint")
    case = Case.objects.get(pk=body["id"])
    assert case.status == Status.RECEIVED and case.complaint.class_code == ""
    assert case.assigned_unit is None and case.events.count() == 1


def test_a_token_limited_to_a_division_reaches_only_that_divisions_complaints(
    client, seeded, personas, make_token
):
    """The Kesra officer's token limited to Bagian Bina Mental does not reach a complaint to
    Biro Kesra itself (404), although the officer may."""
    body = file_public(client)
    _t, key = make_token(personas["kesra_officer"], units=[seeded["kesra-bina-mental"]])
    assert ok(get(client, COMPLAINTS, key=key))["count"] == 0
    assert_error(get(client, url_of(body["id"]), key=key), 404, "unknown_complaint")
    assert_error(
        post(client, url_of(body["id"], "classify"), {"class": "ringan"}, key=key),
        404,
        "unknown_complaint",
    )


def test_a_division_sees_the_complaints_assigned_to_it(client, seeded, personas, tokens):
    """The handler of Bagian Bina Mental sees a Biro Kesra complaint once it is assigned to his
    division, and not before."""
    body = file_public(client)
    key = tokens["kesra_handler"]
    assert ok(get(client, COMPLAINTS, key=key))["count"] == 0
    assert_error(get(client, url_of(body["id"]), key=key), 404, "unknown_complaint")
    case = Case.objects.get(pk=body["id"])
    complaint_assign(
        actor=personas["kesra_officer"], case=case, division=seeded["kesra-bina-mental"]
    )
    listed = ok(get(client, COMPLAINTS, key=key))
    assert [c["id"] for c in listed["results"]] == [body["id"]]
    assigned = ok(get(client, url_of(body["id"]), key=key))["assigned_unit"]
    assert assigned["slug"] == "kesra-bina-mental"


def test_a_role_that_may_see_but_not_act_gets_403(client, seeded, personas, tokens):
    """Visible but not permitted is a 403 and changes nothing: the division's handler may not
    verify, classify, assign, reject or close; the auditor reads but never writes; a user
    without any staff role gets 403 on the list and the detail."""
    body = file_public(client)
    case = Case.objects.get(pk=body["id"])
    complaint_assign(
        actor=personas["kesra_officer"], case=case, division=seeded["kesra-bina-mental"]
    )
    events = case.events.count()
    handler_view = ok(get(client, url_of(body["id"]), key=tokens["kesra_handler"]))
    assert handler_view["actions"] == []
    assert ok(get(client, url_of(body["id"]), key=tokens["auditor"]))["actions"] == []
    officer_view = ok(get(client, url_of(body["id"]), key=tokens["kesra_officer"]))
    assert officer_view["actions"] == ["verify", "classify", "assign", "reject"]
    for name in ("kesra_handler", "auditor"):
        for action, data in (
            ("verify", {}),
            ("classify", {"class": "ringan"}),
            ("assign", {"division": "kesra-bina-mental"}),
            ("reject", {"reason": "Tidak."}),
            ("close", {}),
        ):
            response = post(client, url_of(body["id"], action), data, key=tokens[name])
            assert_error(response, 403, "permission_denied")
    assert_error(
        post(client, url_of(body["id"], "answer"), {"answer": "x"}, key=tokens["auditor"]),
        403,
        "permission_denied",
    )
    case.refresh_from_db()
    assert case.status == Status.RECEIVED and case.events.count() == events
    _t, key = api_token_create(user=UserFactory(username="citizen"), name="x")
    assert_error(get(client, COMPLAINTS, key=key), 403, "permission_denied")
    assert_error(get(client, url_of(body["id"]), key=key), 403, "permission_denied")


def test_staff_endpoints_need_a_token(client, seeded, tokens):
    """Without a token the staff endpoints answer 401 not_authenticated; with one, an id that
    is not a number (or absurdly large) is a 400, never a 500."""
    body = file_public(client)
    assert_error(client.get(COMPLAINTS, **EN), 401, "not_authenticated")
    assert_error(client.get(url_of(body["id"]), **EN), 401, "not_authenticated")
    assert_error(post(client, url_of(body["id"], "verify")), 401, "not_authenticated")
    key = tokens["kesra_officer"]
    for bad in ("abc", "0", "9" * 30):
        assert_error(get(client, f"{COMPLAINTS}/{bad}", key=key), 400, "invalid_request")
    assert_error(post(client, f"{COMPLAINTS}/abc/verify", key=key), 400, "invalid_request")


# --- staff actions ----------------------------------------------------------------------------


def test_the_whole_cycle_through_the_api(client, seeded, tokens):
    """Officer classifies, verifies and assigns to the division's handler; the handler may not
    send the answer himself (he drafts on the staff page); the officer answers and closes.
    Tracking then shows the answer and the public steps with their labels and public messages,
    but not the internal assignment, any internal note, or any staff username."""
    body = file_public(client)
    cid, officer = body["id"], tokens["kesra_officer"]
    classified = ok(post(client, url_of(cid, "classify"), {"class": "normatif"}, key=officer))
    assert classified["class_code"] == "normatif" and classified["classified_at"]
    assert classified["events"][-1]["kind"] == "classified"
    verified = ok(
        post(
            client,
            url_of(cid, "verify"),
            {"note": "Lengkap.", "public_note": "Pengaduan Anda lengkap."},
            key=officer,
        )
    )
    assert verified["status"] == "verified"
    assert verified["status_label"] == "Verified"
    assert "in_progress" in verified["allowed_transitions"]
    assert verified["actions"] == ["classify", "assign", "answer", "reject"]
    assigned = ok(
        post(
            client,
            url_of(cid, "assign"),
            {"division": "kesra-bina-mental", "assignee": "kesra.handler", "note": "Rahasia"},
            key=officer,
        )
    )
    assert assigned["assigned_unit"]["slug"] == "kesra-bina-mental"
    assert assigned["assignee"] == "kesra.handler"
    last = assigned["events"][-1]
    assert (last["kind"], last["is_internal"], last["actor"]) == ("assigned", True, "kesra.officer")
    refused = post(client, url_of(cid, "answer"), {"answer": "x"}, key=tokens["kesra_handler"])
    assert_error(refused, 403, "permission_denied")
    answered = ok(
        post(
            client,
            url_of(cid, "answer"),
            {"answer": "Sudah kami tegur."},
            key=tokens["kesra_officer"],
        )
    )
    assert answered["status"] == "answered" and answered["answer"] == "Sudah kami tegur."
    assert ok(client.get(body["tracking_url"], **EN))["answer"] == "Sudah kami tegur."
    closed = ok(post(client, url_of(cid, "close"), key=officer))
    assert closed["status"] == "closed" and closed["closed_at"]
    tracked = client.get(body["tracking_url"], **EN)
    data = ok(tracked)
    assert data["status"] == "closed" and data["answer"] == "Sudah kami tegur."
    assert [e["status"] for e in data["timeline"] if e["status"]] == [
        "received",
        "verified",
        "answered",
        "closed",
    ]
    classified = [e for e in data["timeline"] if e["label"].startswith("Classified as “")]
    assert len(classified) == 1 and classified[0]["status"] is None
    # The verification's internal note stays with the staff; its public message is published.
    assert "Pengaduan Anda lengkap." in [e["note"] for e in data["timeline"]]
    assert "Lengkap." not in [e["note"] for e in data["timeline"]]
    text = tracked.content.decode()
    for secret in ("Rahasia", "kesra.officer", "kesra.handler", "Bina Mental", "actor"):
        assert secret not in text, secret


def test_rejecting_needs_a_reason_that_the_reporter_reads(client, seeded, tokens):
    """A blank reason is 400 reason_required (nothing happens); a reason rejects the complaint,
    closes its clock and shows on the public timeline; rejecting again is 409."""
    body = file_public(client)
    url, key = url_of(body["id"], "reject"), tokens["kesra_officer"]
    assert_error(post(client, url, {"reason": "  "}, key=key), 400, "reason_required")
    assert_error(post(client, url, {}, key=key), 400, "invalid_request")
    assert Case.objects.get(pk=body["id"]).events.count() == 1
    rejected = ok(post(client, url, {"reason": "Bukan kewenangan Biro Kesra."}, key=key))
    assert rejected["status"] == "rejected" and rejected["closed_at"]
    tracked = ok(client.get(body["tracking_url"], **EN))
    assert tracked["timeline"][-1]["note"] == "Bukan kewenangan Biro Kesra."
    assert tracked["timeline"][-1]["label"] == "Complaint not accepted"
    assert_error(post(client, url, {"reason": "Lagi."}, key=key), 409, "invalid_transition")


def test_transitions_the_machine_forbids_are_409_and_leave_no_event(client, seeded, tokens):
    """Answering a complaint that is only received, closing one not answered, verifying twice:
    409 invalid_transition, and the timeline and status stay exactly as they were. Bad bodies
    are 400."""
    body = file_public(client)
    key = tokens["kesra_officer"]
    case = Case.objects.get(pk=body["id"])

    def events():
        return list(case.events.values_list("kind", "new_value"))

    before = events()
    assert_error(
        post(client, url_of(case.pk, "answer"), {"answer": "x"}, key=key), 409, "invalid_transition"
    )
    assert_error(post(client, url_of(case.pk, "close"), key=key), 409, "invalid_transition")
    assert events() == before
    case.refresh_from_db()
    assert case.status == Status.RECEIVED and case.complaint.answer == ""
    ok(post(client, url_of(case.pk, "verify"), key=key))
    after_verify = events()
    assert_error(post(client, url_of(case.pk, "verify"), key=key), 409, "invalid_transition")
    assert events() == after_verify
    url = url_of(case.pk)
    assert_error(post(client, url + "/answer", {"answer": " "}, key=key), 400, "answer_required")
    assert_error(
        post(client, url + "/answer", {"answer": "x" * 20001}, key=key), 400, "invalid_request"
    )
    assert_error(post(client, url + "/answer", {"answer": 5}, key=key), 400, "invalid_request")
    assert_error(post(client, url + "/classify", {"class": "x"}, key=key), 400, "unknown_class")
    assert_error(post(client, url + "/classify", {}, key=key), 400, "invalid_request")
    assert_error(
        post(client, url + "/classify", {"class": "ringan", "extra": 1}, key=key),
        400,
        "invalid_request",
    )
    assert_error(post(client, url + "/classify", "{", key=key), 400, "bad_request")
    assert_error(post(client, url + "/verify", {"note": 3}, key=key), 400, "invalid_request")
    assert events() == after_verify


def test_a_closed_complaint_cannot_be_classified(client, seeded, personas, tokens):
    """Classification is for open complaints: 400 not_open after closing, nothing recorded."""
    body = file_public(client)
    case = Case.objects.get(pk=body["id"])
    officer = personas["kesra_officer"]
    for status in (Status.VERIFIED, Status.ANSWERED, Status.CLOSED):
        case = case_transition(actor=officer, case=case, to=status)
    before = case.events.count()
    assert_error(
        post(client, url_of(case.pk, "classify"), {"class": "ringan"}, key=tokens["kesra_officer"]),
        400,
        "not_open",
    )
    assert case.events.count() == before


def test_classify_accepts_the_long_key_too(client, seeded, tokens):
    """`complaint_class` (the key of the filing) works as well as `class`; reclassifying is
    recorded as such and moves the due time."""
    body = file_public(client)
    key = tokens["kesra_officer"]
    first = ok(post(client, url_of(body["id"], "classify"), {"class": "ringan"}, key=key))
    second = ok(
        post(client, url_of(body["id"], "classify"), {"complaint_class": "normatif"}, key=key)
    )
    assert second["class_code"] == "normatif"
    assert second["events"][-1]["kind"] == "reclassified"
    assert second["due_at"] > first["due_at"]


def test_assignment_checks_division_and_assignee(client, seeded, tokens):
    """Unknown division: 404 unknown_unit; another bureau's division: 400 foreign_division; an
    assignee who cannot work on the division's cases (another unit's officer, an unknown
    username): 400 invalid_assignee. Nothing is assigned."""
    body = file_public(client)
    url, key = url_of(body["id"], "assign"), tokens["kesra_officer"]
    assert_error(post(client, url, {"division": "tidak-ada"}, key=key), 404, "unknown_unit")
    assert_error(post(client, url, {"division": "ekon-bumd"}, key=key), 400, "foreign_division")
    for username in ("ekon.officer", "nobody"):
        data = {"division": "kesra-bina-mental", "assignee": username}
        assert_error(post(client, url, data, key=key), 400, "invalid_assignee")
    case = Case.objects.get(pk=body["id"])
    assert case.assigned_unit is None and case.events.count() == 1


def test_a_visit_is_not_a_complaint_here(client, seeded, kesra_front, tokens):
    """The complaint endpoints know complaints only: another kind of case is not listed and is
    404 like a missing id."""
    visit = case_create(
        actor=kesra_front, kind=CaseKind.VISIT, unit=seeded["biro-kesra"], channel="face_to_face"
    )
    key = tokens["kesra_officer"]
    assert ok(get(client, COMPLAINTS, key=key))["count"] == 0
    assert_error(get(client, url_of(visit.pk), key=key), 404, "unknown_complaint")
    assert_error(post(client, url_of(visit.pk, "verify"), key=key), 404, "unknown_complaint")


# --- lists ------------------------------------------------------------------------------------


def test_the_list_filters(client, seeded, kesra_officer, personas, tokens):
    """status, class (and `-` for unclassified), channel, overdue, unit (with the units below
    it) and q narrow the list; q finds a confidential reporter by name only for whoever may see
    the identity (the unit's complaint officer, not its head); an unknown unit is 404, an
    unknown status 400."""
    old = complaint_create(
        actor=kesra_officer,
        unit=seeded["biro-kesra"],
        description="Lama.",
        channel=Channel.PHONE,
        received_at=dt.datetime(2026, 8, 3, 9, tzinfo=WIB),
        class_code="ringan",
    )
    fresh = complaint_create(
        actor=PUBLIC,
        unit=seeded["kesra-bina-mental"],
        description="Antrean bansos.",
        requester_name="Andi Wijaya",
    )
    secret = complaint_create(
        actor=PUBLIC,
        unit=seeded["biro-kesra"],
        description="Baru.",
        requester_name="Rahasia Sekali",
        confidential=True,
    )
    case_transition(actor=kesra_officer, case=secret, to=Status.VERIFIED)
    key = tokens["kesra_officer"]

    def ids(**params):
        return {c["id"] for c in ok(get(client, COMPLAINTS, key=key, **params))["results"]}

    assert ids() == {old.pk, fresh.pk, secret.pk}
    assert ids(status="verified") == {secret.pk}
    assert ids(**{"class": "ringan"}) == {old.pk}
    assert ids(**{"class": "-"}) == {fresh.pk, secret.pk}
    assert ids(channel="phone") == {old.pk}
    assert ids(channel="web") == {fresh.pk, secret.pk}
    assert ids(unit="kesra-bina-mental") == {fresh.pk}
    assert ids(overdue="true") == {old.pk}
    assert old.pk not in ids(overdue="false")
    assert ids(q="bansos") == {fresh.pk}
    assert ids(q="andi wijaya") == {fresh.pk}
    assert ids(q="Rahasia") == {secret.pk}  # the complaint officer may see who filed it
    head = ok(get(client, COMPLAINTS, key=tokens["kesra_head"], q="Rahasia"))["results"]
    assert head == []
    assert ids(q=old.number) == {old.pk}
    assert ids(q=format_code(secret.public_code)) == {secret.pk}
    listed = ok(get(client, COMPLAINTS, key=key, overdue="true"))["results"][0]
    assert listed["is_overdue"] is True and listed["class_code"] == "ringan"
    assert_error(get(client, COMPLAINTS, key=key, unit="biro-x"), 404, "unknown_unit")
    assert_error(get(client, COMPLAINTS, key=key, status="lost"), 400, "invalid_request")
    assert_error(get(client, COMPLAINTS, key=key, channel="pigeon"), 400, "invalid_request")
    assert_error(get(client, COMPLAINTS, key=key, overdue="maybe"), 400, "invalid_request")
    assert_error(get(client, COMPLAINTS, key=key, limit="many"), 400, "invalid_request")


def format_code(code: str) -> str:
    return f"{code[:4]}-{code[4:8]}".lower()


def test_the_list_is_most_urgent_first_and_paginates(client, seeded, tokens):
    """limit/offset pages with next/previous links cover every visible complaint once, in due
    order."""
    for i in range(5):
        complaint_create(actor=PUBLIC, unit=seeded["biro-kesra"], description=f"Aduan {i}")
    key = tokens["kesra_officer"]
    first = ok(get(client, COMPLAINTS, key=key, limit=2))
    assert first["count"] == 5 and len(first["results"]) == 2 and first["previous"] is None
    seen, page = list(first["results"]), first
    while page["next"]:
        page = ok(client.get(page["next"], **bearer(key)))
        seen += page["results"]
    assert len({c["id"] for c in seen}) == len(seen) == 5
    assert [c["due_at"] for c in seen] == sorted(c["due_at"] for c in seen)
    assert page["previous"]


def _make_complaints(seeded, personas, count: int) -> None:
    for i in range(count):
        case = complaint_create(
            actor=PUBLIC,
            unit=seeded["biro-kesra"],
            description=f"Aduan {i}",
            requester_name=f"Pelapor {i}",
            confidential=bool(i % 2),
            anonymous=i % 3 == 0,
        )
        if i % 2:
            complaint_assign(
                actor=personas["kesra_officer"],
                case=case,
                division=seeded["kesra-bina-mental"],
                assignee=personas["kesra_handler"],
            )


def _queries(client, url, key) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **bearer(key))
    assert response.status_code == 200, response.content[:300]
    return len(ctx.captured_queries)


@pytest.mark.parametrize("persona", ["kesra_officer", "kesra_handler", "admin"])
def test_the_list_runs_a_constant_number_of_queries(client, seeded, personas, tokens, persona):
    """3 complaints or 30 (assigned, confidential, anonymous mixed, some with a standard): the
    same queries — token, memberships, token units, the unit ids of the unit scope (none for
    the admin, who sees every unit: layanan/core/scoping.py), count, page. Identity checks read
    no more rows."""
    _make_complaints(seeded, personas, 3)
    key = tokens[persona]
    _queries(client, COMPLAINTS, key)  # warm up: last use of the token recorded
    three = _queries(client, COMPLAINTS, key)
    _make_complaints(seeded, personas, 27)
    thirty = _queries(client, COMPLAINTS + "?limit=200", key)
    assert three == thirty
    assert thirty <= 6


def test_the_detail_runs_a_constant_number_of_queries(client, seeded, personas, tokens):
    """A complaint with 2 events or with 10: the same queries."""
    body = file_public(client)
    key = tokens["kesra_officer"]
    url = url_of(body["id"])
    _queries(client, url, key)
    few = _queries(client, url, key)
    case = Case.objects.get(pk=body["id"])
    for _ in range(4):
        complaint_assign(
            actor=personas["kesra_officer"], case=case, division=seeded["kesra-bina-mental"]
        )
        complaint_assign(actor=personas["kesra_officer"], case=case, division=seeded["biro-kesra"])
    assert _queries(client, url, key) == few


# --- description ------------------------------------------------------------------------------


def test_openapi_documents_the_complaint_endpoints_with_examples(client):
    """Filing says a token is optional; the bodies and answers carry examples; errors use the
    shared shape."""
    schema = client.get("/api/v1/openapi.json").json()
    filing = schema["paths"]["/api/v1/complaints"]["post"]
    assert {} in filing["security"] and {"TokenAuth": []} in filing["security"]
    assert set(filing["responses"]) >= {"201", "400", "401", "403", "404", "429"}
    components = schema["components"]["schemas"]
    for name in ("ComplaintIn", "ComplaintCreatedOut", "TrackOut", "ComplaintDetailOut"):
        assert components[name].get("examples"), name
    assert "security" not in schema["paths"]["/api/v1/track/{public_code}"]["get"]
    listing = schema["paths"]["/api/v1/complaints"]["get"]
    assert listing["security"] == [{"TokenAuth": []}]
    assert {"status", "class", "channel", "overdue", "unit", "q", "limit", "offset"} <= {
        p["name"] for p in listing["parameters"]
    }
    for action in ("verify", "classify", "assign", "answer", "close", "reject"):
        operation = schema["paths"][f"/api/v1/complaints/{{complaint_id}}/{action}"]["post"]
        not_found = operation["responses"]["404"]["content"]["application/json"]["schema"]
        assert not_found["$ref"].endswith("/ErrorOut"), action
        assert "409" in operation["responses"], action


def test_the_staff_list_carries_no_tracking_code(client, seeded, tokens):
    """A tracking code is the reporter's secret: the staff list (read by the whole unit) never
    carries one; a complaint's own detail does, for the officer who talks to the reporter."""
    body = file_public(client, subject="Kode rahasia")
    listing = ok(get(client, COMPLAINTS, tokens["kesra_officer"]))
    assert listing["results"] and all("public_code" not in item for item in listing["results"])
    assert body["public_code"] not in json.dumps(listing)
    assert body["public_code"].replace("-", "") not in json.dumps(listing)
    detail = ok(get(client, url_of(body["id"]), tokens["kesra_officer"]))
    assert detail["public_code"] == body["public_code"]
