"""The moved models' content types follow them: ``bookings`` → ``audiences`` (issue 21).

A content type row is what permissions (``auth_permission``), the admin's log
(``django_admin_log``) and any generic reference point at; renaming its ``app_label`` in place
keeps its id, so every permission granted on audience requests or reply letter templates, and
every log line about them, stays attached. On a fresh database there is no such row yet (they
are created after migrating), and nothing happens.

When the ``audiences`` rows exist already (a ``migrate`` stopped at ``audiences 0001`` created
them after it ran), those new rows — and the permissions created with them, which nobody can
have been granted before this migration — give way to the old ones.
"""

from django.db import migrations

MODELS = ("audiencedetail", "replylettertemplate", "replylettercounter")


def _move(apps, old_label, new_label):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        old = ContentType.objects.filter(app_label=old_label, model=model).first()
        if old is None:
            continue
        ContentType.objects.filter(app_label=new_label, model=model).delete()
        old.app_label = new_label
        old.save(update_fields=["app_label"])
    ContentType.objects.clear_cache()


def forwards(apps, schema_editor):
    _move(apps, "bookings", "audiences")


def backwards(apps, schema_editor):
    _move(apps, "audiences", "bookings")


class Migration(migrations.Migration):
    dependencies = [
        ("audiences", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
