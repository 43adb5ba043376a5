"""Issue 21: the audience requests' models move to the ``audiences`` app.

Django's state only: the three models are forgotten here and created again by
``audiences/0001_initial`` with the same tables (``db_table``), so the database is not touched
— no table is dropped, renamed or copied. Their content types move in ``audiences/0002``.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0004_facility_letter_notice_used"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="AudienceDetail"),
                migrations.DeleteModel(name="ReplyLetterCounter"),
                migrations.DeleteModel(name="ReplyLetterTemplate"),
            ],
            database_operations=[],
        ),
    ]
