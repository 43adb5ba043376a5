"""The Indonesian duration parser (layanan.workdays.durations.parse_duration).

Expected values are read off the texts by hand: "5 (lima) hari kerja" is five working days, etc.
"""

from __future__ import annotations

import pytest

from layanan.workdays.durations import (
    Duration,
    DurationParseError,
    DurationUnit,
    parse_duration,
    parse_number_words,
)

MIN, HOUR, WD, CD = "minutes", "hours", "working_days", "calendar_days"


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("15 Menit", 15, MIN),
        ("30 menit", 30, MIN),
        ("3 Jam", 3, HOUR),
        ("5 hari kerja", 5, WD),
        ("5 (lima) hari kerja", 5, WD),
        ("14 Hari Kerja", 14, WD),
        ("60 hari kalender", 60, CD),
        ("7 hari kalender", 7, CD),
        ("5 working days", 5, WD),
        ("3 hours", 3, HOUR),
        ("15 minutes", 15, MIN),
        ("5 HK", 5, WD),
    ],
)
def test_plain_durations(text, value, unit):
    """Number + unit in Indonesian and English, any case: the value and unit as written."""
    duration = parse_duration(text)
    assert (duration.value, duration.unit) == (value, unit)
    assert duration.ambiguous is False
    assert duration.is_fixed()
    assert duration.text == text


def test_bare_hari_is_working_days_but_ambiguous():
    """Bare "2 Hari" names no kind of day: working days, flagged for the importer's report."""
    duration = parse_duration("2 Hari")
    assert (duration.value, duration.unit, duration.ambiguous) == (2, WD, True)


def test_one_times_twenty_four_hours():
    """The phrase "1 x 24 jam" promises one whole day: 1 calendar day, not 24 office hours
    (which would be about three working days); "2x24 Jam" is 2 calendar days."""
    one = parse_duration("1 x 24 jam")
    assert (one.value, one.unit) == (1, "calendar_days")
    two = parse_duration("2x24 Jam")
    assert (two.value, two.unit) == (2, "calendar_days")


@pytest.mark.parametrize(
    "text",
    [
        "selambat-lambatnya 5 hari kerja",
        "Selambat lambatnya 5 hari kerja;",
        "paling lama 5 hari kerja.",
        "Maksimal 5 Hari Kerja",
        "  5   hari   kerja  ",
        "dalam waktu 5 hari kerja",
        "within 5 working days",
        "5 hari kerja sejak berkas diterima lengkap",
    ],
)
def test_qualifiers_spaces_and_punctuation(text):
    """Qualifiers in front, trailing punctuation, extra spaces and a "from when" clause do not
    change the reading: five working days."""
    duration = parse_duration(text)
    assert (duration.value, duration.unit) == (5, WD)
    assert duration.text == " ".join(text.split())


def test_descriptive_text_has_no_value():
    """Descriptive "Sesuai materi konsultasi" is a duration without number or unit, text kept."""
    duration = parse_duration("Sesuai materi konsultasi")
    assert duration == Duration(value=None, unit=None, text="Sesuai materi konsultasi")
    assert not duration.is_fixed()


def test_label_before_colon():
    """A label before a colon: "Administrasi : 15 Menit" → "Administrasi", 15 minutes; a
    labelled descriptive line keeps its label too."""
    duration = parse_duration("Administrasi : 15 Menit")
    assert (duration.label, duration.value, duration.unit) == ("Administrasi", 15, MIN)
    consult = parse_duration("Konsultasi : Sesuai materi konsultasi")
    assert (consult.label, consult.value, consult.unit) == ("Konsultasi", None, None)


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("lima hari kerja", 5, WD),
        ("lima belas menit", 15, MIN),
        ("dua puluh satu hari kalender", 21, CD),
        ("sepuluh jam", 10, HOUR),
        ("empat belas (14) hari kerja", 14, WD),
        ("five working days", 5, WD),
    ],
)
def test_numbers_in_words(text, value, unit):
    """Numbers written out in Indonesian (and small English ones) without digits."""
    duration = parse_duration(text)
    assert (duration.value, duration.unit) == (value, unit)


def test_number_words():
    """The word-number reader on its own, including invalid sequences."""
    assert parse_number_words("seratus dua puluh lima") == 125
    assert parse_number_words("sebelas") == 11
    assert parse_number_words("dua belas") == 12
    assert parse_number_words("lima lima") is None
    assert parse_number_words("puluh") is None
    assert parse_number_words("") is None


def test_ranges_take_the_upper_bound():
    """Ranges "3-5 hari kerja" / "3 s.d. 5 hari kerja": the office promises at most 5."""
    assert parse_duration("3-5 hari kerja").value == 5
    assert parse_duration("3 s.d. 5 hari kerja").value == 5
    assert parse_duration("3 sampai 5 hari kerja").value == 5


def test_weeks_and_months_are_calendar_days_flagged():
    """Weeks and months become calendar days (7, 30 per unit) and are marked ambiguous."""
    assert parse_duration("2 minggu").as_dict() | {"text": ""} == {
        "value": 14,
        "unit": CD,
        "text": "",
        "label": "",
        "ambiguous": True,
    }
    assert (parse_duration("1 bulan").value, parse_duration("1 bulan").unit) == (30, CD)


@pytest.mark.parametrize(
    "text",
    [
        "3 harian",  # "hari" inside a longer word
        "3 jamak",
        "hari kerja",  # no number
        "Proses dapat terlaksanakan dalam 2 Hari, tergantung jadwal",
        "3 hari untuk verifikasi dan 2 hari untuk survei",
        "-",
    ],
)
def test_not_a_duration(text):
    """Text that is not exactly one duration stays descriptive instead of being half-read."""
    assert not parse_duration(text).is_fixed()


def test_machine_form_is_understood():
    """The machine form of the deadline command ("5 working_days") parses the same way."""
    for unit in DurationUnit.values:
        duration = parse_duration(f"4 {unit}")
        assert (duration.value, duration.unit) == (4, unit)


@pytest.mark.parametrize("text", ["", "   ", None])
def test_empty_input_raises(text):
    """Only empty input is an error; DurationParseError is a ValueError."""
    with pytest.raises(DurationParseError):
        parse_duration(text)
    assert issubclass(DurationParseError, ValueError)


def test_as_dict_round_trip():
    """as_dict() gives the five documented keys and from_dict() reads them back."""
    duration = parse_duration("Administrasi : 15 Menit")
    data = duration.as_dict()
    assert set(data) == {"value", "unit", "text", "label", "ambiguous"}
    assert Duration.from_dict(data) == duration


def test_unit_labels_are_lazy_translations():
    """Choice labels are English msgids (translated lazily), values the stable machine names."""
    assert DurationUnit.WORKING_DAYS == "working_days"
    assert str(DurationUnit.WORKING_DAYS.label) in {"working days", "hari kerja"}
