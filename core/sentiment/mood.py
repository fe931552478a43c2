"""Conversation mood: an exponential moving average of message scores, and its label for staff."""
from __future__ import annotations


def smooth(previous: float | None, score: float, alpha: float) -> float:
    """The new mood after a message scoring ``score``; ``alpha`` in (0, 1] is the weight of the newest
    message (1: no memory). The first message sets the mood."""
    if previous is None:
        return round(score, 3)
    return round(alpha * score + (1 - alpha) * previous, 3)


def mood_label(mood: float | None) -> str:
    """A word for staff lists: upset, unhappy, neutral, happy (or "-" when there is no mood yet)."""
    if mood is None:
        return "-"
    if mood <= -0.5:
        return "upset"
    if mood <= -0.15:
        return "unhappy"
    if mood >= 0.3:
        return "happy"
    return "neutral"
