"""Loads the bilingual demo shop shipped in ``core/demo/data`` into a store."""
from __future__ import annotations

from pathlib import Path

from core.importing import ImportReport, import_file
from core.store import Store

DATA_DIR = Path(__file__).parent / "data"
# Categories before products, products and customers before orders.
_FILES = (("categories", "categories.json"), ("products", "products.json"),
          ("customers", "customers.json"), ("orders", "orders.json"), ("faq", "faq.json"))


def load_demo_shop(store: Store) -> dict[str, ImportReport]:
    """Import every demo file; returns the report of each kind."""
    return {kind: import_file(store, kind, DATA_DIR / name, fmt="json") for kind, name in _FILES}
