"""``kefu staff add|list|passwd|remove``: the console's staff accounts (each colleague their own password
and role). The password comes from a prompt (asked twice) or, with ``--password-stdin``, from the first
line of standard input."""
from __future__ import annotations

import argparse
import getpass
import sys

from adapters.inbox.accounts import ROLES, AccountError, StaffAccounts
from adapters.inbox.accounts import register as register_accounts
from bot.app import open_store
from bot.settings import Settings

NAME = "staff"
HELP = "manage the console's staff accounts"


def configure(parser: argparse.ArgumentParser) -> None:
    """add NAME --role; list; passwd NAME; remove NAME."""
    sub = parser.add_subparsers(dest="step", required=True, metavar="STEP")
    add = sub.add_parser("add", help="create an account")
    add.add_argument("name")
    add.add_argument("--role", choices=ROLES, required=True)
    passwd = sub.add_parser("passwd", help="set an account's password")
    passwd.add_argument("name")
    for p in (add, passwd):
        p.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    sub.add_parser("list", help="the accounts (names, roles; never passwords)")
    sub.add_parser("remove", help="delete an account").add_argument("name")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Run the step; exit status 1 for a step that cannot be done (its reason on stderr)."""
    store = open_store(settings)
    try:
        accounts = register_accounts(store)
        _step(args, accounts)
        if args.step != "list":
            store.audit.record("staff:cli", f"staff.{args.step}", f"staff:{args.name.strip()}",
                               {"role": getattr(args, "role", None)})
        return 0
    except AccountError as exc:
        print(f"kefu staff: {exc}", file=sys.stderr)
        return 1
    finally:
        store.close()


def _step(args: argparse.Namespace, accounts: StaffAccounts) -> None:
    if args.step == "list":
        for account in accounts.list():
            print(f"{account.name}\t{account.role}\t{account.created_at}")
    elif args.step == "add":
        account = accounts.add(args.name, args.role, _password(args.password_stdin))
        print(f"added {account.name} ({account.role})")
    elif args.step == "passwd":
        accounts.set_password(args.name, _password(args.password_stdin))
        print(f"password of {args.name} changed")
    else:
        accounts.remove(args.name)
        print(f"removed {args.name}")


def _password(from_stdin: bool) -> str:
    """The new password: stdin's first line, or typed twice at a prompt."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password = getpass.getpass("password: ")
    if getpass.getpass("again: ") != password:
        raise AccountError("the passwords differ")
    return password
