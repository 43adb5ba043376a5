"""The Django admin shows staff what they administer, within their unit: the catalogue, office
hours, resources, letter templates, their unit's people. Login attempts (axes), second-factor
devices (otp), task results and the rest stay with superusers. Slugs fill themselves in."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from layanan.accounts.admin_access import ADMINISTRABLE
from layanan.accounts.models import Role
from layanan.catalog.models import ServiceStandard
from tests.factories import MembershipFactory, UserFactory, published_standard

pytestmark = pytest.mark.django_db

#: Never for anybody but a superuser.
SUPERUSER_ONLY = {
    "axes.accessattempt",
    "axes.accessfailurelog",
    "axes.accesslog",
    "otp_totp.totpdevice",
    "django_tasks_database.dbtaskresult",
    "notify.outboxmessage",
    "api.apitoken",
    "auth.group",
    "accounts.loginrecord",
    "intake.mailbox",  # mail server credentials: the office's IT staff (docs/intake.md)
    "intake.whatsappnumber",  # routes citizens' WhatsApp messages: the IT staff (intake.md)
    "intake.whatsappevent",  # raw webhook deliveries (citizens' messages as received)
}


def changelist(label: str) -> str:
    app, model = label.split(".")
    return reverse(f"admin:{app}_{model}_changelist")


def shown_models(client) -> set[str]:
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return {
        f"{app['app_label']}.{m['object_name'].lower()}"
        for app in response.context["app_list"]
        for m in app["models"]
    }


@pytest.fixture
def head(kesra_head):
    kesra_head.is_staff = True
    kesra_head.save()
    return kesra_head


@pytest.fixture
def unit_admin(org):
    user = UserFactory(username="kesra.admin", is_staff=True)
    MembershipFactory(user=user, unit=org["biro-kesra"], role=Role.ADMIN)
    return user


def test_the_head_sees_the_catalogue_calendar_resources_and_templates(client, head):
    """The head of Biro Kesra administers its catalogue, office hours, resources and reply
    letter — and sees none of the superuser's tables."""
    client.force_login(head)
    shown = shown_models(client)
    assert {
        "catalog.servicestandard",
        "catalog.standardversion",
        "workdays.officehours",
        "workdays.officehoursoverride",
        "bookings.resource",
        "audiences.replylettertemplate",
    } <= shown
    assert not shown & SUPERUSER_ONLY
    assert "accounts.user" not in shown  # people are the unit's administrator's
    for label in SUPERUSER_ONLY:
        assert client.get(changelist(label)).status_code == 403, label


def test_lists_are_narrowed_to_the_unit(client, org, head):
    """Biro Umum's standard is neither listed nor opened for Biro Kesra's head."""
    kesra = published_standard(standard__unit=org["biro-kesra"], standard__name="Audiensi Kesra")
    umum = published_standard(standard__unit=org["biro-umum"], standard__name="Aula Umum")
    client.force_login(head)
    response = client.get(changelist("catalog.servicestandard"))
    listed = set(response.context["cl"].result_list)
    assert kesra in listed and umum not in listed
    other = reverse("admin:catalog_servicestandard_change", args=[umum.pk])
    assert client.get(other).status_code in (302, 404)
    own = reverse("admin:catalog_servicestandard_change", args=[kesra.pk])
    assert client.get(own).status_code == 200


def test_a_new_standard_can_only_go_to_the_unit(client, org, head):
    """The unit choice of the add form offers the head's unit and below only."""
    client.force_login(head)
    response = client.get(reverse("admin:catalog_servicestandard_add"))
    units = set(response.context["adminform"].form.fields["unit"].queryset)
    assert org["biro-kesra"] in units and org["kesra-bina-mental"] in units
    assert org["biro-umum"] not in units


def test_the_unit_administrator_manages_the_units_people_but_no_superuser(
    client, org, unit_admin, personas
):
    """Biro Kesra's administrator lists Kesra's staff, not another Biro's, never a superuser,
    and cannot make anybody a superuser."""
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    MembershipFactory(user=root, unit=org["biro-kesra"], role=Role.ADMIN)
    client.force_login(unit_admin)
    assert "accounts.user" in shown_models(client)
    listed = {u.username for u in client.get(changelist("accounts.user")).context["cl"].result_list}
    assert personas["kesra_officer"].username in listed
    assert personas["ekon_officer"].username not in listed
    assert "root" not in listed
    page = reverse("admin:accounts_user_change", args=[personas["kesra_officer"].pk])
    form = client.get(page).context["adminform"].form
    assert "is_superuser" not in form.fields and "user_permissions" not in form.fields


def test_a_staff_flag_without_a_role_sees_nothing(client):
    """ "Staff status" alone opens an empty admin: the rights come from a role."""
    client.force_login(UserFactory(username="flag", is_staff=True))
    assert shown_models(client) == set()


def test_the_superuser_still_sees_everything(client):
    """Superusers keep every table, the operational ones included."""
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    shown = shown_models(client)
    assert shown >= SUPERUSER_ONLY
    assert {label for label in ADMINISTRABLE if label in _registered()} <= shown


def _registered() -> set[str]:
    return {model._meta.label_lower for model in admin.site._registry}


def test_every_registered_model_is_decided():
    """Each model in the admin is either administrable by a rule or superuser-only (a new
    registration must be placed on one side)."""
    undecided = _registered() - set(ADMINISTRABLE) - SUPERUSER_ONLY
    # Read-only records with their own rules: audit log (auditors), and the rest superusers.
    assert undecided <= {
        "core.auditentry",
        "audiences.audiencedetail",
        "bookings.bookingdetail",
        "reports.skmfollowup",
        "surveys.surveyresponse",
    }


def test_slugs_fill_themselves_in(client, head):
    """The add form of a standard fills the slug from the name (prepopulated fields)."""
    client.force_login(head)
    response = client.get(reverse("admin:catalog_servicestandard_add"))
    assert [field["field"].name for field in response.context["prepopulated_fields"]] == ["slug"]
    assert ServiceStandard._meta.get_field("slug")
