"""Batched writes: several items per transaction, each item with its own outcome, nothing lost."""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from aoud_tracker import store
from aoud_tracker.batching import WAITING_BATCHES, WriteBatch
from aoud_tracker.models import Article, HttpValidator
from aoud_tracker.pipelines import StorePipeline
from tests.factories import article
from tests.test_pipelines import build

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path


class Recorder:
    """A write function that remembers each batch it was given and fails entries named "bad"."""

    def __init__(self) -> None:
        self.batches: list[list[str]] = []

    def write(self, entries: Sequence[str]) -> list[str | Exception]:
        self.batches.append(list(entries))
        return [ValueError(f"{entry} is bad") if entry == "bad" else entry.upper() for entry in entries]


def test_a_full_batch_is_written_at_once_and_each_item_gets_its_own_outcome() -> None:
    recorder = Recorder()

    async def scenario() -> list[str]:
        batch = WriteBatch(recorder.write, size=3, wait_seconds=60)
        return await asyncio.gather(*(batch.add(name) for name in ("a", "b", "c")))

    assert asyncio.run(scenario()) == ["A", "B", "C"]
    assert recorder.batches == [["a", "b", "c"]]


def test_with_a_writer_thread_batches_are_written_there_in_order_and_drain_waits_for_them() -> None:
    recorder, threads = Recorder(), set()

    def write(entries: Sequence[str]) -> list[str | Exception]:
        threads.add(threading.current_thread().name)
        time.sleep(0.01)  # the reactor's thread goes on meanwhile
        return recorder.write(entries)

    async def scenario() -> list[str | BaseException]:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="writer") as writer:
            batch = WriteBatch(write, size=3, wait_seconds=60, executor=writer)
            added = [asyncio.ensure_future(batch.add(name)) for name in "abcdefg"]
            await asyncio.sleep(0)  # the first two batches fill and start writing
            await batch.drain()  # the last, partial one is written now, not after 60 s
            assert not batch.writing
            return await asyncio.gather(*added, return_exceptions=True)

    assert asyncio.run(scenario()) == list("ABCDEFG")
    assert recorder.batches == [["a", "b", "c"], ["d", "e", "f"], ["g"]]
    assert threads and all(name.startswith("writer") for name in threads)


def test_a_writer_that_falls_behind_holds_new_items_back_instead_of_piling_them_up() -> None:
    recorder, release = Recorder(), threading.Event()

    def write(entries: Sequence[str]) -> list[str | Exception]:
        release.wait(timeout=10)  # a slow disk, a busy database
        return recorder.write(entries)

    names = [f"item{i}" for i in range(WAITING_BATCHES + 3)]

    async def scenario() -> list[str | BaseException]:
        with ThreadPoolExecutor(max_workers=1) as writer:
            batch = WriteBatch(write, size=1, wait_seconds=60, executor=writer)
            added = [asyncio.ensure_future(batch.add(name)) for name in names]
            await asyncio.sleep(0.05)
            assert len(batch.writing) == WAITING_BATCHES  # the rest wait, neither batched nor pending
            assert not batch.pending and not any(task.done() for task in added)
            release.set()
            await asyncio.wait_for(asyncio.gather(*added), timeout=10)
            await batch.drain()
            return [task.result() for task in added]

    assert asyncio.run(scenario()) == [name.upper() for name in names]
    assert sorted(entry for written in recorder.batches for entry in written) == sorted(names)


def test_a_writer_thread_that_raises_fails_each_item_of_its_batch() -> None:
    def write(entries: Sequence[str]) -> list[str | Exception]:
        raise OSError("disk full")

    async def scenario() -> list[str | BaseException]:
        with ThreadPoolExecutor(max_workers=1) as writer:
            batch = WriteBatch(write, size=2, wait_seconds=60, executor=writer)
            return await asyncio.gather(batch.add("a"), batch.add("b"), return_exceptions=True)

    outcomes = asyncio.run(scenario())
    assert [str(outcome) for outcome in outcomes] == ["disk full", "disk full"]


