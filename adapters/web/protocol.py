"""The web chat's websocket protocol: parsing and validating the frames a browser sends.

Frames are JSON objects with a ``type``. Client to server: ``hello``, ``message``, ``button``.
Server to client: ``welcome``, ``typing``, ``partial`` (a reply being written:
:mod:`adapters.web.streaming`), ``reply`` and ``error``. docs/WEB_CHAT.md describes
them; this module only turns raw text into :class:`Hello` / :class:`Chat` or raises
:class:`FrameError` with a reason fit to show a developer.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from core.messages import Language

MAX_FRAME_BYTES = 16 * 1024
"""Larger frames are refused with an error (the connection stays open)."""
MAX_TEXT_CHARS = 4000
"""Longest shopper text (and button payload) accepted."""
MAX_CLIENT_ID_CHARS = 128
"""Longest client message id accepted."""
_SESSION_RE = re.compile(r"[A-Za-z0-9_-]{16,64}")
_LANGUAGES: tuple[Language, ...] = ("zh", "en")


class FrameError(ValueError):
    """A frame the server cannot accept; ``str(error)`` is the reason sent to the client."""


@dataclass(frozen=True)
class Hello:
    """The first frame: the session to resume (None for a new one) and the browser's language."""

    session: str | None
    lang: Language | None


@dataclass(frozen=True)
class Chat:
    """Something the shopper sent: typed text, or a button press (``payload`` set, ``text`` the label)."""

    text: str
    payload: str | None
    client_id: str | None


Frame = Hello | Chat


def is_valid_session(value: object) -> bool:
    """True for a well-formed session id: 16-64 characters of ``[A-Za-z0-9_-]`` (whether the server
    issued it is :class:`adapters.web.session_ids.SessionIds`'s question)."""
    return isinstance(value, str) and _SESSION_RE.fullmatch(value) is not None


def error_frame(reason: str) -> dict[str, str]:
    """The frame telling the client why its last frame was refused."""
    return {"type": "error", "error": reason}


def parse_frame(raw: str) -> Frame:
    """Parse one text frame from the browser, or raise :class:`FrameError`."""
    if len(_utf8(raw, "frame")) > MAX_FRAME_BYTES:
        raise FrameError(f"frame too large (limit {MAX_FRAME_BYTES} bytes)")
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):  # RecursionError: arrays nested a thousand deep
        raise FrameError("frame is not valid JSON") from None
    if not isinstance(data, dict):
        raise FrameError("frame must be a JSON object")
    kind = data.get("type")
    if kind == "hello":
        return _hello(data)
    if kind == "message":
        return Chat(_text(data, "text"), None, _client_id(data))
    if kind == "button":
        return _button(data)
    raise FrameError(f"unknown frame type {kind!r} (expected hello, message or button)")


def _hello(data: dict[str, Any]) -> Hello:
    """A hello; an empty or malformed session asks for a new one, an unknown lang means none."""
    session = data.get("session")
    lang = data.get("lang")
    return Hello(session if is_valid_session(session) else None, lang if lang in _LANGUAGES else None)


def _button(data: dict[str, Any]) -> Chat:
    """A button press: the payload goes to the core, the label is what the shopper 'said'."""
    payload = _text(data, "payload")
    label = data.get("label")
    if label is not None and not isinstance(label, str):
        raise FrameError("button label must be a string")
    label = (label or "").strip()[:MAX_TEXT_CHARS]
    _utf8(label, "label")
    return Chat(label or payload, payload, _client_id(data))


def _text(data: dict[str, Any], key: str) -> str:
    """A required, non-empty string field of at most :data:`MAX_TEXT_CHARS` characters."""
    value = data.get(key)
    if not isinstance(value, str):
        raise FrameError(f"{key} must be a string")
    value = value.strip()
    if not value:
        raise FrameError(f"{key} is empty")
    if len(value) > MAX_TEXT_CHARS:
        raise FrameError(f"{key} is too long (limit {MAX_TEXT_CHARS} characters)")
    _utf8(value, key)
    return value


def _utf8(value: str, key: str) -> bytes:
    """``value`` encoded; a lone surrogate (possible via a JSON ``\\ud800`` escape) is refused."""
    try:
        return value.encode("utf-8")
    except UnicodeEncodeError:
        raise FrameError(f"{key} is not valid Unicode text (unpaired surrogate)") from None


def _client_id(data: dict[str, Any]) -> str | None:
    """The optional client message id, used by the core to drop duplicate deliveries."""
    value = data.get("id")
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) > MAX_CLIENT_ID_CHARS:
        raise FrameError(f"id must be a string of at most {MAX_CLIENT_ID_CHARS} characters")
    _utf8(value, "id")
    return value
