"""Deadline math over an explicit calendar (no database): the official 2026 holidays and the
system default hours (Mon–Thu 07:30–16:00, Fri 07:30–16:30, Sat/Sun closed).

Every expected value below is worked out by hand in the docstring, day by day.
"""

from __future__ import annotations

import datetime as dt

import pytest

from layanan.workdays.deadlines import (
    Calendar,
    NoOfficeHours,
    Override,
    deadline,
    format_due,
    is_working_day,
    next_opening,
    office_time_between,
    working_days_between,
)
from layanan.workdays.durations import Duration, DurationUnit

from .conftest import WIB, at, dur, official_calendar

WD = "working_days"
CD = "calendar_days"
H = "hours"
M = "minutes"


def due(cal, start, value, unit, **kwargs):
    return deadline(start, dur(value, unit), calendar=cal, **kwargs)


# --- the example from the brief ---------------------------------------------------------------


def test_five_working_days_across_nyepi_and_idul_fitri(cal):
    """Wed 11 Mar 10:00 + 5 working days. After 11 Mar: Thu 12 (1), Fri 13 (2), Mon 16 (3),
    Tue 17 (4); Wed 18 cuti, Thu 19 Nyepi, Fri 20 cuti, Sat 21/Sun 22 Idul Fitri, Mon 23 and
    Tue 24 cuti; Wed 25 (5) → due Wed 25 Mar 2026 16:00 WIB."""
    result = due(cal, at(2026, 3, 11, 10), 5, WD)
    assert result == at(2026, 3, 25, 16)
    assert result.isoformat() == "2026-03-25T16:00:00+07:00"


def test_result_is_in_office_time_zone_whatever_the_input_zone(cal):
    """Wed 11 Mar 03:00 UTC is 10:00 WIB: same answer as above, expressed in +07:00."""
    start = dt.datetime(2026, 3, 11, 3, 0, tzinfo=dt.UTC)
    assert due(cal, start, 5, WD).isoformat() == "2026-03-25T16:00:00+07:00"


def test_working_day_receipt_date_is_the_local_date(cal):
    """Tue 10 Mar 23:30 UTC is Wed 11 Mar 06:30 WIB: day 1 is Thu 12, so 1 working day is due
    Thu 12 Mar 16:00 (not Wed 11, which a UTC date would give)."""
    start = dt.datetime(2026, 3, 10, 23, 30, tzinfo=dt.UTC)
    assert due(cal, start, 1, WD) == at(2026, 3, 12, 16)


# --- working days -----------------------------------------------------------------------------


def test_one_working_day_before_nyepi(cal):
    """Tue 17 Mar 09:00 + 1 working day: 18 cuti, 19 Nyepi, 20 cuti, 21–22 Idul Fitri (weekend),
    23–24 cuti → day 1 = Wed 25 Mar, due 16:00."""
    assert due(cal, at(2026, 3, 17, 9), 1, WD) == at(2026, 3, 25, 16)


def test_fourteen_working_days(cal):
    """Wed 11 Mar 10:00 + 14 working days: 12 (1), 13 (2), 16 (3), 17 (4), [18–24 off],
    25 (5), 26 (6), Fri 27 (7), 30 (8), 31 (9), Apr 1 (10), 2 (11), [Fri 3 Apr Wafat Yesus
    Kristus], Mon 6 (12), 7 (13), Wed 8 Apr (14) → Wed 8 Apr 2026 16:00."""
    assert due(cal, at(2026, 3, 11, 10), 14, WD) == at(2026, 4, 8, 16)


