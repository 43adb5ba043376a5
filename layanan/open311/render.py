"""GeoReport v2 documents in XML and JSON.

XML follows the spec's examples: a root element (``services``, ``service_requests``,
``errors``, ``discovery``, ``service_definition``), one child per item (``service``,
``request``, ``error``), lists inside an item wrapped in their plural element (``attributes`` /
``attribute``, ``values`` / ``value``, ``endpoints`` / ``endpoint``, ``formats`` / ``format``),
booleans as ``true``/``false``, null as an empty element, UTF-8 with the XML declaration. JSON is
the same structure by the spec's "Spark convention": a list at the root for the plural
documents, an object for ``discovery`` and ``service_definition``, lists for the wrapped lists.
"""

from __future__ import annotations

import json
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

from django.http import HttpResponse

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
