"""Inline SVG charts for the HTML digest: no script, no external file, readable on a phone.

Two pictures a reader takes in at once: how the claimed release windows moved (each claim a
vertical bar from the window's first to its last day, placed at the day it was claimed; official
ones in red, denied ones dashed), and how many stories each tag had per day.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Sequence

    from aoud_tracker.digest import Brief
    from aoud_tracker.ledger import Window

WIDTH: Final = 640
HEIGHT: Final = 260
MARGIN: Final = (40, 16, 28, 56)  # top, right, bottom, left
HEDGE_COLOURS: Final = {
    "confirmed": "#c62828", "expected": "#1565c0", "rumored": "#8e8e8e", "denied": "#6d4c41",
}  # fmt: skip
TAG_COLOURS: Final = {
    "release_date": "#1565c0", "cast": "#2e7d32", "plot": "#6a1b9a", "production": "#ef6c00",
}  # fmt: skip


@dataclass(frozen=True)
class _Scale:
    low: float
    high: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        span = (self.high - self.low) or 1.0
        return round(self.start + (value - self.low) / span * (self.end - self.start), 1)


def _element(tag: str, content: str = "", **attributes: object) -> str:
    """One SVG element; `stroke_width` becomes stroke-width, a None attribute is left out."""
    pairs = " ".join(
        f'{name.replace("_", "-")}="{escape(str(value))}"'
        for name, value in attributes.items()
        if value is not None
    )
    return f"<{tag} {pairs}>{content}</{tag}>" if content else f"<{tag} {pairs}/>"


def _frame(title: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>{"".join(body)}</svg>'
    )


def _baseline() -> str:
    _, right, bottom, left = MARGIN
    return _element("line", x1=left, x2=WIDTH - right, y1=HEIGHT - bottom, y2=HEIGHT - bottom, stroke="#999")


def _label(text: str, x: float, y: float, **attributes: object) -> str:
    return _element("text", escape(text), x=x, y=y, font_size=11, fill="#555", **attributes)


def release_chart(timeline: Sequence[Window]) -> str:
    """Claimed release windows (y) by the day they were claimed (x); "" when nothing was claimed."""
    claims = [(said.as_of, w) for w in timeline if w.start and w.end for said in w.sources]
    if not claims:
        return ""
    top, right, bottom, left = MARGIN
    first_said = min(day for day, _ in claims)
    last_said = max(day for day, _ in claims)
    earliest = min(w.start for _, w in claims if w.start)
    latest = max(w.end for _, w in claims if w.end)
    x = _Scale(first_said.toordinal() - 15, last_said.toordinal() + 15, left, WIDTH - right)
    y = _Scale(earliest.toordinal(), latest.toordinal(), HEIGHT - bottom, top)
    body = [_baseline(), _element("line", x1=left, x2=left, y1=top, y2=HEIGHT - bottom, stroke="#999")]
    for year in range(first_said.year, last_said.year + 1):
        body.append(_label(str(year), x(max(date(year, 1, 1), first_said).toordinal()), HEIGHT - 8))
    for year in range(earliest.year, latest.year + 1):
        tick = y(max(date(year, 1, 1), earliest).toordinal())
        body.append(_label(str(year), 6, tick))
        body.append(_element("line", x1=left, x2=WIDTH - right, y1=tick, y2=tick, stroke="#eee"))
    body.append(_label("claimed on", WIDTH - right, HEIGHT - 8, text_anchor="end"))
    for said_on, window in sorted(claims, key=lambda pair: pair[1].hedge == "confirmed"):
        assert window.start and window.end
        at = x(said_on.toordinal())
        label = f"{window.label}, {window.hedge}, claimed {said_on.isoformat()}"
        body.append(
            _element(
                "line", f"<title>{escape(label)}</title>", x1=at, x2=at, y1=y(window.start.toordinal()),
                y2=y(window.end.toordinal()), stroke=HEDGE_COLOURS.get(window.hedge, "#8e8e8e"),
                stroke_width=5 if window.hedge == "confirmed" else 3,
                stroke_dasharray="3 3" if window.hedge == "denied" else None, stroke_linecap="round",
            )
        )  # fmt: skip
    body.append(_legend(list(HEDGE_COLOURS.items()), top - 22))
    return _frame("Release windows claimed over time", body)


def _legend(entries: list[tuple[str, str]], y_position: float) -> str:
    items = []
    for index, (name, colour) in enumerate(entries):
        x_position = MARGIN[3] + index * 110
        items.append(_element("rect", x=x_position, y=y_position, width=12, height=12, fill=colour))
        items.append(_element("text", escape(name), x=x_position + 16, y=y_position + 11, font_size=12))
    return "".join(items)


def tags_per_day_chart(stories: Sequence[Brief], first_day: date, last_day: date) -> str:
    """Stories per tag per day over the digest's days, as grouped bars; "" when there are none."""
    days = [first_day + timedelta(days=n) for n in range((last_day - first_day).days + 1)]
    counts = Counter(
        (story.updated_at.date(), tag) for story in stories for tag in story.tags if tag in TAG_COLOURS
    )
    if not counts or not days:
        return ""
    top, right, bottom, left = MARGIN
    tallest = max(counts.values())
    y = _Scale(0, tallest, HEIGHT - bottom, top)
    slot = (WIDTH - left - right) / len(days)
    bar = max(2.0, slot / (len(TAG_COLOURS) + 1))
    body = [_baseline()]
    body += [_label(str(step), left - 18, y(step) + 4) for step in range(tallest + 1)]
    for index, day in enumerate(days):
        x_start = left + index * slot + bar / 2
        body.append(_label(day.strftime("%d %b"), round(x_start, 1), HEIGHT - 8))
        for offset, (tag, colour) in enumerate(TAG_COLOURS.items()):
            if count := counts.get((day, tag), 0):
                tip = f"<title>{escape(tag)}: {count} on {day.isoformat()}</title>"
                body.append(
                    _element(
                        "rect", tip, x=round(x_start + offset * bar, 1), y=y(count), width=round(bar - 1, 1),
                        height=round(y(0) - y(count), 1), fill=colour,
                    )
                )  # fmt: skip
    body.append(_legend(list(TAG_COLOURS.items()), top - 22))
    return _frame("Stories per tag per day", body)
