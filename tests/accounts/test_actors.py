"""Explicit actors: ``PUBLIC`` (a citizen) and ``SYSTEM`` (commands, tasks) instead of
``actor=None`` meaning "skip the check" (layanan/accounts/actors.py)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import translation

from layanan.accounts.actors import PUBLIC, SYSTEM
from layanan.accounts.permissions import RULES, can, ensure_can
from layanan.cases.attachments import attachment_add
from layanan.cases.events import case_event_record
from layanan.cases.models import Status
from layanan.cases.views import _timeline
from layanan.cases.workflow import case_reopen_by_requester, case_transition
from layanan.catalog.models import StandardVersion, VersionStatus
from layanan.catalog.services import version_create_draft, version_publish
from layanan.complaints.services import complaint_classify, complaint_create
from layanan.core.errors import NotPermitted

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def seeded(org):
    call_command("load_demo", "--no-users", stdout=StringIO())
    return org


@pytest.fixture
def complaint(seeded):
    return complaint_create(actor=PUBLIC, unit=seeded["biro-kesra"], description="Loket tutup.")


def test_none_is_refused_by_the_permission_check(org):
    """Forgetting the actor is an error, not a way around the check: ``can`` and ``ensure_can``
    raise TypeError for None, for every action."""
    for action in RULES:
        with pytest.raises(TypeError, match="actor is required"):
            can(None, action, org["biro-kesra"])
    with pytest.raises(TypeError):
        ensure_can(None, "case.view")


def test_public_may_nothing_and_system_everything(org):
    """PUBLIC is refused every permission in the matrix; SYSTEM (commands, tasks) is granted
    every one."""
    for action in RULES:
        assert can(PUBLIC, action, org["biro-kesra"]) is False
        assert can(SYSTEM, action, org["biro-kesra"]) is True


def test_services_refuse_none(complaint):
    """A service called with actor=None refuses (TypeError) and writes nothing, whether it
    would have checked a permission or not."""
    events = complaint.events.count()
    with pytest.raises(TypeError):
        case_transition(actor=None, case=complaint, to=Status.VERIFIED)
    with pytest.raises(TypeError):
        case_event_record(case=complaint, actor=None, kind="note", note="x")
    with pytest.raises(TypeError):
        attachment_add(case=complaint, upload=SimpleUploadedFile("a.pdf", PDF), actor=None)
    with pytest.raises(TypeError):
        complaint_create(actor=None, unit=complaint.unit, description="x")
    assert complaint.events.count() == events
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED


def test_catalogue_services_check_the_actor_instead_of_skipping_when_none(seeded, kesra_front):
    """Publishing or copying a version used to skip the check for actor=None: now None is a
    TypeError, PUBLIC and a front-desk officer are refused, SYSTEM (load_demo) may."""
    version = StandardVersion.objects.filter(
        standard__unit=seeded["biro-kesra"], status=VersionStatus.PUBLISHED
    ).first()
    with pytest.raises(TypeError):
        version_create_draft(actor=None, source=version)
    for actor in (PUBLIC, kesra_front):
        with pytest.raises(NotPermitted):
            version_create_draft(actor=actor, source=version)
    draft = version_create_draft(actor=SYSTEM, source=version)
    assert draft.created_by is None
    with pytest.raises(TypeError):
        version_publish(actor=None, version=draft)
    with pytest.raises(NotPermitted):
        version_publish(actor=PUBLIC, version=draft)
    published = version_publish(actor=SYSTEM, version=draft)
    assert published.status == VersionStatus.PUBLISHED and published.published_by is None


def test_public_cannot_do_staff_transitions(complaint):
    """The citizen's actor cannot verify, classify, answer, close or reject a case."""
    for to in (Status.VERIFIED, Status.IN_PROGRESS, Status.REJECTED, Status.WITHDRAWN):
        with pytest.raises(NotPermitted):
            case_transition(actor=PUBLIC, case=complaint, to=to)
    with pytest.raises(NotPermitted):
        complaint_classify(actor=PUBLIC, case=complaint, class_code="ringan")
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED


def test_events_by_public_and_system_show_as_before(complaint, kesra_officer):
    """Events recorded by PUBLIC and SYSTEM store no user: the staff timeline shows them as the
    requester (reopening) or the system, as before the actors existed."""
    case_transition(actor=kesra_officer, case=complaint, to=Status.VERIFIED)
    case_transition(actor=kesra_officer, case=complaint, to=Status.IN_PROGRESS)
    case_transition(actor=kesra_officer, case=complaint, to=Status.ANSWERED)
    case_transition(actor=kesra_officer, case=complaint, to=Status.CLOSED)
    case_reopen_by_requester(case=complaint, reason="Belum selesai.")
    case_event_record(case=complaint, actor=SYSTEM, kind="sla_overdue", internal=True)
    with translation.override("en"):
        rows = {row["event"].kind: row for row in _timeline(complaint)}
    for kind in ("received", "reopened", "sla_overdue"):
        assert rows[kind]["event"].actor is None
    assert rows["reopened"]["actor"] == "The requester"
    assert rows["received"]["actor"] == rows["sla_overdue"]["actor"] == "System"
