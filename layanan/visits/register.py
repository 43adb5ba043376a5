"""The guest book (*buku tamu*) as the paper book is kept: one row per visit, numbered in the
order of arrival, for a day, a month or any range of days — on the page (paginated), as a PDF
(A4 landscape under the unit's heading, for the inspector) and as XLSX (openpyxl, through the
reports' sheet helpers: times as real dates so the office can sort and count).

Who is in it and who sees it: the visits registered at the unit or at a unit below it, or routed
to one of them (``selectors.register_visits``); the page and the files are for the staff who may
see the unit's cases (``case.view``: its members of every staff role, and the auditors). A
reporter's name and phone come through ``cases.identity.requester_identity_for``: a confidential
case (none at the desk today, but the rule is the project's) shows no identity. Every file
export is audited (``personal_data_exported``: it carries visitors' names and phone numbers).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from layanan.cases.identity import requester_identity_for
from layanan.cases.models import Status
from layanan.core.models import Unit
from layanan.core.phones import national_phone

from .models import VisitDetail

#: A PDF longer than this is refused with a hint to narrow the range (or take the XLSX).
PDF_MAX_ROWS = 2000
XLSX_MAX_ROWS = 50000


@dataclass(frozen=True)
class RegisterRow:
    number: int
    visit: VisitDetail
    arrived_at: dt.datetime
    name: str
    origin: str
    phone: str
    purpose: str
    service: str
    division: str
    served_by: str
    served_at: dt.datetime | None
    finished_at: dt.datetime | None
    state: str
    ticket: str
    case_number: str


def _person(user) -> str:
    return str(user) if user is not None else ""


def register_rows(user, visits, *, first_number: int = 1) -> list[RegisterRow]:
    """The rows of ``visits`` (already scoped, filtered and ordered) for ``user``."""
    rows = []
    for offset, visit in enumerate(visits):
        case = visit.case
        identity = requester_identity_for(user, case)
        events = getattr(case, "served_events", None) or []
        rows.append(
            RegisterRow(
                number=first_number + offset,
                visit=visit,
                arrived_at=timezone.localtime(visit.arrived_at),
                name=identity.name if identity else _("(confidential)"),
                origin=visit.origin,
                phone=national_phone(identity.phone) if identity else "",
                purpose=visit.purpose,
                service=visit.service.name if visit.service_id else _("Other purpose (guest book)"),
                division=visit.routed_to.name if visit.routed_to_id else visit.desk,
                served_by=_person(events[0].actor) if events else "",
                served_at=timezone.localtime(visit.served_at) if visit.served_at else None,
                # A guest who left unserved has no finishing time: the state says "withdrawn".
                finished_at=(
                    timezone.localtime(visit.finished_at)
                    if visit.finished_at and visit.served_at
                    else None
                ),
                state=Status(case.status).label,
                ticket=visit.ticket,
                case_number=case.number,
            )
        )
    return rows


def range_label(start: dt.date, end: dt.date) -> str:
    from django.utils.formats import date_format

    if start == end:
        return date_format(start, "j F Y")
    return f"{date_format(start, 'j F Y')} – {date_format(end, 'j F Y')}"


def filename(unit: Unit, start: dt.date, end: dt.date, ext: str) -> str:
    return f"buku-tamu-{unit.slug}-{start:%Y%m%d}-{end:%Y%m%d}.{ext}"


def register_pdf(
    *, unit: Unit, rows: list[RegisterRow], start, end, filters: list[str], signature: bool
) -> bytes:
    from layanan.reports.exports import _pdf

    return _pdf(
        "visits/register_pdf.html",
        {
            "unit": unit,
            "rows": rows,
            "period": range_label(start, end),
            "filters": filters,
            "signature": signature,
            "now": timezone.localtime(),
        },
    )


def _naive(moment: dt.datetime | None) -> dt.datetime | None:
    """openpyxl writes no time zone: the local wall-clock time, as on the page."""
    return moment.replace(tzinfo=None) if moment is not None else None


def register_xlsx(*, unit: Unit, rows: list[RegisterRow], start, end, filters: list[str]) -> bytes:
    from openpyxl import Workbook

    from layanan.reports.exports import _save, _sheet

    wb = Workbook()
    wb.remove(wb.active)
    sheet = _sheet(
        wb,
        _("Guest book"),
        [
            _("No."),
            _("Arrived"),
            _("Ticket"),
            _("Name"),
            _("Origin / institution"),
            _("Telephone / WhatsApp"),
            _("Service"),
            _("Purpose"),
            _("Division / desk"),
            _("Served by"),
            _("Served at"),
            _("Finished at"),
            _("State"),
            _("Case number"),
        ],
        [
            [
                r.number,
                _naive(r.arrived_at),
                r.ticket,
                r.name,
                r.origin,
                r.phone,
                r.service,
                r.purpose,
                r.division,
                r.served_by,
                _naive(r.served_at),
                _naive(r.finished_at),
                str(r.state),
                r.case_number,
            ]
            for r in rows
        ],
    )
    for column in ("B", "K", "L"):
        for cell in sheet[column][1:]:
            cell.number_format = "yyyy-mm-dd hh:mm"
        sheet.column_dimensions[column].width = 17
    sheet.insert_rows(1, 3)
    sheet["A1"] = _("Guest book: %(unit)s") % {"unit": unit.name}
    sheet["A2"] = range_label(start, end) + ("  ·  " + "; ".join(filters) if filters else "")
    sheet.freeze_panes = "A5"
    return _save(wb)
