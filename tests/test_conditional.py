"""Conditional requests: validators sent for pages the store knows, no lookup for pages it never saw."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy.http import Request
from scrapy.utils.test import get_crawler
from sqlalchemy import event
from sqlalchemy.orm import sessionmaker

from aoud_tracker import store
from aoud_tracker.conditional import MARK, ConditionalRequests
from aoud_tracker.runtime import topic_from

if TYPE_CHECKING:
    from pathlib import Path

KNOWN = "https://seoulscreen.example/entertainment/2025/07/aoud-s2-filming.html"
NEVER_SEEN = "https://seoulscreen.example/entertainment/2025/08/aoud-s2-teaser.html"


def _middleware(db_url: str) -> ConditionalRequests:
    crawler = get_crawler(settings_dict={"AOUD_TOPIC": "", "AOUD_DB_URL": db_url})
    middleware = ConditionalRequests.from_crawler(crawler)
    middleware.spider_opened(None)  # type: ignore[arg-type]  # it only needs the store
    return middleware


def test_validators_go_with_a_known_page_and_a_never_seen_one_costs_no_query(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'c.db'}"
    engine = store.make_engine(db_url)
    topic = topic_from(get_crawler(settings_dict={"AOUD_TOPIC": ""}).settings).slug
    with sessionmaker(engine).begin() as session:
        store.keep_validators(session, topic, (KNOWN, '"v1"', "Wed, 23 Jul 2025 09:00:00 GMT"))
    engine.dispose()
    middleware = _middleware(db_url)
    queries: list[str] = []

    def count(*args: Any) -> None:
        queries.append(args[2])

    event.listen(middleware.engine, "before_cursor_execute", count)
    try:
        known = Request(KNOWN, meta={MARK: "article"})
        middleware.process_request(known)
        assert known.headers.get(b"If-None-Match") == b'"v1"'
        assert known.headers.get(b"If-Modified-Since") == b"Wed, 23 Jul 2025 09:00:00 GMT"
        asked = len(queries)
        assert asked >= 1

        never_seen = Request(NEVER_SEEN, meta={MARK: "article"})
        middleware.process_request(never_seen)
        assert len(queries) == asked, "a page the store never validated is not looked up"
        assert b"If-None-Match" not in never_seen.headers
        assert 304 in never_seen.meta["handle_httpstatus_list"]  # a 304 is still read if one comes
    finally:
        middleware.spider_closed(None)  # type: ignore[arg-type]
