"""The monthly evaluation meeting: planned from the standards' cadence, recorded by the head,
its follow-up actions carried to later meetings until done, printed in the month's PDF."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from layanan.accounts.actors import SYSTEM
from layanan.core.errors import NotPermitted
from layanan.core.models import AuditAction, AuditEntry
from layanan.evaluation import services
from layanan.evaluation.models import (
    ActionStatus,
    EvaluationMeeting,
    FollowUpAction,
    MeetingStatus,
)
from layanan.evaluation.selectors import carried_actions
from layanan.reports import exports
from layanan.reports.metrics import Month
from layanan.reports.summary import evaluation
from tests.factories import published_standard


@pytest.fixture(autouse=True)
def _on_wednesday_9_december_2026(clock):
    """This module's expectations (the meetings' months and what is "future") are hand-written
    for Wed 9 Dec 2026, 10:00 WIB: it starts there whatever ``LAYANAN_TEST_NOW`` says."""
    clock.move_to(dt.datetime(2026, 12, 9, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=7))))


DEC = Month(2026, 12)
NOV = Month(2026, 11)


def _schedule(month=DEC):
    return services.meetings_schedule(actor=SYSTEM, month=month)


def test_one_meeting_a_month_on_the_last_working_day(org, kesra_standard):
    """Seed 003 says "minimal 1 kali dalam 1 bulan": one planned meeting for December 2026,
    on its last working day (Thursday 31 December; 24–25 Dec are cuti bersama / Christmas is a
    holiday, the 31st is an ordinary Thursday)."""
    report = _schedule()
    meetings = list(EvaluationMeeting.objects.filter(unit=org["biro-kesra"]))
    assert [(m.month, m.sequence, m.planned_on) for m in meetings] == [
        (dt.date(2026, 12, 1), 1, dt.date(2026, 12, 31))
    ]
    assert report.units == 1 and len(report.created) == 1
    # Only units with published standards have a cadence.
    assert not EvaluationMeeting.objects.filter(unit=org["biro-perekonomian"]).exists()


def test_a_cadence_of_two_plans_two_meetings_spread_over_the_month(org):
    """A standard saying twice a month gives two meetings: mid-month and the last working
    day; the most frequent cadence among the unit's standards wins."""
    published_standard(standard__unit=org["biro-umum"], meetings_per_month=1)
    published_standard(standard__unit=org["biro-umum"], meetings_per_month=2)
    assert services.meetings_per_month(org["biro-umum"]) == 2
    _schedule(NOV)
    planned = list(
        EvaluationMeeting.objects.filter(unit=org["biro-umum"]).values_list(
            "sequence", "planned_on"
        )
    )
    assert [s for s, _d in planned] == [1, 2]
    assert planned[0][1].day in range(12, 18) and planned[1][1] == dt.date(2026, 11, 30)


def test_no_stated_cadence_means_monthly(org):
    """A published standard whose evaluation names no meeting frequency: monthly."""
    published_standard(standard__unit=org["biro-umum"], meetings_per_month=None)
    assert services.meetings_per_month(org["biro-umum"]) == 1
    assert services.meetings_per_month(org["biro-perekonomian"]) is None


def test_scheduling_is_idempotent_and_audited_once(org, kesra_standard):
    """Running the schedule (or the daily command) again creates nothing new and logs no second
    entry."""
    _schedule()
    call_command("schedule_evaluation_meetings", "--month", "2026-12", stdout=io.StringIO())
    again = _schedule()
    assert EvaluationMeeting.objects.filter(unit=org["biro-kesra"]).count() == 1
    assert again.created == [] and again.existing == 1
    assert AuditEntry.objects.filter(action=AuditAction.MEETING_SCHEDULED).count() == 1


def test_the_daily_command_plans_this_month_and_the_next(org, kesra_standard):
    """Without --month the command plans December and January ahead (the clock: 9 Dec 2026)."""
    out = io.StringIO()
    call_command("schedule_evaluation_meetings", stdout=out)
    months = set(EvaluationMeeting.objects.values_list("month", flat=True))
    assert months == {dt.date(2026, 12, 1), dt.date(2027, 1, 1)}
    assert "2027-01: 1 meeting(s) planned" in out.getvalue()


@pytest.fixture
def meeting(org, kesra_standard):
    _schedule()
    return EvaluationMeeting.objects.get(unit=org["biro-kesra"], month=DEC.first_day)


def _record(actor, meeting, **overrides):
    values = {
        "status": MeetingStatus.HELD,
        "planned_on": dt.date(2026, 12, 31),
        "held_on": dt.date(2026, 12, 8),
        "attendees": [],
        "minutes": "Pembahasan capaian layanan November.",
        "decisions": "Loket buka tepat 07.30\nWA dibalas dalam 1 jam",
    }
    return services.meeting_record(actor=actor, meeting=meeting, **(values | overrides))


