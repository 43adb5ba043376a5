"""Organisation files give the staff's roles too: ``[[member]]`` tables, validated with their
lines before anything is written, loaded idempotently by username, audited, no passwords."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from layanan.accounts.actors import SYSTEM
from layanan.accounts.models import Membership, User
from layanan.core.errors import NotPermitted
from layanan.core.models import AuditAction, AuditEntry, Unit
from layanan.core.orgfile import OrganisationFileError, organisation_load, parse_organisation
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are checked in English (the msgids), whatever the catalogue holds."""
    with translation.override("en"):
        yield


UNITS = """\
[organisation]
slug = "pemkab-contoh"
name = "Pemerintah Kabupaten Contoh"
time_zone = "WITA"

[[unit]]
slug = "dinas-sosial"
name = "Dinas Sosial"

[[unit]]
slug = "dinsos-rehabilitasi"
parent = "dinas-sosial"
name = "Bidang Rehabilitasi Sosial"
"""

MEMBERS = """
[[member]]
username = "siti"
name = "Siti Aminah"
email = "siti@contoh.go.id"
unit = "dinas-sosial"
role = "complaint_officer"

[[member]]
username = "budi"
name = "Budi Santoso"
email = "budi@contoh.go.id"
roles = [
  { unit = "dinas-sosial", role = "head" },
  { unit = "dinsos-rehabilitasi", role = "handler" },
]
"""

FILE = UNITS + MEMBERS


