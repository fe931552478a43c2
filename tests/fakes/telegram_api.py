"""A fake Telegram Bot API server on 127.0.0.1, for testing the real python-telegram-bot against it.

Routes are ``/bot<token>/<method>`` like Telegram's. Parameters are read from the query string and
from JSON, form-encoded or multipart bodies (complex values JSON-encoded, as the real API takes
them). Implemented: getMe, getUpdates (offset and long-polling timeout; 409 while a webhook is
set), sendMessage, editMessageText (of the bot's own text messages), sendPhoto, sendDocument, sendChatAction, answerCallbackQuery, setWebhook,
deleteWebhook, getWebhookInfo, setMyCommands. Like Telegram it refuses HTML it cannot parse,
texts over 4,096 and captions over 1,024 characters, and callback data over 64 bytes.

Every call is recorded (:attr:`FakeTelegramAPI.calls`). Failures can be injected: a 429 with
``retry_after`` (:meth:`fail_next`), a user who blocked the bot (:meth:`block`, 403), an image URL
Telegram cannot fetch (:attr:`FakeTelegramAPI.bad_photos`), an outage refusing connections
(:meth:`go_down` / :meth:`come_back`). Updates are built by the ``*_update``
methods and queued with :meth:`push`."""
from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from tests.fakes.server import LoopbackServer

TOKEN = "123456789:TEST-fake-token_for-kefu"
_JSON_FIELDS = {"reply_markup", "allowed_updates", "commands", "scope", "link_preview_options",
                "reply_parameters", "entities", "caption_entities"}
_SENDS = {"sendMessage", "sendPhoto", "sendDocument", "sendChatAction", "editMessageText"}
_ALLOWED_TAGS = re.compile(r"</?(?:b|strong|i|em|u|ins|s|strike|del|code|pre|tg-spoiler|blockquote)>"
                           r"|<a href=\"[^\"<>]*\">|</a>")
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")


@dataclass
class Call:
    """One request the fake answered."""

    method: str
    params: dict[str, Any]
    status: int

    @property
    def chat_id(self) -> int | None:
        """The chat the call was for, if any."""
        value = self.params.get("chat_id")
        return int(value) if value is not None else None

    @property
    def keyboard(self) -> list[list[dict[str, Any]]]:
        """The inline keyboard rows sent with the message (empty when none)."""
        return (self.params.get("reply_markup") or {}).get("inline_keyboard", [])

    @property
    def callback_data(self) -> list[str]:
        """Every button's callback data, row by row."""
        return [button["callback_data"] for row in self.keyboard for button in row]


