"""The ``kefu`` command (also ``python -m bot``)."""
from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from bot.settings import Settings, SettingsError, load_settings
from core.importing import FORMATS as IMPORT_FORMATS
from core.importing import KINDS as IMPORT_KINDS


def build_parser() -> argparse.ArgumentParser:
    """Every subcommand and its options."""
    parser = argparse.ArgumentParser(prog="kefu", description="Kefu (客服): a bilingual shop assistant.")
    parser.add_argument("--env-file", default=".env", help="settings file (default: .env)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    sub.add_parser("run", help="serve the web chat (and configured channels) until Ctrl-C")

    chat = sub.add_parser("chat", help="chat in the terminal, or run a JSON-lines script")
    chat.add_argument("--script", metavar="FILE", help='JSON lines {"user": ..., "text": ...}; "-" for stdin')
    chat.add_argument("--user", default="local", help="who you are in the terminal (default: local)")
    chat.add_argument("--as", dest="as_customer", metavar="CUSTOMER",
                      help="link the terminal user to this customer id (e.g. C001) to try order questions")

    imp = sub.add_parser("import", help="import a shop's data (JSON, JSON lines, CSV, Shopify CSV, tau-retail)")
    imp.add_argument("kind", choices=list(IMPORT_KINDS))
    imp.add_argument("file", type=Path)
    imp.add_argument("--format", dest="fmt", choices=IMPORT_FORMATS, default="auto")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings(args.env_file)
    except SettingsError as exc:
        print(f"kefu: {exc}", file=sys.stderr)
        return 2
    from bot.logs import configure_logging
    configure_logging(settings.kefu_log_level)
    handler = {"run": _run, "chat": _chat, "import": _import}[args.command]
    try:
        return handler(args, settings)
    except KeyboardInterrupt:
        return 130


def _run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.serve import serve
    asyncio.run(serve(settings))
    return 0


def _chat(args: argparse.Namespace, settings: Settings) -> int:
    from bot.chat import chat
    return asyncio.run(chat(settings, args.script, args.user, args.as_customer))


def _import(args: argparse.Namespace, settings: Settings) -> int:
    from bot.importer import run_import
    return run_import(settings, args.kind, args.file, args.fmt)
