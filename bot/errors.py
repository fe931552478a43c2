"""Errors a subcommand reports to the user: one clear line on stderr and an exit status, no traceback."""
from __future__ import annotations

from core.store import Store


class CommandError(Exception):
    """Bad input to a command (an unknown customer, a missing file); ``status`` is the exit status."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.status = status


def customer_id(store: Store, external_id: str) -> int:
    """The store id of the customer the shop knows as ``external_id`` (e.g. "C001")."""
    customer = store.customers.by_external_id(external_id)
    if customer is None:
        raise CommandError(f"no customer {external_id!r}")
    return customer["id"]
