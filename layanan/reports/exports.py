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
from .presenter import dashboard_context
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
        [
            (str(element.element.name), float(element.nrr_display))
            for element in report.ikm.elements
        ],
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
        width = max(len(str(cell.value)) if cell.value is not None else 0 for cell in column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 60)
    return sheet


def _save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def evaluation_xlsx(ev: Evaluation) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    current = ev.current
    summary = _sheet(
        workbook,
        _("Summary"),
        [_("Figure"), ev.month.label(), ev.month.previous().label(), _("Change")],
        [[row.label, row.current, row.previous, row.change] for row in ev.comparison],
    )
    summary.insert_rows(1, 2)
    summary["A1"] = _("Monthly evaluation: %(unit)s, %(month)s") % {
        "unit": ev.unit.name,
        "month": ev.month.label(),
    }
    count = _("Cases")
    volumes = [
        (_("By kind"), _("Kind"), current.by_kind),
        (_("By channel"), _("Channel"), current.by_channel),
        (_("By service"), _("Service"), current.by_service),
    ]
    for title, column, rows in volumes:
        _sheet(workbook, title, [column, count], [[row.label, row.value] for row in rows])
    _sheet(
        workbook,
        _("On time"),
        [_("Service"), _("Finished"), _("On time"), _("On time (%)")],
        [
            [
                row.label,
                row.finished,
                row.on_time,
                round(row.rate, 1) if row.rate is not None else None,
            ]
            for row in current.on_time
        ],
    )
    times = current.durations
    _sheet(
        workbook,
        _("Times"),
        [_("Measure"), _("Cases"), _("Median (hours)"), _("90th percentile (hours)")],
        [
            [
                _("Time to first response"),
                times.first_response_n,
                hours(times.first_response_median),
                hours(times.first_response_p90),
            ],
            [
                _("Time to close"),
                times.close_n,
                hours(times.close_median),
                hours(times.close_p90),
            ],
        ],
    )
    _sheet(
        workbook,
        _("Open by division"),
        [_("Division"), _("Open"), _("Overdue")],
        [[row.label, row.open, row.overdue] for row in current.divisions],
    )
    _sheet(
        workbook,
        _("Complaint classes"),
        [_("Class"), count],
        [[row.label, row.value] for row in current.classes],
    )
    if current.visits is not None:
        visits = current.visits
        _sheet(
            workbook,
            _("Visits"),
            [
                _("Visits"),
                _("Served"),
                _("Within the administration time"),
                _("Median administration time (minutes)"),
            ],
            [
                [
                    visits["visits"],
                    visits["served"],
                    visits["within"],
                    round(visits["median"] / 60, 1) if visits["median"] is not None else None,
                ]
            ],
        )
    _sheet(
        workbook,
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
    satisfaction = ev.satisfaction.as_dict()
    _sheet(
        workbook,
        _("Satisfaction (IKM)"),
        [_("Figure"), _("Value")],
        [
            [_("Covers"), satisfaction["description"]],
            [_("Respondents"), satisfaction["respondents"]],
            [_("IKM (converted)"), satisfaction["ikm_converted"]],
            [_("Service quality (grade)"), satisfaction["grade"]],
            [_("People served"), satisfaction["population"]],
            [_("Minimum sample"), satisfaction["min_sample"]],
            *[[_("Caution:"), warning] for warning in satisfaction["warnings"]],
        ],
    )
    return _save(workbook)


def skm_xlsx(report: SkmReport) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
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
    _sheet(workbook, _("SKM"), [_("Item"), _("Value")], head)
    _sheet(
        workbook,
        _("Elements"),
        [_("Element"), _("Name"), _("NRR"), _("Weighted NRR"), _("Converted"), _("Grade")],
        [
            [
                element.element.field.upper(),
                str(element.element.name),
                float(element.nrr_display),
                float(round(element.weighted, 4)),
                float(element.converted),
                element.band.grade,
            ]
            for element in ikm.elements
        ],
    )
    for table in report.profile:
        _sheet(
            workbook,
            table.title,
            [table.title, _("Respondents")],
            [[label, respondents] for label, respondents in table.rows],
        )
    _sheet(
        workbook, _("Suggestions"), [_("Suggestion")], [[comment] for comment in report.comments]
    )
    return _save(workbook)
