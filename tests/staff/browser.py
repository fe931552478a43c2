"""Helpers of the console's headless-Chromium tests: a page on the console, logging in."""
from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from playwright.async_api import Page, async_playwright

from tests.test_web_widget_browser import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS


@asynccontextmanager
async def console_page(url: str) -> AsyncIterator[Page]:
    """A Chromium page opened at ``url``; on leaving, the browser closes and no script error may have happened."""
    errors: list[str] = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = await browser.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        await page.goto(url)
        yield page
        await browser.close()
    assert not errors, errors


async def log_in(page: Page, name: str, password: str) -> None:
    """Submit the login form."""
    await page.fill("#login-name", name)
    await page.fill("#login-password", password)
    await page.click("#login button[type=submit]")
