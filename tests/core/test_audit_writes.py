"""Every audited write leaves one audit entry, written by the service or admin that did it:
standards published, archived and drafted; API tokens created and revoked; roles given,
changed and taken away; reply letter templates edited. No entry holds a secret."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from layanan.accounts.models import Membership, Role
from layanan.api.models import ApiToken
from layanan.api.services import api_token_create, api_token_revoke
from layanan.audiences.models import ReplyLetterTemplate
from layanan.catalog.services import version_create_draft, version_publish
from layanan.core.models import AuditEntry
from tests.factories import UserFactory, published_standard

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def root_client(client, root):
    client.force_login(root)
    return client


def _entries(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("pk"))


def test_publishing_a_standard_records_the_publication_and_the_archiving(org, kesra_head):
    """A new draft, then its publication by the head: one entry for the draft, one for the
    version published and one for the version it archived, each with the head, the unit, the
    standard and the version numbers."""
    standard = published_standard(standard__unit=org["biro-kesra"])
    first = standard.published_version
    AuditEntry.objects.all().delete()  # the factory's own publication (actor: system)

    draft = version_create_draft(actor=kesra_head, source=first)
    version_publish(actor=kesra_head, version=draft)

    [drafted] = _entries("standard_drafted")
    [published] = _entries("standard_published")
    [archived] = _entries("standard_archived")
    for entry in (drafted, published, archived):
        assert (entry.actor, entry.unit) == (kesra_head, org["biro-kesra"])
        assert entry.data["standard"] == standard.slug
    assert (published.target_id, published.data["version"]) == (str(draft.pk), draft.number)
    assert (archived.target_id, archived.data["version"]) == (str(first.pk), first.number)
    assert "Archived" in archived.target_repr or "Diarsipkan" in archived.target_repr


def test_a_refused_publication_leaves_no_entry(org, kesra_head, ekon_officer):
    """Another unit's officer may not publish: NotPermitted, and the log stays empty."""
    from layanan.core.errors import NotPermitted

    standard = published_standard(standard__unit=org["biro-kesra"])
    draft = version_create_draft(actor=kesra_head, source=standard.published_version)
    AuditEntry.objects.all().delete()
    with pytest.raises(NotPermitted):
        version_publish(actor=ekon_officer, version=draft)
    assert not AuditEntry.objects.exists()


def test_publishing_from_the_admin_is_audited(root_client, org, root):
    """The admin's "publish" action goes through the service, so its entry names the
    superuser who pressed it."""
    standard = published_standard(standard__unit=org["biro-kesra"])
    draft = version_create_draft(actor=root, source=standard.published_version)
    response = root_client.post(
        reverse("admin:catalog_standardversion_changelist"),
        {"action": "publish_selected", "_selected_action": [draft.pk]},
    )
    assert response.status_code == 302
    [entry] = _entries("standard_published")[-1:]
    assert (entry.actor, entry.target_id) == (root, str(draft.pk))


