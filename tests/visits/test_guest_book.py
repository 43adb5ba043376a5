"""The guest book (buku tamu): every visit of a day, a month or a range, filtered, paginated,
as PDF and XLSX — for the unit's staff only, with a pinned number of queries."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook
from pypdf import PdfReader

from layanan.cases.models import Status
from layanan.core.models import AuditAction, AuditEntry
from layanan.visits.services import (
    visit_finish,
    visit_no_show,
    visit_register,
    visit_route,
    visit_serve,
)


@pytest.fixture(autouse=True)
def _on_wednesday_9_december_2026(clock):
    """This module's expectations (the guest book's days and ranges) are hand-written
    for Wed 9 Dec 2026, 10:00 WIB: it starts there whatever ``LAYANAN_TEST_NOW`` says."""
    clock.move_to(dt.datetime(2026, 12, 9, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=7))))


WIB = ZoneInfo("Asia/Pontianak")
TODAY = dt.date(2026, 12, 9)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=WIB)


def register(actor, unit, standard, name, phone, when, *, origin="Dinas Sosial", purpose=""):
    return visit_register(
        actor=actor,
        unit=unit,
        standard=standard,
        name=name,
        phone=phone,
        origin=origin,
        purpose=purpose,
        now=when,
    )


@pytest.fixture
def book(org, kesra_front, ekon_officer, kesra_walk_in, ekon_walk_in):
    """Kesra: three guests today (one served, routed and finished; one not present; one
    waiting, without a service), one on 2 December, one in November. Perekonomian: one today."""
    kesra = org["biro-kesra"]
    served = register(
        kesra_front, kesra, kesra_walk_in, "Siti Aminah", "081234567801", at(TODAY, 8)
    )
    visit_serve(actor=kesra_front, case=served, desk="Loket 1", now=at(TODAY, 8, 10))
    visit_route(actor=kesra_front, case=served, division=org["kesra-bina-mental"])
    visit_finish(actor=kesra_front, case=served, outcome="Dijelaskan", now=at(TODAY, 8, 40))
    gone = register(
        kesra_front, kesra, kesra_walk_in, "Budi Santoso", "081234567802", at(TODAY, 8, 30)
    )
    visit_no_show(actor=kesra_front, case=gone, now=at(TODAY, 9))
    waiting = register(
        kesra_front,
        kesra,
        None,
        "Rina Wati",
        "081234567803",
        at(TODAY, 9, 15),
        purpose="Antar surat",
    )
    earlier = register(
        kesra_front, kesra, kesra_walk_in, "Ahmad Yani", "081234567804", at(dt.date(2026, 12, 2), 9)
    )
    november = register(
        kesra_front,
        kesra,
        kesra_walk_in,
        "Dewi Sartika",
        "081234567805",
        at(dt.date(2026, 11, 20), 9),
    )
    other = register(
        ekon_officer,
        org["biro-perekonomian"],
        ekon_walk_in,
        "Tamu Ekonomi",
        "081299990000",
        at(TODAY, 8, 5),
    )
    return {
        "served": served,
        "gone": gone,
        "waiting": waiting,
        "earlier": earlier,
        "november": november,
        "other": other,
    }


def url(name: str, unit: str = "biro-kesra", **query) -> str:
    from urllib.parse import urlencode

    return reverse(f"visits:{name}", args=[unit]) + (f"?{urlencode(query)}" if query else "")


def visit_ids(response) -> list[int]:
    return [row.visit.case_id for row in response.context["rows"]]


def test_default_is_today_in_order_of_arrival_with_phone(client, kesra_front, book, org):
    """Without filters the book shows today's visits of the unit, numbered in the order of
    arrival, with name, origin and phone (the unit's staff may see them; stored in E.164, shown
    as Indonesians write it); not another day's, not another unit's."""
    client.force_login(kesra_front)
    response = client.get(url("guest_book"))
    assert response.status_code == 200
    assert visit_ids(response) == [book["served"].pk, book["gone"].pk, book["waiting"].pk]
    assert [r.number for r in response.context["rows"]] == [1, 2, 3]
    html = response.content.decode()
    assert "Siti Aminah" in html and "0812-3456-7801" in html and "Dinas Sosial" in html
    assert "Tamu Ekonomi" not in html and "Ahmad Yani" not in html
    first = response.context["rows"][0]
    assert first.division == org["kesra-bina-mental"].name
    assert first.served_by == str(kesra_front) and first.served_at.strftime("%H:%M") == "08:10"
    assert first.finished_at.strftime("%H:%M") == "08:40"


def test_month_range_and_filters(client, kesra_front, book, kesra_walk_in, org):
    """A range covers every day in it; service, Bagian and state narrow it."""
    client.force_login(kesra_front)
    month = client.get(url("guest_book", dari="2026-12-01", sampai="2026-12-31"))
    assert visit_ids(month) == [
        book["earlier"].pk,
        book["served"].pk,
        book["gone"].pk,
        book["waiting"].pk,
    ]
    everything = client.get(url("guest_book", dari="2026-11-01", sampai="2026-12-31"))
    assert book["november"].pk in visit_ids(everything) and len(visit_ids(everything)) == 5
    by_service = client.get(
        url("guest_book", dari="2026-12-01", sampai="2026-12-31", layanan=kesra_walk_in.pk)
    )
    assert book["waiting"].pk not in visit_ids(by_service) and len(visit_ids(by_service)) == 3
    general = client.get(url("guest_book", dari="2026-12-01", sampai="2026-12-31", layanan="none"))
    assert visit_ids(general) == [book["waiting"].pk]
    routed = client.get(
        url(
            "guest_book", dari="2026-12-01", sampai="2026-12-31", bagian=org["kesra-bina-mental"].pk
        )
    )
    assert visit_ids(routed) == [book["served"].pk]
    absent = client.get(url("guest_book", status="not_present"))
    assert visit_ids(absent) == [book["gone"].pk]
    waiting = client.get(url("guest_book", status="waiting"))
    assert visit_ids(waiting) == [book["waiting"].pk]


def _id(text: str) -> str:
    """``text`` as the Indonesian page shows it."""
    with translation.override("id"):
        return gettext(text)


def test_bad_range_is_refused_on_the_page(client, kesra_front, book):
    """A last day before the first day: the error on the page (200, not a 500) and today's
    register meanwhile; a range over a year is refused too."""
    client.force_login(kesra_front)
    response = client.get(url("guest_book", dari="2026-12-09", sampai="2026-12-01"))
    assert response.status_code == 200
    assert _id("The last day comes before the first day.") in response.content.decode()
    assert len(visit_ids(response)) == 3
    response = client.get(url("guest_book", dari="2025-01-01", sampai="2026-12-09"))
    assert (
        _id("Choose at most %(days)s days at a time.") % {"days": 366} in response.content.decode()
    )


def test_other_unit_and_wrong_role_are_refused(client, ekon_officer, kesra_handler, book, org):
    """Perekonomian's officer gets 404 for Kesra's book and its files; their own book does not
    hold Kesra's guests. A handler of a Bagian cannot open the Biro's book and sees in the
    Bagian's book only the visit routed there. Anonymous users go to the login page."""
    assert client.get(url("guest_book")).status_code == 302
    client.force_login(ekon_officer)
    for name in ("guest_book", "guest_book_pdf", "guest_book_xlsx"):
        assert client.get(url(name)).status_code == 404
    own = client.get(url("guest_book", "biro-perekonomian"))
    assert visit_ids(own) == [book["other"].pk]
    client.force_login(kesra_handler)
    assert client.get(url("guest_book")).status_code == 404
    division = client.get(url("guest_book", "kesra-bina-mental"))
    assert visit_ids(division) == [book["served"].pk]


