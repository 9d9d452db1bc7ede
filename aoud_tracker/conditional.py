"""Conditional requests: a page fetched before is asked for again with If-None-Match and
If-Modified-Since, so an unchanged page answers 304 and costs a few hundred bytes.

Two kinds of requests are marked by the spiders (request meta `aoud_conditional`):
- "article": a 304 is counted under `aoud/not_modified/article` and the spider stops there: no
  parsing, no store write. The validators of a 200 (`http_validators`) are written with the
  article, in the store pipeline's transaction, or here once the item was dropped: a crawl
  killed between the answer and the store write must not leave a validator that makes the next
  crawl skip a page that was never stored.
- "source" (feeds, sitemaps, listing pages): the document is kept with its validators
  (`source_copies`), and a 304 is answered from that copy, so the spider still reads the entries
  and considers each article: an unchanged feed says nothing about whether its articles were
  edited.

A Scrapy downloader middleware. AOUD_CONDITIONAL_REQUESTS = False turns it off (a full re-read
after changing the topic's rules).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Final, Self

from scrapy import signals
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes
from sqlalchemy import Select, bindparam, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import sessionmaker

from aoud_tracker import prepared, store
from aoud_tracker.models import HttpValidator, SourceCopy, utcnow
from aoud_tracker.runtime import db_url_from, topic_from
from aoud_tracker.store import keep_validators
from aoud_tracker.upsert import upsert

logger = logging.getLogger(__name__)

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response

MARK: Final = "aoud_conditional"  # request meta: the kind of page ("source" or "article")
VALIDATORS: Final = "aoud_validators"  # request meta: (etag, last_modified) of a 200, to keep later
NOT_MODIFIED: Final = 304
FROM_COPY: Final = "stored copy"  # the flag of a source response rebuilt from source_copies


def _validators_of(table: type[HttpValidator] | type[SourceCopy]) -> Select[str, str]:
    """A page's stored validators, by topic and URL: built once, not for every request."""
    return select(table.etag, table.last_modified).where(
        table.topic == bindparam("topic"), table.url == bindparam("url")
    )


_PAGE_LOOKUP: Final = _validators_of(HttpValidator)
_SOURCE_LOOKUP: Final = _validators_of(SourceCopy)


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
        crawler.signals.connect(middleware.item_dropped, signal=signals.item_dropped)
        return middleware

    def spider_opened(self, spider: Spider) -> None:
        self.engine = store.make_engine(self.db_url)
        self.sessions = sessionmaker(self.engine)

    def spider_closed(self, spider: Spider) -> None:
        self.engine.dispose()

    # ---- requests out ----------------------------------------------------------------------

    def process_request(self, request: Request) -> None:
        kind = request.meta.get(MARK)
        if not self.enabled or not kind:
            return
        request.meta["handle_httpstatus_list"] = [
            *request.meta.get("handle_httpstatus_list", []),
            NOT_MODIFIED,
        ]
        lookup = _SOURCE_LOOKUP if kind == "source" else _PAGE_LOOKUP
        try:
            # on the driver's cursor (prepared.py): this runs per request, in the crawl's one
            # thread; 19 µs of CPU a request against 60 through Core (2,000 lookups, best of 3)
            with self.engine.connect() as connection:
                known = prepared.run(connection, lookup, {"topic": self.topic, "url": request.url}).fetchone()
        except DBAPIError as error:  # the store is away: ask without validators, the page is fetched
            self._count("aoud/store/lookup_failed")
            reason = store.error_reason(error)
            logger.warning("%s: validators not read (%s); asked for unconditionally", request.url, reason)
            known = None
        etag, modified = known if known is not None else ("", "")
        if etag:
            request.headers.setdefault(b"If-None-Match", etag.encode("latin-1"))
        if modified:
            request.headers.setdefault(b"If-Modified-Since", modified.encode("latin-1"))

    # ---- answers in ------------------------------------------------------------------------

    def process_response(self, request: Request, response: Response) -> Response:
        kind = request.meta.get(MARK)
        if not self.enabled or not kind:
            return response
        if response.status == NOT_MODIFIED:
            self._count(f"aoud/not_modified/{kind}")
            return self._from_copy(request, response) if kind == "source" else response
        validators = (_header(response, b"ETag"), _header(response, b"Last-Modified"))
        if response.status != 200 or not any(validators):
            return response
        if kind == "source":
            self._keep_copy(request.url, response, *validators)
        else:
            request.meta[VALIDATORS] = validators  # kept with the page's article, or once it is dropped
        return response

    def item_dropped(self, item: Any, response: Response | None, spider: Spider, **_: Any) -> None:
        """The page was judged and dropped: a later 304 for it saves judging it again."""
        validators = getattr(item, "validators", None)
        if not validators:
            return
        try:
            with self.sessions.begin() as session:
                keep_validators(session, self.topic, validators)
        except DBAPIError as error:  # not kept: the next run judges the page again, nothing lost
            logger.warning("%s: validators not kept (%s)", validators[0], store.error_reason(error))

    def _keep_copy(self, url: str, response: Response, etag: str, modified: str) -> None:
        copy = {"topic": self.topic, "url": url, "etag": etag, "last_modified": modified,
                "content_type": _header(response, b"Content-Type")[:200], "body": response.body,
                "seen_at": utcnow()}  # fmt: skip
        with self.sessions.begin() as session:
            upsert(session, SourceCopy, copy, ("topic", "url"))

    def _from_copy(self, request: Request, response: Response) -> Response:
        """The source as last read, standing in for its 304 (or the 304 itself if no copy is kept)."""
        with self.sessions() as session:
            copy = session.get(SourceCopy, (self.topic, request.url))
            if copy is None:
                return response
            headers = Headers({"Content-Type": copy.content_type} if copy.content_type else {})
            body = copy.body
        response_class = responsetypes.from_args(headers=headers, url=request.url, body=body)
        return response_class(
            url=request.url, status=200, headers=headers, body=body, request=request, flags=[FROM_COPY]
        )

    def _count(self, key: str) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(key)


def validators_of(response: Response) -> tuple[str, str, str] | None:
    """(URL asked for, ETag, Last-Modified) of an answer the middleware saw with validators."""
    found = response.meta.get(VALIDATORS) if response.request is not None else None
    return (response.request.url, *found) if found and response.request is not None else None


def _header(response: Response, name: bytes) -> str:
    value: Any = response.headers.get(name)
    return value.decode("latin-1")[:512] if value else ""
