"""Staff recording of a complaint received on another channel (/staf/pengaduan/baru/): the
channel and the real time of receipt, the LAPOR! number, anonymity and confidentiality, files,
and a rejected form that keeps what was typed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from layanan.cases.models import Attachment, Case, Channel, Status
from tests.factories import published_standard

pytestmark = pytest.mark.django_db


@pytest.fixture
def kesra_standard(org):
    """A published Biro Kesra standard with the seeds' four complaint classes."""
    return published_standard(standard__unit=org["biro-kesra"])


URL = "/staf/pengaduan/baru/"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def form_data(unit, **overrides) -> dict:
    data = {
        "channel": Channel.PHONE,
        "lapor_number": "",
        "received_at": local(timezone.now() - dt.timedelta(hours=2)),
        "unit": unit.pk,
        "standard": "",
        "subject": "Antrean terlalu lama",
        "description": "Pelapor menunggu tiga jam di loket tanpa kepastian.",
        "location": "Loket 2",
        "name": "Budi Santoso",
        "email": "budi@example.com",
        "phone": "0812 3456 7890",
    }
    data.update(overrides)
    return data


def test_reached_from_the_staff_navigation(client, kesra_officer):
    """The staff layout links the inbox, the recording page, the calendar and logout."""
    client.force_login(kesra_officer)
    html = client.get(reverse("cases:inbox")).content.decode()
    for target in (URL, reverse("workdays:calendar"), reverse("accounts:logout")):
        assert f'"{target}"' in html
    assert "Catat pengaduan" in html and "Kotak masuk" in html


def test_only_staff_who_may_record(client, org, kesra_handler, auditor):
    """A handler or an auditor may not record complaints (403) and is not offered the link;
    a visitor must log in."""
    assert client.get(URL).status_code == 302
    for user in (kesra_handler, auditor):
        client.force_login(user)
        assert URL not in client.get(reverse("cases:inbox")).content.decode()
        assert client.get(URL).status_code == 403
        assert client.post(URL, form_data(org["biro-kesra"])).status_code == 403
    assert not Case.objects.exists()


