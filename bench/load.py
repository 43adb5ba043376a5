"""Load benchmark: gunicorn (2 sync workers) + wrk over the loopback, one table of results.

    .venv/bin/python bench/load.py [--database-url URL] [--duration 20s] [--threads 2]
                                   [--connections 4] [--scenario a,b,c,d,e,f]

Scenarios (each a bounded wrk run; see bench/README.md):

  a  ceiling    bare Django JSON view, one Case by tracking code (bench/urls.py)
  b  tracking   public tracking page /lacak/<code>/ with random real codes
  c  inbox      staff inbox of one unit, default order (by due time), logged in
  d  submit     public complaint form: GET it, POST it with its CSRF token (16 connections)
  e  report     monthly evaluation page of one unit (/staf/laporan/?unit=&bulan=), logged in
  f  ikm        GET /api/v1/ikm?unit=&from=&to= (public API)
  g  report-pdf the monthly evaluation PDF (optional, not run by default)

(e), (g) and (f) read closed months from the stored snapshots (docs/reports.md) once stored:
the default --month (last month) measures the stored read after the first request — run
``manage.py fill_report_snapshots`` first; --month of this month measures the live computation.

Queries per request come from the X-Bench-Queries header that bench.querycount.QueryCountMiddleware
adds to every response (all queries of the request, middleware included), averaged by the Lua
scripts over every response of the run. Results go to bench/results/<date>-load-<commit>.md and
.json. Needs the database migrated and filled (bench/generate.py, or `manage.py load_demo` and a
few cases for a small trial).
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.cookiejar
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
LUA_DIR = BENCH / "lua"
RESULTS_DIR = BENCH / "results"
TMP_DIR = RESULTS_DIR / "tmp"
VENV_BIN = Path(sys.executable).parent
if str(ROOT) not in sys.path:  # run as a script: bench/ is on the path, the project is not
    sys.path.insert(0, str(ROOT))

from bench.server import Server, ServerError  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/layanan_bench"

# Bench accounts, created (or reset) by this script. Roles that do not require a second factor
# (OTP_REQUIRED_FOR_ROLES is admin and head), so the production 2FA setting stays on.
INBOX_USER = "bench.inbox"  # complaint officer of the bench unit: the inbox of that unit
REPORT_USER = "bench.report"  # auditor (APIP): reads the monthly evaluation of any unit
BENCH_PASSWORD = "bench-load-password-2026"  # a throw-away bench account

CODES_SAMPLE = 20_000
SUBMIT_CONNECTIONS = 16
DRAIN_MAX_S = 60
FEW_SAMPLES = 100  # fewer responses than this: p99 is hardly more than the maximum
VACUUM_TABLES = ("cases_case", "complaints_complaintdetail", "cases_casecounter", "django_session")
VOLUME_SHOWN = ("cases_case", "cases_caseevent", "surveys_surveyresponse", "core_unit")

TARGET_B_RATIO = 0.5
TARGET_C_P99_MS = 100
TARGET_C_QUERIES = 10
TARGET_E_P99_MS = 1000


@dataclass
class Scenario:
    key: str
    name: str
    script: str
    expected: tuple[int, ...] = (200,)
    connections: int | None = None  # None: --connections
    env: dict[str, str] = field(default_factory=dict)
    url: str = ""  # what it requests, for the table's notes


@dataclass
class Result:
    key: str
    name: str
    url: str
    connections: int
    threads: int
    duration_s: float
    requests: int
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    statuses: dict[str, int]
    queries_mean: float | None
    queries_max: int | None
    socket_errors: dict[str, int]
    unexpected: int
    extra: dict = field(default_factory=dict)


# --- setup ---------------------------------------------------------------------------------------


def ensure_wrk() -> str:
    path = shutil.which("wrk")
    if path:
        return path
    print("wrk not found; installing the Debian package `wrk` with apt-get …", flush=True)
    if os.geteuid() != 0:
        sys.exit("wrk is missing: install it with `sudo apt-get install wrk` and run again.")
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "wrk"],
        check=True,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )
    path = shutil.which("wrk")
    if not path:
        sys.exit("wrk could not be installed: apt-get install wrk")
    return path


def wrk_version(wrk: str) -> str:
    out = subprocess.run([wrk, "-v"], capture_output=True, text=True, check=False)
    first = (out.stdout + out.stderr).splitlines()[0]
    return first.split(" Copyright")[0].strip()  # "wrk debian/4.1.0-3+b2 [epoll]"


def django_setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def ensure_static() -> None:
    """DEBUG off serves static files through WhiteNoise's manifest: collect them if needed."""
    from django.conf import settings

    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        print("collectstatic (the manifest storage needs it with DEBUG off) …", flush=True)
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)


