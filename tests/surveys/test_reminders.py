"""Reminders about a survey period to the head of its unit (surveys/reminders.py): when it opens,
when its sample is short one month before it ends (Krejcie–Morgan sizes worked out by hand), when
it closes with its IKM — each once, on a working day in office hours, to that unit's heads only."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from layanan.accounts.models import Role
from layanan.notify.models import OutboxMessage
from layanan.surveys.ikm import krejcie_morgan
from layanan.surveys.models import ReminderKind, SurveyPeriod, SurveyPeriodReminder
from layanan.surveys.reminders import month_before, sample_check_day, send_survey_reminders

from ..factories import MembershipFactory, UserFactory
from .conftest import add_responses
from .test_ikm import WORKED

D = dt.date


def moment(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def run(clock, when: str):
    clock.move_to(moment(when))
    return send_survey_reminders()


def mails(kind: str | None = None):
    messages = OutboxMessage.objects.order_by("pk")
    if kind:
        messages = messages.filter(kind=f"survey.period.{kind}")
    return list(messages)


@pytest.fixture
def heads(org):
    """A head of Biro Kesra (two, one without e-mail), of its Bagian Bina Mental and of Biro
    Perekonomian; a handler of Kesra."""
    users = {}
    for name, slug, role in (
        ("kesra.head", "biro-kesra", Role.HEAD),
        ("kesra.head2", "biro-kesra", Role.HEAD),
        ("binmental.head", "kesra-bina-mental", Role.HEAD),
        ("ekon.head", "biro-perekonomian", Role.HEAD),
        ("kesra.handler", "biro-kesra", Role.HANDLER),
    ):
        users[name] = UserFactory(username=name)
        MembershipFactory(user=users[name], unit=org[slug], role=role)
    users["kesra.head2"].email = ""
    users["kesra.head2"].save(update_fields=["email"])
    return users


@pytest.fixture
def half_year(org):
    return SurveyPeriod.objects.create(
        unit=org["biro-kesra"],
        name="Semester II 2026",
        slug="skm-biro-kesra-semester-2-2026",
        start=D(2026, 7, 1),
        end=D(2026, 12, 31),
        auto=True,
    )


@pytest.mark.parametrize(
    ("population", "sample"),
    [
        # S = χ²·N·P(1−P) / (d²·(N−1) + χ²·P(1−P)), χ² = 3.841, P = 0.5, d = 0.05, so
        # χ²·P(1−P) = 0.96025 and d² = 0.0025; rounded to the nearest respondent.
        (100, 80),  # 96.025 / (0.2475 + 0.96025) = 96.025 / 1.20775 = 79.51
        (500, 217),  # 480.125 / (1.2475 + 0.96025) = 480.125 / 2.20775 = 217.47
        (1234, 293),  # 1184.9485 / (3.0825 + 0.96025) = 1184.9485 / 4.04275 = 293.10
        (2500, 333),  # 2400.625 / (6.2475 + 0.96025) = 2400.625 / 7.20775 = 333.06
        (50_000, 381),  # 48012.5 / (124.9975 + 0.96025) = 48012.5 / 125.95775 = 381.18
    ],
)
def test_krejcie_morgan_by_hand(population, sample):
    """The minimum sample the reminder compares against, for populations worked out by hand."""
    assert krejcie_morgan(population) == sample


def test_sample_check_day():
    """One month before the last day (31 December → 30 November, 30 June → 30 May, 31 March →
    28 February); for a period of one month, its middle day."""
    assert month_before(D(2026, 12, 31)) == D(2026, 11, 30)
    assert month_before(D(2027, 6, 30)) == D(2027, 5, 30)
    assert month_before(D(2027, 3, 31)) == D(2027, 2, 28)
    assert month_before(D(2027, 1, 31)) == D(2026, 12, 31)
    month = SurveyPeriod(start=D(2027, 1, 1), end=D(2027, 1, 31))
    assert sample_check_day(month) == D(2027, 1, 16)


@pytest.mark.django_db
def test_opened_once_in_office_hours(clock, heads, half_year):
    """The period opens on Wednesday 1 July 2026: nothing at 06:30, one e-mail to each head of
    Kesra with an address at 08:00 (not the second head without one, not the handler, not the
    heads of the Bagian or of another bureau), nothing more on later runs."""
    assert run(clock, "2026-07-01T06:30+07:00").recorded == []
    report = run(clock, "2026-07-01T08:00+07:00")
    assert report.recorded == ["skm-biro-kesra-semester-2-2026:opened"]
    sent = mails("opened")
    assert [m.recipient for m in sent] == [heads["kesra.head"].email]
    assert "/survei/kiosk/biro-kesra/" in sent[0].body
    assert "/staf/laporan/biro-kesra/skm/?periode=skm-biro-kesra-semester-2-2026" in sent[0].body
    assert run(clock, "2026-07-01T09:00+07:00").recorded == []
    assert run(clock, "2026-07-02T09:00+07:00").recorded == []
    assert len(mails()) == 1
    assert SurveyPeriodReminder.objects.get(period=half_year).queued == 1


@pytest.mark.django_db
def test_not_on_a_weekend(clock, heads, org):
    """A period opening on Saturday 1 August 2026 is announced on Monday 3 August at 08:00."""
    SurveyPeriod.objects.create(
        unit=org["biro-kesra"], name="Agustus", slug="agustus", start=D(2026, 8, 1),
        end=D(2026, 8, 31),
    )  # fmt: skip
    assert run(clock, "2026-08-01T10:00+07:00").recorded == []
    assert run(clock, "2026-08-02T10:00+07:00").recorded == []
    assert run(clock, "2026-08-03T08:05+07:00").recorded == ["agustus:opened"]


@pytest.mark.django_db
def test_sample_short_one_month_before_the_end(clock, heads, half_year, org):
    """1,234 people served need 293 respondents (worked out above). With 290 answered, nothing on
    Friday 27 November; on Monday 30 November (one month before 31 December) one e-mail says
    3 more are needed; never again."""
    half_year.population = 1234
    half_year.save()
    run(clock, "2026-07-01T09:00+07:00")  # opened
    add_responses([WORKED[0]] * 290, unit=org["biro-kesra"], answered_on=D(2026, 9, 1))
    assert run(clock, "2026-11-27T09:00+07:00").recorded == []
    report = run(clock, "2026-11-30T09:00+07:00")
    assert report.recorded == ["skm-biro-kesra-semester-2-2026:sample"]
    (mail,) = mails("sample")
    assert mail.recipient == heads["kesra.head"].email
    assert "290" in mail.body and "293" in mail.body and "1234" in mail.body.replace(".", "")
    assert "\n3 " in mail.body
    reminder = SurveyPeriodReminder.objects.get(period=half_year, kind=ReminderKind.SAMPLE)
    assert (reminder.respondents, reminder.min_sample, reminder.queued) == (290, 293, 1)
    assert run(clock, "2026-12-01T09:00+07:00").recorded == []
    assert len(mails("sample")) == 1


@pytest.mark.django_db
def test_sample_large_enough_is_recorded_without_mail(clock, heads, half_year, org):
    """With the 293 respondents 1,234 people served need, the check is recorded and no e-mail
    goes; a later run does not check again."""
    half_year.population = 1234
    half_year.save()
    add_responses([WORKED[0]] * 293, unit=org["biro-kesra"], answered_on=D(2026, 9, 1))
    report = run(clock, "2026-11-30T09:00+07:00")
    assert set(report.recorded) == {
        "skm-biro-kesra-semester-2-2026:opened",
        "skm-biro-kesra-semester-2-2026:sample",
    }
    assert mails("sample") == []
    reminder = SurveyPeriodReminder.objects.get(period=half_year, kind=ReminderKind.SAMPLE)
    assert (reminder.respondents, reminder.min_sample, reminder.queued) == (293, 293, 0)


@pytest.mark.django_db
def test_closed_with_the_ikm(clock, heads, half_year, org):
    """After 31 December 2026 (Monday 4 January 2027, 09:00) the head gets the IKM of the period:
    the four worked responses give 81.25, grade B; the 100 people served need 80 respondents, so
    the e-mail says the sample is short; the link opens that period's report. Once."""
    half_year.population = 100
    half_year.save()
    add_responses(WORKED, unit=org["biro-kesra"], answered_on=D(2026, 10, 5))
    add_responses(WORKED, unit=org["biro-kesra"], answered_on=D(2027, 1, 2))  # not in it
    report = run(clock, "2027-01-04T09:00+07:00")
    assert report.recorded == ["skm-biro-kesra-semester-2-2026:closed"]
    (mail,) = mails("closed")
    assert mail.recipient == heads["kesra.head"].email
    assert "81,25" in mail.body or "81.25" in mail.body
    assert " B," in mail.body
    assert "4" in mail.body and "80" in mail.body
    assert "?periode=skm-biro-kesra-semester-2-2026" in mail.body
    reminder = SurveyPeriodReminder.objects.get(period=half_year, kind=ReminderKind.CLOSED)
    assert (reminder.respondents, reminder.min_sample, str(reminder.ikm)) == (4, 80, "81.25")
    assert run(clock, "2027-01-05T09:00+07:00").recorded == []


