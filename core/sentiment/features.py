"""Turns a message into the sparse features the sentiment model scores: character / word n-grams (for
Chinese also jieba's words and word pairs) plus cue features (polar words with negation and
intensifiers, emoji, repeated punctuation, sarcasm, plain questions, and VADER's compound score for
English). Shared by training and run time, so both see
exactly the same features."""
from __future__ import annotations

import logging
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

import jieba
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from core.sentiment import cues

_CLAUSE_BREAK = re.compile(r"[,.;!?~\s，。；！？～…]")
_EN_TOKEN = re.compile(r"[a-z0-9']+|[^\sa-z0-9]")
_ZH_QUESTION_END = re.compile(r"(吗|呢|么|嘛|没有|不|几|多少|哪|啥|什么|怎么|是否)[?？]*$|[?？]$")
_ZH_QUESTION_START = re.compile(r"(请问|有没有|能不能|可不可以|是不是|会不会|怎么|如何|多久|几天)")
_REPEATED_BANG = re.compile(r"!{2,}")
_REPEATED_QUESTION = re.compile(r"\?{2,}")
_ZH_FALSE_NEGATIONS = ("不错", "没问题", "没想到", "不客气", "不得不")
# Cue counts are scaled up so that L2 regularisation lets them outweigh the many review n-grams
# (the review corpus teaches "满意" as positive; "不是很满意" needs the negation cue to win).
CUE_SCALE = 3.0
jieba.setLogLevel(logging.WARNING)


def normalise(text: str) -> str:
    """NFKC (full-width to half-width), lower case, runs of 4+ identical characters cut to 3."""
    text = unicodedata.normalize("NFKC", text).lower().strip()
    return re.sub(r"(.)\1{3,}", r"\1\1\1", text)


def script_of(text: str, language: str) -> str:
    """``zh`` when the message has Chinese characters (or is declared zh), else ``en``."""
    if language == "zh" or re.search(r"[\u4e00-\u9fff]", text):
        return "zh"
    return "en"


