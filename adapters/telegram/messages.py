"""Text messages, new or edited: the assistant answers them."""
from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes, MessageHandler, filters

from adapters.telegram.shopper import Shopper


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Pass the text to the assistant; an edited message is answered as a new one."""
    message = update.effective_message
    if (shopper := Shopper.of(update, context)) and message and message.text:
        await shopper.converse(message.text)


def handler() -> MessageHandler:
    """Texts (not commands) in private chats, from new and edited messages."""
    return MessageHandler(filters.ChatType.PRIVATE & filters.UpdateType.MESSAGES & filters.TEXT & ~filters.COMMAND,
                          on_text)
