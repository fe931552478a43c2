"""Whether a message reports a problem with an order in plain words ("the zipper broke after two days",
"包裹到了但是少了一件", "I was charged twice"), angry or not: a mention of damage, a fault, something
missing or wrong, a delay, a wrong charge or the shop letting the shopper down
(:data:`core.sentiment.problem_cues.PROBLEMS`), not negated ("nothing is missing", "没坏"), not in a
hypothetical or policy clause ("what if it arrives broken", "万一坏了怎么办"), and in English not a
general question ("can I return a damaged item?", "are there delays?").

Typos are read through: an English word one edit from a problem word that is no ordinary word itself
("borken", "recieved"), a Chinese character replaced by one read alike ("没受到", "杯子怀了") where the
replaced character does not belong to a longer word of the sentence ("三岁了" is no 碎了)."""
from __future__ import annotations

import re
from functools import cache

import jieba
from pypinyin import lazy_pinyin
from rapidfuzz import process
from rapidfuzz.distance import OSA

from core.nlu.word_vectors import known_english_words
from core.sentiment import problem_cues
from core.sentiment.features import is_question, normalise, script_of

MIN_TYPO_LETTERS = 5  # shorter English words have too many ordinary words one edit away
_CLAUSE = {"en": re.compile(r"[,;:.!?()\n]+|\bbut\b|\band then\b"), "zh": re.compile(r"[，,；;：:。.！!？?（）()\s]+|但是|可是|结果")}
_SENTENCE = re.compile(r"(?<=[.!?。！？\n])")
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|im|i've|ive|i'd|my|me|mine|we|our|us)\b")
_EN_TOKEN = re.compile(r"[a-z]+")
_REQUEST = re.compile(r"\s*(?:can|could|may|how|do|does|is|are|will|would|should)\b")
_GENERIC = re.compile(r"\b(?:a|an|any)\s+[a-z'-]+(?:\s+[a-z'-]+)?")
_HAN_PHRASE = re.compile(r"^[\u4e00-\u9fff]{2,}$")


@cache
def _mentions(lang: str, kind: str) -> re.Pattern[str]:
    alternation = "|".join(f"(?:{p})" for p in problem_cues.PROBLEMS[lang][kind])
    return re.compile(rf"(?<![a-z])(?:{alternation})(?![a-z])" if lang == "en" else alternation)


def reports_problem(text: str, language: str) -> bool:
    """True when ``text`` tells of a problem the shopper has, in so many words."""
    return bool(problem_kinds(text, language))


def problem_kinds(text: str, language: str) -> list[str]:
    """The kinds of problem ``text`` tells of (keys of :data:`~core.sentiment.problem_cues.PROBLEMS`:
    damaged, not working, missing, wrong, late, charged, let down by the shop), in that order."""
    lang = script_of(text, language)
    negated = re.compile(problem_cues.NEGATED[lang])
    readings = [r for clause in told_clauses(normalise(text), lang) for r in (clause, _typos_read(clause, lang))]
    return [kind for kind in problem_cues.PROBLEMS[lang] if any(
        not negated.search(reading[:m.start()]) for reading in readings for m in _mentions(lang, kind).finditer(reading))]


def told_clauses(text: str, lang: str) -> list[str]:
    """The clauses of normalised ``text`` that tell what happened: not a hypothetical or policy clause,
    not an English question without "I" or "my", and in a request ("can I return a damaged item?")
    without its things in general."""
    hypothetical = re.compile(problem_cues.NOT_A_REPORT[lang])
    told = []
    for sentence in _SENTENCE.split(text):
        if lang == "en" and is_question(sentence.strip(), lang):
            if not _FIRST_PERSON.search(sentence):
                continue
            if _REQUEST.match(sentence):
                sentence = _GENERIC.sub(" ", sentence)
        told += [c for c in _CLAUSE[lang].split(sentence) if c.strip() and not hypothetical.search(c)]
    return told


def _typos_read(clause: str, lang: str) -> str:
    """``clause`` with its typos of problem words replaced by the words."""
    return _english_typos_read(clause) if lang == "en" else _chinese_typos_read(clause)


@cache
def _english_words() -> tuple[str, ...]:
    """The English problem words long enough to have typos read (letters of the cue patterns)."""
    found = {w for kind in problem_cues.PROBLEMS["en"].values() for p in kind for w in _EN_TOKEN.findall(p)}
    return tuple(sorted(w for w in found if len(w) >= MIN_TYPO_LETTERS))


def _english_typos_read(clause: str) -> str:
    words, known = _english_words(), known_english_words()

    def read(match: re.Match[str]) -> str:
        token = match.group()
        if len(token) < MIN_TYPO_LETTERS or token in known or token in words:
            return token
        near = process.extractOne(token, words, scorer=OSA.distance, score_cutoff=1)
        return near[0] if near and near[0][0] == token[0] else token

    return _EN_TOKEN.sub(read, clause)


@cache
def _chinese_phrases() -> dict[tuple[str, ...], str]:
    """The literal Chinese problem phrases, by the toneless readings of their characters."""
    phrases = {p for kind in problem_cues.PROBLEMS["zh"].values() for pattern in kind for p in pattern.split("|")}
    return {tuple(lazy_pinyin(p)): p for p in sorted(phrases) if _HAN_PHRASE.match(p)}


def _chinese_typos_read(clause: str) -> str:
    phrases = _chinese_phrases()
    lengths = sorted({len(k) for k in phrases}, reverse=True)
    readings = lazy_pinyin(list(clause))
    owner: list[tuple[int, int]] = []
    out, i = [], 0
    while i < len(clause):
        for n in lengths:
            said = clause[i:i + n]
            phrase = phrases.get(tuple(readings[i:i + n])) if len(said) == n else None
            if phrase and phrase != said:
                owner = owner or _word_spans(clause)
            if phrase and phrase != said and _one_replaced(said, phrase, i, owner):
                out.append(phrase)
                i += n
                break
        else:
            out.append(clause[i])
            i += 1
    return "".join(out)


def _word_spans(clause: str) -> list[tuple[int, int]]:
    """For each character, the (start, end) of the jieba word it belongs to."""
    spans, start = [], 0
    for word in jieba.lcut(clause, HMM=False):
        spans += [(start, start + len(word))] * len(word)
        start += len(word)
    return spans


def _one_replaced(said: str, phrase: str, at: int, owner: list[tuple[int, int]]) -> bool:
    """One character differs, and it belongs to no word reaching outside the phrase."""
    differing = [k for k, (a, b) in enumerate(zip(said, phrase)) if a != b]
    if len(differing) != 1:
        return False
    start, end = owner[at + differing[0]]
    return start >= at and end <= at + len(said)

