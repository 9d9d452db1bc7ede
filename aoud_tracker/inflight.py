"""What a worker of a distributed crawl has taken from the shared frontier and not finished.

Apart from distributed.py so that every crawl can load the middleware, the frontier watch's
entry in the extensions and the spiders' report of a finished request without importing Redis
and scrapy-redis (Scrapy imports every component listed; 37 ms after Scrapy itself): in a crawl
on one machine no frontier watch is registered and all three do nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, Protocol, Self
from weakref import WeakKeyDictionary

from scrapy import Request, signals
from scrapy.exceptions import NotConfigured

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterable

    from scrapy.crawler import Crawler
    from scrapy.http import Response

INFLIGHT: Final = "aoud_inflight"  # request meta: the fingerprints this request holds in-flight
ITEMS_PENDING: Final = "aoud_items_pending"  # request meta: its items still in the pipelines
OUTPUT_CONSUMED: Final = "aoud_output_consumed"  # request meta: its callback's output was all taken
REQUESTS_PENDING: Final = "aoud_requests_pending"  # request meta: the requests it yielded not yet queued


class Watch(Protocol):
    """distributed.FrontierWatch, as the spiders and the middleware see it."""

    def done(self, request: Request) -> None: ...


watches: dict[str, Watch] = {}  # by spider name: the frontier watch of each spider of a distributed crawl
# A yielded request's parent (the request whose callback yielded it) and crawler, until the shared
# scheduler has queued it (`request_queued`). Weak: a request dropped before the scheduler is
# forgotten with it. Not in the request's meta, which goes to Redis with it.
_parents: WeakKeyDictionary[Request, tuple[Request, Crawler]] = WeakKeyDictionary()


def request_done(crawler: Crawler, request: Request) -> None:
    """Tell the frontier watch (if this is a distributed crawl) that `request` is finished."""
    spider = crawler.spider
    if spider is not None and (watch := watches.get(spider.name)) is not None:
        watch.done(request)


def request_queued(request: Request) -> None:
    """The shared scheduler has queued `request` in Redis (or found it queued before): if a
    callback yielded it, that callback's request may now be done."""
    found = _parents.pop(request, None)
    if found is None:
        return
    parent, crawler = found
    parent.meta[REQUESTS_PENDING] = parent.meta.get(REQUESTS_PENDING, 1) - 1
    _finish_if_done(crawler, parent)


def _finish_if_done(crawler: Crawler, request: Request) -> None:
    meta = request.meta
    if meta.get(OUTPUT_CONSUMED) and meta.get(ITEMS_PENDING, 0) <= 0 and meta.get(REQUESTS_PENDING, 0) <= 0:
        request_done(crawler, request)


class FrontierWatchWhenShared:
    """The extension entry of distributed.FrontierWatch: the watch itself (Redis, scrapy-redis)
    is imported only for a distributed crawl (AOUD_REDIS_URL)."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Watch:
        if not crawler.settings.get("AOUD_REDIS_URL"):
            raise NotConfigured
        from aoud_tracker.distributed import FrontierWatch  # here: the point of this class

        return FrontierWatch.from_crawler(crawler)


class InflightDone:
    """Spider middleware: a request is done once its callback's output has been consumed, every
    request it yielded was queued in the shared frontier and every item it yielded went through
    the pipelines (stored or dropped), or once its callback raised.

    "Consumed" alone is not enough: Scrapy takes a callback's output into a queue of up to 200
    and schedules it from there, so a worker killed between the two had its source done (never put
    back) and its last links queued nowhere. That is the likely cause of the killed-worker test's
    failures (about one run in 13: the last two links of a sitemap finished just before the kill
    were never taken by any worker)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.get("AOUD_REDIS_URL"):
            raise NotConfigured
        middleware = cls(crawler)
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(middleware.item_finished, signal=signal)
        return middleware

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterable[Any]:
        for output in result:
            self._yielding(response, output)
            yield output
        self._consumed(response)

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        async for output in result:
            self._yielding(response, output)
            yield output
        self._consumed(response)

    def process_spider_exception(self, response: Response, exception: Exception) -> None:
        if response.request is not None:
            request_done(self.crawler, response.request)

    def item_finished(self, item: Any, response: Response | None = None, **_: Any) -> None:
        if response is not None and response.request is not None and ITEMS_PENDING in response.request.meta:
            response.request.meta[ITEMS_PENDING] -= 1
            _finish_if_done(self.crawler, response.request)

    def _yielding(self, response: Response, output: Any) -> None:
        if response.request is None:
            return
        meta = response.request.meta
        if isinstance(output, Request):  # counted before Scrapy schedules it
            meta[REQUESTS_PENDING] = meta.get(REQUESTS_PENDING, 0) + 1
            _parents[output] = (response.request, self.crawler)
        else:
            meta[ITEMS_PENDING] = meta.get(ITEMS_PENDING, 0) + 1  # counted before the pipelines see it

    def _consumed(self, response: Response) -> None:
        if response.request is not None:
            response.request.meta[OUTPUT_CONSUMED] = True
            _finish_if_done(self.crawler, response.request)
