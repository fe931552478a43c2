"""Observability: the conversation id of the running turn (for logs) and Prometheus metrics."""
