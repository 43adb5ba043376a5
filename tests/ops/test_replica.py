"""Reads from a PostgreSQL read replica (layanan/core/db_routing.py; docs/operations.md, "A read
replica").

The routing rules are tested on any database: the router is installed here whatever the
configuration, and only the alias a read *would* use is looked at. The tests at the end need
a real streaming replica — ``DATABASE_REPLICA_URL`` set, as CI does after starting one with
``scripts/pg-replica.sh start`` — and are skipped without one: they pause the replica's replay
so that it is provably behind the primary, and look at what the pages show.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.urls import reverse
from django.utils import timezone

from layanan.core.db_routing import (
    PIN_SESSION_KEY,
    REPLICA,
    ReplicaRouter,
    reading_primary,
    reading_replica,
    replica_reads,
)
from layanan.reports.metrics import Month
from layanan.reports.models import MonthSnapshot, SkmFollowUp
from layanan.surveys.models import SurveyResponse

ROOT = Path(__file__).resolve().parents[2]
ROUTER = "layanan.core.db_routing.ReplicaRouter"
PIN_MIDDLEWARE = "layanan.core.db_routing.ReplicaPinMiddleware"
#: The tables the reports count from: every read of them on a report page goes to the replica.
REPORT_TABLES = {"cases.Case", "surveys.SurveyResponse", "reports.MonthSnapshot"}


def respond(unit, day: dt.date, value: int = 4) -> SurveyResponse:
    return SurveyResponse.objects.create(
        unit=unit, channel="kiosk", answered_on=day, **{f"u{i}": value for i in range(1, 10)}
    )


# --- the routing rules, on any database ----------------------------------------------------------


@pytest.fixture
def routed(settings):
    """The replica router installed, as DATABASE_REPLICA_URL installs it."""
    settings.DATABASE_ROUTERS = [ROUTER]


@pytest.fixture
def reads(routed, monkeypatch):
    """Every read through the router, as (model label, whether it would go to the replica);
    the primary serves them all, so no replica is needed."""
    seen: list[tuple[str, bool]] = []

    def record(self, model, **hints):
        seen.append((model._meta.label, replica_reads()))
        return DEFAULT_DB_ALIAS

    monkeypatch.setattr(ReplicaRouter, "db_for_read", record)
    return seen


@pytest.fixture
def pinning(settings):
    """The read-your-writes middleware in place, as DATABASE_REPLICA_URL puts it."""
    if PIN_MIDDLEWARE not in settings.MIDDLEWARE:
        middleware = list(settings.MIDDLEWARE)
        middleware.insert(
            middleware.index("layanan.core.scoping.UnitScopeMiddleware") + 1, PIN_MIDDLEWARE
        )
        settings.MIDDLEWARE = middleware
    settings.REPLICA_PIN_SECONDS = 10


@pytest.mark.django_db
def test_only_reading_replica_sends_reads_to_the_replica(routed):
    """Outside ``reading_replica()`` every read is on the primary (read-your-writes everywhere
    else); inside it reads go to the replica, writes and ``select_for_update`` never do."""
    assert SurveyResponse.objects.all().db == DEFAULT_DB_ALIAS
    with reading_replica():
        assert SurveyResponse.objects.all().db == REPLICA
        assert SurveyResponse.objects.select_for_update().db == DEFAULT_DB_ALIAS
        assert router.db_for_write(SurveyResponse) == DEFAULT_DB_ALIAS
    assert SurveyResponse.objects.all().db == DEFAULT_DB_ALIAS


@pytest.mark.django_db
def test_a_transaction_and_reading_primary_keep_reads_on_the_primary(routed):
    """Inside ``transaction.atomic`` (a write path: its reads must see its own rows) and inside
    ``reading_primary()`` (a request that writes, a pinned session, figures about to be
    stored) reads stay on the primary, even within ``reading_replica()``; the decorator form
    asks for the replica per call."""

    @reading_replica()
    def where() -> str:
        return SurveyResponse.objects.all().db

    assert where() == REPLICA
    with reading_replica():
        with transaction.atomic():
            assert SurveyResponse.objects.all().db == DEFAULT_DB_ALIAS
        with reading_primary():
            assert SurveyResponse.objects.all().db == DEFAULT_DB_ALIAS
            assert where() == DEFAULT_DB_ALIAS
        assert SurveyResponse.objects.all().db == REPLICA


def test_only_the_primary_is_migrated_and_relations_cross():
    """The replica is a copy: never migrated; objects of both may be related."""
    r = ReplicaRouter()
    assert r.allow_migrate(DEFAULT_DB_ALIAS, "reports") is True
    assert r.allow_migrate(REPLICA, "reports") is False
    a, b = SurveyResponse(), SurveyResponse()
    a._state.db, b._state.db = REPLICA, DEFAULT_DB_ALIAS
    assert r.allow_relation(a, b) is True


def _this_month() -> str:
    return str(Month.of(timezone.localdate()))


#: page → (persona signed in or None, URL)
PAGES = {
    "public dashboard": (None, lambda: reverse("reports:public") + "?unit=biro-kesra"),
    "staff dashboard": ("kesra_head", lambda: reverse("reports:dashboard") + "?unit=biro-kesra"),
    "evaluation xlsx": (
        "kesra_head",
        lambda: reverse("reports:monthly_xlsx", args=["biro-kesra", _this_month()]),
    ),
    "skm page": ("kesra_head", lambda: reverse("reports:skm", args=["biro-kesra"])),
    "skm pdf": ("kesra_head", lambda: reverse("reports:skm_pdf", args=["biro-kesra"])),
    "survey results": (None, lambda: reverse("surveys:results")),
    "ikm api": (None, lambda: "/api/v1/ikm?unit=biro-kesra"),
    "officer performance": (
        "kesra_head",
        lambda: reverse("evaluation:performance", args=["biro-kesra"]),
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES)
def test_report_pages_read_their_figures_from_the_replica(client, org, personas, reads, page):
    """Dashboards, reports, exports and the IKM (page and API) count on the replica; who may
    read them (memberships, the session) is read on the primary."""
    from layanan.reports.summary import months_data

    kesra = org["biro-kesra"]
    today = timezone.localdate()
    respond(kesra, today)
    # last month stored beforehand: storing one counts on the primary (the next test)
    months_data(kesra, [Month.of(today).previous()])
    user, url = PAGES[page]
    if user:
        client.force_login(personas[user])
    reads.clear()
    response = client.get(url())
    assert response.status_code == 200, response.content[:500]
    counted = [on_replica for label, on_replica in reads if label in REPORT_TABLES]
    assert counted and all(counted), reads
    assert not any(on_replica for label, on_replica in reads if label == "accounts.Membership")


@pytest.mark.django_db
def test_a_month_about_to_be_stored_is_counted_on_the_primary(org, reads, monkeypatch):
    """A closed month without a snapshot is counted on the primary before it is stored: counted
    from a replica behind a late correction, it would be kept after the correction deleted
    the stored month. The current month (never stored) is counted on the replica."""
    from layanan.reports import summary

    counted: dict[Month, bool] = {}
    month_data = summary.month_data

    def spy(unit, month, **kw):
        counted[month] = replica_reads()
        return month_data(unit, month, **kw)

    monkeypatch.setattr(summary, "month_data", spy)
    month = Month.of(timezone.localdate())
    summary.evaluation(org["biro-kesra"], month)
    assert counted == {month: True, month.previous(): False}


@pytest.mark.django_db
def test_a_staff_write_pins_the_session_to_the_primary(
    client, org, kesra_head, reads, pinning, clock
):
    """A request that writes reads only the primary; for REPLICA_PIN_SECONDS after a staff
    member's write (on the suite's clock) the session's pages do too — the page right after
    the action shows it — then they read the replica again."""
    url = reverse("reports:skm", args=["biro-kesra"])
    client.force_login(kesra_head)
    client.get(url)
    assert any(on_replica for label, on_replica in reads if label == "reports.SkmFollowUp")

    reads.clear()
    response = client.post(url, {"text": "Menambah kursi ruang tunggu."})
    assert response.status_code == 302
    assert reads and not any(on_replica for _label, on_replica in reads)
    assert client.session[PIN_SESSION_KEY] == pytest.approx(timezone.now().timestamp() + 10, abs=2)

    reads.clear()
    assert "Menambah kursi ruang tunggu." in client.get(response["Location"]).content.decode()
    assert reads and not any(on_replica for _label, on_replica in reads)

    clock.shift(dt.timedelta(seconds=11))
    reads.clear()
    client.get(url)
    assert any(on_replica for label, on_replica in reads if label == "reports.SkmFollowUp")


@pytest.mark.django_db
def test_an_anonymous_write_does_not_pin(client, org, reads, pinning):
    """Only a signed-in user's write pins: a citizen's survey answer starts no session (public
    pages stay cacheable) and their next page reads the replica."""
    kesra = org["biro-kesra"]
    response = client.post(reverse("surveys:kiosk", args=[kesra.slug]), {})
    assert response.status_code == 400  # an empty form, but a POST all the same
    assert PIN_SESSION_KEY not in client.session
    reads.clear()
    assert client.get(reverse("surveys:results")).status_code == 200
    assert any(on_replica for label, on_replica in reads if label == "surveys.SurveyResponse")


def _load_settings(**env: str) -> subprocess.CompletedProcess:
    code = (
        "import json; from django.conf import settings; "
        "print(json.dumps({'databases': settings.DATABASES, 'routers': settings.DATABASE_ROUTERS,"
        " 'middleware': settings.MIDDLEWARE}, default=str))"
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith("DATABASE_")}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "layanan.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def _settings(**env: str) -> dict:
    result = _load_settings(**env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_settings_add_the_replica_only_when_configured(tmp_path):
    """DATABASE_REPLICA_URL adds the ``replica`` alias (the primary's options; in tests the
    name of the primary's test database), the router and the pin middleware after the
    session's user is known; without it there is one database and nothing else changes. A
    replica of another engine than the primary is refused at start."""
    single = _settings(DATABASE_URL=f"sqlite:///{tmp_path / 'dev.sqlite3'}")
    assert list(single["databases"]) == ["default"]
    assert single["routers"] == [] and PIN_MIDDLEWARE not in single["middleware"]

    both = _settings(
        DATABASE_URL="postgres://app@db1:5432/layanan",
        DATABASE_REPLICA_URL="postgres://app@db2:5433/layanan",
    )
    replica = both["databases"]["replica"]
    assert (replica["HOST"], replica["PORT"], replica["NAME"]) == ("db2", 5433, "layanan")
    assert replica["CONN_MAX_AGE"] == both["databases"]["default"]["CONN_MAX_AGE"]
    assert replica["TEST"]["MIRROR"] == "default"
    assert both["routers"] == [ROUTER]
    middleware = both["middleware"]
    assert middleware.index(PIN_MIDDLEWARE) > middleware.index(
        "django.contrib.auth.middleware.AuthenticationMiddleware"
    )

    mixed = _load_settings(
        DATABASE_URL=f"sqlite:///{tmp_path / 'dev.sqlite3'}",
        DATABASE_REPLICA_URL="postgres://app@db2:5433/layanan",
    )
    assert mixed.returncode != 0
    assert "DATABASE_REPLICA_URL must be a replica of DATABASE_URL" in mixed.stderr


# --- with a real streaming replica ---------------------------------------------------------------

HAS_REPLICA = REPLICA in settings.DATABASES


def _scalar(alias: str, sql: str, params=()):
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def replayed(timeout: float = 20.0) -> None:
    """Wait until the replica has replayed everything the primary has written so far."""
    lsn = _scalar(DEFAULT_DB_ALIAS, "SELECT pg_current_wal_lsn()")
    deadline = time.monotonic() + timeout
    while not _scalar(REPLICA, "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn]):
        if time.monotonic() > deadline:
            pytest.fail(f"the replica did not replay up to {lsn} within {timeout} s")
        time.sleep(0.05)


@contextmanager
def replay_paused():
    """The replica stops replaying (it still receives): what is written now is on the
    primary only until the block ends; then the replica catches up."""
    _scalar(REPLICA, "SELECT pg_wal_replay_pause()::text")
    try:
        deadline = time.monotonic() + 10
        while _scalar(REPLICA, "SELECT pg_get_wal_replay_pause_state()") != "paused":
            assert time.monotonic() < deadline, "the replica's replay did not pause"
            time.sleep(0.05)
        yield
    finally:
        _scalar(REPLICA, "SELECT pg_wal_replay_resume()::text")
    replayed()


@pytest.fixture
def replica(org):
    """The organisation, committed and replayed; the ``replica`` alias really is the standby
    (another server, in recovery) with the primary's test database."""
    assert _scalar(REPLICA, "SELECT pg_is_in_recovery()") is True
    assert _scalar(REPLICA, "SELECT inet_server_port()") != _scalar(
        DEFAULT_DB_ALIAS, "SELECT inet_server_port()"
    )
    assert _scalar(REPLICA, "SELECT current_database()") == _scalar(
        DEFAULT_DB_ALIAS, "SELECT current_database()"
    )
    replayed()
    return org


class TestOnAStreamingReplica:
    pytestmark = [
        pytest.mark.skipif(
            not HAS_REPLICA,
            reason="needs a streaming replica: set DATABASE_REPLICA_URL (scripts/pg-replica.sh "
            "start, as .ci/run does)",
        ),
        pytest.mark.django_db(
            transaction=True,
            databases=[DEFAULT_DB_ALIAS, REPLICA] if HAS_REPLICA else [DEFAULT_DB_ALIAS],
        ),
    ]

    def test_the_ikm_api_reads_the_replica(self, client, replica):
        """GET /api/v1/ikm counts on the replica: a response written while the replica is
        behind is not in it; once replayed, it is."""
        kesra = replica["biro-kesra"]
        today = timezone.localdate()
        url = f"/api/v1/ikm?unit=biro-kesra&from={today.replace(day=1)}&to={today}"
        respond(kesra, today)
        replayed()
        assert client.get(url).json()["respondents"] == 1
        with replay_paused():
            respond(kesra, today, 3)
            assert SurveyResponse.objects.filter(unit=kesra).count() == 2  # the primary
            assert client.get(url).json()["respondents"] == 1  # the replica, behind
        assert client.get(url).json()["respondents"] == 2

    def test_the_page_after_a_staff_action_reads_the_primary(
        self, client, replica, kesra_head, clock
    ):
        """The head saves the SKM follow-up plan while the replica is behind: the page the
        form leads to shows it at once (pinned to the primary); once the pin has expired the
        same page reads the replica, which does not have it yet, until it has replayed."""
        url = reverse("reports:skm", args=["biro-kesra"])
        text = "Menambah kursi di ruang tunggu."
        client.force_login(kesra_head)
        replayed()
        with replay_paused():
            response = client.post(url, {"text": text})
            assert response.status_code == 302
            assert SkmFollowUp.objects.filter(text=text).exists()  # the primary
            assert text in client.get(response["Location"]).content.decode()
            clock.shift(dt.timedelta(seconds=settings.REPLICA_PIN_SECONDS + 1))
            assert text not in client.get(url).content.decode()
        assert text in client.get(url).content.decode()

    def test_a_month_is_stored_from_and_to_the_primary(self, replica):
        """The evaluation reads the current month on the replica, but counts the closed month
        it stores on the primary (the replica is behind: it would count one respondent, not
        two) and writes the snapshot there; the replica gets it by replication."""
        from layanan.reports.summary import evaluation

        kesra = replica["biro-kesra"]
        today = timezone.localdate()
        month = Month.of(today)
        last = month.previous()
        respond(kesra, last.first_day)
        replayed()
        with replay_paused():
            respond(kesra, last.first_day, 3)
            respond(kesra, today, 3)
            ev = evaluation(kesra, month)
            assert ev.previous.ikm.respondents == 2  # counted on the primary
            assert ev.current.ikm.respondents == 0  # counted on the replica, behind
            stored = MonthSnapshot.objects.get(unit=kesra, month=last.first_day)
            assert stored.data["ikm"]["respondents"] == 2
            assert not MonthSnapshot.objects.using(REPLICA).filter(unit=kesra).exists()
        copy = MonthSnapshot.objects.using(REPLICA).get(unit=kesra, month=last.first_day)
        assert copy.data == stored.data

    def test_a_transaction_reads_its_own_rows_on_the_primary(self, replica):
        """Inside ``transaction.atomic`` a report selector reads the primary: the rows the
        transaction has written, which no replica can have yet."""
        from layanan.reports.skm import skm_report

        kesra = replica["biro-kesra"]
        today = timezone.localdate()
        with transaction.atomic():
            respond(kesra, today)
            assert skm_report(unit=kesra, start=today, end=today).ikm.respondents == 1
        with reading_replica():
            assert SurveyResponse.objects.filter(unit=kesra).db == REPLICA
