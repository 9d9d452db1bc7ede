"""The `aoud-tracker` command's entry point, which loads the command-line interface only when called.

Work processes (workpool.py) are spawned, and a spawned process imports the script that started
its parent before it runs its task. The installed script imports this module, not the CLI, so
a worker loads what it works with (extraction and tagging, about 50 MB), not the whole program
with Scrapy, SQLAlchemy and the CLI (about 170 MB).
"""

from __future__ import annotations


def main() -> None:
    """Run the command-line interface (aoud_tracker.cli)."""
    from aoud_tracker.cli import main as command_line  # here: the point of this module

    command_line()
