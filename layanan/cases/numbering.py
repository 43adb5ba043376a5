"""Case numbers (gapless per unit, kind and year) and public tracking codes (unguessable)."""

from __future__ import annotations

import re
import secrets

from django.db import connection, transaction

from .models import KIND_CODES, CaseCounter

# No 0/O, 1/I/L: a code read aloud over the phone or copied from paper stays unambiguous.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12  # 31**12 ≈ 7.9e17 ≈ 2**59 possibilities


def allocate_number(*, unit, kind: str, year: int) -> str:
    """The next number, e.g. ``KESRA/ADU/2026/000123``.

    Must run inside the transaction that creates the case: the counter row stays locked until
    that transaction ends, so concurrent writers queue up, and a rolled-back case gives its
    number back — the sequence has no gaps.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate_number must run inside the case's transaction")
    code = KIND_CODES[kind]
    # The UPDATE locks the row until our transaction ends (as SELECT … FOR UPDATE would), so
    # the next writer's UPDATE waits and then counts from our committed number.
    last = _increment(unit.pk, code, year)
    if last is None:  # the first case of the year: make the row
        CaseCounter.objects.get_or_create(unit=unit, kind_code=code, year=year)
        last = _increment(unit.pk, code, year)
    prefix = unit.code or unit.slug.upper()
    return f"{prefix}/{code}/{year}/{last:06d}"


def _increment(unit_id: int, kind_code: str, year: int) -> int | None:
    """Count one more on the counter row and read the new value in the same statement
    (``UPDATE … RETURNING``: PostgreSQL, and SQLite since 3.35); None when there is no row."""
    table = connection.ops.quote_name(CaseCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last = last + 1 "  # noqa: S608 (the table name is ours)
            "WHERE unit_id = %s AND kind_code = %s AND year = %s RETURNING last",
            [unit_id, kind_code, year],
        )
        row = cursor.fetchone()
    return row[0] if row is not None else None


def new_public_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_public_code(raw: str) -> str:
    """Accept what people type: lower case, spaces and dashes ("abcd-efgh-jkmn")."""
    return re.sub(r"[^0-9A-Za-z]", "", raw or "").upper()


def format_public_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))
