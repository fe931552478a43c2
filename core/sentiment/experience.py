"""Whether a message reports a bad experience: a negative cue word (not negated), negated praise,
a negative emoji or sarcasm. A low model score alone ("你们的客服电话是多少") reports nothing."""
from __future__ import annotations

from core.sentiment import cues
from core.sentiment.features import find_cues, is_sarcastic, normalise, polar_cues, script_of


def reports_bad_experience(text: str, language: str) -> bool:
    """True when ``text`` itself says something went wrong or displeases the shopper."""
    lang = script_of(text, language)
    text = normalise(text)
    found = polar_cues(text, lang)
    if found.negative or found.negated_positive:
        return True
    return bool(find_cues(text, cues.EMOJI_NEGATIVE, "zh")) or is_sarcastic(text, lang)
