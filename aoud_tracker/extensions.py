"""Scrapy extensions: every spider run recorded in the store, and drop logs without item dumps."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Self

from scrapy import signals
from scrapy.logformatter import LogFormatter, LogFormatterResult
from sqlalchemy.orm import sessionmaker

from aoud_tracker import store
from aoud_tracker.runtime import db_url_from, topic_from

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from twisted.python.failure import Failure

logger = logging.getLogger(__name__)


def judge_run(stats: dict[str, Any], finish_reason: str, error_rate_limit: float) -> tuple[str, str]:
    """("ok" | "failed", why) for a finished spider run, from its stats."""
    if finish_reason != "finished":
        return "failed", f"the crawl stopped early ({finish_reason})"
    requested, read = stats.get("aoud/sources/requested", 0), stats.get("aoud/sources/read", 0)
    if requested and not read:
        return "failed", f"none of the {requested} sources could be read"
    errors, requests = stats.get("aoud/errors", 0), stats.get("downloader/request_count", 0)
    if requests and errors / requests > error_rate_limit:
        return "failed", f"{errors} of {requests} requests failed"
    return "ok", ""


class CrawlRunRecorder:
    """Writes a crawl_runs row when a spider opens and completes it when the spider closes."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.topic = topic_from(crawler.settings).slug
        self.error_rate_limit = crawler.settings.getfloat("AOUD_ERROR_RATE_LIMIT", 0.5)
        self.run_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        recorder = cls(crawler)
        crawler.signals.connect(recorder.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(recorder.spider_closed, signal=signals.spider_closed)
        return recorder

    def spider_opened(self, spider: Spider) -> None:
        self.engine = store.make_engine(db_url_from(self.crawler.settings))
        self.sessions = sessionmaker(self.engine)
        with store.write_transaction(self.sessions) as session:
            self.run_id = store.start_run(session, self.topic, spider.name)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.run_id is None or self.crawler.stats is None:
            return
        stats = self.crawler.stats.get_stats()
        status, why = judge_run(stats, reason, self.error_rate_limit)
        self.crawler.stats.set_value("aoud/run_status", status)
        self.crawler.stats.set_value("aoud/run_problem", why)
        with store.write_transaction(self.sessions) as session:  # reads the run, then writes it
            store.finish_run(session, self.run_id, status, why or reason, stats)
        self.engine.dispose()
        if status != "ok":
            logger.error("%s crawl failed: %s", spider.name, why)


class QuietDropFormatter(LogFormatter):
    """Logs a dropped item as its reason only (the default also dumps the whole article body)."""

    def dropped(
        self,
        item: Any,
        exception: BaseException,
        response: Response | Failure | None,
        spider: Spider,
    ) -> LogFormatterResult:
        result = super().dropped(item, exception, response, spider)
        return {
            "level": result["level"],
            "msg": "Dropped: %(exception)s",
            "args": {"exception": exception},
        }
