"""The public week of the facilities (``/fasilitas/jadwal/``): when each one is free, in use or
requested — times only — and the way from a free stretch to the request form."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from layanan.facilities.models import BookingDetail, Resource, ResourceKind
from layanan.facilities.selectors import Availability, public_week
from layanan.facilities.services import booking_approve
from layanan.workdays.models import Holiday
from tests.dates import at, next_monday

pytestmark = pytest.mark.django_db

SCHEDULE = "/fasilitas/jadwal/"


def week_param(monday: dt.date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def stretches(day) -> list[tuple[str, str, str]]:
    return [(f"{s.start:%H.%M}", f"{s.end:%H.%M}", s.state) for s in day.stretches]


def test_a_day_is_cut_into_free_in_use_and_requested_stretches(
    room, monday, file_request, umum_head
):
    """Worked example on a Monday (office hours 07.30–16.00, the system default week): an
    approved booking 08.00–12.00, a request 09.00–11.30 under it and a request 13.00–14.00 give
    07.30–08.00 free, 08.00–12.00 in use (the approval wins over the request it covers),
    12.00–13.00 free, 13.00–14.00 requested, 14.00–16.00 free; the day is partly free. A refused
    request holds nothing."""
    approved = file_request(room, at(monday, 8), at(monday, 12))
    file_request(room, at(monday, 9), at(monday, 11, 30))  # asked before the approval
    booking_approve(actor=umum_head, case=approved)
    file_request(room, at(monday, 13), at(monday, 14))
    week = public_week([room], monday)[0]
    day = week.days[0]
    assert stretches(day) == [
        ("07.30", "08.00", "free"),
        ("08.00", "12.00", "booked"),
        ("12.00", "13.00", "free"),
        ("13.00", "14.00", "pending"),
        ("14.00", "16.00", "free"),
    ]
    assert day.summary == Availability.PARTLY
    # Tuesday untouched: free the whole office day; Friday closes at 16.30; the weekend closed.
    assert stretches(week.days[1]) == [("07.30", "16.00", "free")]
    assert week.days[1].summary == Availability.FREE
    assert stretches(week.days[4]) == [("07.30", "16.30", "free")]
    assert [d.summary for d in week.days[5:]] == [Availability.CLOSED, Availability.CLOSED]


def test_full_days_holidays_and_evenings(room, monday, file_request, umum_head):
    """A day held from opening to closing by an approval is "in use", by a request "requested";
    a holiday is closed with its name; an evening booking outside office hours shows on its day
    without making the office time around it less free; a booking past midnight ends the day at
    24.00 and goes on the next."""
    full = file_request(room, at(monday, 7, 30), at(monday, 16))
    booking_approve(actor=umum_head, case=full)
    tuesday, wednesday = monday + dt.timedelta(days=1), monday + dt.timedelta(days=2)
    file_request(room, at(tuesday, 7, 30), at(tuesday, 16))
    Holiday.objects.create(date=wednesday, name="Hari Libur Contoh")
    thursday, friday = monday + dt.timedelta(days=3), monday + dt.timedelta(days=4)
    evening = file_request(room, at(thursday, 19), at(friday, 1))
    booking_approve(actor=umum_head, case=evening)
    week = public_week([room], monday)[0]
    assert week.days[0].summary == Availability.BOOKED
    assert week.days[1].summary == Availability.PENDING
    assert week.days[2].summary == Availability.CLOSED
    assert week.days[2].holiday == "Hari Libur Contoh"
    assert stretches(week.days[3]) == [("07.30", "16.00", "free"), ("19.00", "00.00", "booked")]
    assert week.days[3].summary == Availability.PARTLY
    assert stretches(week.days[4]) == [("00.00", "01.00", "booked"), ("07.30", "16.30", "free")]


def test_today_is_free_only_from_now_and_past_days_are_past(room, clock):
    """On Wednesday 9 December 2026 at 10.07 the week shows Monday and Tuesday as past, and
    Wednesday free from 10.30 (the next half hour) to 16.00; at 16.00 Wednesday is past too."""
    tz = timezone.get_current_timezone()
    clock.move_to(dt.datetime(2026, 12, 9, 10, 7, tzinfo=tz))
    monday = dt.date(2026, 12, 7)
    week = public_week([room], monday)[0]
    assert [d.summary for d in week.days[:2]] == [Availability.PAST, Availability.PAST]
    assert stretches(week.days[2]) == [("10.30", "16.00", "free")]
    clock.move_to(dt.datetime(2026, 12, 9, 16, 0, tzinfo=tz))
    assert public_week([room], monday)[0].days[2].summary == Availability.PAST


def test_the_week_page_shows_times_and_never_who_or_why(
    client, room, monday, file_request, umum_head
):
    """The facility's week names states and times only: no purpose, organiser, requester,
    contact, case number or tracking code; booked and requested stretches read "terpakai" and
    "dipesan"."""
    case = file_request(room, at(monday, 8), at(monday, 12), purpose="Rapat Rahasia Anggaran")
    booking_approve(actor=umum_head, case=case)
    pending = file_request(room, at(monday, 13), at(monday, 14))
    url = reverse("bookings_public:week", args=[room.pk]) + f"?minggu={week_param(monday)}"
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 200
    text = response.text
    for secret in (
        "Rapat Rahasia Anggaran",
        "Rapat koordinasi",
        "Dinas Pendidikan",
        "Siti Aminah",
        "siti@example.org",
        case.number,
        pending.number,
        case.public_code,
    ):
        assert secret not in text
    assert '08.00–12.00</span> <span class="bk-word">terpakai' in text
    assert '13.00–14.00</span> <span class="bk-word">dipesan' in text
    assert '<th scope="row">' in text and "<caption>" in text
    assert "<script" not in text


def test_free_stretch_links_to_the_form_with_facility_and_time(client, room, monday):
    """ "Ajukan" beside a free stretch opens the form with the facility chosen and the stretch's
    start and end filled in."""
    url = reverse("bookings_public:week", args=[room.pk]) + f"?minggu={week_param(monday)}"
    page = client.get(url).text
    links = re.findall(r'href="(/fasilitas/\?sarana=[^"]+)"', page)
    first = links[0].replace("&amp;", "&")
    assert first == (
        f"/fasilitas/?sarana={room.pk}&mulai={monday:%Y-%m-%d}T07%3A30"
        f"&selesai={monday:%Y-%m-%d}T16%3A00"
    )
    form = client.get(first).text
    assert re.search(rf'<option value="{room.pk}" selected>', form)
    assert f'value="{monday:%Y-%m-%d}T07:30"' in form
    assert f'value="{monday:%Y-%m-%d}T16:00"' in form


def test_form_ignores_malformed_prefill(client, room):
    """A time that is not ``YYYY-MM-DDTHH:MM`` is dropped, not shown back or an error."""
    response = client.get(f"/fasilitas/?sarana={room.pk}&mulai=besok&selesai=<b>")
    assert response.status_code == 200
    fields = re.findall(r'<input type="datetime-local"[^>]*>', response.text)
    assert len(fields) == 2 and not any("value=" in f for f in fields)


def test_weeks_go_from_this_week_to_a_year_ahead_by_plain_links(client, room):
    """This week has no link back (the past is not shown); an earlier week asked for shows this
    week; the next-week link leads one week on; a week beyond a year shows the last one."""
    this_monday = next_monday(0)
    response = client.get(SCHEDULE)
    assert 'rel="prev"' not in response.text
    nxt = re.search(r'href="\?minggu=([0-9W-]+)" rel="next"', response.text).group(1)
    assert nxt == week_param(this_monday + dt.timedelta(days=7))
    earlier = client.get(SCHEDULE + f"?minggu={week_param(this_monday - dt.timedelta(days=21))}")
    assert earlier.context["monday"] == this_monday
    far = client.get(SCHEDULE + "?minggu=2099-W01")
    assert far.context["monday"] == this_monday + dt.timedelta(weeks=52)
    assert 'rel="next"' not in far.text
    assert client.get(SCHEDULE + "?minggu=nonsense").context["monday"] == this_monday


def test_overview_has_a_row_per_active_facility_and_links_each_day(client, room, hall, monday):
    """The overview lists active facilities (hall before rooms), each day a link to that day on
    the facility's week; an inactive facility is neither listed nor has a week page."""
    van = Resource.objects.create(
        unit=room.unit, name="Mobil Lama", kind=ResourceKind.VEHICLE, is_active=False
    )
    response = client.get(SCHEDULE + f"?minggu={week_param(monday)}")
    text = response.text
    assert text.index("Aula Utama") < text.index("Ruang Rapat Lt. 2")
    assert "Mobil Lama" not in text
    week_url = reverse("bookings_public:week", args=[room.pk])
    assert f'href="{week_url}?minggu={week_param(monday)}#hari-{monday:%Y-%m-%d}"' in text
    assert client.get(reverse("bookings_public:week", args=[van.pk])).status_code == 404


