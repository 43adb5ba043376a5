"""Organisation files: validation with line numbers, idempotent loading by slug, time zones."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from layanan.core.models import Unit
from layanan.core.orgfile import (
    SHIPPED_ORGANISATION,
    OrganisationFileError,
    organisation_load,
    parse_organisation,
)
from layanan.workdays.deadlines import Calendar, deadline
from layanan.workdays.durations import Duration
from layanan.workdays.models import OfficeHours

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are checked in English (the msgids), whatever the catalogue holds."""
    with translation.override("en"):
        yield


SMALL = """\
# a small regency office in WITA
[organisation]
slug = "pemkab-contoh"
name = "Pemerintah Kabupaten Contoh"
code = "CONTOH"
time_zone = "WITA"

[[unit]]
slug = "dinas-sosial"
parent = "pemkab-contoh"
name = "Dinas Sosial"
kind = "bureau"
email = "dinsos@contoh.go.id"
whatsapp = "081200000001"

[unit.hours]
mon = "08:00-15:00"
tue = "08:00-15:00"
wed = "08:00-15:00"
thu = "08:00-15:00"
fri = "08:00-11:00"

[[unit]]
slug = "dinsos-papua-office"
parent = "dinas-sosial"
name = "Kantor Perwakilan"
time_zone = "Asia/Jayapura"
"""


def lines_of(error: OrganisationFileError) -> dict[int | None, str]:
    return {p.line: p.message for p in error.problems}


def test_the_shipped_file_is_the_kalbar_tree(org):
    """data/organisations/kalbar.toml holds the tree the suite relies on: slugs, parents,
    contacts the importer matches on, and WIB (Asia/Pontianak) on the organisation."""
    assert org["pemprov-kalbar"].parent is None
    assert org["pemprov-kalbar"].time_zone == "Asia/Pontianak"
    assert org["kesra-bina-mental"].parent == org["biro-kesra"]
    assert org["biro-kesra"].parent == org["setda"]
    assert org["biro-kesra"].email == "kesra@kalbarprov.go.id"
    assert org["biro-kesra"].whatsapp == "085828735503"
    assert org["biro-umum"].website == "biroumum.provkalbar.go.id"
    assert org["kesra-bina-mental"].kind == "division"
    assert len(org) == 14
    assert list(org["biro-kesra"].children.values_list("slug", flat=True)) == [
        "kesra-bina-mental",
        "kesra-pelayanan-dasar",
        "kesra-pelayanan-non-dasar",
    ]


def test_loading_the_same_file_twice_changes_nothing(org):
    """A second load reports every unit unchanged and touches no row (updated_at stays)."""
    before = dict(Unit.objects.values_list("slug", "updated_at"))
    report = organisation_load(spec=parse_organisation(SHIPPED_ORGANISATION.read_text()))
    assert not report.changed
    assert len(report.unchanged) == 14
    assert dict(Unit.objects.values_list("slug", "updated_at")) == before


def test_a_changed_file_updates_by_slug_and_keeps_units_it_no_longer_names(org):
    """Changing a contact updates that unit only; a unit left out of the file is kept (cases
    may hang on it) and reported."""
    text = SHIPPED_ORGANISATION.read_text().replace(
        'email = "umum@kalbarprov.go.id"', 'email = "biroumum@kalbarprov.go.id"'
    )
    text = text.replace(
        '[[unit]]\nslug = "umum-perlengkapan"\nparent = "biro-umum"\n'
        'name = "Bagian Perlengkapan"\ncode = "PERLENGKAPAN"\n',
        "",
    )
    pk = org["biro-umum"].pk
    report = organisation_load(spec=parse_organisation(text))
    assert report.updated == {"biro-umum": ["email"]}
    assert report.not_in_file == ["umum-perlengkapan"]
    assert Unit.objects.get(slug="biro-umum").pk == pk
    assert Unit.objects.get(slug="biro-umum").email == "biroumum@kalbarprov.go.id"
    assert Unit.objects.filter(slug="umum-perlengkapan").exists()


def test_hours_and_time_zones_are_loaded_and_inherited():
    """A unit's hours become its OfficeHours week; zones are the unit's own, else the nearest
    ancestor's (WITA from the organisation), shorthands stored as IANA names."""
    report = organisation_load(spec=parse_organisation(SMALL))
    units = report.units
    assert units["pemkab-contoh"].time_zone == "Asia/Makassar"
    assert units["dinas-sosial"].time_zone == ""
    assert units["dinas-sosial"].time_zone_name() == "Asia/Makassar"
    assert units["dinsos-papua-office"].time_zone_name() == "Asia/Jayapura"
    week = {
        row.weekday: (row.opens, row.closes)
        for row in OfficeHours.objects.filter(unit=units["dinas-sosial"])
    }
    assert week[4] == (dt.time(8), dt.time(11))
    assert set(week) == {0, 1, 2, 3, 4}
    again = organisation_load(spec=parse_organisation(SMALL))
    assert not again.changed


def test_calendar_counts_in_the_units_zone():
    """The deadline of a WITA office is 15:00 WITA (= 14:00 WIB): Mon 7 Dec 2026 09:00 WITA + 1
    working day → Tue 8 Dec 15:00 WITA; in Jayapura (WIT, inheriting Dinas Sosial's hours) the
    same day closes at 15:00 WIT."""
    units = organisation_load(spec=parse_organisation(SMALL)).units
    wita, wit = ZoneInfo("Asia/Makassar"), ZoneInfo("Asia/Jayapura")
    one_day = Duration(value=1, unit="working_days", text="1 hari kerja")
    due = deadline(dt.datetime(2026, 12, 7, 9, tzinfo=wita), one_day, unit=units["dinas-sosial"])
    assert due == dt.datetime(2026, 12, 8, 15, tzinfo=wita)
    assert due.utcoffset() == dt.timedelta(hours=8)
    papua = Calendar.for_unit(units["dinsos-papua-office"])
    assert papua.hours(dt.date(2026, 12, 8))[1] == dt.datetime(2026, 12, 8, 15, tzinfo=wit)


