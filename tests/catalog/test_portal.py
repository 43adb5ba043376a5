"""The front door: the home page, the unit and standard pages lead a citizen to every public
action (complain, track, audience, facility, survey, results), each offered only when the
catalogue says the service allows it; the complaint form they lead to names the unit of every
service and arrives with the unit and service chosen."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from layanan.accounts.actors import PUBLIC, SYSTEM
from layanan.audiences.services import audience_request_create
from layanan.cases.models import Case
from layanan.cases.numbering import format_public_code
from layanan.catalog.models import ServiceKind
from layanan.catalog.services import version_publish
from tests.factories import StandardVersionFactory, published_standard

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def page(client, url) -> str:
    response = client.get(url, **EN)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def hrefs(body: str) -> set[str]:
    return {h.replace("&amp;", "&") for h in re.findall(r'href="([^"]+)"', body)}


@pytest.fixture
def catalogue(org):
    """Kesra: an audience service and a consultation; Perekonomian: a consultation of the same
    name; Umum: the facility service; Bina Mental (a Kesra division): one other service."""
    return {
        "audience": published_standard(
            standard__unit=org["biro-kesra"],
            standard__name="Fasilitasi Audiensi",
            standard__slug="fasilitasi-audiensi",
            standard__service_kind=ServiceKind.AUDIENCE,
            number=1,
        ),
        "kesra_consult": published_standard(
            standard__unit=org["biro-kesra"],
            standard__name="Pelayanan Konsultasi",
            standard__slug="pelayanan-konsultasi",
            standard__service_kind=ServiceKind.CONSULTATION,
            number=1,
        ),
        "ekon_consult": published_standard(
            standard__unit=org["biro-perekonomian"],
            standard__name="Pelayanan Konsultasi",
            standard__slug="pelayanan-konsultasi",
            standard__service_kind=ServiceKind.CONSULTATION,
            number=1,
        ),
        "facility": published_standard(
            standard__unit=org["biro-umum"],
            standard__name="Fasilitasi Sarana Kantor",
            standard__slug="sarana-kantor",
            standard__service_kind=ServiceKind.FACILITY,
            number=1,
        ),
        "division": published_standard(
            standard__unit=org["kesra-bina-mental"],
            standard__name="Bimbingan Keagamaan",
            standard__slug="bimbingan",
            number=1,
        ),
    }


# --- home ------------------------------------------------------------------------------------


def test_home_leads_to_every_public_action(client, org, catalogue):
    """From the home page a citizen reaches the complaint form, tracking, the audience and
    facility forms, each unit's survey, the survey results and the performance page, each unit
    and each service — all by links."""
    body = page(client, "/")
    links = hrefs(body)
    expected = {
        reverse("complaints_public:form"),
        reverse("complaints_public:lookup"),
        reverse("audience:form"),
        reverse("bookings_public:form"),
        reverse("surveys:results"),
        reverse("reports:public"),
        "#survei",
    }
    for slug in ("biro-kesra", "biro-perekonomian", "biro-umum"):
        expected.add(reverse("surveys:kiosk", args=[slug]))
        expected.add(reverse("catalog:unit", args=[slug]))
        expected.add(reverse("complaints_public:form_unit", args=[slug]))
    expected |= {standard.get_absolute_url() for standard in catalogue.values()}
    assert expected <= links, expected - links
    assert 'id="survei"' in body
    # Unit-level online requests follow the kinds each bureau offers.
    assert f"{reverse('audience:form')}?instansi=biro-kesra" in links


def test_home_offers_audience_and_facility_only_when_a_service_allows_them(client, org):
    """With only a consultation published, the home has no audience or facility entry (a link
    to a form with nothing to choose would be a dead end)."""
    published_standard(
        standard__unit=org["biro-kesra"],
        standard__service_kind=ServiceKind.CONSULTATION,
        number=1,
    )
    body = page(client, "/")
    assert 'data-action="complaint"' in body and 'data-action="track"' in body
    assert reverse("audience:form") not in body
    assert reverse("bookings_public:form") not in body


def test_home_stays_light_and_its_query_count_is_pinned(
    client, org, catalogue, django_assert_num_queries
):
    """The front door stays under 35 KB with no script, and costs two queries (standards with
    their units, ancestors of division units) — the actions are computed from those rows."""
    for i in range(20):
        unit = org["kesra-bina-mental"] if i % 2 else org["biro-umum"]
        published_standard(standard__unit=unit, number=1)
    with django_assert_num_queries(2):
        response = client.get("/", **EN)
    assert response.status_code == 200
    assert len(response.content) < 35_000
    assert "<script" not in response.content.decode()


def test_header_leads_to_complaints_and_tracking_on_every_public_page(client, org, catalogue):
    """The site header on public pages links to the catalogue, the complaint form and tracking."""
    standard = catalogue["kesra_consult"]
    for url in ("/", standard.get_absolute_url(), reverse("audience:form"), "/lacak/"):
        header = page(client, url).split("</header>")[0]
        for target in ("catalog:home", "complaints_public:form", "complaints_public:lookup"):
            assert f'href="{reverse(target)}"' in header, (url, target)


# --- unit and standard pages -------------------------------------------------------------------


def test_unit_page_offers_its_actions(client, catalogue):
    """A bureau's page offers complaining to it, the audience request its services allow (with
    the unit chosen), its survey and tracking."""
    links = hrefs(page(client, reverse("catalog:unit", args=["biro-kesra"])))
    assert reverse("complaints_public:form_unit", args=["biro-kesra"]) in links
    assert f"{reverse('audience:form')}?instansi=biro-kesra" in links
    assert reverse("surveys:kiosk", args=["biro-kesra"]) in links
    assert reverse("complaints_public:lookup") in links
    assert reverse("bookings_public:form") not in links  # Kesra lends no facility


@pytest.mark.parametrize(
    ("key", "request_url"),
    [
        ("audience", "/audiensi/?instansi=biro-kesra"),
        ("facility", "/fasilitas/"),
        ("kesra_consult", None),  # a walk-in consultation is not requested online
        ("division", None),
    ],
)
def test_standard_page_offers_the_actions_its_kind_allows(client, catalogue, key, request_url):
    """Every standard page offers a complaint about that service (unit and service chosen) and
    tracking; the online request only when its kind can be requested online, as the main
    button."""
    standard = catalogue[key]
    body = page(client, standard.get_absolute_url())
    complaint = reverse("complaints_public:form_unit", args=[standard.unit.slug])
    assert f'href="{complaint}?layanan={standard.slug}"' in body
    assert f'href="{reverse("complaints_public:lookup")}"' in body
    requests = re.findall(r'data-action="request-\w+" href="([^"]+)"', body)
    if request_url is None:
        assert requests == []
    else:
        assert [r.replace("&amp;", "&") for r in requests] == [request_url]
        assert re.search(r'class="btn" data-action="request-', body)


def test_no_complaint_link_for_a_service_that_takes_none(client, catalogue):
    """A standard marked as not taking complaints offers no complaint link (the form would not
    list it)."""
    standard = catalogue["kesra_consult"]
    standard.accepts_complaints = False
    standard.save(update_fields=["accepts_complaints"])
    body = page(client, standard.get_absolute_url())
    assert "?layanan=" not in body
    assert 'data-action="complaint"' not in body


def test_archived_version_offers_no_actions(client, catalogue):
    """An archived version (no longer in force) offers no request or complaint buttons: they
    belong to the version in force, which the banner links to."""
    standard = catalogue["audience"]
    version_publish(actor=SYSTEM, version=StandardVersionFactory(standard=standard, number=2))
    url = reverse("catalog:standard_version", args=[standard.unit.slug, standard.slug, 1])
    body = page(client, url)
    assert 'data-action="' not in body


# --- forms the links lead to -------------------------------------------------------------------


def test_complaint_link_of_a_standard_preselects_unit_and_service(client, catalogue):
    """Following "Complain about this service" opens the unit's form with that service
    selected, and only that unit's services listed (with its divisions')."""
    standard = catalogue["kesra_consult"]
    body = page(client, standard.get_absolute_url())
    link = re.search(r'data-action="complaint" href="([^"]+)"', body).group(1)
    form = page(client, link.replace("&amp;", "&"))
    assert f'<option value="{standard.pk}" selected>' in form
    assert f'value="{catalogue["ekon_consult"].pk}"' not in form
    assert f'value="{catalogue["division"].pk}"' in form


def test_complaint_form_names_the_unit_of_every_service(client, catalogue):
    """Two services of the same name are told apart by their unit in the option text; every
    required field is marked."""
    body = page(client, reverse("complaints_public:form"))
    options = re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', body)
    services = [o for o in options if "—" in o]
    assert "Pelayanan Konsultasi — Biro Kesra" in services
    assert "Pelayanan Konsultasi — Biro Perekonomian" in services
    assert len(services) == len(set(services))
    for field in ("unit", "description"):
        label = re.search(rf'<label for="id_{field}">(.*?)</label>', body, re.S).group(1)
        assert 'class="req"' in label, field
    assert re.search(r'<select name="unit" required', body)
    assert 'id="identity-label">' in body and "Fields marked" in body
    # The office can be chosen first, to list only its services.
    assert f'href="{reverse("complaints_public:form_unit", args=["biro-perekonomian"])}"' in body


def test_a_service_of_another_office_is_refused_with_both_names_and_nothing_lost(
    client, org, catalogue
):
    """Choosing Kesra and Perekonomian's consultation says which office offers it; the text
    typed is kept and no case is filed."""
    data = {
        "unit": org["biro-kesra"].pk,
        "service": catalogue["ekon_consult"].pk,
        "description": "Saya menunggu tiga jam tanpa kejelasan.",
        "identity": "anonymous",
        "website": "",
    }
    response = client.post(reverse("complaints_public:form"), data, **EN)
    assert response.status_code == 400
    body = response.content.decode()
    assert "is a service of Biro Perekonomian, not of Biro Kesejahteraan Rakyat" in body
    assert "Saya menunggu tiga jam tanpa kejelasan." in body
    assert not Case.objects.exists()


def test_a_service_without_an_office_files_to_the_service_office(client, org, catalogue):
    """The office left empty but a service chosen: the complaint goes to that service's office
    (the option named it)."""
    data = {
        "unit": "",
        "service": catalogue["ekon_consult"].pk,
        "description": "Konsultasi dibatalkan tanpa pemberitahuan.",
        "identity": "anonymous",
        "website": "",
    }
    response = client.post(reverse("complaints_public:form"), data, **EN)
    assert response.status_code == 303
    assert Case.objects.get().unit == org["biro-perekonomian"]


def test_no_office_and_no_service_asks_for_the_office(client, catalogue):
    """Neither office nor service: one clear error beside the office."""
    data = {"unit": "", "service": "", "description": "Antrean lama.", "identity": "anonymous"}
    response = client.post(reverse("complaints_public:form"), data, **EN)
    assert response.status_code == 400
    assert "Choose the office your complaint is about." in response.content.decode()


def test_audience_link_preselects_the_unit(client, org, catalogue):
    """``/audiensi/?instansi=<slug>`` (the standard page's request link) opens the form with the
    unit chosen among several; an unknown slug chooses nothing."""
    published_standard(
        standard__unit=org["biro-perekonomian"],
        standard__service_kind=ServiceKind.AUDIENCE,
        number=1,
    )
    kesra = catalogue["audience"].unit
    body = page(client, reverse("audience:form") + "?instansi=biro-kesra")
    assert f'<option value="{kesra.pk}" selected>' in body
    body = page(client, reverse("audience:form") + "?instansi=tidak-ada")
    assert f'<option value="{kesra.pk}" selected>' not in body


# --- tracking ----------------------------------------------------------------------------------


def test_tracking_box_sends_a_request_code_to_its_status_page(client, catalogue):
    """The one tracking box of the home page also finds audience requests: /lacak/<code>/ of an
    audience request redirects to its status page; an unknown code still gets the not-found
    page."""
    case = audience_request_create(
        actor=PUBLIC,
        unit=catalogue["audience"].unit,
        organisation="Forum Pemuda",
        topic="Dialog kerukunan",
        preferred_dates=[timezone.localdate() + dt.timedelta(days=7)],
        participants=5,
        requester_name="Yohanes",
        requester_email="yohanes@example.org",
    )
    code = format_public_code(case.public_code)
    response = client.get(reverse("complaints_public:track", kwargs={"code": code}))
    assert response.status_code == 302
    assert response["Location"] == reverse("audience:status", kwargs={"code": code})
    assert "no-store" in response["Cache-Control"]
    missing = client.get(reverse("complaints_public:track", kwargs={"code": "ABCD-EFGH-JKMN"}))
    assert missing.status_code == 404
