"""The `sites` spider: reads sitemap and listing sources and follows article links on their own site."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, ClassVar, Self

from scrapy.http import Request, Response, TextResponse
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap

from aoud_tracker.spiders.base import TopicSpider
from aoud_tracker.urls import absolute, same_site, url_key

if TYPE_CHECKING:
    from collections.abc import Iterator

    from scrapy.crawler import Crawler

    from aoud_tracker.topic import Source

logger = logging.getLogger(__name__)
_NEXT_TEXTS = ("next", "older", "more", "다음", "›", "»")


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

    def _follow_source(self, url: str, source: Source, depth: int) -> Request:
        return Request(
            url,
            callback=self.parse_source,
            errback=self.source_failed,
            cb_kwargs={"source": source, "depth": depth},
            meta={"aoud_source": source.url},
        )

    def _links(self, urls: Iterator[str], source: Source) -> Iterator[Request]:
        for url in urls:
            if not same_site(url, source.url):
                self.count("skipped/offsite")
            elif not source.allows(url):
                self.count("skipped/not_allowed")
            elif (request := self.article_request(url, source)) is not None:
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
        locations = [entry["loc"] for entry in sitemap if entry.get("loc")]
        if sitemap.type == "sitemapindex":
            for loc in locations:
                child = absolute(response.url, loc)
                if child and same_site(child, source.url) and depth < self.max_sitemap_depth:
                    yield self._follow_source(child, source, depth + 1)
            return
        yield from self._links((u for loc in locations if (u := absolute(response.url, loc))), source)

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
        yield from self._links(candidates, source)
        if next_page and depth + 1 < self.max_listing_pages and same_site(next_page, source.url):
            yield self._follow_source(next_page, source, depth + 1)

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
