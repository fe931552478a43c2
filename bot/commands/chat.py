"""``kefu chat``: the terminal and script channels over the real assistant and store."""
from __future__ import annotations

import argparse
import asyncio
import sys

from adapters.text import ScriptChannel, TerminalChannel
from bot.app import build_assistant, open_store
from bot.settings import Settings
from core.store import Store

NAME = "chat"
HELP = "chat in the terminal, or run a JSON-lines script"


def configure(parser: argparse.ArgumentParser) -> None:
    """Script, user and customer options."""
    parser.add_argument("--script", metavar="FILE", help='JSON lines {"user": ..., "text": ...}; "-" for stdin')
    parser.add_argument("--user", default="local", help="who you are in the terminal (default: local)")
    parser.add_argument("--as", dest="as_customer", metavar="CUSTOMER",
                        help="link the terminal user to this customer id (e.g. C001) to try order questions")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Chat until end of input."""
    return asyncio.run(chat(settings, args.script, args.user, args.as_customer))


async def chat(settings: Settings, script: str | None, user: str, as_customer: str | None) -> int:
    """Chat interactively, or run a script ("-" reads stdin); exit status 1 if script lines were bad."""
    store = open_store(settings)
    try:
        assistant = build_assistant(store, settings)
        if script is not None:
            stream = sys.stdin if script == "-" else open(script, encoding="utf-8")
            with stream:
                channel = ScriptChannel(assistant, stream, sys.stdout)
                await channel.start()
            return 1 if channel.errors else 0
        terminal = TerminalChannel(assistant, user)
        if as_customer and not _link(store, user, as_customer):
            print(f"kefu: no customer {as_customer!r}", file=sys.stderr)
            return 2
        await terminal.start()
        return 0
    finally:
        store.close()


def _link(store: Store, user: str, external_id: str) -> bool:
    """Link the terminal identity to a customer, recorded in the audit log."""
    customer = store.customers.by_external_id(external_id)
    if customer is None:
        return False
    store.customers.link_identity(TerminalChannel.name, user, customer["id"])
    store.audit.record("operator", "link_identity", f"customer:{customer['id']}", {"channel": "cli", "user": user})
    return True
