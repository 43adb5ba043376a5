"""Attachments of cases: checked on the way in, stored privately, served only to who may see.

- **Type** is decided by the file's first bytes (magic numbers), never by the name or the
  browser's claim: PDF, JPEG, PNG, WebP and Word (.docx) documents are accepted.
- **Size and count** are limited by ``ATTACHMENT_MAX_BYTES`` and ``ATTACHMENT_MAX_FILES``.
- **Storage** is ``STORAGES["attachments"]``, outside the web root, under a random name; the
  uploaded name is kept, sanitised, for display only — except on an anonymous or confidential
  case, where a file name often *is* the identity (``Zulkifli_KTP.png``): there every file is
  named neutrally, ``lampiran-<n>.<ext>`` (the extension from the checked content type), and
  the uploaded name is not stored at all (:func:`display_name_for`).
- **Download** goes through :func:`attachment_download`, which answers 404 to anyone who may not
  see the case (as if it did not exist), and serves the file as a download with the type it
  was checked to be and ``nosniff``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zipfile

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from layanan.accounts.actors import user_or_none
from layanan.accounts.permissions import can

from .events import case_event_record
from .models import Attachment, Case

# content type → file name extension used for the download
ALLOWED_TYPES: dict[str, str] = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
}
ALLOWED_LABEL = "PDF, JPG, PNG, WebP, DOCX"


def sniff_content_type(upload) -> str | None:
    """What the bytes of ``upload`` are (one of ALLOWED_TYPES), or None."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            upload.seek(0)
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return None


def safe_name(name: str, content_type: str) -> str:
    """A display/download name: no path, no control or odd characters, the right extension."""
    name = unicodedata.normalize("NFKC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = re.sub(r"[^\w\- ()]+", "_", stem, flags=re.UNICODE).strip(" ._")[:120] or "lampiran"
    return f"{stem}.{ALLOWED_TYPES[content_type]}"


#: The stem of a neutral file name (Indonesian: the interface's first language; it is a name,
#: not translated text, so that a download keeps one name whoever fetches it).
NEUTRAL_STEM = "lampiran"


def neutral_name(number: int, content_type: str) -> str:
    """``lampiran-<number>.<ext>``, the extension from the checked content type."""
    return f"{NEUTRAL_STEM}-{number}.{ALLOWED_TYPES[content_type]}"


def hides_file_names(case: Case) -> bool:
    """An anonymous or confidential reporter's file names are not kept (nor shown)."""
    return bool(case.is_anonymous or case.is_confidential)


def display_name_for(case: Case, upload_name: str, content_type: str) -> str:
    """The name a new attachment of ``case`` is stored and shown under: the uploaded name,
    sanitised — or, on an anonymous or confidential case, ``lampiran-<n>.<ext>`` where ``n``
    follows the case's files so far."""
    if hides_file_names(case):
        return neutral_name(Attachment.objects.filter(case=case).count() + 1, content_type)
    return safe_name(upload_name, content_type)


def attachment_validate(upload) -> str:
    """Check one uploaded file; return its real content type or raise ValidationError."""
    limit = settings.ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s; files may be at most %(limit)s.")
            % {
                "name": upload.name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(limit),
            },
            code="file_too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": upload.name}, code="empty")
    content_type = sniff_content_type(upload)
    if content_type is None:
        raise ValidationError(
            _("“%(name)s” is not an accepted file type. Accepted: %(types)s.")
            % {"name": upload.name, "types": ALLOWED_LABEL},
            code="file_type",
        )
    return content_type


@transaction.atomic
def attachment_add(*, case: Case, upload, actor, internal: bool = False) -> Attachment:
    """Validate ``upload`` and attach it to ``case``, recording who added it.

    Called inside the caller's transaction: if the surrounding operation fails, neither the
    row nor the event stays (an orphan file may; it is unreachable and harmless).
    """
    content_type = attachment_validate(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = Attachment(
        case=case,
        original_name=display_name_for(case, upload.name, content_type),
        content_type=content_type,
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=user_or_none(actor),
        is_internal=internal,
    )
    attachment.file.save(attachment.original_name, upload, save=False)
    attachment.save()
    case_event_record(
        case=case, actor=actor, kind="attachment", new=attachment.original_name, internal=internal
    )
    return attachment


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """``<input type=file multiple>``: cleans to a list of checked uploads (maybe empty)."""

    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", gettext_lazy("Attachments"))
        kwargs.setdefault(
            "help_text",
            gettext_lazy("Up to %(count)s files of %(size)s each: PDF, JPG, PNG, WebP or DOCX.")
            % {
                "count": settings.ATTACHMENT_MAX_FILES,
                "size": filesizeformat(settings.ATTACHMENT_MAX_BYTES),
            },
        )
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("accept", ".pdf,.jpg,.jpeg,.png,.webp,.docx")

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) > settings.ATTACHMENT_MAX_FILES:
            raise ValidationError(
                _("At most %(count)s files may be attached.")
                % {"count": settings.ATTACHMENT_MAX_FILES},
                code="too_many_files",
            )
        errors = []
        for upload in files:
            super().clean(upload, initial)
            try:
                attachment_validate(upload)
            except ValidationError as error:
                errors.append(error)
        if errors:
            raise ValidationError(errors)
        return files


@require_safe
@login_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """Serve one attachment to a user who may view its case; 404 for everyone else."""
    attachment = Attachment.objects.select_related("case", "case__unit").filter(pk=pk).first()
    if attachment is None or not can(request.user, "case.view", attachment.case):
        raise Http404
    return private_file_response(attachment)


def private_file_response(stored) -> FileResponse:
    """A stored private file (``file``, ``original_name``, ``content_type``) as a download:
    the type it was checked to be, ``nosniff``, not cached, sandboxed; 404 if it is gone."""
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle, as_attachment=True, filename=stored.original_name, content_type=stored.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
