"""Tagging in worker processes: the same answer as tagging inline, and a killed worker costs nothing."""

from __future__ import annotations

import asyncio
import os
import signal
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from aoud_tracker import tagpool
from aoud_tracker.tagging import Tagger, Tagging
from tests.factories import BODY

if TYPE_CHECKING:
    from aoud_tracker.topic import Topic

AS_OF = datetime(2025, 7, 23, tzinfo=UTC)
TITLE = "All of Us Are Dead Season 2 starts filming"


async def _tag(pool: tagpool.TagPool) -> Tagging:
    return await pool.tag(TITLE, BODY, official=False, as_of=AS_OF).asFuture(asyncio.get_running_loop())


def test_a_worker_tags_as_the_crawl_would_and_a_killed_one_is_replaced(topic: Topic) -> None:
    inline = Tagger(topic).tag(TITLE, BODY, official_source=False, as_of=AS_OF)

    async def scenario() -> tuple[Tagging, Tagging, Tagging]:
        pool = tagpool.acquire(topic, 1)
        try:
            first = await _tag(pool)
            for pid in list(pool.executor._processes):  # the worker dies (OOM killer, a crash)
                os.kill(pid, signal.SIGKILL)
            await asyncio.sleep(0.5)
            rescued = await _tag(pool)  # tagged in this process, and a new pool started
            after = await _tag(pool)
            return first, rescued, after
        finally:
            tagpool.release(pool)

    first, rescued, after = asyncio.run(scenario())

    assert first == rescued == after == inline
    assert inline.tags and inline.claims.cast


def test_spiders_of_one_process_share_one_pool_and_the_last_shuts_it(topic: Topic) -> None:
    one, two = tagpool.acquire(topic, 1), tagpool.acquire(topic, 1)
    assert one is two
    tagpool.release(one)
    assert tagpool.acquire(topic, 1) is two  # still open: one user left
    tagpool.release(two)
    tagpool.release(two)
    assert tagpool.acquire(topic, 1) is not two  # the last release closed it; a new one starts
    tagpool.release(tagpool.acquire(topic, 1))
