"""RSS and Atom from fixed rows: valid for feedparser, stable ids, no clock, spoilers hidden."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import feedparser
import pytest
from lxml import etree
from lxml import html as lxml_html

from aoud_tracker.feeds import FeedTarget, build_feed, render, story_guid
from aoud_tracker.store import SourceView, StoryView

if TYPE_CHECKING:
    from aoud_tracker.topic import Topic

TARGET = FeedTarget(
    "all",
    "https://fans.example/aoud/rss.xml",
    "https://fans.example/aoud/atom.xml",
    "https://fans.example/aoud/feed.json",
)


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
    formats = render(build_feed(stories, topic, TARGET, "AOUD S2"), topic, TARGET)
    return formats.rss, formats.atom


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


def test_a_hostile_page_yields_a_harmless_entry_that_every_format_parses(topic: Topic) -> None:
    """A script for a title, a CMS's control characters, "]]>" and a javascript: link."""
    hostile = story(
        9,
        title="<script>alert(1)</script> Season 2\x0b news ]]> &amp; more\x1f",
        summary='<img src=x onerror="alert(1)">Leak\x0c <a href="javascript:alert(1)">here</a>',
        sources=(SourceView("https://bad.example/a", "Bad\x08 Site <b>", "t", None, "Eve\x0b", False),),
    )
    formats = render(build_feed([hostile], topic, TARGET, "AOUD S2"), topic, TARGET)
    for data in (formats.rss, formats.atom):
        etree.fromstring(data)  # lxml refuses any character XML 1.0 forbids
        parsed = feedparser.parse(data)
        assert not parsed.bozo, parsed.get("bozo_exception")
        (entry,) = parsed.entries
        assert entry.title.startswith("<script>alert(1)</script> Season 2"), "shown as text, not run"
        assert active_parts(entry.get("summary") or entry.get("description")) == []
    document = json.loads(formats.json)
    (item,) = document["items"]
    assert "\x0b" not in item["title"] and active_parts(item["content_html"]) == []


def active_parts(html: str) -> list[str]:
    """Whatever in an HTML fragment a browser would run: scripts, frames, handlers, javascript: links."""
    tree = lxml_html.fragment_fromstring(html, create_parent="div")
    found = [el.tag for el in tree.iter() if el.tag in ("script", "iframe", "style", "svg", "object")]
    for element in tree.iter():
        found += [name for name in element.attrib if name.lower().startswith("on")]
        found += [v for v in element.attrib.values() if v.strip().lower().startswith("javascript:")]
    return found


def test_json_feed_has_the_same_entries_and_its_required_fields(topic: Topic) -> None:
    formats = render(build_feed([story(7), story(8)], topic, TARGET, "AOUD S2"), topic, TARGET)
    document = json.loads(formats.json)
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert document["title"] == "AOUD S2" and document["feed_url"] == TARGET.json_url
    atom_ids = [e.id for e in feedparser.parse(formats.atom).entries]
    assert [item["id"] for item in document["items"]] == atom_ids
    for item in document["items"]:
        assert item["url"].startswith("https://") and item["content_html"]
        assert datetime.fromisoformat(item["date_published"]).tzinfo is not None


def test_a_per_tag_feed_gives_each_story_its_own_id(topic: Topic) -> None:
    """newsboat keeps one item per id across every feed: the cast feed must not reuse the main ids."""
    main = feedparser.parse(rendered(topic, [story(7)])[0]).entries[0].id
    tagged = render(build_feed([story(7)], topic, TARGET, "AOUD S2: Cast", tag="cast"), topic, TARGET)
    in_tag = feedparser.parse(tagged.rss).entries[0].id
    assert in_tag != main and in_tag == story_guid(topic, 7, "cast") and in_tag.startswith(main)


def test_an_entry_lists_the_claims_its_story_carries(topic: Topic) -> None:
    lines = ("Release window: early 2027, confirmed", "Cast: Roh Jae-won as Han Du-seok, new")
    rss, _ = rendered(topic, [story(claims=lines)])
    html = feedparser.parse(rss).entries[0].description
    assert all(line in html for line in lines)


def test_no_entry_is_dated_after_the_fetch_that_found_it(topic: Topic) -> None:
    """A page claiming to be published in 2030 is shown as published when it was fetched."""
    future = story(published_at=datetime(2030, 1, 1, tzinfo=UTC))
    _, atom = rendered(topic, [future])
    entry = feedparser.parse(atom).entries[0]
    assert entry.published == "2026-11-20T08:00:00+00:00" == entry.updated
