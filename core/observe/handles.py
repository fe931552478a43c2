"""Short, non-reversible handles that stand for conversation ids in logs and staff views.

A web conversation id is ``web:<session id>``, and the session id is the bearer credential of
the chat (a verified shopper's orders, their data-export links); Telegram chat ids and WeChat open
ids are personal data. Logs, the staff inbox, Slack cards and ``kefu conversations`` therefore show
``web#3f9a0c12d4``: the channel and the first hex digits of an HMAC-SHA256 of the conversation id
under a per-install key, so a handle cannot be turned back into the id (nor guessed from a
client-chosen session id) without the key, yet stays the same across restarts and processes.
The store and the APIs keep using conversation ids; only what is shown and logged changes."""
from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from pathlib import Path

HANDLE_HEX_DIGITS = 10
"""40 bits: enough that two of a shop's conversations practically never share a handle."""
KEY_BYTES = 32

_SHOPPER_IDS = re.compile(r"\b(?:web|telegram|wechat):[A-Za-z0-9_\-]+")
"""Conversation ids of the shopper channels as they would appear inside a log message."""
_BARE_ID_CHARS = 8
"""A bare user id shorter than this (a small Telegram chat id) could be any number in a message."""

_key = secrets.token_bytes(KEY_BYTES)  # until use_key: handles valid in this process only


def use_key(key: bytes) -> None:
    """Make handles from now on with ``key`` (the install's, see :func:`load_key`)."""
    global _key
    _key = key


def load_key(path: Path) -> bytes:
    """The install's handle key from ``path``; a new random one is written there (owner-only)
    when the file does not exist. ``OSError`` when it cannot be read or written, ``ValueError``
    when the file does not hold a key."""
    try:
        key = path.read_bytes()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_bytes(KEY_BYTES)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another kefu process created it a moment ago
            return load_key(path)
        with os.fdopen(descriptor, "wb") as file:
            file.write(key)
    if len(key) < KEY_BYTES:
        raise ValueError(f"{path} holds {len(key)} bytes, not a {KEY_BYTES}-byte key")
    return key


def _digest(conversation_id: str) -> str:
    """The first hex digits of the keyed hash of ``conversation_id``."""
    return hmac.new(_key, conversation_id.encode(), hashlib.sha256).hexdigest()[:HANDLE_HEX_DIGITS]


def conversation_handle(conversation_id: str) -> str:
    """``"web:Zx9…"`` -> ``"web#3f9a0c12d4"``: what logs and staff views show for a conversation."""
    channel = conversation_id.partition(":")[0]
    return f"{channel}#{_digest(conversation_id)}"


def visitor_label(conversation_id: str) -> str:
    """``"web visitor #3f9a0c12d4"``: how staff see a shopper the store has no name for (the same
    digits as in the logs, so a colleague can find the conversation's log lines)."""
    channel = conversation_id.partition(":")[0]
    return f"{channel} visitor #{_digest(conversation_id)}"


def hide_conversation_ids(text: str, current: str | None = None) -> str:
    """``text`` with every shopper-channel conversation id in it replaced by its handle, and the
    bare user id of the ``current`` shopper conversation (a session id written without ``web:``) too."""
    text = _SHOPPER_IDS.sub(lambda match: conversation_handle(match.group()), text)
    user_id = current.partition(":")[2] if current and _SHOPPER_IDS.fullmatch(current) else ""
    if len(user_id) >= _BARE_ID_CHARS and user_id in text:
        text = text.replace(user_id, conversation_handle(current))
    return text
