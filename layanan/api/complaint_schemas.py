"""Request shapes of the complaint endpoints (what openapi.json shows). The field types every
input of the API uses (``Text``, ``Email``, ``Moment``, ``InputSchema``) are in ``schemas``;
the answers' shapes are in ``complaint_outputs``.

Every string is capped at the length the public form and the models allow, so that oversized or
malformed input is a 400 before any service runs.
"""

from __future__ import annotations

from ninja import Field, Schema
from pydantic import AliasChoices, ConfigDict, StrictBool

from layanan.cases.models import Channel, Status
from layanan.core.phones import Phone

from .schemas import Email, InputSchema, Moment, Text

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


def _examples(*examples: dict) -> dict:
    return {"examples": list(examples)}


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
