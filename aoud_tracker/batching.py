"""Items written in batches: several articles per transaction, each item still awaiting its own outcome.

A transaction's fixed costs (taking the write lock, the commit that writes the WAL's pages)
were a fifth of a stored article's time, and the pages an article touches (index leaves,
bucket counts) are mostly those the next one touches: committed together, they are written
once. The store pipeline hands each item to a `WriteBatch` and awaits the outcome; the batch is
written when it is full or when its first item has waited `wait_seconds`, whichever comes first,
so a slow trickle of items is never held back for long.

Nothing is stored half: a batch is one transaction. A crawl killed before a batch commits loses
those pages' articles and their validators together, so the next run fetches them again.

Given a one-thread executor, batches are written there, one after another in the order they
were taken, while the crawl's reactor goes on: the database's own work (SQLite's page writes
and commits, a PostgreSQL round trip) releases the GIL, and was a sixth of the crawl's thread.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Final, Generic, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from concurrent.futures import Executor

Entry = TypeVar("Entry")
Outcome = TypeVar("Outcome")
# Batches written or waiting for the writer before a new item waits (32 items each by default):
# unbounded, a writer at a lower priority (tried: docs/SCALING.md) fell behind, and the items
# waiting for it raised a 20,000-page crawl's peak by 26 MB.
WAITING_BATCHES: Final = 4


class WriteBatch(Generic[Entry, Outcome]):
    """Collects entries and writes them together with `write`, which returns one outcome (or the
    exception that entry failed with) per entry, in order."""

    def __init__(
        self,
        write: Callable[[Sequence[Entry]], Sequence[Outcome | Exception]],
        size: int,
        wait_seconds: float,
        executor: Executor | None = None,
    ) -> None:
        self.write, self.size, self.wait_seconds = write, max(1, size), wait_seconds
        self.executor = executor  # one thread, or batches could commit out of order
        self.pending: list[tuple[Entry, asyncio.Future[Outcome]]] = []
        self.timer: asyncio.TimerHandle | None = None
        self.writing: set[asyncio.Future[Sequence[Outcome | Exception]]] = set()

    async def add(self, entry: Entry) -> Outcome:
        """Queue `entry`; return its outcome once its batch is written (raise what it failed with).

        While WAITING_BATCHES batches are being written or wait for the writer, a new entry first
        waits for one of them: a writer that falls behind (a slow disk, a busy database, a low
        priority) holds the crawl back instead of letting items pile up in memory."""
        while len(self.writing) >= WAITING_BATCHES:
            await asyncio.wait(self.writing, return_when=asyncio.FIRST_COMPLETED)
        loop = asyncio.get_running_loop()
        outcome: asyncio.Future[Outcome] = loop.create_future()
        self.pending.append((entry, outcome))
        if len(self.pending) >= self.size:
            self.flush()
        elif self.timer is None:
            self.timer = loop.call_later(self.wait_seconds, self.flush)
        return await outcome

    def flush(self) -> None:
        """Write what is pending now (the timer, a full batch, the spider closing); with an
        executor, start writing it there (`drain` awaits every batch started)."""
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        taken, self.pending = self.pending, []
        if not taken:
            return
        entries = [entry for entry, _ in taken]
        if self.executor is None:
            _settle(taken, self._outcomes(entries))
            return
        written = asyncio.get_running_loop().run_in_executor(self.executor, self._outcomes, entries)
        written.add_done_callback(lambda done: _settle(taken, done.result()))  # before the discard
        self.writing.add(written)
        written.add_done_callback(self.writing.discard)

    async def drain(self) -> None:
        """Write what is pending and wait until every batch is written."""
        self.flush()
        while self.writing:
            await asyncio.gather(*self.writing)

    def _outcomes(self, entries: list[Entry]) -> Sequence[Outcome | Exception]:
        try:
            return self.write(entries)
        except Exception as error:  # write() answers per entry; anything else fails the whole batch
            return [error] * len(entries)


def _settle(
    taken: list[tuple[Entry, asyncio.Future[Outcome]]], results: Sequence[Outcome | Exception]
) -> None:
    """Give each waiting item its outcome, or the exception it failed with."""
    for (_, outcome), result in zip(taken, results, strict=True):
        if outcome.done():  # its awaiting task was cancelled
            continue
        if isinstance(result, Exception):
            outcome.set_exception(result)
        else:
            outcome.set_result(result)
