"""The one telephone-number rule (layanan.core.phones): how Indonesians type numbers, E.164 out,
a translated error for anything else, and the same rule in the form field, the API type and the
WhatsApp wire format."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from pydantic import TypeAdapter
from pydantic import ValidationError as PydanticValidationError

from layanan.core.errors import ApplicationError
from layanan.core.phones import (
    Phone,
    PhoneField,
    from_whatsapp,
    national_phone,
    normalize_phone,
    phone_or_none,
    requester_phone,
    to_whatsapp,
)

MOBILE = "+6281234567890"


@pytest.mark.parametrize(
    "typed",
    [
        "081234567890",
        "0812-3456-7890",
        "0812 3456 7890",
        "0812.3456.7890",
        "+62 812 3456 7890",
        "+62 812-3456-7890",
        "+62 (0)812 3456 7890",
        "+62 0812 3456 7890",
        "62812 3456 7890",
        "6281234567890",
        "+6281234567890",
        "006281234567890",
        "812 3456 7890",
        "  0812 3456 7890  ",
    ],
)
def test_every_usual_spelling_of_a_mobile_number_is_the_same_e164(typed):
    """Whatever way a citizen types an Indonesian mobile number, the one rule stores the same
    E.164 string, so look-ups (returning visitor, WhatsApp sender) find it."""
    assert normalize_phone(typed) == MOBILE


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("(0561) 123456", "+62561123456"),
        ("0561 736541", "+62561736541"),
        ("(021) 1234-5678", "+622112345678"),
        ("+31 6 12345678", "+31612345678"),
        ("+1 202 555 0143", "+12025550143"),
    ],
)
def test_landlines_and_foreign_numbers(typed, expected):
    """Landlines with their area code become +62 and the code without its 0; foreign numbers
    keep their own country code."""
    assert normalize_phone(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "abc",
        "0812",
        "12345678",
        "0812345678901234567",
        "+62 858 1234 5678 9999 1",
        "0812-3456-7890 ext 12",
        "0812 FLOWERS",
        "0812\x003456",
        "0812 " * 9,
    ],
)
def test_what_is_not_a_number_is_refused_with_a_translated_error(typed):
    """Too short, too long, letters (vanity numbers, extensions), control characters: a
    ValidationError with code ``invalid_phone`` whose message is translated when shown."""
    with pytest.raises(ValidationError) as exc:
        normalize_phone(typed)
    assert exc.value.code == "invalid_phone"
    assert phone_or_none(typed) is None
    with translation.override("en"):
        english = str(exc.value.messages[0])
    assert english.startswith("This telephone number is not valid.")


def test_services_keep_blank_blank_and_raise_an_application_error():
    """The service form of the rule: no number stays empty (unless required); a bad one is an
    ApplicationError ``invalid_phone`` that pages and the API show as a 400."""
    assert requester_phone("") == ""
    assert requester_phone(None) == ""
    assert requester_phone("0812-3456-7890") == MOBILE
    for value, required in (("0812", False), ("", True)):
        with pytest.raises(ApplicationError) as exc:
            requester_phone(value, required=required)
        assert exc.value.code == "invalid_phone"


def test_whatsapp_wire_format_both_ways():
    """The Cloud API sends the sender as digits without "+", and wants ``to`` the same way:
    both conversions go through the rule and meet the stored E.164."""
    assert from_whatsapp("6281234567890") == MOBILE
    assert to_whatsapp("0812-3456-7890") == "6281234567890"
    assert to_whatsapp(from_whatsapp("31612345678")) == "31612345678"
    for bad in ("", "62812", "+62abc"):
        with pytest.raises(ValidationError):
            from_whatsapp(bad)


def test_national_format_for_people_reading_it():
    """The guest book shows numbers as Indonesians write them; foreign ones internationally;
    an unreadable stored value as it is."""
    assert national_phone(MOBILE) == "0812-3456-7890"
    assert national_phone("+62561736541") == "(0561) 736541"
    assert national_phone("+31612345678") == "+31 6 12345678"
    assert national_phone("call me") == "call me"


class _Form(forms.Form):
    phone = PhoneField(required=False)


def test_form_field_stores_e164_and_keeps_the_typed_value_on_error():
    """The form field cleans to E.164; on an error the field shows the translated message and
    the page re-renders what the person typed, not something else."""
    form = _Form({"phone": "0812 3456 7890"})
    assert form.is_valid()
    assert form.cleaned_data["phone"] == MOBILE
    form = _Form({"phone": "0812 34"})
    assert not form.is_valid()
    assert form.errors.as_data()["phone"][0].code == "invalid_phone"
    assert 'value="0812 34"' in str(form["phone"])
    assert 'type="tel"' in str(form["phone"])
    assert _Form({"phone": ""}).is_valid()


def test_api_type_gives_e164_or_an_error_naming_the_rule():
    """The API type: blank stays blank, a number becomes E.164, a bad one fails validation with
    type ``invalid_phone`` and the translated message."""
    adapter = TypeAdapter(Phone)
    assert adapter.validate_python("") == ""
    assert adapter.validate_python("+62 812 3456 7890") == MOBILE
    with translation.override("en"), pytest.raises(PydanticValidationError) as exc:
        adapter.validate_python("0812")
    error = exc.value.errors()[0]
    assert error["type"] == "invalid_phone"
    assert error["msg"].startswith("This telephone number is not valid.")