@pytest.mark.parametrize(
    ("change", "line", "words"),
    [
        (('code = "CONTOH"', 'code = "CONTOH"\ncolour = "blue"'), 6, "colour"),
        (('parent = "dinas-sosial"', 'parent = "dinas-sosal"'), 25, "dinas-sosal"),
        (('slug = "dinsos-papua-office"', 'slug = "dinas-sosial"'), 24, "used twice"),
        (('time_zone = "Asia/Jayapura"', 'time_zone = "Europe/Berlin"'), 27, "Europe/Berlin"),
        (('fri = "08:00-11:00"', 'fri = "11:00-08:00"'), 21, "after opening"),
        (('fri = "08:00-11:00"', 'fri = "pagi"'), 21, "pagi"),
        (('fri = "08:00-11:00"', 'jum = "08:00-11:00"'), 21, "jum"),
        (('email = "dinsos@contoh.go.id"', 'email = "dinsos"'), 13, "e-mail"),
        (('time_zone = "WITA"\n', ""), 2, "time_zone"),
        (('kind = "bureau"', 'kind = "biro"'), 12, "biro"),
        (('name = "Dinas Sosial"\n', ""), 8, "name"),
        (('slug = "dinas-sosial"', 'slug = "dinas sosial"'), 9, "letters"),
        (("[unit.hours]", "[unit.hours"), 16, "TOML"),
    ],
)
def test_a_bad_file_names_the_line_and_writes_nothing(change, line, words):
    """Every kind of mistake is refused with the line it is on, and nothing is written."""
    text = SMALL.replace(*change)
    assert text != SMALL
    with pytest.raises(OrganisationFileError) as caught:
        organisation_load(spec=parse_organisation(text))
    problems = lines_of(caught.value)
    assert line in problems, caught.value.problems
    assert words in problems[line]
    assert not Unit.objects.exists()


def test_a_loop_of_parents_is_refused():
    """Two units naming each other as parent never reach the organisation."""
    text = SMALL + '\n[[unit]]\nslug = "a"\nparent = "b"\nname = "A"\n'
    text += '\n[[unit]]\nslug = "b"\nparent = "a"\nname = "B"\n'
    with pytest.raises(OrganisationFileError) as caught:
        parse_organisation(text)
    assert {p.line for p in caught.value.problems} == {30, 35}


def test_every_problem_is_reported_at_once():
    """The whole file is validated before anything is written: all problems in one answer."""
    text = SMALL.replace('kind = "bureau"', 'kind = "biro"').replace('"WITA"', '"CET"')
    with pytest.raises(OrganisationFileError) as caught:
        parse_organisation(text)
    assert set(lines_of(caught.value)) == {6, 12}


def test_another_organisation_is_refused(org):
    """An installation holds one organisation: a file about another one is refused, and the
    existing tree is left alone."""
    with pytest.raises(Exception, match="pemprov-kalbar"):
        organisation_load(spec=parse_organisation(SMALL))
    assert not Unit.objects.filter(slug="pemkab-contoh").exists()


def test_command_reports_and_is_idempotent(tmp_path):
    """manage.py load_organisation creates, then reports everything unchanged."""
    path = tmp_path / "org.toml"
    path.write_text(SMALL, encoding="utf-8")
    out = StringIO()
    call_command("load_organisation", str(path), stdout=out)
    assert "pemkab-contoh" in out.getvalue()
    out = StringIO()
    call_command("load_organisation", str(path), stdout=out)
    assert "3" in out.getvalue() and "pemkab-contoh" not in out.getvalue()


def test_command_dry_run_writes_nothing(tmp_path):
    """--dry-run validates and reports what would be created, and keeps nothing."""
    path = tmp_path / "org.toml"
    path.write_text(SMALL, encoding="utf-8")
    out = StringIO()
    call_command("load_organisation", str(path), "--dry-run", stdout=out)
    assert "dinas-sosial" in out.getvalue()
    assert not Unit.objects.exists()


def test_command_shows_each_problem_with_its_line(tmp_path):
    """A bad file fails the command with each problem and its line on stderr."""
    path = tmp_path / "org.toml"
    path.write_text(SMALL.replace('"WITA"', '"CET"'), encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("load_organisation", str(path), stderr=err)
    assert "6" in err.getvalue() and "CET" in err.getvalue()
    assert not Unit.objects.exists()


def test_inline_hours_errors_point_at_the_hours_line():
    """Hours written inline (hours = { … }) are checked the same way; the problem names the
    line of ``hours``."""
    text = SMALL.replace('code = "CONTOH"', 'code = "CONTOH"\nhours = { mon = "pagi" }')
    with pytest.raises(OrganisationFileError) as caught:
        parse_organisation(text)
    assert "pagi" in lines_of(caught.value)[6]
    ok = SMALL.replace('code = "CONTOH"', 'code = "CONTOH"\nhours = { mon = "08.00-12.00" }')
    week = parse_organisation(ok).organisation.hours
    assert week[0] == (dt.time(8), dt.time(12)) and week[1] is None
