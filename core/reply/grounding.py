"""Checks a generated reply against the facts it was given: nothing may be added.

Every number (prices, dates, quantities, ids), every code-like token (order ids, tracking numbers,
coupon codes), every month, every catalogue product name and every commitment word (refund,
coupon, compensation …) in the reply must already appear in the allowed text — the action's facts
and the template reply built from them. Claims of status (identity verified, approved, refunded, VIP,
a manager's word, a handoff, a cancellation, a reason for what the shopper wants) and amounts of money
must appear in the *trusted* text: for a reply that is the
allowed text itself; for a staff summary, whose allowed text includes what the shopper typed, only
what the store says (:mod:`core.staff.grounds`). The reply must also be non-empty, short enough, in
the shopper's language, and free of the system prompt, of redaction placeholders and of personal data
(emails, phones, card numbers, addresses) the facts do not hold."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from core.language import detect_language
from core.messages import Language
from core.reply.redact import personal_data

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_CODE = re.compile(r"#?[A-Za-z0-9][A-Za-z0-9_-]{3,}")
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
# A Chinese numeral counts when a measure word follows it ("三十天", "十月", "五折").
_CN_NUMBER = re.compile(r"([零〇一二两三四五六七八九十百千万]+)(?=[天日元块件个月号年周折%小分秒次位])")
_EN_NUMBERS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
_EN_NUMBERS |= {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
                "hundred": 100, "thousand": 1000}
_EN_NUMBER = re.compile(r"\b(" + "|".join(sorted(_EN_NUMBERS, key=len, reverse=True)) + r")\b", re.I)
# "one" is everyday English ("one of these"); it is not treated as a claimed quantity.
_EN_HARMLESS = {"one"}
_MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), start=1)}
_MONTH = re.compile(r"\b(january|february|march|april|june|july|august|september|october|november|december|"
                    r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\b\.?", re.I)
_COMMITMENTS = ("refund", "coupon", "voucher", "discount", "compensat", "cashback", "free", "gift", "promise",
                "guarantee", "退款", "退钱", "优惠券", "代金券", "折扣", "打折", "赔偿", "补偿", "返现", "免费", "赠品",
                "礼品", "保证", "承诺")
# Claims only the store can back, by kind: a text may make one only when the trusted text makes one of
# the same kind. Negations ("unverified", "未验证") are not claims; past forms are ("approved", "已批准").
# ASCII word boundaries, so that "VIP客户" is a claim too.
_CLAIMS = {kind: re.compile(pattern, re.I | re.A) for kind, pattern in {
    "verified": r"\bverified\b|\bauthenticated\b|\bidentity (?:is |was |has been )?(?:confirmed|checked|proven)\b|"
                r"已验证|验证通过|已认证|认证通过|身份已(?:确认|核实|核验)|已核实身份|实名",
    "approved": r"\bapproved\b|\bauthori[sz]ed\b|\bgranted\b|\bsigned off\b|\bsanctioned\b|"
                r"批准|核准|审批通过|审核通过|已同意|已授权|已发放",
    "refunded": r"\brefunded\b|\brefund (?:is |was |has been )?(?:issued|processed|sent|paid|completed|done)\b|"
                r"已退款|退款已|退款成功|退款完成|已退钱",
    "vip": r"\bvip\b|\bpremium (?:customer|member)\b|贵宾|尊贵",
    "manager": r"\bmanager\b|\bsupervisor\b|经理|主管|店长|领导",
}.items()}
# Claims of what the turn did, checked in replies (a staff summary reports what the shopper said):
# a colleague joining, a cancellation, a reason the shopper never gave.
_TURN_CLAIMS = {kind: re.compile(pattern, re.I | re.A) for kind, pattern in {
    # A colleague joining: only a handoff's own reply says that one was made (offers ask, they don't claim).
    "handoff": r"\btransferr(?:ed|ing) you\b|\b(?:I will|I'll|I've|I have|let me) (?:transfer|connect|pass|hand)\b|"
               r"\b(?:asked|called|got|getting) (?:a|my) colleague\b|\bcolleague (?:will|is going to) (?:join|reply)\b|"
               r"(?:已经?|正在|这就|马上|立即|我(?:会|将|来)?)(?:为您|帮您)?(?:转接|转交|转给)|"
               r"(?:同事|人工客服)(?:会|将|马上|稍后|很快)",
    # Why something happened or is wanted: a reason the shopper never gave is not the bot's to supply.
    "reason": r"\bbecause\b|\bdue to\b|\bthe reason (?:is|was|may be|might be|could be)\b|\bas you (?:said|mentioned)\b|"
              r"原因(?:可能|应该|大概)?(?:是|为)(?!什么)|由于|因为|您(?:说|提到)",
    "cancelled": r"\b(?:has been|have|'ve|was|is now) cancell?ed\b|已(?:为您)?取消|取消成功",
}.items()}
# An amount of money: a number with a currency sign or word before or after it.
_MONEY = re.compile(r"(?:[¥￥$€£]|\b(?:rmb|cny|usd|eur|hkd)\b)\s?(\d+(?:[.,]\d+)*)|"
                    r"(\d+(?:[.,]\d+)*)\s?(?:元|块|\b(?:yuan|rmb|cny|usd|eur|hkd|dollars?)\b)", re.I | re.A)
PLACEHOLDER = re.compile(r"\[(?:phone|email|card|address)\]")


@dataclass(frozen=True)
class Violation:
    """One reason a generated reply may not be sent: ``kind`` and the offending ``value``."""

    kind: str
    value: str


class GroundingChecker:
    """Verifies generated replies; knows the catalogue's product names to spot ones not in the facts."""

    def __init__(self, product_names: Iterable[str] = (), max_chars: int = 800) -> None:
        self._product_names = sorted({n.strip().lower() for n in product_names if len(n.strip()) >= 2},
                                     key=len, reverse=True)
        self._max_chars = max_chars

    def check(self, text: str, allowed: str, language: Language, secret: str = "",
              trusted: str | None = None, turn_claims: bool = True) -> list[Violation]:
        """Every reason ``text`` may not be sent; an empty list means it is grounded in ``allowed``.

        ``secret`` is text the reply must not quote (the system prompt); ``trusted`` the part of the
        allowed text that alone may back claims of status and amounts of money (all of it when None);
        ``turn_claims``: also check claims of what the turn did (a handoff, a cancellation, a reason)."""
        if not text.strip():
            return [Violation("empty", "")]
        found: list[Violation] = []
        if len(text) > self._max_chars:
            found.append(Violation("length", str(len(text))))
        found += self._language(text, allowed, language)
        numbers = _numbers(allowed)
        found += [Violation("number", n) for n in _NUMBER.findall(text) if _value(n) not in numbers]
        found += [Violation("number", n) for n, v in _worded_numbers(text) if v not in numbers]
        found += [Violation("month", m) for m in _MONTH.findall(text) if _month(m) not in numbers]
        lowered_allowed = allowed.lower()
        found += [Violation("code", c) for c in _codes(text) if c.lower().lstrip("#") not in lowered_allowed]
        lowered = text.lower()
        found += [Violation("product", n) for n in self._product_names if n in lowered and n not in lowered_allowed]
        found += [Violation("commitment", w) for w in _COMMITMENTS if w in lowered and w not in lowered_allowed]
        found += [Violation("placeholder", p) for p in PLACEHOLDER.findall(text)]
        found += [Violation("personal", p) for p in personal_data(text) if p not in allowed]
        found += [Violation("leak", s) for s in _sentences(secret) if s.lower() in lowered]
        claims = {**_CLAIMS, **_TURN_CLAIMS} if turn_claims else _CLAIMS
        return found + _unbacked_claims(text, allowed if trusted is None else trusted, claims)

    @staticmethod
    def _language(text: str, allowed: str, language: Language) -> list[Violation]:
        """The reply's own words (not Chinese quoted from the facts) must be in the shopper's language."""
        own = text
        if language == "en":
            quoted = set(_HAN_RUN.findall(allowed))
            own = _HAN_RUN.sub(lambda m: " " if m.group(0) in quoted else m.group(0), text)
        guess = detect_language(own, language).language
        return [] if guess == language else [Violation("language", guess)]


