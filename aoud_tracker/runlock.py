"""One crawl at a time per storage folder: an exclusive lock on `storage/run.lock`.

The lock is the operating system's (flock), not the file's existence, so a run killed with
SIGKILL leaves nothing to clean up: its lock dies with it, and the next run takes over. The file
holds the holder's pid and start time, only to say who is running when a second run is refused.
POSIX only (Linux, macOS, BSD), like the cron and systemd setups it is for.
"""

from __future__ import annotations

import fcntl
import os
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Self

if TYPE_CHECKING:
    from pathlib import Path
    from types import TracebackType

LOCK_FILE = "run.lock"


class Locked(Exception):
    """Another run holds the lock; the message says which and since when."""


class RunLock:
    """`with RunLock(storage_dir):` holds the lock for the block; `wait=True` queues behind a holder."""

    def __init__(self, storage_dir: Path, *, wait: bool = False) -> None:
        self.path = storage_dir / LOCK_FILE
        self.wait = wait
        self.fd: int | None = None

    def __enter__(self) -> Self:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if self.wait else fcntl.LOCK_NB))
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "unknown"
            os.close(fd)
            raise Locked(f"another run is active ({holder}); try again later, or pass --wait") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}, started {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC\n".encode(), 0)
        self.fd = fd
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.fd is not None:
            os.ftruncate(self.fd, 0)
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None
