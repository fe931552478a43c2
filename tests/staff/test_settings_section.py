"""The settings section: owners read every setting Kefu started with (secrets only "set", a URL's
password hidden) with its meaning in zh and en (every setting has a zh one in bot/settings_zh.json);
agents get 403; the page shows the rows in Chromium in the console's language
(docs/img/console-settings.png, console-settings-zh.png)."""
from __future__ import annotations

import re
from pathlib import Path

import aiohttp
import pytest
from playwright.async_api import expect

from adapters.inbox import StaffInbox
from adapters.inbox.accounts import register as register_accounts
from adapters.inbox.auth import AGENT, OWNER
from adapters.inbox.settings_view import SettingRow, SettingsSection
from bot import settings as settings_module
from bot.settings import Settings, load_settings, zh_meanings
from tests.hosting import serving
from tests.staff.browser import console_page, log_in
from tests.staff.test_kb import AGENT_PASSWORD, OWNER_PASSWORD, logged_in
from tests.test_web_widget_browser import CHROMIUM

# what a translation keeps as it is: variable names, numbers, file names, option values with "_"
KEPT = re.compile(r"[A-Z][A-Z0-9]*_[A-Z0-9_]+|\d+(?:\.\d+)?|[a-z0-9_]+\.(?:md|yaml|gguf)|[a-z]+_[a-z_]+")
HAN = re.compile(r"[\u4e00-\u9fff]")
SCREENSHOT = Path(__file__).parents[2] / "docs" / "img" / "console-settings.png"
SCREENSHOT_ZH = SCREENSHOT.with_name("console-settings-zh.png")
TOKEN = "123456:telegram-secret-token"


def _settings() -> Settings:
    return load_settings(env_file=None, kefu_load_demo_shop=False, kefu_db_path=":memory:",
                         telegram_bot_token=TOKEN, kefu_llm_api_base_url="http://user:pa55word@127.0.0.1:8000/v1")


def test_every_setting_is_shown_and_no_secret_is():
    zh = zh_meanings()
    rows = {variable: (value, meaning) for variable, value, meaning in _settings().shown()}
    assert set(rows) == {name.upper() for name in Settings.model_fields}
    assert rows["TELEGRAM_BOT_TOKEN"][0] == "set" and rows["KEFU_STAFF_PASSWORD"][0] == ""
    assert rows["KEFU_LLM_API_BASE_URL"][0] == "http://***@127.0.0.1:8000/v1"
    assert rows["KEFU_KB_MIN_SCORE"] == ("0.2", {"en": Settings.model_fields["kefu_kb_min_score"].description,
                                                 "zh": zh["kefu_kb_min_score"]})
    assert TOKEN not in str(rows) and "pa55word" not in str(rows)


def test_every_setting_has_a_chinese_meaning_that_keeps_its_names_and_numbers():
    zh = zh_meanings()
    assert sorted(set(Settings.model_fields) - set(zh)) == [], "add the zh meaning to bot/settings_zh.json"
    assert sorted(set(zh) - set(Settings.model_fields)) == [], "a zh meaning of no setting"
    for name, field in Settings.model_fields.items():
        assert HAN.search(zh[name]), name
        missing = [kept for kept in KEPT.findall(field.description or "") if kept not in zh[name]]
        assert not missing, (name, missing)


def test_a_setting_without_a_chinese_meaning_shows_the_english_one(monkeypatch):
    monkeypatch.setattr(settings_module, "zh_meanings", lambda: {})
    rows = {variable: meaning for variable, _value, meaning in _settings().shown()}
    assert rows["KEFU_PORT"] == {"en": Settings.model_fields["kefu_port"].description,
                                 "zh": Settings.model_fields["kefu_port"].description}


async def _inbox(hub, store) -> StaffInbox:
    accounts = register_accounts(store)
    accounts.add("Li", OWNER, OWNER_PASSWORD)
    accounts.add("Wang", AGENT, AGENT_PASSWORD)
    return StaffInbox(hub, None, [SettingsSection([SettingRow(*row) for row in _settings().shown()])],
                      accounts=accounts)


async def test_owners_read_the_settings_and_agents_cannot(hub, store):
    async with serving(routes=(await _inbox(hub, store)).routes(), store=store) as host:
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
            await logged_in(session, host.url, "Wang", AGENT_PASSWORD)
            async with session.get(host.url + "staff/api/settings") as response:
                assert response.status == 403
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
            await logged_in(session, host.url, "Li", OWNER_PASSWORD)
            async with session.get(host.url + "staff/api/settings") as response:
                shown = {row["variable"]: row for row in (await response.json())["settings"]}
    assert shown["TELEGRAM_BOT_TOKEN"]["value"] == "set" and shown["KEFU_DEFAULT_LANGUAGE"]["value"] == "en"
    assert shown["KEFU_PORT"]["meaning"] == {"en": Settings.model_fields["kefu_port"].description,
                                             "zh": zh_meanings()["kefu_port"]}


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"needs Chromium at {CHROMIUM} (apt-get install chromium)")
async def test_the_settings_page_lists_them_in_the_consoles_language(hub, store):
    async with serving(routes=(await _inbox(hub, store)).routes(), store=store) as host:
        async with console_page(host.url + "staff#settings") as page:
            await page.set_viewport_size({"width": 1100, "height": 800})
            await log_in(page, "Li", OWNER_PASSWORD)
            row = page.locator('#settings-rows tr[data-variable="KEFU_KB_MIN_SCORE"]')
            await expect(row).to_contain_text("0.2")
            await expect(page.locator('#settings-rows tr[data-variable="TELEGRAM_BOT_TOKEN"]')).to_contain_text("set")
            await expect(page.locator("#settings-rows")).not_to_contain_text(TOKEN)
            english = Settings.model_fields["kefu_kb_min_score"].description
            await expect(row).to_contain_text(english)
            await page.screenshot(path=str(SCREENSHOT))
            await page.click("#language")  # reloads the page in zh, still logged in
            await expect(page.locator("#language")).to_have_text("English")
            await expect(row).to_contain_text(zh_meanings()["kefu_kb_min_score"])
            await expect(row).not_to_contain_text(english)
            await expect(page.locator(".settings thead")).to_contain_text("含义")
            await page.screenshot(path=str(SCREENSHOT_ZH))
