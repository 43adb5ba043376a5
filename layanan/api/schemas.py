"""Response shapes of the API (they are what openapi.json documents)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

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
