"""The public entry point: :func:`import_file`."""
from __future__ import annotations

import time
from pathlib import Path

from core.importing import categories, customers, faq, orders, products
from core.importing.detect import detect_format
from core.importing.errors import FileError
from core.importing.report import ImportReport
from core.importing.runner import ImportContext, KindSpec, run_import
from core.importing.sources import source_rows
from core.store import Store

KINDS: dict[str, KindSpec] = {
    spec.name: spec for spec in (categories.SPEC, products.SPEC, customers.SPEC, orders.SPEC, faq.SPEC)
}
FORMATS = ("auto", "json", "jsonl", "csv", "shopify", "tau")


def import_file(store: Store, kind: str, path: str | Path, fmt: str = "auto", *,
                default_currency: str = "CNY") -> ImportReport:
    """Import one file of ``kind`` records into ``store`` and report what happened.

    ``kind`` is one of categories, products, customers, orders, faq; ``fmt`` one of auto, json,
    jsonl, csv, shopify, tau ("auto" looks at the extension and content). Idempotent: importing
    the same file again changes nothing and counts every record as unchanged. Bad records are
    reported with their line and skipped; a file that cannot be read at all is one error.
    ``default_currency`` applies to prices without a currency. Raises ValueError for an unknown
    kind or format and FileNotFoundError for a missing file."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {path}")
    started = time.perf_counter()
    report = ImportReport(kind=kind, source=str(path), fmt=fmt)
    try:
        report.fmt = detect_format(path) if fmt == "auto" else fmt
        rows = source_rows(kind, path, report.fmt)
        run_import(ImportContext(store, default_currency.upper()), KINDS[kind], rows, report)
    except FileError as exc:
        report.add_error(exc.line, str(exc))
    report.errors.sort(key=lambda e: (e.line is None, e.line or 0))  # grouped CSV rows come late
    report.seconds = time.perf_counter() - started
    return report
