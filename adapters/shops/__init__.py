"""Shop backends: the shop port (:mod:`core.shop.port`) implemented for shop platforms (docs/SHOPS.md)."""
