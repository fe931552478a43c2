"""The shop's after-sales policy as data: one YAML file drives both the rules the dialogue flows
enforce and the FAQ articles that explain them (rendered from the same values), so they cannot
disagree. Format: docs/DIALOGUE.md."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from core.i18n import t
from core.money import format_price
from core.nesting import load_yaml
from core.store import ORDER_STATUSES
from core.store.knowledge import KnowledgeBase

DEMO_POLICY = Path(__file__).resolve().parent.parent / "demo" / "policy.yaml"
ACTIONS = ("cancel", "change_address", "change_items", "return", "exchange", "invoice")
REFUND_METHODS = ("original", "store_credit")
_LANGS = ("zh", "en")


class PolicyError(ValueError):
    """The policy file is missing, malformed or names something unknown."""


@dataclass(frozen=True)
class ShopPolicy:
    """Return and exchange windows, which order statuses allow which action, refund methods, limits
    and when a colleague must approve; ``faq`` holds the article templates rendered from them."""

    currency: str = "CNY"
    return_window_days: int = 30
    exchange_window_days: int = 30
    invoice_window_days: int = 90
    allowed_statuses: dict[str, tuple[str, ...]] = field(default_factory=dict)
    refund_methods: tuple[str, ...] = REFUND_METHODS
    auth_attempts: int = 3
    auth_source_attempts: int = 10
    auth_email_attempts: int = 20
    auth_lock_minutes: int = 15
    exchanges_per_item: int = 1
    refund_approval_above_cents: int | None = None
    exchange_approval_above_cents: int | None = None
    faq: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: str | Path | None = None) -> ShopPolicy:
        """Read a policy file (the demo shop's when ``path`` is None)."""
        path = Path(path) if path else DEMO_POLICY
        try:
            data = load_yaml(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise PolicyError(f"cannot read {path}: {exc}") from None
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ShopPolicy:
        """Validate and build from the file's mapping."""
        allowed = {k: tuple(v or ()) for k, v in (data.get("allowed_statuses") or {}).items()}
        unknown = set(allowed) - set(ACTIONS)
        bad_status = {s for v in allowed.values() for s in v} - set(ORDER_STATUSES)
        methods = tuple(data.get("refund_methods") or REFUND_METHODS)
        if unknown or bad_status or set(methods) - set(REFUND_METHODS) or not methods:
            raise PolicyError(f"unknown actions {sorted(unknown)}, statuses {sorted(bad_status)} or refund "
                              f"methods {sorted(set(methods) - set(REFUND_METHODS))} in the policy")
        limits, approval = data.get("limits") or {}, data.get("human_approval") or {}
        auth = {name: int(limits.get(name, default)) for name, default in (
            ("auth_attempts", 3), ("auth_source_attempts", 10), ("auth_email_attempts", 20), ("auth_lock_minutes", 15))}
        if min(auth.values()) < 1:
            raise PolicyError(f"the in-chat identity check limits must be at least 1: {auth}")
        return cls(
            currency=data.get("currency", "CNY"),
            return_window_days=int(data.get("return_window_days", 30)),
            exchange_window_days=int(data.get("exchange_window_days", 30)),
            invoice_window_days=int(data.get("invoice_window_days", 90)),
            allowed_statuses=allowed, refund_methods=methods,
            **auth,
            exchanges_per_item=int(limits.get("exchanges_per_item", 1)),
            refund_approval_above_cents=_cents(approval.get("refund_above")),
            exchange_approval_above_cents=_cents(approval.get("exchange_difference_above")),
            faq=data.get("faq") or {},
        )

    def allows(self, action: str, status: str) -> bool:
        """Whether an order in ``status`` allows ``action`` (cancel, return, …)."""
        return status in self.allowed_statuses.get(action, ())

    def window_days(self, action: str) -> int | None:
        """Days after delivery within which ``action`` is allowed (None: no window)."""
        return {"return": self.return_window_days, "exchange": self.exchange_window_days,
                "invoice": self.invoice_window_days}.get(action)

    def within_window(self, action: str, delivered_on: str | None, today: date,
                      ordered_on: str | None = None) -> bool | None:
        """Whether ``today`` is within the action's window after ``delivered_on`` (ISO date). Without a
        delivery date, an order placed within the window is within it too (nothing is delivered before
        it is ordered); otherwise None: the shop's data cannot tell."""
        days = self.window_days(action)
        if days is None:
            return True
        if delivered_on:
            return (today - date.fromisoformat(delivered_on[:10])).days <= days
        if ordered_on and (today - date.fromisoformat(ordered_on[:10])).days <= days:
            return True
        return None

    def needs_approval(self, kind: str, amount_cents: int) -> bool:
        """Whether a refund (``kind`` "refund") or exchange difference ("exchange") needs a colleague."""
        limit = self.refund_approval_above_cents if kind == "refund" else self.exchange_approval_above_cents
        return limit is not None and abs(amount_cents) > limit

    def facts(self, lang: str) -> dict[str, str]:
        """The values the FAQ templates may use, phrased in ``lang``."""
        joiner = "或" if lang == "zh" else " or "

        def statuses(action: str) -> str:
            return joiner.join(f"“{t(f'status_{s}', lang)}”" if lang == "zh" else t(f"status_{s}", lang)
                               for s in self.allowed_statuses.get(action, ())) or t("policy_never", lang)

        limit = self.refund_approval_above_cents
        return {
            "return_window_days": str(self.return_window_days),
            "exchange_window_days": str(self.exchange_window_days),
            "invoice_window_days": str(self.invoice_window_days),
            "cancel_statuses": statuses("cancel"), "change_statuses": statuses("change_address"),
            "return_statuses": statuses("return"), "invoice_statuses": statuses("invoice"),
            "refund_methods": joiner.join(t(f"refund_method_{m}", lang) for m in self.refund_methods),
            "refund_above": format_price(limit, self.currency) if limit is not None else "-",
        }

    def articles(self) -> list[dict[str, Any]]:
        """The FAQ articles (one per language) rendered from this policy, ready for the knowledge base."""
        out = []
        for article_id, spec in self.faq.items():
            for lang in _LANGS:
                facts = self.facts(lang)
                out.append({"id": article_id, "lang": lang, "topic": spec.get("topic", "policy"),
                            "title": spec["title"][lang].format(**facts), "body": spec["body"][lang].format(**facts),
                            "tags": list(spec.get("tags") or [])})
        return out


def _cents(amount: Any) -> int | None:
    return None if amount is None else round(float(amount) * 100)


def publish_policy_articles(knowledge: KnowledgeBase, policy: ShopPolicy) -> int:
    """Write the policy's FAQ articles into the knowledge base (replacing same-id articles);
    returns how many were written."""
    articles = policy.articles()
    for article in articles:
        knowledge.upsert(article)
    return len(articles)
