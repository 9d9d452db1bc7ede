"""Fixtures of the hostile-web suite: the servers, and the crawls every test reads.

Four crawls, queued one after the other the first time any of them is asked for, so the later
ones run while the tests read the first. Never two at once: on two cores, a second crawl's CPU
makes the first one's 2-second download timeouts fire on valid pages.
- `main_crawl`: one `aoud-tracker run` over every case but 7, 14 and 19, shared by most tests;
- `gone_crawls`: case 14, two runs over one store (the articles answer 200, then 404/410);
- `bulk_crawl`: case 7, 50 MB pages and gzip bombs, with a reactor free to read them in time;
- `huge_crawl`: case 19, on its own because a 5 MB body may block a crawler for minutes.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.hostile.crawls import Run, crawl
from tests.hostile.server import HostileSites
from tests.hostile.sites import Layout
from tests.hostile.web import build

if TYPE_CHECKING:
    from collections.abc import Iterator

MAIN_TIME_LIMIT = 150.0
HUGE_TIME_LIMIT = 60.0  # "promptly": a 5 MB page needs seconds, not minutes


@dataclass
class HostileWeb:
    """The running servers and what they serve."""

    sites: HostileSites
    layout: Layout

    def url(self, site: str, path: str) -> str:
        return self.sites.url(site, path)


@pytest.fixture(scope="session")
def web() -> Iterator[HostileWeb]:
    layout = Layout()
    with HostileSites(lambda sites: build(layout, sites)) as sites:
        yield HostileWeb(sites, layout)


@dataclass
class Crawls:
    """The suite's crawls, run one at a time in a thread (each a subprocess), handed out when finished."""

    web: HostileWeb
    root: Path
    pool: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(1, "crawl"))
    jobs: dict[str, Future[list[Run]]] = field(default_factory=dict)

    def start(self) -> None:
        if self.jobs:
            return
        self.jobs["main"] = self.pool.submit(self._single, "main", MAIN_TIME_LIMIT)
        self.jobs["gone"] = self.pool.submit(self._gone)
        self.jobs["bulk"] = self.pool.submit(self._single, "bulk", MAIN_TIME_LIMIT)
        self.jobs["huge"] = self.pool.submit(self._single, "huge", HUGE_TIME_LIMIT)

    def result(self, name: str) -> list[Run]:
        self.start()
        return self.jobs[name].result()

    def _single(self, name: str, time_limit: float) -> list[Run]:
        return [crawl(name, self.root / name, self.web.sites, self.web.layout, time_limit=time_limit)]

    def _gone(self) -> list[Run]:
        """Case 14: the first run stores the articles; then the server answers 404/410 for them."""
        sites, layout = self.web.sites, self.web.layout
        first = crawl("gone", self.root / "gone", sites, layout)
        sites.state.phase = 2
        second = crawl("gone", self.root / "gone", sites, layout)
        return [first, second]


@pytest.fixture(scope="session")
def crawls(web: HostileWeb, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawls]:
    jobs = Crawls(web, tmp_path_factory.mktemp("hostile"))
    yield jobs
    jobs.pool.shutdown(wait=True)


@pytest.fixture(scope="session")
def main_crawl(crawls: Crawls) -> Run:
    return crawls.result("main")[0]


@pytest.fixture(scope="session")
def gone_crawls(crawls: Crawls) -> tuple[Run, Run]:
    first, second = crawls.result("gone")
    return first, second


@pytest.fixture(scope="session")
def bulk_crawl(crawls: Crawls) -> Run:
    return crawls.result("bulk")[0]


@pytest.fixture(scope="session")
def huge_crawl(crawls: Crawls) -> Run:
    return crawls.result("huge")[0]


@pytest.fixture(params=["f", "s"], ids=["feed", "sitemap"])
def route(request: pytest.FixtureRequest) -> str:
    """The route a case is reached by: /f/… listed in a feed, /s/… listed in a sitemap."""
    return str(request.param)
