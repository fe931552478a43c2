"""The shop backend a setting names (``KEFU_SHOP_BACKEND``), built from settings: the core sees only the
port (:class:`core.shop.port.ShopBackend`); adapters in ``adapters/shops/`` implement it."""
from __future__ import annotations

from bot.settings import Settings
from core.shop.local import LocalShop
from core.shop.port import ShopBackend
from core.store import Store


def build_shop(settings: Settings, store: Store) -> ShopBackend:
    """The configured backend (``local``: the store itself)."""
    return LocalShop(store)
