"""Domain errors. Services raise them; views, forms and the API turn them into 4xx answers."""

from __future__ import annotations


class ApplicationError(Exception):
    """A translated, user-facing error with a stable machine-readable code."""

    status_code = 400
    default_code = "invalid"

    def __init__(self, message: str, code: str | None = None, *, extra: dict | None = None):
        super().__init__(message)
        self.message = str(message)
        self.code = code or self.default_code
        self.extra = extra or {}

    def as_dict(self) -> dict:
        return {"detail": self.message, "code": self.code, **self.extra}


class NotPermitted(ApplicationError):
    status_code = 403
    default_code = "permission_denied"


class NotFound(ApplicationError):
    status_code = 404
    default_code = "not_found"


class Conflict(ApplicationError):
    status_code = 409
    default_code = "conflict"
