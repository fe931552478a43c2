"""The ``kefu`` command (also ``python -m bot``)."""
from __future__ import annotations

import argparse
import sys

from bot.commands import COMMANDS
from bot.errors import CommandError
from bot.logs import configure_logging
from bot.settings import SettingsError, load_settings
from core.store.engine import DatabaseUnreachable
from core.observe.handles import load_key, use_key


def build_parser() -> argparse.ArgumentParser:
    """Every subcommand and its options."""
    parser = argparse.ArgumentParser(prog="kefu", description="Kefu (客服): a bilingual shop assistant.")
    parser.add_argument("--env-file", default=".env", help="settings file (default: .env)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.configure(sub.add_parser(command.NAME, help=command.HELP))
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings(args.env_file)
    except SettingsError as exc:
        print(f"kefu: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings.kefu_log_level, settings.kefu_log_format)
    try:
        use_key(load_key(settings.kefu_handle_key_path))
    except (OSError, ValueError) as exc:
        print(f"kefu: KEFU_HANDLE_KEY_PATH: cannot use {settings.kefu_handle_key_path}: "
              f"{getattr(exc, 'strerror', None) or exc}", file=sys.stderr)
        return 2
    handler = next(c for c in COMMANDS if c.NAME == args.command)
    try:
        return handler.run(args, settings)
    except SettingsError as exc:  # a setting found bad while the command builds the assistant
        print(f"kefu: {exc}", file=sys.stderr)
        return 2
    except CommandError as exc:
        print(f"kefu {args.command}: {exc}", file=sys.stderr)
        return exc.status
    except DatabaseUnreachable as exc:  # its URL shown without the password
        print(f"kefu: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
