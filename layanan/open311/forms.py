"""Reading what an Open311 client sends: the query parameters (one by one with :func:`param`,
those of ``GET requests`` as one :class:`RequestQuery`), the body of ``POST requests``
(form-encoded as the spec says, or a JSON object) and the form that validates it.

The form checks each field; the view turns its first error into the spec's error document
(400), prefixed with the parameter's name (``lat: Must be a number.``), so the client knows
which parameter to fix. What the form accepts goes to ``services.open311_request_create``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from layanan.core.phones import validate_phone

from .errors import bad

#: The spec's limit: a description of at most 4,000 characters.
DESCRIPTION_MAX = 4000
SUBJECT_MAX = 200
YES_NO = ("true", "false")
#: The attributes every service declares (``services/{code}``): the web form's fields that
#: GeoReport has no field for.
ATTRIBUTE_CODES = ("subject", "anonymous", "confidential")
ATTRIBUTE_KEY = re.compile(r"^attribute\[([^\]]+)\](\[\])?$")
#: The spec's limits: a query spans at most 90 days and returns at most 1,000 requests.
QUERY_SPAN = dt.timedelta(days=90)
QUERY_LIMIT = 1000
ID_LIST_MAX = 100
FIELD_MAX = {"jurisdiction_id": 100, "service_code": 100}


# --- query parameters -----------------------------------------------------------------------


def param(params: QueryDict | dict, name: str) -> str:
    """A parameter as text; "optional" means empty and absent are the same (the spec)."""
    value = params.get(name, "")
    if not isinstance(value, str):
        if isinstance(value, bool) or value is None:
            raise bad(_("%(field)s must be text.") % {"field": name})
        value = str(value)
    value = value.strip()
    limit = FIELD_MAX.get(name)
    if limit and len(value) > limit:
        raise bad(
            _("%(field)s is too long (at most %(max)d characters).") % {"field": name, "max": limit}
        )
    if "\x00" in value:
        raise bad(_("%(field)s contains a NUL character.") % {"field": name})
    return value


def _ids(raw: str) -> list[str]:
    ids = list(dict.fromkeys(part.strip() for part in raw.split(",") if part.strip()))
    if len(ids) > ID_LIST_MAX:
        raise bad(_("At most %(max)d service_request_id at once.") % {"max": ID_LIST_MAX})
    return ids


def _moment(params, name: str) -> dt.datetime | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    try:
        moment = parse_datetime(raw)
    except ValueError:
        moment = None
    if moment is None:
        raise bad(
            _("%(field)s is not a date and time (e.g. 2026-08-01T00:00:00+07:00).")
            % {"field": name}
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    return moment


@dataclass(frozen=True)
class RequestQuery:
    """What ``GET requests`` asks for. ``ids``, when sent, "overrides all other arguments"
    (the spec): the others are then neither read nor checked."""

    ids: list[str]
    service_codes: list[str]
    statuses: frozenset[str]
    start: dt.datetime | None
    end: dt.datetime | None


def request_query(params: QueryDict, *, now: dt.datetime) -> RequestQuery:
    """The parameters of ``GET requests`` (400 for the first one that is wrong); the window
    defaults to the 90 days before ``end`` (``now`` without one), or after ``start``."""
    ids = param(params, "service_request_id") if "service_request_id" in params else ""
    if len(ids) > ID_LIST_MAX * 20:
        raise bad(_("service_request_id is too long."))
    if ids:
        return RequestQuery(_ids(ids), [], frozenset(), None, None)
    codes = [c.strip() for c in params.get("service_code", "").split(",") if c.strip()]
    statuses = frozenset(s.strip() for s in params.get("status", "").split(",") if s.strip())
    if statuses - {"open", "closed"}:
        raise bad(_("status must be open or closed (comma-separated)."))
    start, end = _moment(params, "start_date"), _moment(params, "end_date")
    if start and end and end - start > QUERY_SPAN:
        raise bad(_("start_date and end_date may not span more than 90 days."))
    if start and end and end < start:
        raise bad(_("end_date is before start_date."))
    if end is None:
        end = start + QUERY_SPAN if start else now
    if start is None:
        start = end - QUERY_SPAN
    return RequestQuery([], codes[:ID_LIST_MAX], statuses, start, end)


# --- the body of POST requests --------------------------------------------------------------


class BadRequest(Exception):
    """The body cannot be read at all (not JSON, too large, wrong shape)."""

    def __init__(self, description: str) -> None:
        super().__init__(description)
        self.description = description


def posted(request: HttpRequest) -> tuple[dict, dict]:
    """The sent parameters and the attributes (``attribute[code]=value``, or in JSON an object
    ``attribute``), each as sent.

    A body past the upload limits raises Django's ``RequestDataTooBig``/``TooManyFieldsSent``,
    which the view answers with the same 413 as the JSON API (``core.errors.edge_error``)."""
    content_type = request.content_type or ""
    if content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            raise BadRequest(_("The request body is not valid JSON.")) from None
        if not isinstance(data, dict):
            raise BadRequest(_("The request body must be a JSON object."))
        attributes = data.pop("attribute", None) or {}
        if not isinstance(attributes, dict):
            raise BadRequest(_("attribute must be an object of code → value."))
        return data, attributes
    form = request.POST
    params, attributes = {}, {}
    for key in form:
        match = ATTRIBUTE_KEY.match(key)
        if match:
            values = form.getlist(key)
            attributes[match.group(1)] = values if match.group(2) else values[-1]
        else:
            params[key] = form.get(key)
    return params, attributes


# --- fields -------------------------------------------------------------------------------------


class Text(forms.CharField):
    """Text only (a JSON body may send numbers, lists, objects), stripped, without NUL."""

    default_error_messages = {
        "type": gettext_lazy("Must be text."),
        "nul": gettext_lazy("Contains a NUL character."),
        "max_length": gettext_lazy("Too long (at most %(limit_value)d characters)."),
    }

    def to_python(self, value: Any) -> str:
        wrong_type = isinstance(value, bool) or not isinstance(value, str | int | float)
        if value is not None and wrong_type:
            raise ValidationError(self.error_messages["type"], code="type")
        text = super().to_python(value)
        if "\x00" in text:
            raise ValidationError(self.error_messages["nul"], code="nul")
        return text


class Coordinate(forms.Field):
    """A WGS84 latitude or longitude: a finite number within ``bound``."""

    default_error_messages = {
        "invalid": gettext_lazy("Must be a number."),
        "range": gettext_lazy("Must be between -%(bound)d and %(bound)d."),
    }

    def __init__(self, *, bound: int, **kwargs) -> None:
        self.bound = bound
        super().__init__(required=False, **kwargs)

    def to_python(self, value: Any) -> float | None:
        if value in (None, ""):
            return None
        if isinstance(value, bool | list | dict):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not math.isfinite(number) or abs(number) > self.bound:
            raise ValidationError(
                self.error_messages["range"], code="range", params={"bound": self.bound}
            )
        return number


class YesNo(forms.Field):
    """``true`` / ``false`` (a JSON boolean too); absent or empty is false."""

    default_error_messages = {"invalid": gettext_lazy("Must be true or false.")}

    def __init__(self, **kwargs) -> None:
        super().__init__(required=False, **kwargs)

    def to_python(self, value: Any) -> bool:
        if isinstance(value, bool):
            return value
        if value in (None, ""):
            return False
        if isinstance(value, str) and value.strip() in YES_NO:
            return value.strip() == "true"
        raise ValidationError(self.error_messages["invalid"], code="invalid")


# --- the form -----------------------------------------------------------------------------------


class Open311RequestForm(forms.Form):
    """The fields of ``POST requests`` that describe the complaint (``api_key``,
    ``jurisdiction_id`` and ``service_code`` are the view's: they decide 403 and 404)."""

    description = Text(
        max_length=DESCRIPTION_MAX,
        error_messages={"required": gettext_lazy("Please describe your complaint.")},
    )
    lat = Coordinate(bound=90)
    long = Coordinate(bound=180)
    address_string = Text(max_length=300, required=False)
    address_id = Text(max_length=100, required=False)
    email = Text(
        max_length=254,
        required=False,
        validators=[EmailValidator(message=gettext_lazy("Not a valid email address."))],
    )
    first_name = Text(max_length=70, required=False)
    last_name = Text(max_length=70, required=False)
    phone = Text(max_length=40, required=False, validators=[validate_phone])
    media_url = Text(
        max_length=500,
        required=False,
        validators=[
            URLValidator(
                schemes=["http", "https"], message=gettext_lazy("Not a valid http(s) URL.")
            )
        ],
    )
    device_id = Text(max_length=100, required=False)
    account_id = Text(max_length=100, required=False)

    def __init__(self, params: dict, attributes: dict) -> None:
        data = {name: value for name, value in params.items() if name in self.base_fields}
        self.unknown_attributes = sorted(str(c) for c in attributes if c not in ATTRIBUTE_CODES)
        for code in ATTRIBUTE_CODES:
            if code in attributes:
                data[f"attribute[{code}]"] = attributes[code]
        super().__init__(data)
        self.fields["attribute[subject]"] = Text(max_length=SUBJECT_MAX, required=False)
        self.fields["attribute[anonymous]"] = YesNo()
        self.fields["attribute[confidential]"] = YesNo()

    def clean(self) -> dict:
        data = super().clean()
        if self.unknown_attributes:
            raise ValidationError(
                _("Unknown attribute: %(codes)s.")
                % {"codes": ", ".join(self.unknown_attributes)[:200]}
            )
        if self.errors:
            return data
        if (data.get("lat") is None) != (data.get("long") is None):
            raise ValidationError(_("lat and long must be sent together."))
        if data.get("lat") is None and not data["address_string"] and not data["address_id"]:
            raise ValidationError(
                _("A location is required: lat and long, address_string or address_id.")
            )
        return data

    def first_error(self) -> str:
        """The first problem, as the error document's description: ``field: message``."""
        for name, errors in self.errors.items():
            if name == forms.forms.NON_FIELD_ERRORS:
                return str(errors[0])
            return f"{name}: {errors[0]}"
        return ""

    def complaint(self) -> dict:
        """The validated complaint, as ``open311_request_create`` takes it."""
        data = self.cleaned_data
        return {
            "description": data["description"],
            "subject": data["attribute[subject]"],
            "anonymous": data["attribute[anonymous]"],
            "confidential": data["attribute[confidential]"],
            "lat": data["lat"],
            "long": data["long"],
            "address_string": data["address_string"],
            "address_id": data["address_id"],
            "media_url": data["media_url"],
            "first_name": data["first_name"],
            "last_name": data["last_name"],
            "email": data["email"],
            "phone": data["phone"],
            "device_id": data["device_id"],
            "account_id": data["account_id"],
        }
