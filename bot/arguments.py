"""argparse types for option values: a count must be a positive whole number, an amount a finite
number not below zero. A bad value is a usage error (exit status 2 and argparse's message)."""
from __future__ import annotations

import argparse
import math
from datetime import date


def positive_int(text: str) -> int:
    """A whole number of at least 1 (rounds, conversations, list lengths)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text!r}")
    return value


def positive_ints(text: str) -> list[int]:
    """Comma-separated whole numbers of at least 1, e.g. worker counts ``1,2,4``."""
    values = [positive_int(part.strip()) for part in text.split(",")]
    if len(set(values)) != len(values):
        raise argparse.ArgumentTypeError(f"a number is repeated: {text!r}")
    return values


def non_negative_float(text: str) -> float:
    """A finite number of at least 0 (prices, rates, seconds)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"must be a finite number of at least 0: {text!r}")
    return value


def iso_date(text: str) -> date:
    """A calendar day written YYYY-MM-DD."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None
