"""Response shapes of the complaint endpoints (what openapi.json shows): the filing's answer,
the tracking answer, a complaint in the staff list and in its detail. ``complaint_data`` fills
them."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from layanan.cases.models import Channel, SlaState, Status

from .complaint_schemas import _examples
from .schemas import ErrorOut

RequesterState = Literal["shown", "anonymous", "withheld"]
ComplaintAction = Literal["verify", "classify", "assign", "answer", "close", "reject"]


class ComplaintCreatedOut(Schema):
    model_config = ConfigDict(
        json_schema_extra=_examples(
            {
                "id": 123,
                "number": "KESRA/ADU/2026/000123",
                "public_code": "K7QM-2HXP-9RTA",
                "status": "received",
                "due_at": "2026-08-03T12:15:00+07:00",
                "tracking_url": "https://layanan.example.go.id/api/v1/track/K7QM-2HXP-9RTA",
            }
        )
    )

    id: int
    number: str = Field(description="Case number, e.g. KESRA/ADU/2026/000123.")
    public_code: str = Field(description="Tracking code for the reporter (to be kept).")
    status: Status
    due_at: datetime | None = Field(
        description="When the answer is due (office time, with its offset); provisional until "
        "the complaint is classified."
    )
    tracking_url: str = Field(description="`GET` it to follow the complaint (no token).")


class StaffOnlyOut(ErrorOut):
    fields: list[str] = Field(description="The staff-only fields that were sent.")


# --- public tracking --------------------------------------------------------------------------


class UnitBriefOut(Schema):
    slug: str
    name: str


class PublicEventOut(Schema):
    at: datetime
    label: str = Field(description="What happened, in the negotiated language.")
    status: Status | None = Field(description="The status reached, for status changes.")
    note: str = Field(
        description="The message the office wrote for the reporter with this step (its "
        "`public_note`); staff notes never appear here."
    )


class TrackOut(Schema):
    model_config = ConfigDict(
        json_schema_extra=_examples(
            {
                "number": "KESRA/ADU/2026/000123",
                "public_code": "K7QM-2HXP-9RTA",
                "unit": {"slug": "biro-kesra", "name": "Biro Kesejahteraan Rakyat"},
                "status": "answered",
                "status_label": "Dijawab",
                "received_at": "2026-08-03T09:15:00+07:00",
                "due_at": "2026-08-10T16:00:00+07:00",
                "answered_at": "2026-08-06T10:02:00+07:00",
                "closed_at": None,
                "timeline": [
                    {
                        "at": "2026-08-03T09:15:00+07:00",
                        "label": "Pengaduan diterima",
                        "status": "received",
                        "note": "",
                    },
                    {
                        "at": "2026-08-06T10:02:00+07:00",
                        "label": "Jawaban diberikan",
                        "status": "answered",
                        "note": "",
                    },
                ],
                "answer": "Petugas loket telah kami tegur dan jadwal piket diperbaiki.",
            }
        )
    )

    number: str
    public_code: str
    unit: UnitBriefOut
    status: Status
    status_label: str
    received_at: datetime
    due_at: datetime | None
    answered_at: datetime | None
    closed_at: datetime | None
    timeline: list[PublicEventOut] = Field(description="Public steps, oldest first.")
    answer: str | None = Field(description="The answer, once the complaint is answered.")


# --- staff: reads -----------------------------------------------------------------------------


class RequesterOut(Schema):
    name: str
    email: str
    phone: str
    organisation: str


COMPLAINT_EXAMPLE = {
    "id": 123,
    "number": "KESRA/ADU/2026/000123",
    "unit": {"slug": "biro-kesra", "name": "Biro Kesejahteraan Rakyat"},
    "standard": "pelayanan-konsultasi",
    "channel": "web",
    "channel_label": "Web form",
    "status": "received",
    "status_label": "Received",
    "subject": "Petugas tidak ada di loket",
    "description": "Saya datang pukul 09.00, loket konsultasi kosong sampai 10.30.",
    "location": "Kantor Gubernur, lantai 2",
    "class_code": "",
    "class_name": "",
    "classified_at": None,
    "lapor_number": "",
    "is_anonymous": False,
    "is_confidential": True,
    "requester": None,
    "requester_state": "withheld",
    "received_at": "2026-08-03T09:15:00+07:00",
    "due_at": "2026-08-03T12:15:00+07:00",
    "first_response_at": None,
    "answered_at": None,
    "closed_at": None,
    "is_overdue": False,
    "is_paused": False,
    "sla_state": "on_track",
    "assigned_unit": None,
    "assignee": None,
    "url": "https://layanan.example.go.id/api/v1/complaints/123",
}


class ComplaintOut(Schema):
    model_config = ConfigDict(json_schema_extra=_examples(COMPLAINT_EXAMPLE))

    id: int
    number: str
    unit: UnitBriefOut
    standard: str | None = Field(description="Slug of the service standard, if any.")
    channel: Channel
    channel_label: str
    status: Status
    status_label: str
    subject: str
    description: str
    location: str
    class_code: str = Field(description="Blank until classified.")
    class_name: str
    classified_at: datetime | None
    lapor_number: str
    is_anonymous: bool
    is_confidential: bool
    requester: RequesterOut | None = Field(
        description="Who filed it, when this answer may carry it (see `requester_state`)."
    )
    requester_state: RequesterState = Field(
        description="`shown`; `anonymous` (no identity is stored at all); `withheld` (the "
        "caller may not see it, or it is confidential: only the unit's complaint officer gets "
        "it, from `GET /complaints/{id}`, and that reading is recorded on the timeline)."
    )
    received_at: datetime
    due_at: datetime | None
    first_response_at: datetime | None
    answered_at: datetime | None
    closed_at: datetime | None
    is_overdue: bool = Field(description="Open, clock running and past `due_at`.")
    is_paused: bool = Field(description="Waiting on the reporter: the clock stands still.")
    sla_state: SlaState = Field(description="As the last deadline sweep saw it.")
    assigned_unit: UnitBriefOut | None
    assignee: str | None = Field(description="Username of the assignee.")
    url: str


class StaffEventOut(Schema):
    at: datetime
    kind: str = Field(description="`received`, `status`, `classified`, `assigned`, …")
    label: str
    actor: str | None = Field(description="Username; null for the public or the system.")
    old_value: str
    new_value: str
    note: str = Field(description="Internal note: staff only, never shown to the reporter.")
    public_note: str = Field(
        "",
        description="The message for the reporter, shown on the public timeline unless the "
        "event is internal.",
    )
    is_internal: bool = Field(description="Never shown on the public timeline.")


class ComplaintDetailOut(ComplaintOut):
    model_config = ConfigDict(
        json_schema_extra=_examples(
            {
                **COMPLAINT_EXAMPLE,
                "public_code": "K7QM-2HXP-9RTA",
                "requester": {
                    "name": "Budi Santoso",
                    "email": "budi@example.com",
                    "phone": "081234567890",
                    "organisation": "",
                },
                "requester_state": "shown",
                "answer": "",
                "allowed_transitions": [
                    "verified",
                    "in_progress",
                    "waiting_on_requester",
                    "rejected",
                    "withdrawn",
                ],
                "actions": ["verify", "classify", "assign", "reject"],
                "events": [
                    {
                        "at": "2026-08-03T09:15:00+07:00",
                        "kind": "received",
                        "label": "Received",
                        "actor": None,
                        "old_value": "",
                        "new_value": "received",
                        "note": "",
                        "public_note": "",
                        "is_internal": False,
                    },
                    {
                        "at": "2026-08-03T09:40:00+07:00",
                        "kind": "identity_viewed",
                        "label": "Viewed the reporter's identity",
                        "actor": "kesra.officer",
                        "old_value": "",
                        "new_value": "",
                        "note": "",
                        "public_note": "",
                        "is_internal": True,
                    },
                ],
            }
        )
    )

    public_code: str = Field(
        description="The reporter's tracking code: on this complaint's own detail only, "
        "never in lists."
    )
    answer: str = Field(description="The answer given to the reporter; blank until answered.")
    allowed_transitions: list[Status] = Field(
        description="Statuses the complaint may move to next (the caller's role still applies)."
    )
    actions: list[ComplaintAction] = Field(
        description="The actions of this API (`POST /complaints/{id}/<action>`) the caller may "
        "take now, given the status, their role and the token's units."
    )
    events: list[StaffEventOut] = Field(description="The whole timeline, internal included.")
