"""Stories to a digest a person reads in a minute: counts, the claims' state, then stories by tag.

The window is the `days` before the store's last activity (not before the clock), so an
unchanged store gives the same digest, and a quiet week still shows the last news. This module
picks what goes in (`digest_window`) and writes it as Markdown, and as plain text for e-mail;
digest_html.py writes the same selection as one HTML page.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Final, TypeAlias

from aoud_tracker.feeds import TAG_LABELS, entry_title, is_spoiler
from aoud_tracker.store import StoryBrief, StoryView

if TYPE_CHECKING:
    from collections.abc import Sequence

    from aoud_tracker.ledger import CastLedger, ReleaseLedger
    from aoud_tracker.topic import Topic

# Each story is listed once, under the first of its tags in this order.
SECTION_ORDER: Final = ("release_date", "cast", "plot", "production")
PER_SECTION: Final = 10


def day_label(value: date | None) -> str:
    """ "18 Nov 2026", the way every digest writes a day (a datetime gives its date)."""
    return value.strftime("%d %b %Y").lstrip("0") if value else "date unknown"


def _md(text: str) -> str:
    """Plain text safe inside Markdown link text and list items, and inert where a viewer renders
    the HTML Markdown allows (a scraped "<script>" title stays text)."""
    flat = " ".join(text.split()).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return flat.replace("[", "(").replace("]", ")").replace("*", "\\*")


Brief: TypeAlias = StoryView | StoryBrief  # a story the digest counts; those it lists are StoryViews


def section_of(story: Brief) -> str:
    return next((tag for tag in SECTION_ORDER if tag in story.tags), "other")


NO_STORIES: Final = "No stories yet. Run `aoud-tracker run` to crawl the sources."


@dataclass(frozen=True)
class DigestWindow:
    """The stories of the digest's days, newest first, and the counts its first line gives.

    `recent` may hold briefs (store.story_briefs) of stories it does not list; the ones it lists
    (`listed_ids`) are in `shown` in full.
    """

    start: datetime
    end: datetime
    recent: list[Brief]
    shown: Mapping[int, StoryView] = field(default_factory=dict)

    @property
    def new(self) -> int:
        return sum(1 for s in self.recent if s.first_seen_at >= self.start)

    @property
    def official(self) -> int:
        return sum(1 for s in self.recent if "official" in s.tags)

    @property
    def sources(self) -> int:
        return sum(s.source_count for s in self.recent)

    def headline(self, strong: str = "") -> str:
        """The counts line; `strong` wraps the story count ("**" in Markdown)."""
        return (
            f"{day_label(self.start)} to {day_label(self.end)}: {strong}{len(self.recent)} stories{strong} "
            f"({self.new} new, "
            f"{len(self.recent) - self.new} updated), {self.official} official, {self.sources} sources."
        )

    def sections(self) -> list[tuple[str, list[Brief]]]:
        """Each story once, under its main tag, in SECTION_ORDER then "other"."""
        grouped: dict[str, list[Brief]] = {name: [] for name in (*SECTION_ORDER, "other")}
        for story in self.recent:  # one pass: a big store's week has thousands of stories
            grouped[section_of(story)].append(story)
        return [(name, members) for name, members in grouped.items() if members]

    def listed_ids(self) -> list[int]:
        """The stories the digest lists: the newest PER_SECTION of each section."""
        return [story.id for _, members in self.sections() for story in members[:PER_SECTION]]

    def listed(self, members: list[Brief]) -> list[StoryView]:
        """A section's listed stories in full."""
        return [s if isinstance(s, StoryView) else self.shown[s.id] for s in members[:PER_SECTION]]


def digest_window(
    stories: Sequence[Brief], end: datetime | None, days: int, shown: Mapping[int, StoryView] | None = None
) -> DigestWindow | None:
    """The `days` up to `end` (the store's last activity); None when the store is empty. `shown`:
    the listed stories in full, where `stories` are briefs."""
    if end is None:
        return None
    start = end - timedelta(days=days)
    recent = sorted((s for s in stories if s.updated_at >= start), key=lambda s: (s.date, s.id), reverse=True)
    return DigestWindow(start, end, recent, shown or {})


