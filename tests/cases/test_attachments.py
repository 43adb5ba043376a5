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
