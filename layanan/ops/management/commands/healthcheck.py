"""``manage.py healthcheck``: the checks of ``/healthz`` from the command line (exit code 1 on
failure), for systemd ``ExecStartPre``, cron or a monitoring agent."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from layanan.ops.health import health_report


class Command(BaseCommand):
    help = "Check the database, the task queue and the cache; exit 1 when one fails."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args, **options):
        report = health_report()
        if options["json"]:
            self.stdout.write(json.dumps(report, indent=2))
        else:
            for name, check in report["checks"].items():
                details = ", ".join(f"{k}={v}" for k, v in check.items() if k != "ok")
                line = f"{name:<9} {'ok' if check['ok'] else 'FAIL'}  {details}"
                self.stdout.write(
                    self.style.SUCCESS(line) if check["ok"] else self.style.ERROR(line)
                )
        if report["status"] != "ok":
            raise CommandError("health check failed")
