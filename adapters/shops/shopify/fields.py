"""Reading Shopify's JSON, which comes from the network: fields by path, without trusting the shapes."""
from __future__ import annotations

from typing import Any


def get(record: Any, *keys: str) -> Any:
    """``record[k1][k2]…``, None where a level is missing or not an object."""
    for key in keys:
        if not isinstance(record, dict):
            return None
        record = record.get(key)
    return record


def nodes(connection: Any) -> list[dict[str, Any]]:
    """The objects of a connection's ``nodes`` (or of a plain list)."""
    nodes = get(connection, "nodes") if isinstance(connection, dict) else connection
    return [n for n in nodes if isinstance(n, dict)] if isinstance(nodes, list) else []