# --- data the scenarios need ----------------------------------------------------------------------


def pick_unit(slug: str | None):
    """The unit of (c), (e), (f): the one asked for, else the one with the most cases."""
    from django.db.models import Count

    from layanan.cases.models import Case
    from layanan.core.models import Unit

    if slug:
        return Unit.objects.get(slug=slug)
    top = Case.objects.values("unit_id").annotate(n=Count("pk")).order_by("-n", "unit_id").first()
    if top is None:
        sys.exit("The database has no case: fill it first (bench/generate.py).")
    return Unit.objects.get(pk=top["unit_id"])


def pick_submit_unit(unit):
    """The unit whose complaint form (d) fills in: the bench unit if it takes complaints,
    else the first unit that does."""
    from layanan.complaints.public_forms import complaint_units

    units = list(complaint_units())
    if not units:
        sys.exit("No unit takes complaints (no published standard accepts them): load_demo first.")
    return unit if unit in units else units[0]


def write_codes(path: Path, sample: int) -> int:
    """Random tracking codes of complaints spread over the whole table, canonical form."""
    from django.db import connection

    from layanan.cases.numbering import format_public_code

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cases_case WHERE kind = 'complaint'")
        total = cursor.fetchone()[0]
        if total == 0:
            sys.exit("The database has no complaint: fill it first (bench/generate.py).")
        # Bernoulli sampling keeps each row with the same chance, over the whole table; a little
        # more than needed, then a random subset of those (never the first rows on disk).
        percent = min(100.0, 100.0 * sample * 1.3 / total)
        cursor.execute(
            "SELECT public_code FROM cases_case TABLESAMPLE BERNOULLI (%s) "
            "WHERE kind = 'complaint' ORDER BY random() LIMIT %s",
            [percent, sample],
        )
        codes = [format_public_code(row[0]) for row in cursor.fetchall()]
    path.write_text("\n".join(codes) + "\n")
    return len(codes)


def ensure_bench_users(unit) -> None:
    from layanan.accounts.models import Membership, Role, User

    for username, role in ((INBOX_USER, Role.COMPLAINT_OFFICER), (REPORT_USER, Role.AUDITOR)):
        user, _created = User.objects.get_or_create(
            username=username, defaults={"full_name": f"Bench {role.label}"}
        )
        user.is_active = True
        user.set_password(BENCH_PASSWORD)
        user.save()
        # exactly one membership: the role in the bench unit (a rerun may use another unit)
        Membership.objects.filter(user=user).exclude(unit=unit, role=role).delete()
        Membership.objects.get_or_create(user=user, unit=unit, role=role)


def report_month(text: str | None) -> str:
    from django.utils import timezone

    from layanan.reports.metrics import Month

    if text:
        return str(Month.parse(text))
    return str(Month.of(timezone.localdate()).previous())


