"""A small bilingual lexicon scorer with negation and intensifiers: the foundation's analyser."""
from __future__ import annotations

import re

from core.sentiment.base import Sentiment, SentimentAnalyzer

_POSITIVE = ["好", "喜欢", "满意", "不错", "赞", "棒", "谢谢", "开心", "完美", "漂亮", "great", "good", "love",
             "nice", "thanks", "thank", "perfect", "happy", "awesome", "excellent", "amazing", "😊", "👍", "❤"]
_NEGATIVE = ["差", "烂", "生气", "失望", "垃圾", "骗", "投诉", "坏", "慢", "破", "退款", "气死", "糟糕", "太贵",
             "bad", "terrible", "awful", "angry", "disappointed", "broken", "worst", "hate", "scam", "late",
             "damaged", "wrong", "useless", "ridiculous", "complaint", "😡", "😠", "👎"]
_NEGATORS = ["不", "没", "别", "not", "no", "never", "don't", "isn't", "wasn't", "didn't"]
_INTENSIFIERS = ["很", "非常", "太", "超", "真", "very", "so", "really", "extremely", "!!"]


class LexiconSentiment(SentimentAnalyzer):
    """Counts positive and negative words; a negator just before a word flips it."""

    def __init__(self, threshold: float = 0.25) -> None:
        self._threshold = threshold

    async def analyze(self, text: str, language: str) -> Sentiment:
        """Score ``text``; a plain question scores neutral."""
        lowered = text.lower()
        score = 0.0
        for words, sign in ((_POSITIVE, 1.0), (_NEGATIVE, -1.0)):
            for word in words:
                for match in re.finditer(re.escape(word), lowered):
                    before = lowered[max(0, match.start() - 6):match.start()]
                    flipped = any(n in before for n in _NEGATORS) and not (sign < 0 and word in ("不", "没"))
                    weight = 1.5 if any(i in before for i in _INTENSIFIERS) else 1.0
                    score += -sign * weight if flipped else sign * weight
        if "!!" in lowered or "！！" in lowered:
            score *= 1.3
        normalised = max(-1.0, min(1.0, score / 3))
        if normalised <= -self._threshold:
            return Sentiment("negative", round(normalised, 3))
        if normalised >= self._threshold:
            return Sentiment("positive", round(normalised, 3))
        return Sentiment("neutral", round(normalised, 3))
