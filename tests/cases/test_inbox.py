"""The staff inbox (/staf/kasus/): who sees which cases, the filters, search that never reveals
an anonymous or confidential reporter, due-time badges, and a query count that does not grow
with the number of rows."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from layanan.api.services import api_token_create
from layanan.cases.models import Case, Channel, SlaState, Status
from layanan.cases.selectors import (
    INBOX_PAGE_SIZE,
    InboxFilters,
    cases_visible_to,
    inbox_cases,
)
from layanan.cases.workflow import case_transition
from layanan.complaints.services import complaint_assign, complaint_classify, complaint_create
from tests.factories import UserFactory, published_standard

WIB = ZoneInfo("Asia/Pontianak")
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
pytestmark = pytest.mark.django_db

INBOX = "/staf/kasus/"


# --- helpers shared with test_case_pages.py and test_sla_sweep.py ----------------------------


@pytest.fixture
def kesra_standard(org):
    """A published standard of Biro Kesra with the four complaint classes of the seeds
    (ringan 3 hours, normatif 5 working days, 14 and 60 working days)."""
    return published_standard(standard__unit=org["biro-kesra"])


def file_complaint(officer, unit, **kwargs):
    """A complaint recorded by staff (phone by default), with a requester unless anonymous."""
    kwargs.setdefault("channel", Channel.PHONE)
    kwargs.setdefault("description", "Petugas tidak ada di tempat saat jam layanan.")
    kwargs.setdefault("subject", "Petugas tidak ada")
    if not kwargs.get("anonymous"):
        kwargs.setdefault("requester_name", "Budi Santoso")
        kwargs.setdefault("requester_phone", "081234567890")
        kwargs.setdefault("requester_email", "budi@example.com")
    return complaint_create(actor=officer, unit=unit, **kwargs)


def numbers(response) -> list[str]:
    """The case numbers listed on an inbox page, in order."""
    assert response.status_code == 200
    return [row["case"].number for row in response.context["rows"]]


# --- scoping ---------------------------------------------------------------------------------


def test_login_and_a_staff_role_are_required(client, db):
    """Anonymous visitors go to the login page; a signed-in account without a role gets 403."""
    response = client.get(INBOX)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    client.force_login(UserFactory())
    assert client.get(INBOX).status_code == 403


def test_another_units_officer_sees_no_kesra_case(client, org, kesra_officer, ekon_officer):
    """Biro Perekonomian's officer sees none of Biro Kesra's cases, and only their own."""
    file_complaint(kesra_officer, org["biro-kesra"])
    ekon = file_complaint(ekon_officer, org["biro-perekonomian"])
    client.force_login(ekon_officer)
    response = client.get(INBOX)
    assert response.status_code == 200
    assert numbers(response) == [ekon.number]
    assert "KESRA/" not in response.content.decode()
    assert list(cases_visible_to(ekon_officer)) == [ekon]


def test_officer_sees_the_bureau_and_its_divisions(client, org, kesra_officer):
    """A Biro member sees the Biro's cases and those of the Bagian below it."""
    biro = file_complaint(kesra_officer, org["biro-kesra"])
    bagian = file_complaint(kesra_officer, org["kesra-bina-mental"])
    client.force_login(kesra_officer)
    assert set(numbers(client.get(INBOX))) == {biro.number, bagian.number}


def test_handler_sees_cases_assigned_to_their_division_only(
    client, org, kesra_officer, kesra_handler
):
    """The Bina Mental handler sees a Biro case once it is assigned to Bina Mental, and not a
    Biro case assigned to a sibling Bagian, nor an unassigned one."""
    mine = file_complaint(kesra_officer, org["biro-kesra"], subject="Untuk Bina Mental")
    sibling = file_complaint(kesra_officer, org["biro-kesra"], subject="Untuk Pelayanan Dasar")
    file_complaint(kesra_officer, org["biro-kesra"], subject="Belum didisposisi")
    complaint_assign(actor=kesra_officer, case=mine, division=org["kesra-bina-mental"])
    complaint_assign(actor=kesra_officer, case=sibling, division=org["kesra-pelayanan-dasar"])
    client.force_login(kesra_handler)
    assert numbers(client.get(INBOX)) == [mine.number]


