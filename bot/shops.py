"""The shop backend a setting names (``KEFU_SHOP_BACKEND``), built from settings: the core sees only the
port (:class:`core.shop.port.ShopBackend`); adapters in ``adapters/shops/`` implement it."""
from __future__ import annotations

import asyncio
import logging

from aiohttp import web
from pydantic import SecretStr

from adapters.shops.medusa import MedusaConfig, MedusaShop
from adapters.shops.medusa.client import MedusaAuth
from adapters.shops.medusa.events import MedusaEvents
from adapters.shops.shopify.backend import ShopifyShop
from adapters.shops.shopify.client import ShopifyClient, endpoint_for
from bot.errors import CommandError
from bot.settings import Settings
from core.shop.local import LocalShop
from core.shop.port import ShopBackend, ShopError
from core.shop.sync import ShopSync
from core.store import Store

log = logging.getLogger(__name__)


def build_shop(settings: Settings, store: Store) -> ShopBackend:
    """The configured backend (``local``: the store itself)."""
    if settings.kefu_shop_backend == "medusa":
        return build_medusa(settings)
    if settings.kefu_shop_backend == "shopify":
        assert settings.shopify_shop_domain and settings.shopify_admin_token  # checked by Settings
        return ShopifyShop(ShopifyClient(endpoint_for(settings.shopify_shop_domain, settings.shopify_api_version),
                                         settings.shopify_admin_token.get_secret_value()))
    return LocalShop(store)


def build_medusa(settings: Settings) -> ShopBackend:
    """The Medusa backend from ``MEDUSA_*`` (validated by the settings)."""
    auth = MedusaAuth(api_key=_secret(settings.medusa_api_key), email=settings.medusa_admin_email,
                      password=_secret(settings.medusa_admin_password))
    return MedusaShop(MedusaConfig(str(settings.medusa_url), auth, settings.medusa_timeout_s))


def _secret(value: SecretStr | None) -> str:
    return value.get_secret_value() if value is not None else ""


async def start_shop(shop: ShopBackend) -> None:
    """Start the backend; a :class:`CommandError` (exit status 2) naming what is wrong when it cannot."""
    try:
        await shop.start()
    except ShopError as exc:
        raise CommandError(f"cannot start the {shop.name} shop backend: {exc.reason}") from None


def shop_routes(settings: Settings, store: Store, shop: ShopBackend) -> list[web.RouteDef]:
    """The web routes the backend's shop posts its events to (Medusa's subscriber), if configured."""
    if shop.name != "medusa" or settings.medusa_events_secret is None:
        return []
    return MedusaEvents(ShopSync(store, shop), _secret(settings.medusa_events_secret)).routes()


async def reconcile_every(sync: ShopSync, minutes: float) -> None:
    """Re-read orders updated since the last sync every ``minutes``, until cancelled; a failed round is
    one warning and the next round tries again."""
    while True:
        await asyncio.sleep(minutes * 60)
        try:
            await sync.reconcile()
        except ShopError as exc:
            log.warning("shop reconciliation failed (%s); trying again in %g min", exc.reason, minutes)
        except Exception:  # a background loop: one bad round must not end it
            log.exception("shop reconciliation failed; trying again in %g min", minutes)
