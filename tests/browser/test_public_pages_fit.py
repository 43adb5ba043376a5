"""Every public page fits every screen: no sideways scroll at 320, 360, 768, 1366 and 1920 px.

The pages come from the URL conf, not from a hand-kept list: every named route is either a
public page (with real objects from the demo data for its parameters) or set aside with the
reason; a new route that is neither fails ``test_every_route_is_classified`` until someone
decides which it is.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.browser.a11y import no_horizontal_scroll
from tests.test_access_matrix import site_patterns

WIDTHS = (320, 360, 768, 1366, 1920)

#: Routes that are not public HTML pages, by prefix of the route, with the reason.
NOT_PAGES_PREFIXES = {
    "admin/": "staff: Django admin",
    "staf/": "staff pages (sign-in required)",
    "api/": "JSON API and its third-party docs viewer",
    "open311/": "Open311 JSON/XML",
    "i18n/": "language switch (POST, redirects)",
    "mulai/": "first-run pages of an empty installation, behind a one-time token (tests/setup)",
}
#: Single routes that are not public HTML pages.
NOT_PAGES = {
    "ops:healthz": "health check, plain text",
    "accounts:logout": "POST only",
    "accounts:twofactor": "signed-in staff only",
    "accounts:twofactor_enrol": "signed-in staff only",
    "accounts:twofactor_verify": "part of a staff sign-in",
    "accounts:twofactor_disable": "signed-in staff only",
    "accounts:password_change": "signed-in staff only",
    "accounts:password_change_done": "signed-in staff only",
    "catalog:standard_poster": "PDF",
    "bookings_public:notice": "PDF (the facility decision notice)",
    "catalog:standard_qr": "SVG image",
    "audience:public_letter": "PDF: the issued reply letter (test_audience_journey.py)",
    "catalog:pledge_pdf": "PDF",
    "complaints_public:answer_letter": "PDF",
    "favicon": "icon",
    "intake_whatsapp:webhook": "WhatsApp Cloud API webhook (Meta calls it), plain text",
}


def public_routes() -> dict[str, str]:
    """name → route of every named route that is not set aside (the URL conf as the access
    matrix walks it)."""
    routes = {}
    for _key, name, route, _params in site_patterns():
        route = route.lstrip("/")
        if route.startswith(tuple(NOT_PAGES_PREFIXES)) or name in NOT_PAGES or name is None:
            continue
        routes[name] = route
    return routes


def page_arguments() -> dict[str, dict]:
    """The keyword arguments of each public page, from demo-like data (``load_demo`` plus one
    case of each public kind). Pages without parameters map to {}."""
    from layanan.accounts.actors import PUBLIC
    from layanan.audiences.services import audience_request_create
    from layanan.cases.models import Case, CaseKind
    from layanan.cases.numbering import format_public_code
    from layanan.catalog.models import ServiceStandard
    from layanan.core.models import Unit
    from layanan.facilities.models import Resource, ResourceKind
    from layanan.facilities.services import booking_request_create
    from layanan.surveys.models import SurveyInvitation
    from layanan.visits.services import visit_register

    call_command("load_demo", stdout=StringIO())
    kesra = Unit.objects.get(slug="biro-kesra")
    umum = Unit.objects.get(slug="biro-umum")
    standard = ServiceStandard.objects.filter(published_version__isnull=False).first()
    complaint = Case.objects.filter(kind=CaseKind.COMPLAINT).order_by("pk").first()
    now = timezone.now()
    room = Resource.objects.create(
        unit=umum, name="Ruang Uji Tata Letak", kind=ResourceKind.ROOM, capacity=20
    )
    today = timezone.localdate()
    monday = today + dt.timedelta(days=7 - today.weekday())  # next week, office hours
    start = dt.datetime.combine(monday, dt.time(9), tzinfo=timezone.get_current_timezone())
    booking = booking_request_create(
        actor=PUBLIC,
        resource=room,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        purpose="Rapat koordinasi persiapan MTQ tingkat provinsi",
        organisation="LPTQ Provinsi Kalimantan Barat",
        requester_name="Siti Aminah",
        requester_email="siti@example.org",
    )
    audience = audience_request_create(
        actor=PUBLIC,
        unit=kesra,
        organisation="Yayasan Cahaya Borneo",
        topic="Audiensi program beasiswa keagamaan",
        preferred_dates=[monday + dt.timedelta(days=7)],
        participants=5,
        requester_name="Budi Santoso",
        requester_email="budi@example.org",
    )
    visit = visit_register(
        actor=PUBLIC,
        unit=kesra,
        standard=None,
        name="Rina",
        phone="081234567890",
        purpose="Konsultasi hibah",
    )
    invitation = SurveyInvitation.objects.create(
        case=complaint, expires_at=now + dt.timedelta(days=30)
    )
    code = format_public_code(complaint.public_code)
    # load_demo leaves the pledges as drafts (staff only): the bureau's head confirms one.
    from layanan.accounts.actors import SYSTEM
    from layanan.catalog.models import ServicePledge
    from layanan.catalog.pledge import pledge_save

    pledge = ServicePledge.objects.get(unit=kesra)
    pledge.signatory_name = "Dr. Contoh Kepala Biro, M.Si."
    pledge.signed_on = today
    pledge.confirmed = True
    pledge_save(actor=SYSTEM, pledge=pledge)
    return {
        "accounts:login": {},
        "accounts:password_reset": {},
        "accounts:password_reset_done": {},
        "accounts:password_reset_confirm": {"uidb64": "MQ", "token": "set-password"},
        "accounts:password_reset_complete": {},
        "complaints_public:form": {},
        "complaints_public:receipt": {"code": code},
        "complaints_public:form_unit": {"unit_slug": kesra.slug},
        "complaints_public:lookup": {},
        "complaints_public:track": {"code": code},
        "surveys:results": {},
        "surveys:kiosk": {"unit_slug": kesra.slug},
        "surveys:kiosk_thanks": {"unit_slug": kesra.slug},
        "surveys:thanks": {},
        "surveys:answer": {"token": invitation.token},
        "bookings_public:form": {},
        "bookings_public:status": {"code": format_public_code(booking.public_code)},
        "bookings_public:schedule": {},
        "bookings_public:week": {"pk": room.pk},
        "visits:kiosk": {"unit_slug": kesra.slug},
        "visits:display": {"unit_slug": kesra.slug},
        "visits:ticket": {"unit_slug": kesra.slug, "code": visit.public_code},
        "audience:form": {},
        "audience:status": {"code": format_public_code(audience.public_code)},
        "reports:public": {},
        "catalog:home": {},
        "catalog:unit": {"unit_slug": kesra.slug},
        "catalog:pledge": {"unit_slug": kesra.slug},
        "catalog:standard": {"unit_slug": standard.unit.slug, "slug": standard.slug},
        "catalog:standard_history": {"unit_slug": standard.unit.slug, "slug": standard.slug},
        "catalog:standard_version": {
            "unit_slug": standard.unit.slug,
            "slug": standard.slug,
            "number": standard.published_version.number,
        },
    }


PUBLIC_PAGE_NAMES = [
    "accounts:login",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "complaints_public:form",
    "complaints_public:receipt",
    "complaints_public:form_unit",
    "complaints_public:lookup",
    "complaints_public:track",
    "surveys:results",
    "surveys:kiosk",
    "surveys:kiosk_thanks",
    "surveys:thanks",
    "surveys:answer",
    "bookings_public:form",
    "bookings_public:status",
    "bookings_public:schedule",
    "bookings_public:week",
    "visits:kiosk",
    "visits:display",
    "visits:ticket",
    "audience:form",
    "audience:status",
    "reports:public",
    "catalog:home",
    "catalog:unit",
    "catalog:pledge",
    "catalog:standard",
    "catalog:standard_history",
    "catalog:standard_version",
]


def test_every_route_is_classified():
    """Each named route of the URL conf is either a public page this file loads or set aside
    with a reason, so a new public page cannot escape the width check."""
    assert sorted(public_routes()) == sorted(PUBLIC_PAGE_NAMES)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_no_public_page_scrolls_sideways(live_server, browser, settings):
    """Every public page, with real objects for its parameters, at 320, 360, 768, 1366 and
    1920 px: the page is never wider than the screen, and answers without a server error."""
    settings.DEBUG = True  # load_demo's demo accounts
    arguments = page_arguments()
    assert sorted(arguments) == sorted(PUBLIC_PAGE_NAMES)
    too_wide = []
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 800}, locale="id-ID")
        page = context.new_page()
        for name in PUBLIC_PAGE_NAMES:
            url = live_server.url + reverse(name, kwargs=arguments[name])
            response = page.goto(url)
            assert response.status < 500, f"{name}: {response.status}"
            if not no_horizontal_scroll(page):
                wide = page.evaluate("document.documentElement.scrollWidth")
                too_wide.append(f"{width}px {name} {url}: {wide}px")
        context.close()
    assert not too_wide, "\n".join(too_wide)
