"""An incoming message that is not a complaint but an audience or facility request: the
officer records it through that kind's staff form started from the message — filled from it,
received when the message arrived, its files on the case, the message converted and audited in
the same transaction — and a message a colleague handled meanwhile records nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from layanan.accounts.models import Role
from layanan.cases.models import Case, CaseKind, Channel
from layanan.core.models import AuditAction, AuditEntry
from layanan.facilities.models import Resource, ResourceKind
from layanan.intake.models import DismissReason, IntakeStatus, Mailbox
from layanan.intake.parsing import parse_mail
from layanan.intake.services import Incoming, intake_dismiss, intake_receive
from tests.factories import MembershipFactory, UserFactory

from . import mails

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def receive(mailbox, raw: bytes, at: dt.datetime):
    return intake_receive(
        unit=mailbox.unit,
        incoming=Incoming.from_mail(parse_mail(raw), received_at=at),
        mailbox=mailbox,
    )


@pytest.fixture
def seeded(org):
    """The seed standards: Biro Kesra publishes "Fasilitasi Audiensi"."""
    call_command("load_demo", "--no-users", verbosity=0)
    return org


@pytest.fixture
def arrived():
    return timezone.now().replace(second=0, microsecond=0) - dt.timedelta(hours=3)


def test_a_mail_becomes_an_audience_request_received_when_it_arrived(
    client, seeded, mailbox, kesra_officer, arrived
):
    """From the message page the officer opens the audience form filled from the mail; saved,
    the request is received when the mail arrived, by e-mail, with the mail's accepted files;
    the message is converted to it and the choice audited."""
    message = receive(mailbox, mails.with_attachments(), arrived)
    client.force_login(kesra_officer)

    page = client.get(reverse("intake:detail", args=[message.pk]), **EN).content.decode()
    start = reverse("audience:record") + f"?pesan={message.pk}"
    assert start in page
    form = client.get(start, **EN).content.decode()
    assert f'name="pesan" value="{message.pk}"' in form
    assert message.sender_address in form
    local = timezone.localtime(arrived).strftime("%Y-%m-%dT%H:%M")
    assert local in form

    data = {
        "pesan": message.pk,
        "unit": seeded["biro-kesra"].pk,
        "organisation": "Forum Pemuda Lintas Agama",
        "topic": "Dialog kerukunan",
        "date_1": (timezone.localdate() + dt.timedelta(days=7)).isoformat(),
        "participants": "8",
        "name": "Siti Aminah",
        "email": message.sender_address,
        "phone": "",
        "channel": Channel.EMAIL,
        "received_at": local,
    }
    response = client.post(reverse("audience:record"), data)

    assert response.status_code == 302, response.content.decode()[:1500]
    case = Case.objects.get(kind=CaseKind.AUDIENCE)
    assert (case.channel, case.received_at) == (Channel.EMAIL, arrived)
    assert sorted(a.original_name for a in case.attachments.all()) == [
        "foto jalan.png",
        "surat pengaduan.pdf",
    ]
    message.refresh_from_db()
    assert (message.status, message.case_id, message.decided_by) == (
        IntakeStatus.CONVERTED,
        case.pk,
        kesra_officer,
    )
    entry = AuditEntry.objects.get(action=AuditAction.INTAKE_CONVERTED)
    assert entry.data == {"case": case.number, "channel": "email", "kind": "audience"}


def test_a_message_handled_meanwhile_records_nothing(
    client, seeded, mailbox, kesra_officer, kesra_head, arrived
):
    """A colleague dismissed the message while the form was open: saving refuses (409) with
    the reason, no audience case is left behind, the message stays dismissed."""
    message = receive(mailbox, mails.plain(), arrived)
    client.force_login(kesra_officer)
    assert client.get(reverse("audience:record") + f"?pesan={message.pk}").status_code == 200
    intake_dismiss(actor=kesra_head, message=message, reason=DismissReason.NOT_A_COMPLAINT)

    response = client.post(
        reverse("audience:record"),
        {
            "pesan": message.pk,
            "unit": seeded["biro-kesra"].pk,
            "organisation": "Forum Pemuda",
            "topic": "Dialog",
            "date_1": (timezone.localdate() + dt.timedelta(days=7)).isoformat(),
            "participants": "8",
            "name": "Siti Aminah",
            "email": "siti@example.org",
            "phone": "",
            "channel": Channel.EMAIL,
        },
        **EN,
    )

    assert response.status_code == 409
    assert "already been handled" in response.content.decode()
    assert not Case.objects.filter(kind=CaseKind.AUDIENCE).exists()
    message.refresh_from_db()
    assert message.status == IntakeStatus.DISMISSED and message.case_id is None


def test_a_whatsapp_message_becomes_a_facility_request(client, org, arrived):
    """At Biro Umum (a room to lend) the head records a WhatsApp message as a facility
    request: the sender's number is the requester's phone, the channel WhatsApp, received when
    the message came."""
    umum = org["biro-umum"]
    head = UserFactory(username="umum.kepala")
    MembershipFactory(user=head, unit=umum, role=Role.HEAD)
    room = Resource.objects.create(unit=umum, name="Ruang Rapat", kind=ResourceKind.ROOM)
    message = intake_receive(
        unit=umum,
        incoming=Incoming(
            channel="whatsapp",
            external_id="wamid.HBgLNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjA",
            received_at=arrived,
            sender_address="+6281234567890",
            sender_name="Budi",
            subject="Pinjam ruang rapat",
            text="Mohon izin meminjam ruang rapat hari Senin untuk rapat LPTQ.",
        ),
    )
    client.force_login(head)
    page = client.get(reverse("intake:detail", args=[message.pk]), **EN).content.decode()
    start = reverse("bookings:record") + f"?pesan={message.pk}"
    assert start in page and reverse("audience:record") not in page  # no audience standard
    form = client.get(start).content.decode()
    assert "+6281234567890" in form and "Mohon izin meminjam ruang rapat" in form

    monday = timezone.localdate() + dt.timedelta(days=(7 - timezone.localdate().weekday()) + 7)
    response = client.post(
        reverse("bookings:record"),
        {
            "pesan": message.pk,
            "resource": room.pk,
            "starts_at": f"{monday.isoformat()}T09:00",
            "ends_at": f"{monday.isoformat()}T11:00",
            "participants": "12",
            "purpose": "Rapat LPTQ",
            "organisation": "LPTQ Provinsi",
            "name": "Budi",
            "email": "",
            "phone": "+6281234567890",
            "channel": Channel.WHATSAPP,
            "received_at": timezone.localtime(arrived).strftime("%Y-%m-%dT%H:%M"),
        },
    )

    assert response.status_code == 302, response.content.decode()[:1500]
    case = Case.objects.get(kind=CaseKind.FACILITY)
    assert (case.channel, case.received_at, case.requester_phone) == (
        Channel.WHATSAPP,
        arrived,
        "+6281234567890",
    )
    message.refresh_from_db()
    assert (message.status, message.case_id) == (IntakeStatus.CONVERTED, case.pk)


def test_another_units_staff_cannot_start_from_the_message(
    client, seeded, mailbox, ekon_officer, arrived
):
    """Biro Perekonomian's officer (who records requests of their own unit) gets a 404 for a
    form started from Biro Kesra's message, and the message page offers them nothing."""
    message = receive(mailbox, mails.plain(), arrived)
    client.force_login(ekon_officer)
    assert client.get(reverse("audience:record") + f"?pesan={message.pk}").status_code == 404
    assert client.get(reverse("intake:detail", args=[message.pk])).status_code == 404
    assert Mailbox.objects.get().unit.slug == "biro-kesra"
