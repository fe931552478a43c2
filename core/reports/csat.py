"""CSAT in a report: the "How did we do?" questions asked in the report's conversations and their answers,
overall and per channel and language (docs/CONSOLE.md "CSAT")."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from core.store import Store

SCORES = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class CsatGroup:
    """Questions asked and answered, and the answers' scores, of one group of conversations."""

    asked: int = 0
    distribution: dict[int, int] = field(default_factory=dict)

    @property
    def answered(self) -> int:
        """Questions answered with a score."""
        return sum(self.distribution.values())

    @property
    def average(self) -> float | None:
        """The mean score (None without answers)."""
        return sum(s * n for s, n in self.distribution.items()) / self.answered if self.answered else None

    @property
    def response_rate(self) -> float | None:
        """answered / asked (None when none were asked)."""
        return self.answered / self.asked if self.asked else None


def _group(counts: list[tuple[int | None, int]]) -> CsatGroup:
    """A group from (score or None, questions) pairs."""
    scores: Counter[int] = Counter()
    for score, n in counts:
        if score is not None:
            scores[score] += n
    return CsatGroup(asked=sum(n for _, n in counts), distribution={s: scores.get(s, 0) for s in SCORES})


@dataclass(frozen=True)
class CsatSummary:
    """All of a report's CSAT, and the same per channel and per language (the conversation's when asked)."""

    overall: CsatGroup
    by_channel: dict[str, CsatGroup]
    by_language: dict[str, CsatGroup]

    def rows(self) -> list[tuple[str, str]]:
        """(metric, value) rows in a fixed order, after the report's own."""
        def number(value: float | None, digits: int) -> str:
            return "-" if value is None else f"{value:.{digits}f}"
        total = self.overall
        out = [("csat_asked", str(total.asked)), ("csat_answered", str(total.answered)),
               ("csat_response_rate", number(total.response_rate, 3)), ("csat_average", number(total.average, 2))]
        out += [(f"csat_score.{score}", str(total.distribution.get(score, 0))) for score in SCORES]
        for kind, groups in (("channel", self.by_channel), ("language", self.by_language)):
            for name, group in sorted(groups.items()):
                out += [(f"csat_average.{kind}.{name}", number(group.average, 2)),
                        (f"csat_answered.{kind}.{name}", str(group.answered)),
                        (f"csat_response_rate.{kind}.{name}", number(group.response_rate, 3))]
        return out


def csat_summary(store: Store, conversation_ids: list[str]) -> CsatSummary:
    """The CSAT of these conversations (every question asked in them, answered or not)."""
    counts = store.csat.counts(conversation_ids)
    channels: dict[str, list[tuple[int | None, int]]] = {}
    languages: dict[str, list[tuple[int | None, int]]] = {}
    for channel, language, score, n in counts:
        channels.setdefault(channel, []).append((score, n))
        languages.setdefault(language or "-", []).append((score, n))
    return CsatSummary(overall=_group([(score, n) for *_, score, n in counts]),
                       by_channel={k: _group(v) for k, v in channels.items()},
                       by_language={k: _group(v) for k, v in languages.items()})
