"""Natural-language understanding: language, intent and entities of one message."""
from core.nlu.base import NLU, NLUResult, Reading

__all__ = ["NLU", "NLUResult", "Reading"]
