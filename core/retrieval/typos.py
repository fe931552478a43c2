"""Typos of known words in a shopper's message: one edit of an English word or phrase ("headphnes",
"runing shoes", "ear buds"), one Chinese character replaced by a homophone ("蓝芽", "跑部鞋"; in a word of
three or more characters also a near homophone by fuzzy pinyin) or, inside such a word, by any
character ("连血裙").

A candidate that is itself an ordinary word is never a typo ("charged" is no charger, "暑假" no 书架):
English words the NLU's word vectors know (wordfreq's 20,000 most frequent words, VADER's lexicon, the
training words), a word of jieba's Chinese dictionary, and the words and character pairs of the shop's
own catalogue ("高帮鞋" is no 板鞋 where a title says 高帮). An English typo keeps its word's first
letter and is at least four letters long."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import jieba
from rapidfuzz import process
from rapidfuzz.distance import OSA

from core.nlu.noise import reading
from core.nlu.word_vectors import known_english_words

MIN_ENGLISH_LETTERS = 5  # a shorter word ("lamp", "mug") has too many ordinary words one edit away
MIN_TYPO_LETTERS = 4
# Type words are short; a longer product title is matched whole by the entity extractor's fuzzy title match.
MAX_ENGLISH_TOKENS = 3
MAX_CHINESE_CHARACTERS = 6
_TOKEN = re.compile(r"[a-z0-9][a-z0-9'-]*")
_HAN = re.compile(r"[\u4e00-\u9fff]+")
# Fuzzy pinyin, what accents and input methods blur: zh/z, ch/c, sh/s, l/n, ang/an, eng/en, ing/in.
_FUZZY_PINYIN = ((re.compile(r"^([zcs])h"), r"\1"), (re.compile(r"^l"), "n"), (re.compile(r"([aei])ng$"), r"\1n"))


@dataclass(frozen=True)
class Typo:
    """A known word written with a typo: ``said`` as the message has it, ``word`` as it is known."""

    said: str
    word: str


def word_frequency(text: str) -> int:
    """How often jieba's dictionary counts ``text`` as a word of its own (0: not a word, or only a prefix)."""
    jieba.dt.check_initialized()
    return int(jieba.get_FREQ(text) or 0)


def near_reading(a: str, b: str, fuzzy: bool = True) -> bool:
    """Two Chinese characters read alike: the same toneless pinyin, or (``fuzzy``) the same after
    fuzzy pinyin."""
    ra, rb = reading(a), reading(b)
    if ra == rb or not fuzzy:
        return ra == rb
    for pattern, replacement in _FUZZY_PINYIN:
        ra, rb = pattern.sub(replacement, ra), pattern.sub(replacement, rb)
    return ra == rb


def _stem(phrase: str) -> str:
    """The phrase without a plural "s" on its last word ("running shoes" -> "running shoe")."""
    return phrase[:-1] if phrase.endswith("s") and len(phrase) > 3 else phrase