def ikm_range(year: int | None) -> tuple[str, str]:
    from django.utils import timezone

    year = year or timezone.localdate().year
    return f"{year}-01-01", f"{year}-12-31"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def login(base: str, username: str, password: str, path: str = "/akun/masuk/") -> str:
    """Log in through the real login form at ``path``; return the Cookie header for wrk."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())
    page = opener.open(base + path, timeout=30).read().decode()
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if not match:
        sys.exit("No CSRF token on the login page")
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": match.group(1), "username": username, "password": password}
    ).encode()
    try:
        opener.open(base + path, data=data, timeout=30)
        sys.exit(f"Login of {username} did not redirect (wrong password or locked out?)")
    except urllib.error.HTTPError as error:
        if error.code != 302:
            sys.exit(f"Login of {username} answered {error.code}")
    cookies = {c.name: c.value for c in jar}
    if "sessionid" not in cookies:
        sys.exit(f"Login of {username} set no session cookie")
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def fetch(base: str, path: str, cookie: str = "") -> tuple[int, dict, bytes]:
    request = urllib.request.Request(base + path, headers={"Cookie": cookie} if cookie else {})
    opener = urllib.request.build_opener(NoRedirect())
    try:
        with opener.open(request, timeout=120) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


# --- wrk -----------------------------------------------------------------------------------------


def run_wrk(
    wrk: str, base: str, scenario: Scenario, *, duration: str, threads: int, connections: int
) -> dict:
    threads = min(threads, connections)
    env = {**os.environ, "BENCH_LUA_DIR": str(LUA_DIR), **scenario.env}
    cmd = [
        wrk,
        f"--threads={threads}",
        f"--connections={connections}",
        f"--duration={duration}",
        "--timeout=30s",
        f"--script={LUA_DIR / scenario.script}",
        base,
    ]
    seconds = parse_duration(duration)
    out = subprocess.run(
        cmd, env=env, capture_output=True, text=True, timeout=seconds + 120, check=False
    )
    line = next(
        (ln for ln in out.stdout.splitlines() if ln.startswith("BENCH_RESULT ")),
        None,
    )
    if out.returncode != 0 or line is None:
        sys.exit(f"wrk failed for {scenario.key} ({out.returncode}):\n{out.stdout}\n{out.stderr}")
    return json.loads(line.removeprefix("BENCH_RESULT ")) | {"threads": threads}


def parse_duration(text: str) -> int:
    match = re.fullmatch(r"(\d+)([smh]?)", text.strip())
    if not match:
        raise argparse.ArgumentTypeError(f"duration like 20s, 2m: {text!r}")
    return int(match.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[match.group(2)]


def to_result(scenario: Scenario, raw: dict, connections: int) -> Result:
    duration_s = raw["duration_us"] / 1e6
    statuses = {k: int(v) for k, v in (raw["statuses"] or {}).items()}
    unexpected = sum(n for code, n in statuses.items() if int(code) not in scenario.expected)
    extra = dict(raw.get("extra") or {})
    codes = raw.get("codes") or []
    extra["codes"] = list(codes.values()) if isinstance(codes, dict) else codes  # {}: empty
    return Result(
        key=scenario.key,
        name=scenario.name,
        url=scenario.url,
        connections=connections,
        threads=raw["threads"],
        duration_s=round(duration_s, 2),
        requests=int(raw["requests"]),
        rps=round(raw["requests"] / duration_s, 1) if duration_s else 0.0,
        p50_ms=round(raw["p50_us"] / 1000, 1),
        p90_ms=round(raw["p90_us"] / 1000, 1),
        p99_ms=round(raw["p99_us"] / 1000, 1),
        max_ms=round(raw["max_us"] / 1000, 1),
        statuses=dict(sorted(statuses.items())),
        queries_mean=round(raw["queries_sum"] / raw["queries_n"], 2) if raw["queries_n"] else None,
        queries_max=int(raw["queries_max"]) if raw["queries_n"] else None,
        socket_errors={
            k.removeprefix("errors_"): int(raw[k])
            for k in ("errors_connect", "errors_read", "errors_write", "errors_timeout")
            if raw[k]
        },
        unexpected=unexpected,
        extra=extra,
    )


# --- scenario (d): checks ------------------------------------------------------------------------


def case_count() -> int:
    from layanan.cases.models import Case

    return Case.objects.count()


def check_submissions(before: int, result: Result) -> dict:
    """Every 303 the lua script saw names a case that exists; the count grew by the filed ones
    (plus at most the POSTs still in flight when wrk stopped); numbers per (unit, kind, year)
    have no gap and no duplicate."""
    from django.db import connection

    from layanan.cases.models import Case
    from layanan.cases.numbering import normalise_public_code

    after = case_count()
    extra = result.extra
    codes = extra.get("codes") or []
    normalised = [normalise_public_code(c) for c in codes]
    found = set(
        Case.objects.filter(public_code__in=normalised).values_list("public_code", flat=True)
    )
    missing = sorted(set(normalised) - found)
    filed = int(extra.get("filed", 0))
    posts_sent = int(extra.get("posts_sent", 0))
    posts_answered = int(extra.get("posts_answered", 0))
    in_flight = posts_sent - posts_answered
    created = after - before
    # The numbers: one row per (unit, kind, year) with its count, distinct count and range.
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH n AS (
                SELECT unit_id, kind,
                       (regexp_match(number, '/([0-9]{4})/([0-9]+)$'))[1] AS year,
                       (regexp_match(number, '/([0-9]{4})/([0-9]+)$'))[2]::bigint AS seq
                FROM cases_case
            )
            SELECT unit_id, kind, year, count(*), count(DISTINCT seq), min(seq), max(seq)
            FROM n GROUP BY unit_id, kind, year
            """
        )
        groups = cursor.fetchall()
        cursor.execute("SELECT unit_id, kind_code, year, last FROM cases_casecounter")
        counters = {(u, k, str(y)): last for u, k, y, last in cursor.fetchall()}
    from layanan.cases.models import KIND_CODES

    gappy = []
    for unit_id, kind, year, n, distinct, low, high in groups:
        counter_last = counters.get((unit_id, KIND_CODES.get(kind), year))
        if year is None or n != distinct or low != 1 or high != n or counter_last != high:
            gappy.append(
                {
                    "unit_id": unit_id,
                    "kind": kind,
                    "year": year,
                    "count": n,
                    "distinct": distinct,
                    "min": low,
                    "max": high,
                    "counter_last": counter_last,
                }
            )
    # The groups this run wrote to: those of the filed cases.
    touched = {
        (unit_id, kind, match.group(1) if match else None)
        for unit_id, kind, number in Case.objects.filter(public_code__in=normalised).values_list(
            "unit_id", "kind", "number"
        )
        for match in [re.search(r"/([0-9]{4})/[0-9]+$", number)]
    }
    gappy_touched = [g for g in gappy if (g["unit_id"], g["kind"], g["year"]) in touched]
    lost = len(missing)
    count_ok = filed <= created <= filed + max(in_flight, 0)
    return {
        "cases_before": before,
        "cases_after": after,
        "created": created,
        "filed_303": filed,
        "posts_sent": posts_sent,
        "posts_answered": posts_answered,
        "posts_in_flight_at_stop": in_flight,
        "form_errors": int(extra.get("form_errors", 0)),
        "codes_missing_in_db": lost,
        "count_consistent": count_ok,
        "number_groups": len(groups),
        "number_groups_with_gaps": len(gappy),
        "number_groups_with_gaps_touched": len(gappy_touched),
        "gaps_sample": gappy[:5],
        "submissions_per_s": round(filed / result.duration_s, 1) if result.duration_s else 0,
        "post_queries_mean": (
            round(extra["post_queries_sum"] / filed, 1)
            if filed and extra.get("post_queries_sum")
            else None
        ),
        "pass": lost == 0 and count_ok and not gappy and filed > 0,
    }


