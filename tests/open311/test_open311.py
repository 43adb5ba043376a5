"""Open311 GeoReport v2: each endpoint as the spec's own examples show it, in JSON and XML,
filing exactly as the web form does, and every error in the spec's error format."""

from __future__ import annotations

import datetime as dt
import json
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from layanan.accounts.actors import PUBLIC
from layanan.cases.models import Case, Channel
from layanan.complaints.services import complaint_create
from layanan.core.models import Unit
from layanan.open311.models import Open311Request

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
BASE = "/open311/v2"
KESRA = {"jurisdiction_id": "biro-kesra"}
SERVICE = "pelayanan-konsultasi"


def xml(response):
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ElementTree.fromstring(response.content)


def spec_error(response, status, fmt="xml"):
    """The spec's error document: errors/error with code and description."""
    assert response.status_code == status, response.content
    if fmt == "json":
        body = json.loads(response.content)
        assert body[0]["code"] == status and body[0]["description"]
        return body[0]["description"]
    root = xml(response)
    assert root.tag == "errors"
    assert root.find("error/code").text == str(status)
    return root.find("error/description").text


def file(client, key, fmt="json", **extra):
    data = {
        "api_key": key,
        **KESRA,
        "service_code": SERVICE,
        "lat": "-0.0263",
        "long": "109.3425",
        "address_string": "Jl. Ahmad Yani, Pontianak",
        "email": "budi@example.com",
        "first_name": "Budi",
        "last_name": "Santoso",
        "phone": "081234567890",
        "description": "Loket konsultasi kosong sampai pukul 10.30.",
        "media_url": "https://example.com/foto.jpg",
        "attribute[subject]": "Loket kosong",
        **extra,
    }
    return client.post(f"{BASE}/requests.{fmt}", data, **EN)


def test_discovery_in_both_formats(client, seeds):
    """discovery.json/.xml as the Service Discovery page's example: changeset, contact,
    key_service and the GeoReport v2 endpoint with the formats it serves."""
    body = client.get(f"{BASE}/discovery.json").json()
    assert set(body) == {"changeset", "contact", "key_service", "endpoints"}
    endpoint = body["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    root = xml(client.get(f"{BASE}/discovery.xml"))
    assert root.tag == "discovery"
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == [
        "text/xml",
        "application/json",
    ]


def test_service_list_is_the_units_complaint_accepting_standards(client, seeds):
    """services: one service per published standard of the jurisdiction that takes
    complaints, with the spec's fields; the XML has services/service."""
    body = client.get(f"{BASE}/services.json", KESRA, **EN).json()
    codes = {s["service_code"] for s in body}
    assert SERVICE in codes
    service = next(s for s in body if s["service_code"] == SERVICE)
    assert set(service) == {
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    }
    assert service["metadata"] is True and service["type"] == "realtime"
    root = xml(client.get(f"{BASE}/services.xml", KESRA))
    assert root.tag == "services"
    assert {e.text for e in root.findall("service/service_code")} == codes
    assert root.find("service/metadata").text == "true"


def test_service_definition_in_both_formats(client, seeds):
    """services/{code}: the attributes the web form has beyond the spec's fields, with
    values for the lists, as in the spec's DMV66 example."""
    body = client.get(f"{BASE}/services/{SERVICE}.json", KESRA).json()
    assert body["service_code"] == SERVICE
    codes = [a["code"] for a in body["attributes"]]
    assert codes == ["subject", "anonymous", "confidential"]
    anonymous = body["attributes"][1]
    assert anonymous["datatype"] == "singlevaluelist"
    assert {v["key"] for v in anonymous["values"]} == {"true", "false"}
    root = xml(client.get(f"{BASE}/services/{SERVICE}.xml", KESRA))
    assert root.tag == "service_definition"
    assert root.find("attributes/attribute/values/value/key") is not None
    assert [o.text for o in root.findall("attributes/attribute/order")] == ["1", "2", "3"]


def test_filing_creates_the_complaint_as_the_web_form_does(client, kesra_key, kesra_officer):
    """POST requests: a complaint through complaint_create with channel api, the reporter,
    the location and the attributes stored; the answer is the spec's service_requests."""
    response = file(client, kesra_key)
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body[0]) == {
        "service_request_id",
        "service_notice",
        "account_id",
        "tracking_code",
        "tracking_url",
    }
    case = Case.objects.get()
    assert body[0]["service_request_id"] == case.number.replace("/", "-")
    assert case.channel == Channel.API and case.created_by == kesra_officer
    assert case.requester_name == "Budi Santoso" and case.subject == "Loket kosong"
    assert case.standard.slug == SERVICE and case.due_at is not None
    assert case.complaint.location == "Jl. Ahmad Yani, Pontianak"
    extra = Open311Request.objects.get(case=case)
    assert (extra.lat, extra.long) == (-0.0263, 109.3425)
    assert extra.media_url == "https://example.com/foto.jpg"
    assert case.events.filter(kind="received").exists()


