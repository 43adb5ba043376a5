"""The one telephone-number rule: every number a person gives is stored in E.164.

Forms, API schemas, Open311, the services that create cases and visits, WhatsApp intake and
the WhatsApp sender all go through ``normalize_phone``, built on Google's libphonenumber
(``phonenumbers``): it knows Indonesia's numbering plan (mobile 08…, landlines with an area
code such as (0561) 123456) and every other country's, so a number is valid when the plan says
it is, not when it has a certain count of digits.

Accepted as Indonesians type them, all giving ``+6281234567890``: ``0812-3456-7890``,
``0812 3456 7890``, ``+62 812 3456 7890``, ``62812…``, ``+62 0812…``, ``812…``; landlines
``(0561) 123456`` → ``+62561123456``; foreign numbers with their ``+`` (or ``00``) prefix.
Refused: letters (no vanity numbers, no extensions), numbers the plan does not know.

- ``normalize_phone``: E.164 or a translated ``ValidationError`` (code ``invalid_phone``);
- ``requester_phone``: the same for services, blank allowed, an ``ApplicationError``;
- ``phone_or_none``: lenient, for look-ups and stored data that may predate the rule;
- ``PhoneField`` (forms), ``validate_phone`` (a validator), ``Phone`` (API schemas);
- ``to_whatsapp`` / ``from_whatsapp``: the Cloud API's wire format (digits, no ``+``).
"""

from __future__ import annotations

import re
from typing import Annotated

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from layanan.core.errors import ApplicationError

DEFAULT_REGION = "ID"
#: What a person may type: digits and the usual separators, a leading "+".
_ALLOWED = re.compile(r"^\+?[0-9\s\-.()/]+$")
#: Longer input is not a telephone number (E.164 has at most 15 digits).
MAX_INPUT = 40
INVALID_CODE = "invalid_phone"
INVALID_MESSAGE = _(
    "This telephone number is not valid. Write it for example as 0812-3456-7890, "
    "+62 812 3456 7890 or (0561) 123456."
)


def normalize_phone(value: str, region: str = DEFAULT_REGION) -> str:
    """``value`` in E.164 (``+6281234567890``); numbers without a country code are read as
    numbers of ``region``. Raises ``ValidationError`` (code ``invalid_phone``, translated)."""
    text = (value or "").strip()
    if not text or len(text) > MAX_INPUT or not _ALLOWED.match(text):
        raise ValidationError(INVALID_MESSAGE, code=INVALID_CODE)
    if text.startswith("00"):  # the international call prefix of most countries
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise ValidationError(INVALID_MESSAGE, code=INVALID_CODE) from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(INVALID_MESSAGE, code=INVALID_CODE)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_or_none(value: str, region: str = DEFAULT_REGION) -> str | None:
    """E.164, or None for a blank or invalid number (look-ups, stored data, migrations)."""
    try:
        return normalize_phone(value, region)
    except ValidationError:
        return None


def requester_phone(value: str | None, *, required: bool = False) -> str:
    """The rule as services apply it: blank stays blank (unless ``required``), anything else
    becomes E.164 or an ``ApplicationError`` (code ``invalid_phone``) the views and the API
    show."""
    if not (value or "").strip() and not required:
        return ""
    try:
        return normalize_phone(value)
    except ValidationError:
        raise ApplicationError(str(INVALID_MESSAGE), INVALID_CODE) from None


def national_phone(value: str) -> str:
    """An Indonesian number as Indonesians read it (``0812-3456-7890``); foreign numbers in
    international format; anything unparsable unchanged."""
    try:
        number = phonenumbers.parse(value, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return value
    if not phonenumbers.is_valid_number(number):
        return value
    if phonenumbers.region_code_for_number(number) == DEFAULT_REGION:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


# --- WhatsApp Cloud API wire format ---------------------------------------------------------


def to_whatsapp(value: str) -> str:
    """The number as the Cloud API's ``to`` wants it: E.164 digits without "+". Raises
    ``ValidationError`` like ``normalize_phone``."""
    return normalize_phone(value).removeprefix("+")


def from_whatsapp(wa_id: str) -> str:
    """The E.164 number of a Cloud API ``wa_id`` / ``from`` (international digits without
    "+"). Raises ``ValidationError`` when it is not a valid number."""
    digits = (wa_id or "").strip().removeprefix("+")
    if not digits.isdigit():
        raise ValidationError(INVALID_MESSAGE, code=INVALID_CODE)
    return normalize_phone("+" + digits)


# --- forms ----------------------------------------------------------------------------------


def validate_phone(value: str) -> None:
    """A form validator: blank passes (``required`` decides), anything else must be valid."""
    if value:
        normalize_phone(value)


class PhoneField(forms.CharField):
    """A telephone number typed any usual way; ``cleaned_data`` holds it in E.164. On an
    error the page shows the number as typed, with the message beside it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", MAX_INPUT)
        super().__init__(**kwargs)
        self.widget.input_type = "tel"
        self.widget.attrs.setdefault("inputmode", "tel")

    def clean(self, value):
        value = super().clean(value)
        return normalize_phone(value) if value else value


# --- API schemas ----------------------------------------------------------------------------


def _schema_phone(value: str) -> str:
    value = value.strip()
    if not value:
        return ""
    try:
        return normalize_phone(value)
    except ValidationError:
        # The message in the request's language; the type names the rule for programs.
        raise PydanticCustomError(INVALID_CODE, str(INVALID_MESSAGE)) from None


#: A telephone number field of an API schema: blank stays blank, else E.164 or a 400/422 that
#: names the field (``type`` ``invalid_phone``).
Phone = Annotated[str, AfterValidator(_schema_phone)]
