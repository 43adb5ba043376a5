"""One lookup budget per client address for every path that looks a case up by its code or id:
the tracking page (/lacak/), the API (GET /api/v1/track/{code}) and Open311 (requests/{id},
tokens/{id}, requests?service_request_id=, one lookup per id asked). Setting
TRACKING_LOOKUP_RATE; counters in the Django cache (Redis when REDIS_URL is set)."""

from __future__ import annotations

import socket

import pytest
from django.core.cache.backends.redis import RedisCache
from django.test import Client

from layanan.cases.models import Case
from layanan.cases.numbering import format_public_code
from layanan.core import ratelimit

from .test_open311 import BASE, KESRA, file, spec_error

pytestmark = pytest.mark.django_db
REDIS_URL = "redis://127.0.0.1:6379/11"


def _filed(client, key) -> tuple[str, str]:
    """(Open311 id, tracking code) of a new complaint."""
    body = file(client, key).json()[0]
    return body["service_request_id"], body["tracking_code"]


def _mixed_lookups(client, request_id: str, code: str) -> list[int]:
    """One lookup on each path, in turn."""
    return [
        client.get(f"/lacak/{code}/").status_code,
        client.get(f"/api/v1/track/{code}").status_code,
        client.get(f"{BASE}/requests/{request_id}.json").status_code,
        client.get(f"{BASE}/tokens/{request_id}.json").status_code,
    ]


def test_lookups_on_the_page_the_api_and_open311_share_one_budget(client, kesra_key, settings):
    """Four lookups spread over the page, the API and Open311 use up a budget of four: the
    fifth is refused on every path, each in its own format, with Retry-After; another address
    is unaffected."""
    request_id, code = _filed(client, kesra_key)
    settings.TRACKING_LOOKUP_RATE = (4, 600)
    assert _mixed_lookups(client, request_id, code) == [200, 200, 200, 200]
    page = client.get(f"/lacak/{code}/")
    assert page.status_code == 429 and int(page["Retry-After"]) > 0
    api = client.get(f"/api/v1/track/{code}")
    assert api.status_code == 429 and api.json()["code"] == "throttled"
    assert int(api["Retry-After"]) > 0
    response = client.get(f"{BASE}/requests/{request_id}.xml")
    spec_error(response, 429)
    assert int(response["Retry-After"]) > 0
    spec_error(client.get(f"{BASE}/tokens/{request_id}.json"), 429, "json")
    other = Client(REMOTE_ADDR="203.0.113.50")
    assert _mixed_lookups(other, request_id, code) == [200, 200, 200, 200]


def test_each_id_of_a_list_counts_as_one_lookup(client, kesra_key, settings):
    """requests?service_request_id=a,b,c costs three lookups: a list cannot ask 100 ids for
    the price of one. Past the budget the list is refused; the list by date, which looks no
    case up by id, is not a lookup."""
    ids = [_filed(client, kesra_key)[0] for _ in range(3)]
    settings.TRACKING_LOOKUP_RATE = (4, 600)
    listed = client.get(f"{BASE}/requests.json", {**KESRA, "service_request_id": ",".join(ids)})
    assert len(listed.json()) == 3
    assert client.get(f"{BASE}/requests/{ids[0]}.json").status_code == 200  # the fourth
    again = client.get(f"{BASE}/requests.json", {**KESRA, "service_request_id": ids[0]})
    spec_error(again, 429, "json")
    assert client.get(f"{BASE}/requests.json", KESRA).status_code == 200


def test_a_list_of_many_ids_is_refused_when_it_exceeds_the_budget(client, kesra_key, settings):
    """Asking more ids at once than the budget holds is refused outright (429), unknown ids
    included: guessing in bulk gets no answer at all."""
    settings.TRACKING_LOOKUP_RATE = (10, 600)
    request_id, _code = _filed(client, kesra_key)
    guesses = [f"KESRA-ADU-2026-{n:06d}" for n in range(100, 111)]
    response = client.get(
        f"{BASE}/requests.json", {**KESRA, "service_request_id": ",".join([request_id, *guesses])}
    )
    spec_error(response, 429, "json")


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _redis_up(), reason="needs Redis on 127.0.0.1:6379")
def test_the_budget_is_shared_through_redis(client, kesra_key, settings, monkeypatch):
    """With the cache in Redis, lookups counted by two processes (two cache clients) on
    different paths add up to one budget."""
    request_id, code = _filed(client, kesra_key)
    settings.TRACKING_LOOKUP_RATE = (3, 600)
    worker_a, worker_b = RedisCache(REDIS_URL, {}), RedisCache(REDIS_URL, {})
    worker_a.clear()
    try:
        answers = []
        for worker, path in (
            (worker_a, f"/lacak/{code}/"),
            (worker_b, f"/api/v1/track/{code}"),
            (worker_a, f"{BASE}/requests/{request_id}.json"),
            (worker_b, f"/lacak/{code}/"),
        ):
            monkeypatch.setattr(ratelimit, "cache", worker)
            answers.append(client.get(path).status_code)
        assert answers == [200, 200, 200, 429]
    finally:
        worker_a.clear()


def test_the_case_is_still_found_after_the_window(client, kesra_key, settings, monkeypatch):
    """The budget is a window: once it ends the same address may look up again."""
    request_id, code = _filed(client, kesra_key)
    settings.TRACKING_LOOKUP_RATE = (1, 600)
    clock = [1_000_000.0]
    monkeypatch.setattr(ratelimit.time, "time", lambda: clock[0])
    assert client.get(f"{BASE}/requests/{request_id}.json").status_code == 200
    assert client.get(f"/lacak/{code}/").status_code == 429
    clock[0] += 600
    assert client.get(f"/lacak/{code}/").status_code == 200
    assert Case.objects.get().public_code == code.replace("-", "")
    assert format_public_code(Case.objects.get().public_code) == code
