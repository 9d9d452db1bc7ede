"""Extraction and tagging in worker processes, so the crawl's reactor keeps downloading meanwhile.

Extracting an article from its page and tagging it (its tags and every claim in it) are the
costliest steps a crawled page goes through, and pure CPU: done in the crawl's own process they
stop everything else (Scrapy runs callbacks and pipelines on one thread). With
AOUD_WORK_PROCESSES above 0, the article spider hands its page to a pool of that many processes
and awaits the page extracted and its text read as the pipelines would (cleaned, judged, tagged,
its dedupe identities: reading.py); the reactor goes on fetching and storing meanwhile. The tag
pipeline sends a text there itself only when the spider's reading no longer fits it. 0 does the
work in the crawl's process.

One pool serves every spider of a process (a `run` crawls with several): each spider and its tag
pipeline take it on opening and give it back on closing, and the last one shuts it down. Workers
are spawned (not forked from the crawling process and its threads) and end when the crawl that
started them is gone, however it ended. A worker that dies (the OOM killer, a crash in a C
library) is replaced, and the page it had is done in the crawl's process: nothing is lost.
"""

from __future__ import annotations

import asyncio
import fcntl
import importlib
import logging
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from functools import cached_property
from typing import TYPE_CHECKING, Any, Final, TypeVar

from twisted.internet.defer import Deferred, succeed

from aoud_tracker.collector import settle_collector
from aoud_tracker.reading import PageHints, Reading, TextWork, read_page, text_work
from aoud_tracker.relevance import RelevanceScorer

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from datetime import datetime

    from scrapy.settings import BaseSettings
    from twisted.python.failure import Failure

    from aoud_tracker.extracted import Extracted
    from aoud_tracker.tagging import Tagger
    from aoud_tracker.topic import Topic

logger = logging.getLogger(__name__)
Result = TypeVar("Result")
PARENT_CHECK_SECONDS: Final = 1.0
PIPE_BYTES: Final = 1 << 20  # Linux's default most for a process without privileges (pipe-max-size)
AUTO: Final = -1  # AOUD_WORK_PROCESSES: one work process when this process may use two CPUs or more


def configured_processes(settings: BaseSettings) -> int:
    """How many work processes AOUD_WORK_PROCESSES asks for, AUTO resolved for this machine.

    On one CPU a work process only adds its memory; on two, a 2,000-page crawl took 45.6-49.1 s
    with one against 60.0-63.6 s without (docs/SCALING.md).
    """
    return resolved_processes(settings.getint("AOUD_WORK_PROCESSES", AUTO))


def resolved_processes(wanted: int) -> int:
    """A number of work processes as asked for, AUTO resolved for this machine."""
    if wanted >= 0:
        return wanted
    return 1 if usable_cpus() > 1 else 0


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity, where the system tells it)."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else (os.cpu_count() or 1)


_worker_tagger: Tagger | None = None  # each worker process's own, built once
_worker_scorer: RelevanceScorer | None = None


def own_tagger(topic: Topic) -> Tagger:
    """A tagger built in this process. The tagging modules are imported here: their patterns take
    a fifth of a second to build, and a crawl's process with work processes never tags
    (tests/test_startup.py)."""
    from aoud_tracker.tagging import Tagger

    return Tagger(topic)


def _start_worker(topic: Topic, crawl: int) -> None:
    """A worker's start: its tagger, and a watch on `crawl` (the pid that started it, passed in:
    asked here, it would be init's if the crawl died while this worker was still importing)."""
    global _worker_tagger, _worker_scorer  # the worker's state lives as long as the worker
    _worker_tagger, _worker_scorer = own_tagger(topic), RelevanceScorer(topic)
    for machinery in ("aoud_tracker.extract", "aoud_tracker.neardup"):  # now, not at the first page
        importlib.import_module(machinery)
    settle_collector()
    threading.Thread(target=_exit_with, args=(crawl,), name="aoud-parent-watch", daemon=True).start()


def _exit_with(crawl: int) -> None:
    """End this worker when the crawl that started it is gone (killed by cron's timeout, the OOM
    killer, SIGKILL): a worker blocked on its queue would otherwise wait forever, orphaned."""
    while os.getppid() == crawl:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(0)


def _ready() -> None:
    """Nothing: a task that makes the executor start a worker."""


def _tag(title: str, body: str, official: bool, as_of: datetime) -> TextWork:
    assert _worker_tagger is not None, "worker started without its topic"
    return text_work(_worker_tagger, title, body, official, as_of)


def _read(
    page: bytes, url: str, content_type: str | None, now: datetime, hints: PageHints
) -> tuple[Extracted, Reading | None]:
    assert _worker_tagger is not None and _worker_scorer is not None, "worker started without its topic"
    return read_page(page, url, content_type, now, hints, _worker_scorer, _worker_tagger)


