"""manage.py import_survey_responses: CSV and XLSX, all-or-nothing, bad rows by number."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import Workbook

from layanan.surveys.ikm import ikm_compute
from layanan.surveys.models import SurveyPeriod, SurveyResponse

HEADER = "u1,u2,u3,u4,u5,u6,u7,u8,u9,tanggal,jenis_kelamin,umur,pendidikan,pekerjaan,saran"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def write_csv(tmp_path, lines, name="skm.csv", sep=","):
    path = tmp_path / name
    path.write_text("\n".join(line.replace(",", sep) for line in lines) + "\n", encoding="utf-8")
    return path


def run(*args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("import_survey_responses", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_good_csv_is_imported(tmp_path, kesra, kesra_service):
    """Every row becomes a response of the unit and service, with its date and profile."""
    path = write_csv(
        tmp_path,
        [
            HEADER,
            "4,4,3,4,3,3,4,3,3,2026-03-02,L,34,S1,PNS,Ruang tunggu nyaman",
            "3,3,3,4,3,3,4,2,3,03/03/2026,Perempuan,51,SMA,wiraswasta,",
            "3,4,2,4,3,4,4,3,3,,,,,,",
        ],
    )
    out, err = run(str(path), "--unit", "biro-kesra", "--service", kesra_service.slug)
    assert "3 response(s) imported" in out
    assert err == ""
    rows = list(SurveyResponse.objects.order_by("pk"))
    assert rows[0].answers() == [4, 4, 3, 4, 3, 3, 4, 3, 3]
    assert rows[0].answered_on == datetime.date(2026, 3, 2)
    assert (rows[0].gender, rows[0].age, rows[0].education, rows[0].occupation) == (
        "L", 34, "s1", "pns"
    )  # fmt: skip
    assert rows[0].comment == "Ruang tunggu nyaman"
    assert rows[1].answered_on == datetime.date(2026, 3, 3)
    assert (rows[1].gender, rows[1].occupation) == ("P", "wirausaha")
    assert {r.service_id for r in rows} == {kesra_service.pk}
    assert {r.channel for r in rows} == {"import"}
    assert rows[0].source_name == "skm.csv"


@pytest.mark.django_db
def test_semicolon_csv_from_indonesian_excel(tmp_path, kesra):
    """Excel set to Indonesian saves CSV with semicolons; the delimiter is detected."""
    path = write_csv(tmp_path, ["U1,U2,U3,U4,U5,U6,U7,U8,U9", "4,4,4,4,4,4,4,4,4"], sep=";")
    run(str(path), "--unit", "biro-kesra")
    assert SurveyResponse.objects.count() == 1


@pytest.mark.django_db
def test_bad_row_imports_nothing_and_names_the_row(tmp_path, kesra):
    """One bad row among good ones: nothing is written, and the error gives the row number
    (as the spreadsheet shows it, header = row 1) and the reason, for every bad row."""
    path = write_csv(
        tmp_path,
        [
            HEADER,
            "4,4,3,4,3,3,4,3,3,2026-03-02,L,34,S1,PNS,",
            "3,3,5,4,3,3,4,2,3,2026-03-02,L,34,S1,PNS,",
            "3,3,3,4,3,3,4,2,3,2026-03-02,X,34,S1,PNS,",
            "3,3,3,4,3,3,4,2,,kemarin,L,200,S1,PNS,",
        ],
    )
    with pytest.raises(CommandError, match="3 bad row"):
        run(str(path), "--unit", "biro-kesra")
    assert SurveyResponse.objects.count() == 0
    # The details went to stderr.
    from io import StringIO

    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_survey_responses", str(path), "--unit", "biro-kesra", stderr=err)
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("Row 3:") and "u3 must be 1, 2, 3 or 4, not “5”" in lines[0]
    assert lines[1].startswith("Row 4:") and "jenis_kelamin" in lines[1]
    assert lines[2].startswith("Row 5:")
    assert "u9 must be 1, 2, 3 or 4, not “empty”" in lines[2]
    assert "kemarin" in lines[2] and "umur" in lines[2]


@pytest.mark.django_db
def test_good_xlsx_is_imported_with_real_dates_and_numbers(tmp_path, kesra):
    """XLSX cells arrive as numbers (4.0) and dates; both are understood. The IKM of the
    imported rows is that of the same answers entered by hand."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    sheet.append([4, 4, 3, 4, 3, 3, 4, 3, 3, datetime.datetime(2026, 3, 2), "L", 30])
    sheet.append([4.0, 3, 3, 4, 3, 3, 3, 3, 2, datetime.date(2026, 3, 4), "P", 41.0, "D3"])
    sheet.append([None] * 9)  # a blank row is skipped
    path = tmp_path / "skm.xlsx"
    workbook.save(path)
    out, _err = run(str(path), "--unit", "biro-kesra")
    assert "2 response(s) imported" in out
    rows = list(SurveyResponse.objects.order_by("answered_on"))
    assert [r.answered_on for r in rows] == [datetime.date(2026, 3, 2), datetime.date(2026, 3, 4)]
    assert rows[1].age == 41 and rows[1].education == "diploma"
    result = ikm_compute(unit=kesra, count_population=False)
    assert result.respondents == 2


