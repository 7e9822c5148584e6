"""The abuse limits' store (api/rate_counters.py) against PostgreSQL: exact
in a fresh window, the previous window weighed by its overlap, parallel
requests never past the limit, dead rows pruned, hostile client names."""

import pytest

from api import rate_counters
from api.models import RateCounter
from api.rate_counters import Clock, seconds_to_wait
from tests.factories import SiteFactory
from tests.parallel import run_in_parallel

PERIOD = 60
WINDOW_START = 1_000_000 * PERIOD  # a window edge, in epoch seconds


@pytest.fixture
def at(monkeypatch):
    """Set the clock the store reads: at(seconds into the window)."""

    def set_to(elapsed: float) -> None:
        monkeypatch.setattr(rate_counters.time, "time", lambda: WINDOW_START + elapsed)

    return set_to


def test_a_fresh_window_allows_exactly_the_count_and_does_not_count_refusals(db, at):
    at(10)

    answers = [rate_counters.take("t:a", 3, PERIOD) for _ in range(5)]

    assert answers[:3] == [0, 0, 0]
    assert answers[3] == answers[4] == 50  # when this window ends, its 3 weigh under 3
    assert RateCounter.objects.get(key="t:a").hits == 3


def test_the_previous_window_weighs_by_how_much_it_still_overlaps(db, at):
    RateCounter.objects.create(
        key="t:b", window_no=WINDOW_START // PERIOD - 1, hits=10, previous_hits=4, expires=0
    )
    at(15)  # a quarter in: 10 × 0.75 = 7.5 of the previous window still counts

    answers = [rate_counters.take("t:b", 10, PERIOD) for _ in range(4)]

    assert answers[:3] == [0, 0, 0]  # 7.5 + 0, + 1, + 2 < 10
    assert answers[3] == 3  # 7.5 + 3 ≥ 10 until the share is under 7, at 18 s
    row = RateCounter.objects.get(key="t:b")
    assert (row.window_no, row.hits, row.previous_hits) == (WINDOW_START // PERIOD, 3, 10)


def test_a_window_older_than_the_previous_one_counts_nothing(db, at):
    RateCounter.objects.create(
        key="t:c", window_no=WINDOW_START // PERIOD - 2, hits=99, previous_hits=99, expires=0
    )
    at(1)

    assert rate_counters.take("t:c", 1, PERIOD) == 0
    assert rate_counters.wait("t:c", 1, PERIOD) == 59  # then 1 × (1 − t/60) < 1


def test_wait_and_add_neither_refuse_nor_skip_counting(db, at):
    at(0)
    assert rate_counters.wait("t:d", 2, PERIOD) == 0
    for _ in range(3):
        rate_counters.add("t:d", PERIOD)  # counted even past the limit

    assert RateCounter.objects.get(key="t:d").hits == 3
    assert rate_counters.wait("t:d", 2, PERIOD) == 60 + 20  # 3 × (1 − t/60) < 2 after t = 20


def test_seconds_to_wait_at_the_window_edges():
    edge = Clock(WINDOW_START, PERIOD)
    window = edge.window

    assert seconds_to_wait(edge, 5, None) is None
    assert seconds_to_wait(edge, 5, (window, 4, 0)) is None
    assert seconds_to_wait(edge, 5, (window - 1, 5, 0)) == 0.0  # 5 × (1 − t/60) < 5 for any t > 0
    assert seconds_to_wait(edge, 5, (window - 1, 5, 3)) == 0.0
    assert seconds_to_wait(edge, 5, (window, 5, 0)) == pytest.approx(60)
    assert seconds_to_wait(edge, 4, (window, 8, 0)) == pytest.approx(60 + 30)  # 8 × (1 − t/60) < 4


def test_dead_rows_are_pruned_by_a_later_request(db, at, monkeypatch):
    RateCounter.objects.create(key="t:old", window_no=1, hits=1, previous_hits=0, expires=120)
    monkeypatch.setattr(rate_counters, "PRUNE_CHANCE", 1.0)
    at(0)

    rate_counters.take("t:new", 5, PERIOD)

    assert list(RateCounter.objects.values_list("key", flat=True)) == ["t:new"]


@pytest.mark.django_db(transaction=True)
def test_parallel_requests_on_many_connections_never_pass_the_limit():
    allowed = []

    def client():
        for _ in range(5):
            allowed.append(rate_counters.take("t:burst", 10, PERIOD) == 0)

    run_in_parallel(client, threads=8)

    assert sum(allowed) == 10
    assert RateCounter.objects.get(key="t:burst").hits == 10


@pytest.mark.parametrize("address", ["x" * 10_000, "10.0.0.1\x00; DROP TABLE", "ﬀ" * 3_000])
def test_a_hostile_client_header_is_limited_not_a_500(db, client, settings, address):
    settings.HERITAGE_THROTTLE_ENABLED = True
    settings.HERITAGE_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    settings.HERITAGE_THROTTLE_RATES = {**settings.HERITAGE_THROTTLE_RATES, "ogc_items": "1/m"}
    SiteFactory()

    first = client.get("/ogc/collections/sites/items?limit=1", HTTP_X_REAL_IP=address)
    second = client.get("/ogc/collections/sites/items?limit=1", HTTP_X_REAL_IP=address)

    assert first.status_code == 200
    assert second.status_code == 429
    assert second.json()["status"] == 429
