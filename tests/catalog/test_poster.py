"""The printable poster (A4 PDF) and the QR code of a published service standard."""

from __future__ import annotations

import io

import pytest
from django.core.cache import cache
from pypdf import PdfReader

from layanan.accounts.actors import SYSTEM
from layanan.catalog import poster
from layanan.catalog.models import ComplaintChannel
from tests.factories import StandardVersionFactory, published_standard

pytestmark = pytest.mark.django_db

SITE = "https://layanan.kalbarprov.go.id"

# Like the Biro Kesra seed, with the longest lists the seeds have, and then some.
REALISTIC = {
    "decree_number": "285/OR/2022",
    "requirements": [
        "Surat permohonan peminjaman aula ditujukan kepada Kepala Biro Umum;",
        "Fotokopi KTP penanggung jawab kegiatan;",
        "Jadwal dan susunan acara;",
        "Surat pernyataan bersedia menjaga kebersihan dan ketertiban;",
        "Bukti pembayaran retribusi sesuai Peraturan Daerah;",
        "Daftar perkiraan jumlah peserta;",
    ],
    "procedure": [
        "Tamu/Pengguna Layanan menuju ke Petugas Informasi atau Tata Usaha;",
        "Menyampaikan keperluan, mengisi buku tamu;",
        "Menyerahkan surat permintaan atau permohonan fasilitasi rapat/audiensi;",
        "Petugas memeriksa kelengkapan berkas dan ketersediaan jadwal;",
        "Kepala Bagian memberikan disposisi;",
        "Menerima fasilitasi rapat/audiensi atau surat jawaban kesediaan dan jadwal "
        "rapat/audiensi.",
    ],
    "complaint_flow": [
        "Pengguna Layanan menyampaikan aduan secara lisan/telepon/tertulis",
        "Pejabat Pengelola Pengaduan menerima aduan",
        "Tim Pengelola Pengaduan",
        "Pengguna Layanan menerima jawaban pengaduan",
    ],
}


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def standard(org):
    """A published Biro Kesra standard with seed-like content and all seven complaint channels."""
    std = published_standard(
        standard__unit=org["biro-kesra"],
        standard__name=(
            "Fasilitasi Audiensi Instansi Pemerintah, Pemerintah Daerah dan Lembaga Lain"
        ),
        standard__slug="fasilitasi-audiensi",
        number=1,
        **REALISTIC,
    )
    version = std.published_version
    for i, (kind, label, value) in enumerate(
        [
            ("face_to_face", "Tatap Muka langsung kepada Pejabat Pengelola Pengaduan", ""),
            ("complaint_box", "Tertulis disampaikan ke Kotak Pengaduan", ""),
            ("phone", "Telepon", "(0561) 736541 ext. 126"),
            ("fax", "Faximile", "(0561) 730062"),
            ("lapor", "SP4N-LAPOR!", "www.lapor.go.id"),
        ],
        start=2,
    ):
        ComplaintChannel.objects.create(
            version=version, position=i, kind=kind, label=label, value=value
        )
    return std


def pdf_of(response) -> PdfReader:
    return PdfReader(io.BytesIO(response.content))


def text_of(reader: PdfReader) -> str:
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def test_poster_is_a_one_page_pdf_with_the_service(client, standard):
    """The poster answers application/pdf, fits one A4 page for a realistic standard, and its
    text carries the service name, requirements, the free-of-charge line and the contacts."""
    response = client.get(standard.get_absolute_url() + "poster.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline; filename=")
    reader = pdf_of(response)
    assert len(reader.pages) == 1
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = text_of(reader)
    assert "Fasilitasi Audiensi Instansi Pemerintah" in text
    assert "Biro Kesejahteraan Rakyat" in text
    assert "Fotokopi KTP penanggung jawab kegiatan" in text
    assert "085828735503" in text
    assert "kesra@kalbarprov.go.id" in text
    assert "285/OR/2022" in text


def test_poster_qr_code_encodes_the_public_url(client, standard, monkeypatch):
    """The QR code on the poster is made from SITE_URL + the standard's public path, and that
    address is printed under it."""
    expected = f"{SITE}/layanan/biro-kesra/fasilitasi-audiensi/"
    encoded: list[str] = []
    real_make = poster.segno.make

    def spy(content, *args, **kwargs):
        encoded.append(content)
        return real_make(content, *args, **kwargs)

    monkeypatch.setattr(poster.segno, "make", spy)
    html = poster.poster_html(standard, standard.published_version, font_pt=11)
    assert encoded == [expected]
    assert expected in html
    assert 'src="data:image/svg+xml' in html

    encoded.clear()
    response = client.get(standard.get_absolute_url() + "poster.pdf")
    assert response.status_code == 200
    assert expected in encoded
    assert "layanan/biro-kesra/fasilitasi-audiensi" in text_of(pdf_of(response)).replace(" ", "")


