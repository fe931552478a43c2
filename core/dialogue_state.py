"""The per-conversation dialogue state, stored as JSON after every turn."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from core.messages import Language


@dataclass
class DialogueState:
    """Everything the assistant remembers between turns of one conversation.

    ``last_query`` and ``last_shown`` let "more", "the second one" and paging resolve;
    ``active_task`` is the flow under way (cancel_order, return_items, …) with its filled ``slots``;
    ``awaiting`` the slot just asked for; ``pending`` the change waiting for the shopper's yes/no, asked
    for in turn ``pending_asked_at``;
    ``customer_id`` the customer the shopper proved to be in this chat (email plus zip code or phone);
    ``identity_given`` the parts of those details given so far, until the check succeeds;
    ``last_order`` the order the last finished task was about ("where is my refund?" after a cancel);
    ``refused_task`` the task the shop's policy refused in turn ``refused_at`` (an order number in the
    very next message asks for it again, for that order: "sorry, I meant W…", keeping ``refused_slots``,
    what was said of the task, such as its reason);
    ``erase_asked_at`` the turn that asked "delete your data for good?" (only the next turn can confirm);
    ``csat_due``: a flow finished, the CSAT question waits for the conversation's end; ``csat_open``: it was
    just asked, a score may follow; ``csat_comment``: scored, a comment may follow; ``csat_asked``: asked in
    this conversation (so "别再问了" opts out) (:mod:`core.csat`);
    ``failures`` counts consecutive turns the assistant did not understand; ``sentiment`` keeps the
    last ten message scores and ``mood`` their smoothed trend (see :mod:`core.sentiment.mood`)."""

    language: Language = "en"
    turn: int = 0
    active_task: str | None = None
    slots: dict[str, Any] = field(default_factory=dict)
    last_query: dict[str, Any] = field(default_factory=dict)
    last_page: int = 1
    last_shown: list[str] = field(default_factory=list)
    failures: int = 0
    sentiment: list[float] = field(default_factory=list)
    mood: float | None = None
    handoff: bool = False
    awaiting: str | None = None
    pending: str | None = None
    pending_asked_at: int | None = None
    customer_id: int | None = None
    identity_given: dict[str, str] = field(default_factory=dict)
    task_turns: int = 0
    last_order: str | None = None
    refused_task: str | None = None
    refused_at: int | None = None
    refused_slots: dict[str, Any] = field(default_factory=dict)
    erase_asked_at: int | None = None
    csat_due: bool = False
    csat_open: bool = False
    csat_comment: bool = False
    csat_asked: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DialogueState:
        """Rebuild from stored JSON, ignoring keys this version does not know."""
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)
