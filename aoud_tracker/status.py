"""Crawl history and source health, read from the runs the store recorded.

Each spider run keeps its Scrapy stats in `crawl_runs.stats`; the spiders add one key per source
visited (`aoud/source/<url>` = "ok" or the failure's kind) and the store pipeline one per source
that brought news (`aoud/source_new/<url>` = how many). From those: per source, the last success,
the last run that brought news, how many runs in a row it failed, and the news it brings per run.
A source failing FAILING_RUNS runs in a row is flagged, in `aoud-tracker status` and the digest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy import select

from aoud_tracker.models import CrawlRun

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from aoud_tracker.topic import Topic

SOURCE_OUTCOME: Final = "aoud/source/"
SOURCE_NEW: Final = "aoud/source_new/"
FAILING_RUNS: Final = 3
# The runs read per topic (one per spider per run): with `run` every 3 hours and two spiders,
# 16 a day, so about 12 days. A source last healthy before that shows no last success.
HISTORY_RUNS: Final = 200


@dataclass(frozen=True)
class SourceHealth:
    """One configured source as the recorded runs saw it."""

    name: str
    url: str
    visits: int
    last_success: datetime | None
    last_news: datetime | None
    failing_runs: int
    last_problem: str
    news_per_run: float

    @property
    def flagged(self) -> bool:
        return self.failing_runs >= FAILING_RUNS


@dataclass(frozen=True)
class RunSummary:
    """One spider run as `status` shows it; the counts beyond the table's columns come from its stats."""

    spider: str
    started_at: datetime
    finished_at: datetime | None
    status: str
    pages: int
    bytes_received: int
    not_modified: int
    skipped_old: int
    items_new: int
    items_duplicate: int
    items_updated: int
    items_unchanged: int
    items_dropped: int
    dropped: dict[str, int]
    errors: int
    errors_by_kind: dict[str, int]
    finish_reason: str


def counts_under(stats: dict[str, Any], prefix: str) -> dict[str, int]:
    """The numeric stats whose key starts with `prefix`, by the rest of the key (reason, kind)."""
    return {
        key[len(prefix) :]: int(value)
        for key, value in sorted(stats.items())
        if key.startswith(prefix) and key != prefix and isinstance(value, int | float)
    }


def recent_runs(session: Session, topic: str, limit: int = HISTORY_RUNS) -> list[CrawlRun]:
    """The topic's runs, newest first."""
    query = (
        select(CrawlRun)
        .where(CrawlRun.topic == topic)
        .order_by(CrawlRun.started_at.desc(), CrawlRun.id.desc())
    )
    return list(session.scalars(query.limit(limit)))


def run_summaries(runs: list[CrawlRun]) -> list[RunSummary]:
    return [_summary(run) for run in runs]


def _summary(run: CrawlRun) -> RunSummary:
    stats = run.stats or {}

    def count(key: str) -> int:
        value = stats.get(key, 0)
        return int(value) if isinstance(value, int | float) else 0

    duplicate = count("aoud/stored/merged")
    return RunSummary(
        spider=run.spider, started_at=run.started_at, finished_at=run.finished_at, status=run.status,
        pages=run.pages, bytes_received=count("downloader/response_bytes"),
        not_modified=sum(counts_under(stats, "aoud/not_modified/").values()),
        skipped_old=count("aoud/skipped/old_unchanged"),
        items_new=run.items_new - duplicate, items_duplicate=duplicate, items_updated=run.items_updated,
        items_unchanged=run.items_unchanged, items_dropped=run.items_dropped,
        dropped=counts_under(stats, "aoud/dropped/"), errors=run.errors,
        errors_by_kind=counts_under(stats, "aoud/errors/"), finish_reason=run.finish_reason,
    )  # fmt: skip


def unlisted_sources(runs: list[CrawlRun], topic: Topic) -> list[str]:
    """The sources the runs read that the topic does not list, first seen first.

    Status reports the topic file's sources: a store filled with another topic file (the demo's,
    an older version of this one) shows its sources as never read, and this names what was read.
    """
    listed = {source.url for source in topic.sources}
    seen: dict[str, None] = {}
    for run in reversed(runs):  # oldest first
        for key in run.stats or {}:
            if key.startswith(SOURCE_OUTCOME) and (url := key[len(SOURCE_OUTCOME) :]) not in listed:
                seen.setdefault(url)
    return list(seen)


def source_health(runs: list[CrawlRun], topic: Topic) -> list[SourceHealth]:
    """Every enabled source of the topic, from the runs (newest first) that visited it."""
    health = []
    for source in (s for s in topic.sources if s.enabled):
        visits = [(run, (run.stats or {}).get(SOURCE_OUTCOME + source.url)) for run in runs]
        visits = [(run, outcome) for run, outcome in visits if outcome is not None]
        failing = 0
        for _, outcome in visits:
            if outcome == "ok":
                break
            failing += 1
        news = [int((run.stats or {}).get(SOURCE_NEW + source.url, 0)) for run, _ in visits]
        health.append(
            SourceHealth(
                name=source.name,
                url=source.url,
                visits=len(visits),
                last_success=next((run.started_at for run, outcome in visits if outcome == "ok"), None),
                last_news=next(
                    (run.started_at for (run, _), count in zip(visits, news, strict=True) if count), None
                ),
                failing_runs=failing,
                last_problem=next((str(outcome) for _, outcome in visits if outcome != "ok"), ""),
                news_per_run=round(sum(news) / len(visits), 2) if visits else 0.0,
            )
        )
    return health
