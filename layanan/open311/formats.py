"""GeoReport v2 documents in XML and JSON, and what the request documents say.

XML follows the spec's examples: a root element (``services``, ``service_requests``,
``errors``, ``discovery``, ``service_definition``), one child per item (``service``,
``request``, ``error``), lists inside an item wrapped in their plural element (``attributes`` /
``attribute``, ``values`` / ``value``, ``endpoints`` / ``endpoint``, ``formats`` / ``format``),
booleans as ``true``/``false``, null as an empty element, UTF-8 with the XML declaration. JSON is
the same structure by the spec's "Spark convention": a list at the root for the plural
documents, an object for ``discovery`` and ``service_definition``, lists for the wrapped lists.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from layanan.cases.models import OPEN_STATUSES, Case, Status
from layanan.cases.numbering import format_public_code
from layanan.catalog.models import ServiceStandard
from layanan.complaints.notifications import tracking_url
from layanan.core.models import Unit
from layanan.workdays.deadlines import format_due

from .forms import SUBJECT_MAX
from .models import Open311Request
from .selectors import request_id

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
XML_TYPE = "text/xml; charset=utf-8"
JSON_TYPE = "application/json; charset=utf-8"

#: The element of each item of a wrapped list.
LIST_ITEMS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _fill(element: Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _fill(SubElement(element, key), child)
    elif isinstance(value, list):
        item_tag = LIST_ITEMS[element.tag]
        for item in value:
            _fill(SubElement(element, item_tag), item)
    else:
        element.text = _text(value)


def xml_document(root: str, body: Any) -> bytes:
    element = Element(root)
    _fill(element, body)
    declaration = '<?xml version="1.0" encoding="utf-8"?>\n'
    return (declaration + tostring(element, encoding="unicode")).encode()


def respond(fmt: str, root: str, body: Any, status: int = 200) -> HttpResponse:
    """``body`` is a list (``root`` holds one item element per entry) or a dict."""
    if fmt == "json":
        content = json.dumps(body, ensure_ascii=False).encode()
        return HttpResponse(content, status=status, content_type=JSON_TYPE)
    return HttpResponse(xml_document(root, body), status=status, content_type=XML_TYPE)


def error_response(fmt: str, status: int, *descriptions: str) -> HttpResponse:
    """The spec's error document: ``errors`` of ``error`` (``code``, ``description``); ``code``
    is the HTTP status, as in the spec's example."""
    body = [{"code": status, "description": str(text)} for text in descriptions]
    return respond(fmt, "errors", body, status=status)


def too_many(fmt: str, wait: int) -> HttpResponse:
    """A 429 in the spec's error document, with ``Retry-After``."""
    response = error_response(
        fmt, 429, _("Too many requests. Try again in %(seconds)d seconds.") % {"seconds": wait}
    )
    response["Retry-After"] = str(wait)
    return response


# --- discovery and services ---------------------------------------------------------------------


