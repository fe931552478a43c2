"""Which language a shopper writes in: Chinese, English, or a mix of both."""
from __future__ import annotations

import re
from dataclasses import dataclass

from core.messages import Language

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# words of no language of their own: the labels of identity details and codes, a bare ok / yes / no
# ("email mei@… zip 32204" from a Chinese shopper stays in Chinese)
_NEUTRAL_WORDS = frozenset({"email", "mail", "zip", "zipcode", "postcode", "postal", "code", "phone", "tel", "mobile",
                            "id", "no", "ok", "okay", "yes"})
_ORDER_LIKE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|#?[A-Z]{1,3}\d{5,}|\d{5,}")  # emails count as neither


@dataclass(frozen=True)
class LanguageGuess:
    """``language`` is the one to reply in; ``mixed`` says both scripts carry words."""

    language: Language
    mixed: bool


def detect_language(text: str, fallback: Language = "en") -> LanguageGuess:
    """Guess the language from the scripts used. Order numbers, codes, emails and their labels ("zip",
    "email") don't count as English, so a message of only those keeps ``fallback`` (the conversation's
    language); a message with any real Chinese is answered in Chinese ("我的order到了吗" -> zh, mixed)."""
    cleaned = _ORDER_LIKE.sub(" ", text)
    han = len(_HAN.findall(cleaned))
    latin_words = sum(word.lower() not in _NEUTRAL_WORDS for word in _LATIN_WORD.findall(cleaned))
    if han == 0 and latin_words == 0:
        return LanguageGuess(fallback, False)
    if han == 0:
        return LanguageGuess("en", False)
    return LanguageGuess("zh", latin_words > 0)


def pick_language(*candidates: object, default: Language) -> Language:
    """The first of ``candidates`` that Kefu speaks ("zh", "en"), else ``default`` (the shop's
    ``KEFU_DEFAULT_LANGUAGE``): the one fallback every part uses to choose the language to talk in.
    Callers pass, most specific first, the conversation's language, the customer's own choice and the
    channel's hint (the app's or browser's language)."""
    for candidate in candidates:
        if candidate in ("zh", "en"):
            return candidate  # type: ignore[return-value]
    return default
