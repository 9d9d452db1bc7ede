"""Distributed crawling on scrapy-redis: any number of workers share one frontier and one seen-set.

This module is the one place that knows scrapy-redis. We use its Scheduler, request queue and
dupefilter, not its RedisSpider: scrapy-redis 0.9.1 starts a RedisSpider through
`start_requests()` and the idle signal, paths current Scrapy no longer calls or has deprecated.
Our spiders stay as they are; in distributed mode their `start()` yields nothing, and the
frontier is filled by `aoud-tracker seed` (the topic's sources). `tests/test_distributed.py`
checks the scrapy-redis calls this module makes, so a release that changes them fails there.

Keys, all under `aoud:<topic>:`: `<spider>:requests` (each spider's queue, a sorted set),
`seen` (the fingerprints of every request queued, shared by the spiders: an article a feed and
a sitemap both list is fetched once), `worker:<spider>:<id>` (each worker's state, expiring),
`inflight:<spider>:<id>` (the requests a worker took and has not finished).

A worker stops when the frontier is empty and no live worker is busy: a worker still parsing a
source may yet queue its articles, so an idle worker waits for it (FrontierWatch). A request
stays in its worker's in-flight set until its response has been parsed and its item stored (or
its failure handled); when a worker's state key expires (it was killed), a live worker puts its
in-flight requests back in the queue, so the others finish its share.
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
import uuid
from typing import TYPE_CHECKING, Any, Final, Self

import redis
from scrapy import Request, signals
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.utils.request import request_from_dict
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task
from w3lib.url import canonicalize_url

from aoud_tracker import inflight
from aoud_tracker.conditional import MARK
from aoud_tracker.runtime import topic_from
from aoud_tracker.urls import url_key

if TYPE_CHECKING:
    from collections.abc import Iterable

    from scrapy import Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS: Final = 1.0
WORKER_TTL_SECONDS: Final = 15  # a worker not heard from for this long is gone
CONNECT_TIMEOUT_SECONDS: Final = 3.0


class RedisUnavailable(RuntimeError):
    """The Redis URL cannot be used; the message names it and the problem."""


def prefix(topic_slug: str) -> str:
    return f"aoud:{topic_slug}:"


def connect(url: str) -> redis.Redis:
    """A client for `url`, checked with a PING, or RedisUnavailable naming the URL."""
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=CONNECT_TIMEOUT_SECONDS)
        client.ping()
    except ValueError as exc:
        raise RedisUnavailable(f"--redis {url}: not a Redis URL ({exc})") from None
    except redis.RedisError as exc:
        raise RedisUnavailable(f"--redis {url}: Redis does not answer ({exc})") from None
    return client


def crawl_settings(url: str, topic_slug: str) -> dict[str, Any]:
    """The Scrapy settings that put the spiders on the shared frontier."""
    keys = prefix(topic_slug)
    return {
        "AOUD_REDIS_URL": url,
        "REDIS_URL": url,
        "SCHEDULER": "aoud_tracker.distributed.SharedScheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",  # only its key is used: see _ENQUEUE
        "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",
        "SCHEDULER_QUEUE_KEY": keys + "%(spider)s:requests",
        "SCHEDULER_DUPEFILTER_KEY": keys + "seen",
        "SCHEDULER_PERSIST": True,  # one worker finishing must not clear the others' frontier
        "SCHEDULER_IDLE_BEFORE_CLOSE": 0,
    }


def request_fingerprint(request: Request) -> str:
    """An article's URL identity (tracking links, AMP, mobile hosts are one page); else the
    request's method, canonical URL and body."""
    if request.meta.get(MARK) == "article":
        return "article:" + url_key(request.url)
    seen_as = f"{request.method} {canonicalize_url(request.url)} {(request.body or b'').hex()}"
    return hashlib.sha1(seen_as.encode(), usedforsecurity=False).hexdigest()


# Both run inside Redis, so a worker killed at any instant leaves every request either queued,
# in a worker's in-flight set, or done: never marked seen but queued nowhere, never taken but
# recorded nowhere. _ENQUEUE is the seen-set's only test (keyed by request_fingerprint), so
# scrapy-redis's dupefilter is used for its key alone.
_ENQUEUE: Final = """
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
return 1
"""
_TAKE: Final = """
local taken = redis.call('ZRANGE', KEYS[1], 0, 0)
if #taken == 0 then return false end
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, 0)
redis.call('HSET', KEYS[2], redis.sha1hex(taken[1]), taken[1])
return taken[1]
"""


