"""Form widgets forms of several apps share (the browser's own date and date-time pickers), so
no form module imports another's for them."""

from __future__ import annotations

from django import forms

#: The value format of ``<input type="datetime-local">``.
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


#: The value format of ``<input type="date">``.
DATE = "%Y-%m-%d"


class DateInput(forms.DateInput):
    """The browser's date picker (the value ``YYYY-MM-DD``)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATE)


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATETIME_LOCAL)
