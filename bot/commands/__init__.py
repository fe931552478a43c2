"""One module per ``kefu`` subcommand. Each defines ``NAME``, ``HELP``, ``configure(parser)`` and
``run(args, settings) -> int``; add a new command by writing a module and listing it here."""
from __future__ import annotations

from types import ModuleType

from bot.commands import (
    bench,
    campaign,
    chat,
    conversations,
    coupon,
    db,
    evaluate,
    importer,
    model,
    nlu,
    recommend,
    report,
    run,
    shop,
    staff,
    train,
)

COMMANDS: list[ModuleType] = [run, chat, importer, evaluate, bench, conversations, recommend, nlu, train,
                              campaign, coupon, shop, model, report, staff, db]