@pytest.mark.django_db
def test_bad_xlsx_row_imports_nothing(tmp_path, kesra):
    """The same all-or-nothing rule for XLSX, with the sheet's row number."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9"])
    sheet.append([4] * 9)
    sheet.append([4] * 9)
    sheet.append([4, 4, 4, 4, "empat", 4, 4, 4, 4])
    path = tmp_path / "skm.xlsx"
    workbook.save(path)
    from io import StringIO

    err = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_survey_responses", str(path), "--unit", "biro-kesra", stderr=err)
    assert err.getvalue().startswith("Row 4: u5 must be 1, 2, 3 or 4, not “empat”")
    assert SurveyResponse.objects.count() == 0


@pytest.mark.django_db
def test_missing_columns_unknown_unit_and_wrong_file_type(tmp_path, kesra, binmental_service):
    """Clear errors, nothing written: a header without u9, an unknown unit, an unknown or
    foreign service, a .docx file, a missing file."""
    no_u9 = write_csv(tmp_path, ["u1,u2,u3,u4,u5,u6,u7,u8", "4,4,4,4,4,4,4,4"])
    with pytest.raises(CommandError, match=r"missing column.*u9"):
        run(str(no_u9), "--unit", "biro-kesra")
    good = write_csv(tmp_path, ["u1,u2,u3,u4,u5,u6,u7,u8,u9", "4,4,4,4,4,4,4,4,4"], "g.csv")
    with pytest.raises(CommandError, match="Unknown unit"):
        run(str(good), "--unit", "nope")
    with pytest.raises(CommandError, match="Unknown service"):
        run(str(good), "--unit", "biro-umum", "--service", binmental_service.slug)
    other = tmp_path / "skm.docx"
    other.write_bytes(b"PK\x03\x04")
    with pytest.raises(CommandError, match="Unsupported file type"):
        run(str(other), "--unit", "biro-kesra")
    with pytest.raises(CommandError, match="File not found"):
        run(str(tmp_path / "absent.csv"), "--unit", "biro-kesra")
    assert SurveyResponse.objects.count() == 0


@pytest.mark.django_db
def test_period_checks_dates_and_dates_rows_without_one(tmp_path, kesra):
    """With --period a date outside it is a bad row; a row without a date is counted on the
    period's last day (paper forms often carry only the semester)."""
    period = SurveyPeriod.objects.create(
        name="Semester I 2025",
        slug="2025-1",
        start=datetime.date(2025, 1, 1),
        end=datetime.date(2025, 6, 30),
    )
    outside = write_csv(tmp_path, [HEADER, "4,4,4,4,4,4,4,4,4,2025-07-01,,,,,"], "o.csv")
    with pytest.raises(CommandError):
        run(str(outside), "--unit", "biro-kesra", "--period", period.slug)
    undated = write_csv(tmp_path, ["u1,u2,u3,u4,u5,u6,u7,u8,u9", "4,4,4,4,4,4,4,4,4"], "u.csv")
    run(str(undated), "--unit", "biro-kesra", "--period", period.slug)
    assert SurveyResponse.objects.get().answered_on == datetime.date(2025, 6, 30)
