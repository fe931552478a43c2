"""``kefu train``: retrain the intent model on the shipped and the shop's examples."""
from __future__ import annotations

import argparse
from pathlib import Path

from bot.settings import Settings
from core.nlu.model import MODEL_FILE_NAME
from core.nlu.rasa import RasaFormatError
from core.nlu.shopdata import shop_data_files
from core.nlu.training import train_and_save

NAME = "train"
HELP = "retrain the intent model (shipped examples + the shop's, from kefu import nlu)"


def configure(parser: argparse.ArgumentParser) -> None:
    """Extra data, output and whether to include the shipped examples."""
    parser.add_argument("--data", type=Path, nargs="*", default=[], metavar="FILE",
                        help="more Rasa NLU files to train on")
    parser.add_argument("--only", action="store_true", help="train on --data (and the shop's data) only, "
                        "without the shipped examples")
    parser.add_argument("--out", type=Path, help=f"model file (default: KEFU_NLU_DIR/{MODEL_FILE_NAME})")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Train with a progress bar and write the model where the runtime loads it."""
    out = args.out or settings.kefu_nlu_dir / MODEL_FILE_NAME
    files = [*shop_data_files(settings.kefu_nlu_dir), *args.data]
    missing = [str(p) for p in files if not p.exists()]
    if missing:
        print(f"kefu train: no such file: {', '.join(missing)}")
        return 2
    try:
        model = train_and_save(out, files, shipped=not args.only)
    except (RasaFormatError, ValueError) as exc:
        print(f"kefu train: {exc}")
        return 2
    print(f"trained on {model.meta['examples']} examples of {model.meta['intents']} intents "
          f"(temperature {model.temperature:.2f}); wrote {out}")
    return 0
