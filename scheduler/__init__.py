"""Scheduled jobs (personalised promotions, coupons, triggers, pacing) run by APScheduler
inside the bot process. The jobs arrive with the promotions work; the package exists so the
layout of the project is fixed from the start."""
