"""Complaints in the domain layer: deadlines from the unit's own classes (hand-computed on the
2026 calendar), provisional deadline, reclassification from the original receipt, anonymity and
confidentiality, staff-only channels."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from layanan.accounts.actors import PUBLIC
from layanan.cases.identity import requester_identity_for, requester_identity_reveal
from layanan.cases.models import Channel, Status
from layanan.cases.workflow import case_transition
from layanan.complaints.services import (
    complaint_answer,
    complaint_assign,
    complaint_classify,
    complaint_create,
)
from layanan.core.errors import ApplicationError, NotPermitted

WIB = ZoneInfo("Asia/Pontianak")
pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(org):
    """The seed catalogue published and the 2026 holidays loaded."""
    call_command("load_demo", "--no-users", stdout=StringIO())
    return org


def file_by_staff(officer, unit, received_at, **kwargs):
    return complaint_create(
        actor=officer,
        unit=unit,
        description="Petugas tidak ada di tempat saat jam layanan.",
        channel=kwargs.pop("channel", Channel.PHONE),
        received_at=received_at,
        requester_name=kwargs.pop("requester_name", "Budi Santoso"),
        requester_phone="081234567890",
        **kwargs,
    )


def test_unclassified_complaint_gets_the_shortest_class_as_provisional_deadline(
    seeded, kesra_officer
):
    """Received Thu 24 Dec 2026 10:00 (cuti bersama; 25 Dec Christmas; 26–27 weekend):
    provisional = ringan 3 hours from the next opening, Mon 28 Dec 07:30 → 10:30."""
    with time_machine.travel(dt.datetime(2026, 12, 28, 8, tzinfo=WIB), tick=False):
        case = file_by_staff(
            kesra_officer, seeded["biro-kesra"], dt.datetime(2026, 12, 24, 10, tzinfo=WIB)
        )
    assert case.complaint.class_code == ""
    assert case.due_at == dt.datetime(2026, 12, 28, 10, 30, tzinfo=WIB)


def test_classifying_recomputes_from_the_original_receipt(seeded, kesra_officer):
    """Received Mon 3 Aug 2026 09:00. Normatif (5 HK): Tue 4 … Mon 10 Aug 16:00. Reclassified
    tidak berkadar pengawasan (14 HK): 17 Aug is a holiday → Mon 24 Aug 2026 16:00."""
    received = dt.datetime(2026, 8, 3, 9, tzinfo=WIB)
    case = file_by_staff(kesra_officer, seeded["biro-kesra"], received)
    case = complaint_classify(actor=kesra_officer, case=case, class_code="normatif")
    assert case.due_at == dt.datetime(2026, 8, 10, 16, 0, tzinfo=WIB)
    case = complaint_classify(
        actor=kesra_officer, case=case, class_code="tidak_berkadar_pengawasan"
    )
    assert case.due_at == dt.datetime(2026, 8, 24, 16, 0, tzinfo=WIB)
    kinds = list(case.events.values_list("kind", "old_value", "new_value"))
    assert kinds[-2][0] == "classified"
    assert kinds[-1] == (
        "reclassified",
        "Pengaduan bersifat normatif",
        "Pengaduan tidak berkadar pengawasan",
    )


def test_staff_may_record_the_real_time_of_receipt_the_public_may_not(seeded, kesra_officer):
    """A letter from the box is dated when it arrived; a citizen cannot backdate a complaint."""
    received = dt.datetime(2026, 8, 3, 9, tzinfo=WIB)
    case = file_by_staff(kesra_officer, seeded["biro-kesra"], received, channel="complaint_box")
    assert case.received_at == received
    with pytest.raises(NotPermitted):
        complaint_create(
            actor=PUBLIC,
            unit=seeded["biro-kesra"],
            description="x",
            received_at=received,
        )
    with pytest.raises(NotPermitted):
        complaint_create(
            actor=PUBLIC, unit=seeded["biro-kesra"], description="x", channel=Channel.PHONE
        )


def test_lapor_complaints_keep_their_tracking_number(seeded, kesra_officer):
    """A complaint from SP4N-LAPOR! needs and keeps the LAPOR! number."""
    with pytest.raises(ApplicationError) as exc:
        file_by_staff(kesra_officer, seeded["biro-kesra"], None, channel=Channel.LAPOR)
    assert exc.value.code == "lapor_number_required"
    case = file_by_staff(
        kesra_officer,
        seeded["biro-kesra"],
        None,
        channel=Channel.LAPOR,
        lapor_number="LAP-1234567",
    )
    assert case.complaint.lapor_number == "LAP-1234567"


def test_anonymous_complaint_stores_no_identity(seeded):
    """Whatever the form sends, an anonymous complaint keeps no name, email or phone."""
    case = complaint_create(
        actor=PUBLIC,
        unit=seeded["biro-kesra"],
        description="Pungutan liar di loket.",
        requester_name="Siti",
        requester_email="siti@example.com",
        requester_phone="0812",
        anonymous=True,
    )
    case.refresh_from_db()
    assert (case.requester_name, case.requester_email, case.requester_phone) == ("", "", "")


def test_confidential_identity_is_for_the_complaint_officer_only(seeded, personas):
    """Only the unit's complaint officer sees a confidential reporter; handler, head, auditor,
    and another unit's officer do not."""
    case = complaint_create(
        actor=PUBLIC,
        unit=seeded["biro-kesra"],
        description="Dugaan gratifikasi.",
        requester_name="Rahasia Saja",
        requester_email="pelapor@example.com",
        confidential=True,
    )
    case = complaint_assign(
        actor=personas["kesra_officer"], case=case, division=seeded["kesra-bina-mental"]
    )
    revealed = requester_identity_reveal(actor=personas["kesra_officer"], case=case)
    assert revealed.name == "Rahasia Saja"
    for name in ("kesra_handler", "kesra_head", "auditor", "ekon_officer", "kesra_front"):
        with pytest.raises(NotPermitted):
            requester_identity_reveal(actor=personas[name], case=case)
    for name in personas:  # the non-revealing read never shows a confidential reporter
        assert requester_identity_for(personas[name], case) is None, name


