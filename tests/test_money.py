"""Money parsing and formatting."""
from __future__ import annotations

import pytest

from core.money import format_price, to_cents


@pytest.mark.parametrize("amount, cents", [("50.88", 5088), (50.88, 5088), ("1,299", 129900), (0, 0), ("0.005", 1)])
def test_to_cents(amount, cents):
    assert to_cents(amount) == cents


@pytest.mark.parametrize("bad", ["NaN", "inf", "-1", "abc", ""])
def test_bad_amounts_are_value_errors(bad):
    with pytest.raises(ValueError):
        to_cents(bad)


def test_format_price():
    assert format_price(19900, "CNY") == "¥199.00"
    assert format_price(5088, "usd") == "$50.88"
    assert format_price(123456, "CHF") == "1,234.56 CHF"
