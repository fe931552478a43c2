"""Flows started vs completed in a report: what the task engine began and finished (``flow_events``) in the
report's conversations, per flow (cancel_order, return_items, track_order, …)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from core.store import Store


@dataclass(frozen=True)
class FlowCounts:
    """Per flow name, how often it was started and how often it completed (did what was asked)."""

    started: dict[str, int]
    completed: dict[str, int]

    def rows(self) -> list[tuple[str, str]]:
        """``flow_started.<flow>`` and ``flow_completed.<flow>`` rows, flows in alphabetical order."""
        out: list[tuple[str, str]] = []
        for name in sorted(set(self.started) | set(self.completed)):
            out += [(f"flow_started.{name}", str(self.started.get(name, 0))),
                    (f"flow_completed.{name}", str(self.completed.get(name, 0)))]
        return out


def flow_counts(store: Store, conversation_ids: list[str]) -> FlowCounts:
    """The flow events of these conversations, counted."""
    marks = ",".join("?" * len(conversation_ids))
    events = store.db.execute(f"select event, flow from flow_events where conversation_id in ({marks})",
                              conversation_ids).fetchall() if conversation_ids else []
    counts = Counter((event, flow) for event, flow in events)
    return FlowCounts(started={flow: n for (event, flow), n in counts.items() if event == "started"},
                      completed={flow: n for (event, flow), n in counts.items() if event == "completed"})
