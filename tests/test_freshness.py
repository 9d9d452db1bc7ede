"""Which stored articles a crawl asks for again: the revisit age, the source's change time, every address."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pytest
from scrapy.settings import Settings

from aoud_tracker import store
from aoud_tracker.freshness import StoredPages
from aoud_tracker.spiders.base import SharedCrawl
from aoud_tracker.spiders.sites import lastmod
from tests.factories import FETCHED, article

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

TOPIC = "aoud-s2"
NOW = FETCHED + timedelta(days=1)
OLD = "https://seoulscreen.example/2025/07/filming.html"
RECENT = "https://seoulscreen.example/2026/11/trailer.html"
UNDATED = "https://hallyuwire.example/news/teaser"


@pytest.fixture
def filled(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    """Three stored articles: published long ago, published yesterday, and undated (first seen now)."""
    body = "All of Us Are Dead Season 2 {} news with Park Ji-hu and Lomon back for the second season."
    with sessions.begin() as session:
        store.save_article(session, TOPIC, article(OLD, body=body.format("filming")))
        store.save_article(
            session,
            TOPIC,
            article(RECENT, body=body.format("trailer"), published=FETCHED - timedelta(days=1)),
        )
        store.save_article(session, TOPIC, article(UNDATED, body=body.format("teaser"), published=None))
        store.save_article(  # the old article reached again under a tracking link
            session, TOPIC, article(OLD + "?utm_source=rss", body=body.format("filming"))
        )
    return sessions


def test_only_old_articles_are_skipped_and_only_while_their_source_lists_no_change(
    filled: sessionmaker[Session],
) -> None:
    with filled() as session:
        pages = StoredPages.load(session, TOPIC, 14, NOW)
    assert pages.skip(OLD, None)
    assert pages.skip("https://www.seoulscreen.example/2025/07/filming.html?fbclid=x#top", None), (
        "same identity"
    )
    assert pages.skip(OLD, FETCHED - timedelta(days=300)), "listed as changed before we fetched it"
    assert not pages.skip(OLD, FETCHED + timedelta(hours=2)), "the source lists a change since our fetch"
    assert not pages.skip(RECENT, None), "recent articles are still asked for, conditionally"
    assert not pages.skip(UNDATED, None), "an undated article is as old as its first sighting"
    assert not pages.skip("https://seoulscreen.example/2025/07/other.html", None), "never stored"


def test_the_revisit_age_is_a_setting_and_zero_turns_the_rule_off(filled: sessionmaker[Session]) -> None:
    with filled() as session:
        assert StoredPages.load(session, TOPIC, 0, NOW).fetched_at == {}
        assert not StoredPages.load(session, TOPIC, 500, NOW).skip(OLD, None)
        assert StoredPages.load(session, TOPIC, 14, NOW + timedelta(days=30)).skip(UNDATED, None)
        assert StoredPages.load(session, "another-show", 14, NOW).fetched_at == {}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-20T10:15:00+09:00", datetime(2026, 11, 20, 1, 15, tzinfo=UTC)),
        ("2026-11-20T01:15:00Z", datetime(2026, 11, 20, 1, 15, tzinfo=UTC)),
        ("2026-11-20", datetime(2026, 11, 20, 23, 59, 59, tzinfo=UTC)),  # some time that day
        ("", None),
        ("yesterday", None),
    ],
)
def test_sitemap_lastmod(text: str, expected: datetime | None) -> None:
    assert lastmod({"loc": "https://x.example/a", "lastmod": text}) == expected


def test_the_spiders_of_one_crawl_read_the_old_pages_once(filled: sessionmaker[Session], db_url: str) -> None:
    shared = SharedCrawl()
    first = shared.stored_pages(Settings({"AOUD_DB_URL": db_url}), TOPIC)
    assert first.skip(OLD, None), "read from the store"
    unusable = Settings({"AOUD_DB_URL": "nosuchdb://nowhere/x"})  # would fail if read again
    assert shared.stored_pages(unusable, TOPIC) is first, "the second spider gets the same pages"
    off = Settings({"AOUD_DB_URL": db_url, "AOUD_REVISIT_DAYS": 0})
    assert SharedCrawl().stored_pages(off, TOPIC).fetched_at == {}
