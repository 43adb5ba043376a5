"""gunicorn on a free loopback port: the one launcher of the load benchmark (bench/load.py),
the peer comparison (bench/peer/run.py) and the two-server test
(tests/ops/test_two_servers.py). Standard library only, so tests import it cheaply."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


class ServerError(RuntimeError):
    """gunicorn exited, or did not answer as expected, at startup (see its log)."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn with 2 sync workers on a free loopback port: Layanan's with the bench settings by
    default; the peer's (bench/peer/run.py) with its own virtualenv, application, folder and
    environment. ``ready_path`` is requested until it answers 200 or 404 (the application is
    loaded), with ``ready_headers`` (e.g. the Host and X-Forwarded-Proto a proxy would send);
    ``extra_args`` go to gunicorn as they are (e.g. ``["-c", "conf.py"]``)."""

    def __init__(
        self,
        database_url: str,
        log_path: Path,
        workers: int = 2,
        *,
        gunicorn: Path = VENV_BIN / "gunicorn",
        application: str = "layanan.wsgi:application",
        chdir: Path = ROOT,
        env: dict[str, str] | None = None,
        ready_path: str = "/bench/ceiling/-/",
        ready_headers: dict[str, str] | None = None,
        extra_args: Sequence[str] = (),
    ):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.ready_path = ready_path
        self.ready_headers = ready_headers or {}
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "PYTHONPATH": str(ROOT),
            **(env or {}),
        }
        cmd = [
            str(gunicorn),
            application,
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--chdir",
            str(chdir),
            "--timeout",
            "120",
            "--graceful-timeout",
            "10",
            "--log-level",
            "warning",
            *extra_args,
        ]
        self.cmd = cmd
        self.log = log_path.open("w")
        self.proc = subprocess.Popen(
            cmd, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def wait_ready(self, timeout: float = 60) -> None:
        """Return once the application answers; raise :class:`ServerError` otherwise."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise ServerError(f"gunicorn exited ({self.proc.returncode}); see {self.log_path}")
            try:
                request = urllib.request.Request(
                    self.base + self.ready_path, headers=self.ready_headers
                )
                urllib.request.urlopen(request, timeout=5)
            except urllib.error.HTTPError as error:
                if error.code == 404:
                    return
                raise ServerError(
                    f"gunicorn answers {error.code} at startup; see {self.log_path}"
                ) from None
            except OSError:
                time.sleep(0.3)
            else:
                return
        raise ServerError(f"gunicorn did not answer within {timeout:.0f}s; see {self.log_path}")

    def stop(self, *, quick: bool = False) -> None:
        """SIGTERM to the master (it stops its workers gracefully, up to ``--graceful-timeout``;
        ``quick``: SIGINT, at once); SIGKILL to the whole process group if it does not end in
        time. Safe to call twice."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT if quick else signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)  # its own session: master and workers
                self.proc.wait()
        if not self.log.closed:
            self.log.close()
