"""``manage.py healthcheck``: the checks of ``/healthz`` from the command line (exit code 1 on
failure; a degradation is written to stderr with exit code 0), for systemd ``ExecStartPre``,
cron or a monitoring agent."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from layanan.ops.health import health_report


class Command(BaseCommand):
    help = (
        "Check the database, the task queue, the cache and the working-day calendar; exit 1 "
        "when one fails."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args, **options):
        report = health_report()
        if options["json"]:
            self.stdout.write(json.dumps(report, indent=2))
        else:
            for name, check in report["checks"].items():
                details = ", ".join(
                    f"{k}={v}" for k, v in check.items() if k not in ("ok", "degraded", "gaps")
                )
                state = "FAIL" if not check["ok"] else "DEGRADED" if check.get("degraded") else "ok"
                line = f"{name:<9} {state}  {details}"
                style = {"FAIL": self.style.ERROR, "DEGRADED": self.style.WARNING}
                self.stdout.write(style.get(state, self.style.SUCCESS)(line))
        if report["status"] == "fail":
            raise CommandError("health check failed")
        if report["status"] == "degraded":
            # Exit 0 (systemd's ExecStartPre must still start the site); cron mails stderr.
            for name, check in report["checks"].items():
                if check.get("degraded"):
                    reason = check.get("reason") or check.get("error", "")
                    self.stderr.write(f"degraded: {name}: {reason}")
