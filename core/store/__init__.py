"""The shop's store: one SQLite database (through sqlite-utils) with a repository per concern."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from core.store.audit import AuditLog
from core.store.catalog import Catalog, ProductHit, ProductQuery
from core.store.conversations import Conversations, InboundRecord
from core.store.csat import CsatRatings
from core.store.customers import Customers
from core.store.database import open_database
from core.store.events import Events
from core.store.handled import HandledOnce
from core.store.knowledge import KnowledgeBase
from core.store.orders import ORDER_STATUSES, Orders
from core.store.privacy_links import PrivacyLinks
from core.store.secrets import InstallSecrets
from core.store.tables import ChannelData, OwnTables, TableSet, migrate_owned

__all__ = ["Store", "ProductQuery", "ProductHit", "InboundRecord", "ORDER_STATUSES"]


class Store:
    """Everything Kefu keeps, grouped by concern: ``store.catalog``, ``store.orders``, …"""

    def __init__(self, path: str | Path) -> None:
        self.db = open_database(path)
        self.catalog = Catalog(self.db)
        self.customers = Customers(self.db)
        self.orders = Orders(self.db)
        self.events = Events(self.db)
        self.knowledge = KnowledgeBase(self.db)
        self.conversations = Conversations(self.db)
        self.audit = AuditLog(self.db)
        self.csat = CsatRatings(self.db)
        self.privacy_links = PrivacyLinks(self.db)
        self.secrets = InstallSecrets(self.db)
        self.channel_data: dict[str, ChannelData] = {}
        """What each registered channel keeps about its users, by channel name (``core.privacy``)."""
        self.owned_versions: dict[str, int] = {}
        """The schema version of each registered adapter's own tables, by owner (readiness checks them)."""

    def register(self, tables: TableSet, data: Callable[[OwnTables], ChannelData] | None = None) -> OwnTables:
        """Migrate an adapter's own tables and hand back a handle scoped to them; ``data`` builds the
        channel's export and erasure hook on that handle. Registering again is harmless."""
        self.owned_versions[tables.owner] = migrate_owned(self.db, tables)
        own = OwnTables(self.db, tables)
        if data is not None:
            hook = data(own)
            self.channel_data[hook.channel] = hook
        return own

    def handled_once(self, channel: str) -> HandledOnce:
        """The channel's part of the one ledger of deliveries handled once (``core/store/handled.py``)."""
        return HandledOnce(self.db, channel)

    def is_empty(self) -> bool:
        """True before any shop data was loaded."""
        return self.catalog.count() == 0 and self.customers.count() == 0

    def close(self) -> None:
        """Close the database connection."""
        self.db.close()
