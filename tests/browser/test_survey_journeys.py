"""The satisfaction survey on a 360 px phone, from the home page through links only:

- **survey**: a citizen fills in Biro Kesra's questionnaire and sees it recorded — the thank-you
  page, then the results page counting their answer;
- **results**: someone reaches the IKM results of the running survey period.

Each page on the way is checked with axe-core (WCAG 2.1 A/AA) and for sideways scroll.
Screenshots of the kiosk and the results page go to ``$LAYANAN_SCREENSHOTS`` when set
(``docs/screenshots``), else to the test's temporary folder.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from layanan.surveys.models import SurveyResponse
from tests.browser.a11y import assert_axe_clean, no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings):
    """The demo organisation, catalogue and running survey period, without demo answers."""
    call_command("load_demo", "--no-users", stdout=StringIO())


def check(page) -> None:
    assert no_horizontal_scroll(page), page.url
    assert_axe_clean(page)


def test_survey_journey_fill_in_and_see_it_recorded(live_server, phone_page, demo, shots):
    """Home → Biro Kesra → "Isi survei" → answer the nine questions → thank-you page →
    results, where Biro Kesra now counts that one respondent."""
    page = phone_page
    page.goto(live_server.url + "/")
    check(page)
    page.locator("a", has_text="Biro Kesejahteraan Rakyat").first.click()
    page.wait_for_url("**/unit/biro-kesra/")
    check(page)
    page.get_by_role("link", name="Isi survei kepuasan").click()
    page.wait_for_url("**/survei/kiosk/biro-kesra/")
    check(page)

    services = page.locator("#q-service input[type=radio]")
    if services.count():
        services.first.check()
    for number in range(1, 10):
        page.locator(f"#q-u{number} input[type=radio]").nth(2).check()  # "3" on every element
    assert no_horizontal_scroll(page)
    page.locator("#q-u8").scroll_into_view_if_needed()  # the longest answers, as chosen
    page.screenshot(path=str(shots / "survey-kiosk-360.png"))
    page.get_by_role("button", name="Kirim jawaban").click()
    page.wait_for_url("**/survei/kiosk/biro-kesra/terima-kasih/")
    assert "tercatat" in page.locator("main").inner_text()
    check(page)
    assert SurveyResponse.objects.filter(unit__slug="biro-kesra").count() == 1

    page.get_by_role("link", name="Lihat hasil survei").click()
    page.wait_for_url("**/survei/hasil/")
    check(page)
    kesra = page.locator("article.ikm", has_text="Biro Kesejahteraan Rakyat")
    assert "75,00" in kesra.inner_text()  # nine answers of 3: NRR 3 × 25
    assert "1 responden" in kesra.inner_text()


def test_results_journey_reaches_the_ikm(live_server, phone_page, settings, shots):
    """Home → a unit → "Hasil survei", on the full demo data: the page names the running
    period (the demo's), shows Biro Kesra's IKM from the demo's three answers — sums 31 + 28 +
    34 = 93 over 27 answers, 93/27 × 25 = 86.11, grade B — and warns that three respondents
    are fewer than the four people served (the demo's four complaints; Krejcie–Morgan: a
    population of ten or fewer is surveyed whole)."""
    settings.DEBUG = True  # load_demo's demo accounts and sample complaints
    call_command("load_demo", stdout=StringIO())
    page = phone_page
    page.goto(live_server.url + "/")
    check(page)
    page.locator("a", has_text="Biro Kesejahteraan Rakyat").first.click()
    page.wait_for_url("**/unit/biro-kesra/")
    page.get_by_role("link", name="Hasil survei").click()
    page.wait_for_url("**/survei/hasil/")
    check(page)
    body = page.locator("main").inner_text()
    assert "Indeks Kepuasan Masyarakat" in body
    assert "SKM Tahun" in body  # the running period load_demo creates
    kesra = page.locator("article.ikm", has_text="Biro Kesejahteraan Rakyat").inner_text()
    assert "86,11" in kesra and "Baik" in kesra
    assert "3 responden" in kesra and "sampel minimum 4 untuk 4 orang" in kesra
    assert "Perhatian: Hanya 3 responden" in kesra
    page.screenshot(path=str(shots / "survey-results-360.png"), full_page=True)