def discovery_out(url: str, changed: dt.datetime) -> dict:
    """The discovery document of the endpoint at ``url``, whose catalogue last changed at
    ``changed``."""
    changeset = timezone.localtime(changed).strftime("%Y-%m-%d %H:%M")
    contact = getattr(settings, "OPEN311_CONTACT", "") or _(
        "Questions about this API: write to %(email)s."
    ) % {"email": settings.DEFAULT_FROM_EMAIL}
    return {
        "changeset": changeset,
        "contact": contact,
        "key_service": _(
            "API keys are issued by the office's administrator (admin → API tokens) to a user "
            "who may record complaints in the unit."
        ),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": url,
                "changeset": changeset,
                "type": "test" if settings.DEBUG else "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }


def service_out(standard: ServiceStandard, unit: Unit) -> dict:
    """One service of a jurisdiction's list: a published standard that takes complaints."""
    name = standard.published_version.name or standard.name
    return {
        "service_code": standard.slug,
        "service_name": name,
        "description": _("Complaints about “%(service)s” of %(unit)s.")
        % {"service": name, "unit": unit.name},
        "metadata": True,
        "type": "realtime",
        "keywords": ", ".join([_("complaint"), standard.get_service_kind_display()]),
        "group": unit.name,
    }


# --- what the request documents say -------------------------------------------------------------


def w3(moment: dt.datetime | None) -> str | None:
    """ISO 8601 with the office's offset, e.g. 2026-08-03T09:15:00+07:00."""
    if moment is None:
        return None
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


def public_status(status: str) -> str:
    return "open" if status in OPEN_STATUSES else "closed"


def _open311_row(case: Case) -> Open311Request | None:
    try:
        return case.open311
    except Open311Request.DoesNotExist:
        return None


def request_out(case: Case) -> dict:
    """What anyone may read of a published complaint: no identity, no description (it may name
    the reporter), no tracking code; a location only when filed through Open311 (sent to a
    public API) and not anonymously (a place or a photo may point to the reporter)."""
    extra = None if case.is_anonymous else _open311_row(case)
    standard = case.standard
    return {
        "service_request_id": request_id(case),
        "status": public_status(case.status),
        "status_notes": str(Status(case.status).label),
        "service_name": standard.name if standard else None,
        "service_code": standard.slug if standard else None,
        "description": None,
        "agency_responsible": case.unit.name,
        "service_notice": case.sla_text or None,
        "requested_datetime": w3(case.received_at),
        "updated_datetime": w3(
            case.closed_at if case.status == Status.CLOSED and case.closed_at else case.updated_at
        ),
        "expected_datetime": w3(case.due_at),
        "address": (extra.address_string or None) if extra else None,
        "address_id": (extra.address_id or None) if extra else None,
        "zipcode": None,
        "lat": extra.lat if extra else None,
        "long": extra.long if extra else None,
        "media_url": (extra.media_url or None) if extra else None,
    }


def created_out(case: Case) -> dict:
    """The answer to the filer, the only answer that carries the tracking code: the spec's
    ``service_request_id`` (the public id), ``service_notice`` and ``account_id`` (as stored:
    none for an anonymous filing), plus two fields of our own, ``tracking_code`` and
    ``tracking_url``, for the reporter to keep. The notice repeats the code, for clients that
    show the spec's fields only. Not ``token``: in GeoReport that names a request still waiting
    for an id, and tokens are readable by anyone."""
    code = format_public_code(case.public_code)
    due = ""
    if case.due_at:
        due = _("The answer is due by %(due)s (provisional until the complaint is classified).") % {
            "due": format_due(case.due_at)
        }
    notice = _(
        "Received. %(due)s Tracking code for the reporter: %(code)s. Keep it private: whoever "
        "holds it can read the answer."
    ) % {"due": due, "code": code}
    extra = _open311_row(case)
    return {
        "service_request_id": request_id(case),
        "service_notice": " ".join(notice.split()),
        "account_id": (extra.account_id or None) if extra else None,
        "tracking_code": code,
        "tracking_url": tracking_url(case),
    }


def attribute_definitions() -> list[dict]:
    """The web form's fields that GeoReport has no field for. Every service has them."""
    yes_no = [{"key": "false", "name": _("No")}, {"key": "true", "name": _("Yes")}]
    return [
        {
            "variable": True,
            "code": "subject",
            "datatype": "string",
            "required": False,
            "datatype_description": _("At most %(max)d characters.") % {"max": SUBJECT_MAX},
            "order": 1,
            "description": _("Subject of the complaint, in a few words."),
        },
        {
            "variable": True,
            "code": "anonymous",
            "datatype": "singlevaluelist",
            "required": False,
            "datatype_description": None,
            "order": 2,
            "description": _(
                "Anonymous: name, email, phone, device_id and account_id are discarded before "
                "anything is stored."
            ),
            "values": yes_no,
        },
        {
            "variable": True,
            "code": "confidential",
            "datatype": "singlevaluelist",
            "required": False,
            "datatype_description": None,
            "order": 3,
            "description": _(
                "Confidential: the identity is kept, but shown to the unit's complaint officer "
                "only."
            ),
            "values": yes_no,
        },
    ]