def test_pages_are_numbered_across(client, kesra_front, org, kesra_walk_in):
    """55 visits: page 2 holds rows 51–55."""
    for i in range(55):
        register(
            kesra_front,
            org["biro-kesra"],
            kesra_walk_in,
            f"Tamu {i}",
            f"0812000{i:05d}",
            at(TODAY, 7, i),
        )
    client.force_login(kesra_front)
    response = client.get(url("guest_book", halaman=2))
    assert [r.number for r in response.context["rows"]] == [51, 52, 53, 54, 55]
    assert response.context["rows"][0].name == "Tamu 50"


@pytest.mark.parametrize("visits", [3, 30])
def test_query_count_does_not_grow_with_rows(
    client, kesra_front, org, kesra_walk_in, visits, django_assert_num_queries
):
    """The page costs the same number of queries for 3 and 30 visits (rows, who served them,
    the count, the filters' choices)."""
    for i in range(visits):
        case = register(
            kesra_front,
            org["biro-kesra"],
            kesra_walk_in,
            f"Tamu {i}",
            f"0812000{i:05d}",
            at(TODAY, 7, i),
        )
        if i % 2:
            visit_serve(actor=kesra_front, case=case, desk="Loket 1", now=at(TODAY, 8, i))
    client.force_login(kesra_front)
    client.get(url("guest_book"))  # warm the session and content-type caches
    with django_assert_num_queries(10):
        response = client.get(url("guest_book"))
    assert len(response.context["rows"]) == visits


