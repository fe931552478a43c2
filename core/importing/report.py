"""What an import did: how many records were inserted, updated or unchanged, and which failed."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

_SUMMARY_ERRORS = 20
_MAX_REASON = 300
_MAX_KEY = 80
"""Characters kept of a reason or key: a hostile file's megabyte-long value must not become a
megabyte-long report line."""


@dataclass(frozen=True)
class RowError:
    """One rejected record: where it starts in the file, why, and its id when known.

    ``line`` is the 1-based line the record starts on (None for file-level problems with no
    position). For tau-retail files ``key`` is the record's key (product id, user id, order id)."""

    line: int | None
    reason: str
    key: str | None = None

    def where(self) -> str:
        """``line 12 (P1001)``, ``line 12``, ``#W123`` or ``file`` — for messages."""
        if self.line is not None and self.key:
            return f"line {self.line} ({self.key})"
        if self.line is not None:
            return f"line {self.line}"
        return self.key or "file"


@dataclass
class ImportReport:
    """The outcome of importing one file. Counts are per record (a product with its variants is
    one record; an order with its items and payments is one record)."""

    kind: str
    source: str
    fmt: str
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def imported(self) -> int:
        """Records that are now in the store as the file describes them."""
        return self.inserted + self.updated + self.unchanged

    @property
    def ok(self) -> bool:
        """True when no record was rejected."""
        return not self.errors

    def add_error(self, line: int | None, reason: str, key: str | None = None) -> None:
        """Record one rejected record (or a file-level problem); long reasons and keys are cut."""
        self.errors.append(RowError(line, _shorten(reason, _MAX_REASON),
                                    None if key is None else _shorten(key, _MAX_KEY)))

    def count(self, outcome: str) -> None:
        """Count one record as "inserted", "updated" or "unchanged"."""
        setattr(self, outcome, getattr(self, outcome) + 1)

    def summary(self, max_errors: int = _SUMMARY_ERRORS) -> str:
        """A few human-readable lines: the counts, then the first ``max_errors`` errors."""
        head = (
            f"{self.kind} from {self.source} ({self.fmt}): {self.inserted} inserted, "
            f"{self.updated} updated, {self.unchanged} unchanged, {len(self.errors)} "
            f"error{'s' if len(self.errors) != 1 else ''} in {self.seconds:.2f}s"
        )
        lines = [head]
        lines += [f"  {e.where()}: {e.reason}" for e in self.errors[:max_errors]]
        if len(self.errors) > max_errors:
            lines.append(f"  … and {len(self.errors) - max_errors} more")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of everything in the report."""
        return {
            "kind": self.kind, "source": self.source, "format": self.fmt,
            "inserted": self.inserted, "updated": self.updated, "unchanged": self.unchanged,
            "errors": [asdict(e) for e in self.errors], "seconds": round(self.seconds, 3),
        }


def _shorten(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, ending in "…" when cut."""
    return text if len(text) <= limit else text[:limit - 1] + "…"