def test_the_head_records_the_meeting(meeting, kesra_head, kesra_front, kesra_handler):
    """Date, attendees (people of the unit and its Bagian), minutes, decisions: saved and
    audited."""
    _record(kesra_head, meeting, attendees=[kesra_head, kesra_front, kesra_handler])
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD and meeting.held_on == dt.date(2026, 12, 8)
    assert set(meeting.attendees.all()) == {kesra_head, kesra_front, kesra_handler}
    assert meeting.decision_list == ["Loket buka tepat 07.30", "WA dibalas dalam 1 jam"]
    entry = AuditEntry.objects.get(action=AuditAction.MEETING_RECORDED)
    assert entry.actor == kesra_head and entry.unit_id == meeting.unit_id


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"held_on": dt.date(2026, 12, 10)}, "future"),
        ({"held_on": dt.date(2026, 11, 30)}, "within that month"),
        ({"held_on": None}, "day it was held"),
        ({"attendees": "none"}, "who attended"),
        ({"attendees": "stranger"}, "people of the unit"),
        ({"status": MeetingStatus.CANCELLED, "minutes": " "}, "why"),
        ({"planned_on": dt.date(2027, 1, 4)}, "within the month"),
    ],
)
def test_a_bad_record_is_refused_and_nothing_is_written(
    meeting, kesra_head, ekon_officer, overrides, message
):
    """Held in the future or outside its month, without a day or attendees, with someone of
    another unit, cancelled without a reason: refused, the meeting unchanged, no audit entry."""
    attendees = {"none": [], "stranger": [kesra_head, ekon_officer]}
    overrides = dict(overrides)
    overrides["attendees"] = attendees.get(overrides.get("attendees"), [kesra_head])
    with translation.override("en"), pytest.raises(services.EvaluationError, match=message):
        _record(kesra_head, meeting, **overrides)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED and meeting.minutes == ""
    assert not meeting.attendees.exists()
    assert not AuditEntry.objects.filter(action=AuditAction.MEETING_RECORDED).exists()


def test_only_the_head_of_the_unit_records(meeting, kesra_front, kesra_officer, ekon_head):
    """Another role of the unit, or the head of another unit, may not write the record."""
    for actor in (kesra_front, kesra_officer, ekon_head):
        with pytest.raises(NotPermitted):
            _record(actor, meeting, attendees=[])
        with pytest.raises(NotPermitted):
            services.action_add(
                actor=actor,
                meeting=meeting,
                description="x",
                owner=kesra_front,
                due_on=dt.date(2026, 12, 20),
            )
    assert not FollowUpAction.objects.exists()


def test_open_actions_are_carried_over_until_done_never_copied(
    org, kesra_standard, kesra_head, kesra_handler, clock
):
    """An action agreed in November and still open shows on December's meeting (from the
    November meeting, not as a copy); done in December it still shows there, done; January's
    meeting no longer carries it."""
    november = services.meetings_schedule(actor=SYSTEM, month=NOV).created[0]
    action = services.action_add(
        actor=kesra_head,
        meeting=november,
        description="Perbarui papan informasi",
        owner=kesra_handler,
        due_on=dt.date(2026, 12, 4),
    )
    december = _schedule().created[0]
    january = services.meetings_schedule(actor=SYSTEM, month=Month(2027, 1)).created[0]
    assert carried_actions(december) == [action] and carried_actions(january) == [action]
    services.action_set_status(actor=kesra_head, action=action, status=ActionStatus.DONE)
    action.refresh_from_db()
    assert action.done_on == dt.date(2026, 12, 9)
    assert [a.status for a in carried_actions(december)] == [ActionStatus.DONE]
    assert carried_actions(january) == []
    assert FollowUpAction.objects.count() == 1
    assert AuditEntry.objects.filter(action=AuditAction.FOLLOW_UP_CHANGED).count() == 1


def test_an_action_owner_must_be_of_the_unit(meeting, kesra_head, ekon_officer):
    """The owner of an action is one of the unit's people."""
    with pytest.raises(services.EvaluationError):
        services.action_add(
            actor=kesra_head,
            meeting=meeting,
            description="Tindak lanjut",
            owner=ekon_officer,
            due_on=dt.date(2026, 12, 20),
        )
    assert not FollowUpAction.objects.exists()


def test_the_monthly_pdf_carries_the_meeting(
    org, meeting, kesra_head, kesra_front, kesra_handler, tmp_path
):
    """The month's evaluation PDF shows the meeting's date, attendees, decisions and actions
    (its own and those carried over)."""
    kesra_front.full_name, kesra_handler.full_name = "Rina Loket", "Andi Bina Mental"
    kesra_front.save(), kesra_handler.save()
    november = services.meetings_schedule(actor=SYSTEM, month=NOV).created[0]
    services.action_add(
        actor=kesra_head,
        meeting=november,
        description="Perbarui papan informasi",
        owner=kesra_handler,
        due_on=dt.date(2026, 12, 4),
    )
    _record(kesra_head, meeting, attendees=[kesra_head, kesra_front, kesra_handler])
    services.action_add(
        actor=kesra_head,
        meeting=meeting,
        description="Survei kepuasan semester II",
        owner=kesra_front,
        due_on=dt.date(2026, 12, 30),
    )
    pdf = exports.evaluation_pdf(evaluation(org["biro-kesra"], DEC))
    (tmp_path / "evaluasi.pdf").write_bytes(pdf)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    text = " ".join(text.split())
    for expected in (
        "8 Desember 2026",
        "Rina Loket",
        "Andi Bina Mental",
        "Loket buka tepat 07.30",
        "WA dibalas dalam 1 jam",
        "Survei kepuasan semester II",
        "Perbarui papan informasi",
        "November 2026",
    ):
        assert expected in text, expected


