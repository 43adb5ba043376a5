#!/usr/bin/env python
"""In-process timings of the two public paths of issue 20: the tracking page and the complaint
submit (GET the form, POST it), through the whole middleware stack of ``bench.settings`` (the
load benchmark's: DEBUG off, production middleware, rate limits raised), without HTTP.

    bench/public_paths.py [--database-url URL] [--codes 200] [--passes 3] [--submits 100]
                          [--unit SLUG] [--profile tracking|submit] [--only tracking|submit]

- *tracking, first visit*: ``GET /lacak/<code>/`` once for each of ``--codes`` random complaint
  codes (the load benchmark's case: wrk picks among 20,000 codes, so nearly every request is
  the first of its code in its worker);
- *tracking, again*: the same codes ``--passes`` more times (a reporter reloading the page);
- *submit*: ``--submits`` pairs of ``GET /pengaduan/<unit>/`` + ``POST`` of it with its CSRF
  token, as bench/lua/submit.lua does (anonymous, with name and phone, with name and e-mail in
  turn). Each POST files a real complaint through the normal path.

Prints ms per request (median and mean) and SQL statements per request (every statement on the
connection, middleware included). ``--profile`` runs that path under cProfile and prints the
top functions by cumulative time instead.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/layanan_bench"
TOKEN_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Counter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ.setdefault("STATIC_ROOT", "/tmp/fastpath-static")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)


def timed(func, n: int):
    """Run ``func(i)`` for i in range(n): (times in ms, statements per call)."""
    from django.db import connection

    times, counter = [], Counter()
    with connection.execute_wrapper(counter):
        for i in range(n):
            started = time.perf_counter()
            func(i)
            times.append((time.perf_counter() - started) * 1000)
    return times, counter.count / max(1, n)


def report(name: str, times: list[float], queries: float) -> None:
    print(
        f"{name:<24} n {len(times):>5}  median {statistics.median(times):7.2f} ms  "
        f"mean {statistics.fmean(times):7.2f} ms  queries/request {queries:5.2f}",
        flush=True,
    )


def sample_codes(n: int) -> list[str]:
    from django.db import connection

    from layanan.cases.numbering import format_public_code

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cases_case WHERE kind = 'complaint'")
        total = cursor.fetchone()[0]
        if not total:
            sys.exit("No complaint in the database: file some first (--only submit).")
        if connection.vendor == "postgresql" and total > 50 * n:
            percent = min(100.0, 100.0 * n * 3 / total)
            cursor.execute(
                "SELECT public_code FROM cases_case TABLESAMPLE BERNOULLI (%s) "
                "WHERE kind = 'complaint' LIMIT %s",
                [percent, n],
            )
        else:
            cursor.execute(
                "SELECT public_code FROM cases_case WHERE kind = 'complaint' "
                "ORDER BY random() LIMIT %s",
                [n],
            )
        return [format_public_code(row[0]) for row in cursor.fetchall()]


def client():
    from django.test import Client

    return Client(enforce_csrf_checks=True, REMOTE_ADDR="127.0.0.1", HTTP_HOST="127.0.0.1")


def tracking(args) -> None:
    codes = sample_codes(args.codes)
    c = client()

    def visit(i):
        response = c.get(f"/lacak/{codes[i % len(codes)]}/")
        assert response.status_code == 200, response.status_code

    if args.profile == "tracking":
        visit(0)
        profile(lambda: [visit(i) for i in range(len(codes) * args.passes)])
        return
    times, queries = timed(visit, len(codes))
    report("tracking, first visit", times, queries)
    times, queries = timed(visit, len(codes) * args.passes)
    report("tracking, again", times, queries)


def submit_pair_factory(unit_slug: str):
    c = client()
    path = f"/pengaduan/{unit_slug}/"
    stats = {"get": [], "post": [], "get_q": 0, "post_q": 0}

    def pair(n):
        from django.db import connection

        counter = Counter()
        with connection.execute_wrapper(counter):
            started = time.perf_counter()
            page = c.get(path)
            stats["get"].append((time.perf_counter() - started) * 1000)
        stats["get_q"] += counter.count
        assert page.status_code == 200, page.status_code
        token = TOKEN_RE.search(page.content.decode()).group(1)
        data = {
            "csrfmiddlewaretoken": token,
            "service": "",
            "subject": f"Antrean loket terlalu lama (uji {n})",
            "description": f"Uji: pengaduan nomor {n}. Antrean di loket lebih dari dua jam.",
            "location": "Loket pelayanan",
            "website": "",
        }
        mode = n % 3
        if mode == 0:
            data["identity"] = "anonymous"
        elif mode == 1:
            data |= {"identity": "normal", "name": f"Penguji {n}", "phone": "0812 3456 7890"}
            data["consent"] = "on"
        else:
            data |= {"identity": "normal", "name": f"Penguji {n}", "consent": "on"}
            data["email"] = f"penguji-{n}@example.org"
        counter = Counter()
        with connection.execute_wrapper(counter):
            started = time.perf_counter()
            response = c.post(path, data)
            stats["post"].append((time.perf_counter() - started) * 1000)
        stats["post_q"] += counter.count
        assert response.status_code == 303, (response.status_code, response.content[:2000])

    return pair, stats


def submit(args) -> None:
    from layanan.complaints.selectors import complaint_units

    units = list(complaint_units())
    unit = next((u for u in units if u.slug == args.unit), units[0])
    pair, stats = submit_pair_factory(unit.slug)
    pair(0)  # warm: templates, the counter row of the year
    stats.update(get=[], post=[], get_q=0, post_q=0)
    if args.profile == "submit":
        profile(lambda: [pair(n) for n in range(1, args.submits + 1)])
        return
    times, _queries = timed(pair, args.submits)
    n = args.submits
    report(f"submit GET ({unit.slug})", stats["get"], stats["get_q"] / n)
    report("submit POST", stats["post"], stats["post_q"] / n)
    report("submit GET+POST pair", times, (stats["get_q"] + stats["post_q"]) / n)


def profile(func) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    func()
    profiler.disable()
    stats = pstats.Stats(profiler).strip_dirs().sort_stats("cumulative")
    stats.print_stats(60)
    stats.sort_stats("tottime").print_stats(30)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    )
    parser.add_argument("--codes", type=int, default=200)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--submits", type=int, default=100)
    parser.add_argument("--unit", default="biro-perekonomian")
    parser.add_argument("--profile", choices=("tracking", "submit"))
    parser.add_argument("--only", choices=("tracking", "submit"))
    args = parser.parse_args(argv)
    setup(args.database_url)
    from django.conf import settings

    print(f"database {settings.DATABASES['default']['NAME']}", flush=True)
    if args.only != "submit" and args.profile != "submit":
        tracking(args)
    if args.only != "tracking" and args.profile != "tracking":
        submit(args)


if __name__ == "__main__":
    main()