def test_long_standard_shrinks_onto_one_page(standard):
    """A standard twice as long as the seeds is still laid out on one page (smaller type)."""
    version = standard.published_version
    version.requirements = version.requirements * 2
    version.procedure = version.procedure * 2
    version.save()
    reader = PdfReader(io.BytesIO(poster.render_poster_pdf(standard, version)))
    assert len(reader.pages) == 1


def test_poster_is_cacheable_and_revalidates(client, standard):
    """The poster is publicly cacheable for an hour and a repeat request with its ETag gets a
    304 without a new PDF."""
    url = standard.get_absolute_url() + "poster.pdf"
    first = client.get(url)
    assert "public" in first["Cache-Control"]
    assert "max-age=3600" in first["Cache-Control"]
    etag = first["ETag"]
    assert first["Last-Modified"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""


def test_poster_etag_changes_with_a_new_version(client, standard):
    """Publishing a new version gives the poster a new identity (no stale poster is served)."""
    from layanan.catalog.services import version_publish

    url = standard.get_absolute_url() + "poster.pdf"
    first = client.get(url)["ETag"]
    v2 = StandardVersionFactory(standard=standard, number=2, name="Fasilitasi Audiensi (baru)")
    version_publish(actor=SYSTEM, version=v2)
    response = client.get(url, HTTP_IF_NONE_MATCH=first)
    assert response.status_code == 200
    assert response["ETag"] != first
    assert "Fasilitasi Audiensi (baru)" in text_of(pdf_of(response))


def test_poster_etag_changes_with_the_unit_contacts(client, standard):
    """A new phone number of the unit is printed at once, not after the cache expires."""
    url = standard.get_absolute_url() + "poster.pdf"
    first = client.get(url)["ETag"]
    unit = standard.unit
    unit.phone = "(0561) 999999"
    unit.save()
    response = client.get(url, HTTP_IF_NONE_MATCH=first)
    assert response.status_code == 200
    assert "(0561) 999999" in text_of(pdf_of(response))


def test_qr_svg_encodes_the_public_url(client, standard, monkeypatch):
    """qr.svg is an SVG image of the QR code for the public page address."""
    encoded: list[str] = []
    real_make = poster.segno.make
    monkeypatch.setattr(
        poster.segno,
        "make",
        lambda content, *a, **k: encoded.append(content) or real_make(content, *a, **k),
    )
    response = client.get(standard.get_absolute_url() + "qr.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    body = response.content.decode()
    assert "<svg" in body
    assert encoded == [f"{SITE}/layanan/biro-kesra/fasilitasi-audiensi/"]
    assert "public" in response["Cache-Control"]


def test_poster_and_qr_only_for_published_standards(client, org):
    """Drafts have no poster or QR code, even for staff (they print what is in force)."""
    draft = StandardVersionFactory(standard__unit=org["biro-kesra"], number=1)
    url = draft.standard.get_absolute_url()
    assert client.get(url + "poster.pdf").status_code == 404
    assert client.get(url + "qr.svg").status_code == 404
    assert client.get("/layanan/biro-kesra/tidak-ada/poster.pdf").status_code == 404


def test_poster_shows_missing_parts(org, settings):
    """A standard without a decree number or fee prints "not available yet" rather than nothing."""
    settings.LANGUAGE_CODE = "en"  # the poster speaks the site language; read the msgids
    version = StandardVersionFactory(
        standard__unit=org["biro-umum"], number=1, decree_number="", components=False
    )
    from layanan.catalog.services import version_publish

    version_publish(actor=SYSTEM, version=version)
    html = poster.poster_html(version.standard, version, font_pt=11)
    assert html.count("Not available yet") >= 3  # time, cost, complaint channels, decree


def test_poster_prints_the_complaint_and_tracking_addresses_beside_the_qr(client, standard):
    """Beside the QR code the poster prints where to complain about this service online (the
    form with unit and service chosen) and where to track a complaint or request — full
    addresses, readable without a phone."""
    html = poster.poster_html(standard, standard.published_version, font_pt=11)
    qr_box = html.split('<section class="qr">')[1].split("</section>")[0]
    complaint = f"{SITE}/pengaduan/biro-kesra/?layanan=fasilitasi-audiensi"
    assert complaint in qr_box.replace("&amp;", "&")
    assert f"{SITE}/lacak/" in qr_box
    text = text_of(pdf_of(client.get(standard.get_absolute_url() + "poster.pdf")))
    assert "/pengaduan/biro-kesra/" in text.replace(" ", "")
    assert "/lacak/" in text.replace(" ", "")


def test_poster_of_a_service_without_complaints_prints_only_tracking(standard):
    """A service that takes no complaints gets no complaint address (the form would not list
    it), still the tracking one."""
    standard.accepts_complaints = False
    standard.save(update_fields=["accepts_complaints"])
    html = poster.poster_html(standard, standard.published_version, font_pt=11)
    assert "/pengaduan/" not in html
    assert f"{SITE}/lacak/" in html
