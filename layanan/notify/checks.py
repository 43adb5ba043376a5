"""System checks for the notification settings."""

from __future__ import annotations

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.compatibility)
def whatsapp_settings(app_configs=None, **kwargs):
    if not settings.WHATSAPP_ENABLED:
        return []
    missing = [
        name
        for name in ("WHATSAPP_TOKEN", "WHATSAPP_PHONE_NUMBER_ID")
        if not getattr(settings, name, "")
    ]
    if not missing:
        return []
    return [
        checks.Error(
            f"WHATSAPP_ENABLED is true but {' and '.join(missing)} is not set.",
            hint="Set them in the environment, or set WHATSAPP_ENABLED=false.",
            id="notify.E001",
        )
    ]
