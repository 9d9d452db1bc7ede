"""Distributed crawling on scrapy-redis (real Redis at 127.0.0.1:6379, database 15, flushed):
three workers share one frontier; every page is fetched once; the store equals a one-process crawl's.
"""

from __future__ import annotations

import inspect
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from scrapy import Request
from scrapy.core.engine import _Slot
from sqlalchemy import select
from sqlalchemy.orm import Session

from aoud_tracker import distributed, store
from aoud_tracker.demo.server import SampleSites, demo_topic_template
from aoud_tracker.models import Article, CrawlRun
from aoud_tracker.topic import load_topic
from tests import sitegen
from tests.conftest import IN_CI, run_cli
from tests.test_e2e import FAST as E2E_FAST

if TYPE_CHECKING:
    from collections.abc import Iterator

    import redis

pytestmark = pytest.mark.e2e
REDIS = "redis://127.0.0.1:6379/15"
WORKERS = 3
ARTICLES, COPIES = 450, 50  # 500 article pages, 50 of them syndicated copies
FAST = [*E2E_FAST, "-s", "AOUD_MAX_ARTICLES_PER_SOURCE=5000"]


@pytest.fixture
def shared_redis() -> Iterator[str]:
    try:
        client = distributed.connect(REDIS)
    except distributed.RedisUnavailable:
        if IN_CI:
            pytest.fail("CI=true but Redis does not answer at 127.0.0.1:6379")
        pytest.skip("Redis does not answer at 127.0.0.1:6379")
    client.flushdb()
    yield REDIS
    client.flushdb()
    client.close()


@dataclass
class Generated:
    sites: SampleSites
    topic: Path
    expected: dict[str, Any]  # what a one-process crawl of the site stores


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    root = tmp_path_factory.mktemp("distributed")
    sitegen.write_site(root / "site", ARTICLES, COPIES)
    with SampleSites(root / "site") as sites:
        template = demo_topic_template().read_text(encoding="utf-8")
        topic = root / "topic.toml"
        topic.write_text(template[: template.index("[[sources]]")] + sitegen.topic_sources(sites.base_urls))
        single_db = f"sqlite:///{root / 'single.db'}"
        alone = run_cli("crawl", "--topic", str(topic), "--db", single_db,
                        "--storage-dir", str(root / "alone"), *FAST, cwd=root, timeout=300)  # fmt: skip
        assert alone.returncode == 0, alone.stderr
        expected = snapshot(single_db)
        assert len(expected["articles"]) == ARTICLES + COPIES
        assert len(expected["stories"]) == ARTICLES, "each syndicated copy joined its original's story"
        yield Generated(sites, topic, expected)


def snapshot(db_url: str) -> dict[str, Any]:
    engine = store.make_engine(db_url)
    try:
        with Session(engine) as session:
            articles = list(session.scalars(select(Article)))
            stories: dict[int, set[str]] = {}
            for article in articles:
                stories.setdefault(article.story_id, set()).add(article.url_key.split("/", 1)[1])
            return {
                # the page's own text; a feed's summary or date for a page without its own
                # depends on which source reached the page first, in one process as in several
                "articles": sorted((a.url_key.split("/", 1)[1], a.title, a.body) for a in articles),
                "stories": sorted(sorted(keys) for keys in stories.values()),
            }
    finally:
        engine.dispose()


def start_workers(redis_url: str, topic: Path, db_url: str, cwd: Path) -> list[subprocess.Popen[bytes]]:
    """Seed a round, then start WORKERS crawl processes on it (the schema made before they race)."""
    common = ["--topic", str(topic), "--db", db_url, "--storage-dir", str(cwd / "workers")]
    store.make_engine(db_url).dispose()
    seeded = run_cli("seed", "--redis", redis_url, *common, cwd=cwd)
    assert seeded.returncode == 0, seeded.stderr
    assert "queued 3 sources" in seeded.stdout
    environment = {k: v for k, v in os.environ.items() if not k.startswith("AOUD_")}
    command = [sys.executable, "-m", "aoud_tracker", "crawl", "--redis", redis_url, *common, *FAST,
               "-s", "AOUD_WORKER_TTL=4"]  # fmt: skip
    pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
    return [subprocess.Popen(command, cwd=cwd, env=environment, **pipes) for _ in range(WORKERS)]


def finish(workers: list[subprocess.Popen[bytes]]) -> str:
    """Wait for every worker; return what they logged."""
    logs = []
    for worker in workers:
        _, err = worker.communicate(timeout=300)
        assert worker.returncode in (0, -signal.SIGKILL), err.decode()
        logs.append(err.decode())
    return "\n".join(logs)


