"""Helpers shared by the benchmark scripts: Django set-up against the bench database, the
names of the generated staff accounts, and facts about the machine and the data volume."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/layanan_bench"

#: Every account bench/generate.py creates has this password (one hash, computed once).
BENCH_PASSWORD = "layanan-bench-2026"

#: Roles of the generated staff, per bureau (``<bureau slug>.<suffix>``) and per division.
BUREAU_STAFF = {
    "kepala": "head",
    "pengaduan": "complaint_officer",
    "pengaduan2": "complaint_officer",
    "informasi": "front_desk",
    "informasi2": "front_desk",
}
DIVISION_STAFF = {"staf1": "handler", "staf2": "handler", "staf3": "handler"}
GLOBAL_STAFF = {"bench.admin": "admin", "bench.inspektorat": "auditor"}


def staff_username(unit_slug: str, suffix: str) -> str:
    return f"{unit_slug}.{suffix}"


def setup_django(database_url: str | None = None) -> None:
    """Point Django at ``database_url`` (default: ``$DATABASE_URL`` or the bench database) and
    set it up. Must run before any import of the app's models."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database_url or os.environ.get(
        "DATABASE_URL", DEFAULT_DATABASE_URL
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "layanan.settings")
    import django

    django.setup()


def git_commit(short: bool = True) -> str:
    args = ["git", "-C", str(ROOT), "rev-parse", *(["--short"] if short else []), "HEAD"]
    try:
        commit = subprocess.run(args, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    dirty = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return f"{commit}-dirty" if dirty else commit


def machine_facts() -> dict:
    """CPU count and model, memory, Python and PostgreSQL versions, PG memory settings."""
    from django.db import connection

    facts = {
        "cpu_count": os.cpu_count(),
        "cpu_model": "",
        "memory_gb": None,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                facts["cpu_model"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                facts["memory_gb"] = round(int(line.split()[1]) / 1024 / 1024, 1)
                break
    except OSError:
        pass
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            facts["postgresql"] = cursor.fetchone()[0]
            for name in ("shared_buffers", "work_mem", "effective_cache_size", "jit"):
                cursor.execute(f"SHOW {name}")
                facts[f"pg_{name}"] = cursor.fetchone()[0]
    return facts


#: Tables whose row counts describe the data volume.
VOLUME_TABLES = (
    "core_unit",
    "accounts_user",
    "accounts_membership",
    "catalog_servicestandard",
    "cases_case",
    "cases_caseevent",
    "cases_casepause",
    "cases_casecounter",
    "complaints_complaintdetail",
    "visits_visitdetail",
    "visits_visitor",
    "visits_queuecounter",
    "bookings_bookingdetail",
    "bookings_audiencedetail",
    "bookings_resource",
    "surveys_surveyresponse",
    "surveys_surveyinvitation",
    "surveys_surveyperiod",
    "workdays_holiday",
)


def table_counts(tables=VOLUME_TABLES) -> dict[str, int]:
    """Exact row counts (``count(*)``) of ``tables``."""
    from django.db import connection

    counts = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def table_sizes(tables=VOLUME_TABLES) -> dict[str, str]:
    """Total on-disk size (heap + indexes + TOAST) of ``tables``, human readable."""
    from django.db import connection

    sizes = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute("SELECT pg_size_pretty(pg_total_relation_size(%s))", [table])
            sizes[table] = cursor.fetchone()[0]
    return sizes
