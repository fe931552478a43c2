"""``kefu eval nlu [FILE]``: intent accuracy, macro-F1, per-intent precision/recall, calibration
(ECE), a confusion-matrix PNG and entity F1.

Without FILE it judges the shipped held-out split and the two fresh held-out sets (intents, per
language, each on its own) and the labelled entity set. FILE may be Rasa YAML, TSV (text<TAB>intent) or JSON lines (text, intent, optional entities)."""
from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

import numpy as np
from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

from bot.app import build_nlu, open_store
from bot.settings import Settings
from core.language import detect_language
from core.nlu.base import NLU
from core.nlu.labelled import ENTITY_TEST_FILE, held_out, read_labelled
from core.nlu.noise import add_noise
from core.nlu.rasa import Example
from core.nlu.training import FRESH2_FILES, FRESH_FILES

TOPIC = "nlu"
HELP = "intent accuracy, macro-F1, per-intent P/R, calibration, confusion matrix and entity F1"
ENTITY_KEYS = ("order_id", "size", "color", "min_price_cents", "max_price_cents")
BINS = 10


def configure(parser: argparse.ArgumentParser) -> None:
    """Options of ``kefu eval nlu``."""
    parser.add_argument("file", nargs="?", type=Path, help="labelled messages (.yml, .tsv, .jsonl); default: held-out split")
    parser.add_argument("--out", type=Path, default=Path("var/eval/nlu"), help="folder for the confusion-matrix PNG")
    parser.add_argument("--per-intent", action="store_true", help="print precision and recall of every intent")
    parser.add_argument("--noise", action="store_true", help="also score typo-noised copies (core/nlu/noise.py), side by side")
    parser.add_argument("--noise-rate", type=float, default=0.1, help="chance a word or character gets a typo (default 0.1)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the noise (default 0)")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Evaluate the assistant's configured NLU and print the numbers."""
    try:
        if args.file:
            examples = read_labelled(args.file)
            sets = [("", examples, "confusion.png")]
            entity_examples = [e for e in examples if e.entities]
        else:
            sets = [("held-out split", held_out(), "confusion.png"),
                    ("fresh held-out set", [e for path in FRESH_FILES for e in read_labelled(path)], "confusion_fresh.png"),
                    ("second fresh set", [e for path in FRESH2_FILES for e in read_labelled(path)],
                     "confusion_fresh2.png")]
            entity_examples = read_labelled(ENTITY_TEST_FILE)
    except (OSError, ValueError) as exc:
        print(f"kefu eval nlu: {exc}")
        return 2
    store = open_store(settings)
    try:
        nlu = build_nlu(store, settings)
        every = [e for _, examples, _ in sets for e in examples]
        results = asyncio.run(_parse_all(nlu, [e.text for e in every + entity_examples]))
        noisy = (asyncio.run(_parse_all(nlu, [add_noise(e.text, args.noise_rate, args.seed) for e in every]))
                 if args.noise else [])
    finally:
        store.close()
    start = 0
    for name, examples, png in sets:
        if name:
            print(f"[{name}]")
        print_intent_scores(examples, results[start:start + len(examples)], args.per_intent, args.out / png)
        if noisy:
            print_noise_scores(examples, results[start:start + len(examples)], noisy[start:start + len(examples)],
                               args.noise_rate, args.seed)
        start += len(examples)
    if entity_examples:
        print_entity_scores(entity_examples, results[start:])
    return 0


async def _parse_all(nlu: NLU, texts: list[str]) -> list:
    return [await nlu.parse(text) for text in texts]


def expected_calibration_error(confidences: np.ndarray, correct: np.ndarray, bins: int = BINS) -> float:
    """Average gap between confidence and accuracy over equal-width confidence bins."""
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(confidences, edges[1:-1]), 0, bins - 1)
    return float(sum(abs(confidences[which == b].mean() - correct[which == b].mean()) * (which == b).mean()
                     for b in range(bins) if (which == b).any()))


