"""How fast a backend generates, measured: a moving estimate from every completion, and a forecast
of how long one generation of a prompt will take (docs/LLM.md, Latency)."""
from __future__ import annotations

import re
import time

from core.llm.base import ChatMessage, Completion

_HAN = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
# Rough tokens per character of a Qwen-style byte-level BPE: a Chinese character is most of a token,
# English runs about four characters a token. The estimator learns how far real outputs differ.
_HAN_TOKENS, _OTHER_TOKENS = 0.75, 0.27


def text_tokens(text: str) -> float:
    """About how many tokens ``text`` is (no tokenizer needed: counted by script)."""
    han = len(_HAN.findall(text))
    return han * _HAN_TOKENS + (len(text) - han) * _OTHER_TOKENS


class SpeedEstimator:
    """Exponential moving averages of decoding speed and prompt reading speed.

    Knows nothing until the first :meth:`observe` (the backend calibrates at start-up), then forecasts
    ``seconds(messages, output_tokens)``: reading the prompt (the system message is cached by the
    engines, so only the rest counts) plus writing ``output_tokens``."""

    def __init__(self, weight: float = 0.3) -> None:
        """``weight``: how much each new observation moves the estimates."""
        self._weight = weight
        self.tokens_per_s: float | None = None
        self.prompt_s_per_token: float | None = None
        self.observed_at: float | None = None  # time.monotonic() of the last observation

    def age_s(self) -> float:
        """Seconds since the last observation (infinite before the first)."""
        return float("inf") if self.observed_at is None else time.monotonic() - self.observed_at

    def seconds(self, messages: list[ChatMessage], output_tokens: float) -> float | None:
        """Forecast seconds of one generation of ``messages`` on an idle engine; None while unknown."""
        if self.tokens_per_s is None or self.prompt_s_per_token is None:
            return None
        return prompt_tokens(messages) * self.prompt_s_per_token + output_tokens / self.tokens_per_s

    def observe(self, messages: list[ChatMessage], completion: Completion) -> None:
        """Learn from one finished generation of ``messages`` (ignored without its timings)."""
        first = completion.first_token_s
        if first is None or completion.tokens < 2 or completion.seconds <= first:
            return
        self.observed_at = time.monotonic()
        self.tokens_per_s = self._mix(self.tokens_per_s, (completion.tokens - 1) / (completion.seconds - first))
        self.prompt_s_per_token = self._mix(self.prompt_s_per_token, first / max(1.0, prompt_tokens(messages)))

    def _mix(self, old: float | None, new: float) -> float:
        return new if old is None else (1 - self._weight) * old + self._weight * new


def prompt_tokens(messages: list[ChatMessage]) -> float:
    """The prompt an engine reads per request: all but the system message, which it caches."""
    return sum(text_tokens(m["content"]) for m in messages if m["role"] != "system")
