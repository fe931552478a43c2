"""Actions: what the assistant does for an intent. One action per module."""
