"""Conditional requests: an article page already fetched is asked for again with If-None-Match
and If-Modified-Since, so an unchanged page answers 304 and costs no parsing and no store write.

Sources (feeds, sitemaps, listings) are always read in full: they are small, and an edited
article does not always change its feed, so the articles a source lists are each asked for,
conditionally.

A Scrapy downloader middleware. Requests marked `aoud_conditional` (the spiders mark article
requests) get the validators the URL last answered with; a 200 carrying an
ETag or Last-Modified stores them (table `http_validators`, per topic), a 304 is counted under
`aoud/not_modified/<kind>` and handed to the spider, which stops there. AOUD_CONDITIONAL_REQUESTS
= False turns it off (a full re-read after changing the topic's rules).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, Self

from scrapy import signals
from sqlalchemy.orm import sessionmaker

from aoud_tracker import store
from aoud_tracker.models import HttpValidator, utcnow
from aoud_tracker.runtime import db_url_from, topic_from

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response

MARK: Final = "aoud_conditional"  # request meta: the kind of page ("source" or "article")
NOT_MODIFIED: Final = 304


class ConditionalRequests:
    """Adds validators to marked requests and remembers the ones answers carry."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.enabled = crawler.settings.getbool("AOUD_CONDITIONAL_REQUESTS", True)
        self.topic = topic_from(crawler.settings).slug
        self.db_url = db_url_from(crawler.settings)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        middleware = cls(crawler)
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def spider_opened(self, spider: Spider) -> None:
        self.engine = store.make_engine(self.db_url)
        self.sessions = sessionmaker(self.engine)

    def spider_closed(self, spider: Spider) -> None:
        self.engine.dispose()

    def process_request(self, request: Request) -> None:
        if not self.enabled or not request.meta.get(MARK):
            return
        request.meta["handle_httpstatus_list"] = [
            *request.meta.get("handle_httpstatus_list", []),
            NOT_MODIFIED,
        ]
        with self.sessions() as session:
            known = session.get(HttpValidator, (self.topic, request.url))
        if known is None:
            return
        if known.etag:
            request.headers.setdefault(b"If-None-Match", known.etag.encode("latin-1"))
        if known.last_modified:
            request.headers.setdefault(b"If-Modified-Since", known.last_modified.encode("latin-1"))

    def process_response(self, request: Request, response: Response) -> Response:
        kind = request.meta.get(MARK)
        if not self.enabled or not kind:
            return response
        if response.status == NOT_MODIFIED:
            self._count(f"aoud/not_modified/{kind}")
            return response
        etag = _header(response, b"ETag")
        modified = _header(response, b"Last-Modified")
        if response.status == 200 and (etag or modified):
            with self.sessions.begin() as session:
                row = session.get(HttpValidator, (self.topic, request.url))
                if row is None:
                    row = HttpValidator(topic=self.topic, url=request.url)
                    session.add(row)
                row.etag, row.last_modified, row.seen_at = etag, modified, utcnow()
        return response

    def _count(self, key: str) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(key)


def _header(response: Response, name: bytes) -> str:
    value: Any = response.headers.get(name)
    return value.decode("latin-1")[:512] if value else ""
