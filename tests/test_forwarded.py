"""Who the client is and whether it came over https (adapters/forwarded.py), as every route on the real
web server sees it: the socket peer (127.0.0.1 here) unless that peer is a trusted proxy, and then the
right-most X-Forwarded-For hop that is not a proxy itself, never one the client wrote."""
from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from ipaddress import ip_network

import aiohttp
import pytest
from aiohttp import web

from adapters.forwarded import Forwarding
from adapters.web import WebChannel
from core.assistant import Assistant
from tests.hosting import serving

LOOPBACK = (ip_network("127.0.0.1"),)
PROXIES = (ip_network("127.0.0.1"), ip_network("10.0.0.0/8"))


async def _whoami(request: web.Request) -> web.Response:
    return web.json_response({"remote": request.remote, "secure": request.secure})


@pytest.fixture
def serve(assistant: Assistant) -> Callable[[Forwarding], AsyncIterator[str]]:
    """Starts the HTTP host with the web chat and a ``/whoami`` route under the given forwarding rules;
    yields its URL."""
    @asynccontextmanager
    async def started(forwarding: Forwarding) -> AsyncIterator[str]:
        async with serving(WebChannel(assistant), store=assistant.store, forwarding=forwarding,
                           routes=[web.get("/whoami", _whoami)]) as host:
            yield host.url
    return started


async def _seen(url: str, headers: list[tuple[str, str]]) -> dict:
    async with aiohttp.ClientSession() as http, http.get(url + "whoami", headers=headers) as response:
        return await response.json()


@pytest.mark.parametrize(("forwarding", "headers", "remote", "secure"), [
    (Forwarding(), [("X-Forwarded-For", "203.0.113.7"), ("X-Forwarded-Proto", "https")], "127.0.0.1", False),
    (Forwarding(LOOPBACK), [], "127.0.0.1", False),
    (Forwarding(LOOPBACK), [("X-Forwarded-For", "203.0.113.7"), ("X-Forwarded-Proto", "https")], "203.0.113.7", True),
    (Forwarding(LOOPBACK), [("X-Forwarded-For", "6.6.6.6, 203.0.113.7")], "203.0.113.7", False),  # left: the client's
    (Forwarding(PROXIES), [("X-Forwarded-For", "6.6.6.6, 203.0.113.7, 10.1.2.3")], "203.0.113.7", False),
    (Forwarding(PROXIES), [("X-Forwarded-For", "6.6.6.6"), ("X-Forwarded-For", "203.0.113.7, 10.9.9.9")],
     "203.0.113.7", False),  # the header repeated
    (Forwarding(PROXIES), [("X-Forwarded-For", "10.0.0.5")], "10.0.0.5", False),  # a proxy asking for itself
    (Forwarding(PROXIES), [("X-Forwarded-For", "203.0.113.7, not-an-ip, 10.0.0.5")], "10.0.0.5", False),
    (Forwarding(LOOPBACK), [("X-Forwarded-For", "203.0.113.7, ")], "203.0.113.7", False),
    (Forwarding(LOOPBACK), [("X-Forwarded-For", "2001:DB8::1")], "2001:db8::1", False),
    (Forwarding(LOOPBACK), [("X-Forwarded-Proto", "HTTPS, http")], "127.0.0.1", True),  # the outermost hop
    (Forwarding(LOOPBACK), [("X-Forwarded-Proto", "http")], "127.0.0.1", False),
    (Forwarding(public_https=True), [("X-Forwarded-Proto", "http")], "127.0.0.1", True),
    (Forwarding((ip_network("10.0.0.0/8"),)), [("X-Forwarded-For", "203.0.113.7")], "127.0.0.1", False),
])
async def test_the_client_and_its_scheme(serve, forwarding, headers, remote, secure) -> None:
    async with serve(forwarding) as url:
        assert await _seen(url, headers) == {"remote": remote, "secure": secure}


async def test_the_chat_websocket_works_through_a_trusted_proxy(serve) -> None:
    async with serve(Forwarding(LOOPBACK, public_https=True)) as url, aiohttp.ClientSession() as http:
        async with http.ws_connect(url + "ws", headers={"X-Forwarded-For": "203.0.113.7"}) as ws:
            await ws.send_json({"type": "hello", "session": "", "lang": "en"})
            assert (await ws.receive_json(timeout=5))["type"] == "welcome"