class WorkPool:
    """A topic's extraction and tagging in `workers` processes; each call gives a Deferred."""

    def __init__(self, topic: Topic, workers: int) -> None:
        self.topic, self.workers = topic, workers
        self.users = 0
        self.executor = self._start()

    @cached_property
    def tagger(self) -> Tagger:
        """This process's own tagger, built only if a worker dies with a page to tag."""
        return own_tagger(self.topic)

    @cached_property
    def scorer(self) -> RelevanceScorer:
        """This process's own relevance scorer, built only if a worker dies with a page to read."""
        return RelevanceScorer(self.topic)

    def _start(self) -> ProcessPoolExecutor:
        """The executor, its workers started now rather than at the first page: a worker takes
        0.4 s (quiet machine) to 1.1 s (busy) from spawn to ready (imports, its tagger), which then
        overlaps the crawl's own start (its spiders, robots.txt, feeds and sitemaps) instead of
        holding up the first article."""
        executor = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(self.topic, os.getpid()),
        )
        widen_pipes(executor)
        for _ in range(self.workers):  # the executor starts a worker per task waiting, up to max
            executor.submit(_ready)
        return executor

    def read(
        self, page: bytes, url: str, content_type: str | None, now: datetime, hints: PageHints
    ) -> Deferred[tuple[Extracted, Reading | None]]:
        """The page extracted and its text read as the pipelines would (reading.py)."""

        def here() -> tuple[Extracted, Reading | None]:
            return read_page(page, url, content_type, now, hints, self.scorer, self.tagger)

        return self._run(_read, (page, url, content_type, now, hints), here)

    def tag(self, title: str, body: str, *, official: bool, as_of: datetime) -> Deferred[TextWork]:
        def here() -> TextWork:
            return text_work(self.tagger, title, body, official, as_of)

        return self._run(_tag, (title, body, official, as_of), here)

    def _run(
        self, task: Callable[..., Result], args: tuple[Any, ...], here: Callable[[], Result]
    ) -> Deferred[Result]:
        """`task(*args)` in a worker; `here()` in this process when the pool is broken."""

        def rescued() -> Result:
            logger.warning("a worker process died; this page is done in the crawl's process")
            self._restart()
            return here()

        try:
            future = self.executor.submit(task, *args)
        except BrokenProcessPool:  # a worker died since the last page, and the pool knows it
            return succeed(rescued())
        # The crawl runs on Twisted's asyncio reactor: its loop is running here.
        result: Deferred[Result] = Deferred.fromFuture(asyncio.wrap_future(future))

        def rescue(failure: Failure) -> Result | Failure:
            return rescued() if isinstance(failure.value, BrokenProcessPool) else failure

        result.addErrback(rescue)
        return result

    def _restart(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.executor = self._start()

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


def widen_pipes(executor: ProcessPoolExecutor) -> None:
    """Let the pipes to and from the workers hold PIPE_BYTES (Linux; elsewhere nothing).

    A pipe holds 64 KiB by default, and a page is about 110 KB (the corpus's median): the
    executor's feeder thread wrote each page in two or three rounds, each waiting for the worker
    to read and then for the crawl's process's GIL again. With room for pages, a 2,000-page crawl
    took 12.5-12.9 s against 13.3-13.8 s (4 alternated rounds on benchmarks/crawl.py's site and
    settings, the crawl alone).
    The pipes are the executor's own (`_call_queue`, `_result_queue`: CPython's since 3.8):
    tests/test_workpool.py checks they are still there, so a release that renames them fails there.
    """
    set_size = getattr(fcntl, "F_SETPIPE_SZ", None)  # Linux only
    if set_size is None:
        return
    pipes: list[Any] = [executor._call_queue, executor._result_queue]  # type: ignore[attr-defined]
    for queue in pipes:
        try:  # one end is enough: both are the same pipe
            fcntl.fcntl(queue._writer.fileno(), set_size, PIPE_BYTES)
        except OSError as error:  # above the system's pipe-max-size, or its per-user budget spent
            logger.debug("a pipe to the work processes keeps its size (%s)", error)


_pools: dict[tuple[str, int], WorkPool] = {}


def acquire(topic: Topic, workers: int) -> WorkPool:
    """The process's pool for this topic (started on first use)."""
    key = (topic.slug, workers)
    pool = _pools.get(key)
    if pool is None:
        pool = _pools[key] = WorkPool(topic, workers)
    pool.users += 1
    return pool


def release(pool: WorkPool) -> None:
    """Give the pool back; the last user shuts its workers down."""
    pool.users -= 1
    if pool.users <= 0:
        _pools.pop((pool.topic.slug, pool.workers), None)
        pool.close()


@contextmanager
def held(topic: Topic, workers: int) -> Iterator[None]:
    """The topic's pool of `workers` processes started now and held for the block (none for 0):
    the crawl's spiders and pipelines then take it as it is, however far its workers have got."""
    pool = acquire(topic, workers) if workers > 0 else None
    try:
        yield
    finally:
        if pool is not None:
            release(pool)