def test_week_pages_cost_a_fixed_number_of_queries(
    client, room, hall, monday, file_request, umum_head, django_assert_num_queries
):
    """No query per day or slot: the overview of two facilities with bookings on every working
    day, and one facility's week, each read the resources once, their bookings once and the
    unit's calendar once (ancestors, office hours, holidays, overrides)."""
    for i in range(5):
        day = monday + dt.timedelta(days=i)
        for resource in (room, hall):
            booking_approve(actor=umum_head, case=file_request(resource, at(day, 8), at(day, 9)))
            file_request(resource, at(day, 10), at(day, 11))
    url = SCHEDULE + f"?minggu={week_param(monday)}"
    with django_assert_num_queries(6):
        assert client.get(url).status_code == 200
    week_url = reverse("bookings_public:week", args=[room.pk]) + f"?minggu={week_param(monday)}"
    with django_assert_num_queries(6):
        assert client.get(week_url).status_code == 200


def test_without_facilities_the_office_to_ask_is_given(client, org):
    """With no facility online, the form and the overview give Biro Umum's address, telephone
    and e-mail (the unit whose standard is facility lending) instead of "contact the office"."""
    call_command("load_demo", "--no-users", stdout=StringIO())
    assert not Resource.objects.exists()
    umum = org["biro-umum"]
    for url in ("/fasilitas/", SCHEDULE):
        text = client.get(url, HTTP_ACCEPT_LANGUAGE="id").text
        assert 'data-empty="facilities"' in text
        assert umum.name in text
        assert umum.phone in text and umum.email in text and "Jl. Jenderal Ahmad Yani" in text


@override_settings(DEBUG=True)
def test_demo_gives_biro_umum_its_facilities_once(org):
    """``load_demo`` lends Biro Umum a hall, meeting rooms, vehicles and equipment with
    capacities and rules, and files a few requests on the coming working days; run again, it
    adds nothing."""
    call_command("load_demo", stdout=StringIO())
    resources = Resource.objects.filter(unit=org["biro-umum"])
    kinds = set(resources.values_list("kind", flat=True))
    assert kinds == {"hall", "room", "vehicle", "equipment"}
    assert resources.count() == 8
    hall = resources.get(kind="hall")
    assert hall.capacity == 400 and hall.rules
    bookings = BookingDetail.objects.count()
    assert bookings == 7
    assert BookingDetail.objects.filter(starts_at__lt=timezone.now()).count() == 0
    call_command("load_demo", stdout=StringIO())
    assert Resource.objects.count() == 8 and BookingDetail.objects.count() == bookings
