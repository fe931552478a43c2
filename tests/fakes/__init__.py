"""Fake remote platforms (WeChat, Telegram, …) served on 127.0.0.1 for tests."""
