"""WhatsApp Cloud API adapter (Meta Graph API); numbers go out in the wire format of
``layanan.core.phones``.

Only the HTTP conversation lives here; the outbox decides when to call it. Switched off unless
``WHATSAPP_ENABLED`` is true. Note that the Cloud API delivers free-form text only inside the
24-hour customer-service window that opens when the citizen last wrote to the number; outside
it Meta refuses the message (a permanent error here) and an approved template would be needed.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

import httpx
from django.conf import settings

from layanan.core.phones import to_whatsapp

DEFAULT_API_BASE = "https://graph.facebook.com/v20.0"


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

    def send_text(self, *, to: str, body: str, phone_number_id: str = "") -> str:
        """Send ``body`` to ``to`` (any accepted phone format) from ``phone_number_id`` (default:
        the client's); return the WhatsApp message id. Only inside the 24-hour window."""
        return self._send(
            phone_number_id,
            {
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "to": to_whatsapp(to),
                "type": "text",
                "text": {"preview_url": False, "body": body},
            },
        )

    def send_template(
        self,
        *,
        to: str,
        name: str,
        language: str,
        parameters: list[str] = (),
        phone_number_id: str = "",
    ) -> str:
        """Send the approved template ``name`` in ``language`` with its body ``parameters``
        ({{1}}, {{2}}…); return the WhatsApp message id. Allowed outside the 24-hour window."""
        template: dict[str, Any] = {"name": name, "language": {"code": language}}
        if parameters:
            template["components"] = [
                {
                    "type": "body",
                    "parameters": [
                        {"type": "text", "text": _template_text(value)} for value in parameters
                    ],
                }
            ]
        return self._send(
            phone_number_id,
            {
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "to": to_whatsapp(to),
                "type": "template",
                "template": template,
            },
        )

    def _send(self, phone_number_id: str, payload: dict) -> str:
        sender = phone_number_id or self.phone_number_id
        try:
            response = self._client.post(f"{sender}/messages", json=payload)
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
        raise _error_of(response, data)

    def fetch_media(self, media_id: str, *, max_bytes: int) -> Media:
        """Download a received file: ``GET {base}/{media_id}`` gives its temporary URL (and
        type, size), then ``GET`` that URL with the same bearer token. A file larger than
        ``max_bytes`` is not downloaded (``Media.data`` is None, ``size`` as announced or as
        far as read); a checksum that does not match the announced SHA-256 is an error."""
        if not media_id or "/" in media_id or "?" in media_id:
            raise WhatsAppError(f"not a media id: {media_id!r}", permanent=True)
        try:
            response = self._client.get(media_id)
        except httpx.HTTPError as error:
            raise WhatsAppError(f"{type(error).__name__}: {error}") from error
        info = _json(response)
        if not response.is_success:
            raise _error_of(response, info)
        if not isinstance(info, dict) or not info.get("url"):
            raise WhatsAppError(
                f"unexpected answer from the WhatsApp API: {response.text[:300]}",
                status_code=response.status_code,
            )
        mime_type = str(info.get("mime_type") or "")
        try:
            announced = int(info.get("file_size") or 0)
        except (TypeError, ValueError):
            announced = 0
        if announced > max_bytes:
            return Media(mime_type=mime_type, size=announced, data=None)
        chunks, size = [], 0
        try:
            with self._client.stream("GET", str(info["url"])) as download:
                if not download.is_success:
                    download.read()
                    raise _error_of(download, _json(download))
                for chunk in download.iter_bytes():
                    size += len(chunk)
                    if size > max_bytes:
                        return Media(mime_type=mime_type, size=size, data=None)
                    chunks.append(chunk)
        except httpx.HTTPError as error:
            raise WhatsAppError(f"{type(error).__name__}: {error}") from error
        data = b"".join(chunks)
        expected = str(info.get("sha256") or "").lower()
        if expected and hashlib.sha256(data).hexdigest() != expected:
            raise WhatsAppError(f"media {media_id}: the file does not match its SHA-256")
        return Media(mime_type=mime_type, size=len(data), data=data)


@dataclass(frozen=True)
class Media:
    mime_type: str
    size: int
    data: bytes | None  # None: larger than allowed, not downloaded


_TEMPLATE_SPACES = re.compile(r"[\t\n\r]+| {4,}")


def _template_text(value: str) -> str:
    """A template parameter may hold no new line, tab or run of 4+ spaces (Cloud API rule)."""
    return _TEMPLATE_SPACES.sub(" ", str(value)).strip()[:1024] or "-"


def _error_of(response: httpx.Response, data: Any) -> WhatsAppError:
    error = data.get("error") if isinstance(data, dict) else None
    error = error if isinstance(error, dict) else {}
    code = error.get("code")
    detail = error.get("message") or response.text[:300]
    permanent = response.status_code in (400, 404) and (code in _PERMANENT_CODES or code is None)
    return WhatsAppError(
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
