"""The knowledge base in headless Chromium: an owner adds an article and tests a question, then a shopper
in the web chat asks it and gets the new answer; an agent account is refused the section's API."""
from __future__ import annotations

import json
from pathlib import Path

import aiohttp
import pytest
from playwright.async_api import expect

from adapters.inbox import StaffInbox
from adapters.inbox.accounts import register as register_accounts
from adapters.inbox.auth import AGENT, OWNER
from adapters.inbox.reports import ReportsSection
from adapters.web import WebChannel
from tests.hosting import serving
from tests.staff.browser import console_page, log_in
from tests.staff.test_inbox_browser import next_reply
from tests.staff.test_kb import AGENT_PASSWORD, OWNER_PASSWORD, kb_section
from tests.test_web_widget_browser import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"needs Chromium at {CHROMIUM} (apt-get install chromium)"),
]

SCREENSHOT = Path(__file__).parents[2] / "docs" / "img" / "console-kb.png"


async def test_an_owner_adds_an_article_and_the_web_chat_answers_with_it(assistant, hub):
    accounts = register_accounts(assistant.store)
    accounts.add("Li", OWNER, OWNER_PASSWORD)
    accounts.add("Wang", AGENT, AGENT_PASSWORD)
    web = WebChannel(assistant)
    hub.channels["web"] = web
    inbox = StaffInbox(hub, None, [kb_section(assistant)], accounts=accounts)
    async with serving(web, store=assistant.store, routes=inbox.routes()) as host:
        async with console_page(host.url + "staff#kb") as page:
            await log_in(page, "Li", OWNER_PASSWORD)
            await page.click("nav button[data-section=kb]")
            await page.fill("#kb-en-title", "Do you ship to Mars?")
            await page.fill("#kb-en-body", "Yes: Mars parcels take 300 days by rocket.")
            await page.fill("#kb-zh-title", "可以寄到火星吗？")
            await page.fill("#kb-zh-body", "可以：火星包裹坐火箭要300天。")
            await page.click("#kb-form button[type=submit]")
            await expect(page.locator("#kb-saved")).to_contain_text("the bot answers with it now")
            await expect(page.locator("#kb-articles")).to_contain_text("Do you ship to Mars?")
            await page.fill("#kb-question", "do you ship to mars")
            await page.click("#kb-test button[type=submit]")
            await expect(page.locator("#kb-answer")).to_contain_text("300 days by rocket")
            await expect(page.locator("#kb-hits li").first).to_contain_text("score")
            await page.screenshot(path=str(SCREENSHOT), full_page=True)

        async with aiohttp.ClientSession() as session, session.ws_connect(host.url + "ws") as shopper:
            await shopper.send_json({"type": "hello", "session": "", "lang": "en"})
            await shopper.receive()  # welcome
            await shopper.send_json({"type": "message", "text": "do you ship to mars?", "id": "m1"})
            assert "300 days" in (await next_reply(shopper))["text"]
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
            async with session.post(host.url + "staff/api/login", json={"name": "Wang", "password": AGENT_PASSWORD}) as response:
                assert response.status == 200
            async with session.get(host.url + "staff/api/kb/articles") as response:
                assert response.status == 403 and "owner" in json.loads(await response.text())["error"]
    await hub.stop()


async def test_a_question_the_report_lists_becomes_an_article_the_bot_answers_with(assistant, hub):
    """The loop the report's "write an FAQ article" link closes: a shopper's question the bot could not
    answer is listed, the link opens the editor with a new article titled with it, and once saved the
    bot answers the same question from it."""
    accounts = register_accounts(assistant.store)
    accounts.add("Li", OWNER, OWNER_PASSWORD)
    web = WebChannel(assistant)
    hub.channels["web"] = web
    inbox = StaffInbox(hub, None, [ReportsSection(assistant.store), kb_section(assistant)], accounts=accounts)
    question = "can i pay in bitcoin"
    async with serving(web, store=assistant.store, routes=inbox.routes()) as host, \
            aiohttp.ClientSession() as session, session.ws_connect(host.url + "ws") as shopper:
        await shopper.send_json({"type": "hello", "session": "", "lang": "en"})
        await shopper.receive()  # welcome
        await shopper.send_json({"type": "message", "text": "Can I pay in Bitcoin?", "id": "q1"})
        assert "bitcoin" not in (await next_reply(shopper))["text"].lower()
        async with console_page(host.url + "staff#reports") as page:
            await log_in(page, "Li", OWNER_PASSWORD)
            row = page.locator(f'#report-rows tr[data-metric="unanswered.{question}"]')
            await expect(row.locator("td.value")).to_have_text("1")
            await row.locator("a.faq-link").click()
            await expect(page.locator("#kb-en-title")).to_have_value(question)
            await expect(page.locator("#kb-question")).to_have_value(question)
            await expect(page.locator("#section-kb")).to_be_visible()
            await page.fill("#kb-en-body", "We take Bitcoin through our payment partner at checkout.")
            await page.fill("#kb-zh-title", "可以用比特币付款吗？")
            await page.fill("#kb-zh-body", "可以：结账时通过支付合作方用比特币付款。")
            await page.click("#kb-form button[type=submit]")
            await expect(page.locator("#kb-saved")).to_contain_text("the bot answers with it now")
        await shopper.send_json({"type": "message", "text": "Can I pay in Bitcoin?", "id": "q2"})
        assert "payment partner" in (await next_reply(shopper))["text"]
    await hub.stop()
