"""The audit log (layanan/core/audit.py): one entry per audited write, no secrets in it,
read-only in the Django admin, readable by auditors."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from layanan.core.audit import audit_log
from layanan.core.models import AuditAction, AuditEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:core_auditentry_changelist"


def test_an_entry_names_actor_action_target_and_unit(org, kesra_head):
    """A user actor is kept with their username; the target's type, id and text are kept and
    its unit is the entry's unit unless one is given."""
    unit = org["biro-kesra"]
    entry = audit_log(
        actor=kesra_head, action=AuditAction.LETTER_TEMPLATE_CHANGED, target=unit, data={"a": 1}
    )
    assert (entry.actor, entry.actor_label, entry.action) == (
        kesra_head,
        "kesra.head",
        "letter_template_changed",
    )
    assert (entry.target_type.model, entry.target_id, entry.target_repr, entry.unit) == (
        "unit",
        str(unit.pk),
        unit.name,
        unit,
    )
    assert entry.data == {"a": 1}


def test_a_system_actor_is_a_label(db):
    """Commands and tasks name themselves; no actor at all is "system"."""
    entry = audit_log(actor="manage.py export_personal_data", action="personal_data_exported")
    assert (entry.actor, entry.actor_label) == (None, "manage.py export_personal_data")
    assert audit_log(actor=None, action="personal_data_exported").actor_label == "system"


@pytest.mark.parametrize(
    "data",
    [
        {"token": "x"},
        {"key": "lyn_abc"},
        {"password": "x"},
        {"email": "a@b.c"},
        {"requester_phone": "0812"},
        {"nested": {"name": "Siti"}},
        {"changes": [{"recipient": "a@b.c"}]},
    ],
)
def test_secrets_and_identities_are_refused(db, data):
    """Keys that look like a secret or a person's identity never reach the log: ValueError,
    and nothing is written."""
    with pytest.raises(ValueError):
        audit_log(actor=None, action="personal_data_exported", data=data)
    assert not AuditEntry.objects.exists()


def test_an_unknown_action_is_refused(db):
    """Actions are a closed list (core.models.AuditAction): a typo fails loudly."""
    with pytest.raises(ValueError):
        audit_log(actor=None, action="identity_veiwed")


@pytest.fixture
def entries(org, kesra_head, kesra_officer):
    old = audit_log(actor=kesra_head, action="standard_published", target=org["biro-kesra"])
    AuditEntry.objects.filter(pk=old.pk).update(at=timezone.now() - dt.timedelta(days=40))
    new = audit_log(actor=kesra_officer, action="identity_viewed", target=org["biro-kesra"])
    return old, new


def test_the_auditor_reads_and_filters_the_log_in_the_admin(client, entries, auditor):
    """An auditor with access to the admin site sees the log and filters it by action, by
    actor and by date."""
    old, new = entries
    auditor.is_staff = True
    auditor.save()
    client.force_login(auditor)
    url = reverse(CHANGELIST)
    response = client.get(url)
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [new, old]
    by_action = client.get(url, {"action__exact": "standard_published"}).context["cl"]
    assert list(by_action.result_list) == [old]
    by_actor = client.get(url, {"actor__id__exact": new.actor_id}).context["cl"]
    assert list(by_actor.result_list) == [new]
    since = (timezone.now() - dt.timedelta(days=7)).isoformat()
    by_date = client.get(url, {"at__gte": since}).context["cl"]
    assert list(by_date.result_list) == [new]
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.parametrize("who", ["auditor", "superuser"])
def test_nobody_adds_changes_or_deletes_an_entry(client, entries, auditor, who):
    """Read-only for everyone, a superuser included: no add, no delete, no editable field,
    no bulk delete action."""
    old, _new = entries
    user = (
        UserFactory(username="root", is_superuser=True, is_staff=True)
        if who == "superuser"
        else auditor
    )
    user.is_staff = True
    user.save()
    client.force_login(user)
    assert client.get(reverse("admin:core_auditentry_add")).status_code == 403
    assert client.post(reverse("admin:core_auditentry_delete", args=[old.pk])).status_code == 403
    page = client.get(reverse("admin:core_auditentry_change", args=[old.pk]))
    assert page.status_code == 200
    assert 'name="action"' not in page.content.decode()
    changed = client.post(
        reverse("admin:core_auditentry_change", args=[old.pk]), {"action": "identity_viewed"}
    )
    assert changed.status_code == 403
    listing = client.get(reverse(CHANGELIST))
    assert "delete_selected" not in listing.content.decode()
    old.refresh_from_db()
    assert old.action == "standard_published" and AuditEntry.objects.count() == 2


@pytest.mark.parametrize("persona", ["kesra_head", "admin", "kesra_officer"])
def test_other_staff_do_not_read_the_log(client, entries, personas, persona):
    """Roles other than the auditor do not see the log, even with access to the admin site."""
    user = personas[persona]
    user.is_staff = True
    user.save()
    client.force_login(user)
    assert client.get(reverse(CHANGELIST)).status_code == 403


def test_an_entry_is_never_changed_once_written(db):
    """Saving an existing entry again is refused: the log is append-only in code as well."""
    entry = audit_log(actor=None, action="personal_data_exported", data={"cases": 1})
    entry.data = {"cases": 0}
    with pytest.raises(ValueError):
        entry.save()
    entry.refresh_from_db()
    assert entry.data == {"cases": 1}
