"""The walker of the privacy walk finds a secret however an answer spells it, and follows links
without getting lost: a walk that passed because the scanner was blind would prove nothing."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.http import FileResponse, HttpResponse, JsonResponse

from .privacy_walker import Leaks, Secret, Visit, Walker, links_of, response_text

EMAIL = Secret("Siti.Rahasia+uji@warga.id", "the reporter's e-mail")
PHONE = Secret("0812-3456-7890", "the reporter's telephone")
NAME = Secret("Ratna O'Brien", "the reporter's name")


def visit(response, url="/x/") -> Visit:
    return Visit(url, response.status_code, response_text(response), "", response)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("<p>siti.rahasia+uji@warga.id</p>", "text/html"),  # another case
        ('<a href="mailto:Siti.Rahasia%2Buji%40warga.id">', "text/html"),  # URL-encoded
        (json.dumps({"email": "Siti.Rahasia+uji@warga.id"}), "application/json"),
    ],
)
def test_an_e_mail_is_found_however_it_is_written(body, content_type):
    """Case-blind, and URL-encoded as in a link."""
    assert EMAIL.found_in(visit(HttpResponse(body, content_type=content_type)).text)


def test_a_name_is_found_html_escaped_and_json_escaped():
    """A template escapes the apostrophe; JSON escapes nothing here but is searched raw too."""
    assert NAME.found_in(visit(HttpResponse("<td>Ratna O&#x27;Brien</td>")).text)
    assert NAME.found_in(visit(JsonResponse({"n": "Ratna O'Brien"})).text)


def test_a_telephone_number_is_found_with_or_without_separators_and_prefix():
    for written in ("0812-3456-7890", "081234567890", "+6281234567890"):
        assert PHONE.found_in(visit(HttpResponse(written)).text), written


def test_a_download_name_and_the_files_inside_a_zip_are_searched():
    """An attachment's name travels in Content-Disposition; an XLSX is a ZIP of XML."""
    download = FileResponse(
        io.BytesIO(b"%PDF-1.4"), as_attachment=True, filename="Zulkifli_KTP.pdf"
    )
    assert Secret("Zulkifli_KTP", "file name").found_in(visit(download).text)
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as archive:
        archive.writestr("xl/sharedStrings.xml", "<t>siti.rahasia+uji@warga.id</t>")
    assert EMAIL.found_in(visit(HttpResponse(packed.getvalue())).text)


def test_nothing_is_found_where_it_is_not():
    assert not EMAIL.found_in(visit(HttpResponse("<p>Tidak ada</p>")).text)
    assert not PHONE.found_in(visit(HttpResponse("Nomor antrean 12")).text)


def test_links_are_site_local_paths_from_html_and_json():
    page = visit(
        HttpResponse(
            '<a href="../b/?q=1#top">b</a><a href="https://elsewhere.example/">x</a>'
            '<a href="mailto:a@b.c">m</a><img src="/static/x.png"><a href="{tpl}">t</a>'
            '<a href="http://127.0.0.1:8000/lacak/ABCD-EFGH-JKMN/">own</a>',
            content_type="text/html",
        ),
        url="/a/c/",
    )
    assert links_of("/a/c/", page.response) == [
        "/a/b/?q=1",
        "/static/x.png",
        "/lacak/ABCD-EFGH-JKMN/",
    ]
    answer = visit(JsonResponse({"next": "http://testserver/api/v1/x?offset=20", "n": "/other"}))
    assert links_of("/api/v1/x", answer.response) == ["/api/v1/x?offset=20"]


def test_leaks_name_the_surface_and_what_leaked_and_respect_allowed():
    leaks = Leaks()
    page = visit(HttpResponse("siti.rahasia+uji@warga.id"), url="/laporan/")
    leaks.check([page], [EMAIL], words="shows")
    leaks.check([page], [EMAIL], allowed=lambda v, s: v.url == "/laporan/")
    with pytest.raises(AssertionError) as failure:
        leaks.assert_none("Public pages")
    assert "/laporan/ [200]: shows the reporter's e-mail ('Siti.Rahasia+uji@warga.id')" in str(
        failure.value
    )
    assert "1 leak(s)" in str(failure.value)


def test_one_shape_of_link_is_followed_a_few_times_only():
    """A calendar's endless "next week" links are one shape: followed ``per_shape`` times."""

    class Calendar:
        def __init__(self):
            self.asked = []

        def get(self, url, **extra):
            self.asked.append(url)
            week = int(url.rsplit("=", 1)[-1]) if "=" in url else 0
            return HttpResponse(f'<a href="/kalender/?week={week + 1}">next</a>')

    calendar = Calendar()
    walker = Walker(calendar, per_shape=3)
    walker.crawl(["/kalender/"], follow=lambda path: True)
    assert calendar.asked == ["/kalender/", *[f"/kalender/?week={n}" for n in (1, 2, 3)]]
