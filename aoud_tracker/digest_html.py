"""The digest as one self-contained HTML page: inline CSS, two inline SVG charts, no script needed.

Same selection as the Markdown digest (digest.digest_window), laid out for a phone: counts,
the release-date watch with a chart of how the claimed windows moved, the cast, then the
stories by tag with their sources and a chart of stories per tag per day.
"""

from __future__ import annotations

from html import escape
from textwrap import shorten
from typing import TYPE_CHECKING, Final

from aoud_tracker.charts import release_chart, tags_per_day_chart
from aoud_tracker.digest import NO_STORIES, PER_SECTION, cast_lines, day_label, digest_window
from aoud_tracker.feeds import TAG_LABELS, entry_title, is_spoiler

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from datetime import datetime

    from aoud_tracker.digest import Brief
    from aoud_tracker.ledger import CastLedger, ReleaseLedger
    from aoud_tracker.store import StoryView
    from aoud_tracker.topic import Topic

SUMMARY_CHARS: Final = 280
STYLE: Final = " ".join(
    [
        "body{font:16px/1.5 system-ui,-apple-system,'Segoe UI',sans-serif;color:#222;max-width:46em;",
        "margin:0 auto;padding:1em}",
        "h1{font-size:1.5em;margin:.2em 0}",
        "h2{font-size:1.2em;border-bottom:1px solid #ddd;margin-top:1.6em}",
        "h3{font-size:1.05em;margin-bottom:.3em}",
        "ul{padding-left:1.2em} li{margin:.5em 0}",
        ".meta,.sources{color:#666;font-size:.9em} .official{color:#c62828;font-weight:600}",
        ".tag{display:inline-block;background:#eef;border-radius:3px;padding:0 .3em;font-size:.8em}",
        "figure{margin:1em 0} svg{max-width:100%;height:auto} a{color:#0b57d0}",
    ]
)


def render_html_digest(
    stories: Sequence[Brief], topic: Topic, end: datetime | None, days: int,
    release: ReleaseLedger, cast: CastLedger, failing: Sequence[str] = (),
    shown: Mapping[int, StoryView] | None = None,
) -> str:  # fmt: skip
    """The whole page, deterministic for the same rows."""
    title = f"{topic.name}: digest"
    head = (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{escape(title)}</title>'
        f"<style>{STYLE}</style></head><body><h1>{escape(title)}</h1>"
    )
    window = digest_window(stories, end, days, shown)
    if window is None:
        return f"{head}<p>{escape(NO_STORIES)}</p></body></html>\n"
    parts = [head, f"<p class=meta>{escape(window.headline())}</p>"]
    if failing:
        parts.append(f"<p><strong class=official>Sources failing:</strong> {escape('; '.join(failing))}</p>")
    parts += _release_watch(release)
    parts += _cast(cast)
    parts.append("<h2>Stories</h2>")
    chart = tags_per_day_chart(window.recent, window.start.date(), window.end.date())
    if chart:
        parts.append(f"<figure>{chart}<figcaption class=meta>Stories per tag per day</figcaption></figure>")
    if not window.recent:
        parts.append("<p>Nothing new in this window.</p>")
    for section, members in window.sections():
        parts.append(f"<h3>{escape(TAG_LABELS.get(section, 'Other news'))} ({len(members)})</h3><ul>")
        parts += [_story(story, topic) for story in window.listed(members)]
        if len(members) > PER_SECTION:
            parts.append(f"<li>…and {len(members) - PER_SECTION} older stories in the feeds.</li>")
        parts.append("</ul>")
    parts.append("</body></html>\n")
    return "".join(parts)


def _release_watch(release: ReleaseLedger) -> list[str]:
    parts = ["<h2>Release date watch</h2><ul>"]
    if release.official is not None:
        confirmed = day_label(release.official.first_said)
        window = escape(release.official.label)
        parts.append(f"<li><span class=official>Official:</span> {window} (confirmed {confirmed})</li>")
    else:
        parts.append("<li><span class=official>Official:</span> no release date announced yet</li>")
    if release.best is not None and release.best is not release.official:
        best = release.best
        parts.append(
            f"<li>Best guess: {escape(best.label)}, {escape(best.hedge)}, {len(best.sources)} source(s)</li>"
        )
    if release.contradictions:
        parts.append(
            f"<li>{len(release.contradictions)} rumoured window(s) contradicted by the official one</li>"
        )
    parts.append("</ul>")
    if chart := release_chart(release.timeline):
        parts.append(f"<figure>{chart}<figcaption class=meta>Each bar is a window one source claimed, "
                     "placed at the day it was claimed.</figcaption></figure>")  # fmt: skip
    return parts


def _cast(cast: CastLedger) -> list[str]:
    if not cast.members:
        return []
    lines = [f"<li><strong>{label}:</strong> {escape(people)}</li>" for label, people in cast_lines(cast)]
    return ["<h2>Cast</h2><ul>", *lines, "</ul>"]


def _story(story: StoryView, topic: Topic) -> str:
    stance = '<span class="official">official</span>' if "official" in story.tags else "rumor"
    tags = "".join(
        f"<span class=tag>{escape(TAG_LABELS[t])}</span>"
        for t in story.tags
        if t in TAG_LABELS and t != "rumor"
    )
    summary = ""
    if story.summary and not (is_spoiler(story) and not topic.publish.show_spoilers):
        summary = f"<br>{escape(shorten(story.summary, SUMMARY_CHARS, placeholder='…'))}"
    sources = ", ".join(
        f'<a href="{escape(src.url)}">{escape(src.site or src.url)}</a>'
        + (f" ({day_label(src.published_at)})" if src.published_at else "")
        for src in story.sources
    )
    when = day_label(story.date)
    return (
        f'<li><a href="{escape(story.url)}"><strong>{escape(entry_title(story))}</strong></a> '
        f"<span class=meta>· {when} · {stance}</span> {tags}{summary}"
        f"<br><span class=sources>Sources ({len(story.sources)}): {sources}</span></li>"
    )
