"""The shopper's address as the web server sees it, for limits per source (in-chat identity checks).

Behind a reverse proxy every connection comes from the proxy, so the address is read from the
``X-Forwarded-For`` header, but only on connections from a proxy named in ``KEFU_TRUSTED_PROXIES``:
anyone else could write any address there."""
from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from aiohttp import web

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def client_address(request: web.Request, proxies: Sequence[Network] = ()) -> str | None:
    """The connection's address; on a connection from a trusted proxy, the last ``X-Forwarded-For``
    entry that is not itself a trusted proxy (the one the proxies saw; entries before it are the
    client's own words). The proxy's address when the header holds nothing usable."""
    peer = request.remote
    if not _within(peer, proxies):
        return peer
    hops = [hop.strip() for header in request.headers.getall("X-Forwarded-For", []) for hop in header.split(",")]
    for hop in reversed(hops):
        if not _within(hop, proxies):
            address = _address(hop)
            return str(address) if address is not None else peer
    return peer


def _within(value: str | None, networks: Sequence[Network]) -> bool:
    address = _address(value)
    return address is not None and any(address in network for network in networks)


def _address(value: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value or "")
    except ValueError:
        return None
