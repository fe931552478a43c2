"""The chat widget in headless Chromium, against a real web channel (the shop from conftest).

Uses the system Chromium (never a Playwright browser download). Set KEFU_SCREENSHOT to a
path to keep a screenshot of the conversation."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from playwright.async_api import async_playwright, expect

from adapters.http import HttpHost

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TIMEOUT_MS = 15_000
PLACEHOLDER_SRC = re.compile(r"^data:image/svg\+xml")
"""The widget's neutral placeholder image (an inline SVG), shown when a product image fails."""

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"needs Chromium at {CHROMIUM} (apt-get install chromium)"),
]


@pytest.fixture
async def page(host: HttpHost):
    """A fresh browser page (empty localStorage) on the demo shop."""
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = await browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
        page = await context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        await page.goto(host.url)
        yield page
        await browser.close()
        assert not errors, errors


async def send(page, text: str) -> None:
    """Type into the widget and press Enter, as a shopper would."""
    await page.locator(".kefu-input").fill(text)
    await page.locator(".kefu-input").press("Enter")


async def test_a_shopper_searches_opens_details_and_switches_language(page):
    await expect(page.locator(".kefu-status")).to_have_text("在线 · 通常几秒内回复")
    await send(page, "我想买一件红色的连衣裙")
    await expect(page.locator(".kefu-msg--me").last).to_have_text("我想买一件红色的连衣裙")
    card = page.locator(".kefu-card").first
    await expect(card.locator(".kefu-card__title")).to_have_text("法式红色碎花连衣裙")
    await expect(card.locator(".kefu-card__price")).to_contain_text("¥")
    # the example.invalid image cannot load: the neutral placeholder replaces it
    await expect(card.locator("img")).to_have_attribute("src", PLACEHOLDER_SRC)

    bot_messages = page.locator(".kefu-msg--bot:not(.kefu-typing)")
    before = await bot_messages.count()
    await card.get_by_role("button", name="详情").click()
    await expect(page.locator(".kefu-msg--me").last).to_have_text("详情")
    await expect(bot_messages).to_have_count(before + 1)
    await expect(bot_messages.last).to_contain_text("法式红色碎花连衣裙")

    await send(page, "hi")
    await expect(bot_messages).to_have_count(before + 2)
    await expect(bot_messages.last).to_contain_text("Hi")
    await expect(page.locator(".kefu-typing")).to_have_count(0)

    if os.environ.get("KEFU_SCREENSHOT"):
        await page.screenshot(path=os.environ["KEFU_SCREENSHOT"])


async def test_reloading_keeps_the_session_and_the_conversation(page, channel):
    await send(page, "你好")
    await expect(page.locator(".kefu-msg--bot")).to_have_count(1)
    session = await page.evaluate("JSON.parse(localStorage.getItem('kefu.session'))")
    await page.reload()
    await expect(page.locator(".kefu-msg--me")).to_have_text(["你好"])
    await send(page, "hi")
    await expect(page.locator(".kefu-msg--bot")).to_have_count(2)
    transcript = channel.assistant.store.conversations.transcript(f"web:{session}")
    assert [m["text"] for m in transcript if m["direction"] == "in"] == ["你好", "hi"]


async def test_shopper_text_is_never_interpreted_as_html(page):
    await send(page, "<img src=x onerror=\"document.title='pwned'\"><b>bold</b>")
    await expect(page.locator(".kefu-msg--me").last).to_contain_text("<b>bold</b>")
    await expect(page.locator(".kefu-msg--bot")).to_have_count(1)
    assert await page.locator(".kefu-log b, .kefu-log img:not(.kefu-card__img)").count() == 0
    assert await page.title() != "pwned"



async def test_the_export_downloads_once_from_the_chat_and_deleting_forgets_the_conversation(page, channel):
    await send(page, "导出我的数据")
    download_button = page.locator(".kefu-download")
    await expect(download_button).to_have_text("下载我的数据")
    async with page.expect_download() as pending:
        await download_button.click()
    download = await pending.value
    assert re.fullmatch(r"kefu-my-data-\d{8}\.json", download.suggested_filename)
    session = await page.evaluate("JSON.parse(localStorage.getItem('kefu.session'))")
    data = json.loads(Path(await download.path()).read_text(encoding="utf-8"))
    assert data["identities"][0]["user_id"] == session
    await download_button.click()  # a second time: the link is used up, the chat says so
    await expect(page.locator(".kefu-note")).to_contain_text("已经用过")

    await send(page, "删除我的数据")
    await expect(page.locator(".kefu-chip", has_text="是，删除")).to_be_visible()
    await send(page, "确认删除")
    await expect(page.locator(".kefu-msg--bot")).to_have_text(["您的个人数据已删除，包括这段聊天记录。如需帮助，随时给我们发消息。"])
    await expect(page.locator(".kefu-msg--me")).to_have_count(0)
    new_session = await page.evaluate("JSON.parse(localStorage.getItem('kefu.session'))")
    assert new_session != session and channel.assistant.store.conversations.get(f"web:{session}") is None
    await page.reload()  # the stored history is gone too
    await expect(page.locator(".kefu-msg--bot")).to_have_count(1)
    await expect(page.locator(".kefu-msg--me")).to_have_count(0)


@pytest.mark.parametrize("code", [1001, 1012])  # going away; service restart (a draining worker, docs/SCALING.md)
async def test_a_message_whose_reply_was_lost_with_the_connection_is_resent_and_answered_once(page, channel, code):
    """The connection drops after the server got a message and before its reply reached the page:
    the widget reconnects, resends the message with the same id, and shows the saved reply once."""
    lost = {"replies": 0}

    async def route(ws) -> None:
        server = ws.connect_to_server()

        async def to_page(message: str) -> None:
            if json.loads(message)["type"] == "reply" and not lost["replies"]:
                lost["replies"] += 1
                await ws.close(code=code)  # the reply goes down with the connection
                return
            ws.send(message)

        server.on_message(to_page)

    await page.route_web_socket(re.compile(r"/ws$"), route)
    await page.reload()  # connect again, through the route
    await send(page, "你好")
    await expect(page.locator(".kefu-msg--bot")).to_have_count(1)
    assert lost["replies"] == 1
    await page.wait_for_timeout(500)
    await expect(page.locator(".kefu-msg--bot")).to_have_count(1)  # shown once
    session = await page.evaluate("JSON.parse(localStorage.getItem('kefu.session'))")
    transcript = channel.assistant.store.conversations.transcript(f"web:{session}")
    assert [m["text"] for m in transcript if m["direction"] == "in"] == ["你好"]  # handled once
    assert len([m for m in transcript if m["direction"] == "out"]) == 1


async def test_a_streamed_reply_grows_in_one_bubble_and_the_whole_reply_replaces_it(page, channel):
    from tests.fakes.streaming_llm import StreamingBackend, streaming_generator

    text = "You're so welcome! It was a pleasure to help. Anything else I can help with?"
    channel.assistant.components.generator = streaming_generator(StreamingBackend(text, pause_s=0.1))
    await send(page, "thank you so much!")
    bubble = page.locator(".kefu-group[data-stream] .kefu-msg--bot")
    await expect(bubble).to_have_text("You're so welcome!")  # the first sentence, while the rest is written
    await expect(page.locator(".kefu-msg--bot:not(.kefu-typing)")).to_have_text([text])  # one bubble, final
    await expect(page.locator(".kefu-group[data-stream]")).to_have_count(0)  # replaced by the whole reply
