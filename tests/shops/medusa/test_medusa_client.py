"""How Medusa's answers (and silences) become the shop port's errors, on a stand-in HTTP server: a read
that fails is unavailable; a change that got no answer is uncertain; a 4xx is refused with Medusa's
message; a 5xx or a refused connection is unavailable; an expired admin JWT is renewed once."""
from __future__ import annotations

import asyncio

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from adapters.shops.medusa.client import MedusaAuth, MedusaClient
from core.shop.port import ShopRefused, ShopUnavailable, ShopUncertain
from tests.pg import free_port

# Opens no store: the same on every engine (skipped under --db-engine postgresql, tests/conftest.py).
pytestmark = pytest.mark.no_store


@pytest.fixture
async def server():
    """A stand-in Medusa; ``logins`` counts sign-ins."""
    state = {"logins": 0}

    async def login(request: web.Request) -> web.Response:
        state["logins"] += 1
        body = await request.json()
        if body.get("password") != "right":
            return web.json_response({"type": "unauthorized", "message": "Invalid email or password"}, status=401)
        return web.json_response({"token": f"jwt-{state['logins']}"})

    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(2)
        return web.json_response({})

    async def refused(request: web.Request) -> web.Response:
        return web.json_response({"type": "not_allowed", "message": "Order with fulfillments cannot be canceled"},
                                 status=400)

    async def broken(request: web.Request) -> web.Response:
        return web.json_response({"message": "An unknown error occurred."}, status=500)

    async def expiring(request: web.Request) -> web.Response:
        if request.headers.get("Authorization") == "Bearer jwt-1":
            return web.json_response({"message": "Unauthorized"}, status=401)
        return web.json_response({"ok": request.headers["Authorization"]})

    app = web.Application()
    app.add_routes([web.post("/auth/user/emailpass", login), web.route("*", "/slow", slow),
                    web.post("/refused", refused), web.route("*", "/broken", broken),
                    web.get("/expiring", expiring)])
    test_server = TestServer(app, host="127.0.0.1")
    await test_server.start_server()
    yield str(test_server.make_url("")).rstrip("/"), state
    await test_server.close()


@pytest.fixture
async def client(server):
    medusa = MedusaClient(server[0], MedusaAuth(email="admin@example.com", password="right"), timeout_s=0.5)
    await medusa.open()
    yield medusa
    await medusa.close()


async def test_a_change_that_got_no_answer_is_uncertain_and_a_read_unavailable(client):
    with pytest.raises(ShopUncertain):
        await client.post("/slow", {})
    with pytest.raises(ShopUnavailable):
        await client.get("/slow")


async def test_a_4xx_is_refused_with_medusas_message(client):
    with pytest.raises(ShopRefused, match="400: Order with fulfillments cannot be canceled"):
        await client.post("/refused", {})


async def test_a_5xx_is_unavailable(client):
    with pytest.raises(ShopUnavailable, match="500"):
        await client.post("/broken", {})


async def test_a_refused_connection_is_unavailable_even_for_a_change():
    medusa = MedusaClient(f"http://127.0.0.1:{free_port()}", MedusaAuth(api_key="sk_test"), timeout_s=0.5)
    await medusa.open()
    try:
        with pytest.raises(ShopUnavailable, match="cannot reach Medusa"):
            await medusa.post("/admin/orders/order_1/cancel", {})
        with pytest.raises(ShopUnavailable, match="cannot reach Medusa"):
            await medusa.healthy()
    finally:
        await medusa.close()


async def test_an_expired_jwt_is_renewed_once(client, server):
    assert await client.get("/expiring") == {"ok": "Bearer jwt-2"}
    assert server[1]["logins"] == 2


async def test_a_wrong_password_is_refused_naming_the_settings(server):
    medusa = MedusaClient(server[0], MedusaAuth(email="admin@example.com", password="wrong"), timeout_s=0.5)
    await medusa.open()
    try:
        with pytest.raises(ShopRefused, match="MEDUSA_ADMIN_EMAIL / MEDUSA_ADMIN_PASSWORD"):
            await medusa.login()
    finally:
        await medusa.close()


async def test_a_secret_api_key_is_sent_as_http_basic(server):
    medusa = MedusaClient(server[0], MedusaAuth(api_key="sk_abc"), timeout_s=0.5)
    await medusa.open()
    try:
        assert await medusa.get("/expiring") == {"ok": "Basic c2tfYWJjOg=="}  # base64("sk_abc:")
    finally:
        await medusa.close()


async def test_a_large_answer_is_read_whole():
    """A page of orders is many network chunks: all of them are read, not just the first."""
    rows = [{"id": f"order_{n}", "note": "x" * 500} for n in range(2000)]

    async def big(request: web.Request) -> web.Response:
        return web.json_response({"orders": rows})

    app = web.Application()
    app.add_routes([web.get("/big", big)])
    test_server = TestServer(app, host="127.0.0.1")
    await test_server.start_server()
    medusa = MedusaClient(str(test_server.make_url("")).rstrip("/"), MedusaAuth(api_key="sk_abc"), timeout_s=5)
    await medusa.open()
    try:
        assert (await medusa.get("/big"))["orders"] == rows
    finally:
        await medusa.close()
        await test_server.close()
