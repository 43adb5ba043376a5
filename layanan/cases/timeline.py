"""How a case's timeline reads on staff pages and in the API: a status, an event kind, in
words. One vocabulary (``events.EVENT_LABELS``), read through these two functions, so that the
case page and ``GET /complaints/{id}`` never call the same step by two names."""

from __future__ import annotations

from .events import EVENT_LABELS
from .models import Status


def status_label(value: str) -> str:
    """The label of a status value; an unknown value (an old status) as it is stored."""
    try:
        return str(Status(value).label)
    except ValueError:
        return value


def event_label(kind: str) -> str:
    """What an event of ``kind`` is called; an unknown kind as it is stored."""
    label = EVENT_LABELS.get(kind)
    return str(label) if label else kind
