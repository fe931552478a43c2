"""Reply generation: turning an action's facts into what the shopper reads."""
