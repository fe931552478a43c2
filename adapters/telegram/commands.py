"""The bot's commands. Menu entries are registered with setMyCommands in zh and en (:data:`MENU_COMMANDS`)."""
from __future__ import annotations

from telegram import BotCommand, Update
from telegram.ext import BaseHandler, CommandHandler, ContextTypes, MessageHandler, filters

from adapters.telegram import account
from adapters.telegram.orders import show_orders
from adapters.telegram.shopper import Shopper
from core.i18n import t

MENU_COMMANDS = ("start", "help", "orders", "recommend", "human", "lang", "unsubscribe", "privacy")


def menu(language: str) -> list[BotCommand]:
    """The command menu in one language (descriptions from core.i18n "cmd_…")."""
    return [BotCommand(name, t(f"cmd_{name}", language)) for name in MENU_COMMANDS]


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start: a customer record for a new shopper, then language choice and the consent question."""
    if shopper := Shopper.of(update, context):
        shopper.ensure_customer()
        await shopper.send(account.language_menu(shopper, then_consent=True))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/help, and any command the bot does not know."""
    if shopper := Shopper.of(update, context):
        await shopper.send(shopper.text("help"))


async def orders(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/orders: the shopper's own orders."""
    if shopper := Shopper.of(update, context):
        await show_orders(shopper)


async def recommend(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/recommend: the core's recommend action (the "/more" payload)."""
    if shopper := Shopper.of(update, context):
        await shopper.converse("/recommend", payload="/more")


async def human(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/human: the core's hand-off to a colleague."""
    if shopper := Shopper.of(update, context):
        await shopper.converse("/human", payload="/human")


async def lang(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/lang: choose the language again."""
    if shopper := Shopper.of(update, context):
        await shopper.send(account.language_menu(shopper, then_consent=False))


async def unsubscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/unsubscribe: withdraw marketing consent, after a yes/no question."""
    if shopper := Shopper.of(update, context):
        await shopper.send(account.unsubscribe_question(shopper))


async def privacy(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/privacy: export or delete my data."""
    if shopper := Shopper.of(update, context):
        await shopper.send(account.privacy_menu(shopper))


def handlers() -> list[BaseHandler]:
    """Every command handler, private chats only; unknown commands get the help text."""
    private = filters.ChatType.PRIVATE
    named = {"start": start, "help": help_command, "orders": orders, "recommend": recommend, "human": human,
             "lang": lang, "unsubscribe": unsubscribe, "privacy": privacy}
    return [CommandHandler(name, callback, filters=private) for name, callback in named.items()] + [
        MessageHandler(private & filters.COMMAND, help_command)]
