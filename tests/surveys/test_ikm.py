"""The IKM computation of PermenPANRB 14/2017, checked against examples worked by hand."""

from __future__ import annotations

import datetime
from decimal import Decimal
from fractions import Fraction

import pytest

from layanan.surveys.ikm import (
    BANDS,
    KREJCIE_MORGAN_TABLE,
    band_for,
    ikm_by_unit,
    ikm_compute,
    krejcie_morgan,
    krejcie_morgan_formula,
    round_half_up,
)

from .conftest import add_responses

# Four questionnaires, answers u1 … u9.
WORKED = [
    (4, 4, 3, 4, 3, 3, 4, 3, 3),
    (3, 3, 3, 4, 3, 3, 4, 2, 3),
    (3, 4, 2, 4, 3, 4, 4, 3, 3),
    (4, 3, 3, 4, 3, 3, 3, 3, 2),
]


@pytest.mark.django_db
def test_worked_example_by_hand(kesra, kesra_service):
    """NRR per element, weighted NRR, IKM and converted IKM follow the regulation exactly.

    By hand, n = 4 respondents:

    ====  ===============  ===  =========================  =================
    unsur answers          sum  NRR = sum / 4              NRR × 1/9
    ====  ===============  ===  =========================  =================
    U1    4 + 3 + 3 + 4    14   3.50                       0.3889
    U2    4 + 3 + 4 + 3    14   3.50                       0.3889
    U3    3 + 3 + 2 + 3    11   2.75                       0.3056
    U4    4 + 4 + 4 + 4    16   4.00                       0.4444
    U5    3 + 3 + 3 + 3    12   3.00                       0.3333
    U6    3 + 3 + 4 + 3    13   3.25                       0.3611
    U7    4 + 4 + 4 + 3    15   3.75                       0.4167
    U8    3 + 2 + 3 + 3    11   2.75                       0.3056
    U9    3 + 3 + 3 + 2    11   2.75                       0.3056
    ====  ===============  ===  =========================  =================

    Σ NRR = 29.25; IKM = 29.25 × 1/9 = 3.25 (exactly 117 / 36);
    converted = 3.25 × 25 = 81.25 → 76.61 ≤ 81.25 ≤ 88.30 → grade B, performance "Baik".
    (With the spreadsheet weight 0.111 it would be 29.25 × 0.111 × 25 = 81.17: still B, but
    not what the regulation's 1/9 gives.)
    """
    add_responses(WORKED, unit=kesra, service=kesra_service)
    result = ikm_compute(unit=kesra, count_population=False)

    assert result.respondents == 4
    nrr = [e.nrr for e in result.elements]
    assert nrr == [
        Fraction(7, 2), Fraction(7, 2), Fraction(11, 4), Fraction(4), Fraction(3),
        Fraction(13, 4), Fraction(15, 4), Fraction(11, 4), Fraction(11, 4),
    ]  # fmt: skip
    assert [round_half_up(e.weighted, 4) for e in result.elements] == [
        Decimal(x)
        for x in (
            *("0.3889", "0.3889", "0.3056", "0.4444", "0.3333"),
            *("0.3611", "0.4167", "0.3056", "0.3056"),
        )
    ]
    assert result.ikm == Fraction(117, 36) == Fraction(13, 4)
    assert result.converted == Decimal("81.25")
    assert result.grade == "B"
    assert result.band.performance == "baik"
    data = result.as_dict()
    assert data["ikm_converted"] == 81.25
    assert data["ikm"] == 3.25
    assert data["elements"][2] == {
        "element": "u3",
        "name": data["elements"][2]["name"],
        "nrr": 2.75,
        "nrr_weighted": 0.3056,
        "converted": 68.75,
        "grade": "C",
    }


@pytest.mark.django_db
def test_exact_weight_not_rounded_spreadsheet_weight(kesra):
    """All answers 4 give IKM 4.00 → 100.00 (A): the exact 1/9, not 0.111 (which gives 99.90)."""
    add_responses([(4,) * 9] * 3, unit=kesra)
    result = ikm_compute(unit=kesra, count_population=False)
    assert result.ikm == 4
    assert result.converted == Decimal("100.00")
    assert result.grade == "A"
    assert result.band.performance == "sangat_baik"