def _requests_held(client: redis.Redis, pid: int) -> int:
    """How many taken requests the worker process `pid` holds in its in-flight sets."""
    in_flight = f"{distributed.prefix('*')}inflight:*:*:{pid}:*"  # …:<spider>:<host>:<pid>:<id>
    return sum(int(client.hlen(key)) for key in client.scan_iter(match=in_flight))


def runs_of(db_url: str) -> list[CrawlRun]:
    engine = store.make_engine(db_url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            return list(session.scalars(select(CrawlRun)))
    finally:
        engine.dispose()


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_three_workers_share_one_frontier(
    shared_redis: str, generated: Generated, db_url: str, tmp_path: Path
) -> None:
    logged = len(generated.sites.access_log)
    finish(start_workers(shared_redis, generated.topic, db_url, tmp_path))

    log = generated.sites.access_log[logged:]
    fetched = Counter((entry.site, entry.path) for entry in log if entry.path != "/robots.txt")
    assert [page for page, times in fetched.items() if times > 1] == [], "every page fetched once"
    assert sum(1 for site, path in fetched if path.startswith("/news/")) == ARTICLES + COPIES
    assert snapshot(db_url) == generated.expected, "the same articles and stories as one process"
    runs = runs_of(db_url)
    assert len(runs) == 2 * WORKERS and all(run.status == "ok" for run in runs)
    assert sum(1 for run in runs if run.spider == "sites" and run.pages > 0) >= 2, "the work was shared"


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_a_worker_killed_mid_crawl_loses_nothing(
    shared_redis: str, generated: Generated, db_url: str, tmp_path: Path
) -> None:
    logged = len(generated.sites.access_log)
    workers = start_workers(shared_redis, generated.topic, db_url, tmp_path)
    deadline = time.monotonic() + 120
    watcher = distributed.connect(shared_redis)
    # killed once the crawl is well under way and the victim itself holds taken requests (a
    # worker slower to start than the others may not have taken any when 100 pages are in)
    while sum(1 for e in generated.sites.access_log[logged:] if e.path.startswith("/news/")) < 100 or not (
        _requests_held(watcher, workers[0].pid)
    ):
        assert time.monotonic() < deadline and workers[0].poll() is None, "the crawl did not get going"
        time.sleep(0.02)
    workers[0].send_signal(signal.SIGKILL)
    watcher.close()
    logs = finish(workers)
    assert workers[0].returncode == -signal.SIGKILL, "killed in the middle of its work"
    assert re.search(r"is gone: [1-9]\d* of its requests put back", logs), "its taken requests were put back"
    stored = snapshot(db_url)
    assert stored == generated.expected, (
        f"the other workers finished its share\n{_why(stored, generated, tmp_path)}"
    )


def _why(stored: dict[str, Any], generated: Generated, cwd: Path) -> str:
    """Should the killed-worker test fail: the pages missing, and what the workers' INFO log
    (storage/logs, shared by the three) and the sites' access log say of them."""
    missing = {page for story in generated.expected["stories"] for page in story} - {
        page for story in stored["stories"] for page in story
    }
    log = cwd / "workers" / "logs" / "aoud-tracker.log"
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines() if log.exists() else []
    said = [line for line in lines if any(page in line for page in missing)]
    served = [e for e in generated.sites.access_log if any(e.path.endswith(page) for page in missing)]
    return f"missing {sorted(missing)}\nlogged: {said[-20:]}\nserved: {served[-20:]}"


def test_a_gone_workers_requests_are_put_back_each_time_it_is_found_gone(
    shared_redis: str, tmp_path: Path
) -> None:
    """Recovery is one step inside Redis: a worker once taken for gone while alive (its heartbeat
    late) and really gone later has its later requests put back too, and a live one keeps its own."""
    from scrapy.crawler import CrawlerProcess

    from aoud_tracker.crawl import crawl_settings
    from aoud_tracker.spiders.feeds import FeedsSpider

    topic = load_topic(None)
    settings = crawl_settings(topic, f"sqlite:///{tmp_path / 't.db'}", str(tmp_path), {})
    watch = distributed.FrontierWatch(CrawlerProcess(settings).create_crawler(FeedsSpider), shared_redis)
    watch.keys = distributed.prefix(topic.slug)
    client = distributed.connect(shared_redis)
    gone = f"{watch.keys}inflight:feeds:elsewhere:1:abc"
    queue = f"{watch.keys}feeds:requests"
    client.hset(gone, mapping={"a": b"first", "b": b"second"})
    assert watch._recover() == 2
    assert sorted(client.zrange(queue, 0, -1)) == [b"first", b"second"] and not client.exists(gone)
    client.hset(gone, "c", b"third")  # the same worker, taken for gone again seconds later
    assert watch._recover() == 1 and b"third" in client.zrange(queue, 0, -1)
    client.set(gone.replace(":inflight:", ":worker:"), "busy")  # alive: its requests stay its own
    client.hset(gone, "d", b"fourth")
    assert watch._recover() == 0 and client.hget(gone, "d") == b"fourth"
    client.close()
    watch.client.close()


def test_a_source_is_done_only_once_every_link_it_yielded_is_queued(tmp_path: Path) -> None:
    """Scrapy schedules a callback's output after taking it all: the source stays in flight (and
    would be put back, were the worker killed) until the shared scheduler has queued each link."""
    from scrapy.crawler import CrawlerProcess
    from scrapy.http import TextResponse

    from aoud_tracker import inflight
    from aoud_tracker.crawl import crawl_settings
    from aoud_tracker.spiders.sites import SitesSpider

    settings = crawl_settings(load_topic(None), f"sqlite:///{tmp_path / 't.db'}", str(tmp_path), {})
    settings.set("AOUD_REDIS_URL", REDIS)
    settings.set("AOUD_WORK_PROCESSES", 0)
    crawler = CrawlerProcess(settings).create_crawler(SitesSpider)
    crawler.spider = SitesSpider.from_crawler(crawler)
    finished: list[str] = []

    class Watch:
        def done(self, request: Request) -> None:
            finished.append(request.url)

    inflight.watches[crawler.spider.name] = Watch()
    try:
        middleware = inflight.InflightDone.from_crawler(crawler)
        source = Request("http://127.0.0.1:9/sitemap.xml")
        response = TextResponse(source.url, body=b"<urlset/>", request=source)
        links = [Request(f"http://127.0.0.1:9/news/{n}.html") for n in range(3)]
        assert list(middleware.process_spider_output(response, iter(links))) == links
        assert finished == [], "consumed, but no link is queued yet"
        for link in links[:2]:
            inflight.request_queued(link)
        assert finished == []
        inflight.request_queued(links[2])
        assert finished == [source.url]
        inflight.request_queued(Request("http://127.0.0.1:9/elsewhere.html"))  # yielded by no callback
        assert finished == [source.url]
    finally:
        inflight.watches.pop(crawler.spider.name, None)


def test_seed_then_workers_need_a_reachable_redis(tmp_path: Path) -> None:
    unreachable = "redis://127.0.0.1:1/0"
    for command in ("crawl", "seed"):
        result = run_cli(command, "--redis", unreachable, "--storage-dir", str(tmp_path / "s"), cwd=tmp_path)
        assert result.returncode == 2
        assert unreachable in result.stderr and "does not answer" in result.stderr
    assert not (tmp_path / "s").exists(), "nothing written"


def test_a_request_survives_the_shared_queue(shared_redis: str, tmp_path: Path) -> None:
    """What scrapy-redis does for us: queue a spider's request in Redis and give it back whole."""
    from scrapy.crawler import CrawlerProcess

    from aoud_tracker.crawl import crawl_settings
    from aoud_tracker.spiders.feeds import FeedsSpider

    topic = load_topic(None)
    settings = crawl_settings(topic, f"sqlite:///{tmp_path / 't.db'}", str(tmp_path), {})
    settings.set("AOUD_WORK_PROCESSES", 0)  # a spider never closed holds no share of a work pool
    spider = FeedsSpider.from_crawler(CrawlerProcess(settings).create_crawler(FeedsSpider))
    client = distributed.connect(shared_redis)
    queued = distributed.seed(client, topic.slug, [(spider, spider.start_requests_for_sources())])
    queue = distributed.queue_for(client, spider, distributed.prefix(topic.slug) + "%(spider)s:requests")
    assert len(queue) == queued > 0
    request = queue.pop()
    assert isinstance(request, Request) and request.callback == spider.parse_source
    assert request.cb_kwargs["source"] in topic.sources and request.meta["aoud_conditional"] == "source"
    again = distributed.seed(client, topic.slug, [(spider, spider.start_requests_for_sources())])
    assert again == queued, "a new round forgets the last one's seen-set"


def test_the_private_scrapy_call_the_adapter_relies_on_still_exists() -> None:
    assert "nextcall" in inspect.signature(_Slot.__init__).parameters, "distributed.wake needs _Slot.nextcall"
