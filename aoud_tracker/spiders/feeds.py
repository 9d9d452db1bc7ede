"""The `feeds` spider: reads RSS and Atom sources and follows each entry to its article."""

from __future__ import annotations

import calendar
import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar

import feedparser
from w3lib.html import remove_tags, replace_entities

from aoud_tracker.spiders.base import TopicSpider
from aoud_tracker.text import clean_text
from aoud_tracker.urls import absolute

if TYPE_CHECKING:
    import time
    from collections.abc import Iterator

    from scrapy.http import Request, Response

    from aoud_tracker.topic import Source

logger = logging.getLogger(__name__)


def _entry_time(parsed: time.struct_time | None) -> datetime | None:
    """feedparser's normalized UTC struct_time as an aware datetime."""
    return datetime.fromtimestamp(calendar.timegm(parsed), UTC) if parsed else None


def _entry_link(entry: Any) -> str | None:
    if entry.get("link"):
        return str(entry["link"])
    for link in entry.get("links", []):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return str(link["href"])
    return None


def _plain(fragment: str) -> str:
    """An entry summary as plain text (feeds carry HTML there, often with entities)."""
    return clean_text(replace_entities(remove_tags(fragment or "")))


class FeedsSpider(TopicSpider):
    """Follows every entry of the topic's `kind = "feed"` sources (RSS 0.9x/1.0/2.0, Atom)."""

    name = "feeds"
    source_kinds: ClassVar[tuple[str, ...]] = ("feed",)

    def parse_source(self, response: Response, source: Source) -> Iterator[Request]:
        parsed = feedparser.parse(
            response.body,
            response_headers={
                k.decode("latin-1").lower(): b",".join(v).decode("latin-1")
                for k, v in response.headers.items()
            },
        )
        entries = parsed.get("entries", [])
        if not entries and (parsed.get("bozo") or not parsed.get("version")):
            self.count("errors")
            self.count("errors/feed_unparsable")
            logger.warning("source %s: not a readable feed (%s)", response.url, parsed.get("bozo_exception"))
            return
        self.source_read(response)
        self.count("feed_entries", len(entries))
        for entry in entries:
            url = absolute(response.url, _entry_link(entry))
            if url is None or not source.allows(url):
                self.count("skipped/entry_link")
                continue
            request = self.article_request(
                url,
                source,
                title=clean_text(entry.get("title", "")),
                published_at=_entry_time(entry.get("published_parsed") or entry.get("updated_parsed")),
                author=clean_text(entry.get("author", "")),
                summary=_plain(entry.get("summary", ""))[:1000],
            )
            if request is not None:
                yield request
