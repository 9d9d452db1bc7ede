"""Running the spiders in this process with our settings, and judging how the crawl went."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from logging.handlers import RotatingFileHandler
from typing import TYPE_CHECKING, Any, Final

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from aoud_tracker.collector import settle_collector
from aoud_tracker.spiders.base import SharedCrawl
from aoud_tracker.spiders.feeds import FeedsSpider
from aoud_tracker.spiders.sites import SitesSpider
from aoud_tracker.status import counts_under

if TYPE_CHECKING:
    from pathlib import Path

    from scrapy import Request

    from aoud_tracker.spiders.base import TopicSpider
    from aoud_tracker.topic import Topic

SPIDERS: dict[str, type[TopicSpider]] = {spider.name: spider for spider in (FeedsSpider, SitesSpider)}


@dataclass(frozen=True)
class SpiderOutcome:
    """How one spider's run went: its status, the problem if any, and its stats."""

    spider: str
    status: str
    problem: str
    stats: dict[str, Any]

    def count(self, key: str) -> int:
        value = self.stats.get(key, 0)
        return int(value) if isinstance(value, int | float) else 0

    @property
    def dropped(self) -> dict[str, int]:
        return counts_under(self.stats, "aoud/dropped/")

    @property
    def errors(self) -> dict[str, int]:
        return counts_under(self.stats, "aoud/errors/")


def crawl_settings(topic: Topic, db_url: str, storage_dir: str, overrides: dict[str, Any]) -> Settings:
    """The project's Scrapy settings with this run's topic, store and overrides."""
    settings = Settings()
    settings.setmodule("aoud_tracker.settings", priority="project")
    settings.set("AOUD_TOPIC", str(topic.path), priority="cmdline")
    settings.set("AOUD_DB_URL", db_url, priority="cmdline")
    settings.set("AOUD_STORAGE_DIR", storage_dir, priority="cmdline")
    for name, value in overrides.items():
        settings.set(name, value, priority="cmdline")
    return settings


def spiders_for(topic: Topic, names: tuple[str, ...] = ()) -> list[type[TopicSpider]]:
    """The spiders that have enabled sources in the topic (all of them unless named)."""
    chosen = [SPIDERS[n] for n in names] if names else list(SPIDERS.values())
    kinds = {s.kind for s in topic.sources if s.enabled}
    return [spider for spider in chosen if kinds & set(spider.source_kinds)]


def source_requests(
    settings: Settings, spiders: list[type[TopicSpider]]
) -> list[tuple[TopicSpider, list[Request]]]:
    """Each spider (built, not run) with its requests for the topic's sources: what `seed` queues."""
    process = CrawlerProcess(settings)
    built = []
    for spider_class in spiders:
        spider = spider_class.from_crawler(process.create_crawler(spider_class))
        built.append((spider, spider.start_requests_for_sources()))
    return built


def run_spiders(
    settings: Settings, spiders: list[type[TopicSpider]], log_dir: Path | None = None
) -> list[SpiderOutcome]:
    """Crawl with every spider at once in this process (the reactor runs once per process).

    With `log_dir`, the run's log at INFO also goes to `log_dir/aoud-tracker.log`, rotated at
    LOG_FILE_BYTES with LOG_FILE_COUNT old files kept, whatever the terminal shows (--quiet).
    """
    process = CrawlerProcess(settings)
    handler = _file_log(log_dir) if log_dir is not None else None
    crawlers = [process.create_crawler(spider) for spider in spiders]
    shared = SharedCrawl()  # one crawl asks for each article once, whichever spider found it
    for crawler in crawlers:
        process.crawl(crawler, shared=shared)
    settle_collector()
    try:
        process.start()
    finally:
        if handler is not None:
            logging.getLogger().removeHandler(handler)
            handler.close()
    outcomes = []
    for crawler in crawlers:
        stats = crawler.stats.get_stats() if crawler.stats else {}
        status = str(stats.get("aoud/run_status", "failed"))
        problem = str(stats.get("aoud/run_problem", "" if status == "ok" else "the spider did not finish"))
        outcomes.append(SpiderOutcome(crawler.spidercls.name, status, problem, stats))
    return outcomes


LOG_FILE_BYTES: Final = 5 * 1024 * 1024
LOG_FILE_COUNT: Final = 5


def _file_log(log_dir: Path) -> logging.Handler:
    log_dir.mkdir(parents=True, exist_ok=True)
    handler = RotatingFileHandler(
        log_dir / "aoud-tracker.log", maxBytes=LOG_FILE_BYTES, backupCount=LOG_FILE_COUNT, encoding="utf-8"
    )
    handler.setLevel(logging.INFO)
    handler.setFormatter(logging.Formatter("%(asctime)s [%(name)s] %(levelname)s: %(message)s"))
    logging.getLogger().addHandler(handler)
    return handler