class FakeTelegramAPI(LoopbackServer):
    """A Bot API server for one bot."""

    def __init__(self, token: str = TOKEN, username: str = "kefu_test_bot") -> None:
        super().__init__()
        self.token = token
        self.bot_id = int(token.split(":")[0])
        self.username = username
        self.calls: list[Call] = []
        self.webhook: dict[str, Any] | None = None
        self.commands: dict[str, list[dict[str, str]]] = {}
        self.bad_photos: set[str] = set()
        self.blocked: set[int] = set()
        self._updates: list[dict[str, Any]] = []
        self._failures: list[tuple[str, int, dict[str, Any]]] = []
        self._changed = asyncio.Condition()
        self._update_ids = itertools.count(1000)
        self._message_ids = itertools.count(1)
        self.texts: dict[tuple[int | None, int | None], tuple[str, Any]] = {}  # (chat, message) → (text, keyboard)

    # -- server --------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        """The Bot API root a client is given."""
        return f"http://127.0.0.1:{self.port}"

    def add_routes(self, app: web.Application) -> None:
        """``/bot<token>/<method>`` for every method."""
        app.router.add_route("*", "/bot{token}/{method}", self._dispatch)

    # -- what tests control --------------------------------------------------------------
    async def push(self, *updates: dict[str, Any]) -> None:
        """Queue updates for getUpdates (a second push of the same update is a redelivery)."""
        async with self._changed:
            self._updates.extend(updates)
            self._changed.notify_all()

    def fail_next(self, method: str, status: int = 429, retry_after: int = 1, times: int = 1) -> None:
        """The next ``times`` calls of ``method`` fail: 429 Too Many Requests with ``retry_after``
        seconds, or another status."""
        description = f"Too Many Requests: retry after {retry_after}" if status == 429 else "Internal Server Error"
        body = {"ok": False, "error_code": status, "description": description}
        if status == 429:
            body["parameters"] = {"retry_after": retry_after}
        self._failures.extend([(method, status, body)] * times)

    def block(self, chat_id: int) -> None:
        """The user of this private chat blocked the bot: every send to it gets 403 Forbidden."""
        self.blocked.add(chat_id)

    def sent(self, method: str | None = None, chat_id: int | None = None) -> list[Call]:
        """Successful calls, optionally of one method and for one chat."""
        return [c for c in self.calls if c.status == 200 and (method is None or c.method == method)
                and (chat_id is None or c.chat_id == chat_id)]

    def messages(self, chat_id: int | None = None) -> list[Call]:
        """Successful sendMessage / sendPhoto / sendDocument calls, in order."""
        return [c for c in self.sent(chat_id=chat_id) if c.method in ("sendMessage", "sendPhoto", "sendDocument")]

    async def wait_for(self, check: Any, timeout: float = 10.0) -> list[Call]:
        """Wait until ``check(calls)`` is true; returns the calls."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: check(self.calls)), timeout)
        return self.calls

    async def wait_messages(self, count: int, chat_id: int | None = None, timeout: float = 10.0) -> list[Call]:
        """Wait until at least ``count`` messages reached ``chat_id``; returns them."""
        await self.wait_for(lambda _calls: len(self.messages(chat_id)) >= count, timeout)
        return self.messages(chat_id)

    # -- updates -------------------------------------------------------------------------
    def next_update_id(self) -> int:
        """A fresh update id."""
        return next(self._update_ids)

    def message_update(self, user_id: int, text: str | None = None, language_code: str = "zh",
                       update_id: int | None = None, edited: bool = False, **content: Any) -> dict[str, Any]:
        """A private-chat message from ``user_id``: text, or other ``content`` (photo=…, sticker=…)."""
        message = {"message_id": next(self._message_ids), "date": int(time.time()),
                   "chat": {"id": user_id, "type": "private", "first_name": f"User{user_id}"},
                   "from": {"id": user_id, "is_bot": False, "first_name": f"User{user_id}",
                            "language_code": language_code}, **content}
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                command = text.split()[0]
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        if edited:
            message["edit_date"] = int(time.time())
        return {"update_id": update_id or self.next_update_id(),
                "edited_message" if edited else "message": message}

    def callback_update(self, user_id: int, data: str, language_code: str = "zh",
                        update_id: int | None = None) -> dict[str, Any]:
        """A button press by ``user_id`` on one of the bot's messages in their private chat."""
        return {"update_id": update_id or self.next_update_id(), "callback_query": {
            "id": f"cq{next(self._message_ids)}", "chat_instance": f"ci{user_id}", "data": data,
            "from": {"id": user_id, "is_bot": False, "first_name": f"User{user_id}", "language_code": language_code},
            "message": {"message_id": next(self._message_ids), "date": int(time.time()),
                        "chat": {"id": user_id, "type": "private"}, "text": "…",
                        "from": {"id": self.bot_id, "is_bot": True, "first_name": "Kefu"}}}}

    # -- the API -------------------------------------------------------------------------
    async def _dispatch(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return self._reply(method, {}, 401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
        try:
            params = await _params(request)
        except ValueError as exc:
            return self._reply(method, {}, 400, _error(400, f"Bad Request: {exc}"))
        for i, (failing, status, body) in enumerate(self._failures):
            if failing == method:
                del self._failures[i]
                return self._reply(method, params, status, body)
        if method in _SENDS and _int(params.get("chat_id")) in self.blocked:
            return self._reply(method, params, 403, _error(403, "Forbidden: bot was blocked by the user"))
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return self._reply(method, params, 404, _error(404, "Not Found: method not found"))
        status, result = await handler(params)
        body = {"ok": True, "result": result} if status == 200 else _error(status, result)
        return self._reply(method, params, status, body)

    def _reply(self, method: str, params: dict[str, Any], status: int, body: dict[str, Any]) -> web.Response:
        self.calls.append(Call(method, params, status))
        asyncio.get_running_loop().create_task(self._notify())
        return web.json_response(body, status=status)

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def _api_getMe(self, _params: dict[str, Any]) -> tuple[int, Any]:
        return 200, self._bot_user()

    async def _api_getUpdates(self, params: dict[str, Any]) -> tuple[int, Any]:
        if self.webhook is not None:
            return 409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook first"
        offset = _int(params.get("offset")) or 0
        limit = _int(params.get("limit")) or 100
        timeout = float(params.get("timeout") or 0)
        async with self._changed:
            self._updates = [u for u in self._updates if _update_id(u) is None or _update_id(u) >= offset]
            if not self._updates and timeout > 0:
                try:
                    await asyncio.wait_for(self._changed.wait_for(lambda: bool(self._updates)), timeout)
                except TimeoutError:
                    pass
            batch = self._updates[:limit]
            self._updates = [u for u in self._updates if _update_id(u) is not None]  # id-less: served once
            return 200, batch

    async def _api_sendMessage(self, params: dict[str, Any]) -> tuple[int, Any]:
        text = str(params.get("text") or "")
        problem = _check_text(text, 4096, params) or _check_keyboard(params)
        if not text.strip():
            problem = "Bad Request: message text is empty"
        if problem:
            return 400, problem
        message = self._message(params, text=text)
        self.texts[(message["chat"]["id"], message["message_id"])] = (text, params.get("reply_markup"))
        return 200, message

    async def _api_editMessageText(self, params: dict[str, Any]) -> tuple[int, Any]:
        """Only a text message the bot sent to that chat, and only to a different text or keyboard."""
        text = str(params.get("text") or "")
        key = (_int(params.get("chat_id")), _int(params.get("message_id")))
        if key not in self.texts:
            return 400, "Bad Request: message to edit not found"
        problem = _check_text(text, 4096, params) or _check_keyboard(params)
        if not text.strip():
            problem = "Bad Request: message text is empty"
        if self.texts[key] == (text, params.get("reply_markup")):
            problem = "Bad Request: message is not modified"
        if problem:
            return 400, problem
        self.texts[key] = (text, params.get("reply_markup"))
        return 200, {**self._message(params, text=text), "message_id": key[1], "edit_date": int(time.time())}

    async def _api_sendPhoto(self, params: dict[str, Any]) -> tuple[int, Any]:
        photo = params.get("photo")
        if not photo:
            return 400, "Bad Request: there is no photo in the request"
        if isinstance(photo, str) and photo in self.bad_photos:
            return 400, "Bad Request: wrong file identifier/HTTP URL specified"
        problem = _check_text(str(params.get("caption") or ""), 1024, params) or _check_keyboard(params)
        if problem:
            return 400, problem.replace("message is too long", "message caption is too long")
        size = {"file_id": f"photo{next(self._message_ids)}", "file_unique_id": "u", "width": 800, "height": 800}
        return 200, self._message(params, photo=[size], caption=params.get("caption"))

    async def _api_sendDocument(self, params: dict[str, Any]) -> tuple[int, Any]:
        document = params.get("document")
        if not document:
            return 400, "Bad Request: there is no document in the request"
        problem = _check_text(str(params.get("caption") or ""), 1024, params)
        if problem:
            return 400, problem
        name = document["filename"] if isinstance(document, dict) else "file"
        return 200, self._message(params, document={"file_id": f"doc{next(self._message_ids)}",
                                                    "file_unique_id": "d", "file_name": name},
                                  caption=params.get("caption"))

    async def _api_sendChatAction(self, params: dict[str, Any]) -> tuple[int, Any]:
        return (200, True) if params.get("action") else (400, "Bad Request: wrong parameter action in request")

    async def _api_answerCallbackQuery(self, params: dict[str, Any]) -> tuple[int, Any]:
        return (200, True) if params.get("callback_query_id") else (400, "Bad Request: query is too old")

    async def _api_setWebhook(self, params: dict[str, Any]) -> tuple[int, Any]:
        url = str(params.get("url") or "")
        if not url:
            self.webhook = None
            return 200, True
        if not url.startswith("https://"):
            return 400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
        self.webhook = {"url": url, "secret_token": params.get("secret_token"),
                        "allowed_updates": params.get("allowed_updates")}
        return 200, True

    async def _api_deleteWebhook(self, params: dict[str, Any]) -> tuple[int, Any]:
        self.webhook = None
        if str(params.get("drop_pending_updates")).lower() == "true":
            self._updates.clear()
        return 200, True

    async def _api_getWebhookInfo(self, _params: dict[str, Any]) -> tuple[int, Any]:
        return 200, {"url": (self.webhook or {}).get("url", ""), "has_custom_certificate": False,
                     "pending_update_count": len(self._updates)}

    async def _api_setMyCommands(self, params: dict[str, Any]) -> tuple[int, Any]:
        commands = params.get("commands")
        if not isinstance(commands, list) or not all({"command", "description"} <= set(c) for c in commands):
            return 400, "Bad Request: commands must be an array of BotCommand"
        self.commands[str(params.get("language_code") or "")] = commands
        return 200, True

    def _bot_user(self) -> dict[str, Any]:
        return {"id": self.bot_id, "is_bot": True, "first_name": "Kefu Test", "username": self.username,
                "can_join_groups": False, "can_read_all_group_messages": False, "supports_inline_queries": False}

    def _message(self, params: dict[str, Any], **content: Any) -> dict[str, Any]:
        chat_id = _int(params.get("chat_id"))
        return {"message_id": next(self._message_ids), "date": int(time.time()), "from": self._bot_user(),
                "chat": {"id": chat_id, "type": "private"},
                **{k: v for k, v in content.items() if v is not None},
                **({"reply_markup": params["reply_markup"]} if params.get("reply_markup") else {})}


async def _params(request: web.Request) -> dict[str, Any]:
    """Parameters from the query string and a JSON, form-encoded or multipart body."""
    params: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json":
        body = await request.json()
        if not isinstance(body, dict):
            raise ValueError("the JSON body must be an object")
        params.update(body)
        return params
    if request.can_read_body:
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                params[key] = {"filename": value.filename, "content": value.file.read().decode("utf-8", "replace")}
            elif key in _JSON_FIELDS:
                params[key] = json.loads(value)
            else:
                params[key] = value
    return params


def _check_text(text: str, limit: int, params: dict[str, Any]) -> str | None:
    """Telegram's complaint about a text or caption, or None."""
    if str(params.get("parse_mode") or "").upper() == "HTML":
        stripped = _ALLOWED_TAGS.sub("", text)
        if "<" in stripped or ">" in stripped or "&" in _ENTITY.sub("", stripped):
            return "Bad Request: can't parse entities: unsupported start tag or unescaped character"
        text = _ENTITY.sub("x", stripped)
    return "Bad Request: message is too long" if len(text) > limit else None


def _check_keyboard(params: dict[str, Any]) -> str | None:
    markup = params.get("reply_markup") or {}
    for row in markup.get("inline_keyboard", []):
        for button in row:
            if len(str(button.get("callback_data", "")).encode()) > 64:
                return "Bad Request: BUTTON_DATA_INVALID"
    return None


def _error(status: int, description: str) -> dict[str, Any]:
    return {"ok": False, "error_code": status, "description": description}


def _update_id(update: Any) -> int | None:
    value = update.get("update_id") if isinstance(update, dict) else None
    return value if type(value) is int else None


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
