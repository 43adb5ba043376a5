"""The Open311 errors a view answers with the spec's error document (``formats.error_response``),
raised wherever a request turns out wrong: reading its parameters (400), its key (403), the
jurisdiction or service it names (404)."""

from __future__ import annotations


class Open311Error(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def bad(description: str) -> Open311Error:
    """A 400: a parameter the client must fix."""
    return Open311Error(400, description)
