"""Item pipelines: thin Scrapy adapters over the pure modules, in the order
clean/validate → relevance → dedupe → tag → store.

Every drop raises DropItem with the reason and counts it under `aoud/dropped/<reason>`.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from functools import cached_property
from typing import TYPE_CHECKING, Final, Self

from scrapy.exceptions import DropItem
from scrapy.utils.defer import maybe_deferred_to_future
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import sessionmaker

from aoud_tracker import clusters, store, workpool
from aoud_tracker.batching import WriteBatch
from aoud_tracker.extracted import MIN_BODY_CHARS, body_size
from aoud_tracker.reading import clean_body, clean_title, text_work
from aoud_tracker.relevance import RelevanceScorer
from aoud_tracker.runtime import db_url_from, topic_from
from aoud_tracker.status import SOURCE_NEW
from aoud_tracker.text import clean_text
from aoud_tracker.urls import url_key

if TYPE_CHECKING:
    from collections.abc import Sequence

    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

    from aoud_tracker.items import ArticleItem
    from aoud_tracker.topic import Topic

logger = logging.getLogger(__name__)

MAX_TITLE_CHARS: Final = 500
DEFAULT_MAX_BODY_CHARS: Final = 200_000


def drop(stats: StatsCollector, key: str, item: ArticleItem, reason: str) -> DropItem:
    """Count a dropped item and build the DropItem that logs it with its URL."""
    stats.inc_value(f"aoud/dropped/{key}")
    return DropItem(f"{item.url}: {key}: {reason}")


class _TopicPipeline:
    """Base for pipelines that need the crawl's topic and stats."""

    def __init__(self, topic: Topic, stats: StatsCollector) -> None:
        self.topic, self.stats = topic, stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        assert crawler.stats is not None
        return cls(topic_from(crawler.settings), crawler.stats)


class ValidatePipeline(_TopicPipeline):
    """Drops what is not an article; cleans text fields so nothing downstream sees control bytes,
    and cuts what is too long to be a headline or an article (a hostile or broken page)."""

    def __init__(self, topic: Topic, stats: StatsCollector, max_body: int = DEFAULT_MAX_BODY_CHARS) -> None:
        super().__init__(topic, stats)
        self.max_body = max_body

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        assert crawler.stats is not None
        max_body = crawler.settings.getint("AOUD_MAX_BODY_CHARS", DEFAULT_MAX_BODY_CHARS)
        return cls(topic_from(crawler.settings), crawler.stats, max_body)

    def process_item(self, item: ArticleItem) -> ArticleItem:
        if item.status != "ok":
            raise drop(self.stats, item.status, item, item.status_reason or item.status)
        read = item.reading.cleaned(item.title, item.body) if item.reading else None
        title, body = read or (clean_title(item.title), clean_body(item.body))
        item.title = self._cut(item, "title", title, MAX_TITLE_CHARS)
        item.body = self._cut(item, "body", body, self.max_body)
        item.summary = clean_text(item.summary)[:1000]
        item.author, item.site_name = (
            clean_text(item.author)[:400],
            clean_text(item.site_name)[:200],
        )
        if not item.title:
            raise drop(self.stats, "no_title", item, "no title in the page, its metadata or the feed")
        if body_size(item.body) < MIN_BODY_CHARS:
            raise drop(self.stats, "no_body", item, f"body is {len(item.body)} characters after cleaning")
        return item

    def _cut(self, item: ArticleItem, field: str, text: str, limit: int) -> str:
        """The text, cut at a word boundary before `limit` characters when longer (counted, logged)."""
        if len(text) <= limit:
            return text
        self.stats.inc_value(f"aoud/truncated/{field}")
        logger.info("%s: %s truncated from %d to %d characters", item.url, field, len(text), limit)
        cut = text[:limit]
        return cut.rsplit(None, 1)[0] if " " in cut[-200:] else cut


class RelevancePipeline(_TopicPipeline):
    """Keeps pages about the topic's season; records the score on the item."""

    @cached_property
    def scorer(self) -> RelevanceScorer:
        """Built when a page comes without the work process's verdict (there is none, or the text
        changed on the way): with a work process it is seldom needed, and the first one built took
        11-14 ms of the crawl's start (3 runs)."""
        return RelevanceScorer(self.topic)

    def process_item(self, item: ArticleItem) -> ArticleItem:
        read = item.reading.judged(item.title, item.body) if item.reading else None
        verdict = read or self.scorer.score(item.title, item.body)
        item.relevance = verdict.score
        if not verdict.relevant:
            raise drop(self.stats, "off_topic", item, verdict.reason)
        return item


class DedupePipeline(_TopicPipeline):
    """Gives the item its URL key. The fingerprint and MinHash signature of its text come with its
    tags (TagPipeline), from a work process when there is one."""

    def process_item(self, item: ArticleItem) -> ArticleItem:
        item.url_key = url_key(item.canonical_url or item.url)
        return item


