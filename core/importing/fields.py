"""Validating and normalising single fields of a record. Every helper raises
:class:`RecordError` with a message naming the field, so row errors read well."""
from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any, TypeVar

from core.importing.errors import RecordError
from core.money import to_cents

T = TypeVar("T")

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_TRUE = {"true", "1", "yes", "y", "t", "是"}
_FALSE = {"false", "0", "no", "n", "f", "否"}


def text(record: Mapping[str, Any], name: str, required: bool = False) -> str | None:
    """A stripped string field (numbers are turned into text); None when absent or empty."""
    value = record.get(name)
    if isinstance(value, bool) or isinstance(value, (dict, list)):
        raise RecordError(f"{name}: expected text, got {value!r}")
    value = None if value is None else str(value).strip() or None
    if value is None and required:
        raise RecordError(f"{name} is required")
    return value


def boolean(record: Mapping[str, Any], name: str, default: bool | None = False) -> bool | None:
    """A true/false field; accepts JSON booleans, 1/0, yes/no, true/false (any case)."""
    value = record.get(name)
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise RecordError(f"{name}: expected true or false, got {value!r}")


def integer(record: Mapping[str, Any], name: str, default: int | None = None,
            minimum: int | None = 0) -> int | None:
    """A whole-number field (``"12"`` and ``12.0`` are fine), at least ``minimum``."""
    value = record.get(name)
    if value is None or value == "":
        return default
    try:
        number = float(value) if not isinstance(value, bool) else None
    except (TypeError, ValueError):
        number = None
    if number is None or not math.isfinite(number) or number != int(number):
        raise RecordError(f"{name}: expected a whole number, got {value!r}")
    if minimum is not None and number < minimum:
        raise RecordError(f"{name}: must be at least {minimum}, got {value!r}")
    return int(number)


def cents(record: Mapping[str, Any], name: str, required: bool = True) -> int | None:
    """A non-negative decimal amount (``"199.00"``, ``50.88``) as integer cents."""
    value = record.get(name)
    if value is None or value == "":
        if required:
            raise RecordError(f"{name} is required")
        return None
    if isinstance(value, bool):
        raise RecordError(f"{name}: not an amount: {value!r}")
    try:
        return to_cents(value)
    except ValueError as exc:
        raise RecordError(f"{name}: {exc}") from None
    except ArithmeticError:  # to_cents("NaN") raises decimal.InvalidOperation from its comparison
        raise RecordError(f"{name}: not an amount: {value!r}") from None


def currency(record: Mapping[str, Any], name: str, default: str) -> str:
    """A three-letter ISO currency code, upper-cased; ``default`` when absent."""
    value = (text(record, name) or default).upper()
    if not _CURRENCY.match(value):
        raise RecordError(f"{name}: expected a 3-letter currency code, got {value!r}")
    return value


def string_list(record: Mapping[str, Any], name: str) -> list[str]:
    """A list of non-empty strings; a string is split on ``|`` (the CSV convention)."""
    value = record.get(name)
    if value is None or value == "":
        return []
    if isinstance(value, str):
        value = value.split("|")
    if not isinstance(value, list):
        raise RecordError(f"{name}: expected a list, got {value!r}")
    return unique(str(v).strip() for v in value if v is not None and str(v).strip())


def mapping(record: Mapping[str, Any], name: str) -> dict[str, Any] | None:
    """An object field (address, options); None when absent or empty."""
    value = record.get(name)
    if value is None or value == {} or value == "":
        return None
    if not isinstance(value, dict):
        raise RecordError(f"{name}: expected an object, got {value!r}")
    return value


def str_mapping(record: Mapping[str, Any], name: str) -> dict[str, str]:
    """An object of text values (variant options), with empty values dropped."""
    value = mapping(record, name) or {}
    return {str(k).strip(): str(v).strip() for k, v in value.items()
            if v is not None and str(v).strip() and str(k).strip()}


def children(record: Mapping[str, Any], name: str, noun: str,
             parse: Callable[[int, Mapping[str, Any]], T], required: bool = False) -> list[T]:
    """Each object of a list field (variants, items, payments…) parsed by ``parse(number, obj)``.

    Errors are prefixed with the child's label: ``variant 2: …``, or ``variant on line 7: …``
    when the child came from a CSV row (``_line``)."""
    raw = record.get(name)
    if raw is None or raw == "" or raw == []:
        if required:
            raise RecordError(f"at least one {noun} is required")
        return []
    if not isinstance(raw, list):
        raise RecordError(f"{name}: expected a list, got {raw!r}")
    parsed = []
    for number, item in enumerate(raw, start=1):
        is_object = isinstance(item, Mapping)
        label = f"{noun} on line {item['_line']}" if is_object and item.get("_line") else f"{noun} {number}"
        try:
            if not is_object:
                raise RecordError(f"expected an object, got {item!r}")
            parsed.append(parse(number, item))
        except RecordError as exc:
            raise RecordError(f"{label}: {exc}") from None
    return parsed


def one_of(record: Mapping[str, Any], name: str, allowed: Iterable[str],
           required: bool = False) -> str | None:
    """A text field that must be one of ``allowed``."""
    value = text(record, name, required)
    allowed = tuple(allowed)
    if value is not None and value not in allowed:
        raise RecordError(f"{name}: {value!r} is not one of {', '.join(allowed)}")
    return value


def email(record: Mapping[str, Any], name: str = "email") -> str | None:
    """An e-mail address of the usual ``local@domain.tld`` shape."""
    value = text(record, name)
    if value is not None and not _EMAIL.match(value):
        raise RecordError(f"{name}: {value!r} is not an e-mail address")
    return value


def timestamp(record: Mapping[str, Any], name: str, required: bool = False) -> str | None:
    """An ISO-8601 date or time, stored as UTC ``YYYY-MM-DDTHH:MM:SS+00:00`` (naive = UTC)."""
    value = text(record, name, required)
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise RecordError(f"{name}: {value!r} is not an ISO-8601 date/time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def day(record: Mapping[str, Any], name: str) -> str | None:
    """A calendar date ``YYYY-MM-DD`` (or ``MM-DD`` for birthdays without a year)."""
    value = text(record, name)
    if value is None:
        return None
    try:
        date.fromisoformat(value if len(value) != 5 else f"2000-{value}")
    except ValueError:
        raise RecordError(f"{name}: {value!r} is not a date (YYYY-MM-DD or MM-DD)") from None
    return value


def time_zone(record: Mapping[str, Any], name: str = "timezone") -> str | None:
    """An IANA time zone name such as ``Asia/Shanghai`` (checked when the system knows zones)."""
    value = text(record, name)
    if value is not None and _known_zones() and value not in _known_zones():
        raise RecordError(f"{name}: {value!r} is not a known time zone")
    return value


@lru_cache(maxsize=1)
def _known_zones() -> frozenset[str]:
    try:
        from zoneinfo import available_timezones
        return frozenset(available_timezones())
    except Exception:  # noqa: BLE001 - no zone database: accept any name
        return frozenset()


def slug(value: str) -> str:
    """``"Water Bottle"`` -> ``"water-bottle"``; letters of any script are kept."""
    return re.sub(r"[^\w]+", "-", value.strip().lower()).strip("-_") or "item"


def unique(values: Iterable[str]) -> list[str]:
    """The values in order, each once."""
    return list(dict.fromkeys(values))
