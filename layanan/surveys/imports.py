"""Reading paper or spreadsheet survey results: CSV or XLSX, one questionnaire per row.

Columns (header row, any order, case-insensitive): ``u1`` … ``u9`` (required, 1–4) and
optionally ``tanggal`` (date answered), ``jenis_kelamin``, ``umur``, ``pendidikan``,
``pekerjaan``, ``saran``. Every row is checked before anything is written; a file with any bad
row imports nothing, and each bad row is reported with its row number as the spreadsheet shows
it (the header is row 1).
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

from layanan.catalog.models import ServiceStandard
from layanan.core.errors import ApplicationError
from layanan.core.models import Unit

from .models import ResponseChannel, SurveyPeriod, SurveyResponse
from .questionnaire import ELEMENT_FIELDS, Education, Gender, Occupation
from .services import survey_response_build

OPTIONAL_COLUMNS = ("tanggal", "jenis_kelamin", "umur", "pendidikan", "pekerjaan", "saran")
MAX_ROWS = 50_000

GENDER_WORDS = {
    "l": Gender.MALE, "laki-laki": Gender.MALE, "laki laki": Gender.MALE, "pria": Gender.MALE,
    "m": Gender.MALE, "male": Gender.MALE,
    "p": Gender.FEMALE, "perempuan": Gender.FEMALE, "wanita": Gender.FEMALE,
    "f": Gender.FEMALE, "female": Gender.FEMALE,
}  # fmt: skip
EDUCATION_WORDS = {
    "sd": Education.SD, "sd ke bawah": Education.SD, "smp": Education.SMP, "sltp": Education.SMP,
    "sma": Education.SMA, "smk": Education.SMA, "slta": Education.SMA, "sma/smk": Education.SMA,
    "d1": Education.DIPLOMA, "d2": Education.DIPLOMA, "d3": Education.DIPLOMA,
    "d4": Education.DIPLOMA, "diploma": Education.DIPLOMA,
    "s1": Education.S1, "s2": Education.S2, "s3": Education.S3,
}  # fmt: skip
OCCUPATION_WORDS = {
    "pns": Occupation.PNS, "asn": Occupation.PNS, "tni": Occupation.TNI,
    "polri": Occupation.POLRI, "swasta": Occupation.PRIVATE, "pegawai swasta": Occupation.PRIVATE,
    "wirausaha": Occupation.SELF_EMPLOYED, "wiraswasta": Occupation.SELF_EMPLOYED,
    "lainnya": Occupation.OTHER, "lain-lain": Occupation.OTHER,
}  # fmt: skip
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


@dataclass
class ImportReport:
    rows: int = 0  # data rows read (blank rows skipped)
    responses: list[SurveyResponse] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (row number, reason)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.responses)


def read_table(path: Path) -> list[tuple[int, list[object]]]:
    """(row number, cells) of every row of the first sheet, header included."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix in (".csv", ".txt"):
        return _read_csv(path)
    raise ApplicationError(
        _("Unsupported file type %(suffix)s: use .csv or .xlsx.") % {"suffix": suffix or "?"},
        "unsupported_file",
    )