def test_sixty_working_days(cal):
    """Mon 2 Mar 08:00 + 60 working days.
    March: 3,4,5,6,9,10,11,12,13,16,17 (1–11), [18–24 off], 25,26,27,30,31 (12–16).
    April: 1,2 (17–18), [3 off], 6–10 (19–23), 13–17 (24–28), 20–24 (29–33), 27–30 (34–37).
    May: [1 off], 4–8 (38–42), 11,12,13 (43–45), [14, 15 off], 18–22 (46–50), 25,26 (51–52),
    [27, 28 off], Fri 29 (53).
    June: [Mon 1 Pancasila], 2,3,4,5 (54–57), 8,9,10 (58–60) → Wed 10 Jun 2026 16:00."""
    assert due(cal, at(2026, 3, 2, 8), 60, WD) == at(2026, 6, 10, 16)


def test_working_days_across_christmas(cal):
    """Mon 21 Dec 10:00 + 5 working days: 22 (1), 23 (2), [24 cuti, 25 Natal, 26–27 weekend],
    28 (3), 29 (4), Wed 30 (5) → Wed 30 Dec 2026 16:00."""
    assert due(cal, at(2026, 12, 21, 10), 5, WD) == at(2026, 12, 30, 16)


def test_working_days_into_the_next_year(cal):
    """Mon 21 Dec 10:00 + 7 working days: …, Wed 30 (5), Thu 31 (6), [Fri 1 Jan 2027 New Year,
    2–3 weekend], Mon 4 Jan 2027 (7) → 16:00."""
    assert due(cal, at(2026, 12, 21, 10), 7, WD) == at(2027, 1, 4, 16)


def test_working_days_ending_on_a_friday_close_at_16_30(cal):
    """Fri 13 Mar 16:20 + 5 working days: Mon 16 (1), Tue 17 (2), [18–24 off], Wed 25 (3),
    Thu 26 (4), Fri 27 (5) → Fri 27 Mar 16:30 (Friday closes 16:30)."""
    assert due(cal, at(2026, 3, 13, 16, 20), 5, WD) == at(2026, 3, 27, 16, 30)


def test_working_days_received_before_opening(cal):
    """Tue 10 Mar 06:00 (before 07:30) + 1 working day: day 1 is still the next working day,
    Wed 11 Mar → 16:00. The day of receipt never counts."""
    assert due(cal, at(2026, 3, 10, 6), 1, WD) == at(2026, 3, 11, 16)


def test_working_days_received_after_closing(cal):
    """Mon 9 Mar 17:00 + 1 working day → Tue 10 Mar 16:00."""
    assert due(cal, at(2026, 3, 9, 17), 1, WD) == at(2026, 3, 10, 16)


def test_working_days_received_on_a_weekend(cal):
    """Sun 15 Mar 10:00 + 5 working days: Mon 16 (1), Tue 17 (2), [18–24 off], Wed 25 (3),
    Thu 26 (4), Fri 27 (5) → Fri 27 Mar 16:30."""
    assert due(cal, at(2026, 3, 15, 10), 5, WD) == at(2026, 3, 27, 16, 30)


def test_working_days_received_on_a_holiday(cal):
    """Sat 21 Mar (Idul Fitri) 10:00 + 1 working day: 22 Sun/Idul Fitri, 23–24 cuti → Wed 25
    Mar 16:00."""
    assert due(cal, at(2026, 3, 21, 10), 1, WD) == at(2026, 3, 25, 16)


def test_zero_working_days_is_the_end_of_the_office_day(cal):
    """0 working days from Tue 10 Mar 10:00 → the same day's closing, 16:00; from 17:00 (after
    closing) → the next working day's closing, Wed 11 Mar 16:00."""
    assert due(cal, at(2026, 3, 10, 10), 0, WD) == at(2026, 3, 10, 16)
    assert due(cal, at(2026, 3, 10, 17), 0, WD) == at(2026, 3, 11, 16)


# --- minutes and hours ------------------------------------------------------------------------


def test_fifteen_minutes_from_thursday_15_50(cal):
    """Thu 12 Mar 15:50 + 15 minutes: 10 minutes until 16:00, 5 minutes from Fri 13 Mar 07:30
    → Fri 13 Mar 07:35."""
    assert due(cal, at(2026, 3, 12, 15, 50), 15, M) == at(2026, 3, 13, 7, 35)


