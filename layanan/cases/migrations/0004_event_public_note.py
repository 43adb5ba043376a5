"""Split a case event's note in two: ``note`` is for staff only, ``public_note`` is what the
requester reads on the tracking page.

Until now every note of a non-internal event was published, including what an officer typed
under "Verify → Note" or when closing. Existing rows are sorted the way the forms labelled them:
the notes that were *asked for* as text for the requester — the request for information
(waiting on the requester), the reason for a rejection, the requester's own reason for
reopening — move to ``public_note``; every other note stays in ``note`` and is internal from now
on (unpublished, which is the point of this change).
"""

from django.db import migrations, models
from django.db.models import F, Q

#: Notes written for the requester under the old forms: they stay readable by the requester.
PUBLIC_BY_LABEL = (
    Q(kind="status", new_value__in=["waiting_on_requester", "rejected"])
    | Q(kind="reopened", actor__isnull=True)
)


def move_public_notes(apps, schema_editor):
    CaseEvent = apps.get_model("cases", "CaseEvent")
    # One UPDATE (… SET public_note = note, note = ''), however many rows.
    CaseEvent.objects.filter(PUBLIC_BY_LABEL, is_internal=False).exclude(note="").update(
        public_note=F("note"), note=""
    )


def move_back(apps, schema_editor):
    CaseEvent = apps.get_model("cases", "CaseEvent")
    for event in CaseEvent.objects.exclude(public_note="").only("pk", "note", "public_note"):
        note = "\n\n".join(part for part in (event.public_note, event.note) if part)
        CaseEvent.objects.filter(pk=event.pk).update(note=note, public_note="")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_case_time_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="caseevent",
            name="public_note",
            field=models.TextField(blank=True, verbose_name="message to the requester"),
        ),
        migrations.AlterField(
            model_name="caseevent",
            name="note",
            field=models.TextField(blank=True, verbose_name="internal note"),
        ),
        migrations.RunPython(move_public_notes, move_back, elidable=False),
    ]
