"""WhatsApp Cloud API adapter (Meta Graph API) and Indonesian phone-number normalisation.

Only the HTTP conversation lives here; the outbox decides when to call it. Switched off unless
``WHATSAPP_ENABLED`` is true. Note that the Cloud API delivers free-form text only inside the
24-hour customer-service window that opens when the citizen last wrote to the number; outside
it Meta refuses the message (a permanent error here) and an approved template would be needed.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
from django.conf import settings

DEFAULT_API_BASE = "https://graph.facebook.com/v20.0"

_SEPARATORS = re.compile(r"[\s\-.()/]")


class InvalidPhoneNumber(ValueError):
    pass


def normalise_phone(number: str) -> str:
    """E.164 digits without "+", as the Cloud API wants them; Indonesian numbers get 62.

    >>> normalise_phone("0858-1234-5678")
    '6285812345678'
    >>> normalise_phone("+62 858 1234 5678")
    '6285812345678'
    >>> normalise_phone("85812345678")
    '6285812345678'
    >>> normalise_phone("+31 6 1234 5678")
    '31612345678'
    """
    raw = (number or "").strip()
    digits = _SEPARATORS.sub("", raw)
    international = digits.startswith("+") or digits.startswith("00")
    digits = digits.removeprefix("+")
    if digits.startswith("00"):
        digits = digits[2:]
    if not digits.isdigit():
        raise InvalidPhoneNumber(f"not a phone number: {number!r}")
    if not international:
        if digits.startswith("0"):  # national format: 0858… → 62858…
            digits = "62" + digits[1:]
        elif digits.startswith("8"):  # mobile number without the trunk prefix
            digits = "62" + digits
    if digits.startswith("620"):  # +62 0858… written by hand
        digits = "62" + digits[3:]
    if digits.startswith("62"):
        if not 10 <= len(digits) <= 15:
            raise InvalidPhoneNumber(f"not an Indonesian phone number: {number!r}")
    elif not international or not 8 <= len(digits) <= 15:
        raise InvalidPhoneNumber(f"not a phone number: {number!r}")
    return digits


class WhatsAppError(Exception):
    """A send that did not succeed. ``permanent`` errors will not succeed on a retry."""

    def __init__(self, message: str, *, status_code: int | None = None, permanent: bool = False):
        super().__init__(message)
        self.status_code = status_code
        self.permanent = permanent


# Graph API error codes that no retry will fix: invalid parameter, recipient not on WhatsApp,
# outside the 24-hour window (re-engagement), unsupported message type.
_PERMANENT_CODES = {100, 131008, 131009, 131021, 131026, 131047, 131051}


class WhatsAppCloudClient:
    """Sends text messages through ``POST {base}/{phone_number_id}/messages``."""

    def __init__(
        self,
        *,
        token: str,
        phone_number_id: str,
        base_url: str = DEFAULT_API_BASE,
        timeout: float = 10.0,
        transport: httpx.BaseTransport | None = None,
    ):
        if not token or not phone_number_id:
            raise ValueError("WHATSAPP_TOKEN and WHATSAPP_PHONE_NUMBER_ID must be set")
        self.phone_number_id = phone_number_id
        self._client = httpx.Client(
            base_url=base_url.rstrip("/") + "/",
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
            timeout=timeout,
            transport=transport,
        )

    @classmethod
    def from_settings(cls) -> WhatsAppCloudClient:
        return cls(
            token=settings.WHATSAPP_TOKEN,
            phone_number_id=settings.WHATSAPP_PHONE_NUMBER_ID,
            base_url=settings.WHATSAPP_API_BASE,
            timeout=settings.WHATSAPP_TIMEOUT,
        )

    def __enter__(self) -> WhatsAppCloudClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def send_text(self, *, to: str, body: str) -> str:
        """Send ``body`` to ``to`` (any accepted phone format); return the WhatsApp message id."""
        payload = {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": normalise_phone(to),
            "type": "text",
            "text": {"preview_url": False, "body": body},
        }
        try:
            response = self._client.post(f"{self.phone_number_id}/messages", json=payload)
        except httpx.HTTPError as error:  # connection refused, timeout, TLS…
            raise WhatsAppError(f"{type(error).__name__}: {error}") from error
        data = _json(response)
        if response.is_success:
            try:
                return str(data["messages"][0]["id"])
            except (KeyError, IndexError, TypeError):
                raise WhatsAppError(
                    f"unexpected answer from the WhatsApp API: {response.text[:300]}",
                    status_code=response.status_code,
                ) from None
        error = data.get("error") if isinstance(data, dict) else None
        error = error if isinstance(error, dict) else {}
        code = error.get("code")
        detail = error.get("message") or response.text[:300]
        permanent = response.status_code in (400, 404) and (
            code in _PERMANENT_CODES or code is None
        )
        raise WhatsAppError(
            f"HTTP {response.status_code}"
            + (f" (code {code})" if code is not None else "")
            + f": {detail}",
            status_code=response.status_code,
            permanent=permanent,
        )


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return {}
