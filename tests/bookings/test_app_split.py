"""Issue 21 split ``bookings`` into ``facilities`` (label kept) and ``audiences``: the move must
leave every existing database's tables, rows and rights where they were."""

from __future__ import annotations

import importlib
import io

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from layanan.audiences.models import AudienceDetail, ReplyLetterCounter, ReplyLetterTemplate
from tests.factories import UserFactory

content_types = importlib.import_module("layanan.audiences.migrations.0002_content_types")


def test_moved_models_keep_their_tables():
    """The audience models are read from the tables the ``bookings`` app created: a table
    name following the new label would find an empty (or missing) table on every existing
    installation."""
    assert AudienceDetail._meta.db_table == "bookings_audiencedetail"
    assert ReplyLetterTemplate._meta.db_table == "bookings_replylettertemplate"
    assert ReplyLetterCounter._meta.db_table == "bookings_replylettercounter"
    assert apps.get_app_config("bookings").name == "layanan.facilities"


@pytest.mark.django_db(transaction=True)  # SQLite's schema editor refuses a test transaction
@pytest.mark.parametrize(("app", "migration"), [("bookings", "0005"), ("audiences", "0001")])
def test_the_move_touches_no_table(app, migration):
    """Moving the models between apps is Django's state only: the SQL of both migrations is
    empty, so no table is created, dropped or renamed when an existing database migrates."""
    out = io.StringIO()
    call_command("sqlmigrate", app, migration, stdout=out)
    statements = [
        line
        for line in out.getvalue().splitlines()
        if line.strip() and not line.startswith("--") and line.strip() not in ("BEGIN;", "COMMIT;")
    ]
    assert statements == []


@pytest.mark.django_db
def test_content_types_move_with_their_permissions_granted():
    """An installation migrating from before the split has the audience models' content types
    under ``bookings``; the data migration renames them in place, so a permission granted on
    audience requests stays granted (now ``audiences.view_audiencedetail``), and a duplicate
    ``audiences`` row created by a migrate that stopped half-way gives way to the old one."""
    old = ContentType.objects.get(app_label="audiences", model="audiencedetail")
    old.app_label = "bookings"  # the row as it was before the split
    old.save()
    duplicate = ContentType.objects.create(app_label="audiences", model="audiencedetail")
    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(content_type=old, codename="view_audiencedetail")
    )
    ContentType.objects.clear_cache()

    content_types.forwards(apps, None)

    moved = ContentType.objects.get(pk=old.pk)
    assert moved.app_label == "audiences"
    assert not ContentType.objects.filter(pk=duplicate.pk).exists()
    assert not ContentType.objects.filter(app_label="bookings", model="audiencedetail").exists()
    user = type(user).objects.get(pk=user.pk)
    assert user.has_perm("audiences.view_audiencedetail")


@pytest.mark.django_db
def test_content_types_migration_is_a_no_op_on_a_fresh_database():
    """On a new installation there is no ``bookings`` row of the moved models: the data
    migration changes nothing."""
    before = list(ContentType.objects.order_by("pk").values_list("pk", "app_label", "model"))
    content_types.forwards(apps, None)
    after = list(ContentType.objects.order_by("pk").values_list("pk", "app_label", "model"))
    assert after == before
