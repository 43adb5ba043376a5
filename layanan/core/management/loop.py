"""The ``--loop SECONDS`` shell of the commands that cron runs every few minutes or the operator
keeps running (``send_reminders``, ``sla_sweep``, ``dispatch_outbox``, ``fetch_mail``,
``process_whatsapp``): the option itself, and :func:`run_every`, which runs a command's work once
or again and again until it is interrupted.

Between two runs the database connection is given back when it is too old or broken
(``close_old_connections``, as Django does at the end of a request), so a worker that sleeps
across a database restart reconnects instead of failing forever. Ctrl-C (SIGINT) ends the loop
quietly, between runs or in the middle of one (the work's own transactions roll back).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.core.management.base import CommandError
from django.db import close_old_connections


def add_loop_argument(parser, *, doing: str) -> None:
    """Add ``--loop SECONDS`` to a command's ``parser``; ``doing`` completes "Keep running,
    ``doing`` again every SECONDS" (e.g. "sweeping")."""
    parser.add_argument(
        "--loop",
        type=float,
        default=0,
        metavar="SECONDS",
        help=f"Keep running, {doing} again every SECONDS (0: run once and exit).",
    )


def run_every(pause: float, work: Callable[[], object]) -> None:
    """Call ``work()`` once when ``pause`` is 0, else again every ``pause`` seconds until
    interrupted. A ``work()`` that returns True has more waiting (a full batch): the next run
    starts at once, without the pause. A negative ``pause`` is refused before anything runs;
    an exception of ``work()`` other than the interrupt ends the loop and reaches the caller."""
    if pause < 0:
        raise CommandError("--loop must not be negative")
    try:
        while True:
            more_waiting = work() is True
            if not pause:
                return
            if not more_waiting:
                time.sleep(pause)
            close_old_connections()
    except KeyboardInterrupt:
        return