def test_tokens_created_and_revoked_are_audited_without_their_key(
    root_client, org, root, kesra_officer
):
    """A token made in the admin and one made by the service each leave a creation entry
    (whose token, which units) and revoking leaves one entry, once; the key is nowhere in the
    log."""
    response = root_client.post(
        reverse("admin:api_apitoken_add"),
        {
            "name": "Sinkronisasi LAPOR!",
            "user": kesra_officer.pk,
            "units": [org["biro-kesra"].pk],
            "expires_at_0": "",
            "expires_at_1": "",
        },
    )
    assert response.status_code == 302
    token = ApiToken.objects.get(name="Sinkronisasi LAPOR!")
    _other, key = api_token_create(user=kesra_officer, name="Skrip", created_by=root)
    created = _entries("api_token_created")
    assert [e.target_id for e in created] == [str(token.pk), str(_other.pk)]
    assert created[0].actor == root
    assert created[0].data == {
        "for_user": "kesra.officer",
        "units": ["biro-kesra"],
        "expires_at": None,
    }

    root_client.post(
        reverse("admin:api_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    api_token_revoke(token=token, actor=root)  # already revoked: no second entry
    [revoked] = _entries("api_token_revoked")
    assert (revoked.actor, revoked.target_id) == (root, str(token.pk))

    everything = json.dumps(
        [[e.target_repr, e.data] for e in AuditEntry.objects.all()], default=str
    )
    assert key not in everything and key.split("_")[-1] not in everything
    assert token.key_hash not in everything


def test_roles_given_changed_and_removed_in_the_admin_are_audited(root_client, org, root):
    """The membership admin: adding a role, changing it (the old role is kept) and deleting it
    each leave an entry with the member, role and unit."""
    member = UserFactory(username="budi.staf")
    root_client.post(
        reverse("admin:accounts_membership_add"),
        {"user": member.pk, "unit": org["biro-kesra"].pk, "role": Role.HANDLER},
    )
    membership = Membership.objects.get(user=member)
    root_client.post(
        reverse("admin:accounts_membership_change", args=[membership.pk]),
        {"user": member.pk, "unit": org["biro-kesra"].pk, "role": Role.COMPLAINT_OFFICER},
    )
    root_client.post(
        reverse("admin:accounts_membership_delete", args=[membership.pk]), {"post": "yes"}
    )
    assert not Membership.objects.filter(user=member).exists()
    [added] = _entries("membership_added")
    [changed] = _entries("membership_changed")
    [removed] = _entries("membership_removed")
    assert added.data == {"member": "budi.staf", "role": "handler", "unit_slug": "biro-kesra"}
    assert changed.data["old_role"] == "handler" and changed.data["role"] == "complaint_officer"
    assert removed.data["role"] == "complaint_officer"
    for entry in (added, changed, removed):
        assert (entry.actor, entry.unit, entry.target_id) == (
            root,
            org["biro-kesra"],
            str(membership.pk),
        )


def test_roles_changed_in_the_user_pages_inline_are_audited(root_client, org, root):
    """The memberships inline on the user's admin page is audited the same way."""
    member = UserFactory(username="siti.staf")
    kept = Membership.objects.create(user=member, unit=org["biro-kesra"], role=Role.HANDLER)
    url = reverse("admin:accounts_user_change", args=[member.pk])
    page = root_client.get(url)
    form = page.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in ("password", "groups", "user_permissions")
    }
    data.update(
        {
            "date_joined_0": form.initial["date_joined"].strftime("%Y-%m-%d"),
            "date_joined_1": form.initial["date_joined"].strftime("%H:%M:%S"),
            "memberships-TOTAL_FORMS": "2",
            "memberships-INITIAL_FORMS": "1",
            "memberships-0-id": kept.pk,
            "memberships-0-user": member.pk,
            "memberships-0-unit": org["biro-kesra"].pk,
            "memberships-0-role": Role.HEAD,
            "memberships-1-user": member.pk,
            "memberships-1-unit": org["biro-perekonomian"].pk,
            "memberships-1-role": Role.AUDITOR,
        }
    )
    data.pop("date_joined", None)
    data.pop("last_login", None)
    response = root_client.post(url, data)
    assert response.status_code == 302, response.context and [
        f.errors for f in [response.context["adminform"].form]
    ]
    kept.refresh_from_db()
    assert kept.role == Role.HEAD
    [changed] = _entries("membership_changed")
    [added] = _entries("membership_added")
    assert (changed.data["old_role"], changed.data["role"]) == ("handler", "head")
    assert (added.data["role"], added.data["unit_slug"]) == ("auditor", "biro-perekonomian")
    assert changed.actor == added.actor == root


def test_letter_templates_edited_on_the_staff_page_and_in_the_admin_are_audited(
    client, org, kesra_head, root
):
    """The head's save on the staff page and a superuser's save in the admin each leave an
    entry for the unit with the names of the fields changed."""
    unit = org["biro-kesra"]
    data = {
        "unit": unit.slug,
        "number_pattern": "{seq}/123/{unit}/{year}",
        "seq_digits": "3",
        "city": "Pontianak",
        "subject": "Jawaban Audiensi",
        "body": "Yth {{ organisation }}, audiensi pada {{ schedule }}.",
        "signatory_title": "Kepala Biro",
        "signatory_name": "",
        "signatory_nip": "",
    }
    client.force_login(kesra_head)
    url = reverse("audience:letter_template") + f"?unit={unit.slug}"
    assert client.post(url, data).status_code == 302
    template = ReplyLetterTemplate.objects.get(unit=unit)
    [entry] = _entries("letter_template_changed")
    assert (entry.actor, entry.unit, entry.target_id) == (kesra_head, unit, str(template.pk))
    assert entry.data["created"] is True and "body" in entry.data["fields"]

    client.force_login(root)
    admin_data = {**data, "unit": unit.pk, "city": "Singkawang"}
    response = client.post(
        reverse("admin:audiences_replylettertemplate_change", args=[template.pk]), admin_data
    )
    assert response.status_code == 302
    latest = _entries("letter_template_changed")[-1]
    assert (latest.actor, latest.data) == (root, {"created": False, "fields": ["city"]})
    template.refresh_from_db()
    assert (template.city, template.updated_by) == ("Singkawang", root)


def test_answer_letter_templates_added_in_the_admin_are_audited_and_refuse_bad_patterns(
    root_client, org, root
):
    """The complaint answer letter template (which keeps no "last changed by") shares the
    letter templates' admin: a pattern that could repeat a number is refused with nothing
    saved or logged, a good one is saved with an entry for the unit."""
    from django.utils import translation

    from layanan.complaints.models import AnswerLetterTemplate

    unit = org["biro-kesra"]
    data = {
        "unit": unit.pk,
        "number_pattern": "{seq}/ADU/{unit}",
        "seq_digits": "3",
        "city": "Pontianak",
        "subject": "Jawaban Pengaduan",
        "signatory_title": "Kepala Biro",
        "signatory_name": "",
        "signatory_nip": "",
    }
    url = reverse("admin:complaints_answerlettertemplate_add")
    with translation.override("en"):
        refused = root_client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
        assert refused.status_code == 200
        assert "The pattern needs {seq} and {year}" in refused.content.decode()
    assert not AnswerLetterTemplate.objects.exists() and not _entries("letter_template_changed")

    response = root_client.post(url, {**data, "number_pattern": "{seq}/ADU/{unit}/{year}"})
    assert response.status_code == 302
    template = AnswerLetterTemplate.objects.get(unit=unit)
    [entry] = _entries("letter_template_changed")
    assert (entry.actor, entry.unit, entry.target_id) == (root, unit, str(template.pk))
    assert entry.data == {"created": True, "fields": ["signatory_title", "unit"]}
