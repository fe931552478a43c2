"""Importing a shop's data (categories, products, customers, orders, FAQ) into the store.

Formats: Kefu JSON array, JSON lines and flat CSV; Shopify's product CSV export; the tau-bench
retail shop's JSON files. Imports are idempotent and report bad records by line (see
docs/IMPORT.md)::

    report = import_file(store, "products", "products.json")
    print(report.summary())
"""
from __future__ import annotations

from core.importing.api import FORMATS, KINDS, import_file
from core.importing.report import ImportReport, RowError

__all__ = ["import_file", "ImportReport", "RowError", "KINDS", "FORMATS"]
