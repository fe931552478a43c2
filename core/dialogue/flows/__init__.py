"""The shop's pre- and after-sales flows, one module each, driven by :mod:`core.dialogue.engine`."""
