"""The WhatsApp Cloud API webhook: ``/masuk/whatsapp/webhook/`` (no login, no CSRF token: Meta
calls it; every POST is authenticated by its signature instead).

- ``GET``: the verification handshake. ``hub.mode=subscribe`` and ``hub.verify_token`` equal to
  ``WHATSAPP_VERIFY_TOKEN``: 200 with ``hub.challenge`` as plain text; anything else: 403.
- ``POST``: a bad or missing ``X-Hub-Signature-256`` → 403; a body that is not the Cloud API
  envelope → 400; a message change for a phone-number id this installation does not know →
  404, and so are messages for the global number when no unit receives on it (the platform
  retries and, if it goes on, disables the subscription: misconfiguration must be seen,
  docs/intake.md); all logged, nothing stored. Otherwise the body is stored (one short
  transaction) and 200 answered; the work runs after commit (``whatsapp.process_event``).
  Status callbacks and other kinds of change are acknowledged with 200 too, never refused. A
  paused (inactive) number is acknowledged and its deliveries dropped, logged.
"""

from __future__ import annotations

import hmac
import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from django_scopes import scopes_disabled

from .tasks import accept_delivery
from .whatsapp import BadDelivery, parse_delivery, signature_valid
from .whatsapp_numbers import known_number

logger = logging.getLogger("layanan.intake.whatsapp")


def _text(body: str, status: int = 200) -> HttpResponse:
    return HttpResponse(body, status=status, content_type="text/plain; charset=utf-8")


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
@scopes_disabled()  # no user: the delivery names its unit by the business number
def whatsapp_webhook(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _handshake(request)
    body = request.body  # the raw bytes: the signature is over exactly these
    if not signature_valid(body, request.headers.get("X-Hub-Signature-256")):
        logger.warning(
            "whatsapp webhook: refused a POST with a %s signature (%d bytes)",
            "missing" if "X-Hub-Signature-256" not in request.headers else "bad",
            len(body),
        )
        return _text("invalid signature", 403)
    try:
        _data, number_ids, receiving = parse_delivery(body)
    except BadDelivery as error:
        logger.warning("whatsapp webhook: refused a malformed delivery: %s", error)
        return _text("malformed body", 400)
    numbers = {number_id: known_number(number_id) for number_id in number_ids}
    # Unknown: not ours at all, or messages for a number no unit receives on (the global number
    # without WHATSAPP_DEFAULT_UNIT: its status callbacks are still taken).
    unknown = sorted(
        number_id
        for number_id, number in numbers.items()
        if number is None or (number.unit is None and number_id in receiving)
    )
    if unknown:
        logger.warning("whatsapp webhook: refused a delivery for unknown number id(s) %s", unknown)
        return _text("unknown phone number id", 404)
    if numbers and not any(number.active for number in numbers.values()):
        logger.warning("whatsapp webhook: dropped a delivery for inactive number(s) %s", number_ids)
        return _text("ok")
    if not number_ids:
        return _text("ok")  # no messages change (another field): acknowledged, nothing to do
    event = accept_delivery(body, number_ids)
    logger.info("whatsapp webhook: stored event %s", event.pk)
    return _text("ok")


def _handshake(request: HttpRequest) -> HttpResponse:
    token = settings.WHATSAPP_VERIFY_TOKEN
    mode = request.GET.get("hub.mode", "")
    given = request.GET.get("hub.verify_token", "")
    challenge = request.GET.get("hub.challenge", "")
    if mode == "subscribe" and token and hmac.compare_digest(given.encode(), token.encode()):
        return _text(challenge)
    logger.warning("whatsapp webhook: refused a verification request (mode %r)", mode[:20])
    return _text("forbidden", 403)
