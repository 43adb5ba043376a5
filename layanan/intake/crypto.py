"""The mailbox password at rest: encrypted with Fernet (``cryptography``), never shown back.

The key is ``INTAKE_SECRET_KEY`` when set (a Fernet key, or any text, which is stretched),
else derived from ``SECRET_KEY``. Changing the key makes stored passwords unreadable: the
poller then reports the mailbox's error and staff enter the password again (or point the
mailbox at an environment variable instead, ``password_env``).
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

__all__ = ["InvalidToken", "decrypt", "encrypt"]


def _fernet() -> Fernet:
    secret = getattr(settings, "INTAKE_SECRET_KEY", "") or settings.SECRET_KEY
    digest = hashlib.sha256(f"layanan.intake.mailbox-password:{secret}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode("ascii")


def decrypt(token: str) -> str:
    """The password; raises ``InvalidToken`` when the key changed or the value was tampered."""
    return _fernet().decrypt(token.encode("ascii")).decode()