# --- output --------------------------------------------------------------------------------------


def fmt_statuses(statuses: dict[str, int], expected: tuple[int, ...]) -> str:
    shown = {str(code): 0 for code in expected} | statuses
    return ", ".join(f"{code}: {n}" for code, n in sorted(shown.items()))


def table(results: list[Result], scenarios: dict[str, Scenario]) -> str:
    head = ["scenario", "req/s", "p50", "p99", "status codes", "queries/request"]
    rows = []
    for r in results:
        queries = "" if r.queries_mean is None else f"{r.queries_mean:g} (max {r.queries_max})"
        rows.append(
            [
                f"({r.key}) {r.name}",
                f"{r.rps:.1f}",
                f"{r.p50_ms:.1f} ms",
                f"{r.p99_ms:.1f} ms",
                fmt_statuses(r.statuses, scenarios[r.key].expected),
                queries,
            ]
        )
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(head)]
    lines = [
        "| " + " | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)) + " |",
        "|" + "|".join("-" * (w + 2) for w in widths) + "|",
    ]
    for row in rows:
        lines.append("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")
    return "\n".join(lines)


def targets(results: dict[str, Result], submit_check: dict | None) -> list[tuple[str, str, str]]:
    """(target, PASS/FAIL/SKIP, measured) for each target of the brief."""
    out = []

    def clean(r: Result) -> bool:
        return r.unexpected == 0 and not r.socket_errors.get("timeout")

    a, b, c, e = (results.get(k) for k in "abce")
    if a and b:
        ratio = b.rps / a.rps if a.rps else 0
        ok = ratio >= TARGET_B_RATIO and clean(a) and clean(b)
        out.append(
            (
                f"(b) req/s >= {TARGET_B_RATIO} x (a) req/s",
                "PASS" if ok else "FAIL",
                f"{b.rps:.1f} / {a.rps:.1f} = {ratio:.2f}",
            )
        )
    else:
        out.append((f"(b) req/s >= {TARGET_B_RATIO} x (a) req/s", "SKIP", "needs a and b"))
    if c:
        ok = (
            c.p99_ms <= TARGET_C_P99_MS
            and c.queries_max is not None
            and c.queries_max <= TARGET_C_QUERIES
            and clean(c)
        )
        out.append(
            (
                f"(c) p99 <= {TARGET_C_P99_MS} ms and <= {TARGET_C_QUERIES} queries",
                "PASS" if ok else "FAIL",
                f"p99 {c.p99_ms:.1f} ms, queries {c.queries_mean} (max {c.queries_max})",
            )
        )
    else:
        out.append(("(c) inbox", "SKIP", "not run"))
    if submit_check is not None:
        s = submit_check
        out.append(
            (
                "(d) no lost submission, gapless numbers",
                "PASS" if s["pass"] else "FAIL",
                f"{s['filed_303']} filed (303), {s['created']} cases created, "
                f"{s['codes_missing_in_db']} codes missing, "
                f"{s['posts_in_flight_at_stop']} POSTs in flight at stop, "
                f"{s['number_groups_with_gaps']} of {s['number_groups']} "
                "(unit, kind, year) sequences with a gap; "
                f"{s['submissions_per_s']} submissions/s, "
                f"{s['post_queries_mean']} queries per POST",
            )
        )
    else:
        out.append(("(d) submit", "SKIP", "not run"))
    if e:
        ok = e.p99_ms <= TARGET_E_P99_MS and clean(e)
        out.append(
            (
                f"(e) p99 <= {TARGET_E_P99_MS} ms",
                "PASS" if ok else "FAIL",
                f"p99 {e.p99_ms:.1f} ms",
            )
        )
    else:
        out.append(("(e) report", "SKIP", "not run"))
    return out


