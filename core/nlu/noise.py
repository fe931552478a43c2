"""Seeded typo noise for NLU messages: what shoppers' fingers and input methods do to text.

English words get a keyboard-neighbour letter, a dropped, doubled or swapped letter, or lose the
space before them; Chinese characters are replaced by a homophone (same toneless pinyin, among the
3,755 most common characters, GB2312 level 1) or dropped. Order ids, emails and numbers are never
touched, so a noisy copy keeps its entities. The same text, rate and seed give the same result."""
from __future__ import annotations

import random
import re
from functools import lru_cache

from pypinyin import lazy_pinyin

from core.nlu.details import EMAIL
from core.nlu.entities import ORDER_ID

_PROTECTED = re.compile(f"{EMAIL.pattern}|{ORDER_ID.pattern}|#?\\w*\\d\\w*", re.IGNORECASE)
_TOKEN = re.compile(r"[A-Za-z]{3,}|[\u4e00-\u9fff]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _neighbours() -> dict[str, str]:
    """Letters next to each letter on a QWERTY keyboard (same row and the rows above and below)."""
    position = {c: (r, i) for r, row in enumerate(_KEYBOARD_ROWS) for i, c in enumerate(row)}
    return {c: "".join(d for d, (r2, i2) in position.items() if d != c and abs(r2 - r) <= 1 and abs(i2 - i) <= 1)
            for c, (r, i) in position.items()}


_NEIGHBOURS = _neighbours()


def reading(char: str) -> str:
    """The toneless pinyin of one Chinese character ("衣" -> "yi"); the character itself when it has none."""
    return lazy_pinyin(char)[0]


@lru_cache(maxsize=1)
def _homophones() -> dict[str, tuple[str, ...]]:
    """Toneless pinyin -> the common characters (GB2312 level 1) read that way."""
    table: dict[str, list[str]] = {}
    for high in range(0xB0, 0xD8):
        for low in range(0xA1, 0xFF):
            try:
                char = bytes((high, low)).decode("gb2312")
            except UnicodeDecodeError:
                continue
            table.setdefault(reading(char), []).append(char)
    return {pinyin: tuple(chars) for pinyin, chars in table.items()}


def english_typo(word: str, rng: random.Random) -> str:
    """``word`` with one typo: a neighbouring key, a dropped, doubled or swapped letter."""
    i = rng.randrange(len(word))
    kind = rng.choice(("neighbour", "drop", "double", "swap"))
    if kind == "neighbour" and word[i].lower() in _NEIGHBOURS:
        return word[:i] + rng.choice(_NEIGHBOURS[word[i].lower()]) + word[i + 1:]
    if kind == "double":
        return word[:i + 1] + word[i] + word[i + 1:]
    if kind == "swap" and i + 1 < len(word):
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    return word[:i] + word[i + 1:]


def chinese_typo(char: str, rng: random.Random) -> str:
    """``char`` replaced by a common homophone (another character with its toneless pinyin), or
    dropped when it has none or one time in four."""
    others = [c for c in _homophones().get(reading(char), ()) if c != char]
    if not others or rng.random() < 0.25:
        return ""
    return rng.choice(others)


def add_noise(text: str, rate: float = 0.1, seed: int = 0) -> str:
    """``text`` with each English word (3+ letters) or Chinese character made a typo with
    probability ``rate``; an English word also loses the space before it with probability
    ``rate / 2``. Order ids, emails and anything with a digit stay as they are."""
    rng = random.Random(f"{seed}:{text}")
    kept = [m.span() for m in _PROTECTED.finditer(text)]
    out: list[str] = []
    last = 0
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        if any(a < end and start < b for a, b in kept):
            continue
        gap = text[last:start]
        token = match.group()
        is_word = not _HAN.match(token)
        if is_word and gap == " " and out and rng.random() < rate / 2:
            gap = ""
        out.append(gap)
        if rng.random() < rate:
            token = english_typo(token, rng) if is_word else chinese_typo(token, rng)
        out.append(token)
        last = end
    out.append(text[last:])
    return "".join(out)
