"""Removes personal data (phones, emails, card numbers, street addresses) from text sent off the machine."""
from __future__ import annotations

import re

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_CARD = re.compile(r"\b(?:\d[ -]?){12,18}\d\b")
_PHONE = re.compile(r"(?<![\w#])(?:\+?\d{1,3}[ -]?)?(?:1[3-9]\d{9}|\(?\d{2,4}\)?[ -]\d{3,4}[ -]?\d{3,4})(?!\w)")
_ADDRESS_EN = re.compile(r"\b\d{1,5}\s+(?:[A-Z][a-z]+\s+){1,3}(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Boulevard|Blvd|"
                         r"Drive|Dr|Way|Court|Ct|Place|Pl)\b\.?(?:,?\s*(?:Apt|Suite|Unit)\.?\s*\w+)?")
_ADDRESS_ZH = re.compile(r"[\u4e00-\u9fff]{2,}(?:省|市|区|县|镇)[\u4e00-\u9fff\d]*?(?:路|街|道|巷|弄)\s*\d+\s*号"
                         r"(?:\s*[\u4e00-\u9fff\d]*?\s*(?:栋|楼|单元|室))*")


def _luhn(digits: str) -> bool:
    """The card-number checksum, to tell card numbers from other long numbers (tracking numbers)."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def personal_data(text: str) -> list[str]:
    """The emails, card numbers, addresses and phone numbers in ``text`` (what :func:`redact` replaces)."""
    found = _EMAIL.findall(text)
    found += [m for m in _CARD.findall(text) if _luhn(re.sub(r"\D", "", m))]
    return found + _ADDRESS_ZH.findall(text) + _ADDRESS_EN.findall(text) + _PHONE.findall(text)


def redact(text: str) -> str:
    """``text`` with personal data replaced by ``[email]``, ``[card]``, ``[phone]`` and ``[address]``."""
    text = _EMAIL.sub("[email]", text)
    text = _CARD.sub(lambda m: "[card]" if _luhn(re.sub(r"\D", "", m.group(0))) else m.group(0), text)
    text = _ADDRESS_ZH.sub("[address]", text)
    text = _ADDRESS_EN.sub("[address]", text)
    return _PHONE.sub("[phone]", text)
