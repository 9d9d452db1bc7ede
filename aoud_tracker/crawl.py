"""Running the spiders in this process with our settings, and judging how the crawl went."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from aoud_tracker.spiders.feeds import FeedsSpider
from aoud_tracker.spiders.sites import SitesSpider

if TYPE_CHECKING:
    from aoud_tracker.spiders.base import TopicSpider
    from aoud_tracker.topic import Topic

SPIDERS: dict[str, type[TopicSpider]] = {"feeds": FeedsSpider, "sites": SitesSpider}


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
        prefix = "aoud/dropped/"
        return {k[len(prefix) :]: self.count(k) for k in sorted(self.stats) if k.startswith(prefix)}

    @property
    def errors(self) -> dict[str, int]:
        prefix = "aoud/errors/"
        return {k[len(prefix) :]: self.count(k) for k in sorted(self.stats) if k.startswith(prefix)}


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


def run_spiders(settings: Settings, spiders: list[type[TopicSpider]]) -> list[SpiderOutcome]:
    """Crawl with every spider at once in this process (the reactor runs once per process)."""
    process = CrawlerProcess(settings)
    crawlers = [process.create_crawler(spider) for spider in spiders]
    for crawler in crawlers:
        process.crawl(crawler)
    process.start()
    outcomes = []
    for crawler in crawlers:
        stats = crawler.stats.get_stats() if crawler.stats else {}
        status = str(stats.get("aoud/run_status", "failed"))
        problem = str(stats.get("aoud/run_problem", "" if status == "ok" else "the spider did not finish"))
        outcomes.append(SpiderOutcome(crawler.spidercls.name, status, problem, stats))
    return outcomes
