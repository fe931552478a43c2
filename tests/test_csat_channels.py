"""CSAT on the web chat (buttons in the widget's websocket frames) and WeChat (menu text through the signed
webhook; a typed number or a tapped option); Telegram's inline keyboard is in tests/telegram/test_telegram_csat.py."""
from __future__ import annotations

import aiohttp
import pytest

from tests.test_wechat_channel import Shop, fake, passive, shop_store  # noqa: F401 (fixtures)
from tests.test_web_channel import connect, exchange, say

SCORES = [f"/csat {n}" for n in range(1, 6)]


@pytest.fixture
async def http():
    async with aiohttp.ClientSession() as session:
        yield session


async def test_the_widget_gets_the_question_as_buttons_and_a_press_is_stored(http, store, host):
    ws, session = await connect(http, host, lang="en")
    store.customers.link_identity("web", session, 1)  # Alice, signed in on the shop's site
    order = await exchange(ws, say("where is my order W1000001", "1"))
    assert "W1000001" in order["text"]
    thanks = await exchange(ws, say("thanks, bye", "2"))
    question = await ws.receive_json(timeout=5)  # the turn's second reply
    assert thanks["buttons"] == [] and question["type"] == "reply"
    assert question["text"].startswith("How did we do?") and [b["payload"] for b in question["buttons"]] == SCORES
    rated = await exchange(ws, {"type": "button", "payload": "/csat 5", "label": "5 ★", "id": "3"})
    assert "5/5" in rated["text"] and [b["payload"] for b in rated["buttons"]] == ["/csat skip"]
    await exchange(ws, say("super fast, thanks", "4"))
    [row] = store.csat.of_conversations([f"web:{session}"])
    assert (row["channel"], row["score"], row["comment"], row["customer_id"]) == ("web", 5, "super fast, thanks", 1)
    await ws.close()


async def test_wechat_asks_with_menu_text_and_a_typed_or_tapped_number_is_stored(fake, shop_store):  # noqa: F811
    shop_store.customers.link_identity("wechat", "o_alice", 1)
    async with Shop(shop_store, fake) as shop:
        status, body = await shop.push(shop.message("text", Content="我的订单 W1000001 到哪了"))
        assert status == 200 and "W1000001" in passive(body)["Content"]
        status, body = await shop.push(shop.message("text", Content="谢谢"))
        assert status == 200 and passive(body)["MsgType"] == "text"  # the thanks, passively
        text, menu = await fake.wait_for(2)  # the question and its menu through the customer-service API
        assert text["text"]["content"].startswith("我们的服务您满意吗？") and "回复数字" in text["text"]["content"]
        options = {item["content"]: item["id"] for item in menu["msgmenu"]["list"]}
        assert list(options) == [f"{n} ★" for n in range(1, 6)]
        status, body = await shop.push(shop.message("text", Content="４"))  # typed, full-width
        assert "4 分" in passive(body)["Content"]
        assert shop_store.csat.score_of("wechat:o_alice") == 4
        status, body = await shop.push(shop.message("text", Content="2 ★", bizmsgmenuid=options["2 ★"]))
        assert "2 分" in passive(body)["Content"]  # a tap on the menu re-scores the same question
        [row] = shop_store.csat.of_conversations(["wechat:o_alice"])
        assert (row["channel"], row["score"], row["language"]) == ("wechat", 2, "zh")
