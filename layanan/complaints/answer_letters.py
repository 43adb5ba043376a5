"""Answer letters (surat jawaban) of written complaints — those that came by letter or through
the complaint box, whose reporter expects a letter back.

The officer chooses it while sending the answer; the letter is then numbered (gapless per unit
and year, ``AnswerLetterCounter`` locked in the answer's transaction, pattern from the unit's
``AnswerLetterTemplate``), its date, place, subject and signatory frozen on the complaint, and its
text is the answer itself. The reporter downloads it from the tracking page.

**Identity**: the letter never names a confidential or anonymous reporter — it is addressed to
"Pelapor" with the complaint's number — so whoever holds the file (or the tracking code) learns
nothing the tracking page would not show. Shared pieces (letterhead, numbering, date, paragraphs,
fetch-nothing rendering) are ``layanan.core.letters``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from layanan.cases.models import Case, Channel
from layanan.core.letters import (
    head_of_unit_name,
    indonesian_date,
    paragraphs_html,
    render_pdf,
)
from layanan.core.timezones import unit_tzinfo

from .models import AnswerLetterCounter, AnswerLetterTemplate, ComplaintDetail

#: The channels whose complaints are written on paper and may get a numbered letter back.
WRITTEN_CHANNELS = frozenset({Channel.LETTER, Channel.COMPLAINT_BOX})


def letter_offered(case: Case) -> bool:
    """May an answer letter be issued for this complaint (by the channel it came by)?"""
    return case.channel in WRITTEN_CHANNELS


def template_for(unit) -> AnswerLetterTemplate:
    """The unit's template, or an unsaved default one (the head of the unit signs)."""
    return AnswerLetterTemplate.for_unit(unit)


def issue_letter(*, detail: ComplaintDetail, on: dt.date) -> None:
    """Number the letter and freeze its particulars on ``detail`` (the caller saves it, in the
    answer's transaction)."""
    unit = detail.case.unit
    template = template_for(unit)
    seq = AnswerLetterCounter.take_next(unit=unit, year=on.year)
    detail.letter_number = template.format_number(seq=seq, on=on)
    detail.letter_date = on
    detail.letter_city = template.city
    detail.letter_subject = template.subject
    detail.letter_signatory_title = template.signatory_title
    detail.letter_signatory_name = template.signatory_name or head_of_unit_name(unit)
    detail.letter_signatory_nip = template.signatory_nip


LETTER_FIELDS = (
    "letter_number",
    "letter_date",
    "letter_city",
    "letter_subject",
    "letter_signatory_title",
    "letter_signatory_name",
    "letter_signatory_nip",
)


def addressee(case: Case) -> str:
    """Whom the letter is addressed to: the reporter's name, never a confidential or anonymous
    reporter's (then "Pelapor")."""
    if case.is_confidential or case.is_anonymous or not case.requester_name:
        return "Pelapor"
    return case.requester_name


def letter_html(detail: ComplaintDetail) -> str:
    case = detail.case
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(
            "complaints/answer_letter.html",
            {
                "unit": case.unit,
                "case": case,
                "detail": detail,
                "addressee": addressee(case),
                "received": indonesian_date(
                    case.received_at.astimezone(unit_tzinfo(case.unit)).date()
                ),
                "date": indonesian_date(detail.letter_date),
                "body_html": paragraphs_html(detail.answer),
            },
        )


def render_answer_letter_pdf(detail: ComplaintDetail) -> bytes:
    return render_pdf(letter_html(detail))
