"""`python -m aoud_tracker` runs the command-line interface."""

from __future__ import annotations

from aoud_tracker.cli import main

main()