@cache
def _pattern(words: tuple[str, ...], english: bool) -> re.Pattern[str]:
    alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![a-z'])(?:{alternation})(?![a-z])" if english else f"(?:{alternation})")


def find_cues(text: str, words: list[str], lang: str) -> list[re.Match[str]]:
    """Non-overlapping matches of ``words`` in normalised ``text``, longest first."""
    return list(_pattern(tuple(words), lang == "en").finditer(text))


def clause_before(text: str, start: int, lang: str) -> str:
    """The few characters (zh) or words (en) before ``start`` within the same clause."""
    before = _CLAUSE_BREAK.split(text[max(0, start - 24):start])[-1] if lang == "zh" else text[:start]
    if lang == "zh":
        window = before[-5:]
        for phrase in _ZH_FALSE_NEGATIONS:
            window = window.replace(phrase, "")
        return window
    clause = re.split(r"[,.;!?]", before)[-1]
    return " ".join(clause.split()[-3:])


def has_any(window: str, words: list[str], lang: str) -> bool:
    """Whether one of ``words`` occurs in ``window`` (as a substring in zh, as a word in en)."""
    if lang == "zh":
        return any(w in window for w in words)
    tokens = set(window.split())
    return any(w in tokens for w in words)


@dataclass
class PolarCues:
    """Weighted counts of polar cue words after negation and intensifiers."""

    positive: float = 0.0
    negative: float = 0.0
    negated_positive: float = 0.0
    negated_negative: float = 0.0

    @property
    def net(self) -> float:
        """Positive minus negative evidence, negation applied."""
        return self.positive + self.negated_negative - self.negative - self.negated_positive


def polar_cues(text: str, lang: str) -> PolarCues:
    """Count polar words in normalised ``text``; a negator just before flips, an intensifier weighs 1.5."""
    counts = PolarCues()
    positive = set(cues.POSITIVE[lang])
    for match in find_cues(text, cues.POSITIVE[lang] + cues.NEGATIVE[lang], lang):
        window = clause_before(text, match.start(), lang)
        weight = 1.5 if has_any(window, cues.INTENSIFIERS[lang], lang) else 1.0
        negated = has_any(window, cues.NEGATORS[lang], lang)
        if match.group() in positive:
            if negated:
                counts.negated_positive += weight
            else:
                counts.positive += weight
        elif negated:
            counts.negated_negative += weight
        else:
            counts.negative += weight
    return counts


def is_sarcastic(text: str, lang: str) -> bool:
    """A positive opener followed by a complaint ("great, another wrong item"), or an exasperation
    marker ("真是醉了")."""
    if find_cues(text, cues.EXASPERATION[lang], lang):
        return True
    opener = find_cues(text[:16], cues.SARCASM_OPENERS[lang], lang)
    if not opener or opener[0].start() > 3:
        return False
    rest = text[opener[0].end():]
    return bool(re.match(r"\s*[,!.，！。~～…]", rest)) and bool(find_cues(rest, cues.SARCASM_COMPLAINTS[lang], lang))


def is_question(text: str, lang: str) -> bool:
    """Ends like a question."""
    stripped = text.rstrip("~～.。 ")
    if lang == "zh":
        return bool(_ZH_QUESTION_END.search(stripped) or _ZH_QUESTION_START.match(stripped))
    return stripped.endswith("?") or bool(re.match(
        r"(do|does|is|are|can|could|will|would|how|what|when|where|which|who|why|any)\b", stripped))


def _word_grams(tokens: list[str], grams: set[str]) -> None:
    """Add words and word pairs of ``tokens`` (with start / end markers) to ``grams``."""
    tokens = ["^", *tokens, "$"]
    for i, token in enumerate(tokens):
        grams.add("w:" + token)
        if i:
            grams.add("w:" + tokens[i - 1] + " " + token)


def _ngrams(text: str, lang: str) -> set[str]:
    grams: set[str] = set()
    if lang == "zh":
        chars = "^" + re.sub(r"\s+", "", text) + "$"
        for n in (1, 2, 3):
            for i in range(len(chars) - n + 1):
                grams.add("c:" + chars[i:i + n])
        _word_grams([w for w in jieba.lcut(text, HMM=False) if w.strip()], grams)
        return grams
    tokens = _EN_TOKEN.findall(text)
    _word_grams(tokens, grams)
    for word in tokens:
        padded = f"<{word}>"
        for i in range(len(padded) - 2):
            grams.add("c:" + padded[i:i + 3])
    return grams


@lru_cache(maxsize=1)
def _vader() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


def featurise(raw: str, language: str) -> tuple[str, dict[str, float]]:
    """The script (zh / en) whose model scores ``raw``, and its features."""
    text = normalise(raw)
    lang = script_of(text, language)
    grams = _ngrams(text, lang)
    size = 1 / math.sqrt(len(grams))  # unit length: long reviews and short chat lines weigh alike
    features = {name: size for name in grams}
    polar = polar_cues(text, lang)
    for name, value in (("pos", polar.positive), ("neg", polar.negative),
                        ("pos_negated", polar.negated_positive), ("neg_negated", polar.negated_negative)):
        if value:
            features["cue:" + name] = CUE_SCALE * value
    if is_sarcastic(text, lang):
        features["cue:sarcasm"] = 1.0
    emoji_pos = sum(text.count(e) for e in cues.EMOJI_POSITIVE)
    emoji_neg = sum(text.count(e) for e in cues.EMOJI_NEGATIVE)
    if emoji_pos:
        features["cue:emoji_pos"] = float(min(emoji_pos, 3))
    if emoji_neg:
        features["cue:emoji_neg"] = float(min(emoji_neg, 3))
    if _REPEATED_BANG.search(text):
        features["punct:!!"] = 1.0
    if _REPEATED_QUESTION.search(text):
        features["punct:??"] = 1.0
    question = is_question(text, lang)
    if question:
        features["shape:question"] = 1.0
        if not (polar.positive or polar.negative or polar.negated_positive or emoji_pos or emoji_neg):
            features["shape:plain_question"] = 1.0
    if lang == "en":
        if sum(1 for w in re.findall(r"[A-Za-z]{3,}", raw) if w.isupper()) >= 1 and not raw.isupper():
            features["shape:caps"] = 1.0
        compound = _vader().polarity_scores(raw)["compound"]
        if compound > 0:
            features["vader:pos"] = compound
        elif compound < 0:
            features["vader:neg"] = -compound
    return lang, features