def test_fifteen_minutes_inside_office_hours(cal):
    """Tue 10 Mar 09:00 + 15 minutes → 09:15 the same day."""
    assert due(cal, at(2026, 3, 10, 9), 15, M) == at(2026, 3, 10, 9, 15)


def test_fifteen_minutes_before_nyepi(cal):
    """Tue 17 Mar 15:50 + 15 minutes: 10 minutes until 16:00, then the office is closed 18–24
    Mar; 5 minutes from Wed 25 Mar 07:30 → 07:35."""
    assert due(cal, at(2026, 3, 17, 15, 50), 15, M) == at(2026, 3, 25, 7, 35)


def test_three_hours_inside_office_hours(cal):
    """Mon 9 Mar 10:00 + 3 hours → 13:00."""
    assert due(cal, at(2026, 3, 9, 10), 3, H) == at(2026, 3, 9, 13)


def test_three_hours_running_past_closing(cal):
    """Mon 9 Mar 14:30 + 3 hours: 1 h 30 until 16:00, 1 h 30 from Tue 07:30 → Tue 10 Mar
    09:00."""
    assert due(cal, at(2026, 3, 9, 14, 30), 3, H) == at(2026, 3, 10, 9)


def test_hours_ending_exactly_at_closing_stay_on_that_day(cal):
    """Mon 9 Mar 13:00 + 3 hours → exactly 16:00 Monday (not Tuesday's opening)."""
    assert due(cal, at(2026, 3, 9, 13), 3, H) == at(2026, 3, 9, 16)


def test_three_hours_on_a_friday_afternoon(cal):
    """Fri 13 Mar 15:00 + 3 hours: 1 h 30 until 16:30 (Friday), 1 h 30 from Mon 16 Mar 07:30
    → Mon 16 Mar 09:00."""
    assert due(cal, at(2026, 3, 13, 15), 3, H) == at(2026, 3, 16, 9)


def test_minutes_ending_at_friday_closing(cal):
    """Fri 13 Mar 16:15 + 15 minutes → 16:30 Friday (16:00 would be Mon–Thu closing)."""
    assert due(cal, at(2026, 3, 13, 16, 15), 15, M) == at(2026, 3, 13, 16, 30)


def test_hours_received_before_opening(cal):
    """Tue 10 Mar 06:00 + 3 hours: the clock starts at 07:30 → 10:30."""
    assert due(cal, at(2026, 3, 10, 6), 3, H) == at(2026, 3, 10, 10, 30)


def test_minutes_received_after_closing(cal):
    """Mon 9 Mar 17:00 + 15 minutes: the clock starts Tue 07:30 → 07:45."""
    assert due(cal, at(2026, 3, 9, 17), 15, M) == at(2026, 3, 10, 7, 45)


def test_hours_received_at_closing_time_exactly(cal):
    """Mon 9 Mar 16:00 (closing; office hours are half-open) + 1 hour → Tue 10 Mar 08:30."""
    assert due(cal, at(2026, 3, 9, 16), 1, H) == at(2026, 3, 10, 8, 30)


def test_hours_received_on_a_weekend(cal):
    """Sat 7 Mar 10:00 + 3 hours: the clock starts Mon 9 Mar 07:30 → 10:30."""
    assert due(cal, at(2026, 3, 7, 10), 3, H) == at(2026, 3, 9, 10, 30)


def test_hours_received_on_cuti_bersama_of_idul_fitri(cal):
    """Fri 20 Mar (cuti bersama) 10:00 + 3 hours: closed until Wed 25 Mar 07:30 → 10:30."""
    assert due(cal, at(2026, 3, 20, 10), 3, H) == at(2026, 3, 25, 10, 30)


