"""``kefu db migrate-to URL``: copy the SQLite store (KEFU_DB_PATH) into PostgreSQL, table by table, with a
progress bar and a row-count check per table (docs/SCALING.md)."""
from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from tqdm import tqdm

from bot.channel_tables import register_channel_tables
from bot.errors import CommandError
from bot.settings import Settings
from core.store import Store
from core.store.copy import TargetNotEmpty, copy_database
from core.store.engine import is_postgres_url

NAME = "db"
HELP = "the store's database: migrate-to postgresql://… copies the SQLite store into PostgreSQL"


def configure(parser: argparse.ArgumentParser) -> None:
    """``migrate-to URL [--replace]``."""
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    move = actions.add_parser("migrate-to", help="copy the SQLite store (KEFU_DB_PATH) into a PostgreSQL database "
                                                 "(progress on stderr, a per-table count check on stdout)")
    move.add_argument("url", help="postgresql://user:password@host:5432/dbname (the database must exist)")
    move.add_argument("--replace", action="store_true", help="empty a target that already holds shop data first")


@contextmanager
def _bar(table: str, total: int) -> Iterator[Callable[[int], object]]:
    with tqdm(total=total, desc=table, unit=" rows", file=sys.stderr, disable=None, leave=False) as bar:
        yield bar.update


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Exit status 0 when every table's count matches, 1 when one does not; 2 for a bad or non-empty target."""
    if not is_postgres_url(args.url):
        raise CommandError(f"not a postgresql:// URL: {args.url}")
    if not settings.kefu_db_path.is_file():
        raise CommandError(f"no SQLite store at KEFU_DB_PATH={settings.kefu_db_path}")
    source, target = Store(settings.kefu_db_path), Store(args.url)
    try:
        register_channel_tables(source)
        register_channel_tables(target)
        report = copy_database(source.db, target.db, _bar, replace=args.replace)
    except TargetNotEmpty as exc:
        raise CommandError(f"{exc}; --replace empties it first") from None
    finally:
        source.close()
        target.close()
    print(report.summary())
    return 0 if report.ok else 1