class TypoFinder:
    """Finds typos of ``words`` (a catalogue's vocabulary) in messages; ``shop_text`` (titles, category
    names) holds the shop's own words, which are never taken for typos."""

    def __init__(self, words: Iterable[str], shop_text: Iterable[str]) -> None:
        words = {w.lower() for w in words}
        english = sorted(w for w in words if w.isascii() and len(w.replace(" ", "")) >= MIN_ENGLISH_LETTERS
                         and len(w.split()) <= MAX_ENGLISH_TOKENS)
        self._english: dict[tuple[int, str], list[str]] = {}  # (tokens, first letter) -> words
        self._compact: dict[str, list[str]] = {}  # "earbuds" -> ["earbuds"], for "ear buds"
        for word in english:
            self._english.setdefault((len(word.split()), word[0]), []).append(word)
            self._compact.setdefault(word.replace(" ", ""), []).append(word)
        self._stems = {key: [_stem(w) for w in group] for key, group in self._english.items()}
        self._sizes = sorted({size for size, _ in self._english})
        self._wildcards: dict[str, list[str]] = {}  # "连?裙" -> ["连衣裙", "连身裙"]
        for word in (w for w in words if 2 <= len(w) <= MAX_CHINESE_CHARACTERS and _HAN.fullmatch(w)):
            for i in range(len(word)):
                self._wildcards.setdefault(word[:i] + "?" + word[i + 1:], []).append(word)
        own = " ".join(shop_text).lower()
        self._own_words = set(_TOKEN.findall(own))
        self._own_pairs = {run[i:i + 2] for run in _HAN.findall(own) for i in range(len(run) - 1)}

    def find(self, lowered: str) -> Typo | None:
        """The longest known word the lower-cased text has a typo of, or None."""
        found = [t for t in (self._english_typo(lowered), self._chinese_typo(lowered)) if t]
        return max(found, key=lambda t: len(t.word)) if found else None

    # -- English ---------------------------------------------------------------------------------
    def _english_typo(self, lowered: str) -> Typo | None:
        tokens = _TOKEN.findall(lowered)
        best: tuple[int, int, str, Typo] | None = None  # fewest edits, then the longest word
        for size in self._sizes:
            for width in {size - 1, size, size + 1} - {0}:
                for start in range(len(tokens) - width + 1):
                    window = tokens[start:start + width]
                    for word, edits in self._english_matches(window, size):
                        candidate = (edits, -len(word), word, Typo(" ".join(window), word))
                        best = candidate if best is None or candidate[:3] < best[:3] else best
        return best[3] if best else None

    def _english_matches(self, window: list[str], size: int) -> list[tuple[str, int]]:
        """(word, edits) of the words of ``size`` tokens that ``window`` writes with at most one edit
        (a singular or plural form counts as none); the word itself is the exact match's, not a typo.
        A typo keeps the first letter, so only words of that first letter are compared."""
        phrase = " ".join(window)
        if len(window) != size:  # a space too many or too few: "ear buds", "head phones"
            compact = phrase.replace(" ", "")
            found = {*self._compact.get(compact, ()), *self._compact.get(_stem(compact), ())}
            return [(w, 1) for w in sorted(found) if len(w.split()) == size]
        key = (size, phrase[0])
        if key not in self._stems:
            return []
        group = self._english[key]
        matches = process.extract(_stem(phrase), self._stems[key], scorer=OSA.distance, score_cutoff=1, limit=None)
        words = [(group[i], int(edits)) for _, edits, i in matches]
        return [(w, edits) for w, edits in words if phrase not in (w, w + "s", w + "es")
                and (edits == 0 or self._english_typo_of(window, w.split()))]

    def _english_typo_of(self, window: list[str], parts: list[str]) -> bool:
        """The one token that differs is no ordinary word, keeps the first letter and is long enough."""
        differing = [(said, word) for said, word in zip(window, parts) if _stem(said) != _stem(word)]
        return len(differing) == 1 and all(
            said[0] == word[0] and len(said) >= MIN_TYPO_LETTERS and not self._known_english(said)
            for said, word in differing)

    def _known_english(self, token: str) -> bool:
        return token in known_english_words() or token in self._own_words

    # -- Chinese ---------------------------------------------------------------------------------
    def _chinese_typo(self, lowered: str) -> Typo | None:
        """The longest word written with a typo; of two, the one read alike, then the commoner word
        in jieba's dictionary ("连血裙" is 连衣裙 rather than 连身裙)."""
        found: list[tuple[int, bool, int, str, str]] = []
        lengths = {len(key) for key in self._wildcards}
        for run in _HAN.findall(lowered):
            for n in (n for n in lengths if n <= len(run)):
                for start in range(len(run) - n + 1):
                    found += [(n, alike, word_frequency(word), word, run[start:start + n])
                              for word, alike in self._chinese_matches(run, start, n)]
        if not found:
            return None
        *_, word, said = max(found)
        return Typo(said, word)

    def _chinese_matches(self, run: str, start: int, n: int) -> list[tuple[str, bool]]:
        """(word, read alike) of the known words that ``run[start:start + n]`` writes with one character
        replaced: read alike, or inside a word of three or more characters; never where the window is
        a word of its own or the replaced character and a neighbour in the text are a pair the shop
        writes."""
        window = run[start:start + n]
        out = []
        for i in range(n):
            for word in self._wildcards.get(window[:i] + "?" + window[i + 1:], ()):
                if word == window:
                    continue
                alike = near_reading(window[i], word[i], fuzzy=n >= 3)
                inside = n >= 3 and 0 < i < n - 1
                if (alike or inside) and not self._known_chinese(run, start + i, window):
                    out.append((word, alike))
        return out

    def _known_chinese(self, run: str, at: int, window: str) -> bool:
        pairs = {run[at - 1:at + 1] if at else "", run[at:at + 2]} - {"", run[at]}
        return bool(pairs & self._own_pairs) or word_frequency(window) > 0
