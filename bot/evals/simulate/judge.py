"""Whether a simulated run succeeded: from the store's state before and after (orders, after-sales
requests, handoffs) and the facts the replies had to contain, as the task expects."""
from __future__ import annotations

from typing import Any

from bot.evals.simulate.tasks import Task
from core.store import Store


def snapshot(store: Store) -> dict[str, Any]:
    """What a run may change: every order's status and address, request rows, handoffs."""
    db = store.db
    return {"orders": dict((r[0], (r[1], r[2])) for r in db.execute("select id, status, address from orders")),
            "requests": [tuple(r) for r in db.execute("select order_id, kind from order_requests")],
            "handoffs": db.execute("select count(*) from handoffs").fetchone()[0]}


def judge(task: Task, before: dict[str, Any], after: dict[str, Any], said: str) -> list[str]:
    """The problems of one run (empty: success)."""
    problems = [f"reply lacks {fact!r}" for fact in task.facts if fact.lower() not in said.lower()]
    if task.named and not any(name.lower() in said.lower() for name in task.named):
        problems.append(f"reply names none of {list(task.named)}")
    if task.any_of and not any(word.lower() in said.lower() for word in task.any_of):
        problems.append(f"reply has none of {list(task.any_of)}")
    problems += [f"reply must not say {word!r}" for word in task.never if word.lower() in said.lower()]
    changed = {k for k, v in after["orders"].items() if before["orders"].get(k) != v}
    requests = [r for r in after["requests"] if r not in before["requests"] and r[0] == task.order_id]
    if changed - {task.order_id}:
        problems.append(f"other orders changed: {sorted(changed - {task.order_id})}")
    mine = task.order_id in changed
    if task.outcome == "changed" and not mine:
        problems.append(f"order {task.order_id} was not changed")
    if task.outcome == "request" and not requests:
        problems.append(f"no after-sales request for {task.order_id}")
    if task.outcome == "handoff" and after["handoffs"] <= before["handoffs"]:
        problems.append("no colleague was asked")
    if task.outcome in ("unchanged", "handoff") and (mine or requests):
        problems.append(f"order {task.order_id} changed or a request was made, though it must not be")
    return problems
