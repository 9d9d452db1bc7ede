"""Items written in batches: several articles per transaction, each item still awaiting its own outcome.

A transaction's fixed costs (taking the write lock, the commit that writes the WAL's pages)
were a fifth of a stored article's time, and the pages an article touches (index leaves,
bucket counts) are mostly those the next one touches: committed together, they are written
once. The store pipeline hands each item to a `WriteBatch` and awaits the outcome; the batch is
written when it is full or when its first item has waited `wait_seconds`, whichever comes first,
so a slow trickle of items is never held back for long.

Nothing is stored half: a batch is one transaction. A crawl killed before a batch commits loses
those pages' articles and their validators together, so the next run fetches them again.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

Entry = TypeVar("Entry")
Outcome = TypeVar("Outcome")


class WriteBatch(Generic[Entry, Outcome]):
    """Collects entries and writes them together with `write`, which returns one outcome (or the
    exception that entry failed with) per entry, in order."""

    def __init__(
        self,
        write: Callable[[Sequence[Entry]], Sequence[Outcome | Exception]],
        size: int,
        wait_seconds: float,
    ) -> None:
        self.write, self.size, self.wait_seconds = write, max(1, size), wait_seconds
        self.pending: list[tuple[Entry, asyncio.Future[Outcome]]] = []
        self.timer: asyncio.TimerHandle | None = None

    async def add(self, entry: Entry) -> Outcome:
        """Queue `entry`; return its outcome once its batch is written (raise what it failed with)."""
        loop = asyncio.get_running_loop()
        outcome: asyncio.Future[Outcome] = loop.create_future()
        self.pending.append((entry, outcome))
        if len(self.pending) >= self.size:
            self.flush()
        elif self.timer is None:
            self.timer = loop.call_later(self.wait_seconds, self.flush)
        return await outcome

    def flush(self) -> None:
        """Write what is pending now (the timer, a full batch, the spider closing)."""
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        taken, self.pending = self.pending, []
        if not taken:
            return
        try:
            results = self.write([entry for entry, _ in taken])
        except Exception as error:  # write() answers per entry; anything else fails the whole batch
            results = [error] * len(taken)
        for (_, outcome), result in zip(taken, results, strict=True):
            if outcome.done():  # its awaiting task was cancelled
                continue
            if isinstance(result, Exception):
                outcome.set_exception(result)
            else:
                outcome.set_result(result)
