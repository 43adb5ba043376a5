"""Attachments: type by content (not by name), size and count limits, private storage under a
random name, and downloads only for staff who may see the case."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from layanan.accounts.actors import PUBLIC
from layanan.cases.attachments import (
    AttachmentsField,
    attachment_add,
    attachment_download,
    attachment_validate,
    safe_name,
)
from layanan.cases.models import Channel
from layanan.complaints.services import complaint_create

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def case(org, kesra_officer):
    return complaint_create(
        actor=kesra_officer,
        unit=org["biro-kesra"],
        description="Lampiran bukti.",
        channel=Channel.FACE_TO_FACE,
        requester_name="Siti",
    )


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("surat.pdf", PDF, "application/pdf"),
        ("foto.PNG", PNG, "image/png"),
        ("foto.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 20, "image/jpeg"),
        ("foto.webp", b"RIFF\x10\x00\x00\x00WEBPVP8 ", "image/webp"),
        (
            "surat.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        # the name lies: the bytes decide
        ("gambar.jpg", PDF, "application/pdf"),
    ],
)
def test_accepted_types_are_recognised_by_their_bytes(name, content, expected):
    """The content type comes from the file's first bytes, whatever its name says."""
    assert attachment_validate(SimpleUploadedFile(name, content, "text/plain")) == expected


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("virus.pdf", b"MZ\x90\x00 this is an executable"),
        ("page.html", b"<html><script>alert(1)</script></html>"),
        ("archive.docx", b"PK\x03\x04not really a zip"),
        ("plain.zip", b"PK\x05\x06" + b"\x00" * 18),
    ],
)
def test_other_content_is_refused_with_a_clear_message(name, content):
    """An executable, HTML or a fake Word file is refused, naming the file and the types."""
    with pytest.raises(ValidationError) as error:
        attachment_validate(SimpleUploadedFile(name, content, "application/pdf"))
    assert name in error.value.messages[0]
    assert "PDF" in error.value.messages[0]


def test_oversized_and_empty_files_are_refused(settings):
    """A file over ATTACHMENT_MAX_BYTES, or an empty one, is refused before it is stored."""
    settings.ATTACHMENT_MAX_BYTES = 100
    with pytest.raises(ValidationError) as error:
        attachment_validate(SimpleUploadedFile("big.pdf", PDF + b"x" * 200))
    assert error.value.code == "file_too_large"
    with pytest.raises(ValidationError) as error:
        attachment_validate(SimpleUploadedFile("empty.pdf", b""))
    assert error.value.code == "empty"


def test_form_field_limits_the_number_of_files(settings):
    """More than ATTACHMENT_MAX_FILES files is one clear error; an empty input is no files."""
    settings.ATTACHMENT_MAX_FILES = 2
    field = AttachmentsField()
    files = [SimpleUploadedFile(f"{i}.pdf", PDF) for i in range(3)]
    with pytest.raises(ValidationError) as error:
        field.clean(files)
    assert error.value.code == "too_many_files"
    assert field.clean([]) == []
    assert len(field.clean(files[:2])) == 2


def test_names_are_sanitised_and_extensions_follow_the_content():
    """No directories, no control characters; the extension is the real type's."""
    assert safe_name("../../etc/passwd.pdf", "application/pdf") == "passwd.pdf"
    assert safe_name("C:\\Users\\x\\foto<script>.exe", "image/png") == "foto_script.png"
    assert safe_name("", "application/pdf") == "lampiran.pdf"


def test_attachment_is_stored_privately_under_a_random_name(case, kesra_officer, tmp_path):
    """The stored name is random (not the upload's), outside the web root, with its hash, and
    adding it is recorded on the case's timeline with who did it."""
    attachment = attachment_add(
        case=case, upload=SimpleUploadedFile("bukti laporan.pdf", PDF), actor=kesra_officer
    )
    assert attachment.original_name == "bukti laporan.pdf"
    assert "bukti" not in attachment.file.name
    assert attachment.file.path.startswith(str(tmp_path))
    assert attachment.size == len(PDF) and len(attachment.sha256) == 64
    event = case.events.get(kind="attachment")
    assert event.actor == kesra_officer and event.new_value == "bukti laporan.pdf"


def test_download_is_for_staff_who_may_see_the_case(
    case, kesra_officer, kesra_handler, ekon_officer, rf
):
    """The officer of the case's unit gets the file as a download with its checked type and
    nosniff; an officer of another bureau and an anonymous visitor get nothing."""
    from django.contrib.auth.models import AnonymousUser
    from django.http import Http404

    attachment = attachment_add(case=case, upload=SimpleUploadedFile("a.pdf", PDF), actor=PUBLIC)

    request = rf.get("/")
    request.user = kesra_officer
    response = attachment_download(request, attachment.pk)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF

    request.user = ekon_officer
    with pytest.raises(Http404):
        attachment_download(request, attachment.pk)

    request.user = AnonymousUser()
    response = attachment_download(request, attachment.pk)
    assert response.status_code == 302  # to the login page, nothing served
    assert response["Location"].startswith(reverse("accounts:login"))


# --- names of an anonymous or confidential reporter's files -----------------------------------


