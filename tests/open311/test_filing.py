"""Open311 filing goes through a form (``open311.forms.Open311RequestForm``) and a service
(``open311.services.open311_request_create``, which calls ``complaint_create``), so the rules of
the web form and the JSON API hold here too, and a failure anywhere leaves nothing written."""

from __future__ import annotations

import pytest
from django.utils import translation

from layanan.api.services import api_token_create
from layanan.cases.models import Case, Channel
from layanan.catalog.models import ServiceStandard
from layanan.core.errors import ApplicationError, NotPermitted
from layanan.core.models import Unit
from layanan.notify.models import OutboxMessage
from layanan.open311 import services
from layanan.open311.forms import Open311RequestForm
from layanan.open311.models import Open311Request

from .test_open311 import SERVICE, file, spec_error

pytestmark = pytest.mark.django_db


def _form(**params):
    base = {"description": "Loket kosong.", "address_string": "Jl. Ahmad Yani"}
    return Open311RequestForm({**base, **params}, {})


def test_filing_calls_the_complaints_service(client, kesra_key, monkeypatch):
    """The POST files through complaint_create (the service the page and the API use): what
    it decides — here a refusal — is what the client gets, as a spec error."""
    calls = []

    def refusing(**kwargs):
        calls.append(kwargs)
        raise ApplicationError("Refused by the complaints service.", "refused")

    monkeypatch.setattr(services, "complaint_create", refusing)
    text = spec_error(file(client, kesra_key), 400, "json")
    assert text == "Refused by the complaints service."
    assert calls and calls[0]["channel"] == Channel.API
    assert not Case.objects.exists() and not Open311Request.objects.exists()


def test_filing_notifies_the_reporter_and_records_receipt(client, kesra_key):
    """The rules of complaint_create hold: channel api, the provisional deadline, the
    'received' event, and the receipt message to the reporter's e-mail in the outbox."""
    file(client, kesra_key)
    case = Case.objects.get()
    assert case.channel == Channel.API and case.due_at is not None
    assert list(case.events.values_list("kind", flat=True)) == ["received"]
    assert OutboxMessage.objects.filter(case_id=case.pk, recipient="budi@example.com").exists()


def test_the_phone_follows_the_one_rule(client, kesra_key):
    """Open311 stores the reporter's phone in E.164 like every other door, and refuses a number
    that is none with the spec's error naming the parameter, filing nothing."""
    text = spec_error(file(client, kesra_key, phone="0812 34"), 400, "json")
    assert text.startswith("phone: ")
    assert not Case.objects.exists()
    file(client, kesra_key, phone="0812-3456-7890")
    assert Case.objects.get().requester_phone == "+6281234567890"


def test_an_anonymous_filing_sends_nothing_to_anybody(client, kesra_key):
    """Anonymous through Open311 as on the web form: no identity stored, so no message."""
    file(client, kesra_key, **{"attribute[anonymous]": "true"})
    assert not OutboxMessage.objects.filter(case_id=Case.objects.get().pk).exists()


def test_the_service_writes_nothing_when_the_open311_row_fails(seeds, kesra_officer, monkeypatch):
    """The complaint and its GeoReport fields are one transaction: if the second write fails,
    the complaint is not left behind."""
    token = api_token_create(user=kesra_officer, name="app")[0]
    unit = Unit.objects.get(slug="biro-kesra")
    standard = ServiceStandard.objects.get(unit=unit, slug=SERVICE)

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Open311Request.objects, "create", broken)
    with pytest.raises(RuntimeError):
        services.open311_request_create(
            token=token, unit=unit, standard=standard, description="x", address_string="y"
        )
    assert not Case.objects.exists()


def test_the_service_refuses_a_token_of_another_unit(seeds, ekon_officer):
    """The service checks that the key's user may record complaints in the unit."""
    token = api_token_create(user=ekon_officer, name="app")[0]
    unit = Unit.objects.get(slug="biro-kesra")
    standard = ServiceStandard.objects.get(unit=unit, slug=SERVICE)
    with pytest.raises(NotPermitted):
        services.open311_request_create(
            token=token, unit=unit, standard=standard, description="x", address_string="y"
        )
    assert not Case.objects.exists()


def test_the_form_names_the_parameter_of_each_error(seeds):
    """Each field error reads ``parameter: problem``; rules across fields read as a sentence."""
    cases = [
        ({"lat": "abc", "long": "1"}, "lat: Must be a number."),
        ({"long": "200", "lat": "1"}, "long: Must be between -180 and 180."),
        ({"email": "nope"}, "email: Not a valid email address."),
        ({"media_url": "ftp://x"}, "media_url: Not a valid http(s) URL."),
        ({"phone": ["1", "2"]}, "phone: Must be text."),
        ({"phone": "0812-34"}, "phone: This telephone number is not valid."),
        ({"description": "x" * 4001}, "description: Too long (at most 4000 characters)."),
        ({"description": "   "}, "description: Please describe your complaint."),
        ({"lat": "1"}, "lat and long must be sent together."),
        ({"address_string": ""}, "A location is required"),
    ]
    for params, expected in cases:
        form = _form(**params)
        with translation.override("en"):  # Open311 clients read English errors
            assert not form.is_valid(), params
            assert form.first_error().startswith(expected), (params, form.first_error())


def test_the_form_reads_attributes_and_json_types(seeds):
    """Attributes are fields of their own (``attribute[anonymous]``); JSON booleans and
    numbers are accepted where they make sense, unknown attributes are refused."""
    form = Open311RequestForm(
        {"description": "x", "lat": -0.02, "long": 109.3},
        {"anonymous": True, "subject": "Loket"},
    )
    assert form.is_valid(), form.errors
    data = form.complaint()
    assert data["anonymous"] is True and data["confidential"] is False
    assert (data["lat"], data["long"], data["subject"]) == (-0.02, 109.3, "Loket")
    with translation.override("en"):  # Open311 clients read English errors
        bad = Open311RequestForm({"description": "x", "address_id": "7"}, {"anonymous": "maybe"})
        assert not bad.is_valid()
        assert bad.first_error() == "attribute[anonymous]: Must be true or false."
        unknown = Open311RequestForm({"description": "x", "address_id": "7"}, {"colour": "red"})
        assert not unknown.is_valid() and "Unknown attribute: colour" in unknown.first_error()
