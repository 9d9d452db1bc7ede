"""Stories to RSS 2.0, Atom 1.0 (feedgen) and JSON Feed 1.1 (jsonfeed.py, from the same entries).

Everything in a feed comes from the stored rows, never from the clock: the same rows give
the same bytes, so publishing an unchanged store leaves the files as they were. Every scraped
string passes sanitize.py on its way in.

Ids: a story's entry id in the all-stories feed is its permanent story id. In a per-tag feed it
is that id plus the tag, because readers such as newsboat keep one item per id across all the
feeds a person follows: with shared ids, a story would show in only one of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from html import escape
from typing import TYPE_CHECKING, Final

from feedgen.feed import FeedGenerator

from aoud_tracker import __version__
from aoud_tracker.jsonfeed import json_feed
from aoud_tracker.sanitize import safe_html, xml_text

if TYPE_CHECKING:
    from collections.abc import Sequence

    from aoud_tracker.store import StoryView
    from aoud_tracker.topic import Topic
    from aoud_tracker.transitions import Transition

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


def story_guid(topic: Topic, story_id: int, tag: str | None = None) -> str:
    """The story's permanent id: a tag: URI from the internal id, never its URL, title or date;
    in a per-tag feed, with the tag appended (see the module docstring)."""
    guid = f"tag:{topic.publish.id_authority},{ID_YEAR}:{topic.slug}:story:{story_id}"
    return f"{guid}:tag:{tag}" if tag else guid


def transition_guid(topic: Topic, transition: Transition) -> str:
    """A claim transition's permanent id: from what changed, never from the article that said so."""
    return f"tag:{topic.publish.id_authority},{ID_YEAR}:{topic.slug}:claim:{transition.digest}"


def feed_id(topic: Topic, name: str) -> str:
    return f"tag:{topic.publish.id_authority},{ID_YEAR}:{topic.slug}:feed:{name}"


@dataclass(frozen=True)
class FeedTarget:
    """Where a feed is served (for rel="self") and what it is called."""

    name: str
    rss_url: str
    atom_url: str
    json_url: str


def is_spoiler(story: StoryView) -> bool:
    return "spoiler" in story.tags


def entry_title(story: StoryView) -> str:
    title = xml_text(story.title)
    return f"[Spoiler] {title}" if is_spoiler(story) else title


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
    if story.claims:
        claims = "".join(f"<li>{escape(line)}</li>" for line in story.claims)
        parts.append(f"<p>Claims:</p><ul>{claims}</ul>")
    items = []
    for source in story.sources:
        when = source.published_at.strftime("%Y-%m-%d") if source.published_at else "date unknown"
        site = escape(source.site or source.url)
        items.append(f'<li><a href="{escape(source.url)}">{site}</a>, {when}</li>')
    parts.append(f"<p>Sources ({len(story.sources)}):</p><ul>{''.join(items)}</ul>")
    return safe_html("".join(parts))


def build_feed(
    stories: Sequence[StoryView], topic: Topic, target: FeedTarget, title: str, tag: str | None = None
) -> FeedGenerator:
    """A FeedGenerator holding the stories newest first (a per-tag feed names its tag); see render()."""
    ordered = sorted(stories, key=lambda s: (s.date, s.id), reverse=True)
    built = max((s.updated_at for s in ordered), default=EMPTY_FEED_TIME)
    subtitle = f"News and rumors about {topic.name}, one entry per story, every source listed."
    feed = _new_feed(topic, target, title, subtitle, built)
    feed.load_extension("dc")
    for story in ordered:
        _add_entry(feed, story, topic, tag)
    return feed


def _new_feed(topic: Topic, target: FeedTarget, title: str, subtitle: str, built: datetime) -> FeedGenerator:
    """A feed's head: id, titles, generator and dates (from the data, never the clock)."""
    feed = FeedGenerator()
    feed.id(feed_id(topic, target.name))
    feed.title(xml_text(title))
    feed.subtitle(xml_text(subtitle))
    feed.author({"name": "aoud-tracker"})
    feed.generator("aoud-tracker", version=__version__)
    feed.language("en")
    feed.ttl(TTL_MINUTES)
    feed.updated(built)
    feed.lastBuildDate(built)
    return feed


def _add_entry(feed: FeedGenerator, story: StoryView, topic: Topic, tag: str | None) -> None:
    entry = feed.add_entry(order="append")
    guid = story_guid(topic, story.id, tag)
    entry.id(guid)
    entry.guid(guid, permalink=False)
    entry.title(entry_title(story))
    entry.link(href=story.url, rel="alternate")
    entry.published(min(story.date, story.updated_at))  # a date past our own fetch is no date to show
    entry.updated(story.updated_at)
    entry.summary(entry_html(story, topic.publish.show_spoilers), type="html")
    for name in story.tags:  # not `tag`: the feed's own tag named the GUID above
        entry.category(term=name)
    authors = list(dict.fromkeys(xml_text(s.author) for s in story.sources if s.author))
    if authors:
        entry.author([{"name": name} for name in authors[:3]])
        entry.dc.dc_creator(", ".join(authors[:3]))


def build_claims_feed(transitions: Sequence[Transition], topic: Topic, target: FeedTarget) -> FeedGenerator:
    """One entry per change in what is known (see transitions.py), newest first."""
    ordered = [t for _, t in sorted(enumerate(transitions), key=lambda p: (p[1].when, p[0]), reverse=True)]
    ordered = ordered[: topic.publish.feed_limit]
    built = _midnight(ordered[0].when) if ordered else EMPTY_FEED_TIME
    subtitle = (
        "One entry each time the state of knowledge changes: a release window reported, confirmed or "
        "denied, a cast member joining or leaving, a page contradicting the known cast."
    )
    feed = _new_feed(topic, target, f"{topic.name}: what changed (aoud-tracker)", subtitle, built)
    for transition in ordered:
        entry = feed.add_entry(order="append")
        guid = transition_guid(topic, transition)
        entry.id(guid)
        entry.guid(guid, permalink=False)
        entry.title(xml_text(transition.title))
        entry.link(href=transition.url, rel="alternate")
        entry.published(_midnight(transition.when))
        entry.updated(_midnight(transition.when))
        entry.summary(_transition_html(transition), type="html")
        entry.category(term=transition.kind)
    return feed


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), UTC)


def _transition_html(transition: Transition) -> str:
    parts = [f"<p>{escape(transition.detail)}</p>"] if transition.detail else []
    parts.append(
        f'<p>Said by <a href="{escape(transition.url)}">{escape(transition.site or transition.url)}</a> '
        f"on {transition.when.isoformat()}:</p><blockquote>{escape(transition.sentence)}</blockquote>"
    )
    return safe_html("".join(parts))


@dataclass(frozen=True)
class Rendered:
    """One feed in its three formats."""

    rss: bytes
    atom: bytes
    json: bytes


def render(feed: FeedGenerator, topic: Topic, target: FeedTarget) -> Rendered:
    """RSS, Atom and JSON Feed bytes, each with its own self link."""
    home = topic.homepage or target.rss_url
    rendered: list[bytes] = []
    for self_url, to_bytes in ((target.rss_url, feed.rss_str), (target.atom_url, feed.atom_str)):
        # feedgen takes the last link as RSS's <link>: the alternate (the show's page) goes last.
        feed.link([{"href": self_url, "rel": "self"}, {"href": home, "rel": "alternate"}], replace=True)
        rendered.append(to_bytes(pretty=True))
    return Rendered(rendered[0], rendered[1], json_feed(feed, feed_url=target.json_url, home_url=home))
