"""``kefu chat``: the terminal and script channels over the real assistant and store."""
from __future__ import annotations

import argparse
import asyncio
import sys
from typing import IO

from adapters.text import ScriptChannel, TerminalChannel
from bot.app import build_assistant, open_store
from bot.errors import CommandError, customer_id
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
            stream = sys.stdin if script == "-" else _open_script(script)
            with stream:
                channel = ScriptChannel(assistant, stream, sys.stdout)
                await channel.start()
            return 1 if channel.errors else 0
        terminal = TerminalChannel(assistant, user, sys.stdin, sys.stdout)  # the streams of now, not of import
        if as_customer:
            _link(store, user, customer_id(store, as_customer))
        await terminal.start()
        return 0
    finally:
        store.close()


def _open_script(path: str) -> IO[str]:
    try:
        return open(path, encoding="utf-8", errors="replace")  # bytes that are not UTF-8 make a bad line, not a crash
    except OSError as exc:
        raise CommandError(f"cannot read the script {path!r}: {exc.strerror}") from None


def _link(store: Store, user: str, customer: int) -> None:
    """Link the terminal identity to a customer, recorded in the audit log."""
    store.customers.link_identity(TerminalChannel.name, user, customer)
    store.audit.record("operator", "link_identity", f"customer:{customer}", {"channel": "cli", "user": user})
