"""The shop's coupon endpoint on the web server: key required, bad input 4xx, single use."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from aiohttp.test_utils import TestClient, TestServer
from promo_helpers import start

from adapters.http import HttpHost
from adapters.shop_api import CouponAPI
from adapters.web import WebChannel
from bot.channels import host_routes
from bot.cli import build_parser
from bot.commands import coupon
from core.promotions.coupons import Coupons
from core.store import Store

# Under --db-engine postgresql the stores on file paths here are PostgreSQL databases too (tests/conftest.py).
pytestmark = pytest.mark.file_stores

KEY = "shop-secret-key"


@pytest.fixture
async def client(shop: Store, planner, assistant):
    planner.plan(start(shop), datetime.now(UTC))
    host = HttpHost("127.0.0.1", 0)
    host.register([*host_routes(shop), WebChannel(assistant), CouponAPI(shop, Coupons(shop.db), KEY)])
    async with TestClient(TestServer(host.build_app())) as client:
        yield client


def _alice_code(shop: Store) -> str:
    alice = shop.customers.by_external_id("C1")["id"]
    return next(shop.db["coupons"].rows_where("customer_id = ?", [alice]))["code"]


async def test_redeem_once_with_the_key(client: TestClient, shop: Store) -> None:
    code, headers = _alice_code(shop), {"X-Kefu-Key": KEY}
    check = await client.post("/api/coupons/check", json={"code": code, "total": "250.00", "customer": "C1"},
                              headers=headers)
    assert check.status == 200 and (await check.json())["discount_cents"] == 2500
    body = {"code": code, "total": "250.00", "order_id": "#W77", "customer": "C1"}
    first = await client.post("/api/coupons/redeem", json=body, headers=headers)
    assert first.status == 200 and (await first.json()) == {"ok": True, "code": code, "discount_cents": 2500}
    retry = await client.post("/api/coupons/redeem", json=body, headers=headers)
    assert retry.status == 200  # the same order again: same answer
    other = await client.post("/api/coupons/redeem", json={**body, "order_id": "#W78"}, headers=headers)
    assert other.status == 409 and (await other.json())["reason"] == "used"
    assert shop.audit.entries(f"coupon:{code}")[0]["details"]["order_id"] == "#W77"


async def test_refusals_and_bad_requests(client: TestClient, shop: Store) -> None:
    code, headers = _alice_code(shop), {"X-Kefu-Key": KEY}
    post = client.post
    assert (await post("/api/coupons/check", json={"code": code, "total": "250"})).status == 401
    assert (await post("/api/coupons/check", json={"code": code, "total": "250"},
                       headers={"X-Kefu-Key": "wrong"})).status == 401
    assert (await post("/api/coupons/check", data=b"{not json", headers=headers)).status == 400
    assert (await post("/api/coupons/check", json=["a"], headers=headers)).status == 400
    assert (await post("/api/coupons/check", json={"code": code}, headers=headers)).status == 400
    assert (await post("/api/coupons/check", json={"code": code, "total": "lots"}, headers=headers)).status == 400
    assert (await post("/api/coupons/check", json={"code": 5, "total": "1"}, headers=headers)).status == 400
    assert (await post("/api/coupons/redeem", json={"code": code, "total": "250"}, headers=headers)).status == 400
    assert (await post("/api/coupons/check", json={"code": code, "total": "250", "customer": "nobody"},
                       headers=headers)).status == 400
    unknown = await post("/api/coupons/check", json={"code": "KF-AAAA-AAAA-AAAA-AAAA", "total": "9"}, headers=headers)
    assert unknown.status == 404
    small = await post("/api/coupons/check", json={"code": code, "total": "20", "customer": "C1"}, headers=headers)
    assert small.status == 409 and (await small.json())["reason"] == "min_spend"
    wrong = await post("/api/coupons/redeem", json={"code": code, "total": "250", "order_id": "#1", "customer": "C2"},
                       headers=headers)
    assert wrong.status == 409 and (await wrong.json())["reason"] == "wrong_customer"
    assert shop.db["redemptions"].count == 0


async def test_a_bound_coupon_without_customer_is_a_400_naming_the_field(client: TestClient, shop: Store) -> None:
    """Omitting ``customer`` does not mean "anyone": Alice's coupon is refused, and not redeemed."""
    code, headers = _alice_code(shop), {"X-Kefu-Key": KEY}
    for path, body in (("/api/coupons/check", {"code": code, "total": "250"}),
                       ("/api/coupons/redeem", {"code": code, "total": "250", "order_id": "#W1"}),
                       ("/api/coupons/redeem", {"code": code, "total": "250", "order_id": "#W1", "customer": ""})):
        response = await client.post(path, json=body, headers=headers)
        answer = await response.json()
        assert response.status == 400 and answer["reason"] == "customer_required", (path, body)
        assert "customer" in answer["error"]
    assert shop.db["redemptions"].count == 0


def test_kefu_coupon_without_customer_says_to_give_one(tmp_path, settings, capsys) -> None:
    """The till's ``kefu coupon redeem`` refuses a bound coupon without ``--customer``, and says so."""
    settings = settings.model_copy(update={"kefu_db_path": tmp_path / "kefu.db"})
    store = Store(settings.kefu_db_path)
    alice = store.customers.upsert({"external_id": "C1", "name": "Alice", "language": "en"})
    store.db["coupons"].insert({"code": "KF-AAAA-BBBB-CCCC-DDDD", "kind": "amount", "value": 500,
                                "min_spend_cents": 0, "expires_at": "2999-01-01T00:00:00+00:00",
                                "customer_id": alice, "single_use": 1, "created_at": "2026-11-01T00:00:00+00:00"})
    store.close()
    args = build_parser().parse_args(["coupon", "redeem", "KF-AAAA-BBBB-CCCC-DDDD", "--total", "20", "--order", "#1",
                                      "--yes"])
    assert coupon.run(args, settings) == 1
    assert "--customer" in capsys.readouterr().err
    args = build_parser().parse_args(["coupon", "redeem", "KF-AAAA-BBBB-CCCC-DDDD", "--total", "20", "--order", "#1",
                                      "--customer", "C1", "--yes"])
    assert coupon.run(args, settings) == 0
