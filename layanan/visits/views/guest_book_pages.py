"""The guest book (buku tamu) of a unit for its staff: the register of visits, filtered and
paged, and the same as PDF or XLSX.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from layanan.cases.views import staff_context, staff_required
from layanan.core.models import Unit
from layanan.visits.services import walk_in_services

from .shared import desk_unit

# --- staff: the guest book (buku tamu) ---------------------------------------------------------

REGISTER_PAGE_SIZE = 50


def _register_query(request: HttpRequest, unit: Unit):
    """(form, filters, queryset, labels of the active filters) for the guest book's GET."""
    from layanan.visits.forms import RegisterFilterForm
    from layanan.visits.selectors import register_visits

    services = walk_in_services(unit)
    form = RegisterFilterForm(
        request.GET or None, unit=unit, services=services, today=timezone.localdate()
    )
    filters = form.filters()
    signature = bool(form.is_bound and form.is_valid() and form.cleaned_data.get("ttd"))
    labels = []
    if filters.get("service"):
        labels.append(dict(form.fields["layanan"].choices).get(filters["service"], ""))
    if filters.get("division") is not None:
        labels.append(filters["division"].name)
    if filters.get("state"):
        labels.append(str(dict(form.fields["status"].choices)[filters["state"]]))
    return form, filters, register_visits(unit, **filters), labels, signature


@staff_required
@require_safe
def guest_book(request: HttpRequest, unit_slug: str) -> HttpResponse:
    """``/staf/tamu/<unit>/buku-tamu/``: the register of visits for a range of days (default
    today), filtered, 50 rows a page, numbered across pages, with its PDF and XLSX."""
    from django.core.paginator import Paginator

    from layanan.visits.register import range_label, register_rows

    unit = desk_unit(request, unit_slug)
    form, filters, visits, labels, _signature = _register_query(request, unit)
    page = Paginator(visits, REGISTER_PAGE_SIZE).get_page(request.GET.get("halaman"))
    rows = register_rows(request.user, page.object_list, first_number=page.start_index())
    query = request.GET.copy()
    query.pop("halaman", None)
    today = timezone.localdate()
    return render(
        request,
        "visits/guest_book.html",
        {
            "unit": unit,
            "form": form,
            "page": page,
            "rows": rows,
            "period": range_label(filters["start"], filters["end"]),
            "filters": labels,
            "query": query.urlencode(),
            "month_url": "?" + f"dari={today.replace(day=1):%Y-%m-%d}&sampai={today:%Y-%m-%d}",
            **staff_context(request, "visits"),
        },
    )


def _guest_book_file(request: HttpRequest, unit_slug: str, ext: str) -> HttpResponse:
    from layanan.core.audit import audit_log
    from layanan.core.models import AuditAction
    from layanan.visits.register import (
        PDF_MAX_ROWS,
        XLSX_MAX_ROWS,
        filename,
        register_pdf,
        register_rows,
        register_xlsx,
    )

    unit = desk_unit(request, unit_slug)
    _form, filters, visits, labels, signature = _register_query(request, unit)
    limit = PDF_MAX_ROWS if ext == "pdf" else XLSX_MAX_ROWS
    visits = list(visits[: limit + 1])
    if len(visits) > limit:
        return render(
            request,
            "visits/guest_book_too_long.html",
            {
                "unit": unit,
                "limit": limit,
                "back": request.GET.urlencode(),
                **staff_context(request, "visits"),
            },
            status=413,
        )
    rows = register_rows(request.user, visits)
    start, end = filters["start"], filters["end"]
    if ext == "pdf":
        content = register_pdf(
            unit=unit, rows=rows, start=start, end=end, filters=labels, signature=signature
        )
        content_type = "application/pdf"
    else:
        content = register_xlsx(unit=unit, rows=rows, start=start, end=end, filters=labels)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    audit_log(
        actor=request.user,
        action=AuditAction.PERSONAL_DATA_EXPORTED,
        unit=unit,
        data={
            "record": "guest_book",
            "format": ext,
            "from": start.isoformat(),
            "to": end.isoformat(),
            "filters": labels,
            "rows": len(rows),
        },
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename(unit, start, end, ext)}"'
    return response


@staff_required
@require_safe
def guest_book_pdf(request: HttpRequest, unit_slug: str) -> HttpResponse:
    return _guest_book_file(request, unit_slug, "pdf")


@staff_required
@require_safe
def guest_book_xlsx(request: HttpRequest, unit_slug: str) -> HttpResponse:
    return _guest_book_file(request, unit_slug, "xlsx")
