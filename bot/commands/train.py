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
    parser.add_argument("--no-second-stage", action="store_true",
                        help="skip the e5 second stage for unsure messages (faster; docs/NLU.md)")
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
        model = train_and_save(out, files, shipped=not args.only, second_stage=not args.no_second_stage)
    except (RasaFormatError, ValueError) as exc:
        print(f"kefu train: {exc}")
        return 2
    second = "" if model.second is None else \
        f"; e5 second stage below {model.second.below:.2f} (weight {model.second.weight:.2f})"
    print(f"trained on {model.meta['examples']} examples of {model.meta['intents']} intents "
          f"(temperature {model.first.temperature:.2f}, out_of_scope bias {model.meta.get('out_of_scope_bias', 0):+.2f}"
          f"{second}); wrote {out}")
    return 0
