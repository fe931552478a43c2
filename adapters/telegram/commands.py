"""The bot's commands. Menu entries are registered with setMyCommands in zh and en (:data:`MENU_COMMANDS`).

``/start`` and ``/help`` are Telegram's own; every other command is a payload to the core, so that it
behaves as the same button or words do in every channel (Errbot's commands that work on any backend)."""
from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import BotCommand, Update
from telegram.ext import BaseHandler, CommandHandler, ContextTypes, MessageHandler, filters

from adapters.telegram.onboarding import language_menu
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
        await shopper.send(language_menu(shopper))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/help, and any command the bot does not know."""
    if shopper := Shopper.of(update, context):
        await shopper.send(shopper.text("help"))


def _to_core(command: str, payload: str | None) -> Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]:
    """A handler passing ``/command`` to the core: as the button ``payload``, or (None) as typed words."""
    async def handle(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if shopper := Shopper.of(update, context):
            await shopper.converse(f"/{command}", payload=payload)
    handle.__doc__ = f"/{command}: the core's answer to {payload or f'/{command}'!r}."
    return handle


CORE_COMMANDS = {
    "orders": "/orders",  # the latest order's status, as the "Track my order" button everywhere
    "recommend": "/more",  # the recommend action
    "human": "/human",  # the hand-off to a colleague
    "lang": "/lang",  # the language choice (core/actions/language.py)
    "privacy": "/privacy",  # Export (a one-time link) / Delete (after a confirmation)
    "unsubscribe": None,  # typed words: withdraws consent at once, exactly as "stop" or "退订" does
}
"""Commands the core answers, with the payload each one sends."""


def handlers() -> list[BaseHandler]:
    """Every command handler, private chats only; unknown commands get the help text."""
    private = filters.ChatType.PRIVATE
    named = {"start": start, "help": help_command} | \
        {command: _to_core(command, payload) for command, payload in CORE_COMMANDS.items()}
    return [CommandHandler(name, callback, filters=private) for name, callback in named.items()] + [
        MessageHandler(private & filters.COMMAND, help_command)]
