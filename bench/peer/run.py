"""The peer benchmark: django-helpdesk beside Layanan, the same wrk load, one after the other.

    .venv/bin/python bench/peer/run.py prepare [--tickets 100000]   # once: venv, database, data
    .venv/bin/python bench/peer/run.py compare [--duration 10s] [--threads 2] [--connections 16]

``prepare`` makes the peer's own virtualenv (``var/peer/venv``, from bench/peer/requirements.txt:
django-helpdesk 2.6.1 on Django 5.2), its own PostgreSQL database (``PEER_DATABASE_URL``,
default ``helpdesk_bench``), migrates it and loads ``--tickets`` tickets with 3 follow-ups each
(bench/peer/load_tickets.py). Layanan's side is ``bench/generate.py`` into ``layanan_bench``, as
for bench/load.py.

``compare`` starts the peer's gunicorn (2 sync workers, DEBUG off, the same query counter) and
runs, with the same wrk settings, (a) its ceiling (one indexed SELECT by ticket id), (b) its
public ticket view with real ids, e-mails and keys, (c) its staff ticket list's rows (the data
URL the list page fetches, 25 rows, logged in) and (d) its public submit (GET the form, POST it);
stops it; then runs bench/load.py's (a)–(d) on Layanan with the same settings; and prints both
with the ratios the issue sets as goals. Results: ``bench/results/<date>-peer-<commit>.md/.json``
(and Layanan's own ``…-load-…`` files). Run nothing else on the machine meanwhile.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from bench import load  # noqa: E402
from bench.load import Scenario, fetch, run_wrk, to_result  # noqa: E402
from bench.server import Server, ServerError  # noqa: E402

PEER_DIR = ROOT / "var" / "peer"
PEER_VENV = PEER_DIR / "venv"
PEER_PY = PEER_VENV / "bin" / "python"
REQUIREMENTS = HERE / "requirements.txt"
TMP = load.TMP_DIR
DEFAULT_PEER_DB = "postgres://postgres@127.0.0.1:5432/helpdesk_bench"
PEER_USER = ("bench.staff", "bench-peer-password")  # made by load_tickets.py

# The goals, Layanan against the peer measured in the same run
GOAL_SUBMIT_RATIO = 2.0  # submissions/s, each a form GET + POST
GOAL_TRACKING_VS_PEER = 6.0  # tracking page against the peer's public view
GOAL_TRACKING_VS_CEILING = 0.5  # tracking page against Layanan's own ceiling


def peer_env(database_url: str) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "helpdesk_site.settings",
        "PYTHONPATH": f"{HERE}{os.pathsep}{ROOT}",
        "PEER_DATABASE_URL": database_url,
        "PEER_STATIC_ROOT": str(PEER_DIR / "static"),
        "PEER_MEDIA_ROOT": str(PEER_DIR / "media"),
    }


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    print("  $", " ".join(str(c) for c in cmd), flush=True)
    return subprocess.run(cmd, check=True, **kwargs)


def ensure_venv() -> None:
    """The peer's own virtualenv, rebuilt when requirements.txt changes."""
    stamp = PEER_VENV / ".requirements-sha256"
    digest = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest and PEER_PY.exists():
        return
    base = subprocess.run(
        [str(ROOT / "scripts" / "find-python.sh")], capture_output=True, text=True, check=True
    ).stdout.strip()
    PEER_DIR.mkdir(parents=True, exist_ok=True)
    run([base, "-m", "venv", "--clear", str(PEER_VENV)])
    run([str(PEER_PY), "-m", "pip", "install", "-q", "-r", str(REQUIREMENTS)])
    stamp.write_text(digest)


def ensure_database(database_url: str) -> None:
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    admin = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def peer_manage(database_url: str, *args: str) -> None:
    env = {**os.environ, **peer_env(database_url)}
    run([str(PEER_PY), str(HERE / "manage.py"), *args], env=env, cwd=HERE)


def prepare(args) -> int:
    ensure_venv()
    ensure_database(args.peer_database_url)
    peer_manage(args.peer_database_url, "migrate", "--noinput", "-v", "0")
    peer_manage(args.peer_database_url, "collectstatic", "--noinput", "-v", "0")
    peer_manage(args.peer_database_url, "loaddata", "emailtemplate.json", "-v", "0")
    env = {**os.environ, **peer_env(args.peer_database_url)}
    run(
        [str(PEER_PY), str(HERE / "load_tickets.py"), "--tickets", str(args.tickets)],
        env=env,
        cwd=HERE,
    )
    return 0


def peer_versions() -> dict[str, str]:
    out = subprocess.run(
        [str(PEER_PY), "-m", "pip", "freeze"], capture_output=True, text=True, check=True
    ).stdout
    wanted = ("django", "django-helpdesk", "gunicorn", "psycopg")
    return {
        name.lower(): version
        for name, _, version in (line.partition("==") for line in out.splitlines())
        if name.lower() in wanted
    }


