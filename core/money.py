"""Money is kept in integer cents; this module turns it into text a shopper reads."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

_SYMBOLS = {"CNY": "¥", "USD": "$", "EUR": "€", "GBP": "£", "HKD": "HK$", "JPY": "¥"}


def to_cents(amount: str | float | int) -> int:
    """Parse a decimal amount ("50.88", 50.88, "1,299") into cents; ValueError when it is not one."""
    try:
        value = Decimal(str(amount).replace(",", "").strip())
    except InvalidOperation as exc:
        raise ValueError(f"not an amount: {amount!r}") from exc
    if not value.is_finite() or value < 0:
        raise ValueError(f"not a valid price: {amount!r}")
    try:
        return int((value * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    except InvalidOperation as exc:  # more digits than Decimal's precision, e.g. "1e400"
        raise ValueError(f"not a valid price: {amount!r}") from exc


def format_price(cents: int, currency: str = "CNY") -> str:
    """``format_price(19900, "CNY") == "¥199.00"``; unknown currencies keep their code."""
    symbol = _SYMBOLS.get(currency.upper())
    amount = f"{cents / 100:,.2f}"
    return f"{symbol}{amount}" if symbol else f"{amount} {currency.upper()}"
