"""Data-subject requests: ``export_personal_data`` gives one person everything held on them."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from layanan.accounts.actors import PUBLIC
from layanan.cases.events import case_event_record

pytestmark = pytest.mark.django_db


def test_export_by_email_has_every_case_and_related_data_of_that_person(
    file_complaint, tmp_path, kesra_officer
):
    """By e-mail (any case): both of the person's complaints with what they wrote, the
    details, the public timeline, their files and the notifications sent to them — and neither
    someone else's case nor internal notes nor staff names."""
    first = file_complaint(attachment=True)
    second = file_complaint(requester_email="SITI@example.org", description="Kedua kalinya.")
    other = file_complaint(requester_name="Budi", requester_email="budi@example.org")
    case_event_record(case=first, actor=kesra_officer, kind="note", note="Rahasia", internal=True)

    out = tmp_path / "siti.json"
    call_command("export_personal_data", "--email", "siti@EXAMPLE.org", "-o", str(out))
    data = json.loads(out.read_text(encoding="utf-8"))

    numbers = [c["number"] for c in data["cases"]]
    assert numbers == [first.number, second.number]
    assert other.number not in numbers
    exported = data["cases"][0]
    assert (
        exported["requester"] | {"name": "Siti Aminah", "email": "siti@example.org"}
        == (exported["requester"])
    )
    assert exported["tracking_code"] == first.public_code
    assert exported["details"]["location"] == "Jl. Ahmad Yani No. 1"
    assert exported["files"] == [
        exported["files"][0] | {"name": "bukti.pdf", "type": "application/pdf"}
    ]
    assert "received" in [e["event"] for e in exported["timeline"]]
    text = out.read_text(encoding="utf-8")
    assert "Rahasia" not in text
    assert kesra_officer.username not in text
    assert "Budi" not in text
    assert any(n["recipient"].lower() == "siti@example.org" for n in data["notifications"])


def test_export_by_phone_matches_any_way_of_writing_the_number(file_complaint, org, capsys):
    """By telephone: ``+62 812 3456 7890`` finds a case filed as ``0812-3456-7890`` and the
    visitor record typed as ``081234567890``: all are stored in E.164 (layanan.core.phones)."""
    from layanan.visits.services import visit_register

    case = file_complaint()
    visit_register(
        actor=PUBLIC,
        unit=org["biro-kesra"],
        standard=None,
        name="Siti Aminah",
        phone="081234567890",
        purpose="Konsultasi",
    )
    file_complaint(requester_phone="0812 9999 0000", requester_email="lain@example.org")
    call_command("export_personal_data", "--phone", "+62 812 3456 7890")
    data = json.loads(capsys.readouterr().out)
    assert data["query"]["phone"] == "+6281234567890"
    assert case.number in [c["number"] for c in data["cases"]]
    assert len(data["cases"]) == 2  # the complaint and the visit, not the other number
    assert data["visitor_records"][0]["phone"] == "+6281234567890"


def test_export_needs_a_usable_key():
    """Neither an e-mail nor a valid phone number: a clear error, no dump of everyone."""
    with pytest.raises(CommandError, match="a valid telephone number"):
        call_command("export_personal_data", "--phone", "12")


def test_every_export_is_audited_without_the_persons_data(file_complaint, kesra_officer, capsys):
    """An export writes one personal_data_exported audit entry: who ran it (the staff member
    named with --by, or this command and the system user), how the person was looked up and
    how many cases (and confidential ones) it held — never the address, the number, the name
    or a case number of the person."""
    from layanan.core.models import AuditEntry

    secret = file_complaint(confidential=True, requester_phone="0812 5555 1234")
    call_command("export_personal_data", "--email", "siti@example.org", "--by", "kesra.officer")
    capsys.readouterr()
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.actor_label) == (
        "personal_data_exported",
        kesra_officer,
        "kesra.officer",
    )
    assert entry.data["looked_up_by"] == "e-mail"
    assert (entry.data["cases"], entry.data["confidential_cases"]) == (1, 1)
    text = json.dumps(entry.data) + entry.target_repr
    for value in ("siti", "Siti", "5555", secret.number, secret.public_code):
        assert value not in text

    call_command("export_personal_data", "--phone", "0812 5555 1234")
    capsys.readouterr()
    latest = AuditEntry.objects.order_by("-pk").first()
    assert latest.actor is None
    assert latest.actor_label.startswith("manage.py export_personal_data")
    assert latest.data["looked_up_by"] == "telephone"


def test_an_unknown_handler_is_refused_before_anything_is_exported(file_complaint, capsys):
    """--by with a user that does not exist: a clear error, no export, no audit entry."""
    from layanan.core.models import AuditEntry

    file_complaint()
    with pytest.raises(CommandError, match="no user"):
        call_command("export_personal_data", "--email", "siti@example.org", "--by", "nobody")
    assert capsys.readouterr().out == ""
    assert not AuditEntry.objects.exists()
