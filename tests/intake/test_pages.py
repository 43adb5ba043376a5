"""The intake queue's pages: the list with its waiting count (and the inbox's badge), one
message with the three choices, going on to the next message, and who may see any of it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from layanan.cases.models import Case
from layanan.intake.models import IntakeMessage, IntakeStatus, Mailbox
from layanan.intake.parsing import parse_mail
from layanan.intake.services import Incoming, intake_receive

from . import mails

pytestmark = pytest.mark.django_db


def receive(mailbox, raw, minutes_ago=30):
    at = timezone.now() - dt.timedelta(minutes=minutes_ago)
    return intake_receive(
        unit=mailbox.unit,
        incoming=Incoming.from_mail(parse_mail(raw), received_at=at),
        mailbox=mailbox,
    )


@pytest.fixture
def two(mailbox):
    first = receive(mailbox, mails.with_attachments(), minutes_ago=60)
    second = receive(mailbox, mails.html_only(), minutes_ago=30)
    return first, second


def test_queue_lists_waiting_messages_oldest_first(client, kesra_officer, two):
    """The officer's queue: both messages, oldest first, with the waiting count; the inbox
    shows the same count with a link."""
    client.force_login(kesra_officer)
    page = client.get(reverse("intake:queue"))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index("Bukti pengaduan") < html.index("Pelayanan lambat")
    assert 'data-waiting="2"' in html
    inbox = client.get(reverse("cases:inbox")).content.decode()
    assert 'data-intake-waiting="2"' in inbox
    assert reverse("intake:queue") in inbox


def test_other_units_and_other_roles_see_nothing(client, ekon_officer, kesra_handler, two):
    """Biro Perekonomian's officer finds an empty queue and a 404 for Kesra's message; a
    handler has no queue at all."""
    client.force_login(ekon_officer)
    assert 'data-total="0"' in client.get(reverse("intake:queue")).content.decode()
    assert client.get(reverse("intake:detail", args=[two[0].pk])).status_code == 404
    client.force_login(kesra_handler)
    assert client.get(reverse("intake:queue")).status_code == 404
    assert "data-intake-waiting" not in client.get(reverse("cases:inbox")).content.decode()


def test_convert_from_the_page_goes_on_to_the_next_message(client, kesra_officer, two):
    """Recording the complaint from the page makes the case and opens the next waiting
    message; the files are downloadable before, and on the case after."""
    first, second = two
    client.force_login(kesra_officer)
    page = client.get(reverse("intake:detail", args=[first.pk])).content.decode()
    link = re.search(r'href="(/staf/masuk/lampiran/\d+/)"', page).group(1)
    download = client.get(link)
    assert download.status_code == 200 and download["X-Content-Type-Options"] == "nosniff"
    answer = client.post(
        reverse("intake:detail", args=[first.pk]),
        {
            "action": "convert",
            "convert-subject": "Bukti pengaduan",
            "convert-description": "Terlampir foto dan surat.",
        },
    )
    assert answer.status_code == 302
    assert answer["Location"] == reverse("intake:detail", args=[second.pk])
    case = Case.objects.get()
    assert case.attachments.count() == 2
    again = client.post(
        reverse("intake:detail", args=[first.pk]),
        {"action": "convert", "convert-subject": "x", "convert-description": "y"},
    )
    assert again.status_code == 409
    assert Case.objects.count() == 1


def test_dismiss_and_attach_from_the_page(client, kesra_officer, two):
    """Dismissing needs a reason (a 400 with the form kept otherwise); adding to a case takes
    its number, and an unknown number is a clear error."""
    first, second = two
    client.force_login(kesra_officer)
    url = reverse("intake:detail", args=[second.pk])
    assert client.post(url, {"action": "dismiss"}).status_code == 400
    client.post(
        reverse("intake:detail", args=[first.pk]),
        {"action": "convert", "convert-subject": "a", "convert-description": "b"},
    )
    case = Case.objects.get()
    missing = client.post(url, {"action": "attach", "attach-case_number": "KESRA/ADU/2026/999999"})
    assert missing.status_code == 400
    done = client.post(url, {"action": "attach", "attach-case_number": case.number.lower()})
    assert done.status_code == 302 and done["Location"] == reverse("intake:queue")
    second.refresh_from_db()
    assert (second.status, second.case) == (IntakeStatus.ATTACHED, case)


def test_dismiss_from_the_page(client, kesra_officer, mailbox):
    """A spam message dismissed from the page leaves the queue."""
    message = receive(mailbox, mails.plain(subject="Menang undian!"))
    client.force_login(kesra_officer)
    client.post(
        reverse("intake:detail", args=[message.pk]),
        {"action": "dismiss", "dismiss-reason": "spam"},
    )
    message.refresh_from_db()
    assert message.status == IntakeStatus.DISMISSED
    assert 'data-waiting="0"' in client.get(reverse("intake:queue")).content.decode()


def test_confidential_case_hides_the_sender_in_the_queue(client, kesra_officer, mailbox):
    """Once the message became a confidential complaint, the queue no longer shows who sent
    it (the case's identity rules hold)."""
    message = receive(mailbox, mails.plain())
    client.force_login(kesra_officer)
    client.post(
        reverse("intake:detail", args=[message.pk]),
        {
            "action": "convert",
            "convert-subject": "a",
            "convert-description": "b",
            "convert-confidential": "on",
        },
    )
    listing = client.get(reverse("intake:queue"), {"status": "all"}).content.decode()
    detail = client.get(reverse("intake:detail", args=[message.pk])).content.decode()
    for html in (listing, detail):
        assert "siti@warga.example" not in html and "Siti Aminah" not in html


def test_admin_never_shows_the_password(client, admin, mailbox):
    """The mailbox's admin page says a password is stored, never what it is; saving without
    a new one keeps it, and the change is audited."""
    admin.is_staff = True
    admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    url = reverse("admin:intake_mailbox_change", args=[mailbox.pk])
    page = client.get(url).content.decode()
    assert "rahasia" not in page and mailbox.password_encrypted not in page
    form = {
        "unit": mailbox.unit_id,
        "address": mailbox.address,
        "host": mailbox.host,
        "port": 993,
        "security": "ssl",
        "username": "kesra",
        "password_env": "",
        "folder": "INBOX",
        "processed_folder": "",
        "is_active": "on",
        "new_password": "",
    }
    assert client.post(url, form).status_code == 302
    assert Mailbox.objects.get().password() == "rahasia"
    client.post(url, {**form, "new_password": "baru-2026"})
    assert Mailbox.objects.get().password() == "baru-2026"
    from layanan.core.models import AuditEntry

    entries = AuditEntry.objects.filter(action="mailbox_changed")
    assert entries.count() == 2
    assert "baru-2026" not in str(list(entries.values_list("data", flat=True)))
    assert IntakeMessage.objects.count() == 0
