"""Kefu's shared async core: messages, NLU, dialogue state, sentiment, policy, actions, replies,
recommendations and the store. Nothing in here imports a chat-platform SDK."""
