"""Open311 and the reporter's secret: the tracking code is handed to the filer once, in the
answer to the POST, and no GET ever returns it; the public listing shows only what the reporter
agreed to make public (docs/open311.md, "Privacy")."""

from __future__ import annotations

import json

import pytest

from layanan.accounts.actors import PUBLIC
from layanan.cases.models import Case
from layanan.cases.numbering import format_public_code
from layanan.complaints.services import complaint_create
from layanan.core.models import Unit

from .test_open311 import BASE, KESRA, file

pytestmark = pytest.mark.django_db


def open311_id(case: Case) -> str:
    return case.number.replace("/", "-")


def secrets_of(case: Case) -> list[str]:
    code = case.public_code
    return [code, format_public_code(code), code.lower(), format_public_code(code).lower()]


def every_get(client, cases: list[Case]) -> list[str]:
    """The text of every Open311 GET a stranger could make about these complaints."""
    texts = []
    for fmt in ("json", "xml"):
        texts.append(client.get(f"{BASE}/requests.{fmt}", KESRA).content.decode())
        ids = ",".join(open311_id(case) for case in cases)
        texts.append(
            client.get(
                f"{BASE}/requests.{fmt}", {**KESRA, "service_request_id": ids}
            ).content.decode()
        )
        for case in cases:
            for path in ("requests", "tokens"):
                texts.append(client.get(f"{BASE}/{path}/{open311_id(case)}.{fmt}").content.decode())
    return texts


def test_no_get_returns_a_tracking_code_or_tracking_url(client, kesra_key):
    """Lists (JSON and XML, by date and by id), requests/{id} and tokens/{id}: none carries a
    tracking code or a link to the tracking page, whatever kind of complaint."""
    file(client, kesra_key)
    file(client, kesra_key, **{"attribute[anonymous]": "true"})
    file(client, kesra_key, **{"attribute[confidential]": "true"})
    complaint_create(
        actor=PUBLIC, unit=Unit.objects.get(slug="biro-kesra"), description="Dari formulir web"
    )
    cases = list(Case.objects.all())
    assert len(cases) == 4
    texts = every_get(client, cases)
    for text in texts:
        assert "/lacak/" not in text
        for case in cases:
            for secret in secrets_of(case):
                assert secret not in text


def test_a_tracking_code_is_not_an_open311_id(client, kesra_key):
    """requests/{code}, tokens/{code} and ?service_request_id={code} find nothing: a lookup by
    id never leads to the tracking code nor confirms that one exists."""
    file(client, kesra_key)
    case = Case.objects.get()
    for code in secrets_of(case):
        assert client.get(f"{BASE}/requests/{code}.json").status_code == 404
        assert client.get(f"{BASE}/tokens/{code}.json").status_code == 404
        listed = client.get(f"{BASE}/requests.json", {**KESRA, "service_request_id": code})
        assert listed.json() == []


def test_the_open311_id_is_the_case_number_with_dashes(client, kesra_key):
    """requests/KESRA-ADU-2026-000001 (any case) is the complaint numbered
    KESRA/ADU/2026/000001; the tokens resource maps the id to itself."""
    request_id = file(client, kesra_key).json()[0]["service_request_id"]
    case = Case.objects.get()
    assert request_id == case.number.replace("/", "-") and "/" not in request_id
    for asked in (request_id, request_id.lower()):
        body = client.get(f"{BASE}/requests/{asked}.json").json()
        assert body[0]["service_request_id"] == request_id
    tokens = client.get(f"{BASE}/tokens/{request_id}.json").json()
    assert tokens == [{"service_request_id": request_id, "token": request_id}]


def test_a_unit_prefix_with_dashes_still_finds_its_complaint(client, kesra_key):
    """A unit without a number prefix numbers its cases with its slug (BIRO-KESRA/ADU/…):
    the id is read from the right, so the dashes of the prefix do not confuse it."""
    Unit.objects.filter(slug="biro-kesra").update(code="")
    request_id = file(client, kesra_key).json()[0]["service_request_id"]
    assert request_id.startswith("BIRO-KESRA-ADU-")
    assert client.get(f"{BASE}/requests/{request_id}.json").status_code == 200
    assert client.get(f"{BASE}/requests/BIRO-KESRA-ADU-1-2-3.json").status_code == 404


