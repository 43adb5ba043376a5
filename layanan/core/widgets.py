"""Form widgets the facility and audience forms share (so neither form module imports the
other for them)."""

from __future__ import annotations

from django import forms

#: The value format of ``<input type="datetime-local">``.
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATETIME_LOCAL)
