"""Reading files into records, each with the line it starts on.

Every reader yields :class:`SourceRow` objects. A row whose text could not be parsed (a bad
JSON line) carries a :class:`RecordError` as its record so the import reports it and carries on;
a file that cannot be read at all raises :class:`FileError`.
"""
from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from core.importing.errors import FileError, RecordError
from core.nesting import load_json

_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


class SourceRow(NamedTuple):
    """One record read from a file: its starting line, the parsed value and, for keyed files
    (tau-retail), its key."""

    line: int | None
    record: Any
    key: str | None = None


def read_text(path: Path) -> str:
    """The file's text: UTF-8 (with or without BOM), else GB18030 as Chinese Excel writes it.

    Every format reads through here, so a file that cannot be read, is not text or holds nothing
    but white space is one :class:`FileError` whatever its format."""
    try:
        data = path.read_bytes()
    except OSError as exc:  # gone since it was checked, unreadable, a folder
        raise FileError(f"cannot read the file: {exc.strerror or exc}") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise FileError("file is neither UTF-8 nor GB18030 text") from exc
    if not text.strip():
        raise FileError("the file is empty", 1)
    return text


def parse_json(text: str) -> Any:
    """The whole JSON document; one :class:`FileError` (with its line) when it is not JSON or
    nests too deeply (:mod:`core.nesting`)."""
    try:
        return load_json(text)
    except json.JSONDecodeError as exc:
        raise FileError(f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
                        exc.lineno) from exc


class _Scanner:
    """Walks an already-validated JSON text, turning character offsets into line numbers."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._pos = 0
        self._line = 1

    def line_at(self, index: int) -> int:
        """1-based line of ``index``; indexes must be asked for in increasing order."""
        self._line += self.text.count("\n", self._pos, index)
        self._pos = index
        return self._line

    def skip(self, index: int) -> int:
        """The first non-whitespace index at or after ``index``."""
        return _WS.match(self.text, index).end()

    def array(self, index: int) -> Iterator[tuple[int, Any]]:
        """(line, element) for the array whose ``[`` is at ``index``."""
        index = self.skip(index + 1)
        while self.text[index] != "]":
            line = self.line_at(index)
            value, index = _DECODER.raw_decode(self.text, index)
            yield line, value
            index = self.skip(index)
            if self.text[index] == ",":
                index = self.skip(index + 1)

    def members(self, index: int) -> Iterator[tuple[int, str, int, Any]]:
        """(line, key, value_index, value) for the object whose ``{`` is at ``index``."""
        index = self.skip(index + 1)
        while self.text[index] != "}":
            line = self.line_at(index)
            key, index = _DECODER.raw_decode(self.text, index)
            value_index = self.skip(self.skip(index) + 1)  # past the ':'
            value, index = _DECODER.raw_decode(self.text, value_index)
            yield line, key, value_index, value
            index = self.skip(index)
            if self.text[index] == ",":
                index = self.skip(index + 1)


def read_json(path: Path, wrapper_key: str | None = None) -> Iterator[SourceRow]:
    """Records of a JSON array, each with the line its element starts on. A top-level object
    holding the array under ``wrapper_key`` (``{"products": [...]}``) is accepted too."""
    text = read_text(path)
    document = parse_json(text)
    scanner = _Scanner(text)
    start = scanner.skip(0)
    if isinstance(document, list):
        for line, value in scanner.array(start):
            yield SourceRow(line, value)
        return
    if isinstance(document, dict) and isinstance(document.get(wrapper_key), list):
        for _, key, value_index, _ in scanner.members(start):
            if key == wrapper_key:
                for line, value in scanner.array(value_index):
                    yield SourceRow(line, value)
                return
    raise FileError("expected a JSON array of records"
                    + (f" (or an object with a {wrapper_key!r} array)" if wrapper_key else ""), 1)


def read_json_object(path: Path) -> Iterator[SourceRow]:
    """The members of a top-level JSON object as rows keyed by member name (tau-retail files)."""
    text = read_text(path)
    document = parse_json(text)
    if not isinstance(document, dict):
        raise FileError("expected a JSON object of records keyed by id", 1)
    scanner = _Scanner(text)
    for line, key, _, value in scanner.members(scanner.skip(0)):
        yield SourceRow(line, value, key)


def read_jsonl(path: Path) -> Iterator[SourceRow]:
    """One JSON value per line; blank lines are skipped, a bad (or too deeply nested) line is a
    row error."""
    for number, raw in enumerate(read_text(path).splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            yield SourceRow(number, load_json(raw))
        except json.JSONDecodeError as exc:
            yield SourceRow(number, RecordError(f"not valid JSON: {exc.msg} (column {exc.colno})"))


def read_csv(path: Path) -> tuple[list[str], Iterator[SourceRow]]:
    """The header (stripped column names) and the data rows as dicts of non-empty stripped cells.

    A row's line is where it starts, so quoted cells spanning lines are counted right."""
    reader = csv.reader(io.StringIO(read_text(path), newline=""))
    try:
        header = [name.strip() for name in next(reader)]  # read_text is never empty
    except csv.Error as exc:
        raise FileError(f"not valid CSV: {exc}", 1) from exc

    def rows() -> Iterator[SourceRow]:
        line = reader.line_num + 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise FileError(f"not valid CSV: {exc}", reader.line_num) from exc
            if any(cell.strip() for cell in cells):
                if len(cells) > len(header):
                    yield SourceRow(line, RecordError(
                        f"{len(cells)} cells but the header has {len(header)} columns"))
                else:
                    yield SourceRow(line, {name: cell.strip() for name, cell in zip(header, cells)
                                           if name and cell.strip()})
            line = reader.line_num + 1

    return header, rows()
