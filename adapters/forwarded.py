"""Who the client is and whether it came over https, for every route on Kefu's web server.

By default the client is the socket peer and https means a TLS connection to Kefu itself. Behind a
reverse proxy every request comes from the proxy, so when the peer is one of ``KEFU_TRUSTED_PROXIES``
its ``X-Forwarded-For`` and ``X-Forwarded-Proto`` are believed: the client is the right-most address
in ``X-Forwarded-For`` that is not itself a trusted proxy (the left part is whatever the client
sent), and https is what the proxy's ``X-Forwarded-Proto`` says. A request from anyone else has
those headers ignored. When ``KEFU_PUBLIC_URL`` is https, every request counts as https (the staff
cookie is ``Secure``). :class:`Forwarding` applies this once, as a middleware, so ``request.remote``
and ``request.secure`` mean the real client in every handler (docs/OPERATIONS.md)."""
from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network

from aiohttp import web
from aiohttp.typedefs import Handler

Network = IPv4Network | IPv6Network


@dataclass(frozen=True)
class Forwarding:
    """Which peers are trusted proxies, and whether the public URL is https."""

    trusted_proxies: tuple[Network, ...] = ()
    public_https: bool = False

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Hand the handler the request as the client made it (its address and scheme)."""
        return await handler(self.resolve(request))

    def resolve(self, request: web.Request) -> web.Request:
        """``request`` with ``remote`` the client's address and ``scheme`` https where it was."""
        peer = request.remote
        remote, scheme = peer, request.scheme
        if self._trusted(_address(peer)):
            remote = self._client(peer or "", request.headers.getall("X-Forwarded-For", ()))
            proto = _values(request.headers.getall("X-Forwarded-Proto", ()))
            if proto:
                scheme = "https" if proto[0].lower() == "https" else "http"
        if self.public_https:
            scheme = "https"
        if (remote, scheme) == (peer, request.scheme):
            return request
        return request.clone(remote=remote, scheme=scheme)

    def _client(self, proxy: str, forwarded_for: Iterable[str]) -> str:
        """The right-most ``X-Forwarded-For`` hop that is not a trusted proxy; a hop that is not an
        address (no proxy of ours wrote it) stops the walk at the last trusted proxy."""
        client = proxy
        for hop in reversed(_values(forwarded_for)):
            address = _address(hop)
            if address is None:
                break
            client = str(address)
            if not self._trusted(address):
                break
        return client

    def _trusted(self, address: IPv4Address | IPv6Address | None) -> bool:
        return address is not None and any(address in network for network in self.trusted_proxies)


def _values(headers: Iterable[str]) -> list[str]:
    """The comma-separated values of a header that may be repeated, in order, blanks dropped."""
    return [value.strip() for header in headers for value in header.split(",") if value.strip()]


def _address(text: str | None) -> IPv4Address | IPv6Address | None:
    """An IP address (an IPv4-mapped IPv6 one as IPv4), or None for anything else."""
    try:
        address = ipaddress.ip_address(text or "")
    except ValueError:
        return None
    if isinstance(address, IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address

