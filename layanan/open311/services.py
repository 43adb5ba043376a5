"""Filing a complaint through Open311: the complaints service, plus what GeoReport sends beside
the complaint (``Open311Request``), in one transaction."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from layanan.accounts.permissions import can
from layanan.api.models import ApiToken
from layanan.api.permissions import token_reaches
from layanan.cases.models import Case, Channel
from layanan.catalog.models import ServiceStandard
from layanan.complaints.services import complaint_create
from layanan.core.errors import NotPermitted
from layanan.core.models import Unit

from .models import Open311Request


@transaction.atomic
def open311_request_create(
    *,
    token: ApiToken,
    unit: Unit,
    standard: ServiceStandard,
    description: str,
    subject: str = "",
    anonymous: bool = False,
    confidential: bool = False,
    lat: float | None = None,
    long: float | None = None,
    address_string: str = "",
    address_id: str = "",
    media_url: str = "",
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    phone: str = "",
    device_id: str = "",
    account_id: str = "",
) -> Case:
    """Record the complaint with ``complaint_create`` — the service of the web form and the
    JSON API, so the same rules hold (anonymity, channel ``api``, the provisional deadline, the
    ``received`` event and the reporter's notification) — recorded by the token's user, and
    keep the GeoReport fields beside it.

    Anonymous: nothing that identifies the sender is stored, the client's ``device_id`` and
    ``account_id`` included (``complaint_create`` drops name, email and phone)."""
    user = token.user
    if not can(user, "case.create", unit) or not token_reaches(token, unit):
        raise NotPermitted(
            _("This api_key may not file requests for jurisdiction “%(id)s”.") % {"id": unit.slug},
            "token_out_of_scope",
        )
    if anonymous:
        first_name = last_name = email = phone = device_id = account_id = ""
    case = complaint_create(
        actor=user,
        unit=unit,
        standard=standard,
        channel=Channel.API,
        description=description,
        subject=subject,
        location=address_string,
        requester_name=" ".join(filter(None, [first_name, last_name])),
        requester_email=email,
        requester_phone=phone,
        anonymous=anonymous,
        confidential=confidential,
    )
    Open311Request.objects.create(
        case=case,
        lat=lat,
        long=long,
        address_string=address_string,
        address_id=address_id,
        media_url=media_url,
        device_id=device_id,
        account_id=account_id,
        attributes={
            "subject": subject,
            "anonymous": "true" if anonymous else "false",
            "confidential": "true" if confidential else "false",
        },
        api_token=token,
    )
    return case
