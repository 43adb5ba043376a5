"""The permission module answers per unit: a member acts on their unit and below, never on a
sibling's; auditors read everywhere but never write; anonymous users may do nothing."""

import pytest

from layanan.accounts.permissions import RULES, can, ensure_can, visible_units
from layanan.core.errors import NotPermitted

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "unit", "action", "expected"),
    [
        ("kesra_head", "biro-kesra", "catalog.edit", True),
        ("kesra_head", "kesra-bina-mental", "catalog.edit", True),  # below own unit
        ("kesra_head", "biro-perekonomian", "catalog.edit", False),  # sibling bureau
        ("kesra_head", "setda", "catalog.edit", False),  # above own unit
        ("kesra_handler", "biro-kesra", "catalog.edit", False),  # role lacks the right
        ("kesra_handler", "kesra-bina-mental", "catalog.view_unpublished", True),
        ("kesra_handler", "biro-kesra", "catalog.view_unpublished", False),  # parent of own unit
        ("ekon_officer", "biro-kesra", "catalog.view_unpublished", False),
        ("auditor", "biro-kesra", "catalog.view_unpublished", True),
        ("auditor", "biro-umum", "catalog.view_completeness", True),
        ("auditor", "biro-kesra", "catalog.edit", False),  # read-only
        ("admin", "biro-umum", "catalog.edit", True),
        ("admin", "biro-umum", "catalog.publish", True),
    ],
)
def test_unit_scoped_rules(personas, org, persona, unit, action, expected):
    """Each role reaches exactly its own subtree (or everything, for cross-unit roles)."""
    assert can(personas[persona], action, org[unit]) is expected


def test_anonymous_user_may_do_nothing(org):
    """An anonymous visitor gets False for every action, with or without an object."""
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    for action in RULES:
        assert can(anonymous, action) is False
        assert can(anonymous, action, org["biro-kesra"]) is False


def test_inactive_user_is_denied(personas, org):
    """Deactivating an account revokes its rights at once."""
    head = personas["kesra_head"]
    head.is_active = False
    assert can(head, "catalog.edit", org["biro-kesra"]) is False


def test_ensure_can_raises_translated_error(personas, org):
    """ensure_can raises NotPermitted with a stable code, turned into a 403 by the views/API."""
    with pytest.raises(NotPermitted) as exc:
        ensure_can(personas["ekon_officer"], "catalog.edit", org["biro-kesra"])
    assert exc.value.code == "permission_denied"
    assert exc.value.status_code == 403


def test_unknown_action_is_a_programming_error(personas):
    """A typo in an action name fails loudly instead of silently denying or allowing."""
    with pytest.raises(KeyError):
        can(personas["admin"], "catalog.edti")


def test_visible_units_is_the_member_subtree(personas, org):
    """Scoping a list by unit gives the member's unit and its Bagian, nothing else."""
    slugs = set(
        visible_units(personas["kesra_head"], "catalog.view_unpublished").values_list(
            "slug", flat=True
        )
    )
    assert slugs == {
        "biro-kesra",
        "kesra-bina-mental",
        "kesra-pelayanan-dasar",
        "kesra-pelayanan-non-dasar",
    }
    assert visible_units(personas["auditor"], "catalog.view_unpublished").count() == len(org)
