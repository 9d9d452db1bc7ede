"""aoud-tracker: crawls news about a show's next season, merges copies into stories, tags them
and publishes feeds and a digest."""

from __future__ import annotations

__version__ = "0.1.0"