def test_auditor_sees_every_unit(client, org, kesra_officer, ekon_officer, auditor):
    """The APIP auditor reads across units."""
    a = file_complaint(kesra_officer, org["biro-kesra"])
    b = file_complaint(ekon_officer, org["biro-perekonomian"])
    client.force_login(auditor)
    assert set(numbers(client.get(INBOX))) == {a.number, b.number}


# --- filters ---------------------------------------------------------------------------------


def test_filters(client, org, kesra_standard, kesra_officer, kesra_head):
    """Kind, status, class, channel, division, assignee (me, nobody, a person), overdue and due
    this week narrow the list; finished cases are hidden unless asked for."""
    kesra = org["biro-kesra"]
    now = timezone.now()
    late = file_complaint(
        kesra_officer,
        kesra,
        subject="Terlambat",
        received_at=now - dt.timedelta(days=40),
        standard=kesra_standard,
    )
    complaint_classify(actor=kesra_officer, case=late, class_code="normatif")
    lapor = file_complaint(
        kesra_officer,
        kesra,
        subject="Dari LAPOR",
        channel=Channel.LAPOR,
        lapor_number="LAP-77",
        standard=kesra_standard,
    )
    complaint_classify(actor=kesra_officer, case=lapor, class_code="berkadar_pengawasan")
    complaint_assign(
        actor=kesra_officer, case=lapor, division=org["kesra-bina-mental"], assignee=kesra_head
    )
    done = file_complaint(kesra_officer, kesra, subject="Selesai")
    case_transition(
        actor=kesra_officer, case=done, to=Status.REJECTED, public_note="Bukan wewenang"
    )
    client.force_login(kesra_head)

    def listed(**query):
        return set(numbers(client.get(INBOX, query)))

    assert listed() == {late.number, lapor.number}
    assert listed(status="all") == {late.number, lapor.number, done.number}
    assert listed(status="rejected") == {done.number}
    assert listed(kind="complaint") == {late.number, lapor.number}
    assert listed(kind="visit") == set()
    assert listed(class_code="normatif") == {late.number}
    assert listed(class_code="-", status="all") == {done.number}
    assert listed(channel="lapor") == {lapor.number}
    assert listed(division=org["kesra-bina-mental"].pk) == {lapor.number}
    assert listed(assignee="me") == {lapor.number}
    assert listed(assignee=str(kesra_head.pk)) == {lapor.number}
    assert listed(assignee="none") == {late.number}
    assert listed(overdue="on") == {late.number}
    assert listed(due_this_week="on") == set()  # 60 working days away; the other is late
    # Nonsense values are ignored, not an error page.
    assert listed(status="nope", division="x", page="999") == {late.number, lapor.number}


def test_due_this_week_runs_to_sunday_night(org, kesra_officer):
    """ "Due this week" is from now to Monday 00:00 of next week, office time zone."""
    kesra = org["biro-kesra"]
    wed = dt.datetime(2026, 3, 4, 10, tzinfo=WIB)  # a Wednesday
    this_week = file_complaint(kesra_officer, kesra, subject="Minggu ini")
    next_week = file_complaint(kesra_officer, kesra, subject="Minggu depan")
    Case.objects.filter(pk=this_week.pk).update(due_at=dt.datetime(2026, 3, 6, 16, tzinfo=WIB))
    Case.objects.filter(pk=next_week.pk).update(due_at=dt.datetime(2026, 3, 9, 9, tzinfo=WIB))
    found = inbox_cases(kesra_officer, InboxFilters(due_this_week=True), now=wed)
    assert list(found) == [this_week]


def test_sorted_by_due_time_with_no_due_time_last(client, org, kesra_officer):
    """Soonest due first; cases without a due time at the end."""
    kesra = org["biro-kesra"]
    a, b, c = (file_complaint(kesra_officer, kesra, subject=s) for s in "abc")
    base = timezone.now() + dt.timedelta(days=3)
    Case.objects.filter(pk=a.pk).update(due_at=None)
    Case.objects.filter(pk=b.pk).update(due_at=base + dt.timedelta(hours=2))
    Case.objects.filter(pk=c.pk).update(due_at=base)
    client.force_login(kesra_officer)
    assert numbers(client.get(INBOX)) == [c.number, b.number, a.number]


