"""Survey periods made from the cadence of the unit's standards (surveys/periods.py): dates worked
out by hand for the seeds' "2 kali dalam 1 tahun", the running and next period only, never over
an administrator's period, following a change of cadence, once."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from layanan.core.models import AuditEntry
from layanan.surveys.models import SurveyPeriod
from layanan.surveys.periods import Slot, cadence_of, survey_periods_plan

from ..factories import StandardVersionFactory, published_standard

D = dt.date


def dates(unit) -> list[tuple[dt.date, dt.date]]:
    return [
        (p.start, p.end) for p in SurveyPeriod.objects.filter(unit=unit).order_by("start", "end")
    ]


def standard(unit, surveys_per_year, name="Layanan"):
    return published_standard(
        standard__unit=unit, standard__name=name, surveys_per_year=surveys_per_year
    )


def set_cadence(service, surveys_per_year):
    version = service.published_version
    version.surveys_per_year = surveys_per_year
    version.save(update_fields=["surveys_per_year"])


@pytest.mark.parametrize(
    ("per_year", "cadence"),
    [(None, None), (0, None), (1, 1), (2, 2), (3, 3), (4, 4), (5, 6), (6, 6), (7, 12), (24, 12)],
)
def test_cadence_is_raised_to_a_slice_of_the_year(per_year, cadence):
    """A number that does not divide the year is raised, never lowered: the survey runs at least
    as often as the standard says."""
    assert cadence_of(per_year) == cadence


def test_slots_worked_by_hand():
    """Half-years, quarters, the year and months, with their last days (leap February)."""
    assert (Slot.containing(D(2026, 12, 9), 2).start, Slot.containing(D(2026, 12, 9), 2).end) == (
        D(2026, 7, 1),
        D(2026, 12, 31),
    )
    nxt = Slot.containing(D(2026, 12, 9), 2).next()
    assert (nxt.start, nxt.end, nxt.index, nxt.year) == (D(2027, 1, 1), D(2027, 6, 30), 1, 2027)
    q = Slot.containing(D(2027, 5, 15), 4)
    assert (q.index, q.start, q.end) == (2, D(2027, 4, 1), D(2027, 6, 30))
    assert (q.next().start, q.next().end) == (D(2027, 7, 1), D(2027, 9, 30))
    year = Slot.containing(D(2027, 2, 1), 1)
    assert (year.start, year.end) == (D(2027, 1, 1), D(2027, 12, 31))
    month = Slot.containing(D(2028, 2, 10), 12)
    assert (month.start, month.end) == (D(2028, 2, 1), D(2028, 2, 29))
    four = Slot.containing(D(2026, 9, 1), 3)
    assert (four.index, four.start, four.end) == (3, D(2026, 9, 1), D(2026, 12, 31))


@pytest.mark.django_db
def test_seed_cadence_two_in_2026_and_2027(org):
    """ "Survei Kepuasan Masyarakat 2 kali dalam 1 tahun": on 9 December 2026 the running half-year
    (1 July – 31 December 2026) and the next (1 January – 30 June 2027) are made; on 1 March 2027
    the second half of 2027 (1 July – 31 December 2027) is added. Each run again makes nothing."""
    kesra = org["biro-kesra"]
    standard(kesra, 2)
    report = survey_periods_plan(today=D(2026, 12, 9))
    assert dates(kesra) == [(D(2026, 7, 1), D(2026, 12, 31)), (D(2027, 1, 1), D(2027, 6, 30))]
    assert report.created == ["skm-biro-kesra-semester-2-2026", "skm-biro-kesra-semester-1-2027"]
    names = list(SurveyPeriod.objects.filter(unit=kesra).order_by("start").values_list("name"))
    assert [n[0][-7:] for n in names] == ["II 2026", " I 2027"]
    assert all(SurveyPeriod.objects.filter(unit=kesra).values_list("auto", flat=True))

    again = survey_periods_plan(today=D(2026, 12, 9))
    assert again.created == [] and again.removed == []
    assert len(dates(kesra)) == 2

    survey_periods_plan(today=D(2027, 3, 1))
    assert dates(kesra) == [
        (D(2026, 7, 1), D(2026, 12, 31)),
        (D(2027, 1, 1), D(2027, 6, 30)),
        (D(2027, 7, 1), D(2027, 12, 31)),
    ]


@pytest.mark.django_db
def test_most_frequent_cadence_of_published_standards_only(org):
    """Of a unit's published standards the most frequent cadence wins (2 and 4 → quarters); a
    draft asking for monthly surveys does not count, nor a sub-unit's standard."""
    kesra = org["biro-kesra"]
    standard(kesra, 2, "Konsultasi")
    standard(kesra, 4, "Audiensi")
    StandardVersionFactory(standard__unit=kesra, standard__name="Draf", surveys_per_year=12)
    standard(org["kesra-bina-mental"], 12, "Fasilitasi Keagamaan")
    survey_periods_plan(today=D(2026, 12, 9))
    assert dates(kesra) == [(D(2026, 10, 1), D(2026, 12, 31)), (D(2027, 1, 1), D(2027, 3, 31))]
    # The Bagian has its own, monthly, periods; the Biro's are not touched by them.
    assert dates(org["kesra-bina-mental"]) == [
        (D(2026, 12, 1), D(2026, 12, 31)),
        (D(2027, 1, 1), D(2027, 1, 31)),
    ]


