"""Stories to a Markdown digest a person reads in a minute: counts, then stories by tag.

The window is the `days` before the store's last activity (not before the clock), so an
unchanged store gives the same digest, and a quiet week still shows the last news.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Final

from aoud_tracker.feeds import TAG_LABELS, entry_title, is_spoiler

if TYPE_CHECKING:
    from collections.abc import Sequence

    from aoud_tracker.ledger import CastLedger, ReleaseLedger
    from aoud_tracker.store import StoryView
    from aoud_tracker.topic import Topic

# Each story is listed once, under the first of its tags in this order.
SECTION_ORDER: Final = ("release_date", "cast", "plot", "production")
PER_SECTION: Final = 10


def _day(value: datetime | None) -> str:
    return value.strftime("%d %b %Y").lstrip("0") if value else "date unknown"


def _md(text: str) -> str:
    """Plain text safe inside Markdown link text and list items."""
    return " ".join(text.split()).replace("[", "(").replace("]", ")").replace("*", "\\*")


def section_of(story: StoryView) -> str:
    return next((tag for tag in SECTION_ORDER if tag in story.tags), "other")


def render_digest(
    stories: Sequence[StoryView], topic: Topic, end: datetime | None, days: int,
    release: ReleaseLedger | None = None, cast: CastLedger | None = None,
) -> str:  # fmt: skip
    """The digest for the `days` up to `end` (the store's last activity), with the claims' state."""
    lines = [f"# {topic.name}: digest", ""]
    if end is None:
        return "\n".join([*lines, "No stories yet. Run `aoud-tracker run` to crawl the sources.", ""])
    start = end - timedelta(days=days)
    recent = sorted((s for s in stories if s.updated_at >= start), key=lambda s: (s.date, s.id), reverse=True)
    new = sum(1 for s in recent if s.first_seen_at >= start)
    official = sum(1 for s in recent if "official" in s.tags)
    sources = sum(len(s.sources) for s in recent)
    lines += [
        f"{_day(start)} to {_day(end)}: **{len(recent)} stories** ({new} new, {len(recent) - new} updated), "
        f"{official} official, {sources} sources.",
        "",
    ]
    if release is not None:
        lines += release_watch(release, start.date())
    if cast is not None and cast.members:
        lines += cast_watch(cast)
    lines += ["## Stories", ""]
    if not recent:
        lines += ["Nothing new in this window.", ""]
    for section in (*SECTION_ORDER, "other"):
        members = [s for s in recent if section_of(s) == section]
        if members:
            lines += _section(section, members, topic)
    return "\n".join(lines)


def _day_of(value: date) -> str:
    return value.strftime("%d %b %Y").lstrip("0")


def release_watch(release: ReleaseLedger, since: date) -> list[str]:
    """Release date watch: official status, best guess, and how the claims moved."""
    lines = ["## Release date watch", ""]
    if release.official is not None:
        lines.append(
            f"- **Official:** {release.official.label} (confirmed {_day_of(release.official.first_said)})"
        )
    else:
        lines.append("- **Official:** no release date announced yet")
    if release.best is not None and release.best is not release.official:
        best = release.best
        lines.append(f"- **Best guess:** {best.label}, {best.hedge}, {len(best.sources)} source(s)")
    distinct = {(w.start, w.end): w for w in release.timeline if w.start is not None}  # latest hedge wins
    moved = sorted(distinct.values(), key=lambda w: w.first_said)[-4:]
    if moved:
        lines.append(
            "- **How it moved:** " + " → ".join(f"{w.label} ({_day_of(w.first_said)})" for w in moved)
        )
    fresh = [w for w in release.contradictions if w.last_said >= since]
    if fresh:
        lines.append(
            f"- **Contradicted this week:** {len(fresh)} rumoured window(s) the official one rules out"
        )
    return [*lines, ""]


def cast_watch(cast: CastLedger) -> list[str]:
    """Cast: returning, new, leaving and disputed, one line each."""
    lines = ["## Cast", ""]
    for status, label in (
        ("returning", "Returning"),
        ("new", "New"),
        ("leaving", "Leaving"),
        ("rumored", "Rumored"),
    ):
        people = [m for m in cast.members if m.status == status]
        if people:
            names = ", ".join(f"{m.actor}" + (f" ({m.character})" if m.character else "") for m in people)
            lines.append(f"- **{label}:** {_md(names)}")
    disputed = [m.actor for m in cast.members if m.disputed] + [what for what, _ in cast.contradictions]
    if disputed:
        lines.append(f"- **Disputed:** {_md('; '.join(disputed))}")
    return [*lines, ""]


def _section(section: str, stories: list[StoryView], topic: Topic) -> list[str]:
    label = TAG_LABELS.get(section, "Other news")
    lines = [f"### {label} ({len(stories)})", ""]
    for story in stories[:PER_SECTION]:
        stance = "official" if "official" in story.tags else "rumor"
        other_tags = [
            TAG_LABELS[t] for t in story.tags if t not in (section, "official", "rumor") and t in TAG_LABELS
        ]
        extra = f" · also: {', '.join(other_tags)}" if other_tags else ""
        lines.append(f"- **[{_md(entry_title(story))}]({story.url})** · {_day(story.date)} · {stance}{extra}")
        if story.summary and not (is_spoiler(story) and not topic.publish.show_spoilers):
            summary = _md(story.summary)
            lines.append(f"  {summary[:280]}{'…' if len(summary) > 280 else ''}")
        sites = ", ".join(
            f"[{_md(src.site or src.url)}]({src.url}) ({_day(src.published_at)})" for src in story.sources
        )
        lines.append(f"  Sources ({len(story.sources)}): {sites}")
    if len(stories) > PER_SECTION:
        lines.append(f"- …and {len(stories) - PER_SECTION} older stories in the feeds.")
    lines.append("")
    return lines
