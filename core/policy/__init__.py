"""Policy: which actions a turn calls for."""