def test_hours_across_christmas(cal):
    """Wed 23 Dec 14:00 + 3 hours: 2 hours until 16:00; 24 cuti, 25 Natal, 26–27 weekend;
    1 hour from Mon 28 Dec 07:30 → 08:30."""
    assert due(cal, at(2026, 12, 23, 14), 3, H) == at(2026, 12, 28, 8, 30)


# --- calendar days ----------------------------------------------------------------------------


def test_calendar_days_landing_on_a_working_day(cal):
    """Mon 2 Mar 10:00 + 7 calendar days → Mon 9 Mar, a working day → 16:00."""
    assert due(cal, at(2026, 3, 2, 10), 7, CD) == at(2026, 3, 9, 16)


def test_calendar_days_landing_on_a_saturday(cal):
    """Mon 2 Mar 10:00 + 5 calendar days → Sat 7 Mar, closed → Mon 9 Mar 16:00."""
    assert due(cal, at(2026, 3, 2, 10), 5, CD) == at(2026, 3, 9, 16)


def test_calendar_days_landing_on_cuti_bersama(cal):
    """Wed 11 Mar 10:00 + 7 calendar days → Wed 18 Mar (cuti bersama Nyepi); next working day
    Wed 25 Mar → 16:00."""
    assert due(cal, at(2026, 3, 11, 10), 7, CD) == at(2026, 3, 25, 16)


def test_calendar_days_landing_on_christmas(cal):
    """Fri 11 Dec 10:00 + 14 calendar days → Fri 25 Dec (Natal); 26–27 weekend → Mon 28 Dec
    16:00."""
    assert due(cal, at(2026, 12, 11, 10), 14, CD) == at(2026, 12, 28, 16)


def test_calendar_days_landing_on_a_friday(cal):
    """Tue 10 Mar 10:00 + 3 calendar days → Fri 13 Mar → 16:30."""
    assert due(cal, at(2026, 3, 10, 10), 3, CD) == at(2026, 3, 13, 16, 30)


def test_calendar_days_received_late_in_the_evening(cal):
    """Mon 2 Mar 23:00 + 1 calendar day → Tue 3 Mar 16:00 (counted from the date of receipt)."""
    assert due(cal, at(2026, 3, 2, 23), 1, CD) == at(2026, 3, 3, 16)


# --- paused intervals -------------------------------------------------------------------------


def test_pause_inside_office_hours_is_added_back(cal):
    """Mon 9 Mar 08:00 + 3 hours, paused 09:00–10:30: 1 hour runs 08:00–09:00, the clock stops,
    2 hours run 10:30–12:30 → 12:30."""
    paused = [(at(2026, 3, 9, 9), at(2026, 3, 9, 10, 30))]
    assert due(cal, at(2026, 3, 9, 8), 3, H, paused=paused) == at(2026, 3, 9, 12, 30)


def test_pause_across_the_night_only_counts_office_time(cal):
    """Mon 9 Mar 14:00 + 3 hours, paused Mon 15:00 → Tue 08:00. Runs 14:00–15:00 (1 h); paused
    office time is Mon 15:00–16:00 and Tue 07:30–08:00; 2 hours run from Tue 08:00 → 10:00.
    (Without the pause: Tue 08:30; the 1 h 30 of paused office time is added back.)"""
    paused = [(at(2026, 3, 9, 15), at(2026, 3, 10, 8))]
    assert due(cal, at(2026, 3, 9, 14), 3, H, paused=paused) == at(2026, 3, 10, 10)
    assert due(cal, at(2026, 3, 9, 14), 3, H) == at(2026, 3, 10, 8, 30)


def test_pause_outside_office_hours_changes_nothing(cal):
    """Mon 9 Mar 14:00 + 3 hours, paused Mon 16:30 → Tue 07:00 (office closed all along) →
    Tue 10 Mar 08:30 as without a pause."""
    paused = [(at(2026, 3, 9, 16, 30), at(2026, 3, 10, 7))]
    assert due(cal, at(2026, 3, 9, 14), 3, H, paused=paused) == at(2026, 3, 10, 8, 30)


def test_pauses_before_receipt_and_overlapping_pauses(cal):
    """A pause before receipt is ignored; overlapping pauses count once. Tue 10 Mar 08:00 +
    1 hour, pauses Mon 9 Mar 10:00–11:00 (before), Tue 08:15–08:45 and 08:30–09:00 (merged:
    08:15–09:00): 15 min 08:00–08:15, 45 min from 09:00 → 09:45."""
    paused = [
        (at(2026, 3, 9, 10), at(2026, 3, 9, 11)),
        (at(2026, 3, 10, 8, 30), at(2026, 3, 10, 9)),
        (at(2026, 3, 10, 8, 15), at(2026, 3, 10, 8, 45)),
    ]
    assert due(cal, at(2026, 3, 10, 8), 1, H, paused=paused) == at(2026, 3, 10, 9, 45)


def test_pause_touching_working_days_shifts_by_those_days(cal):
    """Wed 11 Mar 10:00 + 5 working days, paused Fri 13 Mar 10:00 → Mon 16 Mar 09:00. The pause
    touches the office hours of Fri 13 and Mon 16: neither counts. Thu 12 (1), Tue 17 (2),
    [18–24 off], Wed 25 (3), Thu 26 (4), Fri 27 (5) → Fri 27 Mar 16:30 (instead of Wed 25)."""
    paused = [(at(2026, 3, 13, 10), at(2026, 3, 16, 9))]
    assert due(cal, at(2026, 3, 11, 10), 5, WD, paused=paused) == at(2026, 3, 27, 16, 30)


def test_pause_over_a_weekend_outside_office_hours_shifts_nothing(cal):
    """Paused Fri 13 Mar 17:00 → Mon 16 Mar 07:00: no office hours touched, so 5 working days
    from Wed 11 Mar stay due Wed 25 Mar 16:00."""
    paused = [(at(2026, 3, 13, 17), at(2026, 3, 16, 7))]
    assert due(cal, at(2026, 3, 11, 10), 5, WD, paused=paused) == at(2026, 3, 25, 16)


def test_pause_on_the_day_of_receipt_shifts_nothing(cal):
    """The day of receipt never counts, so a pause on Wed 11 Mar 11:00–15:00 leaves 5 working
    days due Wed 25 Mar 16:00."""
    paused = [(at(2026, 3, 11, 11), at(2026, 3, 11, 15))]
    assert due(cal, at(2026, 3, 11, 10), 5, WD, paused=paused) == at(2026, 3, 25, 16)


def test_pause_after_the_deadline_is_irrelevant(cal):
    """A pause on Thu 26 Mar (after the due day Wed 25) does not move the deadline."""
    paused = [(at(2026, 3, 26, 9), at(2026, 3, 26, 10))]
    assert due(cal, at(2026, 3, 11, 10), 5, WD, paused=paused) == at(2026, 3, 25, 16)


def test_pause_on_calendar_days(cal):
    """Mon 2 Mar 10:00 + 7 calendar days, paused Wed 4 Mar 10:00 → Thu 5 Mar 10:00: Wed 4 and
    Thu 5 do not count. Tue 3 (1), Fri 6 (2), Sat 7 (3), Sun 8 (4), Mon 9 (5), Tue 10 (6),
    Wed 11 (7) → Wed 11 Mar 16:00 (instead of Mon 9)."""
    paused = [(at(2026, 3, 4, 10), at(2026, 3, 5, 10))]
    assert due(cal, at(2026, 3, 2, 10), 7, CD, paused=paused) == at(2026, 3, 11, 16)


