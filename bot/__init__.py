"""Wiring: settings, the command line, start-up and shut-down."""
