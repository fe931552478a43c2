"""The handoff card in Slack's Block Kit."""
from __future__ import annotations

from typing import Any

from core.staff import HandoffCard

CLAIM, RESOLVE, BACK = "kefu_claim", "kefu_resolve", "kefu_back"


def card_text(card: HandoffCard) -> str:
    """The plain-text fallback (notifications, screen readers)."""
    return f"Handoff #{card.id}: {card.customer} on {card.channel} ({card.reason}, mood {card.mood})"


def card_blocks(card: HandoffCard, note: str = "") -> list[dict[str, Any]]:
    """Header, facts, summary, status and the buttons that still make sense."""
    facts = [("Customer", card.customer), ("Channel", card.channel), ("Language", card.language),
             ("Mood", card.mood), ("Order", card.order_id or "-"),
             ("Status", card.status + (f" ({card.claimed_by})" if card.claimed_by else ""))]
    note_line = f" · _{_plain(card.summary_note)}_" if card.summary_note else ""  # a model wrote it
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": f"*Handoff #{card.id}* · {card.reason} · "
                                                              f"priority {card.priority}"}},
        {"type": "section", "fields": [{"type": "mrkdwn", "text": f"*{k}*\n{_plain(v)}"} for k, v in facts]},
        {"type": "section", "text": {"type": "mrkdwn", "text": f"*Summary*{note_line}\n{_plain(card.summary)}"}},
    ]
    if note:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": _plain(note)}]})
    if card.status != "resolved":
        buttons = [(RESOLVE, "Resolve", None), (BACK, "Back to bot", None)]
        if card.status == "open":
            buttons.insert(0, (CLAIM, "Claim", "primary"))
        blocks.append({"type": "actions", "block_id": f"handoff-{card.id}", "elements": [
            {"type": "button", "action_id": action, "value": str(card.id), "text": {"type": "plain_text", "text": label},
             **({"style": style} if style else {})} for action, label, style in buttons]})
    return blocks


def _plain(text: str) -> str:
    """Shopper text shown safely: Slack's control characters escaped (no @channel from a shopper)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
