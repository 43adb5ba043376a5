"""Round every stored due time up to the whole minute (deadlines are promises to the minute).

New due times come whole from ``workdays.deadlines.deadline``; this brings rows written before
that rule in line, in one UPDATE, so the pages, the API and Open311 agree on the same instant.
"""

import datetime as dt

from django.db import migrations
from django.db.models import Q
from django.db.models.functions import TruncMinute


def forwards(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    # Truncated in UTC: every office time zone (WIB, WITA, WIT) is whole hours from UTC, and a
    # truncation in the local zone would come back as local wall time stored as UTC.
    minute = TruncMinute("due_at", tzinfo=dt.UTC)
    Case.objects.filter(due_at__isnull=False).filter(~Q(due_at=minute)).update(
        due_at=minute + dt.timedelta(minutes=1)
    )


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_neutral_attachment_names")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
