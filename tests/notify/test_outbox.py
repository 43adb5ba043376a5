"""Queueing rules of the outbox and the dispatcher's bookkeeping (claims, stale rows, by hand)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from layanan.notify import channels
from layanan.notify.dispatch import outbox_dispatch, outbox_reclaim_stale
from layanan.notify.models import OutboxMessage, OutboxStatus
from layanan.notify.services import (
    outbox_cancel,
    outbox_enqueue,
    outbox_enqueue_many,
    outbox_retry,
    outbox_schedule_dispatch,
)


def _email(**overrides):
    fields = {
        "channel": "email",
        "recipient": "warga@example.com",
        "subject": "Status pengaduan",
        "body": "Pengaduan Anda sedang diproses.",
    }
    fields.update(overrides)
    return outbox_enqueue(**fields)


@pytest.mark.django_db(transaction=True)
def test_rolled_back_transaction_queues_nothing(settings):
    """A message queued inside a transaction that rolls back leaves no row and schedules no
    dispatch task; the same call in a committed transaction does both, the task after commit."""
    from django_tasks_db.models import DBTaskResult

    settings.NOTIFY_DISPATCH_ON_COMMIT = True
    tasks = DBTaskResult.objects.filter(task_path="layanan.notify.tasks.dispatch_outbox")

    with pytest.raises(RuntimeError), transaction.atomic():
        _email(dedupe_key="case:1:received")
        raise RuntimeError("the case write failed")

    assert not OutboxMessage.objects.exists()
    assert not tasks.exists()

    with transaction.atomic():
        _email(dedupe_key="case:1:received")
        assert not tasks.exists()  # not before commit
    assert OutboxMessage.objects.count() == 1
    assert tasks.count() == 1


@pytest.mark.django_db
def test_dedupe_key_prevents_double_queueing():
    """The same dedupe key is queued once, whatever its status; other keys are not affected."""
    first = _email(dedupe_key="case:12:classified")
    assert first is not None
    assert _email(dedupe_key="case:12:classified") is None
    OutboxMessage.objects.filter(pk=first.pk).update(status=OutboxStatus.SENT)
    assert _email(dedupe_key="case:12:classified") is None
    assert _email(dedupe_key="case:12:answered") is not None
    assert _email() is not None and _email() is not None  # no key: no deduplication
    assert OutboxMessage.objects.filter(dedupe_key="case:12:classified").count() == 1
    assert OutboxMessage.objects.count() == 4


@pytest.mark.django_db
def test_losing_a_dedupe_race_does_not_break_the_callers_transaction(monkeypatch):
    """If another transaction inserted the same key between the check and the insert, the
    call returns None and the caller's transaction goes on."""
    _email(dedupe_key="case:7:received")
    # Pretend the existence check ran before the other insert was visible.
    real_filter = OutboxMessage.objects.filter
    calls = {"n": 0}

    def filter_once_blind(*args, **kwargs):
        calls["n"] += 1
        qs = real_filter(*args, **kwargs)
        return qs.none() if calls["n"] == 1 else qs

    monkeypatch.setattr(OutboxMessage.objects, "filter", filter_once_blind)
    with transaction.atomic():
        assert _email(dedupe_key="case:7:received") is None
        assert OutboxMessage.objects.count() == 1  # the transaction is still usable


def _fields(**overrides):
    fields = {
        "channel": "email",
        "recipient": "warga@example.com",
        "subject": "Status pengaduan",
        "body": "Pengaduan Anda sedang diproses.",
    }
    fields.update(overrides)
    return fields


