"""An anonymous reporter's identity is nowhere: what they typed into the identity fields before
choosing "anonymous" is not stored in any table, and no page, API answer, e-mail, export or
admin page shows it — whoever looks, through the whole life of the complaint."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib import admin
from django.core.cache import cache
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse

from layanan.api.services import api_token_create
from layanan.cases.models import Case, Status
from layanan.cases.numbering import format_public_code
from layanan.cases.workflow import case_transition
from layanan.complaints.services import (
    complaint_answer,
    complaint_assign,
    complaint_classify,
)
from layanan.notify.models import OutboxMessage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NAME, EMAIL, PHONE = "Rahasia Anonimus", "anon.pelapor@example.com", "0811 9999 8888"
TRACES = ("Rahasia Anonimus", "Anonimus", "anon.pelapor", "9999 8888", "99998888")


def assert_no_trace(text: str, where: str) -> None:
    for trace in TRACES:
        assert trace not in text, f"{trace!r} leaked in {where}"


@pytest.fixture
def anonymous_case(client, org, settings):
    """Filed on the public form with the identity typed in, then "anonymous" chosen."""
    cache.clear()
    settings.NOTIFY_DISPATCH_ON_COMMIT = False
    call_command("load_demo", "--no-users", stdout=StringIO())
    response = client.post(
        "/pengaduan/",
        {
            "unit": org["biro-kesra"].pk,
            "service": "",
            "subject": "Pungutan liar di loket",
            "description": "Petugas meminta uang tambahan di luar tarif resmi.",
            "location": "",
            "identity": "anonymous",
            "name": NAME,
            "email": EMAIL,
            "phone": PHONE,
            "consent": "on",
            "website": "",
        },
    )
    assert response.status_code in (302, 303), response.content[:400]
    return Case.objects.get()


def test_anonymous_identity_is_nowhere(client, anonymous_case, personas, org):
    case = anonymous_case
    officer = personas["kesra_officer"]
    assert case.is_anonymous
    assert (case.requester_name, case.requester_email, case.requester_phone) == ("", "", "")

    # its whole life: classified, worked by the division, answered, closed
    complaint_classify(actor=officer, case=case, class_code="normatif")
    case_transition(actor=officer, case=case, to=Status.VERIFIED)
    complaint_assign(actor=officer, case=case, division=org["kesra-bina-mental"])
    case_transition(actor=personas["kesra_handler"], case=case, to=Status.IN_PROGRESS)
    complaint_answer(actor=officer, case=case, answer="Petugas telah diberi sanksi.")
    case_transition(actor=officer, case=case, to=Status.CLOSED)

    # no table holds it (the whole database, as dumpdata sees it)
    dump = StringIO()
    call_command("dumpdata", stdout=dump)
    assert_no_trace(dump.getvalue(), "the database")

    # no message was queued or sent to it
    assert not OutboxMessage.objects.filter(case_id=case.pk).exists()
    for message in OutboxMessage.objects.all():
        assert_no_trace(f"{message.recipient} {message.subject} {message.body}", "the outbox")

    # staff pages, for everyone who may see the case
    code = format_public_code(case.public_code)
    for name in ("kesra_officer", "kesra_handler", "kesra_head", "auditor", "admin"):
        client.force_login(personas[name])
        for url in (
            reverse("cases:inbox"),
            reverse("cases:detail", kwargs={"ref": case.number}),
        ):
            response = client.get(url)
            assert response.status_code == 200, (name, url)
            assert_no_trace(response.content.decode(), f"{url} as {name}")
        # searching for the name typed does not find the case (the box echoes the query)
        found = client.get(reverse("cases:inbox"), {"q": NAME, "status": "all"})
        assert case.number not in found.content.decode()
        client.logout()

    # the public tracking page and the API
    assert_no_trace(client.get(f"/lacak/{code}/").content.decode(), "the tracking page")
    assert_no_trace(client.get(f"/api/v1/track/{code}").content.decode(), "API tracking")
    _token, key = api_token_create(user=officer, name="audit")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    for url in (f"/api/v1/complaints/{case.pk}", "/api/v1/complaints?status=closed"):
        response = client.get(url, **auth)
        assert response.status_code == 200, url
        assert_no_trace(response.content.decode(), url)

    # every admin list and the change page of every object of the case
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    for model in list(admin.site._registry):
        opts = model._meta
        try:
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        except NoReverseMatch:
            continue
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_trace(response.content.decode(), url)
        if model is Case:
            change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[case.pk])
            assert_no_trace(client.get(change).content.decode(), change)