def test_records_a_phone_complaint_in_the_past(client, org, kesra_standard, kesra_officer):
    """The complaint is created through complaint_create with the channel, the real time of
    receipt (its clock runs from then), the standard, location and requester; the officer lands
    on the new case's page with its number and tracking code."""
    client.force_login(kesra_officer)
    received = (timezone.now() - dt.timedelta(days=1)).replace(second=0, microsecond=0)
    response = client.post(
        URL,
        form_data(org["biro-kesra"], standard=kesra_standard.pk, received_at=local(received)),
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert response["Location"] == reverse("cases:detail", args=[case.number])
    assert case.channel == Channel.PHONE and case.status == Status.RECEIVED
    assert case.received_at == received
    assert case.standard == kesra_standard
    assert case.created_by == kesra_officer
    assert case.requester_name == "Budi Santoso" and not case.is_confidential
    assert case.complaint.location == "Loket 2"
    assert case.events.get(kind="received").at == received
    page = client.get(response["Location"]).content.decode()
    assert case.number in page


def test_lapor_number_required_for_lapor(client, org, kesra_officer):
    """SP4N-LAPOR! needs its tracking number: without it the form is refused beside the field
    and keeps what was typed; with it the number is stored. Other channels drop the number."""
    client.force_login(kesra_officer)
    response = client.post(URL, form_data(org["biro-kesra"], channel=Channel.LAPOR))
    assert response.status_code == 400
    assert "lapor_number" in response.context["form"].errors
    html = response.content.decode()
    assert "Pelapor menunggu tiga jam di loket tanpa kepastian." in html
    assert "Budi Santoso" in html and "Loket 2" in html
    assert not Case.objects.exists()
    response = client.post(
        URL, form_data(org["biro-kesra"], channel=Channel.LAPOR, lapor_number=" LAP-2026-77 ")
    )
    assert response.status_code == 302
    assert Case.objects.get().complaint.lapor_number == "LAP-2026-77"
    client.post(URL, form_data(org["biro-kesra"], lapor_number="LAP-X"))
    assert Case.objects.latest("pk").complaint.lapor_number == ""


def test_receipt_in_the_future_is_refused(client, org, kesra_officer):
    """A time of receipt in the future is refused with the error beside the field, the typed
    time kept; a malformed time is refused too."""
    client.force_login(kesra_officer)
    future = local(timezone.now() + dt.timedelta(hours=3))
    response = client.post(URL, form_data(org["biro-kesra"], received_at=future))
    assert response.status_code == 400
    assert "received_at" in response.context["form"].errors
    assert future in response.content.decode()
    response = client.post(URL, form_data(org["biro-kesra"], received_at="kemarin"))
    assert response.status_code == 400
    assert not Case.objects.exists()


def test_unit_among_the_users_own(client, org, kesra_officer):
    """The unit list holds the officer's Biro and its Bagian only; another Biro posted anyway
    is refused."""
    client.force_login(kesra_officer)
    units = set(client.get(URL).context["form"].fields["unit"].queryset)
    assert org["biro-kesra"] in units and org["kesra-bina-mental"] in units
    assert org["biro-perekonomian"] not in units
    response = client.post(URL, form_data(org["biro-perekonomian"]))
    assert response.status_code == 400
    assert "unit" in response.context["form"].errors
    assert not Case.objects.exists()


def test_anonymous_stores_no_identity(client, org, kesra_officer):
    """An anonymous complaint keeps no name, e-mail or phone even when they were typed, and
    cannot also be "confidential"."""
    client.force_login(kesra_officer)
    response = client.post(URL, form_data(org["biro-kesra"], anonymous="on", confidential="on"))
    assert response.status_code == 400
    assert "confidential" in response.context["form"].errors
    response = client.post(URL, form_data(org["biro-kesra"], anonymous="on"))
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.is_anonymous
    assert (case.requester_name, case.requester_email, case.requester_phone) == ("", "", "")
    assert "Budi Santoso" not in client.get(response["Location"]).content.decode()


def test_confidential_is_kept_hidden(client, org, kesra_officer, kesra_head):
    """A confidential complaint stores the identity, hidden on the page even from the head."""
    client.force_login(kesra_officer)
    response = client.post(URL, form_data(org["biro-kesra"], confidential="on"))
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.is_confidential and case.requester_name == "Budi Santoso"
    client.force_login(kesra_head)
    assert "Budi Santoso" not in client.get(response["Location"]).content.decode()


def test_files_are_attached(client, org, kesra_officer):
    """Files sent with the form are attached to the new case; a file of a wrong type refuses
    the whole form (nothing recorded) and says to choose the files again."""
    client.force_login(kesra_officer)
    bad = SimpleUploadedFile("foto.png", b"not an image at all", content_type="image/png")
    response = client.post(URL, {**form_data(org["biro-kesra"]), "files": [bad]})
    assert response.status_code == 400
    assert "files" in response.context["form"].errors
    assert response.context["files_lost"]
    assert not Case.objects.exists()
    good = SimpleUploadedFile("surat.pdf", PDF, content_type="application/pdf")
    response = client.post(URL, {**form_data(org["biro-kesra"]), "files": [good]})
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.case == Case.objects.get() and attachment.uploaded_by == kesra_officer


def test_missing_description_keeps_the_rest(client, org, kesra_officer):
    """Without a description nothing is recorded and the other fields stay filled in."""
    client.force_login(kesra_officer)
    response = client.post(URL, form_data(org["biro-kesra"], description="  "))
    assert response.status_code == 400
    assert "description" in response.context["form"].errors
    html = response.content.decode()
    assert "Antrean terlalu lama" in html and "budi@example.com" in html