@pytest.mark.django_db
def test_enqueue_many_dedupes_in_order_and_schedules_one_dispatch(
    django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    """A batch follows the rules of ``outbox_enqueue``: a key queued before, or earlier in the
    same batch, gives ``None`` in its place; a bad recipient is stored as failed; attachments go
    with their own message. The statements do not depend on the batch's size, and one dispatch
    is scheduled for the transaction however many messages (and calls) it queued."""
    OutboxMessage.objects.create(channel="email", recipient="a@example.com", body="Diterima.",
                                 dedupe_key="case:1:received")  # fmt: skip
    pdf = ("laporan.pdf", b"%PDF-1.7", "application/pdf")
    batch = [
        _fields(dedupe_key="case:1:received"),
        _fields(dedupe_key="case:2:received", attachments=[pdf]),
        _fields(dedupe_key="case:2:received"),
        _fields(recipient="bukan-alamat-email"),
        *(_fields(dedupe_key=f"case:{n}:classified") for n in range(3, 40)),
    ]
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        with django_assert_max_num_queries(7):  # 2 savepoints, look-up, 2 inserts, 2 releases
            result = outbox_enqueue_many(batch)
        assert _email(dedupe_key="case:99:received") is not None
    assert [m is None for m in result[:4]] == [True, False, True, False]
    assert all(m is not None and m.pk for m in result[4:])
    assert [m.dedupe_key for m in result[4:]] == [f"case:{n}:classified" for n in range(3, 40)]
    assert result[3].status == OutboxStatus.FAILED and "bukan-alamat-email" in result[3].last_error
    assert [a.filename for a in result[1].attachments.all()] == ["laporan.pdf"]
    assert OutboxMessage.objects.count() == 1 + 2 + 37 + 1
    assert callbacks == [outbox_schedule_dispatch]


@pytest.mark.django_db
def test_dispatch_scheduled_once_survives_a_rolled_back_savepoint(
    django_capture_on_commit_callbacks,
):
    """The dispatch is registered once per transaction, but never only inside a savepoint that
    rolls back while the outer transaction still queued something."""
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            _email()
            raise RuntimeError("inner part fails")
        _email()
        with pytest.raises(RuntimeError), transaction.atomic():
            _email()
            raise RuntimeError("inner part fails")
    assert callbacks == [outbox_schedule_dispatch]
    assert OutboxMessage.objects.count() == 1


@pytest.mark.django_db
def test_losing_a_dedupe_race_in_a_batch_keeps_the_others(monkeypatch):
    """A batch that loses the race on some keys drops just those and queues the rest."""
    _email(dedupe_key="case:7:received")
    real_filter = OutboxMessage.objects.filter
    calls = {"n": 0}

    def filter_once_blind(*args, **kwargs):
        calls["n"] += 1
        qs = real_filter(*args, **kwargs)
        return qs.none() if calls["n"] == 1 else qs

    monkeypatch.setattr(OutboxMessage.objects, "filter", filter_once_blind)
    with transaction.atomic():
        first, second, third = outbox_enqueue_many(
            [
                _fields(dedupe_key="case:8:received"),
                _fields(dedupe_key="case:7:received"),
                _fields(),
            ]
        )
        assert second is None and first.pk and third.pk
    assert set(OutboxMessage.objects.values_list("dedupe_key", flat=True)) == {
        "case:7:received",
        "case:8:received",
        None,
    }


@pytest.mark.django_db
def test_invalid_recipient_is_kept_as_failed_with_the_reason():
    """A malformed address does not break the caller: the row is stored as failed with the
    reason, so staff see it, and it is never dispatched."""
    message = _email(recipient="bukan-alamat-email")
    assert message.status == OutboxStatus.FAILED
    assert "bukan-alamat-email" in message.last_error
    assert outbox_dispatch().claimed == 0


@pytest.mark.django_db
def test_context_must_not_carry_secrets():
    """The outbox is readable in the admin: context keys that look like secrets are refused."""
    with pytest.raises(ValueError, match="secrets"):
        _email(context={"case_number": "X/1", "otp": "123456"})
    assert _email(context={"case_number": "X/1", "due": timezone.now()}) is not None


@pytest.mark.django_db
def test_unknown_channel_is_a_programming_error():
    """Only email and whatsapp exist."""
    with pytest.raises(ValueError, match="channel"):
        _email(channel="sms")


@pytest.mark.django_db
def test_a_message_being_sent_is_not_picked_up_by_another_dispatcher(monkeypatch):
    """The claim commits before the network call: a second dispatcher that runs while the first
    is sending (here: started from inside the send) skips the in-flight message."""
    first = _email(recipient="satu@example.com")
    second = _email(recipient="dua@example.com")
    sent: list[tuple[str, str]] = []
    nested_reports = []

    def fake_deliver(message):
        sent.append(("outer" if not nested_reports else "inner", message.recipient))
        if not nested_reports:
            nested_reports.append(None)
            nested_reports[0] = outbox_dispatch()
        return f"id-{message.pk}"

    monkeypatch.setattr("layanan.notify.dispatch.deliver", fake_deliver)
    report = outbox_dispatch()

    assert sorted(r for _who, r in sent) == ["dua@example.com", "satu@example.com"]
    assert report.sent + nested_reports[0].sent == 2
    assert len(sent) == 2
    for message in (first, second):
        message.refresh_from_db()
        assert (message.status, message.attempts) == (OutboxStatus.SENT, 1)


@pytest.mark.django_db
def test_stale_sending_message_is_reclaimed_and_sent(monkeypatch):
    """A row left in "sending" by a crashed worker for longer than the timeout goes back to
    pending (and is sent by the same run); a row claimed a minute ago is left alone."""
    now = timezone.now()
    stale = _email(recipient="lama@example.com")
    fresh = _email(recipient="baru@example.com")
    OutboxMessage.objects.filter(pk=stale.pk).update(
        status=OutboxStatus.SENDING, attempts=1, claimed_at=now - dt.timedelta(minutes=20)
    )
    OutboxMessage.objects.filter(pk=fresh.pk).update(
        status=OutboxStatus.SENDING, attempts=1, claimed_at=now - dt.timedelta(minutes=1)
    )
    monkeypatch.setattr("layanan.notify.dispatch.deliver", lambda m: "ok")

    report = outbox_dispatch(now=now)

    assert (report.reclaimed, report.sent) == (1, 1)
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert (stale.status, stale.attempts) == (OutboxStatus.SENT, 2)
    assert fresh.status == OutboxStatus.SENDING


@pytest.mark.django_db
def test_stale_message_out_of_attempts_is_failed_with_a_reason():
    """A stuck row that already used its last attempt is failed, with a reason that says the
    message may or may not have gone out."""
    now = timezone.now()
    message = _email()
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.SENDING, attempts=6, claimed_at=now - dt.timedelta(hours=1)
    )
    assert outbox_reclaim_stale(now=now) == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    assert "900" in message.last_error


