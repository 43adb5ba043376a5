"""The report presenter: shapes an evaluation's figures for people — durations in words, the SVG
charts, the rows of the dashboards' tables. The pages (``views.py``) and the PDF
(``exports.py``) both render through it; it reads nothing from the database."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .charts import bar_chart, line_chart
from .metrics import Month
from .summary import Evaluation


def format_seconds(seconds: float | None) -> str:
    """A duration for people: "45 min", "3 h 20 min", "2 d 4 h" (24-hour days)."""
    if seconds is None:
        return "–"
    minutes = round(seconds / 60)
    if minutes < 60:
        return _("%(m)s min") % {"m": minutes}
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        if minutes:
            return _("%(h)s h %(m)s min") % {"h": hours, "m": minutes}
        return _("%(h)s h") % {"h": hours}
    days, hours = divmod(hours, 24)
    if hours:
        return _("%(d)s d %(h)s h") % {"d": days, "h": hours}
    return _("%(d)s d") % {"d": days}


def charts_for(ev: Evaluation) -> dict:
    """The SVG charts of an evaluation, keyed for the templates."""
    current = ev.current
    return {
        "kind": bar_chart(
            _("Cases received by kind"), [(row.label, row.value) for row in current.by_kind]
        ),
        "channel": bar_chart(
            _("Cases received by channel"), [(row.label, row.value) for row in current.by_channel]
        ),
        "service": bar_chart(
            _("Cases received by service"),
            [(row.label, row.value) for row in current.by_service[:10]],
        ),
        "on_time": bar_chart(
            _("Finished on time, by service (%)"),
            [(row.label, round(row.rate, 1)) for row in current.on_time if row.rate is not None],
            suffix=" %",
            maximum=100,
        ),
        "classes": bar_chart(
            _("Complaints by class"), [(row.label, row.value) for row in current.classes]
        ),
        "volume_trend": line_chart(
            _("Cases received per month"),
            [(Month.parse(row.key).short_label(), row.value) for row in ev.volume_trend],
        ),
        "ikm_trend": line_chart(
            _("IKM per month (converted, 25–100)"),
            [
                (month.short_label(), float(ikm.converted) if ikm.converted is not None else None)
                for month, ikm in ev.ikm_trend
            ],
            y_min=25,
            y_max=100,
        ),
    }


def dashboard_context(ev: Evaluation) -> dict:
    times = ev.current.durations
    return {
        "ev": ev,
        "cur": ev.current,
        "charts": charts_for(ev),
        "visits_median": format_seconds(ev.current.visits["median"]) if ev.current.visits else "",
        "trend_rows": [
            (vol.label, vol.value, ikm.converted, ikm.respondents)
            for vol, (_m, ikm) in zip(ev.volume_trend, ev.ikm_trend, strict=True)
        ],
        "times": [
            (
                _("Time to first response"),
                times.first_response_n,
                format_seconds(times.first_response_median),
                format_seconds(times.first_response_p90),
            ),
            (
                _("Time to close"),
                times.close_n,
                format_seconds(times.close_median),
                format_seconds(times.close_p90),
            ),
        ],
    }
