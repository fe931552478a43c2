"""Sentences of a reply being written (zh and en punctuation), and what of a template reply a text
has not yet said (the remainder a streamed reply finishes with; docs/LLM.md, Streaming)."""
from __future__ import annotations

import re

from core.messages import Language

# A sentence ends after 。！？!?… (with closing quotes or brackets), a full stop before white space (not
# "99.00" or "kefu.example"), or line breaks.
_END = re.compile(r"[。！？!?…]+[”’\"'）)\]」』]*|\.+(?=\s)[”’\"')\]]*|\n+")
# Ids, codes, prices, dates and counts: a sentence that states one is said only where it appears.
KEY_TOKENS = re.compile(r"#?[A-Za-z]*\d(?:[A-Za-z0-9.,:-]*[A-Za-z0-9])?")
QUESTION = re.compile(r"[?？]")
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[a-z]{3,}")
_STOP_WORDS = frozenset("the and you your for are our with this that have has can will not all any was were "
                        "from they them their its it's into out about there here what when which who".split())
COVERED_SHARE = 0.5  # of a template sentence's words (en) or character pairs (zh) a text must hold to say it


def cut_sentences(text: str, final: bool = False) -> tuple[list[str], str]:
    """The complete sentences at the start of ``text`` and the unfinished rest. White space between
    sentences starts the next one, so the sentences joined are the text. A sentence end at the very end
    of ``text`` waits for the next character (a closing quote may follow) unless ``final``, when the rest
    is a sentence too."""
    sentences: list[str] = []
    start = 0
    for end in _END.finditer(text):
        if end.end() == len(text) and not final:
            break
        sentences.append(text[start:end.end()])
        start = end.end()
    rest = text[start:]
    if final and rest.strip():
        sentences.append(rest)
        rest = ""
    return sentences, rest


def says(text: str, sentence: str) -> bool:
    """True when ``text`` says what ``sentence`` (of a template reply) says: every id, price, date and
    count of it, a question if it asks one, and at least half its words (en) or character pairs (zh)."""
    if any(token not in text for token in KEY_TOKENS.findall(sentence)):
        return False
    if QUESTION.search(sentence) and not QUESTION.search(text):
        return False
    units = _units(sentence)
    return not units or len(units & _units(text)) >= COVERED_SHARE * len(units)


def remainder(draft: str, shown: str, language: Language) -> str:
    """What to send after ``shown`` (the model's sentences the shopper saw) so that every fact and
    question of ``draft`` reaches them: the draft's sentences ``shown`` does not say, in order, joined
    to ``shown`` as the language writes sentences, and the draft's closing question again when ``shown``
    asked it but went on (the reply must end with the shopper's turn). Nothing shown: the draft itself."""
    if not shown.strip():
        return draft
    sentences = [s.strip() for s in cut_sentences(draft, final=True)[0] if s.strip()]
    missing = [s for s in sentences if not says(shown, s)]
    if sentences and QUESTION.search(sentences[-1][-1:]) and not QUESTION.search(shown.rstrip()[-1:]) \
            and sentences[-1] not in missing:
        missing.append(sentences[-1])  # the draft ends with the shopper's turn to answer: so must the reply
    if not missing:
        return ""
    separator = "\n" if "\n" in draft.strip() else "" if language == "zh" else " "
    return separator + separator.join(missing)


def _units(text: str) -> set[str]:
    """Character pairs of the Chinese runs and the content words of the rest, to compare wordings."""
    pairs = {run[i:i + 2] for run in _HAN_RUN.findall(text) for i in range(max(1, len(run) - 1))}
    words = {w for w in _WORD.findall(_HAN_RUN.sub(" ", text.lower())) if w not in _STOP_WORDS}
    return pairs | words
