"""The WhatsApp acknowledgement: its subject (also the approved template's first parameter)
and text, for a message that joined the sender's open case and for a new message, in
Indonesian and once in English. A unit name with ``&`` and quotes shows the plain-text message
is not HTML-escaped."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from layanan.accounts.actors import PUBLIC
from layanan.cases.models import CaseKind, Channel
from layanan.cases.services import case_create
from layanan.intake.models import IntakeChannel, IntakeMessage, IntakeStatus
from layanan.intake.whatsapp import ACK_KIND, acknowledge
from layanan.notify.models import OutboxMessage
from layanan.workdays.durations import Duration

from . import wa

pytestmark = pytest.mark.django_db
UNIT = 'Biro "Kesra" & Rakyat'


@pytest.fixture
def acknowledged(org, settings):
    """The acknowledgement of a WhatsApp message to Biro Kesra (renamed with ``&`` and
    quotes), joined to an open case of the sender or not: (recipient, sender, subject, body,
    template parameters, case id)."""
    settings.WHATSAPP_ENABLED = True
    unit = org["biro-kesra"]
    unit.name = UNIT
    unit.save(update_fields=["name"])

    def _ack(*, joined: bool):
        case = None
        if joined:
            case = case_create(
                actor=PUBLIC,
                kind=CaseKind.COMPLAINT,
                unit=unit,
                channel=Channel.WHATSAPP,
                received_at=timezone.now() - dt.timedelta(hours=1),
                duration=Duration(value=5, unit="working_days", text="5 hari kerja"),
                subject="Layanan lambat",
            )
        message = IntakeMessage.objects.create(
            unit=unit,
            channel=IntakeChannel.WHATSAPP,
            external_id=wa.wamid(),
            received_at=timezone.now(),
            sender_address="+" + wa.CITIZEN,
            text="Halo",
            status=IntakeStatus.ATTACHED if joined else IntakeStatus.NEW,
            case=case,
        )
        acknowledge(message, wa.GLOBAL_NUMBER_ID)
        ack = OutboxMessage.objects.get(kind=ACK_KIND)
        return (
            ack.channel,
            ack.recipient,
            ack.sender,
            ack.subject,
            ack.body,
            ack.context["template_parameters"],
            ack.case_id,
        ), case

    return _ack


def test_a_new_message_in_indonesian(acknowledged, settings):
    ack, _case = acknowledged(joined=False)
    assert ack == (
        "whatsapp",
        wa.CITIZEN,
        wa.GLOBAL_NUMBER_ID,
        "Pesan diterima",
        'Terima kasih, pesan Anda telah diterima oleh Biro "Kesra" & Rakyat. Petugas akan '
        "membacanya pada jam kerja; setelah pesan Anda dicatat, Anda akan menerima kode "
        "pelacakan melalui nomor ini.",
        ["Pesan diterima", settings.SITE_URL],
        None,
    )


def test_a_message_joined_to_an_open_case_in_indonesian(acknowledged, settings):
    ack, case = acknowledged(joined=True)
    assert ack == (
        "whatsapp",
        wa.CITIZEN,
        wa.GLOBAL_NUMBER_ID,
        "Pesan diterima",
        'Terima kasih, pesan Anda telah diterima oleh Biro "Kesra" & Rakyat dan telah '
        "ditambahkan ke laporan Anda. Kami akan membalas melalui nomor ini.",
        ["Pesan diterima", settings.SITE_URL],
        case.pk,
    )


def test_both_in_english(acknowledged, settings):
    """The acknowledgement is worded in the site's language, here English."""
    settings.LANGUAGE_CODE = "en"
    new, _case = acknowledged(joined=False)
    assert new == (
        "whatsapp",
        wa.CITIZEN,
        wa.GLOBAL_NUMBER_ID,
        "Message received",
        'Thank you, your message has reached Biro "Kesra" & Rakyat. An officer will read it '
        "within working hours; once it is registered you will receive a tracking code here.",
        ["Message received", settings.SITE_URL],
        None,
    )
    OutboxMessage.objects.all().delete()  # past the quiet time of the first one
    joined, case = acknowledged(joined=True)
    assert joined == (
        "whatsapp",
        wa.CITIZEN,
        wa.GLOBAL_NUMBER_ID,
        "Message received",
        'Thank you, your message has reached Biro "Kesra" & Rakyat and has been added to '
        "your report. We will reply through this number.",
        ["Message received", settings.SITE_URL],
        case.pk,
    )
