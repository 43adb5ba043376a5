"""The public catalogue on a phone: a citizen finds a service from the home page and sees what to
bring and how to reach the office on WhatsApp, without sideways scrolling."""

from __future__ import annotations

import pytest

from tests.factories import published_standard

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_citizen_finds_a_service_on_a_phone(live_server, phone_page, org):
    """Home → standard on a 360 px phone: the requirements checklist and the WhatsApp link are
    visible, the link goes to wa.me, the page needs no JavaScript and never scrolls sideways."""
    standard = published_standard(
        standard__unit=org["biro-kesra"],
        standard__name=(
            "Fasilitasi Audiensi Instansi Pemerintah, Pemerintah Daerah dan Lembaga Lain"
        ),
        standard__slug="fasilitasi-audiensi",
        number=1,
        requirements=[
            "Surat permohonan fasilitasi rapat/audiensi;",
            "Tanda pengenal/identitas.",
        ],
    )
    page = phone_page
    page.goto(live_server.url + "/")
    assert no_horizontal_scroll(page)
    assert page.locator("script").count() == 0

    page.get_by_role("link", name="Fasilitasi Audiensi Instansi Pemerintah").click()
    page.wait_for_url(f"**{standard.get_absolute_url()}")
    assert page.locator("h1").inner_text().startswith("Fasilitasi Audiensi")

    requirements = page.locator('[data-component="requirements"] .checklist li')
    assert requirements.count() == 2
    assert requirements.first.is_visible()
    assert "Surat permohonan fasilitasi" in requirements.first.inner_text()

    whatsapp = page.locator('.channel-whatsapp a[href^="https://wa.me/62"]')
    whatsapp.scroll_into_view_if_needed()
    assert whatsapp.is_visible()
    assert whatsapp.get_attribute("href") == "https://wa.me/6285828735503"
    box = whatsapp.bounding_box()
    assert box["height"] >= 44  # a comfortable tap target
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360

    assert no_horizontal_scroll(page)
    assert page.locator("script").count() == 0
