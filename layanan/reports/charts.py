"""Server-rendered SVG charts: no JavaScript, readable on a phone (they scale to the width of the
screen through ``viewBox``), printable (plain strokes and fills, no transparency tricks), and
accessible: ``role="img"`` with a ``<title>`` and ``<desc>``; pages put the same numbers in a
table next to each chart.

Two kinds are enough for the reports: horizontal bars (categories with long Indonesian labels
read better across than under the bars) and a line for twelve-month trends.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_ids = itertools.count(1)

BAR_COLOUR = "#1f5f8b"
LINE_COLOUR = "#1f5f8b"
GRID_COLOUR = "#c8d0d8"
TEXT_COLOUR = "#1a1a1a"


def _number(value: float) -> str:
    """Values as the tables show them: whole numbers without decimals, else one decimal, with
    the Indonesian decimal comma when the language is Indonesian."""
    from django.utils.formats import number_format

    if value == int(value):
        return number_format(int(value))
    return number_format(value, 1)


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _heading(title: str) -> str:
    """The chart's title, visible (printed charts need it; screen readers get <title>)."""
    return (
        f'<text x="0" y="18" font-weight="bold" font-size="14" fill="{TEXT_COLOUR}" '
        f'aria-hidden="true">{escape(title)}</text>'
    )


def bar_chart(
    title: str,
    items: Sequence[tuple[str, float]],
    *,
    suffix: str = "",
    maximum: float | None = None,
    width: int = 440,
) -> SafeString:
    """Horizontal bars, one per (label, value), labelled with their values."""
    uid = f"chart{next(_ids)}"
    bar_h, gap, label_w, top = 22, 8, 170, 34
    height = top + max(len(items), 1) * (bar_h + gap) + 4
    top_value = maximum or max((v for _l, v in items), default=0) or 1
    plot_w = width - label_w - 62
    desc = "; ".join(f"{label}: {_number(value)}{suffix}" for label, value in items) or "–"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" role="img" aria-labelledby="{uid}-t {uid}-d" '
        f'font-family="sans-serif" font-size="13">',
        f'<title id="{uid}-t">{escape(title)}</title><desc id="{uid}-d">{escape(desc)}</desc>',
        _heading(title),
    ]
    for i, (label, value) in enumerate(items):
        y = top + i * (bar_h + gap)
        w = max(plot_w * (value or 0) / top_value, 0)
        parts.append(
            f'<text x="{label_w - 8}" y="{y + bar_h * 0.7:.1f}" text-anchor="end" '
            f'fill="{TEXT_COLOUR}"><title>{escape(label)}</title>'
            f"{escape(_truncate(label, 22))}</text>"
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{BAR_COLOUR}"/>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + bar_h * 0.7:.1f}" fill="{TEXT_COLOUR}">'
            f"{escape(_number(value or 0))}{escape(suffix)}</text>"
        )
    if not items:
        parts.append(f'<text x="{label_w}" y="{top + 16}" fill="{TEXT_COLOUR}">–</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def line_chart(
    title: str,
    points: Sequence[tuple[str, float | None]],
    *,
    suffix: str = "",
    y_min: float | None = None,
    y_max: float | None = None,
    width: int = 440,
    height: int = 230,
) -> SafeString:
    """A line through (label, value) points; ``None`` values break the line (no data)."""
    uid = f"chart{next(_ids)}"
    left, right, top, bottom = 40, 22, 40, 40
    values = [v for _l, v in points if v is not None]
    low = y_min if y_min is not None else min([0, *values])
    high = y_max if y_max is not None else max([1, *values])
    if high <= low:
        high = low + 1
    if y_max is None and all(float(v).is_integer() for v in values):
        high = low + math.ceil((high - low) / 4) * 4  # whole-number grid lines for counts
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(len(points) - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return left + i * step, top + plot_h * (1 - (v - low) / (high - low))

    desc = "; ".join(
        f"{label}: {_number(v) + suffix if v is not None else '–'}" for label, v in points
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" role="img" aria-labelledby="{uid}-t {uid}-d" '
        f'font-family="sans-serif" font-size="12">',
        f'<title id="{uid}-t">{escape(title)}</title><desc id="{uid}-d">{escape(desc)}</desc>',
        _heading(title),
    ]
    for k in range(5):  # horizontal grid with values
        v = low + (high - low) * k / 4
        _x, y = xy(0, v)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{GRID_COLOUR}" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{TEXT_COLOUR}">'
            f"{escape(_number(round(v, 1)))}</text>"
        )
    segments: list[list[tuple[float, float]]] = [[]]
    for i, (label, v) in enumerate(points):
        x = left + i * step
        if (len(points) - 1 - i) % max(round(len(points) / 4), 1) == 0:
            parts.append(
                f'<text x="{x:.1f}" y="{height - bottom + 18}" text-anchor="middle" '
                f'fill="{TEXT_COLOUR}">{escape(_truncate(label, 12))}</text>'
            )
        if v is None:
            segments.append([])
            continue
        segments[-1].append(xy(i, v))
    for segment in segments:
        if len(segment) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in segment)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{LINE_COLOUR}" stroke-width="2.5"/>'
            )
        for x, y in segment:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{LINE_COLOUR}"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))
