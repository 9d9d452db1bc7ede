"""JSON Feed 1.1 (https://jsonfeed.org/version/1.1) from a feed already built for RSS and Atom.

One FeedGenerator holds a feed's entries; this writes the same entries as JSON, so the three
formats can never disagree. Output is deterministic (keys in a fixed order, no clock), so an
unchanged store gives unchanged bytes.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from datetime import datetime

    from feedgen.entry import FeedEntry
    from feedgen.feed import FeedGenerator

VERSION: Final = "https://jsonfeed.org/version/1.1"


def json_feed(feed: FeedGenerator, *, feed_url: str, home_url: str, language: str = "en") -> bytes:
    """The feed as JSON Feed 1.1 bytes: its title, description, links and every entry."""
    document: dict[str, Any] = {
        "version": VERSION,
        "title": feed.title(),
        "home_page_url": home_url,
        "feed_url": feed_url,
        "description": feed.subtitle() or "",
        "language": language,
        "authors": [{"name": "aoud-tracker"}],
        "items": [_item(entry) for entry in feed.entry()],
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _item(entry: FeedEntry) -> dict[str, Any]:
    links = [link["href"] for link in entry.link() or [] if link.get("rel", "alternate") == "alternate"]
    summary = entry.summary() or {}
    item: dict[str, Any] = {
        "id": entry.id(),
        "url": links[0] if links else None,
        "title": entry.title(),
        "content_html": summary.get("summary", "") if isinstance(summary, dict) else str(summary),
        "date_published": _rfc3339(entry.published()),
        "date_modified": _rfc3339(entry.updated()),
        "tags": [category["term"] for category in entry.category() or []],
    }
    if authors := entry.author():
        item["authors"] = [{"name": author["name"]} for author in authors if author.get("name")]
    return {key: value for key, value in item.items() if value not in (None, [])}


def _rfc3339(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment is not None else None
