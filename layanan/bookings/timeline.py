"""The history shown on the staff page of a facility request and of an audience request: each
event of the case with its time, who did it ("System" for no one), the kind's label and the
status before and after."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _

from layanan.cases.models import Status

from .selectors import case_events


def status_label(value: str) -> str:
    """The label of a status value ("" stays ""); an unknown value is shown as it is."""
    if not value:
        return ""
    try:
        return str(Status(value).label)
    except ValueError:
        return value


def staff_timeline(case, labels: Mapping[str, str]) -> list[dict]:
    """The case's events, oldest first, labelled by ``labels`` (event kind → label; a kind
    without one shows as it is)."""
    return [
        {
            "at": event.at,
            "actor": event.actor.display_name if event.actor_id else _("System"),
            "label": str(labels.get(event.kind, event.kind)),
            "old": status_label(event.old_value),
            "new": status_label(event.new_value),
            "note": event.note,
        }
        for event in case_events(case)
    ]
