"""Order details a shopper types: quantities, emails, phone numbers, addresses and dates."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import dateparser

_ZH_DIGITS = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_EN_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
               "nine": 9, "ten": 10, "a couple of": 2, "a pair of": 2}
_QTY_ZH = re.compile(r"(\d{1,3}|[一两二三四五六七八九十])\s*(?:件|个|条|双|瓶|盒|包|只|台|套|份|支|罐)")
_QTY_EN = re.compile(r"\b(?:x\s*(\d{1,3})|(\d{1,3})\s*(?:x|pcs|pieces|units|pairs|of (?:these|them|those|it))"
                     r"|(?:qty|quantity)\s*:?\s*(\d{1,3})|(" + "|".join(_EN_NUMBERS) + r")\s+(?:of (?:these|them|those)|pairs?|pieces|units))\b",
                     re.IGNORECASE)
# ASCII only: an address written against Chinese text ("我的邮箱是olivia@example.com，邮编…") ends where the text starts
EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
PHONE = re.compile(r"(?<![\dA-Za-z#])(?:\+?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)|\+\d{1,3}[\s-]?\(?\d{1,4}\)?(?:[\s-]?\d{2,4}){2,3}(?!\d)")
_ADDRESS_ZH = re.compile(r"[\u4e00-\u9fa5]{2,}(?:省|市|区|县)[\u4e00-\u9fa5\dA-Za-z-]*?\d+\s*号[\u4e00-\u9fa5\dA-Za-z-]*")
# a street ("4127 Maple Avenue"), then as far as written: a unit ("Apt 12"), a city and a state ("Portland, OR",
# "Springfield, Illinois") and a zip code
_ADDRESS_EN = re.compile(r"\b\d{1,5}\s+(?:[A-Z][a-z]+\s+){1,4}(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Boulevard|Blvd|Drive|Dr|Way"
                         r"|Court|Ct|Terrace|Place|Pl|Parkway|Pkwy|Circle|Cir|Highway|Hwy|Square|Sq)\b\.?"
                         r"(?:,?\s*(?:Apt|Apartment|Suite|Ste|Unit|Floor|Fl|Room|#)\.?\s*[A-Za-z0-9-]+)?"
                         r"(?:,\s*[A-Z][A-Za-z]+(?:\s[A-Z][A-Za-z]+)*){0,2}(?:,?\s+\d{5}(?:-\d{4})?)?")
_ADDRESS_LEAD = re.compile(r"^.*?(?:地址|寄到|送到|发到)(?:改成|改为|换成|是|为)?[:：]?\s*")
_WEEKDAYS_ZH = "一二三四五六日天"
_DATE_ZH_WEEK = re.compile(r"(上上|上|这|本|下)(?:个)?(?:周|星期|礼拜)([一二三四五六日天])")
_DATE_ZH_DAY = {"大前天": -3, "前天": -2, "昨天": -1, "昨晚": -1, "今天": 0, "今晚": 0, "明天": 1, "后天": 2}
_DATE_ZH_MONTH_DAY = re.compile(r"(\d{1,2})月(\d{1,2})[日号]")
_DATE_ZH_AGO = re.compile(r"\d+\s*天前")
_DATE_EN = re.compile(r"\b(?:yesterday|today|tonight|tomorrow|(?:last|this|next)\s+(?:mon|tues|wednes|thurs|fri|satur|sun)day"
                      r"|\d+\s+(?:days?|weeks?)\s+ago|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?"
                      r"|\d{4}-\d{2}-\d{2})\b", re.IGNORECASE)


def quantity(text: str) -> int | None:
    """How many items the shopper means ("2件", "两双", "x3", "2 pcs", "two of these")."""
    zh = _QTY_ZH.search(text)
    if zh:
        value = zh.group(1)
        return int(value) if value.isdigit() else _ZH_DIGITS[value]
    en = _QTY_EN.search(text)
    if en:
        digits = next((g for g in en.groups()[:3] if g), None)
        return int(digits) if digits else _EN_NUMBERS[en.group(4).lower()]
    return None


def address(text: str) -> str | None:
    """A street address written in the message, as written."""
    match = _ADDRESS_ZH.search(text) or _ADDRESS_EN.search(text)
    return _ADDRESS_LEAD.sub("", match.group(0)).strip(" ,，。") if match else None


def dates(text: str, today: date) -> list[str]:
    """ISO dates of the days the message names ("昨天", "上周一", "last Monday", "Nov 20")."""
    found = [today + timedelta(days=offset) for word, offset in _DATE_ZH_DAY.items() if word in text]
    for which, day in _DATE_ZH_WEEK.findall(text):
        monday = today - timedelta(days=today.weekday())
        weeks = {"上上": -2, "上": -1, "这": 0, "本": 0, "下": 1}[which]
        found.append(monday + timedelta(weeks=weeks, days=min(_WEEKDAYS_ZH.index(day), 6)))
    for month, day in _DATE_ZH_MONTH_DAY.findall(text):
        if 1 <= int(month) <= 12 and 1 <= int(day) <= 31:
            candidate = date(today.year, int(month), min(int(day), 28 if int(month) == 2 else 30 if int(month) in (4, 6, 9, 11) else 31))
            found.append(candidate if candidate <= today else candidate.replace(year=today.year - 1))
    for span in [*_DATE_ZH_AGO.findall(text), *_DATE_EN.findall(text)]:
        parsed = dateparser.parse(span, languages=["zh", "en"], settings={
            "PREFER_DATES_FROM": "past", "RELATIVE_BASE": _midnight(today)})
        if parsed:
            found.append(parsed.date())
    return sorted({d.isoformat() for d in found})


def _midnight(day: date) -> datetime:
    """Naive midnight of ``day``, the base dateparser counts relative dates from."""
    return datetime(day.year, day.month, day.day)
