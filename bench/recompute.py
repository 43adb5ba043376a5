#!/usr/bin/env python
"""Benchmark: a holiday added with N running cases in its span (issue 15, "Recompute on change").

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/layanan_recompute \\
        .venv/bin/python bench/recompute.py [--running 10000] [--closed 10000] [--batch 500]

**Destructive for its database**: it migrates the database, then empties the case and outbox
tables and fills them with generated complaints of the Biro Kesra subtree (the shipped Kalbar
organisation, holidays 2026–2027 synced from the package):

- ``--running`` complaints received on a weekday of 1–8 Dec 2026 and held to 60 working days
  (two thirds) or of 14–21 Dec 2026 and held to 14 working days (one third), at a random minute
  of the office day, every one with an e-mail address, one in ten with
  a past pause of a day — all of them running and with Mon 4 Jan 2027 inside their span;
- ``--closed`` closed complaints received in the same week (they must not be touched).

Then it adds a cuti bersama on Mon 4 Jan 2027 the way the admin does (``holiday_save`` in a
transaction: what the admin's request waits for, the task enqueued after commit) and carries out
the recompute the task would run (``calendar_recompute_run``), timing both, and checks every
running case moved by one working day and no closed case moved. Results go to
bench/results/<date>-recompute-<commit>.json and .md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import ROOT, git_commit, machine_facts, setup_django

RESULTS = ROOT / "bench" / "results"
TARGET_SECONDS = 60.0


def _generate(running: int, closed: int, seed: int) -> dict:
    from django.db import connection, transaction

    from layanan.accounts.actors import SYSTEM
    from layanan.cases.models import Case, CaseKind, CasePause, Channel, Status
    from layanan.cases.numbering import new_public_code
    from layanan.core.models import Unit
    from layanan.core.organisation import ensure_organisation
    from layanan.workdays.deadlines import Calendar, deadline
    from layanan.workdays.durations import Duration
    from layanan.workdays.models import CalendarRecompute, Holiday
    from layanan.workdays.services import holidays_sync

    rng = random.Random(seed)
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE cases_case, cases_caseevent, cases_casepause, notify_outboxmessage, "
            "workdays_calendarrecompute, django_tasks_database_dbtaskresult CASCADE"
        )
    ensure_organisation()
    for year in (2026, 2027):
        holidays_sync(year=year, actor=SYSTEM)
    Holiday.objects.filter(date=dt.date(2027, 1, 4)).delete()
    CalendarRecompute.objects.all().delete()
    kesra = Unit.objects.get(slug="biro-kesra")
    units = list(Unit.objects.subtree_of([kesra]))
    calendars = {u.pk: Calendar.for_unit(u) for u in units}
    durations = [
        Duration(60, "working_days", "60 hari kerja"),
        Duration(60, "working_days", "60 hari kerja"),
        Duration(14, "working_days", "14 hari kerja"),
    ]
    cases, pauses = [], []
    tz = calendars[kesra.pk].tz
    for index in range(running + closed):
        unit = units[index % len(units)]
        duration = durations[index % 3]
        first = dt.date(2026, 12, 1) if duration.value == 60 else dt.date(2026, 12, 14)
        day = first + dt.timedelta(days=rng.randrange(8))
        while day.weekday() >= 5:
            day -= dt.timedelta(days=1)
        received = dt.datetime.combine(day, dt.time(8), tzinfo=tz) + dt.timedelta(
            minutes=rng.randrange(7 * 60)
        )
        paused = []
        if index < running and index % 10 == 0:
            start = received + dt.timedelta(days=1)
            paused = [(start, start + dt.timedelta(days=1))]
        is_closed = index >= running
        case = Case(
            kind=CaseKind.COMPLAINT,
            number=f"BENCH/ADU/2026/{index + 1:06d}",
            public_code=new_public_code(),
            unit=unit,
            channel=Channel.EMAIL,
            status=Status.CLOSED if is_closed else Status.IN_PROGRESS,
            received_at=received,
            closed_at=received + dt.timedelta(days=2) if is_closed else None,
            due_at=deadline(received, duration, paused=paused, calendar=calendars[unit.pk]),
            sla_value=duration.value,
            sla_unit=duration.unit,
            sla_text=duration.text,
            requester_name=f"Pelapor {index}",
            requester_email=f"pelapor{index}@example.com",
            subject="Pelayanan lambat",
        )
        cases.append(case)
        if paused:
            pauses.append((case, paused[0]))
    with transaction.atomic():
        Case.objects.bulk_create(cases, batch_size=2000)
        CasePause.objects.bulk_create(
            [CasePause(case=case, started_at=a, ended_at=b) for case, (a, b) in pauses],
            batch_size=2000,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_case; ANALYZE cases_casepause")
    return {"units": len(units), "paused": len(pauses)}


def _run(batch: int) -> dict:
    from django.db import connection, transaction
    from django_tasks_db.models import DBTaskResult

    from layanan.accounts.actors import SYSTEM
    from layanan.cases.models import Case, CaseEvent, Status
    from layanan.cases.recompute import calendar_recompute_run
    from layanan.notify.models import OutboxMessage
    from layanan.workdays.models import Holiday
    from layanan.workdays.services import holiday_save

    before = dict(Case.objects.values_list("pk", "due_at"))
    started = time.perf_counter()
    with transaction.atomic():  # what the admin's request does (ATOMIC_REQUESTS-like)
        holiday = holiday_save(
            actor=SYSTEM,
            holiday=Holiday(date=dt.date(2027, 1, 4), name="Cuti bersama", kind="cuti_bersama"),
            changed=True,
        )
    request_seconds = time.perf_counter() - started
    enqueued = DBTaskResult.objects.filter(
        task_path="layanan.cases.tasks.calendar_recompute_task"
    ).count()
    queries: list[tuple[float, str]] = []

    def count(execute, sql, params, many, context):
        begin = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append((time.perf_counter() - begin, sql[:90]))

    started = time.perf_counter()
    with connection.execute_wrapper(count):
        run = calendar_recompute_run(run_id=holiday.calendar_run.pk, batch=batch)
    recompute_seconds = time.perf_counter() - started
    after = dict(Case.objects.values_list("pk", "due_at"))
    running_ids = set(Case.objects.filter(status=Status.IN_PROGRESS).values_list("pk", flat=True))
    moved = {pk for pk in after if after[pk] != before[pk]}
    assert moved == running_ids, "every running case moves, no closed one does"
    # One working day later: never earlier (over Idul Fitri 2027 "one working day" is 11 days).
    assert all(after[pk] > before[pk] for pk in moved)
    return {
        "request_seconds": round(request_seconds, 4),
        "recompute_seconds": round(recompute_seconds, 2),
        "task_enqueued": enqueued,
        "cases_checked": run.cases_checked,
        "cases_moved": run.cases_moved,
        "queries": len(queries),
        "sql_seconds": round(sum(t for t, _sql in queries), 2),
        "slowest_statements": _slowest(queries),
        "events_written": CaseEvent.objects.filter(kind="due_changed").count(),
        "outbox_messages": OutboxMessage.objects.filter(kind="complaint.due_moved").count(),
    }


def _slowest(queries: list[tuple[float, str]]) -> list[dict]:
    """The statement kinds that took longest in total (by their first 90 characters)."""
    totals: dict[str, list[float]] = {}
    for seconds, sql in queries:
        key = " ".join(sql.split())[:60]
        totals.setdefault(key, []).append(seconds)
    ranked = sorted(totals.items(), key=lambda item: -sum(item[1]))[:5]
    return [{"sql": k, "count": len(v), "seconds": round(sum(v), 2)} for k, v in ranked]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--running", type=int, default=10_000)
    parser.add_argument("--closed", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--tag", default="")
    args = parser.parse_args(argv)
    if not args.database_url or not any(
        word in args.database_url.rsplit("/", 1)[-1] for word in ("bench", "recompute")
    ):
        parser.error("give --database-url of a scratch database (its name holds bench/recompute)")
    setup_django(args.database_url)
    from django.conf import settings
    from django.core.management import call_command
    from django_scopes import scopes_disabled

    settings.NOTIFY_DISPATCH_ON_COMMIT = False  # measure the recompute, not the mail worker
    call_command("migrate", verbosity=0)
    with scopes_disabled():
        generated = _generate(args.running, args.closed, args.seed)
        result = _run(args.batch)
    payload = {
        "date": dt.date.today().isoformat(),
        "commit": git_commit(),
        "volume": {
            "running_cases_in_span": args.running,
            "closed_cases": args.closed,
            "units": generated["units"],
            "running_with_a_past_pause": generated["paused"],
            "batch": args.batch,
        },
        "result": result,
        "target_seconds": TARGET_SECONDS,
        "pass": result["recompute_seconds"] < TARGET_SECONDS,
        "machine": machine_facts(),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = f"{payload['date']}-recompute-{payload['commit']}" + (f"-{args.tag}" if args.tag else "")
    (RESULTS / f"{stem}.json").write_text(json.dumps(payload, indent=2) + "\n")
    lines = [
        f"# Calendar recompute — {payload['date']} ({payload['commit']})",
        "",
        f"Volume: {args.running} running complaints with Mon 4 Jan 2027 in their span "
        f"({generated['paused']} with a past pause) and {args.closed} closed ones, "
        f"{generated['units']} units; batches of {args.batch}.",
        "",
        "| step | seconds |",
        "|---|---|",
        "| the admin's save (holiday_save + commit, task enqueued) | "
        f"{result['request_seconds']} |",
        f"| the recompute task (calendar_recompute_run) | {result['recompute_seconds']} |",
        "",
        f"Cases checked {result['cases_checked']}, moved {result['cases_moved']}; timeline "
        f"events {result['events_written']}; reporter messages queued "
        f"{result['outbox_messages']}; SQL statements {result['queries']} "
        f"({result['sql_seconds']} s in the database).",
        "",
        "Slowest statements (total): "
        + "; ".join(
            f"`{q['sql']}` ×{q['count']} {q['seconds']} s" for q in result["slowest_statements"]
        ),
        "",
        f"Target: under {TARGET_SECONDS:.0f} s — {'PASS' if payload['pass'] else 'FAIL'}.",
        "",
        f"Machine: {payload['machine']['cpu_count']} CPU {payload['machine']['cpu_model']}, "
        f"PostgreSQL {payload['machine'].get('postgresql', '?')}.",
    ]
    (RESULTS / f"{stem}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    sys.exit(0 if payload["pass"] else 1)


if __name__ == "__main__":
    main()
