"""Every channel adapter's own tables, registered whenever the shop's store is opened — also by a
command that starts no channel — so each channel's migrations run at start and a shopper's export
or erasure reaches what every channel keeps (``core.privacy`` asks the registered channels)."""
from __future__ import annotations

from adapters.inbox.accounts import register as register_accounts
from adapters.inbox.canned import register as register_canned
from adapters.inbox.review_log import register as register_reviews
from adapters.inbox.transcript_search import register as register_search
from adapters.telegram.storage import register as register_telegram
from adapters.wechat.ledger import register as register_wechat
from core.store import Store


def register_channel_tables(store: Store) -> None:
    """Migrate each channel's tables and register its data-rights hook (harmless when done again)."""
    register_accounts(store)
    register_telegram(store)
    register_wechat(store)
    register_reviews(store)
    register_search(store)
    register_canned(store)
