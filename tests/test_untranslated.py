"""No English on Indonesian pages (issue 16, item 7): every page of the URL conf, as every persona
(tests/page_walk.py), rendered in Indonesian, shows no message that the Indonesian catalogues
leave untranslated — Django's own strings included ("- Select an option -" on selects, the
admin's), not only the project's (tests/core/test_translations.py checks those are complete).
Strings of the admin's JavaScript are checked in the browser walk (tests/browser/test_a11y_walk.py).
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from .page_walk import WALK_PERSONAS, persona_urls, untranslated_in, visible_text
from .test_access_matrix import _QuickPdf, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _language_restored():
    language = translation.get_language()
    yield
    translation.activate(language)


def test_the_detector_finds_djangos_untranslated_strings_and_not_translations():
    """The check itself: a message is found in a page's visible text whatever fills its
    placeholders and in either plural form (the admin's "Note: Enter times in the … timezone"),
    not in an element marked ``lang="en"``, not in its translation; and Django's strings the
    project translates (the empty choice of selects, that note) are no longer candidates."""
    from django.utils.translation.trans_real import DjangoTranslation

    from . import page_walk

    patterns = dict(page_walk.untranslated_patterns())
    assert "- Select an option -" not in patterns, "the project translates Django's empty choice"
    assert "Page not found" not in patterns
    assert not [m for m in patterns if m.startswith("Note: Enter times")], "admin time zone note"
    catalogue = DjangoTranslation("id")._catalog
    assert catalogue["- Select an option -"] != "- Select an option -"

    note = page_walk.pattern_for(
        "Note: Enter times in the %(timezone)s timezone. (You are %(offset)s hour ahead.)",
        "Note: Enter times in the %(timezone)s timezone. (You are %(offset)s hours ahead.)",
    )
    shown = "Note: Enter times in the Asia/Pontianak timezone. (You are 7 hours ahead.)"
    assert note.search(visible_text(f"<main><p>{shown}</p></main>"))
    assert not note.search(visible_text(f'<p lang="en">{shown}</p>'))
    assert not note.search("Catatan: isikan waktu menurut zona waktu Asia/Pontianak.")
    assert untranslated_in(visible_text("<p>Halaman tidak ditemukan</p>")) == []
    assert visible_text('<input type="submit" value="Kirim"><script>var x="a b"</script>') == (
        "Kirim"
    )


def test_every_page_in_indonesian_has_no_untranslated_message(org, settings, monkeypatch):
    """Every GET page of the URL conf, as the public, a citizen with a tracking code, every
    staff role and a superuser (the whole admin), rendered in Indonesian: no message that the
    Indonesian catalogues leave untranslated. All findings are reported at once."""
    import weasyprint

    monkeypatch.setattr(weasyprint, "HTML", _QuickPdf)
    settings.OTP_REQUIRED_FOR_ROLES = ()
    world = build_world(org)
    findings, pages = [], 0
    for persona in WALK_PERSONAS:
        client = Client(HTTP_ACCEPT_LANGUAGE="id")
        user = world["users"].get(persona)
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        for url in persona_urls(world, persona):
            cache.clear()  # rate limits count every request
            response = client.get(url)
            if not response.get("Content-Type", "").startswith("text/html"):
                continue
            if response.status_code in (301, 302, 303, 307, 308):
                continue
            pages += 1
            page = response.content.decode()
            if "<html" in page and '<html lang="id"' not in page:
                findings.append(f'{url} (as {persona}): the page does not say lang="id"')
            for msgid in untranslated_in(visible_text(page)):
                findings.append(f"{url} (as {persona}, {response.status_code}): {msgid!r}")
    assert pages > 100, f"only {pages} pages walked"
    assert not findings, (
        f"{len(findings)} untranslated message(s) on Indonesian pages ({pages} pages walked) — "
        "translate them (a Django string: layanan/core/django_strings.py):\n  "
        + "\n  ".join(findings)
    )
