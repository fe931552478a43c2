"""A report as CSV text and as a PNG chart: the same rows the CLI prints and the console shows."""
from __future__ import annotations

import csv
import io

from core.reports.build import HANDOFF_CATEGORIES, Report
from core.reports.csat import SCORES


def to_csv(report: Report) -> str:
    """``metric,value`` lines of :meth:`Report.rows`, with a header."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("metric", "value"))
    writer.writerows(report.rows())
    return out.getvalue()


def to_png(report: Report) -> bytes:
    """Three charts as PNG: the handoff reasons, the mood per day and the CSAT scores."""
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    fig, (reasons, mood, csat) = plt.subplots(1, 3, figsize=(14, 3.6))
    counts = [report.handoff_reasons.get(name, 0) for name in HANDOFF_CATEGORIES]
    reasons.bar_label(reasons.barh(HANDOFF_CATEGORIES[::-1], counts[::-1], color="#3b82f6"), padding=3)
    reasons.set_title(f"Handoffs ({report.handed_off} of {report.conversations} conversations)")
    days = sorted(report.mood_by_day)
    mood.plot(days, [report.mood_by_day[day] for day in days], marker="o", color="#16a34a")
    mood.axhline(0, color="#999", linewidth=0.8)
    mood.set_ylim(-1, 1)
    mood.set_title("Mood per day")
    mood.tick_params(axis="x", labelrotation=45)
    if report.csat is not None:
        scores = report.csat.overall
        csat.bar_label(csat.bar([str(s) for s in SCORES], [scores.distribution.get(s, 0) for s in SCORES],
                                color="#f59e0b"), padding=2)
        average = "-" if scores.average is None else f"{scores.average:.2f}"
        csat.set_title(f"CSAT: {scores.answered} of {scores.asked} answered, average {average}")
    fig.suptitle(f"Kefu report {report.scope.start} to {report.scope.end}")
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=100)
    plt.close(fig)
    return out.getvalue()
