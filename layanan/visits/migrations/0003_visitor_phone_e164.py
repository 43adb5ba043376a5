"""Visitors' telephone numbers in E.164 (``+62…``, was ``62…``), the one rule of
``layanan.core.phones``, so the desk's look-up and the cases' numbers agree.

A number the rule cannot read is left as it is, and so is one whose E.164 form another visitor
of the same unit already has (a visitor is one phone per unit; merging people is not a
migration's call).
"""

from django.db import migrations, models


def forwards(apps, schema_editor):
    from layanan.core.phones import phone_or_none

    Visitor = apps.get_model("visits", "Visitor")
    for visitor in Visitor._base_manager.only("pk", "unit_id", "phone").iterator():
        number = phone_or_none(visitor.phone)
        if number is None or number == visitor.phone:
            continue
        taken = Visitor._base_manager.filter(unit_id=visitor.unit_id, phone=number).exists()
        if not taken:
            Visitor._base_manager.filter(pk=visitor.pk).update(phone=number)


class Migration(migrations.Migration):
    dependencies = [
        ("visits", "0002_guest_book_day_index"),
    ]

    operations = [
        migrations.AlterField(
            model_name="visitor",
            name="phone",
            field=models.CharField(help_text="E.164: +62…", max_length=20, verbose_name="phone"),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True),
    ]
