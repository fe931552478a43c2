"""The limit on new web chat conversations: per address (IPv6 per /64), overall, a sliding minute."""
from __future__ import annotations

import pytest

from adapters.web.limits import WINDOW_S, NewConversationLimit, address_key


class Clock:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize("address, key", [
    ("203.0.113.7", "203.0.113.7"),
    ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
    ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
    ("::ffff:203.0.113.7", "203.0.113.7"),
    ("", ""),
])
def test_an_address_counts_as_itself_and_an_ipv6_host_as_its_slash_64(address: str, key: str) -> None:
    assert address_key(address) == key


def test_one_address_is_limited_per_minute_and_others_are_not() -> None:
    clock = Clock()
    limit = NewConversationLimit(per_address=2, overall=0, clock=clock)
    assert [limit.allow("2001:db8::1"), limit.allow("2001:db8::2"), limit.allow("2001:db8::3")] == [True, True, False]
    assert limit.allow("203.0.113.7")
    clock.now += WINDOW_S
    assert limit.allow("2001:db8::4")


def test_the_overall_limit_is_not_used_up_by_an_address_refused_for_its_own() -> None:
    limit = NewConversationLimit(per_address=1, overall=3, clock=Clock())
    assert limit.allow("198.51.100.1")
    assert not any(limit.allow("198.51.100.1") for _ in range(10))
    assert [limit.allow("198.51.100.2"), limit.allow("198.51.100.3"), limit.allow("198.51.100.4")] == [True, True, False]


def test_zero_turns_a_limit_off() -> None:
    limit = NewConversationLimit(per_address=0, overall=0, clock=Clock())
    assert all(limit.allow("198.51.100.1") for _ in range(1000))