def write_results(
    results_dir: Path, meta: dict, results: list[Result], table_text: str, checks, submit_check
) -> tuple[Path, Path]:
    results_dir.mkdir(parents=True, exist_ok=True)
    stem = f"{meta['date']}-load-{meta['commit']}"
    json_path = results_dir / f"{stem}.json"
    md_path = results_dir / f"{stem}.md"
    payload = {
        **meta,
        "results": [asdict(r) | {"extra": _without_codes(r.extra)} for r in results],
        "submit_check": submit_check,
        "targets": [{"target": t, "result": s, "measured": m} for t, s, m in checks],
    }
    json_path.write_text(json.dumps(payload, indent=2, default=str) + "\n")
    lines = [
        f"# Load benchmark — {meta['date']} — {meta['commit']}",
        "",
        f"- database: `{meta['database']}`; volume: "
        + ", ".join(f"{k} {v:,}" for k, v in meta["volume"].items() if k in VOLUME_SHOWN),
        f"- server: gunicorn {meta['gunicorn']}, 2 sync workers, settings `bench.settings` "
        "(DEBUG off; rate limits raised); PostgreSQL, wrk and gunicorn on one 2-core machine",
        "- machine: "
        + ", ".join(f"{k} {v}" for k, v in meta["machine"].items() if k != "platform"),
        f"- load: {meta['wrk']}; {meta['duration']} per scenario, {meta['threads']} threads, "
        f"{meta['connections']} connections ((d): {meta['submit_connections']})",
        f"- bench unit: `{meta['unit']}`; report month {meta['month']}; "
        f"IKM {meta['ikm_from']} – {meta['ikm_to']}; complaint form of `{meta['submit_unit']}`",
        "- queries/request: mean (and max) of the X-Bench-Queries header over every response "
        "((d): its GETs and POSTs together)",
        "",
        table_text,
        "",
        "| target | result | measured |",
        "|---|---|---|",
        *(f"| {t} | {s} | {m} |" for t, s, m in checks),
        "",
        "Requests:",
        "",
        *(f"- ({r.key}) `{r.url}`" for r in results),
    ]
    notes = (
        [f"- ({r.key}) socket errors: {r.socket_errors}" for r in results if r.socket_errors]
        + [
            f"- ({r.key}) only {r.requests} responses: its p99 is about its slowest one"
            for r in results
            if r.requests < FEW_SAMPLES
        ]
        + [
            f"- ({r.key}) {r.unexpected} responses with an unexpected status"
            for r in results
            if r.unexpected
        ]
    )
    if notes:
        lines += ["", "Notes:", "", *notes]
    md_path.write_text("\n".join(lines) + "\n")
    return md_path, json_path


def _without_codes(extra: dict) -> dict:
    return {k: v for k, v in extra.items() if k != "codes"}