@pytest.mark.django_db
def test_all_ones_is_the_bottom_of_band_d(kesra):
    """All answers 1: IKM 1.00, converted 25.00, grade D, "Tidak Baik"."""
    add_responses([(1,) * 9] * 2, unit=kesra)
    result = ikm_compute(unit=kesra, count_population=False)
    assert result.converted == Decimal("25.00")
    assert (result.grade, result.band.performance) == ("D", "tidak_baik")


@pytest.mark.parametrize(
    ("converted", "grade", "performance"),
    [
        ("25.00", "D", "tidak_baik"),
        ("64.99", "D", "tidak_baik"),
        ("65.00", "C", "kurang_baik"),
        ("76.60", "C", "kurang_baik"),
        ("76.61", "B", "baik"),
        ("88.30", "B", "baik"),
        ("88.31", "A", "sangat_baik"),
        ("100.00", "A", "sangat_baik"),
    ],
)
def test_band_boundaries(converted, grade, performance):
    """The regulation's intervals, both ends of each band."""
    band = band_for(Decimal(converted))
    assert (band.grade, band.performance.value) == (grade, performance)


@pytest.mark.parametrize(
    ("exact", "shown", "grade"),
    [
        (Fraction(17661, 200), "88.31", "A"),  # 88.305 rounds half up into A
        (Fraction(88304999, 1000000), "88.30", "B"),
        (Fraction(15321, 200), "76.61", "B"),  # 76.605
        (Fraction(12999, 200), "65.00", "C"),  # 64.995
        (Fraction(64994, 1000), "64.99", "D"),
    ],
)
def test_values_in_the_gaps_between_bands_are_rounded_first(exact, shown, grade):
    """The table's gaps (64.99|65.00, 76.60|76.61, 88.30|88.31) are closed by grading the
    converted value rounded to two decimals, half up, computed without binary floats."""
    assert round_half_up(exact) == Decimal(shown)
    assert band_for(round_half_up(exact)).grade == grade


def test_bands_cover_25_to_100_without_gaps_at_two_decimals():
    """Every two-decimal value from 25.00 to 100.00 falls in exactly one band."""
    for hundredths in range(2500, 10001):
        value = Decimal(hundredths).scaleb(-2)
        hits = [b for b in BANDS if b.lowest <= value <= b.highest]
        assert len(hits) == 1, value


@pytest.mark.django_db
def test_unit_includes_sub_units_service_and_dates_filter(
    org, kesra, kesra_service, binmental_service
):
    """A Biro's IKM counts its Bagian's responses; --service and the date range narrow it;
    a sibling bureau's responses never count."""
    add_responses([(4,) * 9], unit=kesra, service=kesra_service)
    add_responses(
        [(2,) * 9],
        unit=org["kesra-bina-mental"],
        service=binmental_service,
        answered_on=datetime.date(2026, 8, 1),
    )
    add_responses([(1,) * 9] * 5, unit=org["biro-perekonomian"])

    whole = ikm_compute(unit=kesra, count_population=False)
    assert whole.respondents == 2
    assert whole.ikm == 3  # (4 + 2) / 2
    assert ikm_compute(unit=org["kesra-bina-mental"], count_population=False).ikm == 2
    assert ikm_compute(unit=kesra, service=kesra_service, count_population=False).ikm == 4
    first_half = ikm_compute(
        unit=kesra,
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 6, 30),
        count_population=False,
    )
    assert (first_half.respondents, first_half.ikm) == (1, 4)
    province = ikm_compute(unit=org["pemprov-kalbar"], count_population=False)
    assert province.respondents == 7


