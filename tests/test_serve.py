"""``kefu run`` end to end: a real server process, a real websocket, a clean shut-down (SIGTERM drains:
an open socket is closed with 1012, service restart)."""
from __future__ import annotations

import re
import signal

import aiohttp
import pytest

from tests.helpers import start_kefu


@pytest.fixture
def server(tmp_path, request):
    engine = {}
    if request.config.getoption("--db-engine") == "postgresql":  # the server's store on PostgreSQL too
        engine["KEFU_DATABASE_URL"] = request.getfixturevalue("postgres_databases").new()
    process = start_kefu(tmp_path, "run", KEFU_PORT="0", **engine)
    line = process.stdout.readline()
    match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    assert match, (line, process.stderr.read() if process.poll() is not None else "")
    yield process, f"http://127.0.0.1:{match.group(1)}"
    if process.poll() is None:
        process.kill()
        process.wait()
    assert (tmp_path / "kefu.db").exists() != bool(engine)


async def _exchange(ws, frame):
    await ws.send_json(frame)
    frames = []
    while True:
        reply = await ws.receive_json(timeout=30)
        frames.append(reply)
        if reply["type"] in ("reply", "error"):
            return frames


async def test_web_chat_over_a_real_websocket_then_clean_shutdown(server):
    process, base = server
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{base}/healthz") as response:
            health = await response.json()
            assert response.status == 200 and health["status"] == "ok" and health["products"] >= 80
        async with http.get(f"{base}/") as page:
            assert page.status == 200 and "<script" in await page.text()
        async with http.ws_connect(f"{base}/ws") as ws:
            await ws.send_json({"type": "hello", "session": "", "lang": "en"})
            welcome = await ws.receive_json(timeout=10)
            assert welcome["type"] == "welcome" and welcome["session"]
            typing, reply = await _exchange(ws, {"type": "message", "text": "你好", "id": "1"})
            assert typing == {"type": "typing"} and reply["language"] == "zh"
            *_, dresses = await _exchange(ws, {"type": "message", "text": "我想买一件红色的连衣裙", "id": "2"})
            assert dresses["cards"] and all(c["price"].startswith("¥") for c in dresses["cards"])
            card = dresses["cards"][0]
            *_, details = await _exchange(ws, {"type": "button", "payload": card["buttons"][0]["payload"],
                                               "label": card["buttons"][0]["label"], "id": "3"})
            assert card["title"] in details["text"]
        async with http.ws_connect(f"{base}/ws") as ws:  # open while the server stops: drained, 1012
            await ws.send_json({"type": "hello", "session": welcome["session"], "lang": "en"})
            assert (await ws.receive_json(timeout=10))["type"] == "welcome"
            process.send_signal(signal.SIGTERM)
            closing = await ws.receive(timeout=15)
            assert closing.type == aiohttp.WSMsgType.CLOSE and closing.data == aiohttp.WSCloseCode.SERVICE_RESTART
    assert process.wait(timeout=20) == 0