def test_a_month_without_a_meeting_says_so_in_the_pdf(org):
    """No meeting recorded: the PDF says so rather than leaving the section out."""
    pdf = exports.evaluation_pdf(evaluation(org["biro-kesra"], DEC))
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Tidak ada rapat evaluasi" in " ".join(text.split()) or "No evaluation meeting" in text


# --- pages ---------------------------------------------------------------------------------------


def test_members_read_the_meeting_others_do_not(
    client, meeting, kesra_front, kesra_handler, auditor, ekon_officer
):
    """Everyone of the unit (its Bagian too) and the auditor read the record; another unit's
    staff get a 404 and no edit page."""
    url = reverse("evaluation:meeting", args=[meeting.pk])
    for user, status in ((kesra_front, 200), (kesra_handler, 200), (auditor, 200)):
        client.force_login(user)
        assert client.get(url).status_code == status
        assert client.get(reverse("evaluation:meeting_edit", args=[meeting.pk])).status_code == 404
    client.force_login(ekon_officer)
    assert client.get(url).status_code == 404


def test_the_head_records_through_the_page(client, meeting, kesra_head, kesra_front):
    """The edit page saves the record; a refused one shows the error and keeps what was
    typed."""
    client.force_login(kesra_head)
    url = reverse("evaluation:meeting_edit", args=[meeting.pk])
    data = {
        "status": "held",
        "planned_on": "2026-12-31",
        "held_on": "2026-12-20",
        "attendees": [kesra_head.pk, kesra_front.pk],
        "minutes": "Catatan rapat yang panjang",
        "decisions": "Keputusan satu",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Catatan rapat yang panjang" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED
    response = client.post(url, data | {"held_on": "2026-12-07"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.held_on == dt.date(2026, 12, 7)
    page = client.get(reverse("evaluation:meeting", args=[meeting.pk])).content.decode()
    assert "Keputusan satu" in page


def test_the_head_adds_and_closes_an_action_through_the_pages(
    client, meeting, kesra_head, kesra_handler
):
    """Add a follow-up action, then mark it done with its result."""
    client.force_login(kesra_head)
    response = client.post(
        reverse("evaluation:action_add", args=[meeting.pk]),
        {"description": "Pasang papan SOP", "owner": kesra_handler.pk, "due_on": "2026-12-18"},
    )
    assert response.status_code == 302
    action = FollowUpAction.objects.get()
    response = client.post(
        reverse("evaluation:action_update", args=[action.pk]),
        {"status": "done", "done_on": "2026-12-08", "note": "Sudah terpasang"},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.done_on, action.note) == (
        ActionStatus.DONE,
        dt.date(2026, 12, 8),
        "Sudah terpasang",
    )


def test_the_head_schedules_an_extra_meeting(client, meeting, kesra_head, kesra_front):
    """A second meeting in the month takes the next number; the front desk cannot."""
    client.force_login(kesra_front)
    url = reverse("evaluation:meeting_new", args=["biro-kesra"])
    assert client.post(url, {"planned_on": "2026-12-15"}).status_code == 404
    client.force_login(kesra_head)
    assert client.post(url, {"planned_on": "2026-12-15"}).status_code == 302
    assert list(
        EvaluationMeeting.objects.filter(unit=meeting.unit).values_list("sequence", flat=True)
    ) == [1, 2]


def test_the_list_shows_the_units_meetings(client, meeting, kesra_front):
    """The evaluation home lists the unit's meetings for its members."""
    client.force_login(kesra_front)
    response = client.get(reverse("evaluation:home"))
    assert response.status_code == 200
    assert f'data-meeting="{meeting.pk}"' in response.content.decode()


def test_the_meeting_page_query_count_does_not_grow(
    client, org, meeting, kesra_head, kesra_front, django_assert_max_num_queries
):
    """Attendees, own and carried actions are read in a fixed number of queries (no N+1)."""
    from tests.factories import MembershipFactory, UserFactory

    people = [kesra_head, kesra_front]
    for _i in range(8):
        user = UserFactory()
        MembershipFactory(user=user, unit=org["biro-kesra"], role="handler")
        people.append(user)
    november = services.meetings_schedule(actor=SYSTEM, month=NOV).created[0]
    for person in people:
        for target in (november, meeting):
            services.action_add(
                actor=kesra_head,
                meeting=target,
                description="Tindak lanjut",
                owner=person,
                due_on=dt.date(2026, 12, 20),
            )
    _record(kesra_head, meeting, attendees=people)
    client.force_login(kesra_front)
    url = reverse("evaluation:meeting", args=[meeting.pk])
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert response.content.decode().count("data-action=") == 2 * len(people)
