"""Publishing: read the store, write the story feeds, the claims feeds and the digest atomically.

A file whose new bytes equal the old ones is not touched (same bytes, same mtime), so feed
readers' conditional requests keep getting 304 Not Modified.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Final

from aoud_tracker import ledger, store
from aoud_tracker.digest import render_digest
from aoud_tracker.feeds import FeedTarget, build_claims_feed, build_feed, render
from aoud_tracker.transitions import claim_transitions

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from aoud_tracker.topic import Topic


# Each feed's RSS and Atom file names.
FEED_FILES: Final = {"all": ("rss.xml", "atom.xml"), "claims": ("claims.xml", "claims.atom.xml")}


@dataclass(frozen=True)
class Published:
    """What a publish wrote: every path, and which of them changed."""

    paths: tuple[Path, ...]
    changed: tuple[Path, ...]
    stories: int


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write through a temporary file and a rename, unless the file already holds these bytes."""
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        Path(temporary).chmod(0o644)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True


def feed_target(topic: Topic, feeds_dir: Path, name: str = "all") -> FeedTarget:
    """The URLs a feed is served at: publish.base_url when set, else their file:// paths."""
    base = topic.publish.base_url or feeds_dir.resolve().as_uri() + "/"
    rss, atom = FEED_FILES[name]
    return FeedTarget(name=name, rss_url=base + rss, atom_url=base + atom)


def publish(session: Session, topic: Topic, feeds_dir: Path) -> Published:
    """Rebuild the feeds and the digest from the store."""
    stories = store.list_stories(session, topic.slug, limit=topic.publish.feed_limit)
    target = feed_target(topic, feeds_dir)
    rss, atom = render(build_feed(stories, topic, target, f"{topic.name} (aoud-tracker)"), topic, target)
    end = store.last_activity(session, topic.slug)
    window = store.list_stories(
        session,
        topic.slug,
        limit=None,
        order="updated",
        since=None if end is None else end - timedelta(days=topic.publish.digest_days),
    )
    release, cast = ledger.release_ledger(session, topic.slug), ledger.cast_ledger(session, topic)
    digest = render_digest(window, topic, end, topic.publish.digest_days, release, cast).encode("utf-8")
    claims_target = feed_target(topic, feeds_dir, "claims")
    claims_rss, claims_atom = render(
        build_claims_feed(claim_transitions(session, topic), topic, claims_target), topic, claims_target
    )
    outputs = {
        feeds_dir / "rss.xml": rss,
        feeds_dir / "atom.xml": atom,
        feeds_dir / "claims.xml": claims_rss,
        feeds_dir / "claims.atom.xml": claims_atom,
        feeds_dir / "digest.md": digest,
    }
    changed = tuple(path for path, data in outputs.items() if write_if_changed(path, data))
    return Published(tuple(outputs), changed, len(stories))
