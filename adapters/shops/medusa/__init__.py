"""The Medusa v2 backend: the Admin API (``client``), its JSON as Kefu's shop model (``mapping``), the
after-sales changes (``changes``), the backend itself (``shop``) and the subscriber's events route
(``events``). ``subscriber/kefu.ts`` is the file a shop copies into its Medusa project."""
from adapters.shops.medusa.shop import MedusaConfig, MedusaShop

__all__ = ["MedusaConfig", "MedusaShop"]