@pytest.mark.django_db
def test_units_apart(clock, heads, org):
    """A Bagian's period goes to the Bagian's head only, Perekonomian's to its head only; an
    office-wide period reminds no one; a period that closed more than 31 days ago is not
    announced by a new installation."""
    SurveyPeriod.objects.create(
        unit=org["kesra-bina-mental"], name="BM", slug="bm", start=D(2026, 7, 1),
        end=D(2026, 12, 31),
    )  # fmt: skip
    SurveyPeriod.objects.create(
        unit=org["biro-perekonomian"], name="EK", slug="ek", start=D(2026, 7, 1),
        end=D(2026, 12, 31),
    )  # fmt: skip
    SurveyPeriod.objects.create(
        name="Semua", slug="semua", start=D(2026, 7, 1), end=D(2026, 12, 31)
    )
    SurveyPeriod.objects.create(
        unit=org["biro-kesra"], name="Lama", slug="lama", start=D(2026, 1, 1), end=D(2026, 6, 30)
    )
    run(clock, "2026-12-09T10:00+07:00")
    to = {m.recipient: m.subject for m in mails()}
    assert set(to) == {heads["binmental.head"].email, heads["ekon.head"].email}
    assert "BM" in to[heads["binmental.head"].email]
    assert "EK" in to[heads["ekon.head"].email]
    assert not SurveyPeriodReminder.objects.filter(period__slug__in=["semua", "lama"]).exists()


@pytest.mark.django_db
def test_command_and_task(clock, heads, half_year):
    """manage.py send_survey_reminders and the task queue the same reminders, once."""
    from layanan.surveys.tasks import send_survey_reminders_task

    clock.move_to(moment("2026-07-01T10:00+07:00"))
    out = StringIO()
    call_command("send_survey_reminders", stdout=out)
    assert "recorded skm-biro-kesra-semester-2-2026:opened" in out.getvalue()
    assert "1 e-mail(s) queued" in out.getvalue()
    assert send_survey_reminders_task.call()["recorded"] == []
