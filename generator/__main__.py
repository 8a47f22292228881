"""``python -m generator`` is the ``papers`` command."""

from generator.cli import main

raise SystemExit(main())