def _read_xlsx(path: Path) -> list[tuple[int, list[object]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise ApplicationError(
            _("Cannot read %(name)s as an Excel workbook: %(error)s")
            % {"name": path.name, "error": error},
            "unreadable_file",
        ) from error
    try:
        sheet = workbook.worksheets[0]
        return [
            (number, list(row))
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        workbook.close()


def _read_csv(path: Path) -> list[tuple[int, list[object]]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    # Numbered by record, as a spreadsheet numbers the rows (a cell may span lines).
    return [(number, list(cells)) for number, cells in enumerate(reader, start=1)]


def _blank(cells: list[object]) -> bool:
    return all(cell is None or str(cell).strip() == "" for cell in cells)


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _answer(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        text = _text(value).replace(",", ".")
        if not re.fullmatch(r"\d+(\.0+)?", text):
            return None
        number = int(float(text))
    return number if 1 <= number <= 4 else None


def _date(value: object) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _choice(value: object, words: dict, column: str) -> str:
    text = _text(value).lower()
    if not text:
        return ""
    if text in words:
        return str(words[text])
    if text in {str(v) for v in words.values()}:
        return text
    raise ApplicationError(
        _("%(column)s: unknown value “%(value)s”.") % {"column": column, "value": _text(value)}
    )


def _row_to_response(
    values: dict[str, object], *, unit, service, period, source_name: str
) -> SurveyResponse:
    problems = []
    answers = {}
    for name in ELEMENT_FIELDS:
        answer = _answer(values.get(name))
        if answer is None:
            shown = _text(values.get(name)) or _("empty")
            problems.append(
                _("%(column)s must be 1, 2, 3 or 4, not “%(value)s”")
                % {"column": name, "value": shown}
            )
        answers[name] = answer
    answered_on = None
    if _text(values.get("tanggal")):
        try:
            answered_on = _date(values["tanggal"])
        except ValueError:
            problems.append(
                _("tanggal: “%(value)s” is not a date (use YYYY-MM-DD or DD/MM/YYYY)")
                % {"value": _text(values["tanggal"])}
            )
    if answered_on is not None and period is not None and not period.contains(answered_on):
        problems.append(
            _("tanggal: %(date)s is outside the period %(period)s (%(start)s – %(end)s)")
            % {
                "date": answered_on.isoformat(),
                "period": period.name,
                "start": period.start.isoformat(),
                "end": period.end.isoformat(),
            }
        )
    if answered_on is None and period is not None:
        # Paper forms often carry only the period: count them on its last day (or today).
        answered_on = min(period.end, timezone.localdate())
    profile: dict[str, object] = {"comment": _text(values.get("saran"))}
    for column, key, words in (
        ("jenis_kelamin", "gender", GENDER_WORDS),
        ("pendidikan", "education", EDUCATION_WORDS),
        ("pekerjaan", "occupation", OCCUPATION_WORDS),
    ):
        try:
            profile[key] = _choice(values.get(column), words, column)
        except ApplicationError as error:
            problems.append(error.message)
    age_text = _text(values.get("umur"))
    profile["age"] = None
    if age_text:
        age = _answer_age(values.get("umur"))
        if age is None:
            problems.append(
                _("umur: “%(value)s” is not an age from 10 to 120") % {"value": age_text}
            )
        profile["age"] = age
    if problems:
        raise ApplicationError("; ".join(problems))
    return survey_response_build(
        unit=unit,
        service=service,
        answers=answers,
        profile=profile,
        channel=ResponseChannel.IMPORT,
        answered_on=answered_on,
        source_name=source_name,
    )


def _answer_age(value: object) -> int | None:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        age = value
    else:
        text = _text(value)
        if not text.isdigit():
            return None
        age = int(text)
    return age if 10 <= age <= 120 else None


def survey_file_read(
    path: Path,
    *,
    unit: Unit,
    service: ServiceStandard | None = None,
    period: SurveyPeriod | None = None,
) -> ImportReport:
    """Read and check every row of ``path``; nothing is written. ``report.errors`` lists each
    bad row with its number and reason."""
    if service is not None and not service.unit.is_within(unit):
        raise ApplicationError(
            _("The service %(service)s does not belong to %(unit)s.")
            % {"service": service.name, "unit": unit.display_name},
            "service_unit_mismatch",
        )
    if period is not None and period.unit_id and not unit.is_within(period.unit):
        raise ApplicationError(
            _("The period %(period)s belongs to another unit.") % {"period": period.name},
            "period_unit_mismatch",
        )
    table = read_table(path)
    report = ImportReport()
    rows = [(number, cells) for number, cells in table if not _blank(cells)]
    if not rows:
        raise ApplicationError(_("The file is empty."), "empty_file")
    header_number, header_cells = rows[0]
    header = [_text(cell).lower().replace(" ", "_") for cell in header_cells]
    missing = [name for name in ELEMENT_FIELDS if name not in header]
    if missing:
        raise ApplicationError(
            _("Row %(row)s (header): missing column(s) %(columns)s; expected u1 … u9.")
            % {"row": header_number, "columns": ", ".join(missing)},
            "missing_columns",
        )
    known = set(ELEMENT_FIELDS) | set(OPTIONAL_COLUMNS)
    report.ignored_columns = [name for name in header if name and name not in known]
    if len(rows) - 1 > MAX_ROWS:
        raise ApplicationError(
            _("Too many rows: at most %(max)s per file.") % {"max": MAX_ROWS}, "too_many_rows"
        )
    for number, cells in rows[1:]:
        report.rows += 1
        values = {name: (cells[i] if i < len(cells) else None) for i, name in enumerate(header)}
        try:
            report.responses.append(
                _row_to_response(
                    values, unit=unit, service=service, period=period, source_name=path.name
                )
            )
        except ApplicationError as error:
            report.errors.append((number, error.message))
    return report
