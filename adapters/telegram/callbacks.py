"""Inline button presses. Every callback query is answered (Telegram shows a spinner until then).

"tg:…" data belongs to the adapter (/start's language and consent, the cart); anything else is a core
button payload such as "/product P1001" or "/privacy export" and goes to the assistant."""
from __future__ import annotations

import logging

from telegram import CallbackQuery, Update
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler, ContextTypes

from adapters.telegram import onboarding
from adapters.telegram.payloads import PREFIX
from adapters.telegram.shopper import MENU, Shopper
from core.actions.language import LANGUAGES

log = logging.getLogger(__name__)


async def on_callback(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer the query at once, then act on its data."""
    query = update.callback_query
    assert query is not None
    try:
        await query.answer()
    except TelegramError as exc:  # e.g. the query is too old to answer; the press still counts
        log.info("callback query %s not answered: %s", query.id, exc)
    shopper = Shopper.of(update, context)
    if shopper is None or not query.data:
        return
    if query.data.startswith(PREFIX):
        await _adapter_action(shopper, query.data.removeprefix(PREFIX))
        return
    payload = shopper.services.payloads.payload_of(query.data)
    if payload is None:
        await shopper.send(shopper.text("fallback", MENU))
        return
    await shopper.converse(_label_of(query) or payload, payload=payload)


async def _adapter_action(shopper: Shopper, data: str) -> None:
    """Dispatch "name:argument"; anything unexpected gets the fallback answer with the menu."""
    name, _, argument = data.partition(":")
    if name == "start" and argument in LANGUAGES:
        await onboarding.choose_language(shopper, argument)  # type: ignore[arg-type]
    elif name == "consent" and argument in ("yes", "no"):
        await onboarding.answer_consent(shopper, argument == "yes")
    elif name == "cart" and argument:
        await _add_to_cart(shopper, argument)
    else:
        await shopper.send(shopper.text("fallback", MENU))


async def _add_to_cart(shopper: Shopper, product_id: str) -> None:
    """Record the product in the shopper's cart (a "cart" event, which also feeds recommendations)."""
    store = shopper.services.store
    product = store.catalog.product(product_id)
    if product is None:
        await shopper.send(shopper.text("product_unknown"))
        return
    customer = shopper.ensure_customer()
    store.events.record(customer["id"], "cart", product_id)
    language = shopper.language
    title = product["title_zh"] if language == "zh" and product.get("title_zh") else product["title_en"]
    await shopper.send(shopper.text("added_to_cart", MENU, title=title))


def _label_of(query: CallbackQuery) -> str | None:
    """The label of the pressed button, for the transcript."""
    markup = query.message.reply_markup if query.message else None
    for row in markup.inline_keyboard if markup else ():
        for button in row:
            if button.callback_data == query.data:
                return button.text
    return None


def handler() -> CallbackQueryHandler:
    """The callback query handler."""
    return CallbackQueryHandler(on_callback)
