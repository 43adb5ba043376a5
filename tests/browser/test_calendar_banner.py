"""The calendar banner in a real browser: on a 320 px phone the inbox and the calendar page name
the year that is not ready, fit the screen and pass axe-core (WCAG 2.1 A/AA).

Screenshots go to ``$LAYANAN_SCREENSHOTS`` when set, else to the test's temporary folder.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from layanan.accounts.actors import PUBLIC
from layanan.cases.models import CaseKind, Channel
from layanan.cases.services import case_create
from layanan.workdays.durations import Duration
from layanan.workdays.services import holidays_sync
from tests.browser.conftest import staff_sign_in

from .a11y import assert_axe_clean, no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIB = ZoneInfo("Asia/Pontianak")


def test_banner_on_a_phone(live_server, browser, clock, org, kesra_officer, tmp_path):
    """21 Dec 2026, 2026 loaded and 2027 holding the package's estimates: a running case due in
    2027 puts the banner, listing the three estimated dates, on the inbox and the calendar
    page; both fit 320 px and have no serious accessibility violation."""
    clock.move_to(dt.datetime(2026, 12, 21, 10, tzinfo=WIB))
    for year in (2025, 2026, 2027):
        holidays_sync(year=year)
    case_create(
        actor=PUBLIC,
        kind=CaseKind.COMPLAINT,
        unit=org["biro-kesra"],
        channel=Channel.WEB,
        duration=Duration(value=60, unit="working_days", text="60 hari kerja"),
        subject="Izin belum terbit",
    )
    shots = Path(os.environ.get("LAYANAN_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 320, "height": 700}, locale="id-ID")
    page = context.new_page()
    staff_sign_in(page, live_server, kesra_officer)
    for path, name in (("/staf/kasus/", "inbox"), ("/staf/kalender/", "calendar")):
        page.goto(live_server.url + path)
        banner = page.locator(".calendar-gaps")
        assert banner.count() == 1, name
        text = banner.inner_text()
        assert "10 Mar 2027 Hari Raya Idul Fitri" in text and "17 Mei 2027" in text
        assert no_horizontal_scroll(page), name
        assert_axe_clean(page)
        banner.screenshot(path=str(shots / f"calendar-banner-{name}.png"))
        page.screenshot(path=str(shots / f"calendar-banner-{name}-page.png"))
    context.close()
