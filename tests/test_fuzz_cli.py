"""The ``kefu`` command never answers bad input with a traceback: hypothesis runs the real
``bot.cli.main`` in-process, for every subcommand, with random arguments, option values (zero,
negative, not a number, nan, inf, 1e400), input files (missing, a folder, not UTF-8, broken YAML /
JSON, not a database), settings files and stdin. Each run must end with exit status 0, 1 or 2, say
something when it is not 0, and log no exception.

Long-running work stays out of reach by construction: sizes and rounds of ``kefu bench`` are never
positive, ``kefu eval`` and ``kefu train`` always get an input file (so never the full default data
set), and ``kefu run`` is only given arguments it refuses (its one valid call is
:func:`test_kefu_run_on_a_busy_port_says_so`). Normal runs try 30 argument lists per subcommand,
``HYPOTHESIS_PROFILE=ci`` 1,000 (about 11,000 in all)."""
from __future__ import annotations

import io
import logging
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.cli import main
from core.importing import FORMATS, KINDS
from core.store import Store

EXAMPLES = max(20, settings.default.max_examples // 10)
"""Per subcommand: each example is a full command run (tens of milliseconds), not a parse."""

INPUT_FILES = {
    "empty.txt": b"",
    "not-utf8.bin": b"\xff\xfe\x00\x81 junk \xc3\x28",
    "broken.yml": b"stories: [\n  - {turns: [",
    "wrong.yml": b"- 1\n- two\n- {three: 3}\n",
    "broken.json": b'{"id": "P1", "title_en": ',
    "lines.jsonl": b'{"user": "u1", "text": "hi"}\n{"user": 5}\nnot json\n{"text": "\\ud800"}\n',
    "rows.csv": "id,title_en,price\nP9,Tea,abc\n,,\n中,文,1e400\n".encode(),
    "nlu.yml": b'version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - hi\n- intent: 5\n  examples: 7\n',
    "env-bad.env": b"KEFU_LOG_LEVEL=LOUD\nKEFU_RATE_LIMIT_MESSAGES=many\n",
    "env-ok.env": b"KEFU_SHOP_NAME_EN=Fuzz Shop\n",
    "deep.json": b"[" * 200_000,
    "deep.yml": b"nlu: " + b"[" * 200_000,
}
FILES = st.sampled_from([*INPUT_FILES, "missing.txt", "folder", "-", "", "folder/nested/x.png"])
NUMBERS = st.sampled_from(["0", "-1", "-0", "abc", "", "nan", "inf", "-inf", "1e400", "-1_000", "0x10", "-٣"])
"""Option values that are not a positive number: refused, or cheap to run."""
SMALL = NUMBERS | st.sampled_from(["1", "2", "3.5", "199.00"])
TEXT = st.text(max_size=12)
DAYS = st.sampled_from(["2026-11-01", "2026-11-30", "2026-02-30", "11/01/2026", ""]) | TEXT
JUNK = TEXT | st.sampled_from(["--", "-", "--help", "-x", "--bogus", "=", "--format=", "C001", "#W1000001"])


def options(*pairs: tuple[str, st.SearchStrategy[str]], flags: tuple[str, ...] = ()) -> st.SearchStrategy[list[str]]:
    """Some of the options (each with a value from its strategy), flags and junk, in any order."""
    groups = [st.tuples(st.just(name), values).map(list) for name, values in pairs]
    groups += [st.just([flag]) for flag in flags]
    groups.append(JUNK.map(lambda word: [word]))
    return st.lists(st.one_of(groups), max_size=5).map(lambda parts: [w for part in parts for w in part])


def required(*words: st.SearchStrategy[str]) -> st.SearchStrategy[list[str]]:
    return st.tuples(*words).map(list)


def joined(*parts: st.SearchStrategy[list[str]]) -> st.SearchStrategy[list[str]]:
    return st.tuples(*parts).map(lambda lists: [w for part in lists for w in part])


def topic(name: str, first: st.SearchStrategy[list[str]], rest: st.SearchStrategy[list[str]]):
    return joined(st.just([name]), first, rest)


ARGV = {
    "run": st.lists(JUNK, min_size=1, max_size=3),
    "chat": options(("--script", FILES), ("--user", TEXT), ("--as", st.sampled_from(["C001", "C999", ""]) | TEXT)),
    "import": joined(required(st.sampled_from([*KINDS, "nlu"]) | TEXT, FILES),
                     options(("--format", st.sampled_from(FORMATS) | TEXT))),
    "eval": st.one_of(
        topic("recommend", required(st.just("--store"), FILES), options(("-k", SMALL))),
        topic("sentiment", required(FILES), options(("--lang", st.sampled_from(["zh", "en", "fr"])),
                                                    ("--analyzer", st.sampled_from(["linear", "lexicon", "x"])),
                                                    ("--out", FILES))),
        topic("nlu", required(FILES), options(("--out", FILES), flags=("--per-intent",))),
        topic("replies", required(FILES), options(flags=("--show",))),
        topic("dialogues", required(st.just("--stories"), FILES),
              options(("--shop", st.sampled_from(["demo", "x"]) | TEXT), ("--llm", st.sampled_from(["templates", "x"])),
                      flags=("-v",))),
        topic("human", required(), options(("--from", st.sampled_from(["2026-12-01", "2026-13-01", ""]) | TEXT),
                                           ("--to", st.sampled_from(["2026-12-02", "9999-12-31", "x"]) | TEXT))),
        st.lists(JUNK, max_size=3)),
    "bench": st.one_of(
        topic("recommend", required(st.just("--sizes"), NUMBERS | st.sampled_from(["0k", ",", "1x", "-1k"])),
              options(("--requests", NUMBERS), flags=("--no-progress",))),
        topic("sentiment", required(st.just("--rounds"), NUMBERS),
              options(("--analyzer", st.sampled_from(["linear", "lexicon", "x"])))),
        topic("nlu", required(st.just("--rounds"), NUMBERS), options()),
        topic("llm", required(st.just("--rounds"), NUMBERS), options(flags=("--cold",))),
        topic("load", required(st.just("--conversations"), NUMBERS, st.just("--turns"), NUMBERS),
              options(("--path", st.sampled_from(["core", "ws", "both", "x"])), ("--rate", NUMBERS))),
        topic("campaign", required(st.just("--customers"), NUMBERS, st.just("--dispatch-seconds"), NUMBERS),
              options(("--rate", NUMBERS), ("--latency-ms", NUMBERS), ("--history-share", NUMBERS))),
        st.lists(JUNK, max_size=3)),
    "conversations": options(("--limit", SMALL), flags=("--upset",)),
    "recommend": options(("--customer", st.sampled_from(["C001", "C999"]) | TEXT),
                         ("--like", st.sampled_from(["P1001", "P9999"]) | TEXT), ("--category", TEXT),
                         ("--color", TEXT), ("--size", TEXT), ("--min-price", SMALL), ("--max-price", SMALL),
                         ("-k", SMALL), ("--lang", st.sampled_from(["zh", "en", "de"])), flags=("--trace",)),
    "nlu": st.lists(TEXT, max_size=3),
    "train": joined(st.just(["--only", "--data"]), st.lists(FILES, min_size=1, max_size=2),
                    options(("--out", FILES))),
    "campaign": st.one_of(
        joined(st.just(["create"]), required(FILES)),
        st.just(["list"]),
        joined(required(st.sampled_from(["preview", "start", "pause", "report"]), SMALL),
               options(("-n", SMALL), ("--chart", FILES), flags=("--now",))),
        st.lists(JUNK, max_size=3)),
    "coupon": joined(required(st.sampled_from(["check", "redeem"]), st.sampled_from(["WELCOME10", "KF-NOPE"]) | TEXT),
                     options(("--total", SMALL), ("--customer", st.sampled_from(["C001", "C999"]) | TEXT),
                             ("--order", st.sampled_from(["#W1000001", "W0"]) | TEXT), flags=("--yes",))),
    "report": joined(required(st.just("--from"), DAYS, st.just("--to"), DAYS),
                     options(("--channel", TEXT), ("--lang", st.sampled_from(["zh", "en", "fr"])), ("--csv", FILES))),
}
"""Arguments after the subcommand's name, per subcommand."""
SETTINGS_FILES = st.sampled_from([[], [], ["--env-file", "missing.env"], ["--env-file", "env-bad.env"],
                                  ["--env-file", "env-ok.env"], ["--env-file", "folder"], ["--env-file"]])
STDIN = st.text(max_size=60) | st.sampled_from(['{"user": "u", "text": "hi"}\n', "y\n", "n\n", "name: x\n"])


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A folder with the demo shop's database, the input files and settings that keep every command local:
    templates for replies, a port already taken (so nothing starts serving)."""
    folder = tmp_path_factory.mktemp("fuzz-cli")
    for name, content in INPUT_FILES.items():
        (folder / name).write_bytes(content)
    (folder / "folder").mkdir()
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        for key, value in {"KEFU_DB_PATH": str(folder / "kefu.db"), "KEFU_LLM_BACKEND": "templates",
                           "KEFU_NLU_DIR": str(folder / "nlu"), "KEFU_LLM_CACHE_DIR": str(folder / "models"),
                           "KEFU_SCHEDULER_DB_PATH": str(folder / "scheduler.db"),
                           "KEFU_PORT": str(busy.getsockname()[1]), "KEFU_LOAD_DEMO_SHOP": "true",
                           "KEFU_KB_RETRIEVAL": "lexical"}.items():  # no sentence encoder to load per run
            patch.setenv(key, value)
        assert main(["conversations"]) == 0  # loads the demo shop once
        Store(folder / "kefu.db").close()
        yield folder
    busy.close()


def run_main(argv: list[str], stdin: str, capsys: pytest.CaptureFixture[str],
             caplog: pytest.LogCaptureFixture) -> tuple[int, str]:
    """``kefu ARGV`` with ``stdin``; its exit status and everything it said."""
    capsys.readouterr()
    caplog.clear()
    old_stdin, sys.stdin = sys.stdin, io.StringIO(stdin)
    try:
        status: int | str | None = main(argv)
    except SystemExit as exc:  # argparse: 2 for a usage error, 0 for --help
        status = exc.code
    finally:
        sys.stdin = old_stdin
    out, err = capsys.readouterr()
    said = out + err + (status if isinstance(status, str) else "")
    failures = [r for r in caplog.records if r.exc_info or r.levelno >= logging.CRITICAL]
    assert not failures, [r.getMessage() for r in failures]
    assert "Traceback" not in said
    code = 1 if isinstance(status, str) else (status or 0)
    assert code in (0, 1, 2), (argv, code)
    if code:
        assert said.strip(), (argv, code)
    return code, said


@pytest.mark.parametrize("command", list(ARGV))
@settings(max_examples=EXAMPLES, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_every_subcommand_exits_0_1_or_2_with_a_message(workdir, capsys, caplog, command, data) -> None:
    argv = data.draw(SETTINGS_FILES) + [command] + data.draw(ARGV[command])
    run_main(argv, data.draw(STDIN), capsys, caplog)


@given(argv=st.lists(JUNK | st.sampled_from(list(ARGV)), max_size=4))
@settings(max_examples=EXAMPLES, suppress_health_check=[HealthCheck.function_scoped_fixture])
@example(argv=[])
@example(argv=["--env-file"])
def test_no_or_unknown_subcommand_is_a_usage_error(workdir, capsys, caplog, argv) -> None:
    if argv and argv[0] in ARGV:
        argv = ["--bogus-option", *argv]  # the subcommands themselves: test above
    assert run_main(argv, "", capsys, caplog)[0] in (0, 2)


FOUND = [
    ["eval", "recommend", "--store", "not-utf8.bin"],  # sqlite3.DatabaseError
    ["eval", "dialogues", "--stories", "broken.yml"],  # yaml.ParserError
    ["eval", "dialogues", "--stories", "wrong.yml"],  # TypeError
    ["bench", "sentiment", "--rounds", "0"],  # statistics.StatisticsError
    ["bench", "nlu", "--rounds", "-1"],  # IndexError
    ["recommend", "--min-price", "nan"],  # ValueError
    ["coupon", "check", "KF-NOPE", "--total", "1e400"],  # decimal.InvalidOperation
    ["campaign", "create", "not-utf8.bin"],  # UnicodeDecodeError
    ["chat", "--script", "not-utf8.bin"],  # UnicodeDecodeError
    ["import", "nlu", "not-utf8.bin"],  # UnicodeDecodeError
    ["import", "products", "folder"],  # FileNotFoundError
    ["train", "--only", "--data", "folder"],  # IsADirectoryError (found with HYPOTHESIS_PROFILE=ci)
    ["import", "products", "deep.json"],  # RecursionError, and in every format below
    ["import", "orders", "deep.json", "--format", "jsonl"],
    ["import", "customers", "deep.json", "--format", "tau"],
    ["import", "nlu", "deep.yml"],
    ["chat", "--script", "deep.json"],
    ["eval", "nlu", "deep.json"],
    ["eval", "sentiment", "deep.json"],
    ["eval", "replies", "deep.json"],
    ["eval", "dialogues", "--stories", "deep.yml"],
    ["campaign", "create", "deep.yml"],
]
"""Argument lists that ended in a traceback before (the exception they raised)."""


@pytest.mark.parametrize("argv", FOUND, ids=" ".join)
def test_inputs_that_used_to_crash_get_a_clear_answer(workdir, capsys, caplog, argv) -> None:
    code, said = run_main(argv, "", capsys, caplog)
    assert code in (1, 2) or (argv[0] == "chat" and '"error"' in said), (code, said)


def test_kefu_run_on_a_busy_port_says_so(workdir, capsys, caplog) -> None:
    code, said = run_main(["run"], "", capsys, caplog)
    assert code == 1 and "address already in use" in said
