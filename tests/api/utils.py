"""Helpers shared by the API tests."""

from __future__ import annotations

import json

# Text assertions read the English msgids: the Indonesian catalogue is produced later.
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def bearer(key: str, scheme: str = "Bearer") -> dict:
    return {"HTTP_AUTHORIZATION": f"{scheme} {key}", **EN}


def assert_error(response, status: int, code: str) -> dict:
    """The response is the JSON error shape with this status and code; returns the body."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert body["code"] == code, body
    assert isinstance(body["detail"], str) and body["detail"]
    return body
