#!/usr/bin/env python
"""In-process benchmarks of the heavy reads and the SLA sweep against the bench database.

    bench/inprocess.py [--database-url URL] [--unit SLUG] [--month YYYY-MM] [--repeat 5]

Each benchmark runs ``--repeat`` times; we report the median, the maximum and the first (cold)
run, and the number of SQL statements of one run (``connection.execute_wrapper``) with the
slowest three.
Everything that writes runs inside a transaction that is rolled back, so the database stays as
bench/generate.py left it and every repeat sees the same state:

- ``sla_sweep()`` (layanan/cases/sla.py) over the whole database, three ways:
  *first*: the data as generated (it claims whatever crossed a threshold since);
  *backlog*: first the claims of every running case are cleared (``sla_state``, ``*_notified_at``
  — as if the sweep had never run, e.g. the first deployment or after the cron was down), then
  one sweep claims the whole overdue / due-soon backlog with its events and e-mails;
  *steady*: a second sweep right after the backlog one, which finds nothing new — the cost of
  the cron's every-5-minutes run.
- the monthly evaluation (``reports.summary.evaluation``: what /staf/laporan/ and the PDF/XLSX
  compute) for ``--unit`` and ``--month`` and for the whole organisation, then separately the
  PDF (``reports.exports.evaluation_pdf``, WeasyPrint) and XLSX renders of that evaluation;
- the IKM of ``--unit`` for the year of ``--month`` (``surveys.ikm.ikm_compute`` as
  GET /api/v1/ikm and ``manage.py ikm`` call it: with the people-served count);
- the staff inbox (``cases.selectors.inbox_cases`` with the default filters, as the view pages
  it: count + the first 50 rows) for the unit's complaint officer.

Results go to bench/results/<date>-inprocess-<commit>.json and .md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import (
    DEFAULT_DATABASE_URL,
    ROOT,
    git_commit,
    machine_facts,
    setup_django,
    staff_username,
    table_counts,
)

RESULTS = ROOT / "bench" / "results"

TARGETS = {  # seconds, from the issue
    "sla_sweep.first": 10.0,
    "sla_sweep.backlog": 10.0,
    "sla_sweep.steady": 10.0,
    "report.evaluation.unit": 1.0,
    "report.evaluation.organisation": 1.0,
}


class Rollback(Exception):
    pass


class QueryLog:
    """Counts every statement run on the connection (``connection.execute_wrapper``: independent
    of DEBUG and of Django's 9000-query log) and keeps the slowest three."""

    def __init__(self):
        self.count = 0
        self.slowest: list[tuple[float, str]] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = time.perf_counter() - started
            self.count += 1
            if len(self.slowest) < 3 or elapsed > self.slowest[-1][0]:
                self.slowest = sorted([*self.slowest, (elapsed, sql)], reverse=True)[:3]


def measure(name, func, *, repeat: int, setup=None, rollback: bool = False, note: str = ""):
    """Run ``func`` ``repeat`` times; time it, count its queries, keep the slowest statements.
    ``setup`` (untimed) runs before each repeat inside the same transaction; with ``rollback``
    the whole repeat is rolled back."""
    from django.db import connection, transaction

    times, log, detail = [], None, None
    for _ in range(repeat):
        try:
            with transaction.atomic():
                if setup is not None:
                    setup()
                log = QueryLog()
                with connection.execute_wrapper(log):
                    started = time.perf_counter()
                    detail = func()
                    elapsed = time.perf_counter() - started
                if rollback:
                    raise Rollback
        except Rollback:
            pass
        times.append(elapsed)
    result = {
        "name": name,
        "median_s": statistics.median(times),
        "max_s": max(times),
        "first_s": times[0],
        "min_s": min(times),
        "repeat": repeat,
        "queries": log.count,
        "slowest": [{"time_s": t, "sql": sql[:600]} for t, sql in log.slowest],
        "detail": detail,
        "target_s": TARGETS.get(name),
        "note": note,
    }
    target = result["target_s"]
    verdict = "" if target is None else ("ok" if result["median_s"] <= target else "MISSED")
    result["verdict"] = verdict
    print(
        f"{name:<34} median {result['median_s']:8.3f}s  max {result['max_s']:8.3f}s  "
        f"first {result['first_s']:8.3f}s  queries {log.count:>6}  {verdict}",
        flush=True,
    )
    return result


def clear_claims():
    """Forget every claim of the running cases (as if the sweep had never run)."""
    from layanan.cases.models import Case, SlaState
    from layanan.cases.sla import RUNNING

    Case.objects.filter(status__in=RUNNING).update(
        sla_state=SlaState.ON_TRACK, due_soon_notified_at=None, overdue_notified_at=None
    )


def bench_sla(repeat: int) -> list[dict]:
    from layanan.cases.sla import sla_sweep

    def sweep():
        return sla_sweep().as_dict()

    results = [
        measure("sla_sweep.first", sweep, repeat=repeat, rollback=True,
                note="the data as generated; rolled back"),
        measure("sla_sweep.backlog", sweep, repeat=repeat, setup=clear_claims, rollback=True,
                note="every running case's claims cleared first (untimed); rolled back"),
    ]  # fmt: skip

    def steady_setup():
        clear_claims()
        sla_sweep()

    results.append(
        measure("sla_sweep.steady", sweep, repeat=repeat, setup=steady_setup, rollback=True,
                note="a second sweep right after the backlog one; rolled back")
    )  # fmt: skip
    return results


def bench_reports(unit, organisation, month, repeat: int) -> list[dict]:
    from layanan.reports import exports
    from layanan.reports.summary import evaluation

    def summary(ev):
        cur = ev.current
        return {
            "unit": ev.unit.slug,
            "month": str(ev.month),
            "received": sum(r.value for r in cur.by_kind),
            "finished_on_time": [cur.on_time[0].on_time, cur.on_time[0].finished],
            "ikm_respondents": cur.ikm.respondents,
            "visits": cur.visits["visits"] if cur.visits else None,
        }

    results = []
    for name, target in (("report.evaluation.unit", unit),
                         ("report.evaluation.organisation", organisation)):  # fmt: skip
        results.append(
            measure(name, lambda target=target: summary(evaluation(target, month)), repeat=repeat)
        )
    ev = evaluation(unit, month)
    results.append(
        measure("report.pdf_render.unit", lambda: {"bytes": len(exports.evaluation_pdf(ev))},
                repeat=repeat, note="WeasyPrint render of an evaluation already computed")
    )  # fmt: skip
    results.append(
        measure("report.xlsx_render.unit", lambda: {"bytes": len(exports.evaluation_xlsx(ev))},
                repeat=repeat, note="openpyxl render of an evaluation already computed")
    )  # fmt: skip
    return results


def bench_ikm(unit, year: int, repeat: int) -> list[dict]:
    from layanan.surveys.ikm import ikm_compute

    def ikm():
        result = ikm_compute(unit=unit, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))
        return {"respondents": result.respondents, "ikm_converted": str(result.converted),
                "population": result.population}  # fmt: skip

    def ikm_all():
        result = ikm_compute(unit=unit)
        return {"respondents": result.respondents, "population": result.population}

    return [
        measure("ikm.unit_year", ikm, repeat=repeat,
                note=f"{unit.slug} {year}, with the people-served count (as the API)"),
        measure("ikm.unit_all_time", ikm_all, repeat=repeat, note=f"{unit.slug}, no date range"),
    ]  # fmt: skip


def bench_inbox(user, repeat: int) -> list[dict]:
    from django.core.paginator import Paginator
    from django.utils import timezone
    from django_scopes import scope

    from layanan.cases.selectors import InboxFilters, inbox_cases, sla_badge
    from layanan.core.scoping import RequestUnits

    request = type("Request", (), {"user": user})()

    def page(filters):
        now = timezone.now()
        with scope(unit=RequestUnits(request)):  # the unit scope of the user's request
            paginator = Paginator(inbox_cases(user, filters, now=now), 50)
            rows = paginator.get_page(1)
            badges = [sla_badge(case, now) for case in rows.object_list]
        return {"total": paginator.count, "rows": len(badges),
                "overdue_on_page": badges.count("overdue")}  # fmt: skip

    return [
        measure("inbox.open_by_due", lambda: page(InboxFilters()), repeat=repeat,
                note=f"{user.username}: open cases, overdue first then by due time"),
        measure("inbox.all_statuses", lambda: page(InboxFilters(status="all")), repeat=repeat,
                note=f"{user.username}: status filter 'all' (every case of the unit)"),
    ]  # fmt: skip


def write_results(payload: dict) -> tuple[Path, Path]:
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = f"{payload['date']}-inprocess-{payload['commit']}"
    if payload.get("tag"):
        stem += f"-{payload['tag']}"
    json_path = RESULTS / f"{stem}.json"
    md_path = RESULTS / f"{stem}.md"
    json_path.write_text(json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n")
    lines = [
        f"# In-process benchmarks — {payload['date']} — {payload['commit']}",
        "",
        f"Database: `{payload['database']}`; repeats: {payload['repeat']} "
        f"(SLA sweeps: {payload['sla_repeat']}); DEBUG: {payload['debug']}; "
        f"unit: `{payload['unit']}`; month: {payload['month']}.",
        "",
        "| benchmark | median (s) | max (s) | first (s) | queries | target (s) | verdict |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for r in payload["results"]:
        target = "" if r["target_s"] is None else f"{r['target_s']:g}"
        lines.append(
            f"| {r['name']} | {r['median_s']:.3f} | {r['max_s']:.3f} | {r['first_s']:.3f} | "
            f"{r['queries']} | {target} | {r['verdict']} |"
        )
    lines += ["", "Notes and what each run returned:", ""]
    for r in payload["results"]:
        lines.append(f"- **{r['name']}**: {r['note'] or '-'}; result `{json.dumps(r['detail'])}`")
    lines += ["", "## Data volume", "", "| table | rows |", "|---|---:|"]
    lines += [f"| {t} | {n:,} |" for t, n in payload["volume"].items()]
    lines += ["", "## Machine", ""]
    lines += [f"- {k}: {v}" for k, v in payload["machine"].items()]
    lines += ["", "## Slowest statements (last repeat)", ""]
    for r in payload["results"]:
        if r["slowest"]:
            top = r["slowest"][0]
            lines.append(f"- **{r['name']}** {top['time_s']:.3f}s: `{top['sql'][:300]}`")
    md_path.write_text("\n".join(lines) + "\n")
    return json_path, md_path


def main(argv=None) -> None:
    from django_scopes import scopes_disabled

    with scopes_disabled():  # the operator's script: data of every unit (bench_inbox scopes)
        _main(argv)


def _main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL")
                        or DEFAULT_DATABASE_URL)  # fmt: skip
    parser.add_argument("--unit", default="biro-kesra")
    parser.add_argument("--month", help="YYYY-MM (default: last month)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--sla-repeat", type=int, default=3, help="repeats of the SLA sweeps (they write a lot)"
    )
    parser.add_argument("--tag", default="", help="suffix of the result files' names")
    parser.add_argument("--only", action="append", choices=("sla", "reports", "ikm", "inbox"),
                        help="run only these groups (repeatable)")  # fmt: skip
    args = parser.parse_args(argv)
    setup_django(args.database_url)
    from django.conf import settings
    from django.utils import timezone

    from layanan.accounts.models import User
    from layanan.core.models import Unit
    from layanan.reports.metrics import Month

    unit = Unit.objects.get(slug=args.unit)
    organisation = Unit.objects.filter(parent__isnull=True).order_by("path").first()
    month = Month.parse(args.month) if args.month else Month.of(timezone.localdate()).previous()
    user = User.objects.get(username=staff_username(unit.slug, "pengaduan"))
    groups = args.only or ["sla", "reports", "ikm", "inbox"]
    print(f"database {settings.DATABASES['default']['NAME']}, unit {unit.slug}, month {month}, "
          f"repeat {args.repeat}")  # fmt: skip
    started = time.perf_counter()
    results = []
    if "inbox" in groups:
        results += bench_inbox(user, args.repeat)
    if "ikm" in groups:
        results += bench_ikm(unit, month.year, args.repeat)
    if "reports" in groups:
        results += bench_reports(unit, organisation, month, args.repeat)
    if "sla" in groups:
        results += bench_sla(args.sla_repeat)
    payload = {
        "date": timezone.localdate().isoformat(),
        "commit": git_commit(),
        "database": settings.DATABASES["default"]["NAME"],
        "tag": args.tag,
        "repeat": args.repeat,
        "sla_repeat": args.sla_repeat,
        "unit": unit.slug,
        "month": str(month),
        "debug": settings.DEBUG,
        "results": results,
        "volume": table_counts(),
        "machine": machine_facts(),
        "elapsed_s": time.perf_counter() - started,
    }
    json_path, md_path = write_results(payload)
    print(f"\nwritten {json_path.relative_to(ROOT)} and {md_path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
