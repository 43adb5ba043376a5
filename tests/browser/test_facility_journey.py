"""A facility request from form to calendar, in real browsers: someone on a phone asks for Biro
Umum's meeting room on /fasilitas/; the head of Biro Umum signs in, approves it on the request's
page and finds it on the week calendar; the requester's page then says it was approved.

Screenshots are written to ``$LAYANAN_SCREENSHOTS`` when set (``docs/screenshots`` refreshes
``facility-calendar.png`` in the repository), else to the test's temporary folder.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone

from layanan.accounts.actors import PUBLIC
from layanan.cases.models import Case, Status
from layanan.facilities.models import BookingState, Resource, ResourceKind
from layanan.facilities.services import booking_approve, booking_request_create
from tests.browser.conftest import staff_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("LAYANAN_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


def test_request_is_made_approved_and_shows_on_the_calendar(
    live_server, browser, phone_page, org, umum_room, shots
):
    """The whole journey without JavaScript: the phone form has no sideways scrolling, the
    request's page shows the tracking code, the head approves on the staff page, the approved
    booking appears on the week calendar next to a pending one, and the requester's page says
    it was approved."""
    head, room = umum_room
    umum = org["biro-umum"]
    hall = Resource.objects.create(
        unit=umum, name="Aula Utama", kind=ResourceKind.HALL, capacity=300
    )
    car = Resource.objects.create(
        unit=umum, name="Mobil Dinas KB 1234 A", kind=ResourceKind.VEHICLE, capacity=7
    )
    today = timezone.localdate()
    monday = today + dt.timedelta(days=7 - today.weekday())

    # Some other bookings of that week, so the calendar has something around ours.
    def other(resource, day, start, end, purpose, organisation, approve=True):
        case = booking_request_create(
            actor=PUBLIC,
            resource=resource,
            starts_at=at(monday + dt.timedelta(days=day), *start),
            ends_at=at(monday + dt.timedelta(days=day), *end),
            purpose=purpose,
            organisation=organisation,
            requester_name="Panitia",
            requester_email="p@example.org",
        )
        if approve:
            booking_approve(actor=head, case=case)

    other(hall, 0, (8, 0), (12, 0), "Sosialisasi SAKIP", "Biro Organisasi")
    other(room, 0, (13, 0), (15, 0), "Rapat anggaran", "Bappeda")
    other(car, 1, (7, 30), (16, 0), "Kunjungan ke Mempawah", "Biro Kesra")
    other(hall, 3, (9, 0), (11, 30), "Gladi bersih HUT Provinsi", "Panitia HUT", approve=False)
    other(room, 4, (8, 0), (9, 30), "Rapat mingguan", "Biro Umum")

    # 1. On a phone: the request form.
    page = phone_page
    page.goto(live_server.url + "/fasilitas/")
    assert page.locator("script").count() == 0
    page.select_option("#id_resource", str(room.pk))
    wednesday = monday + dt.timedelta(days=2)
    page.fill("#id_starts_at", f"{wednesday:%Y-%m-%d}T09:00")
    page.fill("#id_ends_at", f"{wednesday:%Y-%m-%d}T11:00")
    page.fill("#id_participants", "15")
    page.fill("#id_purpose", "Rapat koordinasi persiapan MTQ tingkat provinsi")
    page.fill("#id_organisation", "LPTQ Provinsi Kalimantan Barat")
    page.fill("#id_name", "Siti Aminah")
    page.fill("#id_email", "siti@example.org")
    page.set_input_files(
        "#id_letter",
        files=[{"name": "surat.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%\n"}],
    )
    assert no_horizontal_scroll(page)
    page.locator(".bk-form button[type=submit]").click()
    page.wait_for_url("**/fasilitas/permohonan/**")
    case = Case.objects.get(booking__organisation__startswith="LPTQ")
    assert case.status == Status.RECEIVED and case.booking.state == BookingState.REQUESTED
    status_url = page.url.split("?")[0]
    code = page.locator(".bk-code code").inner_text()
    assert len(code) == 14 and code in status_url
    assert no_horizontal_scroll(page)

    # 2. The head of Biro Umum approves it.
    staff_context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="id-ID")
    staff = staff_context.new_page()
    staff_sign_in(staff, live_server, head)
    staff.goto(live_server.url + "/staf/fasilitas/")
    with staff.expect_navigation():  # the new page, not the old one
        staff.locator(f'tr[data-case="{case.number}"] a').click()
    staff.fill("#aksi-approve textarea", "Kunci ruangan diambil di pos satpam.")
    with staff.expect_navigation():  # the new page, not the old one
        staff.locator('#aksi-approve button[value="approve"]').click()
    case.refresh_from_db()
    assert case.booking.state == BookingState.APPROVED
    assert case.status == Status.ANSWERED

    # 3. The week calendar shows it approved, the hall rehearsal pending.
    with staff.expect_navigation():  # the new page, not the old one
        staff.get_by_role("link", name="Tampilkan di kalender").click()
    staff.goto(staff.url.split("&resource")[0])
    slot = staff.locator(f'a.bk-slot[data-case="{case.number}"]')
    assert slot.count() == 1
    assert "bk-approved" in slot.get_attribute("class")
    assert "09.00–11.00" in slot.inner_text()
    assert staff.locator("a.bk-slot.bk-requested").count() == 1
    staff.screenshot(path=str(shots / "facility-calendar.png"), full_page=True)
    staff_context.close()

    # 4. The requester's page says approved, with the rules of use, and no names.
    page.goto(status_url)
    assert page.locator(".bk-status.bk-approved").is_visible()
    assert "Ruangan dikembalikan" in page.content()
    assert "Siti Aminah" not in page.content() and head.full_name not in page.content()
