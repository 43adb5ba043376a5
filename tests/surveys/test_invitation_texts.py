"""The survey invitation's wording (e-mail subject and body, WhatsApp text) lives in the
templates of ``surveys/invitation/``. The expected texts below are the ones the Python wording
produced before the move, captured in both languages: the templates must give them letter for
letter (same msgids, so the Indonesian catalogue still applies; nothing HTML-escaped)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.utils import translation

from layanan.surveys.notifications import render_invitation_email, render_invitation_whatsapp

UNIT = "Biro Kesejahteraan Rakyat & Umum"
NUMBER = "KESRA/KNS/2026/000042"
URL = "https://layanan.example.go.id/survei/abc123/?a=1&b=2"

BEFORE = {
    "id": {
        "subject": f"Bagaimana pelayanan kami? {NUMBER}",
        "body": (
            f"Terima kasih telah menggunakan layanan {UNIT}.\n"
            "\n"
            "Mohon sampaikan penilaian Anda melalui survei kepuasan (sekitar 2 menit). Jawaban "
            "Anda tidak ditampilkan bersama permohonan Anda:\n"
            f"{URL}"
        ),
        "whatsapp": (
            f"Terima kasih atas kunjungan Anda ke {UNIT} ({NUMBER}). Bagaimana pelayanan kami? "
            f"Survei kepuasan hanya sekitar 2 menit: {URL}"
        ),
    },
    "en": {
        "subject": f"How did we do? {NUMBER}",
        "body": (
            f"Thank you for using the services of {UNIT}.\n"
            "\n"
            "Please tell us how we did in the satisfaction survey (about 2 minutes). Your "
            "answers are not shown with your request:\n"
            f"{URL}"
        ),
        "whatsapp": (
            f"Thank you for visiting {UNIT} ({NUMBER}). How did we do? The satisfaction survey "
            f"takes about 2 minutes: {URL}"
        ),
    },
}


@pytest.mark.parametrize("language", ["id", "en"])
def test_invitation_texts_are_those_of_the_python_wording(language):
    """Moving the wording into templates changed no letter of the e-mail or the WhatsApp text,
    in Indonesian (the site's language, which the receiver uses) or in English."""
    case = SimpleNamespace(unit=SimpleNamespace(name=UNIT), number=NUMBER)
    with translation.override(language):
        subject, body = render_invitation_email(case, URL)
        whatsapp = render_invitation_whatsapp(case, URL)
    assert subject == BEFORE[language]["subject"]
    assert body == BEFORE[language]["body"]
    assert whatsapp == BEFORE[language]["whatsapp"]