def _png_size(path) -> tuple[int, int]:
    import struct

    data = path.read_bytes()[:24]
    return struct.unpack(">II", data[16:24])


def test_pdf_is_a4_landscape_with_the_rows_and_audited(client, kesra_front, book, tmp_path):
    """The PDF of December: A4 landscape, the unit's heading, one row per visit with its number,
    name and phone, the signature column when asked; not Perekonomian's guest. The export is
    audited. Rendered with pdftoppm: a landscape page image."""
    client.force_login(kesra_front)
    response = client.get(url("guest_book_pdf", dari="2026-12-01", sampai="2026-12-31", ttd="on"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "buku-tamu-biro-kesra-20261201-20261231.pdf" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    box = reader.pages[0].mediabox
    assert round(float(box.width)) == 842 and round(float(box.height)) == 595  # A4 landscape
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "BIRO KESEJAHTERAAN RAKYAT" in text.upper()
    for name, phone in [
        ("Ahmad Yani", "0812-3456-7804"),
        ("Siti Aminah", "0812-3456-7801"),
        ("Rina Wati", "0812-3456-7803"),
    ]:
        assert name in text and phone in text
    assert "Tamu Ekonomi" not in text and "Dewi Sartika" not in text
    assert "4 visits" in text or "4 kunjungan" in text
    assert "Signature" in text or "Tanda tangan" in text
    entry = AuditEntry.objects.get(action=AuditAction.PERSONAL_DATA_EXPORTED)
    assert entry.data["record"] == "guest_book" and entry.data["rows"] == 4
    assert entry.actor == kesra_front
    if shutil.which("pdftoppm"):
        pdf = tmp_path / "book.pdf"
        pdf.write_bytes(response.content)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", pdf, tmp_path / "page"],
            check=True,
        )
        width, height = _png_size(next(tmp_path.glob("page*.png")))
        assert width > height


def test_xlsx_has_the_rows_as_data(client, kesra_front, book):
    """The XLSX: title, range, a header and one row per visit with real dates and times."""
    client.force_login(kesra_front)
    response = client.get(url("guest_book_xlsx", dari="2026-12-01", sampai="2026-12-31"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert "Biro Kesejahteraan Rakyat" in sheet["A1"].value
    rows = [row for row in sheet.iter_rows(min_row=5, values_only=True)]
    assert [r[0] for r in rows] == [1, 2, 3, 4]
    assert [r[3] for r in rows] == ["Ahmad Yani", "Siti Aminah", "Budi Santoso", "Rina Wati"]
    assert rows[1][1] == dt.datetime(2026, 12, 9, 8, 0)
    assert rows[1][5] == "0812-3456-7801"
    assert rows[1][10] == dt.datetime(2026, 12, 9, 8, 10)
    assert rows[1][11] == dt.datetime(2026, 12, 9, 8, 40)
    assert rows[2][11] is None and rows[2][12] == str(Status.WITHDRAWN.label)
    assert all("Tamu Ekonomi" not in str(r) for r in rows)


def test_too_many_rows_for_a_pdf_is_refused(client, kesra_front, book, monkeypatch):
    """Over the PDF limit the office is told to narrow the range (413) and nothing is audited."""
    monkeypatch.setattr("layanan.visits.register.PDF_MAX_ROWS", 2)
    client.force_login(kesra_front)
    response = client.get(url("guest_book_pdf"))
    assert response.status_code == 413
    assert not AuditEntry.objects.filter(action=AuditAction.PERSONAL_DATA_EXPORTED).exists()
