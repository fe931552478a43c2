"""Text channels for the terminal: an interactive chat and a JSON-lines script runner.

Like Errbot's text backend, they let a shop owner (and the tests) talk to the real assistant
without any chat platform."""
from __future__ import annotations

import asyncio
import json
import sys
from typing import IO, Any

from adapters.base import Channel
from core.assistant import Assistant
from core.messages import Identity, InboundMessage, Outbound, Reply
from core.nesting import load_json


def format_reply(reply: Reply) -> str:
    """A reply as terminal text: the text, then cards and buttons with the payload to type."""
    lines = [reply.text]
    for card in reply.cards:
        lines.append(f"  • {card.title}  {card.price}" + (f"  ({card.subtitle})" if card.subtitle else ""))
        lines.append("    " + "  ".join(f"[{b.label}: {b.payload}]" for b in card.buttons))
    if reply.buttons:
        lines.append("  " + "  ".join(f"[{b.label}: {b.payload}]" for b in reply.buttons))
    return "\n".join(lines)


def _message_from_text(identity: Identity, text: str, message_id: str | None = None) -> InboundMessage:
    """Typed "/product P1001"-style button payloads are sent as button presses."""
    text = text.strip()
    if text.startswith("/"):
        return InboundMessage(identity, text=text, payload=text, message_id=message_id)
    return InboundMessage(identity, text=text, message_id=message_id)


class TerminalChannel(Channel):
    """``kefu chat``: type a line, read the replies."""

    name = "cli"

    def __init__(self, assistant: Assistant, user_id: str, stdin: IO[str] = sys.stdin,
                 stdout: IO[str] = sys.stdout) -> None:
        self._assistant = assistant
        self._identity = Identity(self.name, user_id)
        self._stdin, self._stdout = stdin, stdout
        self._running = False

    async def start(self) -> None:
        """Read lines until end of input (Ctrl-D) or "/quit"."""
        self._running = True
        while self._running:
            self._stdout.write("you> ")
            self._stdout.flush()
            line = await asyncio.to_thread(self._stdin.readline)
            if not line or line.strip() in ("/quit", "/exit"):
                break
            if not line.strip():
                continue
            for reply in (await self._assistant.handle(_message_from_text(self._identity, line))).replies:
                await self.send(self._identity, reply)

    async def stop(self) -> None:
        """Stop after the current line."""
        self._running = False

    async def send(self, identity: Identity, outbound: Outbound) -> None:
        """Print a reply (typing indicators are not shown)."""
        if isinstance(outbound, Reply):
            self._stdout.write("kefu> " + format_reply(outbound) + "\n")
            self._stdout.flush()


class ScriptChannel(Channel):
    """``kefu chat --script``: JSON lines in (``{"user": "...", "text": "..."}``, optionally
    ``"payload"`` for a button and ``"id"`` for de-duplication), one JSON line out per reply."""

    name = "script"

    def __init__(self, assistant: Assistant, stdin: IO[str], stdout: IO[str]) -> None:
        self._assistant = assistant
        self._stdin, self._stdout = stdin, stdout
        self.errors = 0

    async def start(self) -> None:
        """Process every input line in order; a bad line yields an error line and is skipped."""
        for number, line in enumerate(self._stdin, start=1):
            if not line.strip():
                continue
            try:
                message = self._parse(line)
            except ValueError as exc:
                self.errors += 1
                self._write({"line": number, "error": str(exc)})
                continue
            for reply in (await self._assistant.handle(message)).replies:
                await self.send(message.identity, reply)

    async def stop(self) -> None:
        """Nothing to release: input ends the run."""

    async def send(self, identity: Identity, outbound: Outbound) -> None:
        """Write one JSON line for a reply."""
        if isinstance(outbound, Reply):
            self._write({"user": identity.user_id, **outbound.to_dict()})

    def _write(self, obj: dict[str, Any]) -> None:
        self._stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
        self._stdout.flush()

    def _parse(self, line: str) -> InboundMessage:
        try:
            data = load_json(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"not JSON: {exc.msg}") from None
        if not isinstance(data, dict):
            raise ValueError("each line must be a JSON object")
        user, text, payload = data.get("user"), data.get("text", ""), data.get("payload")
        if not isinstance(user, str) or not user.strip():
            raise ValueError('"user" must be a non-empty string')
        if not isinstance(text, str) or (payload is not None and not isinstance(payload, str)):
            raise ValueError('"text" and "payload" must be strings')
        if not text.strip() and not payload:
            raise ValueError('"text" is empty')
        message_id = data.get("id")
        identity = Identity(self.name, user)
        if payload:
            return InboundMessage(identity, text=text or payload, payload=payload,
                                  message_id=None if message_id is None else str(message_id))
        return _message_from_text(identity, text, None if message_id is None else str(message_id))