@pytest.mark.django_db
def test_unexpected_error_in_a_channel_does_not_leave_the_row_sending(monkeypatch):
    """A bug in a channel is recorded like a failed try (pending with backoff), not lost in
    "sending"."""

    def boom(message):
        raise KeyError("template missing")

    monkeypatch.setattr("layanan.notify.dispatch.deliver", boom)
    message = _email()
    report = outbox_dispatch()
    assert report.retrying == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert "KeyError" in message.last_error


@pytest.mark.django_db
def test_retry_now_requeues_failed_messages_with_fresh_attempts(django_capture_on_commit_callbacks):
    """Retry puts failed (and cancelled) messages back to pending, due now, with a new series of
    attempts; sent messages are left alone; a dispatch is scheduled after commit."""
    failed = _email()
    sent = _email()
    OutboxMessage.objects.filter(pk=failed.pk).update(
        status=OutboxStatus.FAILED, attempts=6, next_attempt_at=timezone.now() + dt.timedelta(1)
    )
    OutboxMessage.objects.filter(pk=sent.pk).update(status=OutboxStatus.SENT, attempts=1)

    with django_capture_on_commit_callbacks() as callbacks:
        assert outbox_retry(message_ids=[failed.pk, sent.pk]) == 1

    assert outbox_schedule_dispatch in callbacks
    failed.refresh_from_db()
    sent.refresh_from_db()
    assert (failed.status, failed.attempts) == (OutboxStatus.PENDING, 0)
    assert failed.next_attempt_at <= timezone.now()
    assert sent.status == OutboxStatus.SENT


@pytest.mark.django_db
def test_cancel_stops_pending_messages_and_keeps_the_reason():
    """Cancelling marks pending/failed messages cancelled, says who did it, keeps the earlier
    error, and never touches a message being sent."""
    pending = _email()
    sending = _email()
    OutboxMessage.objects.filter(pk=pending.pk).update(last_error="SMTP down")
    OutboxMessage.objects.filter(pk=sending.pk).update(status=OutboxStatus.SENDING)

    assert outbox_cancel(message_ids=[pending.pk, sending.pk], by="admin.kesra") == 1

    pending.refresh_from_db()
    sending.refresh_from_db()
    assert pending.status == OutboxStatus.CANCELLED
    assert "admin.kesra" in pending.last_error and "SMTP down" in pending.last_error
    assert sending.status == OutboxStatus.SENDING
    assert outbox_dispatch().claimed == 0


def test_message_id_is_stable_per_row():
    """A repeated delivery of the same row carries the same Message-ID."""
    message = OutboxMessage(pk=41, created_at=timezone.now())
    assert channels.message_id_for(message) == channels.message_id_for(message)
    assert channels.message_id_for(message).startswith("<layanan-outbox-41-")
