"""The field types every input of the API uses (``Text``, ``Email``, ``Moment``,
``InputSchema``) and the response shapes the routers share (they are what openapi.json
documents).

Input schemas forbid unknown keys (a misspelt ``"anonymus": true`` must fail loudly, not file
a complaint with the reporter's name). Strings may not contain NUL characters, which PostgreSQL
cannot store; an e-mail address is checked as Django checks one; a moment is ISO 8601 text.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict

# --- input types ------------------------------------------------------------------------------


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


class InputSchema(Schema):
    model_config = ConfigDict(extra="forbid")


# --- names ------------------------------------------------------------------------------------

DurationUnitName = Literal["minutes", "hours", "working_days", "calendar_days"]
UnitKindName = Literal["government", "secretariat", "bureau", "division", "other"]
ServiceKindName = Literal["consultation", "audience", "facility", "other"]


# --- errors -----------------------------------------------------------------------------------


class ErrorOut(Schema):
    detail: str = Field(description="A sentence for people, in the negotiated language.")
    code: str = Field(description="A stable identifier for programs.")


class FieldErrorOut(Schema):
    loc: list[str] = Field(description='Where, e.g. ["query", "limit"].')
    msg: str
    type: str


class ValidationErrorOut(ErrorOut):
    errors: list[FieldErrorOut]


class StandardRefOut(Schema):
    unit: str
    slug: str
    name: str
    url: str


class AmbiguousOut(ErrorOut):
    candidates: list[StandardRefOut]


# --- units ------------------------------------------------------------------------------------


class ContactsOut(Schema):
    address: str
    phone: str
    whatsapp: str
    email: str
    website: str


class UnitOut(Schema):
    slug: str
    name: str
    short_name: str
    kind: UnitKindName
    parent: str | None = Field(description="Slug of the parent unit; null for the root.")
    depth: int = Field(description="0 for the root, 1 for its children, …")
    contacts: ContactsOut
    standards_url: str = Field(description="The unit's published standards (with sub-units).")
    html_url: str


class UnitRefOut(Schema):
    slug: str
    name: str
    short_name: str


# --- standards --------------------------------------------------------------------------------


class StandardSummaryOut(Schema):
    slug: str
    name: str
    unit: UnitRefOut
    service_kind: ServiceKindName
    accepts_complaints: bool
    version: int = Field(description="Number of the published version.")
    decree_number: str | None = Field(description="No. SK; null when the standard names none.")
    published_at: datetime | None
    url: str
    html_url: str


class CompletionTimeOut(Schema):
    value: int | None
    unit: DurationUnitName | None
    text: str = Field(description="As written in the standard.")
    label: str


class FeeOut(Schema):
    free: bool
    amount_idr: int | None
    text: str
    label: str


class FeeSummaryOut(Schema):
    free: bool = Field(description="True only when the standard states the service is free.")
    amount_idr: int | None = Field(
        description="The lowest amount charged (Rp); null when free or not stated."
    )


class ComplaintChannelOut(Schema):
    kind: str
    label: str
    value: str
    href: str | None = Field(description="tel:, mailto:, wa.me or web link; null if none.")


class ComplaintClassOut(Schema):
    code: str
    name: str
    value: int | None
    unit: DurationUnitName | None
    text: str


class ComplaintHandlingOut(Schema):
    channels: list[ComplaintChannelOut]
    flow: list[str]
    classes: list[ComplaintClassOut]


class StaffingOut(Schema):
    count: int | None
    text: str


class EvaluationOut(Schema):
    items: list[str]
    meetings_per_month: int | None
    surveys_per_year: int | None


class ComponentRefOut(Schema):
    key: str
    number: int
    label: str


class StandardDetailOut(StandardSummaryOut):
    """The published version, its 14 components under their keys, in the official order."""

    requirements: list[str]
    procedure: list[str]
    completion_times: list[CompletionTimeOut]
    completion_note: str
    fees: list[FeeOut]
    fee: FeeSummaryOut
    fee_note: str
    products: list[str]
    complaint_handling: ComplaintHandlingOut
    legal_basis: list[str]
    facilities: list[str]
    competence: list[str]
    supervision: list[str]
    staffing: StaffingOut
    service_guarantee: list[str]
    safety_guarantee: list[str]
    evaluation: EvaluationOut
    missing_components: list[ComponentRefOut] = Field(
        description="Components the standard leaves empty, in the official order."
    )


# --- staff ------------------------------------------------------------------------------------


class MembershipOut(Schema):
    unit: str
    unit_name: str
    role: str
    role_label: str


class TokenInfoOut(Schema):
    name: str
    prefix: str
    units: list[str] | None = Field(description="Units the token is limited to; null: none.")
    created_at: datetime
    expires_at: datetime | None


class MeOut(Schema):
    username: str
    full_name: str
    email: str
    is_superuser: bool
    memberships: list[MembershipOut]
    token: TokenInfoOut
