"""The SKM questionnaire of PermenPANRB 14/2017: nine elements (unsur), each answered on the
regulation's 4-point scale with the element's own wording, as in the regulation's sample
questionnaire.

Order. ``u1`` … ``u9`` follow the element list of the regulation (and REGULATIONS.md):
persyaratan; sistem, mekanisme dan prosedur; waktu penyelesaian; biaya/tarif; produk spesifikasi
jenis pelayanan; kompetensi pelaksana; perilaku pelaksana; penanganan pengaduan, saran dan
masukan; sarana dan prasarana. The regulation's *sample* questionnaire prints the last two the
other way round (question 8 is sarana dan prasarana, question 9 the handling of complaints); a
spreadsheet keyed to the sample must swap its last two columns before import (docs/surveys.md).
The IKM does not depend on the order (every element weighs 1/9), the per-element NRR does.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

SCALE = (1, 2, 3, 4)


@dataclass(frozen=True)
class Element:
    number: int
    name: str  # the element (unsur) as the regulation names it
    question: str
    labels: tuple[str, str, str, str]  # answers 1, 2, 3, 4

    @property
    def field(self) -> str:
        return f"u{self.number}"

    def choices(self) -> list[tuple[int, str]]:
        return list(zip(SCALE, self.labels, strict=True))

    def label_for(self, value: int) -> str:
        return str(self.labels[value - 1])


# Element names and answer labels carry a message context ("survey element", "survey
# answer") so that they never share a translation with the same English text elsewhere.
ELEMENTS: tuple[Element, ...] = (
    Element(
        1,
        pgettext_lazy("survey element", "Requirements"),
        _("How well do the service requirements match the type of service?"),
        (
            pgettext_lazy("survey answer", "Not suitable"),
            pgettext_lazy("survey answer", "Less suitable"),
            pgettext_lazy("survey answer", "Suitable"),
            pgettext_lazy("survey answer", "Very suitable"),
        ),
    ),
    Element(
        2,
        pgettext_lazy("survey element", "Systems, mechanisms and procedures"),
        _("How easy is the service procedure at this unit?"),
        (
            pgettext_lazy("survey answer", "Not easy"),
            pgettext_lazy("survey answer", "Less easy"),
            pgettext_lazy("survey answer", "Easy"),
            pgettext_lazy("survey answer", "Very easy"),
        ),
    ),
    Element(
        3,
        pgettext_lazy("survey element", "Completion time"),
        _("How fast was the service delivered?"),
        (
            pgettext_lazy("survey answer", "Not fast"),
            pgettext_lazy("survey answer", "Less fast"),
            pgettext_lazy("survey answer", "Fast"),
            pgettext_lazy("survey answer", "Very fast"),
        ),
    ),
    Element(
        4,
        pgettext_lazy("survey element", "Fees/tariffs"),
        _("How fair is the fee or tariff of the service?"),
        (
            pgettext_lazy("survey answer", "Very expensive"),
            pgettext_lazy("survey answer", "Rather expensive"),
            pgettext_lazy("survey answer", "Cheap"),
            pgettext_lazy("survey answer", "Free of charge"),
        ),
    ),
    Element(
        5,
        pgettext_lazy("survey element", "Products (type of service specification)"),
        _(
            "How well does the result you received match the service product listed in the "
            "service standard?"
        ),
        (
            pgettext_lazy("survey answer", "Not suitable"),
            pgettext_lazy("survey answer", "Less suitable"),
            pgettext_lazy("survey answer", "Suitable"),
            pgettext_lazy("survey answer", "Very suitable"),
        ),
    ),
    Element(
        6,
        pgettext_lazy("survey element", "Competence of the staff"),
        _("How competent were the staff in providing the service?"),
        (
            pgettext_lazy("survey answer", "Not competent"),
            pgettext_lazy("survey answer", "Less competent"),
            pgettext_lazy("survey answer", "Competent"),
            pgettext_lazy("survey answer", "Very competent"),
        ),
    ),
    Element(
        7,
        pgettext_lazy("survey element", "Behaviour of the staff"),
        _("How polite and friendly were the staff?"),
        (
            pgettext_lazy("survey answer", "Not polite and friendly"),
            pgettext_lazy("survey answer", "Less polite and friendly"),
            pgettext_lazy("survey answer", "Polite and friendly"),
            pgettext_lazy("survey answer", "Very polite and friendly"),
        ),
    ),
    Element(
        8,
        pgettext_lazy("survey element", "Handling of complaints, suggestions and feedback"),
        _("How are complaints from service users handled?"),
        (
            pgettext_lazy("survey answer", "Not available"),
            pgettext_lazy("survey answer", "Available but not working"),
            pgettext_lazy("survey answer", "Working but not optimally"),
            pgettext_lazy("survey answer", "Well managed"),
        ),
    ),
    Element(
        9,
        pgettext_lazy("survey element", "Facilities and infrastructure"),
        _("How good are the facilities and infrastructure?"),
        (
            pgettext_lazy("survey answer", "Poor"),
            pgettext_lazy("survey answer", "Adequate"),
            pgettext_lazy("survey answer", "Good"),
            pgettext_lazy("survey answer", "Very good"),
        ),
    ),
)

ELEMENT_FIELDS: tuple[str, ...] = tuple(e.field for e in ELEMENTS)


class Gender(models.TextChoices):
    MALE = "L", _("Male")
    FEMALE = "P", _("Female")


class Education(models.TextChoices):
    """As in the regulation's sample questionnaire, with the diplomas it leaves out."""

    SD = "sd", _("Primary school (SD) or less")
    SMP = "smp", _("Junior high school (SMP)")
    SMA = "sma", _("Senior high school (SMA/SMK)")
    DIPLOMA = "diploma", _("Diploma (D1–D4)")
    S1 = "s1", _("Bachelor (S1)")
    S2 = "s2", _("Master (S2)")
    S3 = "s3", _("Doctorate (S3)")


class Occupation(models.TextChoices):
    """As in the regulation's sample questionnaire."""

    PNS = "pns", _("Civil servant (PNS/ASN)")
    TNI = "tni", _("Armed forces (TNI)")
    POLRI = "polri", _("Police (POLRI)")
    PRIVATE = "swasta", _("Private employee")
    SELF_EMPLOYED = "wirausaha", _("Entrepreneur")
    OTHER = "lainnya", _("Other")
