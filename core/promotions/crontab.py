"""A campaign's crontab checked in the core, without the scheduler's SDK: five fields (minute, hour,
day of month, month, day of week), each a comma-separated list of ``*``, ``*/step``, ``n``,
``first-last`` and ``first-last/step``; month names (``jan``…``dec``) and weekday names (``mon``…``sun``,
with ``mon`` = 0 as the scheduler counts them), ranges of names, and ``last`` for the last day of the
month. It accepts exactly what the scheduler's ``CronTrigger.from_crontab`` accepts (APScheduler 3),
which runs the schedule (tests/promotions/test_crontab.py compares the two)."""
from __future__ import annotations

import re

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
FIELDS = (("minute", 0, 59), ("hour", 0, 23), ("day", 1, 31), ("month", 1, 12), ("day_of_week", 0, 6))
"""Each field's name and the smallest and largest value it takes, in crontab order."""

_SEPARATOR = re.compile(" *, *")
_ALL = re.compile(r"\*(?:/(?P<step>\d+))?$")
_RANGE = re.compile(r"(?P<first>\d+)(?:-(?P<last>\d+))?(?:/(?P<step>\d+))?$")
_NAMES = re.compile(r"(?P<first>[a-z]+)(?:-(?P<last>[a-z]+))?", re.IGNORECASE)  # a prefix, as the scheduler reads it
_LAST = re.compile(r"last", re.IGNORECASE)
_NAMED = {"month": (MONTHS, 1), "day_of_week": (WEEKDAYS, 0)}
"""The fields that take names: the names, and the number of the first one."""


def check_crontab(expression: str) -> None:
    """Raise ``ValueError`` (saying which part is wrong) unless ``expression`` is a crontab the
    scheduler can run."""
    values = expression.split()
    if len(values) != len(FIELDS):
        raise ValueError(f"Wrong number of fields; got {len(values)}, expected {len(FIELDS)}")
    for (name, low, high), value in zip(FIELDS, values, strict=True):
        for part in _SEPARATOR.split(value.strip()):
            _check_part(part, name, low, high)


def _check_part(part: str, name: str, low: int, high: int) -> None:
    """One item of a field's list: a step over all values, a number or range, a name or range of names,
    or (day of month) ``last``."""
    if match := _ALL.match(part):
        _check_step(_number(match["step"]), high - low)
    elif match := _RANGE.match(part):
        _check_range(_number(match["first"]), _number(match["last"]), _number(match["step"]), low, high)
    elif name in _NAMED and (match := _NAMES.match(part)):
        names, first_number = _NAMED[name]
        first, last = (_named(value, names, first_number, name) if value else None for value in match.group(1, 2))
        _check_range(first, last, None, low, high)
    elif not (name == "day" and _LAST.match(part)):
        raise ValueError(f'Unrecognized expression "{part}" for field "{name}"')


def _check_range(first: int, last: int | None, step: int | None, low: int, high: int) -> None:
    """``first-last/step`` within the field's values (a lone number is a range of one)."""
    if last is None and step is None:
        last = first
    if last is not None and first > last:
        raise ValueError("The minimum value in a range must not be higher than the maximum")
    if first < low:
        raise ValueError(f"the first value ({first}) is lower than the minimum value ({low})")
    if last is not None and last > high:
        raise ValueError(f"the last value ({last}) is higher than the maximum value ({high})")
    _check_step(step, (last or high) - first)


def _check_step(step: int | None, span: int) -> None:
    """A step is above 0 and no longer than the values it steps over."""
    if step == 0:
        raise ValueError("Increment must be higher than 0")
    if step and step > span:
        raise ValueError(f"the step value ({step}) is higher than the total range of the expression ({span})")


def _named(value: str, names: tuple[str, ...], first_number: int, field: str) -> int:
    """The number of a month or weekday name."""
    try:
        return names.index(value.lower()) + first_number
    except ValueError:
        raise ValueError(f'Invalid {field.replace("_", " ")} name "{value}"') from None


def _number(text: str | None) -> int | None:
    return int(text) if text is not None else None
