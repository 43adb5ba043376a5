"""The ``--loop SECONDS`` shell shared by the periodic commands (``core/management/loop.py``)."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from layanan.core.management import loop


class Sleeps:
    """Stands in for ``time`` in the loop module: records each pause and interrupts the loop
    (as Ctrl-C would) at the ``stop_after``-th one; counts the connection checks between runs."""

    def __init__(self, stop_after: int):
        self.pauses: list[float] = []
        self.stop_after = stop_after
        self.connection_checks = 0

    def close_old_connections(self) -> None:
        self.connection_checks += 1

    def sleep(self, seconds: float) -> None:
        self.pauses.append(seconds)
        if len(self.pauses) >= self.stop_after:
            raise KeyboardInterrupt


@pytest.fixture
def sleeps(monkeypatch):
    fake = Sleeps(stop_after=3)
    monkeypatch.setattr(loop, "time", fake)
    monkeypatch.setattr(loop, "close_old_connections", fake.close_old_connections)
    return fake


def test_no_pause_runs_the_work_once(sleeps):
    """``--loop 0`` (the default, what cron runs) does the work once and never sleeps."""
    runs = []
    loop.run_every(0, lambda: runs.append(1))
    assert runs == [1]
    assert sleeps.pauses == []


def test_a_negative_pause_is_refused_before_any_work(sleeps):
    """A negative ``--loop`` is the operator's mistake: refused, and nothing has run."""
    runs = []
    with pytest.raises(CommandError, match="--loop must not be negative"):
        loop.run_every(-1, lambda: runs.append(1))
    assert runs == []


def test_the_loop_pauses_between_runs_until_interrupted(sleeps):
    """With a pause the work runs again after each pause, the database connection is checked
    before each new run, and Ctrl-C ends the loop quietly."""
    runs = []
    loop.run_every(7.5, lambda: runs.append(1))
    assert len(runs) == 3
    assert sleeps.pauses == [7.5, 7.5, 7.5]
    assert sleeps.connection_checks == 2


def test_a_full_batch_goes_on_without_pausing(sleeps):
    """Work that says more is waiting (returns True) is run again at once; the pause comes
    only once it has caught up."""
    results = iter([True, True, False, False, False])
    runs = []

    def work():
        runs.append(1)
        return next(results)

    loop.run_every(60, work)
    assert len(runs) == 5
    assert sleeps.pauses == [60, 60, 60]
    assert sleeps.connection_checks == 4


def test_an_error_of_the_work_reaches_the_caller(sleeps):
    """A failing run is not swallowed: the loop ends and the error reaches the command (and
    its exit status)."""

    def work():
        raise RuntimeError("database gone")

    with pytest.raises(RuntimeError, match="database gone"):
        loop.run_every(5, work)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("command", "report"),
    [("sla_sweep", "SLA sweep:"), ("send_reminders", "Reminders:")],
)
def test_periodic_commands_loop_and_report_each_run(sleeps, command, report):
    """``sla_sweep --loop`` and ``send_reminders --loop`` run their work each round and report
    it, until interrupted; a negative ``--loop`` is refused."""
    out = io.StringIO()
    call_command(command, loop=30, stdout=out)
    assert out.getvalue().count(report) == 3
    with pytest.raises(CommandError, match="must not be negative"):
        call_command(command, loop=-1, stdout=io.StringIO())
