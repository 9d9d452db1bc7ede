"""The `sites` spider: reads sitemap and listing sources and follows article links on their own site."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar, Self

from scrapy.http import Request, Response, TextResponse
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap

from aoud_tracker.dates import parse_date
from aoud_tracker.spiders.base import TopicSpider
from aoud_tracker.urls import absolute, same_site, url_key

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from scrapy.crawler import Crawler

    from aoud_tracker.topic import Source

logger = logging.getLogger(__name__)
_NEXT_TEXTS = ("next", "older", "more", "다음", "›", "»")


def lastmod(entry: dict[str, Any]) -> datetime | None:
    """A sitemap entry's <lastmod>; a bare day counts as its last second (changed at some time that day)."""
    text = str(entry.get("lastmod") or "").strip()
    changed = parse_date(text)
    if changed is not None and len(text) <= len("2024-01-31"):
        changed += timedelta(days=1, seconds=-1)
    return changed


class SitesSpider(TopicSpider):
    """Follows allowed, same-site links from `sitemap` and `listing` sources."""

    name = "sites"
    source_kinds: ClassVar[tuple[str, ...]] = ("sitemap", "listing")
    max_listing_pages: int
    max_sitemap_depth: int
    max_size: int
    sitemaps_read: set[str]  # URL identities of the sitemaps read: an index listing itself is read once

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.max_listing_pages = crawler.settings.getint("AOUD_MAX_LISTING_PAGES", 3)
        spider.max_sitemap_depth = crawler.settings.getint("AOUD_MAX_SITEMAP_DEPTH", 2)
        spider.max_size = crawler.settings.getint("DOWNLOAD_MAXSIZE", 32 * 1024 * 1024)
        spider.sitemaps_read = set()
        return spider

    def parse_source(self, response: Response, source: Source, depth: int = 0) -> Iterator[Request]:
        if source.kind == "sitemap":
            yield from self.parse_sitemap(response, source, depth)
        else:
            yield from self.parse_listing(response, source, depth)

    def _links(self, links: Iterable[tuple[str, datetime | None]], source: Source) -> Iterator[Request]:
        """Requests for the (URL, listed change time) pairs that are articles of this source."""
        now = datetime.now(UTC)
        for url, changed_at in links:
            if not same_site(url, source.url):
                self.count("skipped/offsite")
            elif not source.allows(url):
                self.count("skipped/not_allowed")
            elif (
                request := self.article_request(url, source, self.plausible_hint(changed_at, url, now))
            ) is not None:
                yield request

    # ---- sitemaps --------------------------------------------------------------------------

    def parse_sitemap(self, response: Response, source: Source, depth: int) -> Iterator[Request]:
        self.sitemaps_read.add(url_key(response.url))
        body = response.body
        if body[:2] == b"\x1f\x8b":
            try:
                body = gunzip(body, max_size=self.max_size)
            except ValueError:  # Scrapy's "larger than the max size once unpacked": a gzip bomb
                unpacked = f"too large once unpacked (over {self.max_size} bytes)"
                self._unreadable(response, source, "too_large", unpacked)
                return
            except OSError:
                self._unreadable(response, source, "sitemap_unparsable", "not a readable gzip file")
                return
        try:
            sitemap = Sitemap(self.without_entities(response.replace(body=body)))
        except Exception:  # lxml's recovering parser still fails on empty or binary input
            self._unreadable(response, source, "sitemap_unparsable", "not a readable sitemap")
            return
        if depth == 0:
            self.source_read(response)
        entries = []
        for entry in sitemap:
            if url := absolute(response.url, entry.get("loc")):
                entries.append((url, entry))
            elif entry.get("loc"):
                self.count("skipped/unsafe_link")
                logger.warning("sitemap %s: %r is not http(s); not followed", response.url, entry["loc"])
        if sitemap.type == "sitemapindex":
            yield from self._children([child for child, _ in entries], response.url, source, depth)
            return
        yield from self._links(((url, lastmod(entry)) for url, entry in entries), source)

    def _children(self, children: list[str], index: str, source: Source, depth: int) -> Iterator[Request]:
        """Requests for the sitemaps an index lists: on its site, not read yet, not too deep."""
        for child in children:
            if not same_site(child, source.url):
                self.count("skipped/offsite")
            elif url_key(child) in self.sitemaps_read:
                self.count("skipped/sitemap_cycle")
                logger.info("sitemap %s: lists %s, already read; not read again", index, child)
            elif depth >= self.max_sitemap_depth:
                self.count("skipped/sitemap_depth")
                logger.info("sitemap %s: %s is deeper than AOUD_MAX_SITEMAP_DEPTH; not read", index, child)
            else:
                self.sitemaps_read.add(url_key(child))
                yield self.source_request(child, source, depth=depth + 1)

    def _unreadable(self, response: Response, source: Source, kind: str, reason: str) -> None:
        self.count("errors")
        self.count(f"errors/{kind}")
        request = response.request
        self.note_source(request.meta.get("aoud_source", source.url) if request else source.url, kind)
        logger.warning("sitemap %s: %s", response.url, reason)

    # ---- listing pages ---------------------------------------------------------------------

    def parse_listing(self, response: Response, source: Source, depth: int) -> Iterator[Request]:
        if not isinstance(response, TextResponse):
            self.count("errors")
            self.count("errors/listing_not_html")
            logger.warning("listing %s: not an HTML page", response.url)
            return
        if depth == 0:
            self.source_read(response)
        next_page = self._next_page(response)
        not_articles = {url_key(response.url), url_key(next_page) if next_page else ""}
        hrefs = (absolute(response.url, href) for href in response.css("a::attr(href)").getall())
        candidates = (u for u in dict.fromkeys(hrefs) if u and url_key(u) not in not_articles)
        yield from self._links(((url, None) for url in candidates), source)
        if next_page and depth + 1 < self.max_listing_pages and same_site(next_page, source.url):
            yield self.source_request(next_page, source, depth=depth + 1)

    @staticmethod
    def _next_page(response: TextResponse) -> str | None:
        href = response.css('link[rel="next"]::attr(href), a[rel~="next"]::attr(href)').get()
        if href is None:
            for anchor in response.css("a[href]"):
                label = " ".join(anchor.css("::text").getall()).strip().lower()
                if label and any(label.startswith(word) for word in _NEXT_TEXTS):
                    href = anchor.attrib["href"]
                    break
        return absolute(response.url, href)
