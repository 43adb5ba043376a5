"""How a case's timeline reads on staff pages and in the API: a status, an event kind, in
words. One vocabulary (``events.EVENT_LABELS``), read through these two functions, so that the
case page and ``GET /complaints/{id}`` never call the same step by two names."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .events import EVENT_LABELS
from .models import Status
from .selectors import case_timeline


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


def staff_timeline(case) -> list[dict]:
    """The history on the staff page of a facility or an audience request: the case's events,
    oldest first, each with its time, who did it ("System" for no one), the kind's label
    (``event_label``) and the status before and after."""
    return [
        {
            "at": event.at,
            "actor": event.actor.display_name if event.actor_id else _("System"),
            "label": event_label(event.kind),
            "old": status_label(event.old_value) if event.old_value else "",
            "new": status_label(event.new_value) if event.new_value else "",
            "note": event.note,
        }
        for event in case_timeline(case)
    ]
