"""The SLA sweep's alerts: the subject and text of the due-soon warning and of the overdue
escalation, and the note of the escalation's timeline event, in Indonesian and once in English.
Case numbers with ``&`` and quotes show the plain-text messages are not HTML-escaped; the due
time is written in Indonesian in both languages, as it always has been."""

from __future__ import annotations

import datetime as dt

import pytest

from layanan.cases.models import Case
from layanan.cases.sla import sla_sweep
from layanan.notify.models import OutboxMessage

from .test_sla import NOW, THREE_HOURS, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def swept(org, kesra_officer, kesra_handler, kesra_head):
    """An unassigned hours-limit case due in 30 minutes (due soon: its unit's complaint
    officer is told) and a case a minute past its due time assigned to the handler (overdue:
    the handler and the head); the sweep's messages and the overdue case's event note."""

    def _sweep():
        soon = make_case(org, due_in=dt.timedelta(minutes=30), duration=THREE_HOURS)
        late = make_case(org, due_in=-dt.timedelta(minutes=1), assignee=kesra_handler)
        Case.objects.filter(pk=soon.pk).update(number='ADU/"1"&2')
        Case.objects.filter(pk=late.pk).update(number='ADU/"3"&4')
        sla_sweep(now=NOW)
        messages = {
            (m.case_id, m.recipient): (m.kind, m.subject, m.body)
            for m in OutboxMessage.objects.all()
        }
        note = late.events.get(kind="sla_overdue").note
        return soon.pk, late.pk, messages, note

    return _sweep


def test_alerts_in_indonesian(swept, kesra_officer, kesra_handler, kesra_head, settings):
    site = settings.SITE_URL
    soon, late, messages, note = swept()
    overdue = (
        "sla_overdue",
        'Melewati batas waktu: ADU/"3"&4',
        'Kasus ADU/"3"&4 telah melewati batas waktunya (Rabu, 4 Maret 2026 pukul 09.59 WIB) '
        "tanpa jawaban. Kasus ini telah dieskalasi kepada kepala unit.\n"
        "\n"
        f"Buka kasus: {site}/staf/kasus/{late}/",
    )
    assert messages == {
        (soon, kesra_officer.email): (
            "sla_due_soon",
            'Segera jatuh tempo: ADU/"1"&2',
            'Kasus ADU/"1"&2 jatuh tempo Rabu, 4 Maret 2026 pukul 10.30 WIB dan belum dijawab.\n'
            "\n"
            f"Buka kasus: {site}/staf/kasus/{soon}/",
        ),
        (late, kesra_handler.email): overdue,
        (late, kesra_head.email): overdue,
    }
    assert note == "Dieskalasi kepada kepala unit."


def test_alerts_in_english(swept, kesra_officer, kesra_handler, kesra_head, settings):
    """The alerts are worded in the site's language, here English."""
    settings.LANGUAGE_CODE = "en"
    site = settings.SITE_URL
    soon, late, messages, note = swept()
    overdue = (
        "sla_overdue",
        'Overdue: ADU/"3"&4',
        'Case ADU/"3"&4 passed its deadline (Rabu, 4 Maret 2026 pukul 09.59 WIB) without an '
        "answer. It has been escalated to the head of unit.\n"
        "\n"
        f"Open the case: {site}/staf/kasus/{late}/",
    )
    assert messages == {
        (soon, kesra_officer.email): (
            "sla_due_soon",
            'Due soon: ADU/"1"&2',
            'Case ADU/"1"&2 is due Rabu, 4 Maret 2026 pukul 10.30 WIB and has not been answered '
            "yet.\n"
            "\n"
            f"Open the case: {site}/staf/kasus/{soon}/",
        ),
        (late, kesra_handler.email): overdue,
        (late, kesra_head.email): overdue,
    }
    assert note == "Escalated to the head of unit."
