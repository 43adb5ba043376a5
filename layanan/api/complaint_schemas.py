"""Request and response shapes of the complaint endpoints (what openapi.json shows).

Input schemas forbid unknown keys (a misspelt ``"anonymus": true`` must fail loudly, not file
a complaint with the reporter's name) and cap every string at the length the public form and the
models allow, so that oversized or malformed input is a 400 before any service runs. Strings
may not contain NUL characters, which PostgreSQL cannot store.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from ninja import Field, Schema
from pydantic import AfterValidator, AliasChoices, BeforeValidator, ConfigDict, StrictBool

from layanan.cases.models import Channel, SlaState, Status
from layanan.core.phones import Phone

from .schemas import ErrorOut

# Limits of the input: those of the public form and of the models.
DESCRIPTION_MAX = 5000
SUBJECT_MAX = 200
LOCATION_MAX = 300
NAME_MAX = 150
EMAIL_MAX = 254
PHONE_MAX = 40
LAPOR_NUMBER_MAX = 40
CLASS_CODE_MAX = 60
UNIT_SLUG_MAX = 80
SERVICE_SLUG_MAX = 100
ANSWER_MAX = 20000
NOTE_MAX = 2000
USERNAME_MAX = 150
SEARCH_MAX = 100


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


def _email_or_blank(value: str) -> str:
    value = value.strip()
    if value:
        try:
            validate_email(value)
        except DjangoValidationError:
            raise ValueError("is not a valid email address") from None
    return value


def _iso_text(value: object) -> object:
    """A moment is an ISO 8601 string, never a number (pydantic would read one as a Unix
    time)."""
    if not isinstance(value, str):
        raise ValueError("must be an ISO 8601 date and time, e.g. 2026-08-03T09:15:00+07:00")
    return value


Text = Annotated[str, AfterValidator(_no_nul)]
Moment = Annotated[datetime, BeforeValidator(_iso_text)]
Email = Annotated[str, AfterValidator(_no_nul), AfterValidator(_email_or_blank)]
RequesterState = Literal["shown", "anonymous", "withheld"]
ComplaintAction = Literal["verify", "classify", "assign", "answer", "close", "reject"]


def _examples(*examples: dict) -> dict:
    return {"examples": list(examples)}


class InputSchema(Schema):
    model_config = ConfigDict(extra="forbid")


# --- filing -----------------------------------------------------------------------------------


class ComplaintIn(InputSchema):
    """A complaint. Everyone may send the fields up to ``confidential``; the staff-only fields
    (``channel``, ``received_at``, ``complaint_class``, ``lapor_number``) need a staff token."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra=_examples(
            {
                "unit": "biro-kesra",
                "service": "pelayanan-konsultasi",
                "subject": "Petugas tidak ada di loket",
                "description": "Saya datang pukul 09.00, loket konsultasi kosong sampai 10.30.",
                "location": "Kantor Gubernur, lantai 2",
                "name": "Budi Santoso",
                "email": "budi@example.com",
                "phone": "081234567890",
                "anonymous": False,
                "confidential": False,
            },
            {
                "unit": "biro-kesra",
                "description": "Laporan dari SP4N-LAPOR!: antrean bantuan sosial tidak tertib.",
                "anonymous": True,
                "channel": "lapor",
                "received_at": "2026-08-03T09:15:00+07:00",
                "complaint_class": "normatif",
                "lapor_number": "LAP-1234567",
            },
        ),
    )

    unit: Text = Field(max_length=UNIT_SLUG_MAX, description="Slug of the unit complained to.")
    service: Text | None = Field(
        None,
        max_length=SERVICE_SLUG_MAX,
        description="Slug of a published service standard of that unit (optional).",
    )
    description: Text = Field(max_length=DESCRIPTION_MAX, description="What happened.")
    subject: Text = Field("", max_length=SUBJECT_MAX)
    location: Text = Field("", max_length=LOCATION_MAX, description="Where it happened.")
    name: Text = Field("", max_length=NAME_MAX, description="The reporter's name (optional).")
    email: Email = Field("", max_length=EMAIL_MAX)
    phone: Phone = Field(
        "",
        max_length=PHONE_MAX,
        description="Any usual spelling (0812-3456-7890, +62 812 3456 7890); stored in E.164.",
    )
    anonymous: StrictBool = Field(
        False, description="Store no identity at all: name, email and phone are discarded."
    )
    confidential: StrictBool = Field(
        False,
        description="Keep the identity, but show it to the unit's complaint officer only.",
    )
    # Staff only
    channel: Channel | None = Field(
        None, description="Staff only. How the complaint arrived (default for tokens: `api`)."
    )
    received_at: Moment | None = Field(
        None,
        description="Staff only. When it really arrived (ISO 8601; without an offset it is "
        "office time, Asia/Pontianak). Not in the future. Default: now.",
    )
    complaint_class: Text | None = Field(
        None,
        max_length=CLASS_CODE_MAX,
        description="Staff only. Code of a complaint class of the unit's standard.",
    )
    lapor_number: Text | None = Field(
        None,
        max_length=LAPOR_NUMBER_MAX,
        description="Staff only. The SP4N-LAPOR! tracking number (required with `lapor`).",
    )


