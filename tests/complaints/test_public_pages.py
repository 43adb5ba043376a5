"""The reporter's pages: the public complaint form (/pengaduan/), the receipt, tracking by code
(/lacak/), reopening. What they must never show (identity, staff names, internal notes), what
they must keep (typed input), and their limits (rate limits, attachments, CSRF)."""

from __future__ import annotations

import datetime as dt
import json
import re
from html import unescape
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from layanan.accounts.actors import PUBLIC
from layanan.cases.attachments import attachment_add
from layanan.cases.events import case_event_record
from layanan.cases.models import Attachment, Case, Channel, Status
from layanan.cases.numbering import format_public_code
from layanan.cases.workflow import case_reopen_by_requester, case_transition
from layanan.catalog.models import ServiceStandard
from layanan.complaints.services import complaint_answer, complaint_classify, complaint_create
from layanan.core.phones import INVALID_MESSAGE
from layanan.notify.models import OutboxMessage

pytestmark = pytest.mark.django_db

FORM = "/pengaduan/"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _clean(settings):
    """Fresh rate-limit counters; no task enqueued on commit; the interface in Indonesian."""
    cache.clear()
    settings.NOTIFY_DISPATCH_ON_COMMIT = False
    settings.WHATSAPP_ENABLED = False
    settings.SITE_URL = "https://layanan.example.go.id"
    yield
    cache.clear()


@pytest.fixture
def seeded(org):
    call_command("load_demo", "--no-users", stdout=StringIO())
    return org


@pytest.fixture
def kesra(seeded):
    return seeded["biro-kesra"]


def form_data(unit, **extra):
    data = {
        "unit": unit.pk,
        "service": "",
        "subject": "Antrean terlalu lama",
        "description": "Saya menunggu tiga jam di loket tanpa kejelasan.",
        "location": "Kantor Gubernur lantai 1",
        "identity": "normal",
        "name": "Siti Aminah",
        "email": "siti.aminah@example.com",
        "phone": "0812 3456 7890",
        "consent": "on",
        "website": "",
    }
    data.update(extra)
    return data


def submit(client, unit, **extra):
    return client.post(FORM, form_data(unit, **extra))


def only_case() -> Case:
    return Case.objects.get()


