"""Tagging in worker processes, so the crawl's reactor keeps downloading meanwhile.

Tagging an article (its tags and every claim in it) is the costliest step a crawled page goes
through after the download, and pure CPU: done in the crawl's own process it stops everything
else (Scrapy runs callbacks and pipelines on one thread). With AOUD_TAG_WORKERS above 0, the tag
pipeline hands the text to a pool of that many processes and gets a Deferred back; the reactor
goes on fetching and storing other pages meanwhile. 0 tags in the crawl's process, as before.

One pool serves every spider of a process (a `run` crawls with several): the pipelines of each
spider take it on opening and give it back on closing, and the last one shuts it down. Workers
start from a fork server, not from a fork of the crawling process and its threads.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING

from twisted.internet.defer import Deferred, succeed

from aoud_tracker.tagging import Tagger, Tagging

if TYPE_CHECKING:
    from datetime import datetime

    from twisted.python.failure import Failure

    from aoud_tracker.topic import Topic

logger = logging.getLogger(__name__)

_worker_tagger: Tagger | None = None  # each worker process's own, built once


def _start_worker(topic: Topic) -> None:
    global _worker_tagger
    _worker_tagger = Tagger(topic)


def _tag_in_worker(title: str, body: str, official: bool, as_of: datetime) -> Tagging:
    assert _worker_tagger is not None, "worker started without its topic"
    return _worker_tagger.tag(title, body, official_source=official, as_of=as_of)


class TagPool:
    """A topic's tagger in `workers` processes; `tag` gives a Deferred of the Tagging."""

    def __init__(self, topic: Topic, workers: int) -> None:
        self.topic, self.workers = topic, workers
        self.inline = Tagger(topic)  # for a pool that broke (a worker killed): this page is still tagged
        self.users = 0
        self.executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context("forkserver"),
            initializer=_start_worker,
            initargs=(self.topic,),
        )

    def tag(self, title: str, body: str, *, official: bool, as_of: datetime) -> Deferred[Tagging]:
        def rescued() -> Tagging:
            logger.warning("a tagging worker died; this article is tagged in the crawl's process")
            self._restart()
            return self.inline.tag(title, body, official_source=official, as_of=as_of)

        try:
            future = self.executor.submit(_tag_in_worker, title, body, official, as_of)
        except BrokenProcessPool:  # a worker died since the last article, and the pool knows it
            return succeed(rescued())
        # The crawl runs on Twisted's asyncio reactor: its loop is running here.
        result: Deferred[Tagging] = Deferred.fromFuture(asyncio.wrap_future(future))

        def rescue(failure: Failure) -> Tagging | Failure:
            return rescued() if isinstance(failure.value, BrokenProcessPool) else failure

        result.addErrback(rescue)
        return result

    def _restart(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.executor = self._start()

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


_pools: dict[tuple[str, int], TagPool] = {}


def acquire(topic: Topic, workers: int) -> TagPool:
    """The process's pool for this topic (started on first use)."""
    key = (topic.slug, workers)
    pool = _pools.get(key)
    if pool is None:
        pool = _pools[key] = TagPool(topic, workers)
    pool.users += 1
    return pool


def release(pool: TagPool) -> None:
    """Give the pool back; the last user shuts its workers down."""
    pool.users -= 1
    if pool.users <= 0:
        _pools.pop((pool.topic.slug, pool.workers), None)
        pool.close()