def peer_counts(database_url: str) -> dict[str, int]:
    import psycopg

    with psycopg.connect(database_url) as conn:
        return {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("helpdesk_ticket", "helpdesk_followup")
        }


def run_peer(args, wrk: str) -> tuple[dict[str, load.Result], dict]:
    """The peer's four scenarios, under its own gunicorn."""
    queue = (TMP / "peer-queue.txt").read_text().strip()
    list_path = (TMP / "peer-list.txt").read_text().strip()
    scenarios = {
        "a": Scenario(
            "a",
            "ceiling",
            "codes.lua",
            url="/bench/ceiling/<id>/",
            env={"BENCH_CODES_FILE": str(TMP / "peer-ids.txt"), "BENCH_PATH": "/bench/ceiling/%s/"},
        ),
        "b": Scenario(
            "b",
            "public ticket view",
            "codes.lua",
            url="/view/?ticket=<queue-id>&email=<e-mail>&key=<key>",
            env={"BENCH_CODES_FILE": str(TMP / "peer-view.txt"), "BENCH_PATH": "/view/?ticket=%s"},
        ),
        "c": Scenario("c", "staff list (25 rows)", "get.lua", url=list_path),
        "d": Scenario(
            "d",
            "public submit (GET + POST)",
            "peer_submit.lua",
            expected=(200, 302),
            url="/tickets/submit/",
            env={"BENCH_PATH": "/tickets/submit/", "BENCH_QUEUE": queue},
        ),
    }
    scenarios["c"].env["BENCH_PATH"] = list_path
    log_path = TMP / "peer-gunicorn.log"
    server = Server(
        args.peer_database_url,
        log_path,
        gunicorn=PEER_VENV / "bin" / "gunicorn",
        application="helpdesk_site.wsgi:application",
        chdir=HERE,
        env=peer_env(args.peer_database_url),
    )
    results: dict[str, load.Result] = {}
    before = peer_counts(args.peer_database_url)["helpdesk_ticket"]
    try:
        try:
            server.wait_ready()
        except ServerError as error:
            sys.exit(str(error))
        cookie = load.login(server.base, *PEER_USER, path="/login/")
        scenarios["c"].env["BENCH_COOKIE"] = cookie
        sample_id = (TMP / "peer-ids.txt").read_text().split()[0]
        sample_view = (TMP / "peer-view.txt").read_text().split()[0]
        probes = {
            "a": (f"/bench/ceiling/{sample_id}/", ""),
            "b": (f"/view/?ticket={sample_view}", ""),
            "c": (list_path, cookie),
            "d": ("/tickets/submit/", ""),
        }
        for key, (path, cookie_value) in probes.items():
            for _ in range(4):
                status, _headers, _body = fetch(server.base, path, cookie_value)
            if status != 200:
                sys.exit(f"peer ({key}) {path} answers {status} before the run; see {log_path}")
        for key, scenario in scenarios.items():
            print(f"peer ({key}) {scenario.name}: wrk {args.duration} …", flush=True)
            raw = run_wrk(
                wrk,
                server.base,
                scenario,
                duration=args.duration,
                threads=args.threads,
                connections=args.connections,
            )
            results[key] = to_result(scenario, raw, args.connections)
            time.sleep(min(load.DRAIN_MAX_S, results[key].max_ms / 1000 + 1))
    finally:
        server.stop()
    after = peer_counts(args.peer_database_url)["helpdesk_ticket"]
    d = results["d"]
    check = {
        "filed_reported": d.extra.get("filed", 0),
        "tickets_created": after - before,
        "posts_in_flight": d.extra.get("posts_sent", 0) - d.extra.get("posts_answered", 0),
    }
    return results, check


def run_layanan(args) -> dict:
    """bench/load.py's (a)–(d) on Layanan with the same wrk settings; its JSON result."""
    started = time.time()
    cmd = [
        sys.executable,
        str(ROOT / "bench" / "load.py"),
        "--scenario",
        "a,b,c,d",
        "--duration",
        args.duration,
        "--threads",
        str(args.threads),
        "--connections",
        str(args.connections),
        "--submit-connections",
        str(args.connections),
        "--database-url",
        args.database_url,
    ]
    subprocess.run(cmd, check=False)  # a missed target of its own is reported, not fatal here
    produced = [p for p in load.RESULTS_DIR.glob("*-load-*.json") if p.stat().st_mtime >= started]
    if not produced:
        sys.exit("bench/load.py wrote no result")
    return json.loads(max(produced, key=lambda p: p.stat().st_mtime).read_text())


def submissions_per_s(filed: float, duration_s: float) -> float:
    return round(filed / duration_s, 1) if duration_s else 0.0


def ratio(a: float, b: float) -> float | None:
    return round(a / b, 2) if b else None