def test_filing_answers_xml_and_keeps_anonymity(client, kesra_key):
    """The XML answer as the spec's example; attribute[anonymous]=true stores no identity."""
    root = xml(file(client, kesra_key, fmt="xml", **{"attribute[anonymous]": "true"}))
    assert root.tag == "service_requests"
    assert root.find("request/service_request_id").text
    case = Case.objects.get()
    assert case.is_anonymous and case.requester_name == case.requester_email == ""


def test_get_request_in_both_formats_with_expected_datetime(client, kesra_key):
    """requests/{id}: the spec's fields; expected_datetime is our due time with its offset;
    never the reporter nor the description."""
    request_id = file(client, kesra_key).json()[0]["service_request_id"]
    case = Case.objects.get()
    body = client.get(f"{BASE}/requests/{request_id}.json").json()
    item = body[0]
    assert item["service_request_id"] == request_id and item["status"] == "open"
    assert item["expected_datetime"] == timezone.localtime(case.due_at).isoformat()
    assert item["expected_datetime"].endswith("+07:00")
    assert item["lat"] == -0.0263 and item["address"] == "Jl. Ahmad Yani, Pontianak"
    assert item["description"] is None
    text = json.dumps(body)
    assert "Budi" not in text and "budi@example.com" not in text and "0812" not in text
    root = xml(client.get(f"{BASE}/requests/{request_id.lower()}.xml"))
    assert root.find("request/service_request_id").text == request_id
    assert root.find("request/status").text == "open"


def test_request_list_filters(client, kesra_key, seeds):
    """requests: the spec's filters (service_request_id list overrides the rest, service_code,
    status, start_date/end_date, default 90 days); web complaints show no location."""
    first = file(client, kesra_key).json()[0]["service_request_id"]
    web = complaint_create(
        actor=PUBLIC,
        unit=Unit.objects.get(slug="biro-kesra"),
        description="Dari formulir web",
        location="Rumah saya, Jl. Rahasia 1",
        requester_name="Siti",
    )
    old = complaint_create(
        actor=PUBLIC, unit=Unit.objects.get(slug="biro-kesra"), description="Lama"
    )
    Case.objects.filter(pk=old.pk).update(received_at=timezone.now() - dt.timedelta(days=120))
    body = client.get(f"{BASE}/requests.json", KESRA).json()
    assert len(body) == 2  # the 120-day-old complaint is outside the default 90 days
    web_item = next(i for i in body if i["service_request_id"] != first)
    assert web_item["address"] is None and web_item["lat"] is None
    assert "Rahasia" not in json.dumps(body) and "Siti" not in json.dumps(body)
    only = client.get(f"{BASE}/requests.json", {**KESRA, "service_code": SERVICE}).json()
    assert [i["service_request_id"] for i in only] == [first]
    closed = client.get(f"{BASE}/requests.json", {**KESRA, "status": "closed"}).json()
    assert closed == []
    start = (timezone.now() - dt.timedelta(days=130)).isoformat()
    end = (timezone.now() - dt.timedelta(days=100)).isoformat()
    ranged = client.get(
        f"{BASE}/requests.json", {**KESRA, "start_date": start, "end_date": end}
    ).json()
    assert len(ranged) == 1
    ids = f"{first},{web.number.replace('/', '-').lower()}"
    listed = client.get(
        f"{BASE}/requests.json", {**KESRA, "service_request_id": ids, "status": "closed"}
    ).json()
    assert len(listed) == 2
    root = xml(client.get(f"{BASE}/requests.xml", KESRA))
    assert root.tag == "service_requests" and len(root.findall("request")) == 2


def test_request_list_query_count_is_constant(client, kesra_key, django_assert_max_num_queries):
    """The list is one query for the complaints (with service and location joined), plus the
    jurisdiction, however many there are."""
    for _ in range(5):
        file(client, kesra_key)
    with django_assert_max_num_queries(3):
        body = client.get(f"{BASE}/requests.json", KESRA).json()
    assert len(body) == 5


def test_token_maps_to_the_request(client, kesra_key):
    """tokens/{id}: requests are realtime; the token resource answers the mapping."""
    request_id = file(client, kesra_key).json()[0]["service_request_id"]
    body = client.get(f"{BASE}/tokens/{request_id}.json").json()
    assert body == [{"service_request_id": request_id, "token": request_id}]
    root = xml(client.get(f"{BASE}/tokens/{request_id}.xml"))
    assert root.find("request/token").text == request_id
    spec_error(client.get(f"{BASE}/tokens/NOPE.xml"), 404)


