"""Everything a shopper sends that is not text: photos, stickers, voice, locations, documents, …

A caption is read as text; otherwise the shopper is told what the bot understands, with the menu."""
from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes, MessageHandler, filters

from adapters.telegram.shopper import MENU, Shopper


async def on_media(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A helpful answer for any non-text message."""
    message = update.effective_message
    shopper = Shopper.of(update, context)
    if shopper is None or message is None:
        return
    if message.caption:
        await shopper.converse(message.caption)
    elif message.sticker:
        await shopper.send(shopper.text("media_sticker", MENU))
    elif message.location or message.venue:
        await shopper.send(shopper.text("media_location", MENU))
    else:
        await shopper.send(shopper.text("media_unsupported", MENU))


def handler() -> MessageHandler:
    """Non-text messages, new or edited, in private chats."""
    return MessageHandler(filters.ChatType.PRIVATE & filters.UpdateType.MESSAGES & ~filters.TEXT, on_media)
