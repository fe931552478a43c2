"""The service emotions of one message, from cue words, punctuation and the message's polarity.

Each emotion gets a strength in (0, 1]; absent emotions are left out. A cue word preceded by a
negator in the same clause ("一点也不失望", "not worried") does not count."""
from __future__ import annotations

from core.sentiment import cues
from core.sentiment.features import clause_before, find_cues, has_any, is_sarcastic

EMOTIONS = ("angry", "anxious", "urgent", "disappointed", "confused", "satisfied")


def _cue_count(text: str, emotion: str, lang: str) -> int:
    count = 0
    for match in find_cues(text, cues.EMOTION_CUES[emotion][lang], lang):
        if not has_any(clause_before(text, match.start(), lang), cues.NEGATORS[lang], lang):
            count += 1
    return count


def detect_emotions(text: str, lang: str, score: float) -> dict[str, float]:
    """Emotions of normalised ``text`` (script ``lang``) whose sentiment score is ``score`` in [-1, 1]."""
    shouting = "!!" in text or "??" in text
    found: dict[str, float] = {}
    for emotion in EMOTIONS:
        count = _cue_count(text, emotion, lang)
        if emotion == "satisfied":
            if score < 0.3 or (count == 0 and score < 0.6):
                continue
            strength = 0.4 + 0.6 * score
        elif emotion in ("angry", "disappointed"):
            if score > -0.2:
                continue  # a complaint word in a positive or neutral message is not anger
            if emotion == "angry" and (is_sarcastic(text, lang) or (shouting and score < -0.5)):
                count += 1
            if count == 0:
                continue
            strength = 0.35 + 0.2 * count + 0.3 * -score + (0.15 if shouting else 0.0)
        else:
            if count == 0:
                continue
            strength = 0.5 + 0.2 * count + (0.15 if shouting else 0.0)
        found[emotion] = round(min(1.0, strength), 2)
    return found
