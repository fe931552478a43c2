"""Per-campaign results: targeted, sent, failed, skipped by reason, coupons redeemed and the
revenue of the orders that used them; as numbers and as a PNG chart."""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils


@dataclass
class CampaignReport:
    """One campaign's numbers (money in cents)."""

    campaign_id: int
    name: str
    targeted: int = 0
    sent: int = 0
    failed: int = 0
    pending: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    failures: dict[str, int] = field(default_factory=dict)
    coupons_issued: int = 0
    coupons_redeemed: int = 0
    revenue_cents: int = 0
    discount_cents: int = 0


def campaign_report(db: sqlite_utils.Database, campaign_id: int, name: str) -> CampaignReport:
    """Count a campaign's deliveries and redemptions."""
    report = CampaignReport(campaign_id, name)
    for status, reason, count in db.execute(
            "select status, coalesce(reason, ''), count(*) from deliveries where campaign_id = ? "
            "group by status, reason", [campaign_id]):
        report.targeted += count
        if status == "sent":
            report.sent += count
        elif status == "failed":
            report.failed += count
            report.failures[reason or "unknown"] = report.failures.get(reason or "unknown", 0) + count
        elif status == "skipped":
            report.skipped[reason] = report.skipped.get(reason, 0) + count
        else:  # pending or sending
            report.pending += count
    issued, redeemed, revenue, discount = db.execute(
        "select count(distinct c.code), count(r.id), coalesce(sum(r.order_total_cents), 0), "
        "coalesce(sum(r.discount_cents), 0) from coupons c left join redemptions r on r.code = c.code "
        "where c.campaign_id = ?", [campaign_id]).fetchone()
    report.coupons_issued, report.coupons_redeemed = issued, redeemed
    report.revenue_cents, report.discount_cents = revenue, discount
    return report


def write_chart(report: CampaignReport, path: Path) -> Path:
    """A bar chart of the campaign's funnel and skip reasons, as PNG."""
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    labels = ["targeted", "sent", "failed", "pending", *(f"skipped: {r}" for r in report.skipped),
              "coupons redeemed"]
    values = [report.targeted, report.sent, report.failed, report.pending, *report.skipped.values(),
              report.coupons_redeemed]
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(labels) + 1.2))
    bars = ax.barh(labels[::-1], values[::-1], color="#3b82f6")
    ax.bar_label(bars, padding=3)
    ax.set_title(f"Campaign {report.campaign_id}: {report.name}")
    ax.set_xlabel("customers")
    path.parent.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():  # a Chinese name without a CJK font: boxes, not a warning per glyph
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        fig.tight_layout()
        fig.savefig(path, dpi=100)
    plt.close(fig)
    return path
