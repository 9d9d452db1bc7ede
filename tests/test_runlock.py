"""One run at a time: a second run exits 75 at once, --wait queues, a killed holder leaves no stale lock."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from typing import TYPE_CHECKING

import pytest

from aoud_tracker.runlock import LOCK_FILE, Locked, RunLock
from tests.conftest import run_cli

if TYPE_CHECKING:
    from pathlib import Path

    from aoud_tracker.demo.server import SampleSites


def test_a_second_holder_is_refused_with_the_first_ones_pid(tmp_path: Path) -> None:
    with (
        RunLock(tmp_path),
        pytest.raises(Locked, match=rf"pid {os.getpid()}, started .* UTC"),
        RunLock(tmp_path),
    ):
        pass
    with RunLock(tmp_path):
        pass  # released when the first block ended


def test_wait_queues_behind_the_holder(tmp_path: Path) -> None:
    holder = RunLock(tmp_path).__enter__()
    releaser = threading.Timer(0.5, holder.__exit__, args=(None, None, None))
    releaser.start()
    started = time.monotonic()
    with RunLock(tmp_path, wait=True):
        waited = time.monotonic() - started
    releaser.join()
    assert waited >= 0.4


def test_a_killed_holder_leaves_no_stale_lock(tmp_path: Path) -> None:
    """The lock is the kernel's: SIGKILL releases it, and the next run takes over at once."""
    script = (
        "import sys, time, pathlib\n"
        "from aoud_tracker.runlock import RunLock\n"
        f"with RunLock(pathlib.Path({str(tmp_path)!r})):\n"
        "    print('locked', flush=True)\n"
        "    time.sleep(60)\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(Locked, match=f"pid {holder.pid}"):
            RunLock(tmp_path).__enter__()
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=10)
    finally:
        holder.kill()
        holder.communicate()
    assert (tmp_path / LOCK_FILE).read_text().strip(), "the dead holder's note is still in the file"
    with RunLock(tmp_path):
        pass


def test_two_overlapping_runs_the_second_exits_75_and_the_first_completes(
    sample_sites: SampleSites, tmp_path: Path
) -> None:
    topic = tmp_path / "topic.toml"
    topic.write_text(sample_sites.render_topic(), encoding="utf-8")
    arguments = ["run", "--topic", str(topic), "--db", f"sqlite:///{tmp_path / 'tracker.db'}"]
    arguments += ["--storage-dir", str(tmp_path / "storage"), "--feeds-dir", str(tmp_path / "feeds")]
    arguments += ["-s", "AUTOTHROTTLE_ENABLED=False"]
    # The first run waits a quarter second between a site's pages (over 10 s in all), so it still
    # holds the lock when the second has started (a fast one could finish first on a loaded machine).
    with (tmp_path / "first.log").open("w") as log:
        first = subprocess.Popen(
            [sys.executable, "-m", "aoud_tracker", *arguments, "-s", "DOWNLOAD_DELAY=0.25"],
            cwd=tmp_path,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            lock = tmp_path / "storage" / LOCK_FILE
            deadline = time.monotonic() + 30
            while not (lock.is_file() and lock.read_text().startswith(f"pid {first.pid}")):
                assert time.monotonic() < deadline and first.poll() is None, (
                    "the first run never took the lock"
                )
                time.sleep(0.05)
            second = run_cli(*arguments, "-s", "DOWNLOAD_DELAY=0", cwd=tmp_path, timeout=60)
            assert second.returncode == 75, second.stderr
            assert f"another run is active (pid {first.pid}" in second.stderr
            first.wait(timeout=240)
        finally:
            first.kill()
    assert first.returncode == 0, (tmp_path / "first.log").read_text()
    assert "published 28 stories" in (tmp_path / "first.log").read_text(), "the first run went on to publish"