@pytest.mark.django_db
def test_unit_without_cadence_gets_no_period(org):
    """No published standard with a number of surveys per year: no period is made."""
    published_standard(standard__unit=org["biro-umum"], surveys_per_year=None)
    survey_periods_plan(today=D(2026, 12, 9))
    assert not SurveyPeriod.objects.exists()


@pytest.mark.django_db
def test_never_over_a_period_made_by_hand(org):
    """The administrator's own periods are never overlapped: Kesra's hand-made year 2027 stops
    both 2027 half-years, an office-wide hand-made second half of 2026 stops the running one in
    every unit; another unit's hand-made period stops nothing in Kesra. None is changed."""
    kesra, ekon = org["biro-kesra"], org["biro-perekonomian"]
    standard(kesra, 2, "Konsultasi Kesra")
    standard(ekon, 2, "Konsultasi Ekonomi")
    year = SurveyPeriod.objects.create(
        unit=kesra, name="Tahun 2027", slug="kesra-2027", start=D(2027, 1, 1), end=D(2027, 12, 31)
    )
    everyone = SurveyPeriod.objects.create(
        name="Semester II 2026", slug="semua-2026-2", start=D(2026, 7, 1), end=D(2026, 12, 31)
    )
    SurveyPeriod.objects.create(
        unit=ekon, name="Ekon 2027", slug="ekon-2027", start=D(2027, 1, 1), end=D(2027, 3, 31)
    )
    survey_periods_plan(today=D(2026, 12, 9))
    assert dates(kesra) == [(D(2027, 1, 1), D(2027, 12, 31))]  # only the hand-made year
    assert SurveyPeriod.objects.filter(unit=ekon, auto=True).count() == 0  # both blocked
    year.refresh_from_db()
    everyone.refresh_from_db()
    assert (year.start, year.end, year.auto) == (D(2027, 1, 1), D(2027, 12, 31), False)
    assert everyone.unit is None and not everyone.auto


@pytest.mark.django_db
def test_cadence_change_moves_only_periods_not_started(org):
    """From 2 to 4 surveys a year on 9 December 2026: the first half of 2027 (not started) is
    replaced by the first quarter of 2027; the running half-year stays, so no quarter of late
    2026 is made over it; a hand-made future period is left alone. With no cadence left, the
    future automatic periods go and the running one stays."""
    kesra = org["biro-kesra"]
    service = standard(kesra, 2)
    survey_periods_plan(today=D(2026, 12, 9))
    hand = SurveyPeriod.objects.create(
        unit=kesra, name="Khusus", slug="khusus", start=D(2027, 5, 1), end=D(2027, 5, 31)
    )
    set_cadence(service, 4)
    report = survey_periods_plan(today=D(2026, 12, 9))
    assert report.removed == ["skm-biro-kesra-semester-1-2027"]
    assert dates(kesra) == [
        (D(2026, 7, 1), D(2026, 12, 31)),
        (D(2027, 1, 1), D(2027, 3, 31)),
        (D(2027, 5, 1), D(2027, 5, 31)),
    ]
    entry = AuditEntry.objects.filter(action="survey_periods_planned").order_by("pk").last()
    assert entry.data["removed"] == ["skm-biro-kesra-semester-1-2027"]
    assert entry.data["created"] == ["skm-biro-kesra-triwulan-1-2027"]
    assert entry.data["cadence"] == 4 and entry.unit_id == kesra.pk

    set_cadence(service, None)
    survey_periods_plan(today=D(2026, 12, 9))
    assert dates(kesra) == [(D(2026, 7, 1), D(2026, 12, 31)), (D(2027, 5, 1), D(2027, 5, 31))]
    assert SurveyPeriod.objects.filter(pk=hand.pk).exists()