# A gone worker's in-flight requests back in its queue, in one step: a lock taken for the move
# (as before) made a worker whose heartbeat was once late look recovered for the lock's 30 s, so
# when it really died meanwhile, its requests were not put back and the others could stop.
_PUT_BACK: Final = """
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
local requests = redis.call('HVALS', KEYS[1])
for _, encoded in ipairs(requests) do redis.call('ZADD', KEYS[3], 0, encoded) end
redis.call('DEL', KEYS[1])
return #requests
"""


class SharedScheduler(Scheduler):
    """scrapy-redis's scheduler and queue, with its entry points restated: scrapy-redis 0.9.1
    calls APIs current Scrapy deprecates there (`spider.log`, stats with a spider argument), and
    queueing (seen-set + queue) and taking (queue + in-flight set) must each be one atomic step."""

    df: Any  # the seen-set, set by scrapy-redis's from_settings or here

    def open(self, spider: Spider) -> None:
        self.spider = spider
        self.queue = queue_for(self.server, spider, self.queue_key)
        if not self.df:
            self.df = RFPDupeFilter.from_spider(spider)
        self.enqueue = Enqueue(self.server, self.df.key, self.queue)
        self.take_script = self.server.register_script(_TAKE)
        if queued := len(self.queue):
            logger.info("%s: %d requests waiting in the shared frontier", spider.name, queued)

    def enqueue_request(self, request: Request) -> bool:
        queued = self.enqueue(request)
        inflight.request_queued(request)  # in Redis either way: the callback that yielded it may be done
        if not queued:
            return False  # queued before, by this worker or another
        self._count("scheduler/enqueued/redis")
        return True

    def next_request(self) -> Request | None:
        watch = inflight.watches.get(self.spider.name)
        if not isinstance(watch, FrontierWatch):
            request: Request | None = self.queue.pop()
            return request
        encoded = self.take_script(keys=[self.queue.key, watch.inflight_key()])
        if not encoded:
            return None
        self._count("scheduler/dequeued/redis")
        taken = request_from_dict(self.queue.serializer.loads(encoded), spider=self.spider)
        watch.taken(taken, hashlib.sha1(encoded, usedforsecurity=False).hexdigest())
        return taken

    def _count(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(key)


def queue_for(client: redis.Redis, spider: Spider, key: str) -> PriorityQueue:
    """The spider's request queue in the shared frontier (`key` may hold `%(spider)s`)."""
    return PriorityQueue(client, spider, key)


class Enqueue:
    """Queues a request unless it was seen, both in one atomic step (_ENQUEUE)."""

    def __init__(self, client: redis.Redis, seen_key: str, queue: PriorityQueue) -> None:
        self.client, self.seen_key, self.queue = client, seen_key, queue
        self.script = client.register_script(_ENQUEUE)

    def __call__(self, request: Request) -> bool:
        """True when the request went into the queue (a `dont_filter` one always does)."""
        encoded = self.queue.serializer.dumps(request.to_dict(spider=self.queue.spider))
        if request.dont_filter:
            self.client.zadd(self.queue.key, {encoded: -request.priority})
            return True
        arguments = [request_fingerprint(request), -request.priority, encoded]
        return bool(self.script(keys=[self.seen_key, self.queue.key], args=arguments))


def seed(client: redis.Redis, topic_slug: str, spiders: Iterable[tuple[Spider, list[Request]]]) -> int:
    """Start a crawl round: forget the previous round's frontier and seen-set, queue the sources."""
    keys = prefix(topic_slug)
    stale = [key for key in client.scan_iter(match=keys + "*") if b":worker:" not in key]
    if stale:
        client.delete(*stale)
    queued = 0
    for spider, requests in spiders:
        enqueue = Enqueue(client, keys + "seen", queue_for(client, spider, keys + "%(spider)s:requests"))
        queued += sum(enqueue(request) for request in requests)
    return queued


def wake(crawler: Crawler) -> None:
    """Have an idle worker's engine ask the scheduler for work now, not at its next 5 s heartbeat.

    Scrapy has no public call for this; the engine's slot has one (`_slot.nextcall`), checked by
    tests/test_distributed.py so that a Scrapy release that renames it fails there, loudly.
    """
    slot = getattr(crawler.engine, "_slot", None)
    if slot is not None:
        slot.nextcall.schedule()


class FrontierWatch:
    """Keeps a worker alive while the shared crawl may still have work for it.

    Each worker writes its state ("busy" or "idle") under an expiring key every HEARTBEAT_SECONDS.
    On the idle signal (nothing downloading or parsing here) it marks itself idle; it closes only
    when every spider's queue is empty and no live worker is busy.
    """

    def __init__(self, crawler: Crawler, url: str) -> None:
        self.crawler = crawler
        self.client = connect(url)
        self.put_back = self.client.register_script(_PUT_BACK)
        self.worker = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.state = "busy"
        self.ttl = crawler.settings.getint("AOUD_WORKER_TTL", WORKER_TTL_SECONDS)
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        url = crawler.settings.get("AOUD_REDIS_URL")
        if not url:
            raise NotConfigured
        watch = cls(crawler, url)
        crawler.signals.connect(watch.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(watch.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(watch.spider_closed, signal=signals.spider_closed)
        return watch

    def spider_opened(self, spider: Spider) -> None:
        self.spider, self.keys = spider, prefix(topic_from(self.crawler.settings).slug)
        inflight.watches[spider.name] = self
        self.beat()
        self.loop = task.LoopingCall(self.beat)
        self.loop.start(HEARTBEAT_SECONDS, now=False)

    def spider_closed(self, spider: Spider) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self.client.delete(self._key(), self.inflight_key())
        inflight.watches.pop(spider.name, None)

    # ---- this worker's requests ----------------------------------------------------------------

    def taken(self, request: Request, field: str) -> None:
        """A request moved from the shared queue to this worker's in-flight set (under `field`)."""
        held = request.meta.get(inflight.INFLIGHT, [])
        request.meta[inflight.INFLIGHT] = [*held, field]  # retries, redirects add theirs
        if self.state != "busy":
            self.state = "busy"
            self.beat()

    def done(self, request: Request) -> None:
        """The request's response was parsed and its item stored, or its failure handled."""
        if fields := request.meta.pop(inflight.INFLIGHT, None):
            self.client.hdel(self.inflight_key(), *fields)

    # ---- the crawl's state -----------------------------------------------------------------------

    def beat(self) -> None:
        self.client.set(self._key(), self.state, ex=self.ttl)
        if self.state == "idle" and (self._recover() or self._queued()):
            wake(self.crawler)

    def spider_idle(self, spider: Spider) -> None:
        self.state = "idle"
        self.beat()
        if self._recover() or self._queued() or self._others_busy():
            raise DontCloseSpider  # the engine asks again on its next heartbeat

    def _recover(self) -> int:
        """Put the in-flight requests of workers that are gone back in their queues."""
        recovered = 0
        for key in self.client.scan_iter(match=self.keys + "inflight:*"):
            name = key.decode()
            owner = name.replace(":inflight:", ":worker:", 1)
            spider_name = name[len(self.keys + "inflight:") :].split(":", 1)[0]
            queue = f"{self.keys}{spider_name}:requests"
            put_back = int(self.put_back(keys=[name, owner, queue]))
            if put_back:
                logger.warning("worker %s is gone: %d of its requests put back in the queue", owner, put_back)
            recovered += put_back
        return recovered

    def _key(self) -> str:
        return f"{self.keys}worker:{self.spider.name}:{self.worker}"

    def inflight_key(self) -> str:
        return f"{self.keys}inflight:{self.spider.name}:{self.worker}"

    def _queued(self) -> int:
        queues = self.client.scan_iter(match=self.keys + "*:requests")
        return sum(int(self.client.zcard(key)) for key in queues)

    def _others_busy(self) -> bool:
        for key in self.client.scan_iter(match=self.keys + "worker:*"):
            if key.decode() != self._key() and self.client.get(key) == b"busy":
                return True
        return False