# --- main ----------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    from django_scopes import scopes_disabled

    with scopes_disabled():  # the operator's script picks units and codes of every unit
        return _main(argv)


def _main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    )
    parser.add_argument("--duration", default="20s", help="per scenario, wrk syntax (20s, 1m)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=4, help="all but (d), which uses 16")
    parser.add_argument(
        "--submit-connections", type=int, default=SUBMIT_CONNECTIONS, help="for (d)"
    )
    parser.add_argument("--scenario", default="a,b,c,d,e,f", help="comma-separated: a,b,…,g")
    parser.add_argument("--unit", help="unit slug for (c), (e), (f); default: most cases")
    parser.add_argument("--month", help="YYYY-MM for (e); default: last month")
    parser.add_argument("--ikm-year", type=int, help="year for (f); default: this year")
    parser.add_argument("--results-dir", type=Path, default=RESULTS_DIR)
    parser.add_argument(
        "--vacuum",
        action="store_true",
        help="VACUUM (ANALYZE) the case tables first (after other benchmarks left dead rows)",
    )
    args = parser.parse_args(argv)
    parse_duration(args.duration)
    wanted = [s.strip() for s in args.scenario.split(",") if s.strip()]
    unknown = set(wanted) - set("abcdefg")
    if unknown:
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}")

    wrk = ensure_wrk()
    django_setup(args.database_url)
    ensure_static()
    import gunicorn
    from django.db import connection

    from bench._common import git_commit, machine_facts, table_counts

    TMP_DIR.mkdir(parents=True, exist_ok=True)
    commit = git_commit()
    machine = machine_facts()
    if args.vacuum:
        print("VACUUM (ANALYZE) of the case tables …", flush=True)
        with connection.cursor() as cursor:
            for name in VACUUM_TABLES:
                cursor.execute(f"VACUUM (ANALYZE) {name}")
    print("Reading the database …", flush=True)
    volume = table_counts()
    unit = pick_unit(args.unit)
    submit_unit = pick_submit_unit(unit)
    codes_file = TMP_DIR / "codes.txt"
    n_codes = write_codes(codes_file, CODES_SAMPLE)
    ensure_bench_users(unit)
    month = report_month(args.month)
    ikm_from, ikm_to = ikm_range(args.ikm_year)
    connection.close()
    print(
        f"cases {volume['cases_case']:,}, events {volume['cases_caseevent']:,}, survey responses "
        f"{volume['surveys_surveyresponse']:,}; unit {unit.slug}; {n_codes} tracking codes; "
        f"month {month}",
        flush=True,
    )

    inbox_path = "/staf/kasus/"
    report_path = f"/staf/laporan/?unit={unit.slug}&bulan={month}"
    scenarios = {
        "a": Scenario(
            "a",
            "ceiling",
            "codes.lua",
            env={"BENCH_CODES_FILE": str(codes_file), "BENCH_PATH": "/bench/ceiling/%s/"},
            url="/bench/ceiling/<random code>/",
        ),
        "b": Scenario(
            "b",
            "tracking page",
            "codes.lua",
            env={"BENCH_CODES_FILE": str(codes_file), "BENCH_PATH": "/lacak/%s/"},
            url="/lacak/<random code>/",
        ),
        "c": Scenario("c", "staff inbox", "get.lua", url=inbox_path),
        "d": Scenario(
            "d",
            "complaint submit",
            "submit.lua",
            expected=(200, 303),
            connections=args.submit_connections,
            env={"BENCH_PATH": f"/pengaduan/{submit_unit.slug}/"},
            url=f"/pengaduan/{submit_unit.slug}/ (GET, then POST)",
        ),
        "e": Scenario("e", "monthly report", "get.lua", url=report_path),
        "f": Scenario(
            "f",
            "IKM API",
            "get.lua",
            url=f"/api/v1/ikm?unit={unit.slug}&from={ikm_from}&to={ikm_to}",
        ),
        "g": Scenario(
            "g",
            "monthly report PDF",
            "get.lua",
            url=f"/staf/laporan/{unit.slug}/{month}/evaluasi.pdf",
        ),
    }
    for key in "cefg":
        scenarios[key].env["BENCH_PATH"] = scenarios[key].url

    server = Server(args.database_url, TMP_DIR / "gunicorn.log")
    results: list[Result] = []
    submit_check = None
    try:
        try:
            server.wait_ready()
        except ServerError as error:
            sys.exit(str(error))
        print(f"gunicorn up at {server.base} (2 sync workers)", flush=True)
        cookies = {}
        if {"c"} & set(wanted):
            cookies["c"] = login(server.base, INBOX_USER, BENCH_PASSWORD)
        if {"e", "g"} & set(wanted):
            cookies["e"] = cookies["g"] = login(server.base, REPORT_USER, BENCH_PASSWORD)
        for key, cookie in cookies.items():
            scenarios[key].env["BENCH_COOKIE"] = cookie
        # Warm-up: every page once per worker (URLconf, templates, translations loaded), and
        # a check that each answers as expected before wrk hammers it.
        sample_code = codes_file.read_text().split()[0]
        probes = {
            "a": f"/bench/ceiling/{sample_code}/",
            "b": f"/lacak/{sample_code}/",
            "c": inbox_path,
            "d": scenarios["d"].env["BENCH_PATH"],
            "e": report_path,
            "f": scenarios["f"].url,
            "g": scenarios["g"].url,
        }
        for key in wanted:
            for _ in range(4):
                status, _headers, _body = fetch(server.base, probes[key], cookies.get(key, ""))
            if status != 200:
                sys.exit(f"({key}) {probes[key]} answers {status} before the run; stopping")
        for key in wanted:
            scenario = scenarios[key]
            connections = scenario.connections or args.connections
            print(
                f"({key}) {scenario.name}: wrk {args.duration}, {connections} connections …",
                flush=True,
            )
            if key == "d":
                connection.connect()
                before = case_count()
                connection.close()
            raw = run_wrk(
                wrk,
                server.base,
                scenario,
                duration=args.duration,
                threads=args.threads,
                connections=connections,
            )
            result = to_result(scenario, raw, connections)
            results.append(result)
            # wrk has stopped, but the workers still finish the requests it left in flight and in
            # the listen queue (gunicorn reads them all): none takes longer than the slowest
            # response of the run, so wait that long before the next scenario measures.
            time.sleep(min(DRAIN_MAX_S, result.max_ms / 1000 + 1))
            if key == "d":
                submit_check = check_submissions(before, result)
                connection.close()
    finally:
        server.stop()

    table_text = table(results, scenarios)
    by_key = {r.key: r for r in results}
    checks = targets(by_key, submit_check)
    meta = {
        "date": dt.date.today().isoformat(),
        "commit": commit,
        "machine": machine,
        "database": re.sub(r"//[^@/]*@", "//", args.database_url),
        "volume": volume,
        "wrk": wrk_version(wrk),
        "gunicorn": gunicorn.__version__,
        "python": sys.version.split()[0],
        "duration": args.duration,
        "threads": args.threads,
        "connections": args.connections,
        "submit_connections": args.submit_connections,
        "unit": unit.slug,
        "submit_unit": submit_unit.slug,
        "month": month,
        "ikm_from": ikm_from,
        "ikm_to": ikm_to,
        "tracking_codes": n_codes,
        "vacuumed_first": args.vacuum,
        "settings": {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DEBUG": False,
            "COMPLAINT_SUBMIT_RATE": os.environ["COMPLAINT_SUBMIT_RATE"],
            "TRACKING_LOOKUP_RATE": os.environ["TRACKING_LOOKUP_RATE"],
            "API_THROTTLE_ANON": os.environ["API_THROTTLE_ANON"],
            "OTP_REQUIRED": True,
            "cache": "LocMemCache (no REDIS_URL)" if not os.environ.get("REDIS_URL") else "Redis",
            "gunicorn": " ".join(server.cmd[1:]),
        },
    }
    print()
    print(table_text)
    print()
    for target, status, measured in checks:
        print(f"{status:4}  {target}: {measured}")
    for r in results:
        if r.requests < FEW_SAMPLES:
            print(f"note  ({r.key}) only {r.requests} responses: its p99 is about its slowest one")
        if r.socket_errors:
            print(f"note  ({r.key}) socket errors: {r.socket_errors}")
        if r.unexpected:
            print(f"note  ({r.key}) {r.unexpected} responses with an unexpected status")
    md_path, json_path = write_results(
        args.results_dir, meta, results, table_text, checks, submit_check
    )
    for label, path in (("Results:", md_path), ("", json_path)):
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        print(f"{label:9}{shown}")
    return 0 if all(status != "FAIL" for _t, status, _m in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