def test_pages_of_50(client, org, kesra_officer):
    """50 rows a page; the second page has the rest and the filters are kept in its links."""
    assert INBOX_PAGE_SIZE == 50
    for i in range(52):
        file_complaint(kesra_officer, org["biro-kesra"], subject=f"Aduan {i}")
    client.force_login(kesra_officer)
    first = client.get(INBOX, {"kind": "complaint"})
    assert len(first.context["rows"]) == 50
    html = first.content.decode()
    assert "kind=complaint" in html and "page=2" in html
    second = client.get(INBOX, {"kind": "complaint", "page": 2})
    assert len(second.context["rows"]) == 2


# --- search ----------------------------------------------------------------------------------


def test_search_by_number_code_subject_and_description(client, org, kesra_officer):
    """Search finds a case by its number, tracking code (as typed, with dashes), subject or
    a word of the description."""
    kesra = org["biro-kesra"]
    target = file_complaint(
        kesra_officer, kesra, subject="Jalan rusak", description="Lubang di depan kantor camat"
    )
    file_complaint(kesra_officer, kesra, subject="Lain", description="Antrean panjang")
    client.force_login(kesra_officer)
    code = target.public_code
    typed = f"{code[:4]}-{code[4:8]}-{code[8:]}".lower()
    for query in (target.number, typed, "jalan RUSAK", "camat"):
        assert numbers(client.get(INBOX, {"q": query})) == [target.number], query


def test_a_reporter_is_searchable_only_by_whoever_may_see_the_identity(
    client, org, kesra_officer, kesra_handler, kesra_head, auditor, ekon_officer
):
    """Anonymous complaints are never found by an identity (not even by an organisation that
    slipped in); a confidential reporter's name, e-mail or phone finds the case only for the
    unit's complaint officer (who may see the identity; the phone spelt any usual way, it is
    stored in E.164), never for the handler, the head or the auditor; an ordinary requester's
    name finds the case for everyone who sees it. The inbox and
    the API's ``q`` answer the same."""
    kesra = org["biro-kesra"]
    anonymous = file_complaint(
        kesra_officer, kesra, anonymous=True, requester_name="Siti Rahma", subject="Pungli"
    )
    Case.objects.filter(pk=anonymous.pk).update(requester_organisation="Yayasan Siti")
    confidential = file_complaint(
        kesra_officer,
        kesra,
        confidential=True,
        requester_name="Siti Rahma",
        requester_email="siti@example.com",
        requester_phone="0811999888",
        subject="Pungli 2",
    )
    ordinary = file_complaint(kesra_officer, kesra, requester_name="Rahmat Hidayat")
    for case in (anonymous, confidential, ordinary):
        complaint_assign(actor=kesra_officer, case=case, division=org["kesra-bina-mental"])

    def api_numbers(user, query):
        _token, key = api_token_create(user=user, name=f"search {query}")
        response = client.get(
            reverse("api:complaint_list"), {"q": query}, HTTP_AUTHORIZATION=f"Bearer {key}"
        )
        assert response.status_code == 200, response.content
        return sorted(row["number"] for row in response.json()["results"])

    expected = {
        kesra_officer: [confidential.number],
        kesra_handler: [],
        kesra_head: [],
        auditor: [],
        ekon_officer: [],
    }
    for user, found in expected.items():
        client.force_login(user)
        for query in ("Siti", "siti@example.com", "0811999888", "+62 811-999-888"):
            assert numbers(client.get(INBOX, {"q": query})) == found, (user, query)
            assert api_numbers(user, query) == found, (user, query)
        assert numbers(client.get(INBOX, {"q": "Yayasan"})) == []
        assert api_numbers(user, "Yayasan") == []
    for user in (kesra_officer, kesra_handler, kesra_head, auditor):
        client.force_login(user)
        assert numbers(client.get(INBOX, {"q": "Rahmat"})) == [ordinary.number]
        assert api_numbers(user, "Rahmat") == [ordinary.number]
    client.force_login(kesra_officer)
    assert numbers(client.get(INBOX, {"q": "Pungli"})) == [anonymous.number, confidential.number]


# --- rows ------------------------------------------------------------------------------------


