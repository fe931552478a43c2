"""A job APScheduler can store by reference: it appends its argument to a file."""
from __future__ import annotations

from pathlib import Path


async def record_run(path: str, label: str) -> None:
    """Append ``label`` as a line to ``path``."""
    with Path(path).open("a", encoding="utf-8") as out:
        out.write(label + "\n")