def compare(args) -> int:
    from bench._common import git_commit

    wrk = load.ensure_wrk()
    TMP.mkdir(parents=True, exist_ok=True)
    if not (TMP / "peer-ids.txt").exists():
        sys.exit("No peer data: run `bench/peer/run.py prepare` first")
    peer, peer_check = run_peer(args, wrk)
    ours = run_layanan(args)
    mine = {r["key"]: r for r in ours["results"]}

    def rps(r) -> float:
        return r["rps"] if isinstance(r, dict) else r.rps

    p_submit = submissions_per_s(peer["d"].extra.get("filed", 0), peer["d"].duration_s)
    m_submit = submissions_per_s(
        (mine["d"]["extra"] or {}).get("filed", 0), mine["d"]["duration_s"]
    )
    rows = [
        ("ceiling (one indexed SELECT)", rps(peer["a"]), rps(mine["a"]), None, ""),
        (
            "public tracking page / public ticket view",
            rps(peer["b"]),
            rps(mine["b"]),
            GOAL_TRACKING_VS_PEER,
            f"own ceiling ratio {ratio(rps(mine['b']), rps(mine['a']))} "
            f"(goal ≥ {GOAL_TRACKING_VS_CEILING})",
        ),
        ("staff list (helpdesk 25 rows, Layanan 50)", rps(peer["c"]), rps(mine["c"]), None, ""),
        (
            "public submit, submissions/s (GET + POST)",
            p_submit,
            m_submit,
            GOAL_SUBMIT_RATIO,
            "",
        ),
    ]
    commit = git_commit()
    date = dt.date.today().isoformat()
    versions = peer_versions()
    counts = peer_counts(args.peer_database_url)
    lines = [
        f"# Peer benchmark — {date} — {commit}",
        "",
        f"- django-helpdesk {versions.get('django-helpdesk')} on Django {versions.get('django')} "
        f"({counts['helpdesk_ticket']:,} tickets, {counts['helpdesk_followup']:,} follow-ups); "
        f"Layanan {commit} ({ours['volume'].get('cases_case', 0):,} cases)",
        f"- both: gunicorn, 2 sync workers, DEBUG off, PostgreSQL; {ours['wrk']}; "
        f"{args.duration} per scenario, {args.threads} threads, {args.connections} connections",
        "- machine: "
        + ", ".join(f"{k} {v}" for k, v in ours["machine"].items() if k != "platform"),
        "",
        "| path | django-helpdesk req/s | Layanan req/s | Layanan ÷ helpdesk | goal | note |",
        "|---|---:|---:|---:|---:|---|",
    ]
    verdicts = []
    for name, p, m, goal, note in rows:
        r = ratio(m, p)
        verdict = "" if goal is None else ("PASS" if r is not None and r >= goal else "FAIL")
        if goal is not None:
            verdicts.append(verdict)
        lines.append(
            f"| {name} | {p} | {m} | {r} | {'' if goal is None else f'≥ {goal} {verdict}'} "
            f"| {note} |"
        )
    lines += [
        "",
        "Queries per request (mean): "
        + ", ".join(
            f"({k}) helpdesk {peer[k].queries_mean} / Layanan {mine[k]['queries_mean']}"
            for k in "abcd"
        ),
        f"Peer submissions: {peer_check}",
    ]
    text = "\n".join(lines) + "\n"
    print()
    print(text)
    load.RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stem = load.RESULTS_DIR / f"{date}-peer-{commit}"
    stem.with_suffix(".md").write_text(text)
    payload = {
        "date": date,
        "commit": commit,
        "peer_versions": versions,
        "peer_volume": counts,
        "peer": {
            k: load.asdict(v) | {"extra": load._without_codes(v.extra)} for k, v in peer.items()
        },
        "peer_submit_check": peer_check,
        "layanan": ours,
        "rows": [
            {"path": n, "helpdesk": p, "layanan": m, "ratio": ratio(m, p), "goal": g}
            for n, p, m, g, _ in rows
        ],
    }
    stem.with_suffix(".json").write_text(json.dumps(payload, indent=2, default=str) + "\n")
    print(f"Results: {stem.with_suffix('.md').relative_to(ROOT)}")
    return 0 if all(v == "PASS" for v in verdicts) else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("prepare", help="the peer's virtualenv, database and data")
    p.add_argument("--tickets", type=int, default=100_000)
    c = sub.add_parser("compare", help="both apps under the same wrk load; the ratios")
    c.add_argument("--duration", default="10s")
    c.add_argument("--threads", type=int, default=2)
    c.add_argument("--connections", type=int, default=16)
    c.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL", load.DEFAULT_DATABASE_URL)
    )
    for sp in (p, c):
        sp.add_argument(
            "--peer-database-url", default=os.environ.get("PEER_DATABASE_URL", DEFAULT_PEER_DB)
        )
    args = parser.parse_args()
    if not re.search(r"bench", args.peer_database_url.rsplit("/", 1)[1]):
        sys.exit("The peer's database name must contain 'bench' (it is filled with test data)")
    return prepare(args) if args.command == "prepare" else compare(args)


if __name__ == "__main__":
    sys.exit(main())
