"""Shop backends: the shop's own system behind Kefu's shop port (Shopify, Medusa)."""