def test_the_filer_gets_the_tracking_code_once(client, kesra_key):
    """The POST answer gives the filer the code (tracking_code, tracking_url, and in the
    notice), and the code opens the tracking page; XML carries the same fields."""
    body = file(client, kesra_key).json()[0]
    case = Case.objects.get()
    assert body["tracking_code"] == format_public_code(case.public_code)
    assert body["tracking_url"].endswith(f"/lacak/{body['tracking_code']}/")
    assert body["tracking_code"] in body["service_notice"]
    path = body["tracking_url"].split("testserver", 1)[-1]
    assert client.get(path).status_code == 200
    from xml.etree import ElementTree

    root = ElementTree.fromstring(file(client, kesra_key, fmt="xml").content)
    assert root.find("request/tracking_code").text
    assert root.find("request/service_request_id").text.startswith("KESRA-ADU-")


def test_confidential_complaints_are_not_published(client, kesra_key):
    """The reporter asked for confidentiality: the complaint is neither listed nor found by
    id (404, the answer of an unknown id)."""
    public = file(client, kesra_key).json()[0]["service_request_id"]
    secret = file(client, kesra_key, **{"attribute[confidential]": "true"}).json()[0]
    listed = [i["service_request_id"] for i in client.get(f"{BASE}/requests.json", KESRA).json()]
    assert listed == [public]
    assert client.get(f"{BASE}/requests/{secret['service_request_id']}.json").status_code == 404
    assert client.get(f"{BASE}/tokens/{secret['service_request_id']}.json").status_code == 404
    by_id = client.get(
        f"{BASE}/requests.json",
        {**KESRA, "service_request_id": f"{public},{secret['service_request_id']}"},
    ).json()
    assert [i["service_request_id"] for i in by_id] == [public]


def test_anonymous_complaints_are_listed_without_location_or_media(client, kesra_key):
    """An anonymous complaint is listed (status, service, times) but without the address,
    coordinates or photo, any of which may point to the reporter."""
    anonymous = file(client, kesra_key, **{"attribute[anonymous]": "true"}).json()[0]
    item = client.get(f"{BASE}/requests/{anonymous['service_request_id']}.json").json()[0]
    assert item["status"] == "open" and item["service_code"] == "pelayanan-konsultasi"
    for field in ("address", "address_id", "lat", "long", "media_url", "description"):
        assert item[field] is None
    text = json.dumps(client.get(f"{BASE}/requests.json", KESRA).json())
    assert "Ahmad Yani" not in text and "foto.jpg" not in text


def test_anonymous_filing_stores_and_echoes_no_identifier(client, kesra_key):
    """attribute[anonymous]=true: name, email, phone, device_id and account_id are stored
    nowhere (case, complaint, Open311 row) and account_id is not echoed back."""
    from layanan.open311.models import Open311Request

    body = file(
        client,
        kesra_key,
        device_id="phone-7f3a",
        account_id="warga-42",
        **{"attribute[anonymous]": "true"},
    ).json()[0]
    assert body["account_id"] is None
    case = Case.objects.get()
    assert case.is_anonymous
    assert case.requester_name == case.requester_email == case.requester_phone == ""
    extra = Open311Request.objects.get(case=case)
    assert extra.device_id == extra.account_id == ""
    assert "phone-7f3a" not in json.dumps(extra.attributes)
    stored = json.dumps(list(Open311Request.objects.values()), default=str)
    assert "warga-42" not in stored and "phone-7f3a" not in stored


def test_a_named_filing_keeps_its_account_id(client, kesra_key):
    """Not anonymous: the client's account and device ids are kept (for the staff) and the
    account id is echoed, as the spec says."""
    from layanan.open311.models import Open311Request

    body = file(client, kesra_key, device_id="phone-7f3a", account_id="warga-42").json()[0]
    assert body["account_id"] == "warga-42"
    extra = Open311Request.objects.get()
    assert (extra.device_id, extra.account_id) == ("phone-7f3a", "warga-42")
