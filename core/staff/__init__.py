"""Human handoff: who owns a conversation (bot, waiting, human), staff notifications, the summary
staff read first, and the waiting-time watch. Platform-free: Slack and the local inbox plug in."""
from core.staff.hub import HandoffCard, HandoffError, HandoffHub, StaffSink
from core.staff.llm_summary import LLMSummarizer
from core.staff.summary import ExtractiveSummarizer, Summarizer
from core.staff.waiting import WaitingWatch, WorkingHours

__all__ = ["ExtractiveSummarizer", "HandoffCard", "HandoffError", "HandoffHub", "LLMSummarizer",
           "StaffSink", "Summarizer", "WaitingWatch", "WorkingHours"]
