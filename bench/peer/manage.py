#!/usr/bin/env python
"""manage.py of the peer site (run with the peer's virtualenv, see bench/peer/run.py)."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk_site.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
