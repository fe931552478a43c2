"""Kefu's replies as WeChat messages: text (split to WeChat's size limit), news (one product card
each) and msgmenu (the buttons), rendered as a passive XML reply or a customer-service API call."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from adapters.wechat.strings import say
from core.messages import Button, Reply

TEXT_LIMIT_BYTES = 2000
"""WeChat refuses text messages above 2048 bytes of UTF-8; split a little below."""
MENU_ITEMS_LIMIT = 10
MENU_LABEL_CHARS = 32
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Text:
    """A text message; a ``private`` one (of a private reply) is never sent passively."""

    content: str
    private: bool = False


@dataclass(frozen=True)
class News:
    """A news message with one article: a product card; a ``private`` one is never sent passively."""

    title: str
    description: str
    pic_url: str = ""
    url: str = ""
    private: bool = False


@dataclass(frozen=True)
class Menu:
    """A msgmenu: options the shopper taps; WeChat sends the tapped option's id back
    (``bizmsgmenuid``). Only the customer-service API can send one."""

    head: str
    items: tuple[tuple[str, str], ...]
    """(id, label) pairs."""


Outgoing = Text | News | Menu


def split_text(text: str, limit: int = TEXT_LIMIT_BYTES) -> list[str]:
    """``text`` in pieces of at most ``limit`` UTF-8 bytes, cut after a line break when one is near."""
    pieces: list[str] = []
    rest = text.strip()
    while len(rest.encode("utf-8")) > limit:
        cut = _fit(rest, limit)
        newline = rest.rfind("\n", 0, cut)
        if newline > cut // 2:
            cut = newline + 1
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces


def _fit(text: str, limit: int) -> int:
    """How many leading characters of ``text`` fit in ``limit`` UTF-8 bytes."""
    return len(text.encode("utf-8")[:limit].decode("utf-8", "ignore"))


def to_wechat(replies: list[Reply], menu_id: Callable[[str], str]) -> list[Outgoing]:
    """Each reply as its text pieces, one news message per product card, then a menu of its
    buttons (reply buttons first, then each card's); a private reply's text and news are private.
    ``menu_id`` maps a button payload to the id the menu carries."""
    messages: list[Outgoing] = []
    for reply in replies:
        messages.extend(Text(piece, private=reply.private) for piece in split_text(reply.text))
        buttons: list[Button] = list(reply.buttons)
        for card in reply.cards:
            messages.append(News(card.title, " · ".join(filter(None, (card.price, card.subtitle))),
                                 card.image_url or "", private=reply.private))
            buttons.extend(Button(f"{b.label}：{card.title}", b.payload) for b in card.buttons)
        if buttons:
            messages.append(menu(say("menu_head", reply.language), buttons, menu_id))
    return messages


def menu(head: str, buttons: list[Button], menu_id: Callable[[str], str]) -> Menu:
    """A menu of (at most :data:`MENU_ITEMS_LIMIT`) buttons."""
    return Menu(head, tuple((menu_id(b.payload), _shorten(b.label)) for b in buttons[:MENU_ITEMS_LIMIT]))


def _shorten(label: str) -> str:
    return label if len(label) <= MENU_LABEL_CHARS else label[: MENU_LABEL_CHARS - 1] + "…"


def passive_xml(message: Text | News, to_user: str, from_user: str, create_time: int) -> str:
    """The passive reply XML for one message."""
    head = (f"<ToUserName>{_cdata(to_user)}</ToUserName><FromUserName>{_cdata(from_user)}</FromUserName>"
            f"<CreateTime>{create_time}</CreateTime>")
    if isinstance(message, Text):
        return f"<xml>{head}<MsgType>{_cdata('text')}</MsgType><Content>{_cdata(message.content)}</Content></xml>"
    item = (f"<item><Title>{_cdata(message.title)}</Title><Description>{_cdata(message.description)}</Description>"
            f"<PicUrl>{_cdata(message.pic_url)}</PicUrl><Url>{_cdata(message.url)}</Url></item>")
    return f"<xml>{head}<MsgType>{_cdata('news')}</MsgType><ArticleCount>1</ArticleCount><Articles>{item}</Articles></xml>"


def encrypted_xml(ciphertext: str, signature: str, timestamp: str, nonce: str) -> str:
    """The envelope of an encrypted passive reply."""
    return (f"<xml><Encrypt>{_cdata(ciphertext)}</Encrypt><MsgSignature>{_cdata(signature)}</MsgSignature>"
            f"<TimeStamp>{timestamp}</TimeStamp><Nonce>{_cdata(nonce)}</Nonce></xml>")


def api_body(message: Outgoing, to_user: str) -> dict:
    """The JSON body of ``message/custom/send`` for one message."""
    if isinstance(message, Text):
        return {"touser": to_user, "msgtype": "text", "text": {"content": message.content}}
    if isinstance(message, News):
        article = {"title": message.title, "description": message.description, "url": message.url,
                   "picurl": message.pic_url}
        return {"touser": to_user, "msgtype": "news", "news": {"articles": [article]}}
    return {"touser": to_user, "msgtype": "msgmenu",
            "msgmenu": {"head_content": message.head, "tail_content": "",
                        "list": [{"id": item_id, "content": label} for item_id, label in message.items]}}


def _cdata(text: str) -> str:
    """``text`` as CDATA: characters XML forbids dropped, ``]]>`` split across two sections."""
    clean = _XML_ILLEGAL.sub("", text)
    return "<![CDATA[" + clean.replace("]]>", "]]]]><![CDATA[>") + "]]>"