def test_a_partial_batch_is_written_after_its_wait() -> None:
    recorder = Recorder()

    async def scenario() -> tuple[list[str], float]:
        batch = WriteBatch(recorder.write, size=100, wait_seconds=0.05)
        start = time.monotonic()
        outcomes = await asyncio.gather(batch.add("a"), batch.add("b"))
        return outcomes, time.monotonic() - start

    outcomes, waited = asyncio.run(scenario())
    assert outcomes == ["A", "B"] and recorder.batches == [["a", "b"]]
    assert waited < 5, "the timer wrote the batch, nothing waited for it to fill"


def test_a_failed_item_raises_alone() -> None:
    recorder = Recorder()

    async def scenario() -> list[str | BaseException]:
        batch = WriteBatch(recorder.write, size=3, wait_seconds=60)
        return await asyncio.gather(*(batch.add(name) for name in ("a", "bad", "c")), return_exceptions=True)

    first, failed, last = asyncio.run(scenario())
    assert (first, last) == ("A", "C")
    assert isinstance(failed, ValueError) and "bad is bad" in str(failed)


def test_a_write_that_raises_fails_every_item_of_its_batch_and_the_next_batch_goes_on() -> None:
    calls: list[int] = []

    def write(entries: Sequence[str]) -> list[str | Exception]:
        calls.append(len(entries))
        if len(calls) == 1:
            raise RuntimeError("the store went away")
        return list(entries)

    async def scenario() -> tuple[list[str | BaseException], str]:
        batch = WriteBatch(write, size=2, wait_seconds=60)
        failed = await asyncio.gather(batch.add("a"), batch.add("b"), return_exceptions=True)
        later = await asyncio.gather(batch.add("c"), batch.add("d"))
        return failed, later[0]

    failed, later = asyncio.run(scenario())
    assert all(isinstance(outcome, RuntimeError) for outcome in failed)
    assert later == "c" and calls == [2, 2]


def test_store_items_saves_a_batch_together_and_a_bad_item_fails_alone(
    tmp_path: Path,
) -> None:
    engine = store.make_engine(f"sqlite:///{tmp_path / 'batch.db'}")
    sessions = sessionmaker(engine, expire_on_commit=False)
    with store.write_transaction(sessions) as session:
        store.sync_sources(session, "aoud-s2", [])
    first = article("https://one.example/a/1.html", body="First story. " * 30)
    copy = article("https://two.example/b/2.html", body="First story. " * 30)
    good = article("https://three.example/c/3.html", body="Another story entirely. " * 30)
    broken = article("https://four.example/d/4.html")
    broken.title = None  # type: ignore[assignment]  # a NOT NULL column: this item cannot be stored
    for fetched in (good, broken):
        fetched.validators = (fetched.url, '"v1"', "")

    outcomes = store.store_items(sessions, "aoud-s2", [(first, None), (copy, None)])
    assert outcomes == ["new", "merged"], "the second item sees the first, stored in the same transaction"

    outcomes = store.store_items(sessions, "aoud-s2", [(good, None), (broken, None)])
    assert outcomes[0] == "new"
    assert isinstance(outcomes[1], IntegrityError)
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Article)) == 3
        stored_validators = set(session.scalars(select(HttpValidator.url)))
    assert good.url in stored_validators and broken.url not in stored_validators
    engine.dispose()


@pytest.mark.parametrize("size", [1, 8])
def test_the_store_pipeline_counts_every_outcome_whatever_the_batch_size(tmp_path: Path, size: int) -> None:
    pipeline = build(StorePipeline, AOUD_DB_URL=f"sqlite:///{tmp_path / 'p.db'}", AOUD_STORE_BATCH_ITEMS=size,
                     AOUD_STORE_BATCH_SECONDS=0.01)  # fmt: skip
    items = [
        article(f"https://site{i}.example/a/{i}.html", body=f"Story number {i}. " * 40) for i in range(5)
    ]

    async def scenario() -> None:
        await asyncio.gather(*(pipeline.process_item(item) for item in [*items, items[0]]))

    asyncio.run(scenario())
    asyncio.run(pipeline.close_spider())
    assert pipeline.stats.get_value("aoud/stored/new") == 5
    assert pipeline.stats.get_value("aoud/stored/unchanged") == 1
