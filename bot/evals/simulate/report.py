"""pass^1 (the share of runs that succeed) and pass^k (the share of tasks whose k runs all succeed) per
flow and language and overall, and the failing transcripts, one readable file each."""
from __future__ import annotations

from pathlib import Path

from bot.evals.simulate.runner import Run


def pass_rates(runs: list[Run]) -> tuple[int, float, float]:
    """(tasks, pass^1, pass^k) of ``runs``."""
    by_task: dict[str, list[bool]] = {}
    for run in runs:
        by_task.setdefault(run.task.name, []).append(run.success)
    if not by_task:
        return 0, 0.0, 0.0
    return (len(by_task), sum(r.success for r in runs) / len(runs),
            sum(all(v) for v in by_task.values()) / len(by_task))


def table(runs: list[Run]) -> list[str]:
    """The printed table: one line per (flow, language), then per language and overall."""
    lines = [f"{'flow':<10}{'lang':<6}{'tasks':>6}{'pass^1':>8}{'pass^k':>8}"]
    groups = sorted({(r.task.flow, r.task.lang) for r in runs})
    for flow, lang in groups:
        n, one, k = pass_rates([r for r in runs if (r.task.flow, r.task.lang) == (flow, lang)])
        lines.append(f"{flow:<10}{lang:<6}{n:>6}{one:>8.0%}{k:>8.0%}")
    for lang in sorted({r.task.lang for r in runs}):
        n, one, k = pass_rates([r for r in runs if r.task.lang == lang])
        lines.append(f"{'all':<10}{lang:<6}{n:>6}{one:>8.0%}{k:>8.0%}")
    n, one, k = pass_rates(runs)
    lines.append(f"{'all':<10}{'all':<6}{n:>6}{one:>8.0%}{k:>8.0%}")
    return lines


def write_failures(runs: list[Run], folder: Path) -> list[Path]:
    """One text file per failed run under ``folder`` (the previous run's files removed): the task, the
    problems, the transcript."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.txt"):
        old.unlink()
    paths = []
    for run in runs:
        if run.success:
            continue
        path = folder / f"{run.task.name}-seed{run.seed}.txt"
        lines = [f"task: {run.task.name} (flow {run.task.flow}, {run.task.lang}, expected {run.task.outcome})",
                 f"shopper: {run.task.shopper}", "problems:", *[f"  - {p}" for p in run.problems], ""]
        lines += [f"{who:>7}: {text}" for who, text in run.transcript]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths
