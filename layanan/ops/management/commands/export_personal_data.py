"""``manage.py export_personal_data --email X | --phone Y [-o FILE]``: a data-subject request.

Writes JSON (UTF-8) with every case of that person and the related personal data; see
``layanan/ops/export.py`` for what is in it and what is not. Hand the file over by a secure
channel and record the request in the office's register.

Every run is in the audit log (``personal_data_exported``): ``--by USERNAME`` names the staff
member handling the request; without it the entry names this command and the system user
that ran it.
"""

from __future__ import annotations

import getpass
import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_scopes import scopes_disabled

from layanan.ops.export import SYSTEM_ACTOR, personal_data_export


def _system_actor() -> str:
    try:
        return f"{SYSTEM_ACTOR} ({getpass.getuser()})"
    except Exception:  # no user name in this environment (a container without one)
        return SYSTEM_ACTOR


class Command(BaseCommand):
    help = "Export every case and related personal data of one person as JSON."

    def add_arguments(self, parser):
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--email", default="")
        who.add_argument("--phone", default="")
        parser.add_argument("-o", "--output", help="write to this file instead of stdout")
        parser.add_argument(
            "--by",
            default="",
            metavar="USERNAME",
            help="the staff member handling the request (recorded in the audit log)",
        )

    @scopes_disabled()  # SYSTEM, run by the operator: searches every unit
    def handle(self, *args, **options):
        actor = _system_actor()
        if options["by"]:
            actor = get_user_model().objects.filter(username=options["by"]).first()
            if actor is None:
                raise CommandError(f"no user {options['by']!r}")
        try:
            data = personal_data_export(email=options["email"], phone=options["phone"], actor=actor)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        text = json.dumps(data, indent=2, ensure_ascii=False)
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8") as fh:
                fh.write(text + "\n")
            self.stderr.write(f"{len(data['cases'])} case(s) written to {options['output']}")
        else:
            self.stdout.write(text)
