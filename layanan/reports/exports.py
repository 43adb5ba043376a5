"""The monthly evaluation and the SKM report as PDF (WeasyPrint, from the same HTML templates the
pages use) and XLSX (openpyxl: one sheet per table, numbers as numbers so the office can sum and
chart them further)."""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from layanan.core.models import Unit

from .metrics import Month
from .skm import SkmReport
from .summary import Evaluation, hours

# --- file names ----------------------------------------------------------------------------------


def evaluation_filename(unit: Unit, month: Month, ext: str) -> str:
    return f"evaluasi-{unit.slug}-{month}.{ext}"


def skm_filename(report: SkmReport, ext: str) -> str:
    return f"skm-{report.unit.slug}-{report.start:%Y%m%d}-{report.end:%Y%m%d}.{ext}"


# --- PDF -----------------------------------------------------------------------------------------


def _pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html).write_pdf()


def evaluation_pdf(ev: Evaluation) -> bytes:
    """The month's figures, then the record of that month's evaluation meeting(s): date,
    attendees, decisions, the actions agreed and those carried over (layanan/evaluation)."""
    from layanan.evaluation.selectors import meetings_for_month

    from .views import dashboard_context

    return _pdf(
        "reports/pdf_monthly.html",
        {
            **dashboard_context(ev),
            "meetings": meetings_for_month(ev.unit, ev.month.first_day),
            "now": timezone.now(),
        },
    )


def skm_pdf(report: SkmReport) -> bytes:
    from .charts import bar_chart

    chart = bar_chart(
        _("NRR per element (1–4)"),
        [(str(e.element.name), float(e.nrr_display)) for e in report.ikm.elements],
        maximum=4,
    )
    return _pdf("reports/pdf_skm.html", {"report": report, "chart": chart, "now": timezone.now()})


# --- XLSX ----------------------------------------------------------------------------------------


def _sheet(workbook, title: str, header: list[str], rows: list[list]):
    from openpyxl.styles import Font

    sheet = workbook.create_sheet(title[:31])
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for column in sheet.columns:
        width = max(len(str(c.value)) if c.value is not None else 0 for c in column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 60)
    return sheet


def _save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def evaluation_xlsx(ev: Evaluation) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    cur, prev = ev.current, ev.previous
    summary = _sheet(
        wb,
        _("Summary"),
        [_("Figure"), ev.month.label(), ev.month.previous().label(), _("Change")],
        [[c.label, c.current, c.previous, c.change] for c in ev.comparison],
    )
    summary.insert_rows(1, 2)
    summary["A1"] = _("Monthly evaluation: %(unit)s, %(month)s") % {
        "unit": ev.unit.name,
        "month": ev.month.label(),
    }
    count = _("Cases")
    _sheet(wb, _("By kind"), [_("Kind"), count], [[r.label, r.value] for r in cur.by_kind])
    _sheet(wb, _("By channel"), [_("Channel"), count], [[r.label, r.value] for r in cur.by_channel])
    _sheet(wb, _("By service"), [_("Service"), count], [[r.label, r.value] for r in cur.by_service])
    _sheet(
        wb,
        _("On time"),
        [_("Service"), _("Finished"), _("On time"), _("On time (%)")],
        [
            [r.label, r.finished, r.on_time, round(r.rate, 1) if r.rate is not None else None]
            for r in cur.on_time
        ],
    )
    d = cur.durations
    _sheet(
        wb,
        _("Times"),
        [_("Measure"), _("Cases"), _("Median (hours)"), _("90th percentile (hours)")],
        [
            [
                _("Time to first response"),
                d.first_response_n,
                hours(d.first_response_median),
                hours(d.first_response_p90),
            ],
            [_("Time to close"), d.close_n, hours(d.close_median), hours(d.close_p90)],
        ],
    )
    _sheet(
        wb,
        _("Open by division"),
        [_("Division"), _("Open"), _("Overdue")],
        [[r.label, r.open, r.overdue] for r in cur.divisions],
    )
    _sheet(
        wb, _("Complaint classes"), [_("Class"), count], [[r.label, r.value] for r in cur.classes]
    )
    if cur.visits is not None:
        v = cur.visits
        _sheet(
            wb,
            _("Visits"),
            [
                _("Visits"),
                _("Served"),
                _("Within the administration time"),
                _("Median administration time (minutes)"),
            ],
            [
                [
                    v["visits"],
                    v["served"],
                    v["within"],
                    round(v["median"] / 60, 1) if v["median"] is not None else None,
                ]
            ],
        )
    _sheet(
        wb,
        _("Trend"),
        [_("Month"), _("Cases received"), _("IKM (converted)"), _("Respondents")],
        [
            [
                vol.label,
                vol.value,
                float(ikm.converted) if ikm.converted is not None else None,
                ikm.respondents,
            ]
            for vol, (_m, ikm) in zip(ev.volume_trend, ev.ikm_trend, strict=True)
        ],
    )
    sat = ev.satisfaction.as_dict()
    _sheet(
        wb,
        _("Satisfaction (IKM)"),
        [_("Figure"), _("Value")],
        [
            [_("Covers"), sat["description"]],
            [_("Respondents"), sat["respondents"]],
            [_("IKM (converted)"), sat["ikm_converted"]],
            [_("Service quality (grade)"), sat["grade"]],
            [_("People served"), sat["population"]],
            [_("Minimum sample"), sat["min_sample"]],
            *[[_("Caution:"), warning] for warning in sat["warnings"]],
        ],
    )
    del prev
    return _save(wb)


def skm_xlsx(report: SkmReport) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    ikm = report.ikm
    head = [
        [_("Unit"), report.unit.name],
        [_("Period"), f"{report.start:%d/%m/%Y} – {report.end:%d/%m/%Y}"],
        [_("Respondents"), ikm.respondents],
        [_("Minimum sample"), ikm.min_sample],
        [_("IKM"), float(round(ikm.ikm, 4)) if ikm.ikm is not None else None],
        [_("IKM (converted)"), float(ikm.converted) if ikm.converted is not None else None],
        [_("Grade"), ikm.grade],
        [_("Performance"), str(ikm.performance)],
        [_("Follow-up plan"), report.follow_up.text if report.follow_up else ""],
    ]
    _sheet(wb, _("SKM"), [_("Item"), _("Value")], head)
    _sheet(
        wb,
        _("Elements"),
        [_("Element"), _("Name"), _("NRR"), _("Weighted NRR"), _("Converted"), _("Grade")],
        [
            [
                e.element.field.upper(),
                str(e.element.name),
                float(e.nrr_display),
                float(round(e.weighted, 4)),
                float(e.converted),
                e.band.grade,
            ]
            for e in ikm.elements
        ],
    )
    for table in report.profile:
        _sheet(
            wb,
            table.title,
            [table.title, _("Respondents")],
            [[label, n] for label, n in table.rows],
        )
    _sheet(wb, _("Suggestions"), [_("Suggestion")], [[c] for c in report.comments])
    return _save(wb)