def test_full_cycle_and_foreign_units(seeded, personas):
    """Officer classifies and assigns, the division's handler works it but may not send the
    answer himself, the officer sends it and closes; another unit's officer can neither
    classify nor assign."""
    officer, handler = personas["kesra_officer"], personas["kesra_handler"]
    case = complaint_create(actor=PUBLIC, unit=seeded["biro-kesra"], description="Antrean lama.")
    with pytest.raises(NotPermitted):
        complaint_classify(actor=personas["ekon_officer"], case=case, class_code="ringan")
    with pytest.raises(ApplicationError):
        complaint_assign(actor=officer, case=case, division=seeded["ekon-bumd"])
    case = complaint_classify(actor=officer, case=case, class_code="ringan")
    case = case_transition(actor=officer, case=case, to=Status.VERIFIED)
    case = complaint_assign(actor=officer, case=case, division=seeded["kesra-bina-mental"])
    case = case_transition(actor=handler, case=case, to=Status.IN_PROGRESS)
    with pytest.raises(NotPermitted):
        complaint_answer(actor=handler, case=case, answer="Sudah kami tindak lanjuti.")
    case = complaint_answer(actor=officer, case=case, answer="Sudah kami tindak lanjuti.")
    case = case_transition(actor=officer, case=case, to=Status.CLOSED)
    assert case.status == Status.CLOSED
    assert case.complaint.answer == "Sudah kami tindak lanjuti."


def test_an_answer_that_fails_leaves_nothing(seeded, personas):
    """An empty answer is refused before anything is written: no event, no status change."""
    case = complaint_create(actor=PUBLIC, unit=seeded["biro-kesra"], description="Antrean lama.")
    before = case.events.count()
    with pytest.raises(ApplicationError):
        complaint_answer(actor=personas["kesra_officer"], case=case, answer="  ")
    case.refresh_from_db()
    assert case.status == Status.RECEIVED and case.events.count() == before
