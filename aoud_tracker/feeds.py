"""Stories to RSS 2.0 and Atom 1.0 with feedgen (the only module that touches feedgen).

Everything in a feed comes from the stored rows, never from the clock: the same rows give
the same bytes, so publishing an unchanged store leaves the files as they were.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from typing import TYPE_CHECKING, Final

from feedgen.feed import FeedGenerator

from aoud_tracker import __version__

if TYPE_CHECKING:
    from collections.abc import Sequence

    from aoud_tracker.store import StoryView
    from aoud_tracker.topic import Topic

TTL_MINUTES: Final = 60
ID_YEAR: Final = 2026  # the tag: URI date; fixed forever so ids never change
EMPTY_FEED_TIME: Final = datetime(2000, 1, 1, tzinfo=UTC)
TAG_LABELS: Final = {
    "release_date": "Release date",
    "cast": "Cast",
    "plot": "Plot",
    "production": "Production",
    "spoiler": "Spoiler",
    "official": "Official",
    "rumor": "Rumor",
}


def story_guid(topic: Topic, story_id: int) -> str:
    """The story's permanent id: a tag: URI from the internal id, never its URL, title or date."""
    return f"tag:{topic.publish.id_authority},{ID_YEAR}:{topic.slug}:story:{story_id}"


def feed_id(topic: Topic, name: str) -> str:
    return f"tag:{topic.publish.id_authority},{ID_YEAR}:{topic.slug}:feed:{name}"


@dataclass(frozen=True)
class FeedTarget:
    """Where a feed is served (for rel="self") and what it is called."""

    name: str
    rss_url: str
    atom_url: str


def is_spoiler(story: StoryView) -> bool:
    return "spoiler" in story.tags


def entry_title(story: StoryView) -> str:
    return f"[Spoiler] {story.title}" if is_spoiler(story) else story.title


def entry_html(story: StoryView, show_spoilers: bool) -> str:
    """The entry's HTML: summary (hidden for spoilers unless allowed), tags, and every source."""
    parts: list[str] = []
    if is_spoiler(story) and not show_spoilers:
        parts.append("<p><em>Spoiler warning: open the story to read the details.</em></p>")
    elif story.summary:
        parts.append(f"<p>{escape(story.summary)}</p>")
    if story.tags:
        labels = ", ".join(escape(TAG_LABELS.get(t, t)) for t in story.tags)
        parts.append(f"<p>Tags: {labels}</p>")
    items = []
    for source in story.sources:
        when = source.published_at.strftime("%Y-%m-%d") if source.published_at else "date unknown"
        site = escape(source.site or source.url)
        items.append(f'<li><a href="{escape(source.url)}">{site}</a>, {when}</li>')
    parts.append(f"<p>Sources ({len(story.sources)}):</p><ul>{''.join(items)}</ul>")
    return "".join(parts)


def build_feed(stories: Sequence[StoryView], topic: Topic, target: FeedTarget, title: str) -> FeedGenerator:
    """A FeedGenerator holding the stories newest first; render with rss_str/atom_str."""
    ordered = sorted(stories, key=lambda s: (s.date, s.id), reverse=True)
    built = max((s.updated_at for s in ordered), default=EMPTY_FEED_TIME)
    feed = FeedGenerator()
    feed.load_extension("dc")
    feed.id(feed_id(topic, target.name))
    feed.title(title)
    feed.subtitle(f"News and rumors about {topic.name}, one entry per story, every source listed.")
    feed.author({"name": "aoud-tracker"})
    feed.generator("aoud-tracker", version=__version__)
    feed.language("en")
    feed.ttl(TTL_MINUTES)
    feed.updated(built)
    feed.lastBuildDate(built)
    for story in ordered:
        _add_entry(feed, story, topic)
    return feed


def _add_entry(feed: FeedGenerator, story: StoryView, topic: Topic) -> None:
    entry = feed.add_entry(order="append")
    guid = story_guid(topic, story.id)
    entry.id(guid)
    entry.guid(guid, permalink=False)
    entry.title(entry_title(story))
    entry.link(href=story.url, rel="alternate")
    entry.published(story.date)
    entry.updated(max(story.updated_at, story.date))
    entry.summary(entry_html(story, topic.publish.show_spoilers), type="html")
    for tag in story.tags:
        entry.category(term=tag)
    authors = list(dict.fromkeys(s.author for s in story.sources if s.author))
    if authors:
        entry.author([{"name": name} for name in authors[:3]])
        entry.dc.dc_creator(", ".join(authors[:3]))


def render(feed: FeedGenerator, topic: Topic, target: FeedTarget) -> tuple[bytes, bytes]:
    """RSS and Atom bytes, each with its own rel="self" link."""
    home = topic.homepage or target.rss_url
    rendered: list[bytes] = []
    for self_url, to_bytes in ((target.rss_url, feed.rss_str), (target.atom_url, feed.atom_str)):
        # feedgen takes the last link as RSS's <link>: the alternate (the show's page) goes last.
        feed.link([{"href": self_url, "rel": "self"}, {"href": home, "rel": "alternate"}], replace=True)
        rendered.append(to_bytes(pretty=True))
    return rendered[0], rendered[1]
