"""Rename the files of anonymous and confidential cases to neutral names.

A reporter's file name is often their identity (``Zulkifli_KTP.png``). From now on such a
case's files are stored as ``lampiran-<n>.<ext>`` (``cases/attachments.py``); this migration
renames the files already there — in upload order, the extension from the checked content type
— and the "file attached" timeline events that repeated the old name. The bytes and their
random storage names do not change. Migrating back keeps the neutral names: the old names
are what is being removed.
"""

from django.db import migrations

# The same table as cases/attachments.ALLOWED_TYPES (a migration must not import app code
# that may change later).
EXTENSIONS = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
}


def rename(apps, schema_editor):
    Attachment = apps.get_model("cases", "Attachment")
    CaseEvent = apps.get_model("cases", "CaseEvent")
    rows = (
        Attachment.objects.filter(case__is_anonymous=True)
        | Attachment.objects.filter(case__is_confidential=True)
    ).order_by("case_id", "uploaded_at", "pk")
    number, case_id = 0, None
    for attachment in rows.only("pk", "case_id", "original_name", "content_type").iterator():
        if attachment.case_id != case_id:
            number, case_id = 0, attachment.case_id
        number += 1
        extension = EXTENSIONS.get(attachment.content_type) or "bin"
        new = f"lampiran-{number}.{extension}"
        old = attachment.original_name
        if old == new:
            continue
        Attachment.objects.filter(pk=attachment.pk).update(original_name=new)
        CaseEvent.objects.filter(case_id=case_id, kind="attachment", new_value=old[:200]).update(
            new_value=new
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_event_public_note"),
    ]

    operations = [
        migrations.RunPython(rename, migrations.RunPython.noop, elidable=False),
    ]
