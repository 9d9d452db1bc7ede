"""Work in worker processes: the same answer as in the crawl's process, and a killed worker costs nothing."""

from __future__ import annotations

import asyncio
import fcntl
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from aoud_tracker import workpool
from aoud_tracker.dedupe import body_fingerprint
from aoud_tracker.demo.server import sample_sites_dir
from aoud_tracker.extract import extract
from aoud_tracker.neardup import signature
from aoud_tracker.reading import PageHints, Reading, TextWork, text_work
from aoud_tracker.relevance import RelevanceScorer
from aoud_tracker.tagging import Tagger
from aoud_tracker.text import clean_text
from tests.factories import BODY

if TYPE_CHECKING:
    from aoud_tracker.extracted import Extracted
    from aoud_tracker.topic import Topic

AS_OF = datetime(2025, 7, 23, tzinfo=UTC)
TITLE = "All of Us Are Dead Season 2 starts filming"
SITE = sample_sites_dir()
ARTICLE = "all-of-us-are-dead-season-2-table-read-cast.html"


async def _tag(pool: workpool.WorkPool) -> TextWork:
    return await pool.tag(TITLE, BODY, official=False, as_of=AS_OF).asFuture(asyncio.get_running_loop())


def test_a_worker_tags_as_the_crawl_would_and_a_killed_one_is_replaced(topic: Topic) -> None:
    inline = Tagger(topic).tag(TITLE, BODY, official_source=False, as_of=AS_OF)

    async def scenario() -> tuple[TextWork, TextWork, TextWork]:
        pool = workpool.acquire(topic, 1)
        try:
            first = await _tag(pool)
            for pid in list(pool.executor._processes):  # the worker dies (OOM killer, a crash)
                os.kill(pid, signal.SIGKILL)
            await asyncio.sleep(0.5)
            rescued = await _tag(pool)  # tagged in this process, and a new pool started
            after = await _tag(pool)
            return first, rescued, after
        finally:
            workpool.release(pool)

    first, rescued, after = asyncio.run(scenario())

    assert first == rescued == after
    assert first.tagging == inline and inline.tags and inline.claims.cast
    # the dedupe identities come back with the tags, as DedupePipeline computes them in the crawl
    assert (first.fingerprint, first.signature) == (body_fingerprint(BODY), signature(BODY))
    assert first.fingerprint and first.signature


def test_spiders_of_one_process_share_one_pool_and_the_last_shuts_it(topic: Topic) -> None:
    one, two = workpool.acquire(topic, 1), workpool.acquire(topic, 1)
    assert one is two
    workpool.release(one)
    assert workpool.acquire(topic, 1) is two  # still open: one user left
    workpool.release(two)
    workpool.release(two)
    assert workpool.acquire(topic, 1) is not two  # the last release closed it; a new one starts
    workpool.release(workpool.acquire(topic, 1))


def test_a_worker_extracts_and_reads_a_page_as_the_crawl_would(topic: Topic) -> None:
    page = (SITE / "seoulscreen" / "entertainment" / "2025" / "07" / ARTICLE).read_bytes()
    url = "http://seoulscreen.example/entertainment/2025/07/" + ARTICLE
    hints = PageHints("a feed's headline", None, official=False)

    async def in_worker() -> tuple[Extracted, Reading | None]:
        pool = workpool.acquire(topic, 1)
        try:
            loop = asyncio.get_running_loop()
            return await pool.read(page, url, "text/html; charset=utf-8", AS_OF, hints).asFuture(loop)
        finally:
            workpool.release(pool)

    extracted, reading = asyncio.run(in_worker())

    assert extracted == extract(page, url, content_type="text/html; charset=utf-8", now=AS_OF)
    assert reading is not None and reading.text is not None
    # each part is what the pipeline step it stands for computes in the crawl's process
    assert (reading.title, reading.body) == (extracted.title, extracted.body)
    assert reading.clean_title == clean_text(extracted.title)
    assert reading.clean_body == clean_text(extracted.body, keep_paragraphs=True)
    assert reading.relevance == RelevanceScorer(topic).score(reading.clean_title, reading.clean_body)
    assert reading.as_of == extracted.published_at
    local = text_work(Tagger(topic), reading.clean_title, reading.clean_body, False, reading.as_of)
    assert reading.text == local and local.tagging.tags


@pytest.mark.skipif(not hasattr(fcntl, "F_GETPIPE_SZ"), reason="pipe sizes are Linux's")
def test_the_pipes_to_the_workers_hold_pages_and_a_page_beyond_them_still_passes(topic: Topic) -> None:
    """The pipes are the executor's private attributes (workpool.widen_pipes): a Python release
    that renames them fails here, not silently in the benchmark."""
    page = (SITE / "seoulscreen" / "entertainment" / "2025" / "07" / ARTICLE).read_bytes()
    padded = page.replace(b"</body>", b"<!--" + b"x" * (3 * workpool.PIPE_BYTES) + b"--></body>")
    url = "http://seoulscreen.example/entertainment/2025/07/" + ARTICLE
    hints = PageHints("a feed's headline", None, official=False)

    async def in_worker() -> list[tuple[Extracted, Reading | None]]:
        pool = workpool.acquire(topic, 1)
        try:
            executor: Any = pool.executor
            for queue in (executor._call_queue, executor._result_queue):
                assert fcntl.fcntl(queue._reader.fileno(), fcntl.F_GETPIPE_SZ) >= workpool.PIPE_BYTES
            loop = asyncio.get_running_loop()
            reads = [
                pool.read(body, url, "text/html", AS_OF, hints).asFuture(loop) for body in (page, padded)
            ]
            return list(await asyncio.gather(*reads))
        finally:
            workpool.release(pool)

    (small, _), (large, _) = asyncio.run(in_worker())
    assert small.status == large.status == "ok"
    assert large.body == small.body  # three pipes' worth of page, read whole


