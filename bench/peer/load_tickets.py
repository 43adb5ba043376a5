"""Fill the peer's database: django-helpdesk tickets with follow-ups, at the issue's volume.

Run by ``bench/peer/run.py prepare`` with the peer's own virtualenv (django-helpdesk's models
are not importable from Layanan's). Idempotent: it tops the tickets up to ``--tickets``.

Data: 5 queues (one open to public submission, as the public form needs), one staff account
``bench.staff`` (password ``bench-peer-password``) assigned a share of the tickets, tickets
over the last three years in helpdesk's status mix (mostly closed/resolved, some open), each
with ``--followups`` follow-ups. Writes ``tmp/peer-ids.txt`` (ticket ids, for the ceiling),
``tmp/peer-view.txt`` (the public view's query: ``<queue>-<id>&email=…&key=…``) and
``tmp/peer-list.txt`` (the staff list's data URL, as helpdesk's list page builds it) and
``tmp/peer-queue.txt`` (the id of the public queue, for the submit form).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent.parent)]  # the site, and the repo root for `bench`
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk_site.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from helpdesk.models import FollowUp, Queue, Ticket  # noqa: E402
from helpdesk.query import query_to_base64  # noqa: E402

STAFF = ("bench.staff", "bench-peer-password")
BATCH = 5000
STATUS_MIX = [  # helpdesk's statuses: 1 open, 2 reopened, 3 resolved, 4 closed, 5 duplicate
    (Ticket.OPEN_STATUS, 6),
    (Ticket.REOPENED_STATUS, 1),
    (Ticket.RESOLVED_STATUS, 8),
    (Ticket.CLOSED_STATUS, 84),
    (Ticket.DUPLICATE_STATUS, 1),
]


def queues() -> list[Queue]:
    made = []
    for n, (slug, title) in enumerate(
        [
            ("layanan", "Pengaduan umum"),
            ("kesra", "Biro Kesra"),
            ("ekon", "Biro Perekonomian"),
            ("umum", "Biro Umum"),
            ("it", "TI"),
        ]
    ):
        queue, _ = Queue.objects.get_or_create(
            slug=slug,
            defaults={
                "title": title,
                "allow_public_submission": n == 0,
                "allow_email_submission": False,
                "email_address": f"{slug}@example.org",
            },
        )
        made.append(queue)
    return made


def staff_user():
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=STAFF[0], defaults={"is_staff": True, "email": "staff@example.org"}
    )
    if created or not user.check_password(STAFF[1]):
        user.set_password(STAFF[1])
        user.is_staff = True
        user.save()
    return user


def load(total: int, followups: int, seed: int) -> int:
    rng = random.Random(seed)
    all_queues = queues()
    staff = staff_user()
    have = Ticket.objects.count()
    now = timezone.now()
    statuses = [s for s, weight in STATUS_MIX for _ in range(weight)]
    made = 0
    started = time.monotonic()
    while have + made < total:
        size = min(BATCH, total - have - made)
        tickets = []
        for _ in range(size):
            n = have + made + len(tickets) + 1
            created = now - dt.timedelta(minutes=rng.randrange(3 * 365 * 24 * 60))
            tickets.append(
                Ticket(
                    title=f"Pengaduan nomor {n}: antrean loket terlalu lama",
                    queue=rng.choice(all_queues),
                    created=created,
                    modified=created + dt.timedelta(hours=rng.randrange(1, 400)),
                    submitter_email=f"warga{n}@example.org",
                    assigned_to=staff if rng.random() < 0.3 else None,
                    status=rng.choice(statuses),
                    description=(
                        "Antrean di loket pelayanan lebih dari dua jam tanpa kejelasan. "
                        "Mohon ditindaklanjuti. " * 3
                    ),
                    priority=rng.randrange(1, 6),
                    secret_key=f"{rng.getrandbits(64):016x}",
                )
            )
        with transaction.atomic():
            Ticket.objects.bulk_create(tickets, batch_size=1000)
            FollowUp.objects.bulk_create(
                [
                    FollowUp(
                        ticket=ticket,
                        date=ticket.created + dt.timedelta(hours=k + 1),
                        title="Tanggapan",
                        comment=f"Tindak lanjut ke-{k + 1} atas pengaduan ini.",
                        public=True,
                        user=staff if k % 2 else None,
                    )
                    for ticket in tickets
                    for k in range(followups)
                ],
                batch_size=2000,
            )
        made += size
        print(f"  {have + made:,} tickets ({time.monotonic() - started:.0f} s)", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE helpdesk_ticket")
        cursor.execute("VACUUM ANALYZE helpdesk_followup")
    return made


def write_samples(tmp: Path, sample: int, seed: int) -> None:
    tmp.mkdir(parents=True, exist_ok=True)
    ids = list(Ticket.objects.values_list("id", flat=True))
    rng = random.Random(seed)
    chosen = rng.sample(ids, min(sample, len(ids)))
    rows = Ticket.objects.filter(id__in=chosen).select_related("queue")
    (tmp / "peer-ids.txt").write_text("".join(f"{i}\n" for i in chosen))
    (tmp / "peer-view.txt").write_text(
        "".join(
            f"{t.queue.slug}-{t.id}&email={t.submitter_email}&key={t.secret_key}\n" for t in rows
        )
    )
    # The list page's own default query (helpdesk.views.staff.ticket_list: open and reopened
    # tickets by creation); the page fetches its rows from this data URL, 25 per page.
    query = {
        "filtering": {"status__in": [1, 2]},
        "sorting": "created",
        "search_string": "",
        "sortreverse": False,
    }
    public = Queue.objects.get(slug="layanan")
    (tmp / "peer-queue.txt").write_text(f"{public.id}\n")
    (tmp / "peer-list.txt").write_text(
        f"/datatables_ticket_list/{query_to_base64(query)}?draw=1&start=0&length=25\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--followups", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20261207)
    parser.add_argument("--sample", type=int, default=5000)
    parser.add_argument("--tmp", type=Path, default=HERE.parent / "results" / "tmp")
    args = parser.parse_args()
    made = load(args.tickets, args.followups, args.seed)
    write_samples(args.tmp, args.sample, args.seed)
    print(
        f"helpdesk: {Ticket.objects.count():,} tickets ({made:,} new), "
        f"{FollowUp.objects.count():,} follow-ups"
    )


if __name__ == "__main__":
    main()