STAFF_ONLY_FIELDS = ("channel", "received_at", "complaint_class", "lapor_number")


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


class ComplaintFilters(Schema):
    status: Status | None = Field(None, description="Only complaints in this status.")
    complaint_class: str | None = Field(
        None,
        alias="class",
        max_length=CLASS_CODE_MAX,
        description="Only complaints of this class (code); `-` for not classified yet.",
    )
    channel: Channel | None = Field(None, description="Only complaints that came this way.")
    overdue: bool | None = Field(
        None,
        description="true: open, clock running (not waiting on the reporter) and past "
        "`due_at`; false: all the others.",
    )
    unit: str | None = Field(
        None,
        max_length=UNIT_SLUG_MAX,
        description="Unit slug: complaints to this unit and the units below it.",
    )
    q: str | None = Field(
        None,
        max_length=SEARCH_MAX,
        description="Search number, tracking code, subject, description and LAPOR! number, and "
        "the reporter's name, e-mail, phone or organisation where the caller may see the "
        "identity: never of an anonymous complaint, of a confidential one only for its unit's "
        "complaint officer.",
    )


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


# --- staff: actions ---------------------------------------------------------------------------


class NoteIn(InputSchema):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra=_examples(
            {
                "note": "Berkas lengkap; pelapor sudah ditelepon.",
                "public_note": "Pengaduan Anda lengkap dan akan kami tindak lanjuti.",
            }
        ),
    )

    note: Text = Field(
        "",
        max_length=NOTE_MAX,
        description="Optional internal note: staff only, the reporter never reads it.",
    )
    public_note: Text = Field(
        "",
        max_length=NOTE_MAX,
        description="Optional message to the reporter: shown on the public timeline.",
    )


class ClassifyIn(InputSchema):
    model_config = ConfigDict(
        extra="forbid",
        populate_by_name=False,
        json_schema_extra=_examples({"class": "normatif"}),
    )

    complaint_class: Text = Field(
        max_length=CLASS_CODE_MAX,
        validation_alias=AliasChoices("class", "complaint_class"),
        serialization_alias="class",
        description="Code of a complaint class of the unit's standard (`complaint_class` is "
        "accepted too).",
    )


class AssignIn(InputSchema):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra=_examples(
            {"division": "kesra-bina-mental", "assignee": "kesra.handler", "note": "Mohon cek."}
        ),
    )

    division: Text = Field(
        max_length=UNIT_SLUG_MAX,
        description="Slug of the unit that handles it (the complaint's unit or one below it).",
    )
    assignee: Text | None = Field(
        None,
        max_length=USERNAME_MAX,
        description="Username of someone who may work on that division's cases (optional).",
    )
    note: Text = Field(
        "",
        max_length=NOTE_MAX,
        description="Internal instruction: staff only, the reporter never reads it.",
    )


class AnswerIn(InputSchema):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra=_examples(
            {"answer": "Petugas loket telah kami tegur dan jadwal piket diperbaiki."}
        ),
    )

    answer: Text = Field(max_length=ANSWER_MAX, description="Shown to the reporter.")


class RejectIn(InputSchema):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra=_examples(
            {"reason": "Bukan kewenangan Biro Kesra; silakan ajukan ke Dinas Sosial."}
        ),
    )

    reason: Text = Field(
        max_length=NOTE_MAX,
        description="Required; the reporter reads it on the public timeline.",
    )
    note: Text = Field(
        "",
        max_length=NOTE_MAX,
        description="Optional internal note: staff only, the reporter never reads it.",
    )
