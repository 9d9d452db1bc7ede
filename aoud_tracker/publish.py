"""Publishing: read the store, write every feed, the OPML list and the digest, atomically.

Feeds (each as RSS 2.0, Atom 1.0 and JSON Feed 1.1): all stories (`rss.xml`, `atom.xml`,
`feed.json`), one per tag under `tags/` (`tags/cast.xml`, `tags/cast.atom.xml`,
`tags/cast.json`…) and the claim transitions (`claims.xml`…); `index.opml` lists them all. The
digest is written as Markdown, one self-contained HTML page and plain text.

A file whose new bytes equal the old ones is not touched (same bytes, same mtime), so feed
readers' conditional requests keep getting 304 Not Modified. The changed files are replaced all
or none: a disk that fills up mid-way leaves the previous set whole, never some feeds new and
others old.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Final

from aoud_tracker import ledger, store
from aoud_tracker.digest import digest_window, markdown_to_text, render_digest
from aoud_tracker.digest_html import render_html_digest
from aoud_tracker.feeds import TAG_LABELS, FeedTarget, build_claims_feed, build_feed, render
from aoud_tracker.findings import TAGS
from aoud_tracker.opml import Subscription, render_opml
from aoud_tracker.status import recent_runs, source_health
from aoud_tracker.transitions import claim_transitions

if TYPE_CHECKING:
    from feedgen.feed import FeedGenerator
    from sqlalchemy.orm import Session

    from aoud_tracker.topic import Topic


OPML_FILE: Final = "index.opml"


def feed_files(name: str) -> tuple[str, str, str]:
    """A feed's RSS, Atom and JSON Feed paths inside feeds/: "all", "claims" or a tag's name."""
    if name == "all":
        return "rss.xml", "atom.xml", "feed.json"
    if name == "claims":
        return "claims.xml", "claims.atom.xml", "claims.json"
    stem = "tags/" + name.replace("_", "-")
    return f"{stem}.xml", f"{stem}.atom.xml", f"{stem}.json"


@dataclass(frozen=True)
class Published:
    """What a publish wrote: every path, and which of them changed."""

    paths: tuple[Path, ...]
    changed: tuple[Path, ...]
    stories: int


class PublishError(OSError):
    """Writing the outputs failed (disk full, permission denied…): the original errno and reason,
    and which published files were already replaced (none when it failed while writing, as a full
    disk does; only a failed rename, which needs no free space, can leave some replaced)."""

    def __init__(self, error: OSError, replaced: tuple[Path, ...]) -> None:
        super().__init__(error.errno, error.strerror or str(error))
        self.replaced = replaced


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write through a temporary file and a rename, unless the file already holds these bytes."""
    return bool(write_all({path: data}))


def write_all(files: dict[Path, bytes]) -> tuple[Path, ...]:
    """Replace every file whose bytes changed, all or none; return the paths replaced.

    Each new version is written and synced to a temporary file beside its target first, and the
    renames start only once every one of them is on disk, so running out of space half-way leaves
    the previous files exactly as they were; the temporaries are removed (PublishError).
    """
    staged: dict[Path, Path] = {}
    replaced: list[Path] = []
    try:
        for path, data in files.items():
            if _differs(path, data):
                staged[path] = _stage(path, data)
        for path, temporary in staged.items():
            temporary.replace(path)
            replaced.append(path)
    except OSError as exc:
        for path, temporary in staged.items():
            if path not in replaced:
                temporary.unlink(missing_ok=True)
        raise PublishError(exc, tuple(replaced)) from exc
    except BaseException:  # an interrupt: no temporary file is left behind either
        for temporary in staged.values():
            temporary.unlink(missing_ok=True)
        raise
    return tuple(replaced)


def _differs(path: Path, data: bytes) -> bool:
    try:
        return path.read_bytes() != data
    except FileNotFoundError:
        return True


