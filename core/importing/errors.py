"""The two ways an import can fail: one record is bad, or the whole file is unreadable."""
from __future__ import annotations


class RecordError(ValueError):
    """One record is invalid; the import reports it with its line and carries on."""


class FileError(ValueError):
    """The file as a whole cannot be read (not JSON, wrong shape, no header); nothing is imported.

    ``line`` is where the problem was found, when known."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        super().__init__(reason)
        self.line = line
