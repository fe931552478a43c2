"""Natural-language understanding: language, intent and entities of one message."""
from core.nlu.base import NLU, NLUResult

__all__ = ["NLU", "NLUResult"]
