"""Parsing WeChat's XML pushes with a hardened parser (defusedxml): no DTDs, no entities."""
from __future__ import annotations

from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

MAX_BODY_BYTES = 64 * 1024
"""WeChat's pushes are a few hundred bytes; anything above this is refused unread."""


class BadMessage(ValueError):
    """A push that is not a well-formed WeChat message (answered 400)."""


def parse_fields(body: bytes | str) -> dict[str, str]:
    """The child elements of the ``<xml>`` root as a flat ``{tag: text}`` dict.

    Raises :class:`BadMessage` for malformed XML, any DTD (entity expansion, external entities)
    or another root element."""
    try:
        root = fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (ParseError, DefusedXmlException, ValueError, LookupError) as exc:  # LookupError: unknown encoding
        raise BadMessage(f"malformed or forbidden XML: {exc}") from None
    if root.tag != "xml":
        raise BadMessage(f"the root element must be <xml>, not <{root.tag}>")
    return {child.tag: (child.text or "").strip() for child in root}


@dataclass(frozen=True)
class WeChatMessage:
    """One push from WeChat: a message (text, image, voice, …) or an event."""

    to_user: str
    from_user: str
    create_time: str
    msg_type: str
    fields: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_fields(cls, fields: dict[str, str]) -> WeChatMessage:
        """Validate the common header fields (:class:`BadMessage` when one is missing)."""
        missing = [name for name in ("ToUserName", "FromUserName", "CreateTime", "MsgType") if not fields.get(name)]
        if missing:
            raise BadMessage(f"missing {', '.join(missing)}")
        if not fields["CreateTime"].isdigit():
            raise BadMessage("CreateTime must be a number")
        return cls(fields["ToUserName"], fields["FromUserName"], fields["CreateTime"], fields["MsgType"].lower(),
                   fields)

    @property
    def event(self) -> str:
        """The event name in lower case (``subscribe``, ``click``, …), or "" for a message."""
        return self.fields.get("Event", "").lower() if self.msg_type == "event" else ""

    @property
    def dedupe_key(self) -> str:
        """MsgId for messages; FromUserName + CreateTime (+ event) for events, which have no id."""
        msg_id = self.fields.get("MsgId")
        if msg_id and self.msg_type != "event":
            return f"msg:{msg_id}"
        return f"event:{self.from_user}:{self.create_time}:{self.event}"

    def get(self, name: str) -> str:
        """A field's text, "" when absent."""
        return self.fields.get(name, "")