def test_pause_ending_at_midnight_touches_one_calendar_day(cal):
    """Paused Tue 3 Mar 16:00 → Wed 4 Mar 00:00 touches Tue 3 only (intervals are half-open):
    Mon 2 Mar + 2 calendar days: Wed 4 (1), Thu 5 (2) → Thu 5 Mar 16:00."""
    paused = [(at(2026, 3, 3, 16), at(2026, 3, 4, 0))]
    assert due(cal, at(2026, 3, 2, 10), 2, CD, paused=paused) == at(2026, 3, 5, 16)


def test_calendar_days_moved_past_a_paused_working_day(cal):
    """Mon 2 Mar + 5 calendar days → Sat 7 Mar; the next working day Mon 9 is touched by a pause
    (Mon 9 Mar 08:00–09:00), so the due day moves on to Tue 10 Mar 16:00."""
    paused = [(at(2026, 3, 9, 8), at(2026, 3, 9, 9))]
    assert due(cal, at(2026, 3, 2, 10), 5, CD, paused=paused) == at(2026, 3, 10, 16)


def test_open_pause_means_no_deadline_yet(cal):
    """While the case still waits on the requester (pause without end) the clock is stopped:
    no due time."""
    assert due(cal, at(2026, 3, 11, 10), 5, WD, paused=[(at(2026, 3, 12, 9), None)]) is None


def test_pause_ending_before_it_begins_is_an_error(cal):
    """A reversed interval is a bug in the caller, not something to guess about."""
    with pytest.raises(ValueError):
        due(cal, at(2026, 3, 11, 10), 5, WD, paused=[(at(2026, 3, 12, 9), at(2026, 3, 12, 8))])


# --- Ramadan and other overrides --------------------------------------------------------------


@pytest.fixture
def ramadan():
    """Ramadan 1447 H hours (19 Feb – 19 Mar 2026): Mon–Thu 08:00–15:00, Fri 08:00–15:30, plus
    a one-off closure on Tue 3 Mar 2026 (inside Ramadan: the later-starting override wins)."""
    return official_calendar(
        overrides=[
            Override(
                dt.date(2026, 2, 19),
                dt.date(2026, 3, 19),
                opens=dt.time(8),
                closes=dt.time(15),
                weekdays="0123",
                reason="Ramadan",
                rank=10_000,
            ),
            Override(
                dt.date(2026, 2, 19),
                dt.date(2026, 3, 19),
                opens=dt.time(8),
                closes=dt.time(15, 30),
                weekdays="4",
                reason="Ramadan (Friday)",
                rank=10_000,
            ),
            Override(
                dt.date(2026, 3, 3), dt.date(2026, 3, 3), closed=True, reason="Closure", rank=10_000
            ),
        ]
    )


def test_ramadan_hours(ramadan):
    """Wed 25 Feb 13:00 + 3 hours: 2 hours until 15:00 (Ramadan), 1 hour from Thu 26 Feb 08:00
    → 09:00."""
    assert due(ramadan, at(2026, 2, 25, 13), 3, H) == at(2026, 2, 26, 9)


def test_ramadan_friday_hours(ramadan):
    """Fri 27 Feb 15:20 + 15 minutes: 10 minutes until 15:30 (Ramadan Friday), 5 minutes from
    Mon 2 Mar 08:00 → 08:05."""
    assert due(ramadan, at(2026, 2, 27, 15, 20), 15, M) == at(2026, 3, 2, 8, 5)


def test_ramadan_working_day_closes_early(ramadan):
    """Thu 26 Feb 10:00 + 1 working day → Fri 27 Feb, closing 15:30 in Ramadan."""
    assert due(ramadan, at(2026, 2, 26, 10), 1, WD) == at(2026, 2, 27, 15, 30)


def test_closure_inside_ramadan_beats_ramadan_hours(ramadan):
    """Mon 2 Mar 10:00 + 1 working day: Tue 3 Mar closed (one-off) → Wed 4 Mar, 15:00."""
    assert due(ramadan, at(2026, 3, 2, 10), 1, WD) == at(2026, 3, 4, 15)
    assert not ramadan.is_working_day(dt.date(2026, 3, 3))