# --- errors -----------------------------------------------------------------------------------


def test_missing_and_invalid_api_key_are_403(client, kesra_key):
    """The spec: 403 for a missing or invalid api_key, in the spec's error format."""
    text = spec_error(file(client, "", fmt="xml"), 403)
    assert "api_key" in text
    spec_error(file(client, "lyn_nothing_here", fmt="json"), 403, "json")
    assert not Case.objects.exists()


def test_another_units_key_cannot_file(client, ekon_key):
    """A key of Biro Perekonomian filing to Biro Kesra: 403, nothing recorded."""
    spec_error(file(client, ekon_key, fmt="json"), 403, "json")
    assert not Case.objects.exists()


def test_unknown_jurisdiction_and_service_are_404(client, kesra_key):
    """404 for a jurisdiction_id or service_code that does not exist; 400 when it is needed
    and missing (several units take complaints)."""
    spec_error(client.get(f"{BASE}/services.xml", {"jurisdiction_id": "nope"}), 404)
    spec_error(client.get(f"{BASE}/services.xml"), 400)
    spec_error(client.get(f"{BASE}/services/nope.json", KESRA), 404, "json")
    spec_error(file(client, kesra_key, service_code="nope"), 404, "json")
    spec_error(file(client, kesra_key, service_code=""), 400, "json")
    spec_error(client.get(f"{BASE}/requests/ABCDEFGHJKMN.json"), 404, "json")


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        ({"lat": "", "long": "", "address_string": ""}, "location"),
        ({"lat": "abc"}, "number"),
        ({"lat": "91"}, "between"),
        ({"long": ""}, "together"),
        ({"description": ""}, "describe"),
        ({"description": "x" * 4001}, "too long"),
        ({"email": "not-an-email"}, "email"),
        ({"media_url": "javascript:alert(1)"}, "media_url"),
        ({"attribute[anonymous]": "maybe"}, "true or false"),
        ({"attribute[colour]": "red"}, "Unknown attribute"),
        ({"address_string": "x" * 301, "lat": "", "long": ""}, "too long"),
    ],
)
def test_bad_input_is_400_and_records_nothing(client, kesra_key, extra, words):
    """Every invalid field is a 400 with a description that names the problem."""
    text = spec_error(file(client, kesra_key, fmt="json", **extra), 400, "json")
    assert words.lower() in text.lower()
    assert not Case.objects.exists()


def test_json_body_bad_json_and_wrong_types(client, kesra_key):
    """A JSON body is accepted too; invalid JSON and wrong types are 400."""
    url = f"{BASE}/requests.json"
    payload = {
        "api_key": kesra_key,
        **KESRA,
        "service_code": SERVICE,
        "lat": -0.02,
        "long": 109.3,
        "description": "JSON",
        "attribute": {"confidential": "true"},
    }
    response = client.post(url, json.dumps(payload), content_type="application/json")
    assert response.status_code == 200, response.content
    assert Case.objects.get().is_confidential
    spec_error(client.post(url, "{nope", content_type="application/json"), 400, "json")
    spec_error(client.post(url, "[1]", content_type="application/json"), 400, "json")
    wrong = {**payload, "description": ["a"]}
    spec_error(client.post(url, json.dumps(wrong), content_type="application/json"), 400, "json")


def test_oversized_body_is_a_spec_error(client, kesra_key, settings):
    """A body past DATA_UPLOAD_MAX_MEMORY_SIZE: 413 in the spec's format, not Django's page
    (the same answer as the API's, from layanan.core.errors.edge_error)."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    spec_error(file(client, kesra_key, fmt="xml", description="x" * 2000), 413)


def test_rate_limit_is_429_with_retry_after(client, seeds, monkeypatch):
    """Past the public rate: 429 in the spec's format with Retry-After."""
    from layanan.api.throttling import public_throttle

    monkeypatch.setattr(public_throttle, "allow_request", lambda request: False)
    monkeypatch.setattr(public_throttle, "wait", lambda: 12.2)
    response = client.get(f"{BASE}/services.json", KESRA)
    spec_error(response, 429, "json")
    assert response["Retry-After"] == "13"


def test_unknown_resource_and_method(client, seeds):
    """Unknown paths are the spec's 404; a method the resource does not offer is 405."""
    spec_error(client.get(f"{BASE}/nothing.json"), 404, "json")
    assert client.delete(f"{BASE}/requests.json").status_code == 405
