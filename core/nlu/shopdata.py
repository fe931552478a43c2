"""The shop's own NLU training data: Rasa files merged into one file under the NLU folder."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.nlu.features import normalise
from core.nlu.rasa import Example, read_examples, write_examples

SHOP_DATA_FILE = "nlu.yml"


@dataclass
class MergeReport:
    """What an import added: new examples, repeats skipped, intents the shop now has."""

    added: int
    duplicates: int
    intents: list[str]

    def summary(self) -> str:
        """One line for the terminal."""
        return (f"nlu: {self.added} examples added, {self.duplicates} duplicates skipped; "
                f"{len(self.intents)} intents in the shop's data. Run `kefu train` to use them.")


def merge_rasa_file(source: Path, nlu_dir: Path) -> MergeReport:
    """Add the examples of a Rasa NLU file to the shop's data file (same text and intent: once)."""
    return merge_examples(read_examples(source), nlu_dir)


def merge_examples(incoming: list[Example], nlu_dir: Path) -> MergeReport:
    """Add ``incoming`` to the shop's data file (same text and intent: once), as ``kefu import nlu`` does."""
    target = nlu_dir / SHOP_DATA_FILE
    existing = read_examples(target) if target.exists() else []
    seen = {(normalise(e.text), e.intent) for e in existing}
    added: list[Example] = []
    for example in incoming:
        key = (normalise(example.text), example.intent)
        if key not in seen:
            seen.add(key)
            added.append(example)
    merged = existing + added
    write_examples(target, merged, header="The shop's own NLU examples (kefu import nlu); kefu train learns from them.")
    return MergeReport(len(added), len(incoming) - len(added), sorted({e.intent for e in merged}))


def shop_data_files(nlu_dir: Path) -> list[Path]:
    """The shop's training files, if any."""
    path = nlu_dir / SHOP_DATA_FILE
    return [path] if path.exists() else []
