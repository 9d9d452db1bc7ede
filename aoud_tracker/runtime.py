"""Where a crawl's topic and store come from: Scrapy settings resolved once per process."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from aoud_tracker.store import default_db_url
from aoud_tracker.topic import Topic, load_topic

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings


@lru_cache(maxsize=8)
def _topic(path: str) -> Topic:
    return load_topic(path or None)


def topic_from(settings: BaseSettings) -> Topic:
    """The topic named by AOUD_TOPIC (the bundled one when empty), loaded once."""
    return _topic(settings.get("AOUD_TOPIC") or "")


def db_url_from(settings: BaseSettings) -> str:
    """AOUD_DB_URL, or the SQLite file in AOUD_STORAGE_DIR."""
    return settings.get("AOUD_DB_URL") or default_db_url(Path(settings.get("AOUD_STORAGE_DIR") or "storage"))
