"""Clickable contact links for complaint channels (tel:, wa.me, mailto:)."""

from __future__ import annotations

import re


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def international_phone(value: str) -> str:
    """Indonesian number to international digits: 0858… → 62858…, (0561) 736541 → 62561736541."""
    main = re.split(r"(?i)\s*(ext|ekst|psw)\.?\s*", value)[0]
    digits = _digits(main)
    if digits.startswith("62"):
        return digits
    if digits.startswith("0"):
        return "62" + digits[1:]
    return digits


def channel_href(kind: str, value: str) -> str:
    if not value:
        return ""
    if kind == "email" and "@" in value:
        return f"mailto:{value}"
    if kind == "whatsapp" and _digits(value):
        return f"https://wa.me/{international_phone(value)}"
    if kind in {"phone", "fax"} and _digits(value):
        number = "+" + international_phone(value)
        ext = re.search(r"(?i)(?:ext|ekst|psw)\.?\s*(\d+)", value)
        return f"tel:{number},{ext.group(1)}" if ext and kind == "phone" else f"tel:{number}"
    if kind in {"lapor", "website"}:
        url = value if value.startswith("http") else f"https://{value}"
        return url
    return ""