def print_intent_scores(examples: list[Example], results: list, per_intent: bool, png: Path) -> None:
    """Accuracy and macro-F1 overall and per language, ECE, per-intent P/R and the confusion PNG."""
    gold = [e.intent for e in examples]
    predicted = [r.intent for r in results]
    confidences = np.array([r.confidence for r in results])
    correct = np.array([g == p for g, p in zip(gold, predicted)], dtype=float)
    print(f"intents: n={len(gold)} accuracy={accuracy_score(gold, predicted):.3f} "
          f"macro-F1={f1_score(gold, predicted, average='macro', zero_division=0):.3f} "
          f"ECE={expected_calibration_error(confidences, correct):.3f}")
    for lang in ("zh", "en"):
        idx = [i for i, e in enumerate(examples) if detect_language(e.text).language == lang]
        if idx:
            g, p = [gold[i] for i in idx], [predicted[i] for i in idx]
            print(f"  {lang}: n={len(idx)} accuracy={accuracy_score(g, p):.3f} "
                  f"macro-F1={f1_score(g, p, average='macro', zero_division=0):.3f}")
    labels = sorted(set(gold) | set(predicted))
    if per_intent:
        precision, recall, f1, support = precision_recall_fscore_support(gold, predicted, labels=labels, zero_division=0)
        for row in zip(labels, precision, recall, f1, support):
            print("  {:<26} P={:.2f} R={:.2f} F1={:.2f} n={}".format(*row))
    print(f"  confusion matrix: {save_confusion_png(gold, predicted, labels, png)}")


def print_noise_scores(examples: list[Example], results: list, noisy: list, rate: float, seed: int) -> None:
    """Accuracy as written and under typo noise, side by side, overall and per language."""
    print(f"  noise (rate={rate:g}, seed={seed}): as written / noisy")
    for lang in ("all", "zh", "en"):
        idx = [i for i, e in enumerate(examples) if lang == "all" or detect_language(e.text).language == lang]
        if idx:
            gold = [examples[i].intent for i in idx]
            clean = accuracy_score(gold, [results[i].intent for i in idx])
            dirty = accuracy_score(gold, [noisy[i].intent for i in idx])
            print(f"    {lang}: n={len(idx)} accuracy={clean:.3f} / {dirty:.3f}")


def save_confusion_png(gold: list[str], predicted: list[str], labels: list[str], path: Path) -> Path:
    """Draw the confusion matrix (rows: gold, columns: predicted) to ``path``."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    index = {label: i for i, label in enumerate(labels)}
    matrix = np.zeros((len(labels), len(labels)), dtype=int)
    for g, p in zip(gold, predicted):
        matrix[index[g], index[p]] += 1
    size = max(6, len(labels) * 0.32)
    figure, axes = plt.subplots(figsize=(size, size))
    axes.imshow(matrix, cmap="Blues")
    axes.set_xticks(range(len(labels)), labels, rotation=90, fontsize=7)
    axes.set_yticks(range(len(labels)), labels, fontsize=7)
    axes.set_xlabel("predicted")
    axes.set_ylabel("gold")
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def _entity_pairs(entities: dict, keys: tuple[str, ...]) -> set[tuple[str, str]]:
    return {(k, str(entities[k]).upper().lstrip("#")) for k in keys if k in entities}


def print_entity_scores(examples: list[Example], results: list) -> None:
    """Micro precision, recall and F1 over (entity, value) pairs, overall and per entity."""
    for key_set, name in [(ENTITY_KEYS, "all"), *(((k,), k) for k in ENTITY_KEYS)]:
        tp = fp = fn = 0
        for example, result in zip(examples, results):
            gold = _entity_pairs(example.entities, key_set)
            found = _entity_pairs(result.entities, key_set)
            tp, fp, fn = tp + len(gold & found), fp + len(found - gold), fn + len(gold - found)
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        print(f"entities[{name}]: P={precision:.3f} R={recall:.3f} F1={f1:.3f} (gold {tp + fn})")
