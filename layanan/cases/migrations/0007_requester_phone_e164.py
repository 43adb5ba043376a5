"""Requesters' telephone numbers in E.164, the one rule of ``layanan.core.phones``.

Numbers stored before the rule (``0812-3456-7890``, ``62812…``) are rewritten where the rule
can read them; the others are left as they are (nobody's data is lost to a guess).
"""

from django.db import migrations


def forwards(apps, schema_editor):
    from layanan.core.phones import phone_or_none

    Case = apps.get_model("cases", "Case")
    rows = Case._base_manager.exclude(requester_phone="").values_list("pk", "requester_phone")
    for pk, stored in rows.iterator():
        number = phone_or_none(stored)
        if number is not None and number != stored:
            Case._base_manager.filter(pk=pk).update(requester_phone=number)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_due_at_whole_minutes"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True),
    ]