@pytest.mark.django_db
def test_admin_save_makes_an_automatic_period_hand_made(org, rf, admin_user):
    """Saving an automatic period in the admin makes it the administrator's: the planning then
    neither moves nor removes it when the cadence changes."""
    from django.contrib.admin.sites import site

    kesra = org["biro-kesra"]
    service = standard(kesra, 2)
    survey_periods_plan(today=D(2026, 12, 9))
    future = SurveyPeriod.objects.get(unit=kesra, start=D(2027, 1, 1))
    model_admin = site._registry[SurveyPeriod]
    request = rf.post("/")
    request.user = admin_user
    future.population = 500
    model_admin.save_model(request, future, form=None, change=True)
    future.refresh_from_db()
    assert not future.auto
    set_cadence(service, 4)
    survey_periods_plan(today=D(2026, 12, 9))
    future.refresh_from_db()
    assert (future.start, future.end) == (D(2027, 1, 1), D(2027, 6, 30))
    assert not SurveyPeriod.objects.filter(unit=kesra, start=D(2027, 1, 1), auto=True).exists()


@pytest.mark.django_db
def test_command(org):
    """manage.py plan_survey_periods --date makes the periods and says so; run again, none."""
    standard(org["biro-kesra"], 2)
    out = StringIO()
    call_command("plan_survey_periods", "--date", "2026-12-09", stdout=out)
    assert "made skm-biro-kesra-semester-2-2026" in out.getvalue()
    assert "2 made, 0 removed" in out.getvalue()
    out = StringIO()
    call_command("plan_survey_periods", "--date", "2026-12-09", stdout=out)
    assert "0 made, 0 removed" in out.getvalue()


@pytest.mark.django_db
def test_task_uses_today(org, clock):
    """The periodic task plans for the office's today (9 December 2026 here)."""
    from layanan.surveys.tasks import plan_survey_periods_task

    clock.move_to(dt.datetime.fromisoformat("2026-12-09T10:00+07:00"))
    standard(org["biro-kesra"], 2)
    result = plan_survey_periods_task.call()
    assert result["today"] == "2026-12-09"
    assert dates(org["biro-kesra"])[0] == (D(2026, 7, 1), D(2026, 12, 31))


@pytest.mark.django_db
def test_administrator_still_makes_periods_in_the_admin(org, admin_client):
    """The admin's add form still makes a period by hand (not automatic), and its change page
    lists the reminders sent about it."""
    from django.urls import reverse

    from layanan.surveys.models import ReminderKind, SurveyPeriodReminder

    add = reverse("admin:surveys_surveyperiod_add")
    assert admin_client.get(add).status_code == 200
    response = admin_client.post(
        add,
        {
            "unit": org["biro-kesra"].pk, "name": "Tahun 2027", "slug": "kesra-2027",
            "start": "2027-01-01", "end": "2027-12-31", "population": "",
            "reminders-TOTAL_FORMS": "0", "reminders-INITIAL_FORMS": "0",
        },
    )  # fmt: skip
    assert response.status_code == 302
    period = SurveyPeriod.objects.get(slug="kesra-2027")
    assert not period.auto and period.unit == org["biro-kesra"]
    SurveyPeriodReminder.objects.create(period=period, kind=ReminderKind.OPENED, queued=1)
    page = admin_client.get(reverse("admin:surveys_surveyperiod_change", args=[period.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="reminders-group"' in html and 'id="reminders-0"' in html