def test_rows_show_due_time_and_badges_in_indonesian(client, org, kesra_officer):
    """The due time is written out in Indonesian (format_due) with "Melewati batas waktu" /
    "Segera jatuh tempo" badges; a paused case shows neither."""
    kesra = org["biro-kesra"]
    late = file_complaint(kesra_officer, kesra, subject="Lewat")
    soon = file_complaint(kesra_officer, kesra, subject="Segera")
    paused = file_complaint(kesra_officer, kesra, subject="Menunggu")
    Case.objects.filter(pk=late.pk).update(due_at=dt.datetime(2026, 3, 2, 16, tzinfo=WIB))
    Case.objects.filter(pk=soon.pk).update(
        due_at=timezone.now() + dt.timedelta(hours=2), sla_state=SlaState.DUE_SOON
    )
    case_transition(actor=kesra_officer, case=paused, to=Status.WAITING, note="KTP")
    Case.objects.filter(pk=paused.pk).update(due_at=dt.datetime(2026, 3, 2, 16, tzinfo=WIB))
    client.force_login(kesra_officer)
    html = client.get(INBOX).content.decode()
    assert "Senin, 2 Maret 2026 pukul 16.00 WIB" in html
    late_row = html.split(f'data-case="{late.number}"')[1].split("</tr>")[0]
    soon_row = html.split(f'data-case="{soon.number}"')[1].split("</tr>")[0]
    paused_row = html.split(f'data-case="{paused.number}"')[1].split("</tr>")[0]
    assert "Melewati batas waktu" in late_row
    assert "Segera jatuh tempo" in soon_row and "Melewati batas waktu" not in soon_row
    assert "Melewati batas waktu" not in paused_row and "Waktu dihentikan" in paused_row


def test_query_count_does_not_grow_with_rows(
    client,
    org,
    kesra_standard,
    kesra_officer,
    kesra_handler,
    django_assert_max_num_queries,
    calendar_ready,
):
    """The inbox costs the same number of queries for 3 cases as for 52 (a full page of 50):
    unit, division, assignee and complaint class are joined, not fetched per row; the calendar
    banner's check is one query when the calendar is ready, the intake queue's badge one more."""
    kesra = org["biro-kesra"]

    def make(n):
        for i in range(n):
            case = file_complaint(kesra_officer, kesra, subject=f"Aduan {i}")
            complaint_classify(actor=kesra_officer, case=case, class_code="normatif")
            complaint_assign(
                actor=kesra_officer,
                case=case,
                division=org["kesra-bina-mental"],
                assignee=kesra_handler,
            )

    client.force_login(kesra_officer)
    make(3)
    client.get(INBOX)  # warm up (session, content types)
    with django_assert_max_num_queries(11) as one:
        assert len(client.get(INBOX).context["rows"]) == 3
    make(49)
    with django_assert_max_num_queries(len(one.captured_queries)) as many:
        response = client.get(INBOX)
    assert len(response.context["rows"]) == INBOX_PAGE_SIZE
    assert len(many.captured_queries) == len(one.captured_queries)


def test_overdue_first_then_running_then_waiting_then_finished(client, org, kesra_officer):
    """Overdue cases lead; a case waiting on the requester (clock stopped) comes after the
    running ones even with an earlier due time; finished cases come last when shown."""
    kesra = org["biro-kesra"]
    now = timezone.now()
    late, running, waiting, done = (
        file_complaint(kesra_officer, kesra, subject=s)
        for s in ("Lewat", "Berjalan", "Menunggu", "Selesai")
    )
    case_transition(actor=kesra_officer, case=waiting, to=Status.WAITING, note="KTP")
    case_transition(
        actor=kesra_officer, case=done, to=Status.REJECTED, public_note="Bukan wewenang"
    )
    Case.objects.filter(pk=late.pk).update(due_at=now - dt.timedelta(hours=1))
    Case.objects.filter(pk=running.pk).update(due_at=now + dt.timedelta(days=3))
    Case.objects.filter(pk=waiting.pk).update(due_at=now - dt.timedelta(days=2))
    Case.objects.filter(pk=done.pk).update(due_at=now - dt.timedelta(days=5))
    client.force_login(kesra_officer)
    assert numbers(client.get(INBOX)) == [late.number, running.number, waiting.number]
    assert numbers(client.get(INBOX, {"status": "all"}))[-1] == done.number


def test_on_track_badge(client, org, kesra_officer):
    """A running case far from its due time carries the "Sesuai jadwal" (on track) badge."""
    case = file_complaint(kesra_officer, org["biro-kesra"])
    Case.objects.filter(pk=case.pk).update(due_at=timezone.now() + dt.timedelta(days=10))
    client.force_login(kesra_officer)
    html = client.get(INBOX).content.decode()
    row = html.split(f'data-case="{case.number}"')[1].split("</tr>")[0]
    assert "Sesuai jadwal" in row and 'data-sla="on_track"' in row
