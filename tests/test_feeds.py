"""RSS and Atom from fixed rows: valid for feedparser, stable ids, no clock, spoilers hidden."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import feedparser
import pytest
from lxml import etree

from aoud_tracker.feeds import FeedTarget, build_feed, render, story_guid
from aoud_tracker.store import SourceView, StoryView

if TYPE_CHECKING:
    from aoud_tracker.topic import Topic

TARGET = FeedTarget("all", "https://fans.example/aoud/rss.xml", "https://fans.example/aoud/atom.xml")


def story(story_id: int = 7, **changes: object) -> StoryView:
    base = StoryView(
        id=story_id,
        title="Netflix confirms All of Us Are Dead Season 2 for early 2027",
        url=f"https://seoulscreen.example/entertainment/2026/11/story-{story_id}.html",
        summary="The streamer gives the zombie series its first official release window.",
        published_at=datetime(2026, 11, 19, 1, 30, tzinfo=UTC),
        first_seen_at=datetime(2026, 11, 19, 2, 0, tzinfo=UTC),
        updated_at=datetime(2026, 11, 20, 8, 0, tzinfo=UTC),
        tags=("official", "release_date"),
        sources=(
            SourceView(
                f"https://seoulscreen.example/entertainment/2026/11/story-{story_id}.html",
                "Seoul Screen Daily",
                "Netflix confirms…",
                datetime(2026, 11, 19, 1, 30, tzinfo=UTC),
                "Kim Min-seo",
                False,
            ),
            SourceView(
                f"https://kculture.example/stories/story-{story_id}.html",
                "K-Culture Now",
                "Netflix confirms…",
                None,
                "",
                False,
            ),
        ),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def rendered(topic: Topic, stories: list[StoryView]) -> tuple[bytes, bytes]:
    return render(build_feed(stories, topic, TARGET, "AOUD S2"), topic, TARGET)


def test_feeds_parse_cleanly_with_expected_entries(topic: Topic) -> None:
    undated = story(
        8, title="Second story", published_at=None, first_seen_at=datetime(2026, 11, 18, tzinfo=UTC)
    )
    rss, atom = rendered(topic, [undated, story(7)])
    for data, version in ((rss, "rss20"), (atom, "atom10")):
        parsed = feedparser.parse(data)
        assert not parsed.bozo, parsed.get("bozo_exception")
        assert parsed.version == version
        titles = [e.title for e in parsed.entries]
        assert titles == ["Netflix confirms All of Us Are Dead Season 2 for early 2027", "Second story"]
        first = parsed.entries[0]
        assert first.id == story_guid(topic, 7)
        assert first.link == "https://seoulscreen.example/entertainment/2026/11/story-7.html"
        assert {t.term for t in first.tags} == {"official", "release_date"}
        assert "K-Culture Now" in (first.get("summary") or first.get("description"))


def test_guid_is_a_tag_uri_of_the_story_id_only(topic: Topic) -> None:
    guid = story_guid(topic, 42)
    assert guid.startswith("tag:") and guid.endswith(":story:42")
    moved = story(
        42, title="Retitled", url="https://elsewhere.example/x", updated_at=datetime(2027, 1, 1, tzinfo=UTC)
    )
    parsed = [feedparser.parse(rendered(topic, [s])[0]).entries[0].id for s in (story(42), moved)]
    assert parsed == [guid, guid]


def test_same_rows_give_the_same_bytes(topic: Topic) -> None:
    """No clock in the feed: rendering twice (even a second apart) gives identical files."""
    assert rendered(topic, [story(1), story(2)]) == rendered(topic, [story(1), story(2)])


def test_feed_times_come_from_the_rows(topic: Topic) -> None:
    rss, atom = rendered(topic, [story(1), story(2, updated_at=datetime(2026, 11, 24, 6, 0, tzinfo=UTC))])
    assert b"<lastBuildDate>Tue, 24 Nov 2026 06:00:00 +0000</lastBuildDate>" in rss
    assert feedparser.parse(atom).feed.updated == "2026-11-24T06:00:00+00:00"


def test_self_links_point_at_each_feed_and_link_at_the_show(topic: Topic) -> None:
    rss, atom = rendered(topic, [story()])
    assert etree.fromstring(rss).findtext("channel/link") == topic.homepage
    rss_self = etree.fromstring(rss).xpath("//*[local-name()='link' and @rel='self']/@href")
    atom_self = etree.fromstring(atom).xpath("//*[local-name()='link' and @rel='self']/@href")
    assert rss_self == [TARGET.rss_url]
    assert atom_self == [TARGET.atom_url]


def test_spoiler_stories_are_marked_and_hide_their_summary(topic: Topic) -> None:
    secret = "Nam-ra dies in the finale"
    rss, _ = rendered(topic, [story(tags=("plot", "rumor", "spoiler"), summary=secret)])
    entry = feedparser.parse(rss).entries[0]
    assert entry.title.startswith("[Spoiler]")
    assert secret not in rss.decode()


def test_scraped_markup_is_escaped_not_executed(topic: Topic) -> None:
    rss, atom = rendered(
        topic, [story(title="<script>alert(1)</script> & more", summary="<img src=x onerror=alert(1)>")]
    )
    for data in (rss, atom):
        parsed = feedparser.parse(data)
        assert not parsed.bozo
        assert parsed.entries[0].title == "<script>alert(1)</script> & more", "shown as text"
        assert "<img" not in parsed.entries[0].summary


@pytest.mark.parametrize("stories", [[], [story()]], ids=["empty", "one"])
def test_atom_has_required_elements(topic: Topic, stories: list[StoryView]) -> None:
    _, atom = rendered(topic, stories)
    root = etree.fromstring(atom)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    for required in ("a:id", "a:title", "a:updated", "a:author/a:name"):
        assert root.xpath(required, namespaces=ns), required
    for entry in root.xpath("a:entry", namespaces=ns):
        for required in (
            "a:id",
            "a:title",
            "a:updated",
            "a:link[not(@rel) or @rel='alternate']",
            "a:summary[@type='html']",
        ):
            assert entry.xpath(required, namespaces=ns), required
