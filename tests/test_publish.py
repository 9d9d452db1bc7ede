"""Publishing from the store: files written atomically, untouched when unchanged, digest readable."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import feedparser
import pytest
from lxml import etree

from aoud_tracker import store
from aoud_tracker.digest import markdown_to_text, render_digest
from aoud_tracker.findings import TAGS
from aoud_tracker.publish import publish, write_if_changed
from tests.factories import FETCHED, article
from tests.feedcheck import problems
from tests.test_feeds import story

if TYPE_CHECKING:
    from pathlib import Path

    from sqlalchemy.orm import Session, sessionmaker

    from aoud_tracker.topic import Topic

RUMOR_BODY = (
    "Industry sources say All of Us Are Dead Season 2 could premiere in early 2027 after a long "
    "post-production period for the effects-heavy outbreak scenes set across Seoul.\n\n"
    "Netflix has not commented on the report, and earlier release rumours for the zombie drama turned out "
    "to be wrong more than once since the renewal in June 2022."
)


def fill(sessions: sessionmaker[Session], topic: Topic) -> None:
    old = article(
        "https://hallyu.example/news/2025/01/old/",
        title="An old rumour about the second season",
        body=RUMOR_BODY,
        tags=("release_date", "rumor"),
        fetched=FETCHED - timedelta(days=30),
        published=datetime(2025, 1, 2, tzinfo=UTC),
    )
    with sessions.begin() as session:
        store.save_article(session, topic.slug, old)
        store.save_article(session, topic.slug, article())
        copy = article("https://kculture.example/stories/copy.html", site="K-Culture Now")
        store.save_article(session, topic.slug, copy)


def test_publish_writes_valid_feeds_and_a_digest(
    sessions: sessionmaker[Session], topic: Topic, tmp_path: Path
) -> None:
    fill(sessions, topic)
    with sessions() as session:
        result = publish(session, topic, tmp_path / "feeds")
    feeds = tmp_path / "feeds"
    written = {p.relative_to(feeds).as_posix() for p in result.paths}
    per_feed = {
        "all": ("rss.xml", "atom.xml", "feed.json"),
        "claims": ("claims.xml", "claims.atom.xml", "claims.json"),
        **{
            tag: tuple(f"tags/{tag.replace('_', '-')}{ext}" for ext in (".xml", ".atom.xml", ".json"))
            for tag in TAGS
        },
    }
    assert written == {f for files in per_feed.values() for f in files} | {
        "index.opml",
        "digest.md",
        "digest.html",
        "digest.txt",
    }
    assert result.stories == 2
    for name in ("rss.xml", "atom.xml"):
        parsed = feedparser.parse((tmp_path / "feeds" / name).read_bytes())
        assert not parsed.bozo
        assert [e.title for e in parsed.entries] == [
            "All of Us Are Dead Season 2 starts filming",
            "An old rumour about the second season",
        ]
    digest = (tmp_path / "feeds" / "digest.md").read_text(encoding="utf-8")
    assert "All of Us Are Dead Season 2 starts filming" in digest
    assert "K-Culture Now" in digest and "Seoul Screen Daily" in digest
    assert "An old rumour" not in digest, "30 days old: outside the 7-day window"
    left = {p.relative_to(feeds).as_posix() for p in feeds.rglob("*") if p.is_file()}
    assert left == written, "no temp files left"


@pytest.fixture
def feeds(sessions: sessionmaker[Session], topic: Topic, tmp_path: Path) -> Path:
    """The feeds folder after publishing the filled store."""
    fill(sessions, topic)
    with sessions() as session:
        publish(session, topic, tmp_path / "feeds")
    return tmp_path / "feeds"


def test_every_feed_is_valid_and_served_where_its_self_link_says(feeds: Path) -> None:
    base = feeds.resolve().as_uri() + "/"
    files = [path for path in feeds.rglob("*") if path.suffix in (".xml", ".json")]
    assert len(files) == 3 * (2 + len(TAGS))
    assert [
        problem for path in files for problem in problems(path, base + path.relative_to(feeds).as_posix())
    ] == []


def test_tag_feeds_hold_only_their_tag_and_ids_are_unique_across_all_feeds(feeds: Path) -> None:
    """A reader subscribed to everything (index.opml) sees each story once per feed it is in."""
    rumor = feedparser.parse((feeds / "tags" / "rumor.xml").read_bytes())
    assert [e.title for e in rumor.entries] == ["An old rumour about the second season"]
    production = feedparser.parse((feeds / "tags" / "production.atom.xml").read_bytes())
    assert [e.title for e in production.entries] == ["All of Us Are Dead Season 2 starts filming"]
    outlines = etree.fromstring((feeds / "index.opml").read_bytes()).findall(".//outline")
    assert len(outlines) == 2 + len(TAGS)
    ids: list[str] = []
    for outline in outlines:
        served = outline.get("xmlUrl", "")
        path = feeds / served.removeprefix(feeds.resolve().as_uri() + "/")
        assert path.is_file(), served
        ids += [e.id for e in feedparser.parse(path.read_bytes()).entries]
    assert len(ids) == len(set(ids))


def test_publishing_an_unchanged_store_touches_nothing(
    sessions: sessionmaker[Session], topic: Topic, tmp_path: Path
) -> None:
    fill(sessions, topic)
    with sessions() as session:
        publish(session, topic, tmp_path)
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.rglob("*") if p.is_file()}
    with sessions() as session:
        again = publish(session, topic, tmp_path)
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.rglob("*") if p.is_file()}
    assert again.changed == ()
    assert after == before


def test_write_if_changed_replaces_atomically(tmp_path: Path) -> None:
    target = tmp_path / "rss.xml"
    assert write_if_changed(target, b"one")
    inode = target.stat().st_ino
    assert not write_if_changed(target, b"one")
    assert write_if_changed(target, b"two")
    assert target.read_bytes() == b"two"
    assert target.stat().st_ino != inode, "a new file renamed over the old one, never written in place"


def test_digest_groups_each_story_once_by_its_main_tag(topic: Topic) -> None:
    end = datetime(2026, 11, 24, tzinfo=UTC)
    stories = [
        story(1, tags=("cast", "official", "release_date"), updated_at=end),
        story(2, title="Cast news", tags=("cast", "rumor"), updated_at=end - timedelta(days=1)),
        story(3, title="Too old", tags=("plot", "rumor"), updated_at=end - timedelta(days=9)),
    ]
    digest = render_digest(stories, topic, end, days=7)
    assert "**2 stories**" in digest
    assert digest.index("### Release date (1)") < digest.index("### Cast (1)")
    assert digest.count("Netflix confirms All of Us Are Dead Season 2") == 1
    assert "also: Cast" in digest
    assert "Too old" not in digest


def test_digest_of_an_empty_store_says_so(topic: Topic) -> None:
    assert "No stories yet" in render_digest([], topic, None, days=7)


def test_a_hostile_title_stays_text_in_every_digest(topic: Topic) -> None:
    end = datetime(2026, 11, 24, tzinfo=UTC)
    hostile = story(1, title="<script>alert(1)</script> & news", updated_at=end)
    markdown = render_digest([hostile], topic, end, days=7)
    assert "<script>" not in markdown and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; news" in markdown
    assert "<script>alert(1)</script> & news" in markdown_to_text(markdown), "plain text shows it as written"
