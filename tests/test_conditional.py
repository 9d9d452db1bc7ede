"""The conditional-request middleware reads a page's stored validators (on the driver's cursor,
prepared.py) on both databases, leaves no read open behind it, and asks unconditionally when the
store cannot answer."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import pytest
from scrapy import Request
from scrapy.utils.test import get_crawler
from sqlalchemy import text
from sqlalchemy.orm import sessionmaker

from aoud_tracker.conditional import MARK, NOT_MODIFIED, ConditionalRequests
from aoud_tracker.models import SourceCopy, utcnow
from aoud_tracker.store import keep_validators
from aoud_tracker.upsert import upsert

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sqlalchemy.engine import Engine

TOPIC = "aoud-s2"  # the bundled topic's slug, which AOUD_TOPIC="" loads
ARTICLE = "https://news.example.com/2026/03/aoud-season-2-cast.html"
FEED = "https://news.example.com/rss.xml"
LAST_MODIFIED = "Sun, 01 Mar 2026 09:30:15 GMT"


@pytest.fixture
def middleware(engine: Engine, db_url: str) -> Iterator[ConditionalRequests]:
    crawler = get_crawler(settings_dict={"AOUD_TOPIC": "", "AOUD_DB_URL": db_url})
    crawler.stats.open_spider()
    conditional = ConditionalRequests.from_crawler(crawler)
    assert conditional.topic == TOPIC
    conditional.spider_opened(None)
    yield conditional
    conditional.spider_closed(None)


def asked(middleware: ConditionalRequests, url: str, kind: str) -> Request:
    request = Request(url, meta={MARK: kind})
    middleware.process_request(request)
    return request


def test_stored_validators_make_the_request_conditional(
    middleware: ConditionalRequests, engine: Engine
) -> None:
    with sessionmaker(engine).begin() as session:
        keep_validators(session, TOPIC, (ARTICLE, '"v7-article"', LAST_MODIFIED))
        keep_validators(session, "another-show", (FEED, '"other-topic"', ""))
        upsert(session, SourceCopy, {"topic": TOPIC, "url": FEED, "etag": '"v3-feed"', "last_modified": "",
                                     "content_type": "application/rss+xml", "body": b"<rss/>",
                                     "seen_at": utcnow()}, ("topic", "url"))  # fmt: skip

    article = asked(middleware, ARTICLE, "article")
    assert article.headers.get(b"If-None-Match") == b'"v7-article"'
    assert article.headers.get(b"If-Modified-Since") == LAST_MODIFIED.encode()
    assert NOT_MODIFIED in article.meta["handle_httpstatus_list"]

    feed = asked(middleware, FEED, "source")  # a source's validators come from its kept copy
    assert feed.headers.get(b"If-None-Match") == b'"v3-feed"'
    assert b"If-Modified-Since" not in feed.headers  # stored empty: not sent

    as_article = asked(middleware, FEED, "article")  # another topic's validators are not ours
    assert b"If-None-Match" not in as_article.headers

    unknown = asked(middleware, ARTICLE.replace("cast", "plot"), "article")
    assert b"If-None-Match" not in unknown.headers and b"If-Modified-Since" not in unknown.headers

    unmarked = Request(ARTICLE)  # robots.txt and the like: left alone
    middleware.process_request(unmarked)
    assert b"If-None-Match" not in unmarked.headers and "handle_httpstatus_list" not in unmarked.meta


def test_a_lookup_leaves_no_read_open(middleware: ConditionalRequests, engine: Engine) -> None:
    """The lookups run outside SQLAlchemy's transactions: none may keep a snapshot open, which
    on SQLite would stop the WAL from being checkpointed for the whole crawl."""
    with sessionmaker(engine).begin() as session:
        keep_validators(session, TOPIC, (ARTICLE, '"v1"', ""))
    for _ in range(3):
        assert asked(middleware, ARTICLE, "article").headers.get(b"If-None-Match") == b'"v1"'
    with sessionmaker(engine).begin() as session:  # another writer goes on meanwhile
        keep_validators(session, TOPIC, (ARTICLE, '"v2"', ""))
    assert asked(middleware, ARTICLE, "article").headers.get(b"If-None-Match") == b'"v2"'
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            busy, _, _ = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
        assert busy == 0, "a reader held the WAL"
    else:
        with engine.connect() as connection:
            idle_in_transaction = connection.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND state LIKE 'idle in transaction%'"
            )).scalar_one()  # fmt: skip
        assert idle_in_transaction == 0


def test_a_store_that_cannot_answer_means_an_unconditional_request(
    middleware: ConditionalRequests, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    with sessionmaker(engine).begin() as session:
        keep_validators(session, TOPIC, (ARTICLE, '"v1"', ""))
        session.execute(text("DROP TABLE http_validators"))
    with caplog.at_level(logging.WARNING, logger="aoud_tracker.conditional"):
        request = asked(middleware, ARTICLE, "article")
    assert b"If-None-Match" not in request.headers
    assert middleware.crawler.stats.get_value("aoud/store/lookup_failed") == 1
    warning = next(r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)
    assert warning.startswith(f"{ARTICLE}: validators not read (") and "http_validators" in warning
    feed = asked(middleware, FEED, "source")  # the other table still answers: the next lookups go on
    assert b"If-None-Match" not in feed.headers
    assert middleware.crawler.stats.get_value("aoud/store/lookup_failed") == 1