def text_of(response) -> str:
    """The visible text of a page, roughly (tags dropped, whitespace collapsed)."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def web_complaint(unit, **kwargs) -> Case:
    defaults = {
        "actor": PUBLIC,
        "unit": unit,
        "description": "Petugas tidak ada di loket.",
        "requester_name": "Siti Aminah",
        "requester_email": "siti.aminah@example.com",
        "requester_phone": "081234567890",
    }
    defaults.update(kwargs)
    return complaint_create(**defaults)


def track_url(case: Case) -> str:
    return reverse("complaints_public:track", kwargs={"code": format_public_code(case.public_code)})


# --- the form ------------------------------------------------------------------------------------


def test_form_offers_only_published_complaint_accepting_services(client, kesra):
    """The office and service lists come from the published catalogue; a standard that does not
    take complaints is not offered."""
    standard = ServiceStandard.objects.published().filter(unit=kesra).first()
    standard.accepts_complaints = False
    standard.save(update_fields=["accepts_complaints"])
    response = client.get(FORM)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert "csrfmiddlewaretoken" in html
    assert kesra.name in html
    assert f'value="{standard.pk}"' not in html
    other = ServiceStandard.objects.published().filter(accepts_complaints=True).first()
    assert f'value="{other.pk}"' in html
    assert response["Cache-Control"].count("no-store") == 1


def test_form_is_light_and_works_without_javascript(client, kesra):
    """No script at all on the public form: it must work on a basic phone, and stay small."""
    response = client.get(FORM)
    assert "<script" not in response.content.decode()
    assert len(response.content) < 60_000


def test_valid_complaint_is_filed_through_the_web_channel_and_redirects_to_the_receipt(
    client, kesra
):
    """POST-redirect-GET: 303 to the receipt; the case is a web complaint with the identity."""
    response = submit(client, kesra)
    case = only_case()
    assert response.status_code == 303
    assert response["Location"] == reverse(
        "complaints_public:receipt", kwargs={"code": format_public_code(case.public_code)}
    )
    assert case.channel == Channel.WEB
    assert case.created_by is None
    assert (case.requester_name, case.requester_email, case.requester_phone) == (
        "Siti Aminah",
        "siti.aminah@example.com",
        "+6281234567890",  # as typed "0812 3456 7890": stored in E.164 (layanan.core.phones)
    )
    assert not case.is_anonymous and not case.is_confidential
    assert case.complaint.location == "Kantor Gubernur lantai 1"


def test_receipt_shows_code_number_link_qr_and_due_date_in_indonesian(client, kesra):
    """The receipt: the code in groups, the number, the absolute tracking link, an inline SVG
    QR code and the due time written out in Indonesian."""
    response = client.get(submit(client, kesra)["Location"])
    case = only_case()
    html = response.content.decode()
    code = format_public_code(case.public_code)
    assert response.status_code == 200
    for group in code.split("-"):
        assert group in html
    assert case.number in html
    assert f"https://layanan.example.go.id/lacak/{code}/" in html
    assert "<svg" in html and 'class="qr"' in html
    assert re.search(
        r"(Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|Minggu), \d+ \w+ 20\d\d pukul \d\d\.\d\d WIB", html
    )
    assert "no-store" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]


def test_receipt_is_shown_only_to_the_browser_that_sent_the_complaint(client, kesra):
    """Another browser opening the receipt address (a shared link, a guessed code) is sent to
    the public tracking page; the receipt is not a second way in."""
    receipt = submit(client, kesra)["Location"]
    case = only_case()
    other = Client()
    response = other.get(receipt)
    assert response.status_code == 302
    assert response["Location"] == track_url(case)


def test_receipt_expires_for_the_sender_too(client, kesra, monkeypatch):
    """After RECEIPT_TTL even the sender gets the tracking page instead."""
    from layanan.complaints import public_views

    receipt = submit(client, kesra)["Location"]
    monkeypatch.setattr(public_views, "RECEIPT_TTL", -1)
    assert client.get(receipt).status_code == 302


def test_anonymous_complaint_stores_no_identity_at_all(client, kesra):
    """Anonymous: whatever was typed in name, e-mail and telephone is dropped before storing,
    no consent is needed, and nothing is queued to be sent."""
    response = submit(client, kesra, identity="anonymous", consent="", email="not-an-email")
    assert response.status_code == 303
    case = only_case()
    assert case.is_anonymous
    assert (case.requester_name, case.requester_email, case.requester_phone) == ("", "", "")
    assert not Case.objects.filter(requester_name__contains="Siti").exists()
    assert not OutboxMessage.objects.exists()
    receipt = client.get(response["Location"]).content.decode()
    assert "Siti" not in receipt
    assert "anonim" in receipt.lower()


def test_nothing_on_the_server_ties_a_browser_to_an_anonymous_complaint(
    client, kesra, kesra_officer
):
    """Filing anonymously while signed in: no session row holds the tracking code (the receipt
    is tied to the browser by a signed cookie scoped to the receipt path), so not even the
    database links the account to the complaint."""
    from django.contrib.sessions.models import Session

    client.force_login(kesra_officer)
    response = submit(client, kesra, identity="anonymous")
    case = only_case()
    assert case.created_by is None
    for session in Session.objects.all():
        assert case.public_code not in str(session.get_decoded())
    cookie = response.cookies["pengaduan_diterima"]
    assert cookie["path"] == "/pengaduan/diterima/" and cookie["httponly"]
    assert client.get(response["Location"]).status_code == 200


def test_confidential_complaint_is_marked_confidential(client, kesra):
    """Confidential keeps the identity, flagged so that only the complaint officer sees it."""
    submit(client, kesra, identity="confidential")
    case = only_case()
    assert case.is_confidential and not case.is_anonymous
    assert case.requester_name == "Siti Aminah"


def test_contact_details_need_consent(client, kesra):
    """Personal data is kept only with the reporter's consent; without it the form says so and
    nothing is stored."""
    response = submit(client, kesra, consent="")
    assert response.status_code == 400
    assert not Case.objects.exists()
    assert 'id="field-consent"' in response.content.decode()
    assert "has-error" in re.search(r'class="choice cp-consent[^"]*"', response.content.decode())[0]


def test_rejected_form_keeps_what_was_typed(client, kesra):
    """A missing description, a malformed e-mail and a telephone number that is none: 400,
    clear errors (the phone's from the one phone rule, translated), and every value typed is
    still in the form."""
    response = submit(client, kesra, description="", email="siti@", phone="12")
    assert response.status_code == 400
    html = response.content.decode()
    assert not Case.objects.exists()
    assert 'id="errors"' in html
    assert "Antrean terlalu lama" in html
    assert "Kantor Gubernur lantai 1" in html
    assert 'value="Siti Aminah"' in html
    assert 'value="siti@"' in html
    assert 'value="12"' in html
    with translation.override("id"):
        assert str(INVALID_MESSAGE) in html
    assert f'<option value="{kesra.pk}" selected>' in html
    assert html.count('class="field-error"') >= 3


def test_attachment_of_the_wrong_type_is_rejected_and_the_form_says_files_must_be_chosen_again(
    client, kesra
):
    """A file that is not really a PDF/image/DOCX (checked by its bytes, not its name) is
    refused with its name and the accepted types; the rest is kept; the page says the files
    were not kept."""
    data = form_data(kesra)
    data["attachments"] = [
        SimpleUploadedFile("bukti.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    ]
    response = client.post(FORM, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "bukti.pdf" in html
    assert "PDF, JPG, PNG, WebP, DOCX" in html
    assert 'class="cp-files-dropped"' in html
    assert "Antrean terlalu lama" in html
    assert not Case.objects.exists()


def test_oversized_attachment_is_rejected_with_the_limit(client, kesra, settings):
    """A file over ATTACHMENT_MAX_BYTES is refused, naming the limit."""
    settings.ATTACHMENT_MAX_BYTES = 1024
    data = form_data(kesra)
    data["attachments"] = [SimpleUploadedFile("besar.pdf", PDF + b"0" * 2048)]
    response = client.post(FORM, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "besar.pdf" in html
    assert "1,0\xa0KB" in html or "1.0\xa0KB" in html or "1\xa0KB" in html
    assert not Case.objects.exists()


def test_valid_attachments_are_stored_with_the_complaint(client, kesra, settings, tmp_path):
    """Accepted files are stored privately with the case, in the same transaction."""
    settings.STORAGES = {
        **settings.STORAGES,
        "attachments": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    data = form_data(kesra)
    data["attachments"] = [
        SimpleUploadedFile("foto.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
        SimpleUploadedFile("surat.pdf", PDF),
    ]
    assert client.post(FORM, data).status_code == 303
    case = only_case()
    names = sorted(Attachment.objects.filter(case=case).values_list("original_name", flat=True))
    assert names == ["foto.png", "surat.pdf"]
    assert not Attachment.objects.filter(is_internal=True).exists()


def test_honeypot_filled_in_files_nothing(client, kesra):
    """A bot that fills the hidden field gets an error and no case is created."""
    response = submit(client, kesra, website="http://spam.example")
    assert response.status_code == 400
    assert not Case.objects.exists()


def test_form_requires_the_csrf_token(kesra):
    """The form is CSRF-protected: a POST without the token is refused."""
    client = Client(enforce_csrf_checks=True)
    response = client.post(FORM, form_data(kesra))
    assert response.status_code == 403
    assert not Case.objects.exists()


def test_submissions_are_rate_limited_per_client_with_a_translated_429(client, kesra, settings):
    """Past the limit a client gets 429 with Retry-After and an Indonesian page; another client
    is not affected."""
    settings.COMPLAINT_SUBMIT_RATE = (2, 600)
    assert submit(client, kesra).status_code == 303
    assert submit(client, kesra).status_code == 303
    response = submit(client, kesra)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Terlalu banyak" in response.content.decode()
    assert Case.objects.count() == 2
    other = Client(REMOTE_ADDR="10.9.8.7")
    assert submit(other, kesra).status_code == 303


# --- tracking ------------------------------------------------------------------------------------


def test_lookup_form_accepts_the_code_as_people_type_it(client, kesra):
    """Lower case, spaces and dashes are accepted and lead to the canonical address."""
    case = web_complaint(kesra)
    typed = " ".join([case.public_code[:4].lower(), case.public_code[4:8], case.public_code[8:]])
    response = client.get("/lacak/", {"kode": typed})
    assert response.status_code == 302
    assert response["Location"] == track_url(case)


def test_tracking_page_never_shows_the_identity_of_a_named_reporter(client, kesra):
    """Even for a normal (not anonymous, not confidential) complaint, the page keyed by the
    code shows no name, e-mail or telephone: a code can be shared or photographed."""
    case = web_complaint(kesra)
    response = client.get(track_url(case))
    assert response.status_code == 200
    html = response.content.decode()
    for secret in ("Siti", "Aminah", "siti.aminah", "081234567890", "8123"):
        assert secret not in html
    assert case.number in html


def test_tracking_page_is_private_and_not_indexed(client, kesra):
    """Cache-Control private, no-store; noindex for robots."""
    response = client.get(track_url(web_complaint(kesra)))
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]


def test_tracking_page_shows_the_public_timeline_only(client, kesra, kesra_officer):
    """Internal events and internal notes (of public events too) never reach the page, staff
    names never do (the actor is shown as an officer of the unit), public notes do."""
    kesra_officer.full_name = "Bambang Pengelola"
    kesra_officer.save()
    case = web_complaint(kesra)
    case_event_record(
        case=case, actor=kesra_officer, kind="note", note="RAHASIA internal memo", internal=True
    )
    case_transition(
        actor=kesra_officer,
        case=case,
        to=Status.VERIFIED,
        note="Catatan internal verifikasi",
        internal_note=True,
    )
    case_transition(
        actor=kesra_officer,
        case=case,
        to=Status.IN_PROGRESS,
        note="Catatan petugas saja",
        public_note="Sedang ditindaklanjuti",
    )
    html = client.get(track_url(case)).content.decode()
    assert "RAHASIA" not in html
    assert "Catatan internal verifikasi" not in html
    assert "Catatan petugas saja" not in html
    assert "Bambang" not in html and kesra_officer.username not in html
    assert "Sedang ditindaklanjuti" in html
    assert "Petugas" in html


def test_tracking_page_shows_due_date_classification_and_answer(client, kesra, kesra_officer):
    """Status, the due time in plain Indonesian, the class, and the answer once answered."""
    case = web_complaint(kesra)
    complaint_classify(actor=kesra_officer, case=case, class_code="normatif")
    html = client.get(track_url(case)).content.decode()
    assert "pukul" in html and "WIB" in html
    assert "normatif" in html.lower()
    case_transition(actor=kesra_officer, case=case, to=Status.IN_PROGRESS)
    complaint_answer(actor=kesra_officer, case=case, answer="Petugas loket telah ditambah.")
    response = client.get(track_url(case))
    assert "Petugas loket telah ditambah." in response.content.decode()
    assert 'data-status="answered"' in response.content.decode()


def test_tracking_page_query_count_is_bounded(
    client, kesra, kesra_officer, django_assert_max_num_queries
):
    """One page, a handful of queries, however long the history."""
    case = web_complaint(kesra)
    for _i in range(10):
        case_event_record(case=case, actor=kesra_officer, kind="note", note="x")
    with django_assert_max_num_queries(8):
        assert client.get(track_url(case)).status_code == 200


def test_filing_runs_a_bounded_number_of_queries(client, kesra, django_assert_max_num_queries):
    """The public submit's POST (issue 20 measures it against django-helpdesk): the form's unit,
    the class list, the gapless number (one UPDATE … RETURNING of the counter),
    the code's uniqueness check, the unit's calendar, one INSERT of the case with its due time
    already computed (no UPDATE after it), the first event, the acknowledgement in the outbox,
    the complaint detail, and the savepoints around them — 27 statements on SQLite, 28 on
    PostgreSQL (the calendar's shared advisory lock). A query added to this path shows here."""
    path = FORM + f"{kesra.slug}/"
    client.post(path, form_data(kesra))  # the first of the year makes the counter row
    with django_assert_max_num_queries(28):
        response = client.post(path, form_data(kesra, email="kedua@example.com"))
    assert response.status_code == 303
    assert Case.objects.count() == 2


def test_unknown_and_malformed_codes_get_the_same_not_found_page(client, kesra):
    """An unknown code and a malformed one: both 404 with the same page (the answer does not
    tell a guesser which it was)."""
    web_complaint(kesra)
    unknown = client.get("/lacak/ABCD-EFGH-JKMN/")
    malformed = client.get("/lacak/zz!/")
    assert unknown.status_code == malformed.status_code == 404
    for response in (unknown, malformed):
        assert "complaints/public/not_found.html" in [t.name for t in response.templates]
        assert "no-store" in response["Cache-Control"]


def test_guessing_codes_is_rate_limited(client, kesra, settings):
    """Each unknown code counts; past the limit every lookup from that client — even of a real
    code — gets 429 until the window ends, so guessing is futile."""
    settings.TRACKING_LOOKUP_RATE = (3, 600)
    case = web_complaint(kesra)
    for guess in ("ABCD-EFGH-JKMN", "BCDE-FGHJ-KMNP", "CDEF-GHJK-MNPQ"):
        assert client.get(f"/lacak/{guess}/").status_code == 404
    response = client.get(track_url(case))
    assert response.status_code == 429
    assert response["Retry-After"]
    assert Client(REMOTE_ADDR="10.1.2.3").get(track_url(case)).status_code == 200


def test_every_lookup_counts_a_real_code_too(client, kesra, settings):
    """One budget for every lookup (the API's and Open311's count the same way): a real code
    counts like a guess, so the budget cannot be stretched by mixing in a known code; the
    default (120 per 10 minutes) leaves a reporter ample reloads."""
    settings.TRACKING_LOOKUP_RATE = (3, 600)
    case = web_complaint(kesra)
    for _i in range(3):
        assert client.get(track_url(case)).status_code == 200
    assert client.get(track_url(case)).status_code == 429


# --- reopening -----------------------------------------------------------------------------------


def closed_complaint(unit, officer) -> Case:
    case = web_complaint(unit)
    case_transition(actor=officer, case=case, to=Status.IN_PROGRESS)
    complaint_answer(actor=officer, case=case, answer="Sudah kami perbaiki.")
    return case_transition(actor=officer, case=case, to=Status.CLOSED)


def test_reporter_can_reopen_within_the_window(client, kesra, kesra_officer):
    """Closed less than 14 days ago: the page offers the form; a reason reopens the complaint,
    the timeline says so, and the previous answer stays readable."""
    case = closed_complaint(kesra, kesra_officer)
    page = client.get(track_url(case)).content.decode()
    assert 'name="reason"' in page
    response = client.post(track_url(case), {"reason": "Loket masih kosong hari ini."})
    assert response.status_code == 303
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS and case.reopen_count == 1
    html = client.get(track_url(case)).content.decode()
    assert "Loket masih kosong hari ini." in html
    assert "Sudah kami perbaiki." in html
    assert 'name="reason"' not in html


def test_reopen_needs_a_reason(client, kesra, kesra_officer):
    """An empty reason is refused with an error; the complaint stays closed."""
    case = closed_complaint(kesra, kesra_officer)
    response = client.post(track_url(case), {"reason": "  "})
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.status == Status.CLOSED


def test_reopen_is_refused_after_the_window(client, kesra, kesra_officer):
    """Closed more than 14 days ago: no form, and a forged POST is refused with a message."""
    case = closed_complaint(kesra, kesra_officer)
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - dt.timedelta(days=15))
    assert 'name="reason"' not in client.get(track_url(case)).content.decode()
    response = client.post(track_url(case), {"reason": "Masih belum beres."})
    assert response.status_code == 400
    assert "14" in text_of(response)
    case.refresh_from_db()
    assert case.status == Status.CLOSED


def test_open_complaint_cannot_be_reopened(client, kesra):
    """A POST on an open complaint changes nothing."""
    case = web_complaint(kesra)
    assert client.post(track_url(case), {"reason": "x"}).status_code == 400
    case.refresh_from_db()
    assert case.status == Status.RECEIVED


def test_a_closed_complaint_invites_to_the_satisfaction_survey_once(client, kesra, kesra_officer):
    """Closing a complaint — also an anonymous one, which gets no e-mail — makes its one survey
    invitation; the tracking page offers it until it is answered, then no more."""
    from layanan.surveys.models import SurveyInvitation
    from layanan.surveys.questionnaire import ELEMENTS

    case = web_complaint(
        kesra, anonymous=True, requester_name="", requester_email="", requester_phone=""
    )
    assert "/survei/" not in text_of(client.get(track_url(case)))
    case_transition(actor=kesra_officer, case=case, to=Status.VERIFIED)
    complaint_answer(actor=kesra_officer, case=case, answer="Sudah diperbaiki.")
    case_transition(actor=kesra_officer, case=case, to=Status.CLOSED)
    invitation = SurveyInvitation.objects.get(case=case)
    page = client.get(track_url(case)).content.decode()
    survey = reverse("surveys:answer", kwargs={"token": invitation.token})
    assert survey in page

    answers = {element.field: "4" for element in ELEMENTS}
    response = client.post(survey, answers)
    assert response.status_code in (200, 302, 303), response.content[:500]
    assert SurveyInvitation.objects.get(case=case).used_at is not None
    assert survey not in client.get(track_url(case)).content.decode()


def test_tracking_page_and_api_show_the_same_timeline(client, kesra, kesra_officer):
    """The tracking page and ``GET /api/v1/track/{code}`` show the same entries — the same
    labels, in the same order, with the same public messages (one selector,
    complaints/selectors.public_timeline) — across receipt, a file from the reporter, class,
    verification, a request for information, answer, closing and a reopening by the reporter;
    internal notes and internal events on neither."""
    case = web_complaint(kesra)
    attachment_add(case=case, upload=SimpleUploadedFile("bukti.pdf", PDF), actor=PUBLIC)
    complaint_classify(actor=kesra_officer, case=case, class_code="normatif")
    case_transition(
        actor=kesra_officer,
        case=case,
        to=Status.VERIFIED,
        note="RAHASIA verifikasi",
        public_note="Pengaduan Anda lengkap.",
    )
    case_event_record(case=case, actor=kesra_officer, kind="note", note="RAHASIA", internal=True)
    case_transition(
        actor=kesra_officer, case=case, to=Status.WAITING, public_note="Mohon kirim foto loket."
    )
    case_transition(actor=kesra_officer, case=case, to=Status.IN_PROGRESS)
    complaint_answer(actor=kesra_officer, case=case, answer="Loket sudah buka.")
    case_transition(actor=kesra_officer, case=case, to=Status.CLOSED)
    case_reopen_by_requester(case=case, reason="Kemarin tutup lagi.")

    code = format_public_code(case.public_code)
    html = client.get(track_url(case), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    api = client.get(reverse("api:track", args=[code]), HTTP_ACCEPT_LANGUAGE="id").json()
    timeline = html.split('class="cp-timeline"')[1].split("</ol>")[0]
    items = re.findall(r"<li>(.*?)</li>", timeline, flags=re.S)
    page_entries = [
        (
            unescape(re.search(r'cp-tl-text">(.*?)</span>', item).group(1)),
            unescape(m.group(1)) if (m := re.search(r'cp-tl-note">(.*?)</span>', item)) else "",
        )
        for item in items
    ]
    api_entries = [(entry["label"], entry["note"]) for entry in api["timeline"]]
    assert page_entries == api_entries
    assert len(api_entries) == 9
    assert tuple(note for _label, note in api_entries if note) == (
        "Pengaduan Anda lengkap.",
        "Mohon kirim foto loket.",
        "Kemarin tutup lagi.",
    )
    assert "RAHASIA" not in html and "RAHASIA" not in json.dumps(api)
