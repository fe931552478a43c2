"""The handoff card in Slack's Block Kit."""
from __future__ import annotations

from typing import Any

from core.staff import HandoffCard
from core.staff.copilot import CopilotFacts

CLAIM, RESOLVE, BACK = "kefu_claim", "kefu_resolve", "kefu_back"


def card_text(card: HandoffCard) -> str:
    """The plain-text fallback (notifications, screen readers)."""
    return f"Handoff #{card.id}: {card.customer} on {card.channel} ({card.reason}, mood {card.mood})"


def card_blocks(card: HandoffCard, note: str = "", copilot: CopilotFacts | None = None) -> list[dict[str, Any]]:
    """Header, facts, summary, the copilot's customer facts, status and the buttons that still make sense."""
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
    if copilot is not None and copilot.customer:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": _copilot_text(copilot)}})
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


def _copilot_text(copilot: CopilotFacts) -> str:
    """The customer (email, since) and their own recent orders with status and tracking, from the store."""
    customer = copilot.customer
    since = (customer.get("since") or "")[:10] or "unknown"
    lines = [f"*Customer* {_plain(customer.get('name') or 'unknown')} · {_plain(customer.get('email') or 'no email')}"
             f" · since {since}", "*Recent orders*"]
    lines += [f"• {_plain(o['id'])} · {_plain(o['status'] or 'unknown')} · tracking "
              f"{_plain(' '.join(p for p in (o['carrier'], o['tracking']) if p) if o['tracking'] else 'unknown')}"
              for o in copilot.orders] or ["• none known"]
    return "\n".join(lines)


def _plain(text: str) -> str:
    """Shopper text shown safely: Slack's control characters escaped (no @channel from a shopper)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
