"""``kefu import``: load a shop's data into the store and print the report."""
from __future__ import annotations

from pathlib import Path

from bot.settings import Settings
from core.importing import import_file
from core.store import Store


def run_import(settings: Settings, kind: str, path: Path, fmt: str) -> int:
    """Import one file; exit status 1 when some rows were rejected (the good rows still land)."""
    if not path.exists():
        print(f"kefu import: no such file: {path}")
        return 2
    store = Store(settings.kefu_db_path)
    try:
        report = import_file(store, kind, path, fmt=fmt)
    finally:
        store.close()
    print(report.summary())
    return 1 if report.errors else 0
