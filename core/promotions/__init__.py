"""Personalised promotions: campaign definitions, segments, coupons, personalised messages, the
shopper-respect rules, triggered journeys, planning and reports. Platform-free; the scheduler
(:mod:`scheduler`) plans and delivers through the channel adapters."""
