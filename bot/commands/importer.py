"""``kefu import``: load a shop's data into the store and print the report."""
from __future__ import annotations

import argparse
from pathlib import Path

from bot.errors import CommandError
from bot.settings import Settings
from core.importing import FORMATS, KINDS, import_file
from core.nlu.rasa import RasaFormatError
from core.nlu.shopdata import merge_rasa_file
from core.store import Store

NAME = "import"
HELP = "import a shop's data (JSON, JSON lines, CSV, Shopify CSV, tau-retail) or NLU examples (Rasa YAML)"


def configure(parser: argparse.ArgumentParser) -> None:
    """Kind, file and format."""
    parser.add_argument("kind", choices=[*KINDS, "nlu"])
    parser.add_argument("file", type=Path)
    parser.add_argument("--format", dest="fmt", choices=FORMATS, default="auto")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Import one file; exit status 1 when some rows were rejected (the good rows still land)."""
    return run_import(settings, args.kind, args.file, args.fmt)


def run_import(settings: Settings, kind: str, path: Path, fmt: str) -> int:
    """Import ``path`` as ``kind`` records and print the report; :class:`CommandError` (exit 2)
    when ``path`` is not a file."""
    if not path.is_file():
        raise CommandError(f"{'not a file' if path.exists() else 'no such file'}: {path}")
    if kind == "nlu":
        return import_nlu(settings, path)
    store = Store(settings.store_target)
    try:
        report = import_file(store, kind, path, fmt=fmt)
    finally:
        store.close()
    print(report.summary())
    return 1 if report.errors else 0


def import_nlu(settings: Settings, path: Path) -> int:
    """Merge a Rasa NLU file into the shop's own training data (KEFU_NLU_DIR/nlu.yml);
    :class:`CommandError` (exit 1) when a file is not Rasa NLU YAML."""
    try:
        report = merge_rasa_file(path, settings.kefu_nlu_dir)
    except RasaFormatError as exc:
        raise CommandError(str(exc), status=1) from None
    print(report.summary())
    return 0
