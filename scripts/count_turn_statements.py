"""How many SQL statements one turn sends to PostgreSQL (docs/SCALING.md, "Running several").

    PYTHONPATH=. .venv/bin/python scripts/count_turn_statements.py

Starts a private PostgreSQL (tests/pg.py), the assistant in this process on a fresh database with the
demo shop and template replies, plays ``kefu bench load``'s scripted lines in three conversations and
prints, for the third, the ``psycopg.Cursor.execute`` calls of each turn (``executemany`` not counted;
no turn locks: ``kefu run`` adds two statements for them)."""
from __future__ import annotations

import asyncio
import shutil
import tempfile
from collections.abc import Callable
from typing import Any

import psycopg

from bot.app import build_assistant, open_store
from bot.benches.load import SCRIPT_EN, SCRIPT_ZH
from bot.settings import Settings
from core.assistant import Assistant
from core.messages import Identity, InboundMessage
from tests.pg import PostgresServer


def counting(calls: list[int]) -> Callable[..., Any]:
    """``Cursor.execute`` that counts its calls in ``calls[0]``."""
    execute = psycopg.Cursor.execute

    def counted(self: psycopg.Cursor[Any], *args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        return execute(self, *args, **kwargs)
    return counted


async def play(assistant: Assistant, calls: list[int]) -> None:
    """Three conversations of the script; print the third's statements per turn."""
    for conversation in range(3):
        for number, text in enumerate(SCRIPT_EN[:6] + SCRIPT_ZH[:6]):
            before = calls[0]
            payload = text if text.startswith("/") else None
            await assistant.handle(InboundMessage(Identity("count", f"c{conversation}"), text,
                                                  message_id=str(number), payload=payload))
            if conversation == 2:
                print(f"{calls[0] - before:4d} statements: {text}")


def main() -> None:
    folder = tempfile.mkdtemp(prefix="kefu-pg-")
    server = PostgresServer()
    server.start(folder)
    calls = [0]
    psycopg.Cursor.execute = counting(calls)  # type: ignore[method-assign]
    try:
        url = server.createdb("kefu").replace("postgres://", "postgresql://", 1)
        settings = Settings(kefu_database_url=url, kefu_llm_backend="templates", kefu_rate_limit_messages=0,
                            kefu_db_path=f"{folder}/unused.db")
        store = open_store(settings)
        try:
            asyncio.run(play(build_assistant(store, settings), calls))
        finally:
            store.close()
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