def _unbacked_claims(text: str, trusted: str, claims: dict[str, re.Pattern[str]]) -> list[Violation]:
    """Claims (of the kinds in ``claims``) and amounts of money in ``text`` that ``trusted`` does not make."""
    found = [Violation("claim", match.group(0)) for kind, pattern in claims.items()
             if (match := pattern.search(text)) and not pattern.search(trusted)]
    numbers = _numbers(trusted)
    amounts = [a or b for a, b in _MONEY.findall(text)]
    return found + [Violation("money", amount) for amount in amounts if _value(amount) not in numbers]


def _value(number: str) -> Decimal | None:
    """12, 12.50 and 1,299.00 as numbers (a comma between digit groups is a thousands separator)."""
    try:
        return Decimal(number.replace(",", "")).normalize()
    except InvalidOperation:
        return None


def _numbers(allowed: str) -> set[Decimal | None]:
    """Every number the allowed text states, whole and digit run by digit run (dates, ids)."""
    values = {_value(n) for n in _NUMBER.findall(allowed)}
    values |= {_value(n) for n in re.findall(r"\d+", allowed)}
    values |= {v for _, v in _worded_numbers(allowed)}
    return values


def _worded_numbers(text: str) -> list[tuple[str, Decimal]]:
    """Numbers written in words: "三十天" -> 30, "thirty" -> 30."""
    found = [(m, Decimal(_chinese_value(m))) for m in _CN_NUMBER.findall(text)]
    found += [(w, Decimal(_EN_NUMBERS[w.lower()])) for w in _EN_NUMBER.findall(text) if w.lower() not in _EN_HARMLESS]
    return found


def _chinese_value(numeral: str) -> int:
    """A simple Chinese numeral's value: 三十 -> 30, 十五 -> 15, 一百二十 -> 120, 两 -> 2."""
    total, digit = 0, 0
    for char in numeral:
        if char in _CN_DIGITS:
            digit = _CN_DIGITS[char]
        else:
            total += (digit or 1) * _CN_UNITS[char]
            digit = 0
    return total + digit


def _month(name: str) -> Decimal:
    key = name.lower().rstrip(".")
    number = next(n for full, n in _MONTHS.items() if full.startswith(key[:3]))
    return Decimal(number)


def _codes(text: str) -> list[str]:
    """Tokens shaped like ids and codes: letters mixed with digits, or four or more capitals."""
    return [c for c in _CODE.findall(text)
            if (re.search(r"\d", c) and re.search(r"[A-Za-z]", c)) or (c.lstrip("#").isupper() and c.isalpha())]


def _sentences(text: str) -> list[str]:
    """The longer sentences of a text, to spot it being quoted."""
    return [s.strip() for s in re.split(r"[\n.。!！?？]", text) if len(s.strip()) >= 24]
