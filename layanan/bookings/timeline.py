"""The history shown on the staff page of a facility request and of an audience request: each
event of the case with its time, who did it ("System" for no one), the kind's label and the
status before and after."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _

from layanan.cases.selectors import case_timeline
from layanan.cases.timeline import status_label


def staff_timeline(case, labels: Mapping[str, str]) -> list[dict]:
    """The case's events, oldest first, labelled by ``labels`` (event kind → label; a kind
    without one shows as it is)."""
    return [
        {
            "at": event.at,
            "actor": event.actor.display_name if event.actor_id else _("System"),
            "label": str(labels.get(event.kind, event.kind)),
            "old": status_label(event.old_value) if event.old_value else "",
            "new": status_label(event.new_value) if event.new_value else "",
            "note": event.note,
        }
        for event in case_timeline(case)
    ]
