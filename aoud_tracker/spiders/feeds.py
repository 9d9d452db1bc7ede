"""The `feeds` spider: reads RSS and Atom sources and follows each entry to its article."""

from __future__ import annotations

import calendar
import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar
from xml.sax import SAXException

import feedparser
from scrapy.http import Request, Response, TextResponse
from w3lib.html import remove_tags, replace_entities

from aoud_tracker.inflight import request_done
from aoud_tracker.redirect_guard import ANYWHERE
from aoud_tracker.redirects import (
    batchexecute_request,
    google_news_id,
    google_news_page_url,
    parse_batchexecute,
    parse_google_news_page,
    unwrap,
)
from aoud_tracker.spiders.base import TopicSpider, describe_failure
from aoud_tracker.text import clean_text
from aoud_tracker.urls import absolute

if TYPE_CHECKING:
    import time
    from collections.abc import Iterator

    from twisted.python.failure import Failure

    from aoud_tracker.topic import Source

logger = logging.getLogger(__name__)


def _entry_time(parsed: time.struct_time | None) -> datetime | None:
    """feedparser's normalized UTC struct_time as an aware datetime."""
    return datetime.fromtimestamp(calendar.timegm(parsed), UTC) if parsed else None


def _updated(entry: Any) -> time.struct_time | None:
    """The entry's own `updated` time, without feedparser's deprecated fallback to `published`."""
    value: time.struct_time | None = dict.get(entry, "updated_parsed")
    return value


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
            self.without_entities(response),
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
        if isinstance(parsed.get("bozo_exception"), SAXException):
            self.count("feeds/partial")
            logger.warning(
                "source %s: truncated or malformed feed (%s); its %d complete entries are read",
                response.url, parsed["bozo_exception"], len(entries),
            )  # fmt: skip
        self.count("feed_entries", len(entries))
        guids: set[str] = set()
        for entry in entries:
            if (guid := str(entry.get("id") or "")) and guid in guids:
                self.count("skipped/duplicate_guid")
                logger.info("source %s: %s repeats guid %s; skipped", response.url, entry.get("link"), guid)
                continue
            guids.add(guid)
            raw_link = _entry_link(entry)
            link = absolute(response.url, raw_link)
            hints = {
                "title": clean_text(entry.get("title", "")),
                "published_at": _entry_time(entry.get("published_parsed") or entry.get("updated_parsed")),
                "author": clean_text(entry.get("author", "")),
                "summary": _plain(entry.get("summary", ""))[:1000],
                "changed_at": _entry_time(_updated(entry) or entry.get("published_parsed")),
            }
            if link is not None:
                yield from self.follow_entry(link, source, hints)
            elif raw_link:
                self.count("skipped/unsafe_link")
                logger.warning("source %s: %r is not http(s); not followed", response.url, raw_link)
            else:
                self.count("skipped/entry_link")

    def follow_entry(self, link: str, source: Source, hints: dict[str, Any]) -> Iterator[Request]:
        """Unwrap a redirect wrapper first, so identity and `allow` see the publisher's URL."""
        unwrapped = unwrap(link)
        if not unwrapped.url:
            self.count("skipped/unsafe_link")
            logger.warning("feed %s: entry link %r is not http(s); not followed", source.url, link)
            return
        if unwrapped.wrapper:
            state = "decoded" if unwrapped.resolved else "to_follow"
            self.count(f"redirects/{state}/{unwrapped.wrapper}")
        article_id = google_news_id(unwrapped.url) if not unwrapped.resolved else None
        if article_id is not None:
            yield Request(
                google_news_page_url(article_id), callback=self.parse_google_news_page,
                errback=self.redirect_failed, meta={"aoud_source": source.url, "aoud_wrapped": link},
                cb_kwargs={"article_id": article_id, "source": source, "hints": hints},
            )  # fmt: skip
            return
        if unwrapped.resolved and not source.allows(unwrapped.url):
            self.count("skipped/entry_link")
            return
        # Resolved: the publisher's URL. Unresolved (a shortener, FeedBurner): HTTP redirects lead there.
        if (request := self.article_request(unwrapped.url, source, **hints)) is not None:
            if unwrapped.wrapper and not unwrapped.resolved:
                request.meta[ANYWHERE] = True  # redirect_guard.py: its redirects may leave its domain
            yield request

    def parse_google_news_page(
        self, response: Response, article_id: str, source: Source, hints: dict[str, Any]
    ) -> Iterator[Request]:
        """Step 1 of an opaque Google News id: the page's signature, then the batchexecute POST."""
        signed = parse_google_news_page(response.text) if isinstance(response, TextResponse) else None
        if signed is None:
            self._unresolved(response.meta.get("aoud_wrapped", response.url), "no signature on Google's page")
            return
        url, headers, body = batchexecute_request(article_id, *signed)
        yield Request(
            url, method="POST", headers=headers, body=body, callback=self.parse_batchexecute,
            errback=self.redirect_failed, cb_kwargs={"source": source, "hints": hints},
            meta=dict(response.meta), dont_filter=True,
        )  # fmt: skip

    def parse_batchexecute(
        self, response: Response, source: Source, hints: dict[str, Any]
    ) -> Iterator[Request]:
        """Step 2: the publisher's URL from Google's answer."""
        target = parse_batchexecute(response.text) if isinstance(response, TextResponse) else None
        if target is None:
            self._unresolved(response.meta.get("aoud_wrapped", response.url), "Google did not return the URL")
            return
        self.count("redirects/resolved/google_news")
        if not source.allows(target):
            self.count("skipped/entry_link")
        elif (request := self.article_request(target, source, **hints)) is not None:
            yield request

    def redirect_failed(self, failure: Failure) -> None:
        request = getattr(failure, "request", None)
        if request is not None:
            request_done(self.crawler, request)
        wrapped = request.meta.get("aoud_wrapped", request.url) if request is not None else "?"
        self._unresolved(wrapped, describe_failure(failure)[1])

    def _unresolved(self, link: str, reason: str) -> None:
        self.count("redirects/unresolved")
        logger.warning("redirect %s: could not be resolved (%s)", link, reason)
