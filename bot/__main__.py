"""``python -m bot`` is the same as the ``kefu`` command."""
from bot.cli import main

raise SystemExit(main())