class TagPipeline(_TopicPipeline):
    """Tags the article (release_date, cast, plot, production, spoiler, official/rumor), extracts
    its claims (release windows, cast, plot) and gives its text its dedupe identities; in the
    AOUD_WORK_PROCESSES worker processes when there are any (workpool.py), meanwhile the crawl
    goes on."""

    def __init__(self, topic: Topic, stats: StatsCollector, workers: int = 0) -> None:
        super().__init__(topic, stats)
        self.workers = workers

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        assert crawler.stats is not None
        workers = workpool.configured_processes(crawler.settings)
        return cls(topic_from(crawler.settings), crawler.stats, workers)

    def open_spider(self) -> None:
        self.pool = workpool.acquire(self.topic, self.workers) if self.workers > 0 else None
        # the work processes have their own tagger
        self.tagger = workpool.own_tagger(self.topic) if self.pool is None else None

    def close_spider(self) -> None:
        if self.pool is not None:
            workpool.release(self.pool)
            self.pool = None

    async def process_item(self, item: ArticleItem) -> ArticleItem:
        as_of = item.published_at or item.fetched_at
        reading, item.reading = item.reading, None  # not needed past this step
        read = reading.tagged(item.title, item.body, item.official, as_of) if reading else None
        if read is not None:
            self.stats.inc_value("aoud/tagged_in_workers")
            self.stats.inc_value("aoud/tagged_with_extraction")  # the spider's reading fitted
            work = read
        elif self.pool is None:
            assert self.tagger is not None
            work = text_work(self.tagger, item.title, item.body, item.official, as_of)
        else:
            self.stats.inc_value("aoud/tagged_in_workers")
            tagged = self.pool.tag(item.title, item.body, official=item.official, as_of=as_of)
            work = await maybe_deferred_to_future(tagged)
        item.tags, item.claims = work.tagging.tags, work.tagging.claims
        item.fingerprint, item.signature = work.fingerprint, work.signature
        for tag in item.tags:
            self.stats.inc_value(f"aoud/tagged/{tag}")
        return item


class StorePipeline:
    """Writes items with their pages' validators, several per short transaction (batching.py);
    counts aoud/stored/<outcome>."""

    def __init__(
        self, topic: Topic, db_url: str, stats: StatsCollector, batch_items: int = 1,
        batch_seconds: float = 0.0,
    ) -> None:  # fmt: skip
        self.topic, self.db_url, self.stats = topic, db_url, stats
        self.batch_items, self.batch_seconds = batch_items, batch_seconds

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        assert crawler.stats is not None
        settings = crawler.settings
        return cls(
            topic_from(settings), db_url_from(settings), crawler.stats,
            settings.getint("AOUD_STORE_BATCH_ITEMS", 1), settings.getfloat("AOUD_STORE_BATCH_SECONDS", 0.0),
        )  # fmt: skip

    def open_spider(self) -> None:
        self.engine = store.make_engine(self.db_url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        with store.write_transaction(self.sessions) as session:  # the backfill reads, then writes
            self.source_ids = store.sync_sources(session, self.topic.slug, self.topic.sources)
            if backfilled := clusters.backfill(session, self.topic.slug, self.topic.dedupe_threshold):
                logger.info("indexed %d earlier articles for near-duplicate search", backfilled)
        self.writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="aoud-store")
        self.batch: WriteBatch[ArticleItem, str] = WriteBatch(
            self._write, self.batch_items, self.batch_seconds, self.writer
        )

    async def close_spider(self) -> None:
        await self.batch.drain()
        self.writer.shutdown(wait=True)
        self.engine.dispose()

    async def process_item(self, item: ArticleItem) -> ArticleItem:
        try:
            outcome = await self.batch.add(item)
        except DBAPIError as error:
            raise self._not_stored(item, error) from error
        self.stats.inc_value(f"aoud/stored/{outcome}")
        if outcome in ("new", "merged") and item.source_url:
            self.stats.inc_value(f"{SOURCE_NEW}{item.source_url}")  # per-source health (status.py)
        logger.debug("%s %s", outcome, item.url)
        return item

    def _write(self, items: Sequence[ArticleItem]) -> list[str | Exception]:
        entries = [(item, self.source_ids.get(item.source_url)) for item in items]
        return store.store_items(self.sessions, self.topic.slug, entries, self.topic.dedupe_threshold)

    def _not_stored(self, item: ArticleItem, error: DBAPIError) -> DropItem:
        """The store failed this item (its server restarted, the disk is full…): nothing of it was
        written, its page's validators neither, so the next run fetches and stores it."""
        self.stats.inc_value("aoud/errors")
        self.stats.inc_value("aoud/errors/store")
        logger.warning("%s: not stored (%s); the next run stores it", item.url, store.error_reason(error))
        item.validators = None  # a 304 next time must not stand for a page that was never stored
        return DropItem(f"{item.url}: not stored")
