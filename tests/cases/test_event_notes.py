"""Who reads what an officer types: every note on a staff action is internal unless it is the
clearly labelled message to the requester; the public tracking page and the API track endpoint
show the message and never the note."""

from __future__ import annotations

import importlib

import pytest
from django import forms
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from layanan.accounts.actors import PUBLIC
from layanan.api.services import api_token_create
from layanan.cases.events import case_event_record
from layanan.cases.forms import ACTION_FORMS
from layanan.cases.models import CaseEvent, Status
from layanan.cases.numbering import format_public_code
from layanan.cases.workflow import case_transition
from tests.cases.test_inbox import file_complaint
from tests.factories import published_standard

pytestmark = pytest.mark.django_db

SECRET = "Pelapor ini kerabat Pak Kadis, hati-hati"


@pytest.fixture
def kesra_standard(org):
    return published_standard(standard__unit=org["biro-kesra"])


def act(client, case, action: str, **fields):
    data = {"action": action, **{f"{action}-{k}": v for k, v in fields.items()}}
    return client.post(reverse("cases:detail", args=[case.number]), data)


def public_texts(client, case) -> tuple[str, str]:
    """The tracking page's HTML and the API track answer's text for ``case``."""
    code = format_public_code(case.public_code)
    html = client.get(reverse("complaints_public:track", kwargs={"code": code})).content.decode()
    api = client.get(reverse("api:track", args=[code])).content.decode()
    return html, api


def test_the_verification_note_is_not_published(client, org, kesra_standard, kesra_officer):
    """What the officer types under Verify → internal note stays on the staff page; only the
    separately labelled message to the requester reaches the tracking page and the API."""
    case = file_complaint(kesra_officer, org["biro-kesra"], standard=kesra_standard)
    client.force_login(kesra_officer)
    response = act(
        client, case, "verify", note=SECRET, public_note="Pengaduan Anda lengkap, kami proses."
    )
    assert response.status_code == 302
    staff_page = client.get(reverse("cases:detail", args=[case.number])).content.decode()
    assert SECRET in staff_page and "Pengaduan Anda lengkap, kami proses." in staff_page
    client.logout()
    for text in public_texts(client, case):
        assert SECRET not in text
        assert "Pengaduan Anda lengkap, kami proses." in text


@pytest.mark.parametrize(
    ("action", "prepare", "fields"),
    [
        ("verify", None, {}),
        ("pause", None, {"public_note": "Mohon kirim foto."}),
        ("resume", Status.WAITING, {}),
        ("close", Status.ANSWERED, {}),
        ("reject", None, {"public_note": "Bukan kewenangan kami."}),
        ("reopen", Status.CLOSED, {}),
    ],
)
def test_no_internal_note_of_any_transition_is_published(
    client, org, kesra_officer, action, prepare, fields
):
    """For every transition the staff page offers, the internal note never reaches the public
    tracking page or the API track answer."""
    case = file_complaint(kesra_officer, org["biro-kesra"])
    if prepare == Status.WAITING:
        case_transition(actor=kesra_officer, case=case, to=Status.WAITING, public_note="x")
    elif prepare in (Status.ANSWERED, Status.CLOSED):
        case_transition(actor=kesra_officer, case=case, to=Status.IN_PROGRESS)
        case_transition(actor=kesra_officer, case=case, to=Status.ANSWERED)
        if prepare == Status.CLOSED:
            case_transition(actor=kesra_officer, case=case, to=Status.CLOSED)
    client.force_login(kesra_officer)
    assert act(client, case, action, note=SECRET, **fields).status_code == 302, action
    event = CaseEvent.objects.filter(case=case).latest("pk")
    assert event.note == SECRET
    client.logout()
    for text in public_texts(client, case):
        assert SECRET not in text


def test_every_text_field_of_a_staff_action_says_whether_the_requester_reads_it(org, kesra_officer):
    """Each note-like field of every action form on the case page says on the form who reads
    it: the requester, or the staff only."""
    case = file_complaint(kesra_officer, org["biro-kesra"])
    with translation.override("en"):
        for name, form_class in ACTION_FORMS.items():
            form = form_class(case=case, user=kesra_officer)
            for field_name, field in form.fields.items():
                if not isinstance(field.widget, forms.Textarea):
                    continue
                label = str(field.label)
                says = (
                    "requester will read it" in label
                    or "requester never reads it" in label
                    or "never shown to the requester" in label
                    or "internal until it is sent" in label
                )
                assert says, f"{name}.{field_name}: {label!r}"


def test_the_api_verification_note_is_internal(client, org, kesra_officer):
    """POST …/verify with a `note` and a `public_note`: the note stays internal, the message is
    on the public timeline; the staff detail carries both, each under its name."""
    _token, key = api_token_create(user=kesra_officer, name="Test")
    case = file_complaint(kesra_officer, org["biro-kesra"])
    url = reverse("api:complaint_verify", args=[case.pk])
    response = client.post(
        url,
        {"note": SECRET, "public_note": "Terima kasih, sedang kami periksa."},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 200, response.content
    last = response.json()["events"][-1]
    assert last["note"] == SECRET and last["public_note"] == "Terima kasih, sedang kami periksa."
    for text in public_texts(client, case):
        assert SECRET not in text and "Terima kasih, sedang kami periksa." in text


def test_existing_notes_are_sorted_by_what_their_form_said(org, kesra_officer):
    """The data migration unpublishes old verification/closing notes and keeps as public only
    the texts the old forms asked for the requester: the request for information, the reason
    for a rejection, the requester's own reason for reopening."""
    migration = importlib.import_module("layanan.cases.migrations.0004_event_public_note")
    case = file_complaint(kesra_officer, org["biro-kesra"])

    def old_event(**kwargs):
        return case_event_record(case=case, actor=kesra_officer, **kwargs)

    verified = old_event(kind="status", new=Status.VERIFIED, note=SECRET)
    waiting = old_event(kind="status", new=Status.WAITING, note="Mohon kirim KTP.")
    rejected = old_event(kind="status", new=Status.REJECTED, note="Bukan kewenangan.")
    by_requester = case_event_record(
        case=case, actor=PUBLIC, kind="reopened", new=Status.IN_PROGRESS, note="Belum puas."
    )
    internal = old_event(kind="status", new=Status.WAITING, note="Internal.", internal=True)
    migration.move_public_notes(apps, None)
    for event in (verified, waiting, rejected, by_requester, internal):
        event.refresh_from_db()
    assert (verified.note, verified.public_note) == (SECRET, "")
    assert (waiting.note, waiting.public_note) == ("", "Mohon kirim KTP.")
    assert (rejected.note, rejected.public_note) == ("", "Bukan kewenangan.")
    assert (by_requester.note, by_requester.public_note) == ("", "Belum puas.")
    assert (internal.note, internal.public_note) == ("Internal.", "")


def test_the_data_subject_export_carries_the_public_text_only(org, kesra_officer):
    """The reporter's data export (ops/export.py) gives each public step with the text written
    for them, never the officer's internal note of that step."""
    from layanan.ops.export import personal_data_export

    case = file_complaint(kesra_officer, org["biro-kesra"])
    case_transition(
        actor=kesra_officer,
        case=case,
        to=Status.VERIFIED,
        note=SECRET,
        public_note="Pengaduan Anda lengkap.",
    )
    exported = personal_data_export(email="budi@example.com")
    text = str(exported)
    assert SECRET not in text
    notes = [step["note"] for step in exported["cases"][0]["timeline"]]
    assert "Pengaduan Anda lengkap." in notes