def render_digest(
    stories: Sequence[Brief], topic: Topic, end: datetime | None, days: int,
    release: ReleaseLedger | None = None, cast: CastLedger | None = None, failing: Sequence[str] = (),
    shown: Mapping[int, StoryView] | None = None,
) -> str:  # fmt: skip
    """The Markdown digest for the `days` up to `end`, with the claims' state; `failing` names the
    sources that failed several runs in a row; `shown` as for digest_window."""
    lines = [f"# {topic.name}: digest", ""]
    window = digest_window(stories, end, days, shown)
    if window is None:
        return "\n".join([*lines, NO_STORIES, ""])
    lines += [window.headline(strong="**"), ""]
    if failing:
        lines += [f"**Sources failing:** {_md('; '.join(failing))}", ""]
    if release is not None:
        lines += release_watch(release, window.start.date())
    if cast is not None and cast.members:
        lines += cast_watch(cast)
    lines += ["## Stories", ""]
    if not window.recent:
        lines += ["Nothing new in this window.", ""]
    for section, members in window.sections():
        lines += _section(section, members, window.listed(members), topic)
    return "\n".join(lines)


_LINK: Final = re.compile(r"\[([^\]]*)\]\(([^)\s]+)\)")


def markdown_to_text(markdown: str) -> str:
    """The Markdown digest as plain text for an e-mail's text part: links as "text <url>", headings
    underlined, no emphasis marks. Only for the Markdown this module writes."""
    lines = []
    for line in markdown.splitlines():
        heading = re.match(r"^(#+)\s+(.*)$", line)
        if heading:
            title = heading.group(2)
            lines += [title, ("=" if len(heading.group(1)) == 1 else "-") * len(title)]
            continue
        text = _LINK.sub(lambda m: f"{m.group(1)} <{m.group(2)}>", line)
        plain = text.replace("**", "").replace("\\*", "*")
        lines.append(plain.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))
    return "\n".join(lines)


def release_watch(release: ReleaseLedger, since: date) -> list[str]:
    """Release date watch: official status, best guess, and how the claims moved."""
    lines = ["## Release date watch", ""]
    if release.official is not None:
        lines.append(
            f"- **Official:** {release.official.label} (confirmed {day_label(release.official.first_said)})"
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
            "- **How it moved:** " + " → ".join(f"{w.label} ({day_label(w.first_said)})" for w in moved)
        )
    fresh = [w for w in release.contradictions if w.last_said >= since]
    if fresh:
        lines.append(
            f"- **Contradicted this week:** {len(fresh)} rumoured window(s) the official one rules out"
        )
    return [*lines, ""]


def cast_lines(cast: CastLedger) -> list[tuple[str, str]]:
    """(label, people) for the cast sections: returning, new, leaving, rumored, then disputed."""
    lines = []
    for status, label in (
        ("returning", "Returning"),
        ("new", "New"),
        ("leaving", "Leaving"),
        ("rumored", "Rumored"),
    ):
        people = [m for m in cast.members if m.status == status]
        if people:
            lines.append(
                (label, ", ".join(m.actor + (f" ({m.character})" if m.character else "") for m in people))
            )
    disputed = [m.actor for m in cast.members if m.disputed] + [what for what, _ in cast.contradictions]
    if disputed:
        lines.append(("Disputed", "; ".join(disputed)))
    return lines


def cast_watch(cast: CastLedger) -> list[str]:
    """Cast: returning, new, leaving and disputed, one line each."""
    return ["## Cast", "", *(f"- **{label}:** {_md(people)}" for label, people in cast_lines(cast)), ""]


def _section(section: str, stories: list[Brief], listed: list[StoryView], topic: Topic) -> list[str]:
    label = TAG_LABELS.get(section, "Other news")
    lines = [f"### {label} ({len(stories)})", ""]
    for story in listed:
        stance = "official" if "official" in story.tags else "rumor"
        other_tags = [
            TAG_LABELS[t] for t in story.tags if t not in (section, "official", "rumor") and t in TAG_LABELS
        ]
        extra = f" · also: {', '.join(other_tags)}" if other_tags else ""
        lines.append(
            f"- **[{_md(entry_title(story))}]({story.url})** · {day_label(story.date)} · {stance}{extra}"
        )
        if story.summary and not (is_spoiler(story) and not topic.publish.show_spoilers):
            summary = _md(story.summary)
            lines.append(f"  {summary[:280]}{'…' if len(summary) > 280 else ''}")
        sites = ", ".join(
            f"[{_md(src.site or src.url)}]({src.url}) ({day_label(src.published_at)})"
            for src in story.sources
        )
        lines.append(f"  Sources ({len(story.sources)}): {sites}")
    if len(stories) > PER_SECTION:
        lines.append(f"- …and {len(stories) - PER_SECTION} older stories in the feeds.")
    lines.append("")
    return lines