def test_override_does_not_open_weekends_or_holidays(ramadan):
    """Ramadan hours apply to working days only: Sat 21 Feb and Tue 17 Feb (Imlek) stay closed;
    the day after Ramadan, Fri 20 Mar, is cuti bersama anyway; Wed 25 Mar is back to
    07:30–16:00."""
    assert not ramadan.is_working_day(dt.date(2026, 2, 21))
    assert not ramadan.is_working_day(dt.date(2026, 2, 17))
    assert ramadan.hours(dt.date(2026, 3, 25)) == (at(2026, 3, 25, 7, 30), at(2026, 3, 25, 16))
    assert ramadan.hours(dt.date(2026, 2, 20)) == (at(2026, 2, 20, 8), at(2026, 2, 20, 15, 30))


def test_unit_override_beats_global_override():
    """On Tue 10 Mar a global override closes at 12:00 and the unit's own (rank 0) closes the
    office: the unit's wins, whatever the order given."""
    cal = official_calendar(
        overrides=[
            Override(dt.date(2026, 3, 10), dt.date(2026, 3, 10), closes=dt.time(12), rank=10_000),
            Override(dt.date(2026, 3, 10), dt.date(2026, 3, 10), closed=True, rank=0),
        ]
    )
    assert not cal.is_working_day(dt.date(2026, 3, 10))


def test_partial_override_keeps_the_regular_opening():
    """An override giving only a closing time (12:00 on Mon 9 Mar) keeps the 07:30 opening:
    Mon 9 Mar 10:00 + 3 hours: 2 hours until 12:00, 1 hour from Tue 07:30 → 08:30."""
    cal = official_calendar(
        overrides=[Override(dt.date(2026, 3, 9), dt.date(2026, 3, 9), closes=dt.time(12))]
    )
    assert due(cal, at(2026, 3, 9, 10), 3, H) == at(2026, 3, 10, 8, 30)


# --- helpers ----------------------------------------------------------------------------------


def test_is_working_day(cal):
    """Cuti bersama, national holidays and weekends are not working days; Wed 25 Mar is."""
    assert is_working_day(dt.date(2026, 3, 18), calendar=cal) is False  # cuti bersama
    assert is_working_day(dt.date(2026, 3, 19), calendar=cal) is False  # Nyepi
    assert is_working_day(dt.date(2026, 3, 14), calendar=cal) is False  # Saturday
    assert is_working_day(dt.date(2026, 3, 25), calendar=cal) is True


def test_next_opening(cal):
    """Inside hours → the same instant; at closing Thu 12 Mar 16:00 → Fri 07:30; Tue 17 Mar
    17:00 → Wed 25 Mar 07:30 (after Nyepi and Idul Fitri)."""
    assert next_opening(at(2026, 3, 10, 10), calendar=cal) == at(2026, 3, 10, 10)
    assert next_opening(at(2026, 3, 12, 16), calendar=cal) == at(2026, 3, 13, 7, 30)
    assert next_opening(at(2026, 3, 17, 17), calendar=cal) == at(2026, 3, 25, 7, 30)
    assert next_opening(at(2026, 3, 10, 6), calendar=cal) == at(2026, 3, 10, 7, 30)


def test_working_days_between(cal):
    """Working days after 11 Mar up to and including 25 Mar: 12, 13, 16, 17, 25 = 5 (the same N
    as the deadline); reversed → -5; same day → 0; Fri 27 Mar → Mon 30 Mar = 1."""
    assert working_days_between(dt.date(2026, 3, 11), dt.date(2026, 3, 25), calendar=cal) == 5
    assert working_days_between(dt.date(2026, 3, 25), dt.date(2026, 3, 11), calendar=cal) == -5
    assert working_days_between(dt.date(2026, 3, 11), dt.date(2026, 3, 11), calendar=cal) == 0
    assert working_days_between(at(2026, 3, 27, 15), at(2026, 3, 30, 8), calendar=cal) == 1


