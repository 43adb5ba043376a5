"""gunicorn settings of the two-server test (tests/ops/test_two_servers.py): every worker runs
on the test's controlled clock, so what the servers stamp and compare (received and closed
times, the reopening window, rate-limit windows) agrees with what the test wrote, whatever day
the suite runs. ``LAYANAN_SERVER_NOW`` (ISO 8601 with offset) is where the clock starts; time
then flows."""

from __future__ import annotations

import datetime as dt
import os


def post_fork(server, worker):
    import time_machine

    moment = dt.datetime.fromisoformat(os.environ["LAYANAN_SERVER_NOW"])
    time_machine.travel(moment, tick=True).start()