@pytest.mark.django_db
def test_no_responses_gives_no_grade(kesra):
    """Without responses there is no index and no grade, and a warning says so."""
    result = ikm_compute(unit=kesra, count_population=False)
    assert result.respondents == 0
    assert result.ikm is None and result.converted is None and result.grade == ""
    assert result.as_dict()["ikm_converted"] is None
    assert result.warnings


@pytest.mark.django_db
def test_query_count_does_not_grow_with_responses(kesra, kesra_service, django_assert_num_queries):
    """One aggregate query for the index (two with the people-served count), for 3 responses or
    300; both filter on the unit's subtree ids, read once per unit object."""
    add_responses(WORKED[:3], unit=kesra, service=kesra_service)
    with django_assert_num_queries(2):  # + the unit's subtree ids, once per unit object
        ikm_compute(unit=kesra, service=kesra_service, count_population=False)
    add_responses(WORKED * 75, unit=kesra, service=kesra_service)
    with django_assert_num_queries(1):
        result = ikm_compute(unit=kesra, service=kesra_service, count_population=False)
    with django_assert_num_queries(2):
        counted = ikm_compute(unit=kesra, service=kesra_service)
    with django_assert_num_queries(2):
        ikm_compute(unit=kesra, service=kesra_service)
    assert result.respondents == counted.respondents == 303
    assert counted.population == 0


@pytest.mark.django_db
def test_by_unit_rolls_sub_units_up_in_three_queries(
    org, kesra, kesra_service, binmental_service, django_assert_num_queries
):
    """The results list: each unit with its sub-units, the same figures as ikm_compute, in a
    fixed number of queries."""
    add_responses(WORKED, unit=kesra, service=kesra_service)
    add_responses([(2,) * 9] * 2, unit=org["kesra-bina-mental"], service=binmental_service)
    add_responses([(3,) * 9], unit=org["biro-umum"])
    with django_assert_num_queries(3):
        results = {r.unit.slug: r for r in ikm_by_unit()}
    assert set(results) == {
        "pemprov-kalbar", "setda", "biro-kesra", "kesra-bina-mental", "biro-umum"
    }  # fmt: skip
    single = ikm_compute(unit=kesra, count_population=False)
    assert results["biro-kesra"].ikm == single.ikm
    assert results["biro-kesra"].respondents == 6
    assert results["kesra-bina-mental"].ikm == 2
    assert results["pemprov-kalbar"].respondents == 7


@pytest.mark.django_db
def test_sample_warning_when_responses_fall_short(kesra):
    """100 people served need 80 respondents (Krejcie–Morgan): 4 respondents warn."""
    add_responses(WORKED, unit=kesra)
    result = ikm_compute(unit=kesra, population=100)
    assert result.min_sample == 80
    assert result.sample_short
    assert any("80" in w for w in result.warnings)
    assert result.as_dict()["sample_sufficient"] is False
    enough = ikm_compute(unit=kesra, population=4)
    assert enough.min_sample == 4 and not enough.sample_short


@pytest.mark.parametrize(("population", "sample"), KREJCIE_MORGAN_TABLE)
def test_krejcie_morgan_table_values(population, sample):
    """Every row of the Krejcie–Morgan table; the formula (χ² = 3.841, P = 0.5, d = 0.05)
    rounded half up reproduces each one, so between rows it is the formula that applies."""
    assert krejcie_morgan(population) == sample
    assert round_half_up(krejcie_morgan_formula(population), 0) == sample


def test_krejcie_morgan_between_rows_and_small_populations():
    """Examples of REGULATIONS.md; between rows the value lies between its neighbours; ten or
    fewer people are all surveyed; nobody served needs no sample."""
    assert [krejcie_morgan(n) for n in (100, 1_000, 10_000, 1_000_000)] == [80, 278, 370, 384]
    assert krejcie_morgan(105) == 83  # formula 82.63
    assert krejcie_morgan(5_000_000) == 384
    assert krejcie_morgan(7) == 7
    assert krejcie_morgan(0) == 0
    previous = 0
    for n in range(1, 20_001, 7):
        value = krejcie_morgan(n)
        assert value >= previous
        previous = value
