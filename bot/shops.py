"""The shop backend a setting names (``KEFU_SHOP_BACKEND``), built from settings: the core sees only the
port (:class:`core.shop.port.ShopBackend`); adapters in ``adapters/shops/`` implement it."""
from __future__ import annotations

from adapters.shops.shopify.backend import ShopifyShop
from adapters.shops.shopify.client import ShopifyClient, endpoint_for
from bot.settings import Settings
from core.shop.local import LocalShop
from core.shop.port import ShopBackend
from core.store import Store


def build_shop(settings: Settings, store: Store) -> ShopBackend:
    """The configured backend (``local``: the store itself)."""
    if settings.kefu_shop_backend == "shopify":
        assert settings.shopify_shop_domain and settings.shopify_admin_token  # checked by Settings
        return ShopifyShop(ShopifyClient(endpoint_for(settings.shopify_shop_domain, settings.shopify_api_version),
                                         settings.shopify_admin_token.get_secret_value()))
    return LocalShop(store)
