"""Whether a message reports a bad experience: a negative cue word (not negated), negated praise,
a negative emoji or sarcasm. A low model score alone ("你们的客服电话是多少") reports nothing, and nor does
a cue word in a hypothetical or policy clause or a general question ("what if it's late?", "can I return
a damaged item?", "no problem if it's late": :func:`core.sentiment.problems.told_clauses`)."""
from __future__ import annotations

from core.sentiment import cues
from core.sentiment.features import find_cues, is_sarcastic, normalise, polar_cues, script_of
from core.sentiment.problems import told_clauses


def reports_bad_experience(text: str, language: str) -> bool:
    """True when ``text`` itself says something went wrong or displeases the shopper."""
    lang = script_of(text, language)
    text = normalise(text)
    for clause in told_clauses(text, lang):
        found = polar_cues(clause, lang)
        if found.negative or found.negated_positive:
            return True
    return bool(find_cues(text, cues.EMOJI_NEGATIVE, "zh")) or is_sarcastic(text, lang)


def praises(text: str, language: str) -> bool:
    """True when ``text`` has praise or thanks that is not negated ("很好，谢谢", "it's perfect now")."""
    lang = script_of(text, language)
    return polar_cues(normalise(text), lang).positive > 0