def test_an_anonymous_reporters_file_name_is_neither_kept_nor_shown(client, org, kesra_officer):
    """A file sent with an anonymous complaint through the public form is stored as
    ``lampiran-1.png`` (extension from its checked type): the uploaded name
    ``Zulkifli_KTP.png`` is not on the case page, the timeline, or the download's
    Content-Disposition, and is not in the database."""
    from layanan.cases.models import Attachment, Case, CaseEvent
    from tests.factories import published_standard

    published_standard(standard__unit=org["biro-kesra"])
    response = client.post(
        reverse("complaints_public:form"),
        {
            "unit": org["biro-kesra"].pk,
            "service": "",
            "subject": "Pungli",
            "description": "Diminta uang di loket.",
            "location": "",
            "identity": "anonymous",
            "name": "",
            "email": "",
            "phone": "",
            "attachments": [SimpleUploadedFile("Zulkifli_KTP.jpeg", PNG)],
        },
    )
    assert response.status_code == 303, response.content.decode()[:2000]
    case = Case.objects.get()
    assert case.is_anonymous
    attachment = Attachment.objects.get(case=case)
    assert attachment.original_name == "lampiran-1.png"
    assert not CaseEvent.objects.filter(new_value__icontains="Zulkifli").exists()
    assert not Attachment.objects.filter(original_name__icontains="Zulkifli").exists()
    client.force_login(kesra_officer)
    page = client.get(reverse("cases:detail", args=[case.number])).content.decode()
    assert "Zulkifli" not in page and "lampiran-1.png" in page
    download = client.get(reverse("cases:attachment_download", args=[attachment.pk]))
    assert "lampiran-1.png" in download["Content-Disposition"]
    assert "Zulkifli" not in download["Content-Disposition"]


def test_a_confidential_cases_files_are_numbered_an_ordinary_ones_keep_their_names(
    org, kesra_officer
):
    """Every file of a confidential case (also one staff add later) gets the next neutral
    number; an ordinary case's files keep their sanitised names."""
    confidential = complaint_create(
        actor=kesra_officer,
        unit=org["biro-kesra"],
        description="Rahasia.",
        channel=Channel.FACE_TO_FACE,
        requester_name="Zulkifli",
        confidential=True,
    )
    first = attachment_add(
        case=confidential, upload=SimpleUploadedFile("Zulkifli.pdf", PDF), actor=PUBLIC
    )
    second = attachment_add(
        case=confidential, upload=SimpleUploadedFile("KTP Zulkifli.png", PNG), actor=kesra_officer
    )
    assert (first.original_name, second.original_name) == ("lampiran-1.pdf", "lampiran-2.png")
    events = confidential.events.filter(kind="attachment").values_list("new_value", flat=True)
    assert sorted(events) == ["lampiran-1.pdf", "lampiran-2.png"]
    ordinary = complaint_create(
        actor=kesra_officer,
        unit=org["biro-kesra"],
        description="Biasa.",
        channel=Channel.FACE_TO_FACE,
        requester_name="Budi",
    )
    kept = attachment_add(
        case=ordinary, upload=SimpleUploadedFile("Foto loket.png", PNG), actor=PUBLIC
    )
    assert kept.original_name == "Foto loket.png"


def test_existing_files_of_anonymous_and_confidential_cases_are_renamed(org, kesra_officer):
    """The data migration renames the files already stored for anonymous and confidential
    cases (in upload order, per case) and the timeline events that named them; an ordinary
    case's files keep their names."""
    import importlib

    from django.apps import apps

    from layanan.cases.models import Attachment

    migration = importlib.import_module("layanan.cases.migrations.0005_neutral_attachment_names")
    anonymous = complaint_create(
        actor=kesra_officer,
        unit=org["biro-kesra"],
        description="Anonim.",
        channel=Channel.FACE_TO_FACE,
        anonymous=True,
    )
    ordinary = complaint_create(
        actor=kesra_officer,
        unit=org["biro-kesra"],
        description="Biasa.",
        channel=Channel.FACE_TO_FACE,
        requester_name="Budi",
    )
    old_ones = [
        attachment_add(case=anonymous, upload=SimpleUploadedFile("x.pdf", PDF), actor=PUBLIC),
        attachment_add(case=anonymous, upload=SimpleUploadedFile("y.png", PNG), actor=PUBLIC),
    ]
    # As rows written before this change looked.
    for attachment, old in zip(old_ones, ("Zulkifli_KTP.pdf", "Rumah Zulkifli.png"), strict=True):
        Attachment.objects.filter(pk=attachment.pk).update(original_name=old)
        anonymous.events.filter(kind="attachment", new_value=attachment.original_name).update(
            new_value=old
        )
    kept = attachment_add(
        case=ordinary, upload=SimpleUploadedFile("Foto loket.png", PNG), actor=PUBLIC
    )
    migration.rename(apps, None)
    names = list(
        Attachment.objects.filter(case=anonymous)
        .order_by("uploaded_at", "pk")
        .values_list("original_name", flat=True)
    )
    assert names == ["lampiran-1.pdf", "lampiran-2.png"]
    assert not anonymous.events.filter(new_value__icontains="Zulkifli").exists()
    kept.refresh_from_db()
    assert kept.original_name == "Foto loket.png"