def line_of(text: str, needle: str, after: str = "", nth: int = 0) -> int:
    """The number of the ``nth`` line containing ``needle`` (after the first line containing
    ``after``)."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if after in line) if after else 0
    found = [i for i, line in enumerate(lines) if i >= start and needle in line]
    return found[nth] + 1


def roles() -> set[tuple[str, str, str]]:
    return set(Membership.objects.values_list("user__username", "role", "unit__slug"))


def test_members_are_created_without_a_password_and_given_their_roles():
    """Each [[member]] becomes a user (name and e-mail from the file) with an unusable
    password, and one Membership per role: ``unit``/``role`` for one, ``roles`` for several."""
    report = organisation_load(spec=parse_organisation(FILE))
    assert report.members_created == ["siti", "budi"]
    assert roles() == {
        ("siti", "complaint_officer", "dinas-sosial"),
        ("budi", "head", "dinas-sosial"),
        ("budi", "handler", "dinsos-rehabilitasi"),
    }
    siti = User.objects.get(username="siti")
    assert (siti.full_name, siti.email) == ("Siti Aminah", "siti@contoh.go.id")
    for user in User.objects.all():
        assert not user.has_usable_password()
        assert not user.check_password("")
        assert not user.is_superuser and not user.is_staff


def test_every_role_given_is_in_the_audit_log():
    """Each role a load gives is one membership_added entry: whose, which role, where, from the
    organisation file, by the system actor (or the administrator who loaded it)."""
    organisation_load(spec=parse_organisation(FILE), actor=SYSTEM)
    entries = AuditEntry.objects.filter(action=AuditAction.MEMBERSHIP_ADDED)
    assert {(e.data["member"], e.data["role"], e.data["unit_slug"]) for e in entries} == roles()
    assert {e.actor_label for e in entries} == {"system"}
    assert {e.data["source"] for e in entries} == {"organisation_file"}
    head = entries.get(data__role="head")
    assert head.unit.slug == "dinas-sosial"
    assert head.target_id == str(Membership.objects.get(role="head").pk)


def test_an_administrator_loading_the_file_is_the_actor_of_the_entries():
    """Loaded by a superuser (the first-run page), the entries name that user."""
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    organisation_load(spec=parse_organisation(FILE), actor=admin)
    entry = AuditEntry.objects.filter(action=AuditAction.MEMBERSHIP_ADDED).first()
    assert entry.actor == admin and entry.actor_label == "root"


def test_a_staff_member_who_is_not_an_administrator_cannot_load_roles():
    """Giving roles through a file is the installation administrator's: anyone else is refused
    and nothing is written."""
    clerk = UserFactory(username="clerk")
    with pytest.raises(NotPermitted):
        organisation_load(spec=parse_organisation(FILE), actor=clerk)
    assert not Membership.objects.exists() and not Unit.objects.exists()


def test_loading_the_same_members_twice_changes_nothing():
    """A second load creates no user, adds no role, writes no audit entry and reports every
    member unchanged."""
    organisation_load(spec=parse_organisation(FILE))
    users = list(User.objects.order_by("pk").values_list("pk", "password", "full_name", "email"))
    entries = AuditEntry.objects.count()
    again = organisation_load(spec=parse_organisation(FILE))
    assert not again.changed
    assert again.members_unchanged == ["siti", "budi"]
    assert again.roles_added == [] and again.roles_not_in_file == []
    assert list(
        User.objects.order_by("pk").values_list("pk", "password", "full_name", "email")
    ) == (users)
    assert AuditEntry.objects.count() == entries


def test_an_existing_user_keeps_their_password_and_gets_the_new_role():
    """A user who already exists is matched by username: their password is left alone, their
    name and e-mail follow the file, and only the roles they lack are added."""
    siti = UserFactory(username="siti", full_name="Siti A.", email="siti@contoh.go.id")
    siti.set_password("a-long-secret-phrase")
    siti.save()
    report = organisation_load(spec=parse_organisation(FILE))
    siti.refresh_from_db()
    assert siti.check_password("a-long-secret-phrase")
    assert siti.full_name == "Siti Aminah"
    assert report.members_updated == {"siti": ["full_name"]}
    assert report.members_created == ["budi"]


def test_roles_the_file_no_longer_names_are_kept_and_reported():
    """A changed role in the file adds the new role; the old one is never removed by a load
    (it is listed, to be removed in the administration)."""
    organisation_load(spec=parse_organisation(FILE))
    changed = FILE.replace('role = "complaint_officer"', 'role = "front_desk"')
    report = organisation_load(spec=parse_organisation(changed))
    assert report.roles_added == [("siti", "front_desk", "dinas-sosial")]
    assert report.roles_not_in_file == [("siti", "complaint_officer", "dinas-sosial")]
    assert ("siti", "complaint_officer", "dinas-sosial") in roles()
    assert any("complaint_officer" in line and "kept" in line for line in report.lines())
    without_budi = changed[: changed.index('[[member]]\nusername = "budi"')]
    report = organisation_load(spec=parse_organisation(without_budi))
    assert User.objects.filter(username="budi").exists()
    assert ("budi", "head", "dinas-sosial") in report.roles_not_in_file


def test_a_file_without_members_leaves_the_staff_alone():
    """A file that gives no [[member]] (like the shipped kalbar.toml) neither touches nor
    reports the roles given in the administration."""
    organisation_load(spec=parse_organisation(FILE))
    report = organisation_load(spec=parse_organisation(UNITS))
    assert report.roles_not_in_file == [] and not report.changed
    assert len(roles()) == 3


BAD = [
    # (replace this, with that, the line (needle, after) of the problem, words in the message)
    ('role = "complaint_officer"', 'role = "officer"', ('role = "officer"', ""), "officer"),
    ('unit = "dinas-sosial"\n', 'unit = "dinas-sosal"\n', ("dinas-sosal", ""), "dinas-sosal"),
    ('email = "siti@contoh.go.id"', 'email = "siti"', ('email = "siti"', ""), "e-mail"),
    ('name = "Siti Aminah"', 'nama = "Siti Aminah"', ("nama", ""), "nama"),
    ('name = "Siti Aminah"\n', "", ("[[member]]", ""), "name"),
    ('username = "siti"', 'username = "siti aminah"', ("siti aminah", ""), "user name"),
    ('username = "budi"', 'username = "siti"', ('username = "siti"', "siti@contoh"), "twice"),
    (
        '{ unit = "dinsos-rehabilitasi", role = "handler" }',
        '{ unit = "dinas-sosial", role = "head" }',
        ('{ unit = "dinas-sosial", role = "head" }', "", 1),
        "twice",
    ),
    (
        '{ unit = "dinsos-rehabilitasi", role = "handler" }',
        '{ unit = "dinsos-rehabilitasi", role = "kepala" }',
        ("kepala", ""),
        "kepala",
    ),
    (
        '{ unit = "dinsos-rehabilitasi", role = "handler" }',
        '{ unit = "dinsos-rehabilitasi", role = "handler", since = 2020 }',
        ("since", ""),
        "since",
    ),
    (
        'role = "complaint_officer"\n',
        'role = "complaint_officer"\nroles = []\n',
        ("roles", ""),
        "not both",
    ),
    ('unit = "dinas-sosial"\nrole = "complaint_officer"\n', "", ("[[member]]", ""), "unit"),
]


@pytest.mark.parametrize(("change", "into", "where", "words"), BAD)
def test_a_bad_member_names_the_line_and_writes_nothing(change, into, where, words):
    """Unknown roles, units and keys, bad e-mail addresses and user names, a missing name, a
    member written twice, a role given twice: each refused with its line; nothing written."""
    text = FILE.replace(change, into, 1)
    assert text != FILE
    line = line_of(text, *where)
    with pytest.raises(OrganisationFileError) as caught:
        organisation_load(spec=parse_organisation(text))
    problems = {p.line: p.message for p in caught.value.problems}
    assert line in problems, caught.value.problems
    assert words in problems[line]
    assert not Unit.objects.exists()
    assert not User.objects.exists()
    assert not AuditEntry.objects.exists()


def test_every_problem_of_units_and_members_is_reported_at_once():
    """A bad unit and a bad member are reported together, before anything is written."""
    text = FILE.replace('name = "Dinas Sosial"', 'name = "Dinas Sosial"\nkind = "dinas"')
    text = text.replace('role = "head"', 'role = "boss"')
    with pytest.raises(OrganisationFileError) as caught:
        parse_organisation(text)
    assert {p.line for p in caught.value.problems} == {
        line_of(text, 'kind = "dinas"'),
        line_of(text, "boss"),
    }


def test_a_file_with_a_problem_gives_an_existing_user_nothing():
    """An existing user whose role is in a file with a problem gains nothing."""
    siti = UserFactory(username="siti")
    text = FILE.replace('time_zone = "WITA"', 'time_zone = "CET"')
    with pytest.raises(OrganisationFileError):
        organisation_load(spec=parse_organisation(text))
    assert not siti.memberships.exists()


def test_command_lists_members_and_roles_and_dry_run_keeps_nothing(tmp_path):
    """manage.py load_organisation --dry-run says which members and roles a load would create
    and keeps none; the real load creates them; a second one reports them unchanged."""
    path = tmp_path / "org.toml"
    path.write_text(FILE, encoding="utf-8")
    out = StringIO()
    call_command("load_organisation", str(path), "--dry-run", stdout=out)
    assert "member created   siti" in out.getvalue()
    assert "role given   budi: handler in dinsos-rehabilitasi" in out.getvalue()
    assert not User.objects.exists() and not AuditEntry.objects.exists()
    out = StringIO()
    call_command("load_organisation", str(path), stdout=out)
    assert "member created   budi" in out.getvalue()
    assert len(roles()) == 3
    out = StringIO()
    call_command("load_organisation", str(path), stdout=out)
    assert "members unchanged: 2" in out.getvalue()
    assert "member created" not in out.getvalue()


def test_command_shows_a_bad_member_with_its_line(tmp_path):
    """A bad role fails the command with its line on stderr and writes nothing."""
    path = tmp_path / "org.toml"
    text = FILE.replace('role = "head"', 'role = "boss"')
    path.write_text(text, encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("load_organisation", str(path), stderr=err)
    assert f"line {line_of(text, 'boss')}: unknown role “boss”" in err.getvalue()
    assert not User.objects.exists()


def test_the_first_run_page_loads_members_from_an_uploaded_file(client, settings):
    """The first-run page uploads the same file: its members are created without a password,
    the report lists them, and the entries name the administrator setting up; a bad member is
    refused with its line and nothing is written."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from layanan.setup.services import first_run_token_create

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    token, _url = first_run_token_create()
    password = "Kapuas-sungai-terpanjang-1143"
    client.post(
        reverse("setup:start", args=[token]),
        {
            "username": "admin.contoh",
            "full_name": "Admin Contoh",
            "email": "admin@contoh.go.id",
            "password1": password,
            "password2": password,
        },
    )
    bad = FILE.replace('role = "head"', 'role = "boss"')
    upload = SimpleUploadedFile("org.toml", bad.encode(), content_type="application/toml")
    response = client.post(reverse("setup:organisation_file"), {"file": upload})
    assert response.status_code == 400
    assert f"line {line_of(bad, 'boss')}" in response.content.decode()
    assert not Unit.objects.exists() and not Membership.objects.exists()

    upload = SimpleUploadedFile("org.toml", FILE.encode(), content_type="application/toml")
    response = client.post(reverse("setup:organisation_file"), {"file": upload})
    assert response.status_code == 200
    body = response.content.decode()
    assert "member created   siti" in body and "head in dinas-sosial" in body
    assert len(roles()) == 3
    assert not User.objects.get(username="budi").has_usable_password()
    entries = AuditEntry.objects.filter(action=AuditAction.MEMBERSHIP_ADDED)
    assert {e.actor_label for e in entries} == {"admin.contoh"}


def test_the_full_example_in_the_docs_loads():
    """The full example of docs/adopting.md (units and members) is a valid file that loads."""
    import re
    from pathlib import Path

    from django.conf import settings

    doc = (Path(settings.BASE_DIR) / "docs" / "adopting.md").read_text(encoding="utf-8")
    example = re.search(r"```toml\n(.*?)```", doc, re.DOTALL).group(1)
    report = organisation_load(spec=parse_organisation(example))
    assert report.members_created == ["siti.aminah", "budi.santoso"]
    assert ("budi.santoso", "handler", "dinsos-rehabilitasi") in roles()
