"""Keeping the index fresh: built at start, then checked every ``refresh_seconds`` (in a
background thread with its own connection) and rebuilt when the store changed. Requests keep
using the previous index until the new one is swapped in."""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from core.recommend.index import RecommendationIndex
from core.store import Store
from core.store.engine import location

log = logging.getLogger(__name__)

_FINGERPRINT_SQL = (
    "select (select count(*) from events), (select max(id) from events), (select count(*) from products), "
    "(select count(*) from variants), (select total(stock) from variants), (select total(available) from variants)"
)


def fingerprint(store: Store) -> tuple:
    """Changes whenever events are added or removed, or products, variants, stock or availability change."""
    return tuple(store.db.execute(_FINGERPRINT_SQL).fetchone())


def database_file(store: Store) -> str:
    """Where the background check opens the store: its file ("" for an in-memory store) or URL."""
    return location(store.db)


class IndexHolder:
    """The current index, rebuilt by ``build`` when the store's :func:`fingerprint` changes."""

    def __init__(self, store: Store, build: Callable[[Store], RecommendationIndex], refresh_seconds: float) -> None:
        self._store = store
        self._build = build
        self._refresh_seconds = refresh_seconds
        self._fingerprint = fingerprint(store)
        self._index = build(store)
        self._checked = time.monotonic()
        self._worker: threading.Thread | None = None

    @property
    def index(self) -> RecommendationIndex:
        """The newest built index; starts a background check when one is due."""
        due = self._refresh_seconds > 0 and time.monotonic() - self._checked >= self._refresh_seconds
        if due and (self._worker is None or not self._worker.is_alive()):
            self._checked = time.monotonic()
            path = database_file(self._store)
            if path:
                self._worker = threading.Thread(target=self._refresh_from_file, args=(path,), daemon=True,
                                                name="kefu-recommend-refresh")
                self._worker.start()
            else:
                self.refresh()
        return self._index

    def refresh(self, store: Store | None = None) -> bool:
        """Rebuild now if the store changed since the last build; True when it did."""
        store = store or self._store
        current = fingerprint(store)
        if current == self._fingerprint:
            return False
        self._index, self._fingerprint = self._build(store), current
        log.info("recommendation index rebuilt: %d products, %d events in %.2fs",
                 self._index.catalog.size, self._index.events, self._index.build_seconds)
        return True

    def _refresh_from_file(self, path: str) -> None:
        store = Store(path)
        try:
            self.refresh(store)
        except Exception:  # a failed rebuild keeps the old index; the next check tries again
            log.exception("rebuilding the recommendation index failed")
        finally:
            store.close()
