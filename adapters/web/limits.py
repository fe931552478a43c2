"""How many new web chat conversations may start per minute: per client address and overall.

A web session costs a client nothing (a hello is enough), and its first message writes a customer,
a conversation and a transcript: without a limit, a script could fill the disk with empty chats.
Messages inside a conversation are limited by the core (:mod:`core.ratelimit`); this limits how
many conversations there are. IPv6 addresses count per /64, the block one home or phone usually
gets, so a host cannot step around its limit by changing the low bits."""
from __future__ import annotations

import ipaddress
import logging
from collections.abc import Callable

from core.ratelimit import Limits, MemoryLimits

log = logging.getLogger(__name__)

WINDOW_S = 60.0
_IPV6_BLOCK = 64


class NewConversationLimit:
    """At most ``per_address`` new conversations a minute from one address, and ``overall`` from all
    addresses together (0: that limit is off). The address's limit is asked first, so one address
    refused for going over its own limit does not use up everyone's. ``limits``: in memory (one
    worker) or in the store (every worker's conversations counted together)."""

    def __init__(self, per_address: int, overall: int, clock: Callable[[], float] | None = None,
                 limits: Limits | None = None) -> None:
        limits = limits or MemoryLimits()
        self._per_address = limits.window("web:new-per-address", per_address, WINDOW_S, clock) if per_address else None
        self._overall = limits.window("web:new-overall", overall, WINDOW_S, clock) if overall else None

    def allow(self, address: str) -> bool:
        """Record one new conversation from ``address``; False when it is over a limit (then it is
        not counted against the overall limit)."""
        if self._per_address is not None and not self._per_address.allow(address_key(address)):
            log.warning("new web chat refused: over %d a minute from one address", self._per_address.limit)
            return False
        if self._overall is not None and not self._overall.allow(""):
            log.warning("new web chat refused: over %d a minute overall", self._overall.limit)
            return False
        return True


def address_key(address: str) -> str:
    """What one client's count is kept under: an IPv4 address, the /64 of an IPv6 one (an IPv4-mapped
    IPv6 address as IPv4), anything unparsable as itself."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, _IPV6_BLOCK), strict=False))
    return str(ip)
