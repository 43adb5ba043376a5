"""The audience requests' models, moved here from the ``bookings`` app (issue 21).

State only: the tables exist already — created by ``bookings/0002_audience`` and
``bookings/0003_audience_official_account`` — and keep their names (``db_table``); this
migration makes Django know the models under the ``audiences`` label after
``bookings/0005_audiences_own_app`` forgot them, and touches no table.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("bookings", "0005_audiences_own_app"),
        ("cases", "0002_attachment"),
        ("core", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ReplyLetterTemplate",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created at"),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(auto_now=True, verbose_name="updated at"),
                        ),
                        (
                            "number_pattern",
                            models.CharField(
                                default="{seq}/AUD/{unit}/{year}",
                                help_text="{seq}: the letter's sequence number in the year; {year}; {month}: the month in Roman numerals; {unit}: the unit's code. E.g. {seq}/123/{unit}/{year} gives 005/123/KESRA/2026.",
                                max_length=100,
                                verbose_name="number pattern",
                            ),
                        ),
                        (
                            "seq_digits",
                            models.PositiveSmallIntegerField(
                                default=3,
                                help_text="3 gives 005.",
                                verbose_name="digits of the sequence number",
                            ),
                        ),
                        (
                            "city",
                            models.CharField(
                                default="Pontianak", max_length=100, verbose_name="place of signing"
                            ),
                        ),
                        ("subject", models.CharField(max_length=300, verbose_name="subject")),
                        (
                            "body",
                            models.TextField(
                                help_text="Paragraphs separated by an empty line. Placeholders: {{ organisation }}, {{ contact }}, {{ topic }}, {{ letter_number }}, {{ letter_date }}, {{ schedule }}, {{ place }}, {{ official }}, {{ participants }}, {{ unit }}, {{ case_number }}.",
                                verbose_name="letter text",
                            ),
                        ),
                        (
                            "signatory_title",
                            models.CharField(max_length=200, verbose_name="signatory's position"),
                        ),
                        (
                            "signatory_name",
                            models.CharField(
                                blank=True,
                                help_text="Empty: the name of the unit's head in Layanan.",
                                max_length=200,
                                verbose_name="signatory's name",
                            ),
                        ),
                        (
                            "signatory_nip",
                            models.CharField(
                                blank=True, max_length=40, verbose_name="signatory's NIP"
                            ),
                        ),
                        (
                            "unit",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="reply_letter_template",
                                to="core.unit",
                                verbose_name="unit",
                            ),
                        ),
                        (
                            "updated_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="last changed by",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "bookings_replylettertemplate",
                        "verbose_name": "reply letter template",
                        "verbose_name_plural": "reply letter templates",
                    },
                ),
                migrations.CreateModel(
                    name="AudienceDetail",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "organisation",
                            models.CharField(max_length=200, verbose_name="organisation"),
                        ),
                        ("topic", models.TextField(verbose_name="topic")),
                        ("preferred_date_1", models.DateField(verbose_name="preferred date")),
                        (
                            "preferred_date_2",
                            models.DateField(blank=True, null=True, verbose_name="second choice"),
                        ),
                        (
                            "preferred_date_3",
                            models.DateField(blank=True, null=True, verbose_name="third choice"),
                        ),
                        ("participants", models.PositiveIntegerField(verbose_name="participants")),
                        (
                            "official_requested",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="official requested"
                            ),
                        ),
                        (
                            "letter_number",
                            models.CharField(
                                blank=True,
                                max_length=100,
                                verbose_name="number of the request letter",
                            ),
                        ),
                        (
                            "letter_date",
                            models.DateField(
                                blank=True, null=True, verbose_name="date of the request letter"
                            ),
                        ),
                        ("instruction", models.TextField(blank=True, verbose_name="instruction")),
                        (
                            "disposed_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="disposition at"
                            ),
                        ),
                        (
                            "schedule_starts_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="scheduled for"
                            ),
                        ),
                        (
                            "schedule_place",
                            models.CharField(blank=True, max_length=200, verbose_name="place"),
                        ),
                        (
                            "schedule_official",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="received by"
                            ),
                        ),
                        (
                            "scheduled_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="schedule proposed at"
                            ),
                        ),
                        (
                            "reply_number",
                            models.CharField(
                                blank=True, max_length=100, verbose_name="reply letter number"
                            ),
                        ),
                        (
                            "reply_date",
                            models.DateField(
                                blank=True, null=True, verbose_name="reply letter date"
                            ),
                        ),
                        (
                            "reply_subject",
                            models.CharField(
                                blank=True, max_length=300, verbose_name="subject of the reply"
                            ),
                        ),
                        (
                            "reply_body",
                            models.TextField(blank=True, verbose_name="reply letter text"),
                        ),
                        ("reply_signatory_title", models.CharField(blank=True, max_length=200)),
                        ("reply_signatory_name", models.CharField(blank=True, max_length=200)),
                        ("reply_signatory_nip", models.CharField(blank=True, max_length=40)),
                        ("reply_city", models.CharField(blank=True, max_length=100)),
                        (
                            "replied_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="reply issued at"
                            ),
                        ),
                        (
                            "case",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="audience",
                                to="cases.case",
                                verbose_name="case",
                            ),
                        ),
                        (
                            "disposed_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="disposition by",
                            ),
                        ),
                        (
                            "replied_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="reply issued by",
                            ),
                        ),
                        (
                            "official_user",
                            models.ForeignKey(
                                blank=True,
                                help_text="Who gets the reminder the working day before; empty: whoever scheduled.",
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="official's account",
                            ),
                        ),
                        (
                            "scheduled_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="schedule proposed by",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "bookings_audiencedetail",
                        "verbose_name": "audience request",
                        "verbose_name_plural": "audience requests",
                        "constraints": [
                            models.UniqueConstraint(
                                condition=models.Q(("reply_number", ""), _negated=True),
                                fields=("reply_number",),
                                name="audience_unique_reply_number",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="ReplyLetterCounter",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("year", models.PositiveSmallIntegerField()),
                        ("last", models.PositiveIntegerField(default=0)),
                        (
                            "unit",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="core.unit",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "bookings_replylettercounter",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("unit", "year"), name="reply_counter_unique"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
