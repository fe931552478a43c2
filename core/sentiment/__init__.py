"""Sentiment of a shopper's message."""
from core.sentiment.base import Sentiment, SentimentAnalyzer

__all__ = ["Sentiment", "SentimentAnalyzer"]
