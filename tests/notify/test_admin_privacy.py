"""The outbox does not leak a confidential reporter: the admin masks the messages of
confidential and anonymous cases for everyone (a superuser included), and the dispatcher's
logs never carry a recipient's address."""

from __future__ import annotations

import logging

import pytest
from django.urls import reverse

from layanan.notify.channels import DeliveryError
from layanan.notify.dispatch import outbox_dispatch
from layanan.notify.services import outbox_enqueue
from tests.api.utils import EN
from tests.cases.test_inbox import file_complaint
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:notify_outboxmessage_changelist"
SECRET_ADDRESS = "pelapor.rahasia@example.com"
SECRET_TEXT = "Yth. Ibu Rahasia"


@pytest.fixture
def root_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def cases(org, kesra_officer):
    unit = org["biro-kesra"]
    return {
        "confidential": file_complaint(
            kesra_officer, unit, confidential=True, requester_email=SECRET_ADDRESS
        ),
        "anonymous": file_complaint(kesra_officer, unit, anonymous=True),
        "named": file_complaint(kesra_officer, unit, requester_email="warga.biasa@example.com"),
    }


def _message(case, recipient, body=SECRET_TEXT, **kwargs):
    return outbox_enqueue(
        channel="email",
        recipient=recipient,
        subject=f"Pengaduan {case.public_code}",
        body=body,
        case_id=case.pk,
        kind="test",
        context={"case": case.number},
        **kwargs,
    )


@pytest.mark.parametrize("kind", ["confidential", "anonymous"])
def test_a_superuser_sees_no_address_or_text_of_a_private_case(root_client, cases, kind):
    """List, detail and search as a superuser: the recipient, subject, body and context of a
    message about a confidential or anonymous case are masked, and searching by its address
    finds nothing; its status and case id stay visible."""
    case = cases[kind]
    message = _message(case, SECRET_ADDRESS)
    pages = [
        root_client.get(reverse(CHANGELIST), **EN),
        root_client.get(reverse("admin:notify_outboxmessage_change", args=[message.pk]), **EN),
    ]
    for response in pages:
        html = response.content.decode()
        assert response.status_code == 200
        assert SECRET_ADDRESS not in html and SECRET_TEXT not in html
        assert case.public_code not in html
        assert "hidden: confidential or anonymous case" in html
    found = root_client.get(reverse(CHANGELIST), {"q": "rahasia"}).context["cl"]
    assert list(found.result_list) == []
    assert str(case.pk) in pages[1].content.decode()


def test_messages_of_named_reporters_stay_readable_and_searchable(root_client, cases):
    """The masking is for private cases only: an ordinary reporter's message shows and is found
    by address, as before."""
    message = _message(cases["named"], "warga.biasa@example.com", body="Isi biasa")
    found = list(
        root_client.get(reverse(CHANGELIST), {"q": "warga.biasa"}).context["cl"].result_list
    )
    assert message in found
    assert {m.recipient for m in found} == {"warga.biasa@example.com"}
    page = root_client.get(reverse("admin:notify_outboxmessage_change", args=[message.pk]))
    assert "warga.biasa@example.com" in page.content.decode()
    assert "Isi biasa" in page.content.decode()


def test_a_private_messages_error_is_masked_too(root_client, cases, monkeypatch, settings):
    """A provider's error often quotes the address: for a private message the list and the
    detail show the mask instead of the error."""
    settings.NOTIFY_BACKOFF_BASE_SECONDS = 0

    def refuse(message):
        raise DeliveryError(f"SMTPRecipientsRefused: {message.recipient}: 550", permanent=True)

    monkeypatch.setattr("layanan.notify.dispatch.deliver", refuse)
    message = _message(cases["confidential"], SECRET_ADDRESS)
    outbox_dispatch()
    for url in (
        reverse(CHANGELIST),
        reverse("admin:notify_outboxmessage_change", args=[message.pk]),
    ):
        assert SECRET_ADDRESS not in root_client.get(url).content.decode()


def test_dispatch_logs_never_carry_the_address(cases, monkeypatch, settings, caplog):
    """A message that fails for good, and one whose address is unusable, are logged with their
    message and case ids, never with the recipient (even when the provider's error quotes
    it)."""
    settings.NOTIFY_BACKOFF_BASE_SECONDS = 0

    def refuse(message):
        raise DeliveryError(f"SMTPRecipientsRefused: {message.recipient}: 550", permanent=True)

    monkeypatch.setattr("layanan.notify.dispatch.deliver", refuse)
    case = cases["confidential"]
    with caplog.at_level(logging.INFO, logger="layanan.notify"):
        _message(case, SECRET_ADDRESS)
        _message(case, "bukan alamat rahasia@@", body="x", dedupe_key="bad")
        outbox_dispatch()
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "failed for good" in logged and "not queued for delivery" in logged
    assert f"case {case.pk}" in logged
    assert SECRET_ADDRESS not in logged and "rahasia@@" not in logged
