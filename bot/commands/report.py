"""``kefu report --from --to``: the owner's report of a date range (the console's reports section's numbers)."""
from __future__ import annotations

import argparse
from pathlib import Path
from datetime import date

from bot.app import open_store
from bot.errors import CommandError
from bot.settings import Settings
from core.reports import Report, ReportFilter, build_report, to_csv

NAME = "report"
HELP = "conversations, automated resolution, handoffs, response times, mood and promotions over a date range"


def _day(text: str) -> date:
    """A YYYY-MM-DD day, for argparse."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD day: {text!r}") from None


def configure(parser: argparse.ArgumentParser) -> None:
    """Options: the range (UTC days, both included), a channel, a language, a CSV file."""
    parser.add_argument("--from", dest="start", type=_day, required=True, help="first day, YYYY-MM-DD")
    parser.add_argument("--to", dest="end", type=_day, required=True, help="last day (included), YYYY-MM-DD")
    parser.add_argument("--channel", help="only this channel (telegram, slack, wechat, web, …)")
    parser.add_argument("--lang", choices=("zh", "en"), help="only conversations in this language")
    parser.add_argument("--csv", metavar="FILE", help="also write the report as CSV (metric,value)")


def report_for(args: argparse.Namespace, settings: Settings) -> Report:
    """The report the arguments ask for, from the configured store."""
    if args.end < args.start:
        raise CommandError("--to is before --from")
    store = open_store(settings)
    try:
        return build_report(store, ReportFilter(args.start, args.end, args.channel, args.lang))
    finally:
        store.close()


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Print one metric a line; write the CSV when asked."""
    report = report_for(args, settings)
    rows = report.rows()
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    if args.csv:
        try:
            Path(args.csv).write_text(to_csv(report), encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"cannot write {args.csv}: {exc.strerror or exc}", status=1) from None
    return 0
