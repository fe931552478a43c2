"""Shopify as Kefu's shop: the Admin GraphQL API (a custom app's access token) and Shopify's webhooks."""
