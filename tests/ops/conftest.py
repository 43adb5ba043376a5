"""Helpers of the operations tests: cases filed the way the public files them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from layanan.accounts.actors import PUBLIC
from layanan.cases.attachments import attachment_add
from layanan.cases.models import Case, Status
from layanan.complaints.services import complaint_create

PDF = b"%PDF-1.4\n% test\n%%EOF\n"


def pdf(name: str = "bukti.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def file_complaint(org):
    """File a web complaint for Biro Kesra; ``ended_days_ago`` closes it that long ago."""

    def _file(*, ended_days_ago: int | None = None, status=Status.CLOSED, attachment=False, **kw):
        fields = {
            "description": "Loket pelayanan kosong pada jam kerja.",
            "requester_name": "Siti Aminah",
            "requester_email": "siti@example.org",
            "requester_phone": "0812-3456-7890",
            "location": "Jl. Ahmad Yani No. 1",
        } | kw
        case = complaint_create(actor=AnonymousUser(), unit=org["biro-kesra"], **fields)
        if attachment:
            attachment_add(case=case, upload=pdf(), actor=PUBLIC)
        if ended_days_ago is not None:
            ended = timezone.now() - dt.timedelta(days=ended_days_ago)
            Case.objects.filter(pk=case.pk).update(status=status, closed_at=ended)
        case.refresh_from_db()
        return case

    return _file
