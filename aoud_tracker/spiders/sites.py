"""The `sites` spider: reads sitemap and listing sources and follows article links on their own site."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
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

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.max_listing_pages = crawler.settings.getint("AOUD_MAX_LISTING_PAGES", 3)
        spider.max_sitemap_depth = crawler.settings.getint("AOUD_MAX_SITEMAP_DEPTH", 2)
        spider.max_size = crawler.settings.getint("DOWNLOAD_MAXSIZE", 32 * 1024 * 1024)
        return spider

    def parse_source(self, response: Response, source: Source, depth: int = 0) -> Iterator[Request]:
        if depth == 0:
            self.source_read(response)
        if source.kind == "sitemap":
            yield from self.parse_sitemap(response, source, depth)
        else:
            yield from self.parse_listing(response, source, depth)

    def _links(self, links: Iterable[tuple[str, datetime | None]], source: Source) -> Iterator[Request]:
        """Requests for the (URL, listed change time) pairs that are articles of this source."""
        for url, changed_at in links:
            if not same_site(url, source.url):
                self.count("skipped/offsite")
            elif not source.allows(url):
                self.count("skipped/not_allowed")
            elif (request := self.article_request(url, source, changed_at)) is not None:
                yield request

    # ---- sitemaps --------------------------------------------------------------------------

    def parse_sitemap(self, response: Response, source: Source, depth: int) -> Iterator[Request]:
        body = response.body
        if body[:2] == b"\x1f\x8b":
            try:
                body = gunzip(body, max_size=self.max_size)
            except OSError:
                self.count("errors")
                self.count("errors/sitemap_unparsable")
                logger.warning("sitemap %s: not a readable gzip file", response.url)
                return
        try:
            sitemap = Sitemap(body)
        except Exception:  # lxml's recovering parser still fails on empty or binary input
            self.count("errors")
            self.count("errors/sitemap_unparsable")
            logger.warning("sitemap %s: not a readable sitemap", response.url)
            return
        entries = [(url, entry) for entry in sitemap if (url := absolute(response.url, entry.get("loc")))]
        if sitemap.type == "sitemapindex":
            for child, _ in entries:
                if same_site(child, source.url) and depth < self.max_sitemap_depth:
                    yield self.source_request(child, source, depth=depth + 1)
            return
        yield from self._links(((url, lastmod(entry)) for url, entry in entries), source)

    # ---- listing pages ---------------------------------------------------------------------

    def parse_listing(self, response: Response, source: Source, depth: int) -> Iterator[Request]:
        if not isinstance(response, TextResponse):
            self.count("errors")
            self.count("errors/listing_not_html")
            logger.warning("listing %s: not an HTML page", response.url)
            return
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
