"""Dialogue state: what the conversation is in the middle of, saved after every turn."""
