"""The two kinds of :class:`core.ratelimit.Limit` keep one contract: in memory (one worker) and in the
store (``rate_hits``, shared by the workers on a PostgreSQL database; here on the test's engine)."""
from __future__ import annotations

import pytest

from core.ratelimit import Limits, MemoryLimits
from core.store.ratelimits import StoreLimits


@pytest.fixture(params=["memory", "store"])
def limits(request, store) -> Limits:
    return MemoryLimits() if request.param == "memory" else StoreLimits(store.db)


def test_a_window_allows_its_limit_then_slides(limits):
    now = [1000.0]
    limit = limits.window("t", 3, 10.0, clock=lambda: now[0])
    assert [limit.allow("k") for _ in range(4)] == [True, True, True, False]
    assert limit.count("k") == 3 and limit.allow("other")
    now[0] += 5
    assert not limit.allow("k")  # the refused ones were not counted, the window still holds three
    now[0] += 5.01
    assert limit.count("k") == 0 and limit.allow("k")


def test_reset_forgets_a_key_and_exempt_channels_are_never_limited(limits):
    limit = limits.window("t", 1, 60.0, exempt_channels=frozenset({"cli"}))
    assert limit.allow("k") and not limit.allow("k")
    assert all(limit.allow("k", "cli") for _ in range(5))
    limit.reset("k")
    assert limit.allow("k")


def test_scopes_count_apart(limits):
    first, second = limits.window("one", 1, 60.0), limits.window("two", 1, 60.0)
    assert first.allow("k") and second.allow("k") and not first.allow("k")


def test_a_limit_needs_a_positive_limit_and_window(limits):
    with pytest.raises(ValueError):
        limits.window("t", 0, 60.0)
    with pytest.raises(ValueError):
        limits.window("t", 1, 0)


def test_the_store_prunes_expired_hits_of_every_key(store):
    now = [0.0]
    limit = StoreLimits(store.db).window("t", 1, 1.0, clock=lambda: now[0])
    for n in range(400):
        now[0] = n * 2.0
        assert limit.allow(f"k{n}")
    assert store.db.execute("select count(*) from rate_hits").fetchone()[0] < 201