CRAWL_STAND_IN = """
import asyncio, sys
from datetime import UTC, datetime
from aoud_tracker import workpool
from aoud_tracker.reading import PageHints
from aoud_tracker.topic import load_topic

async def main():
    pool = workpool.acquire(load_topic(None), 2)
    hints = PageHints("", None, official=False)
    now = datetime.now(UTC)
    await pool.read(b"<p>x</p>", "http://x.example/", None, now, hints).asFuture(asyncio.get_running_loop())
    print(*pool.executor._processes, flush=True)
    await asyncio.sleep(60)

asyncio.run(main())
"""


def test_workers_end_when_the_crawl_is_killed(tmp_path: Path) -> None:
    """A crawl killed by SIGKILL (cron's timeout, the OOM killer) leaves no worker behind."""
    crawl = subprocess.Popen([sys.executable, "-c", CRAWL_STAND_IN], stdout=subprocess.PIPE, text=True)
    assert crawl.stdout is not None
    try:
        workers = [int(pid) for pid in crawl.stdout.readline().split()]
    finally:
        crawl.kill()
        crawl.wait()
        crawl.stdout.close()
    assert workers, "the stand-in started its workers"
    deadline = time.monotonic() + 10 * workpool.PARENT_CHECK_SECONDS
    while any(Path(f"/proc/{pid}").exists() for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers), "orphaned workers still run"


HEAVY_MODULES = ("aoud_tracker.cli", "scrapy", "sqlalchemy", "click", "rich", "feedgen")


def _loaded_by_importing(module: str) -> list[str]:
    """The heavy modules a fresh interpreter holds after importing `module`."""
    probe = f"import sys, {module}; print(' '.join(m for m in {HEAVY_MODULES!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return done.stdout.split()


def test_a_spawned_worker_loads_only_what_it_works_with() -> None:
    """A spawned worker imports the script that started the crawl, then workpool: the script's
    entry point must not pull in the whole program (170 MB instead of 50 MB per worker)."""
    (script,) = entry_points(group="console_scripts", name="aoud-tracker")
    assert script.value == "aoud_tracker.entry:main"
    assert _loaded_by_importing("aoud_tracker.entry") == []
    assert _loaded_by_importing("aoud_tracker.workpool") == []


def test_the_default_is_one_work_process_from_two_cpus_on_and_none_on_one() -> None:
    from scrapy.settings import Settings

    assert workpool.configured_processes(Settings({"AOUD_WORK_PROCESSES": 3})) == 3
    assert workpool.configured_processes(Settings({"AOUD_WORK_PROCESSES": 0})) == 0
    default = workpool.configured_processes(Settings({"AOUD_WORK_PROCESSES": workpool.AUTO}))
    assert default == (1 if workpool.usable_cpus() > 1 else 0)
    # the same crawl held to one CPU (taskset, a container's cpuset) does its work itself
    one_cpu = (
        "import os; os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})\n"
        "from scrapy.settings import Settings\n"
        "from aoud_tracker import settings, workpool\n"
        "default = Settings({'AOUD_WORK_PROCESSES': settings.AOUD_WORK_PROCESSES})\n"
        "print(workpool.configured_processes(default))"
    )
    done = subprocess.run(
        [sys.executable, "-c", one_cpu], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "0"


def test_a_crawl_starts_its_work_processes_first_and_its_spiders_take_them(
    topic: Topic, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The crawl commands start the pool before Scrapy loads (cli.early_work_pool); the spiders
    and the tag pipeline then acquire that same pool, and it ends with the command."""
    from aoud_tracker import settings
    from aoud_tracker.cli import early_work_pool

    monkeypatch.setattr(workpool, "_pools", {})  # this process's pools, without other tests' ones

    assert settings.AOUD_WORK_PROCESSES == workpool.AUTO  # the early start assumes the project's default
    with early_work_pool(topic, {"CONCURRENT_REQUESTS": "4", "AOUD_WORK_PROCESSES": "1"}):
        (early,) = workpool._pools.values()
        spiders = workpool.acquire(topic, workpool.configured_processes(_settings(1)))
        assert spiders is early and early.users == 2
        workpool.release(spiders)
    assert workpool._pools == {} and early.executor._shutdown_thread  # type: ignore[attr-defined]
    for none_asked in ({"AOUD_WORK_PROCESSES": "0"}, {"AOUD_WORK_PROCESSES": "two"}):
        with early_work_pool(topic, none_asked):
            assert workpool._pools == {}


def _settings(processes: int) -> Any:
    from scrapy.settings import Settings

    return Settings({"AOUD_WORK_PROCESSES": processes})