def _stage(path: Path, data: bytes) -> Path:
    """The bytes in a synced temporary file beside `path` (a dot file: `serve` never lists it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    temporary = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())  # where ext4, XFS or NFS report a full disk, if write() did not
        temporary.chmod(0o644)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def feed_target(topic: Topic, feeds_dir: Path, name: str = "all") -> FeedTarget:
    """The URLs a feed is served at: publish.base_url when set, else their file:// paths."""
    base = topic.publish.base_url or feeds_dir.resolve().as_uri() + "/"
    rss, atom, json = feed_files(name)
    return FeedTarget(name=name, rss_url=base + rss, atom_url=base + atom, json_url=base + json)


def publish(session: Session, topic: Topic, feeds_dir: Path) -> Published:
    """Rebuild every feed, the OPML list and the digest from the store, replacing the changed files
    all or none (PublishError when they cannot be written)."""
    with ledger.claims_read_once(session):
        return _publish(session, topic, feeds_dir)


def _publish(session: Session, topic: Topic, feeds_dir: Path) -> Published:
    limit = topic.publish.feed_limit
    stories = store.list_stories(session, topic.slug, limit=limit)
    outputs: dict[Path, bytes] = {}
    subscriptions: list[Subscription] = []

    def add(name: str, title: str, feed: FeedGenerator, target: FeedTarget) -> None:
        rendered = render(feed, topic, target)
        for path, data in zip(feed_files(name), (rendered.rss, rendered.atom, rendered.json), strict=True):
            outputs[feeds_dir / path] = data
        subscriptions.append(Subscription(title, target.rss_url, topic.homepage or target.rss_url))

    target = feed_target(topic, feeds_dir)
    title = f"{topic.name} (aoud-tracker)"
    add("all", title, build_feed(stories, topic, target, title), target)
    for tag in TAGS:
        tagged = store.list_stories(session, topic.slug, tag=tag, limit=limit)
        target = feed_target(topic, feeds_dir, tag)
        title = f"{topic.name}: {TAG_LABELS[tag]} (aoud-tracker)"
        add(tag, title, build_feed(tagged, topic, target, title, tag=tag), target)
    target = feed_target(topic, feeds_dir, "claims")
    title = f"{topic.name}: what changed (aoud-tracker)"
    add("claims", title, build_claims_feed(claim_transitions(session, topic), topic, target), target)
    outputs[feeds_dir / OPML_FILE] = render_opml(f"{topic.name}: every feed (aoud-tracker)", subscriptions)
    outputs.update({feeds_dir / name: data for name, data in digests(session, topic).items()})
    return Published(tuple(outputs), write_all(outputs), len(stories))


def digests(session: Session, topic: Topic, days: int | None = None) -> dict[str, bytes]:
    """digest.md, digest.html and digest.txt for the `days` (the topic's digest_days by default)
    up to the store's last activity."""
    days = days or topic.publish.digest_days
    end = store.last_activity(session, topic.slug)
    window = store.story_briefs(
        session, topic.slug, since=None if end is None else end - timedelta(days=days)
    )
    counted = digest_window(window, end, days)
    listed = [] if counted is None else counted.listed_ids()
    shown = {story.id: story for story in store.list_stories(session, topic.slug, ids=listed, limit=None)}
    release, cast = ledger.release_ledger(session, topic.slug), ledger.cast_ledger(session, topic)
    failing = [
        f"{h.name} ({h.failing_runs} runs, {h.last_problem})"
        for h in source_health(recent_runs(session, topic.slug), topic)
        if h.flagged
    ]
    markdown = render_digest(window, topic, end, days, release, cast, failing, shown)
    return {
        "digest.md": markdown.encode("utf-8"),
        "digest.html": render_html_digest(window, topic, end, days, release, cast, failing, shown).encode(
            "utf-8"
        ),
        "digest.txt": markdown_to_text(markdown).encode("utf-8"),
    }
