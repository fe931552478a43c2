"""Reading rows with plain SQL, for the paths every turn takes: ``db["table"]`` in sqlite-utils
looks the name up in the schema on each access, which costs more than the query itself."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlite_utils


def first_row(db: sqlite_utils.Database, sql: str, params: Sequence[Any] = ()) -> dict[str, Any] | None:
    """The first row ``sql`` selects, as a dict, or None."""
    cursor = db.execute(sql, params)
    row = cursor.fetchone()
    return dict(zip([column[0] for column in cursor.description], row)) if row else None


def all_rows(db: sqlite_utils.Database, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    """Every row ``sql`` selects, as dicts."""
    cursor = db.execute(sql, params)
    columns = [column[0] for column in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]