def test_office_time_between(cal):
    """Thu 12 Mar 15:00 → Fri 13 Mar 08:30: 1 h (15–16) + 1 h (07:30–08:30) = 2 h.
    Fri 13 Mar 16:00 → Mon 16 Mar 08:00: 30 min + 30 min = 1 h.
    Tue 17 Mar 15:00 → Wed 25 Mar 09:00: 1 h + 1 h 30 = 2 h 30 (18–24 closed).
    Reversed or empty → 0."""
    h = dt.timedelta(hours=1)
    assert office_time_between(at(2026, 3, 12, 15), at(2026, 3, 13, 8, 30), calendar=cal) == 2 * h
    assert office_time_between(at(2026, 3, 13, 16), at(2026, 3, 16, 8), calendar=cal) == h
    assert office_time_between(at(2026, 3, 17, 15), at(2026, 3, 25, 9), calendar=cal) == 2.5 * h
    assert office_time_between(at(2026, 3, 13, 9), at(2026, 3, 12, 9), calendar=cal) == 0 * h
    assert office_time_between(at(2026, 3, 14, 9), at(2026, 3, 15, 9), calendar=cal) == 0 * h


def test_format_due():
    """Indonesian day and month names, "pukul HH.MM", the zone abbreviation WIB."""
    assert format_due(at(2026, 3, 23, 16)) == "Senin, 23 Maret 2026 pukul 16.00 WIB"
    assert format_due(at(2026, 3, 27, 16, 30)) == "Jumat, 27 Maret 2026 pukul 16.30 WIB"
    assert format_due(at(2026, 8, 1, 7, 5)) == "Sabtu, 1 Agustus 2026 pukul 07.05 WIB"
    utc = dt.datetime(2026, 12, 30, 9, 0, tzinfo=dt.UTC)  # 16:00 WIB
    assert format_due(utc) == "Rabu, 30 Desember 2026 pukul 16.00 WIB"
    assert format_due(at(2026, 2, 1, 10), tz="Asia/Makassar") == (
        "Minggu, 1 Februari 2026 pukul 11.00 WITA"
    )


# --- inputs -----------------------------------------------------------------------------------


def test_descriptive_duration_has_no_deadline(cal):
    """ "Sesuai materi konsultasi" has no value and no unit → None."""
    descriptive = Duration(value=None, unit=None, text="Sesuai materi konsultasi")
    assert deadline(at(2026, 3, 11, 10), descriptive, calendar=cal) is None
    assert deadline(at(2026, 3, 11, 10), None, calendar=cal) is None


def test_enum_units_are_accepted(cal):
    """DurationUnit members work like their string values."""
    duration = Duration(value=5, unit=DurationUnit.WORKING_DAYS, text="5 hari kerja")
    assert deadline(at(2026, 3, 11, 10), duration, calendar=cal) == at(2026, 3, 25, 16)


def test_naive_start_is_rejected(cal):
    """A naive datetime is ambiguous: refuse it."""
    with pytest.raises(ValueError, match="Naive"):
        due(cal, dt.datetime(2026, 3, 11, 10), 5, WD)


def test_calendar_without_office_hours_fails_loudly():
    """A week with no open day would loop forever: it raises NoOfficeHours instead."""
    closed = Calendar(week={d: None for d in range(7)}, tz=WIB)
    with pytest.raises(NoOfficeHours):
        due(closed, at(2026, 3, 11, 10), 1, WD)
    with pytest.raises(NoOfficeHours):
        due(closed, at(2026, 3, 11, 10), 1, H)
    assert office_time_between(at(2026, 3, 1), at(2026, 4, 1), calendar=closed) == dt.timedelta(0)
