"""Named stretches of a year ("early 2027", "Q4 2026", "late January 2027"): their days, the words
for a start..end of days, and whether two windows share a day.

No prose is read here: windows.py reads windows out of sentences, with patterns that take
0.10-0.17 s to import and build with the cues they use (0.10-0.13 s in 3 runs on 2026-12-08).
The ledger, its transitions and every query command describe stored windows with these alone.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Final


def month_end(year: int, month: int) -> date:
    """The last day of the month."""
    return date(year, month, calendar.monthrange(year, month)[1])


def season_days(year: int, part: str) -> tuple[date, date]:
    """The days of a part of the year as news writes it ("early", "mid", "summer", "winter": from December
    into the next year)."""
    part = part.lower().replace("-", " ").strip()
    spans = {
        "early": ((1, 1), (4, 30)), "beginning of": ((1, 1), (4, 30)), "start of": ((1, 1), (4, 30)),
        "mid": ((5, 1), (8, 31)), "middle of": ((5, 1), (8, 31)),
        "late": ((9, 1), (12, 31)), "end of": ((9, 1), (12, 31)), "the end of": ((9, 1), (12, 31)),
        "spring": ((3, 1), (5, 31)), "summer": ((6, 1), (8, 31)), "fall": ((9, 1), (11, 30)),
        "autumn": ((9, 1), (11, 30)),
    }  # fmt: skip
    if part == "winter":
        return date(year, 12, 1), month_end(year + 1, 2)
    if part == "holiday season":
        return date(year, 11, 15), date(year, 12, 31)
    (m1, d1), (m2, d2) = spans[part]
    return date(year, m1, d1), date(year, m2, d2)


_SEASON_NAMES: Final = ("early", "mid", "late", "spring", "summer", "fall", "winter")
_HALVES: Final = ((1, "first half of"), (7, "second half of"))
_MONTH_PARTS: Final = (("early", 1, 10), ("mid", 11, 20), ("late", 21, 31))


@dataclass(frozen=True)
class _Unit:
    label: str
    start: date
    end: date
    precision: str


def _units(year: int) -> list[_Unit]:
    """Every named stretch of one year, coarsest first: what a window's ends can be called."""
    units = [_Unit(str(year), date(year, 1, 1), date(year, 12, 31), "year")]
    units += [
        _Unit(f"{name} {year}", date(year, m, 1), month_end(year, m + 5), "half") for m, name in _HALVES
    ]
    units += [_Unit(f"{part} {year}", *season_days(year, part), "season") for part in _SEASON_NAMES]
    units += [
        _Unit(f"Q{q} {year}", date(year, 3 * q - 2, 1), month_end(year, 3 * q), "quarter")
        for q in range(1, 5)
    ]
    for month in range(1, 13):
        name = calendar.month_name[month]
        units.append(_Unit(f"{name} {year}", date(year, month, 1), month_end(year, month), "month"))
        last_day = month_end(year, month).day
        units += [
            _Unit(f"{part} {name} {year}", date(year, month, first), date(year, month, min(last, last_day)),
                  "part_of_month")
            for part, first, last in _MONTH_PARTS
        ]  # fmt: skip
    return units


def describe_window(start: date, end: date, precision: str | None) -> str:
    """A window in the words a reader uses: "early 2027", "late January 2027", "Q4 2026 to Q1 2027".

    Windows are stored as days, so the same window reads the same whichever language or phrasing
    claimed it; a span no name fits is given as its days.
    """
    if start == end:
        return f"{start.day} {calendar.month_name[start.month]} {start.year}"
    units = sorted(
        _units(start.year) + (_units(end.year) if end.year != start.year else []),
        key=lambda unit: unit.precision != precision,  # the stated precision first, stable otherwise
    )
    for unit in units:
        if (unit.start, unit.end) == (start, end):
            return unit.label
    first = next((unit for unit in units if unit.start == start), None)
    last = next((unit for unit in units if unit.end == end), None)
    if first and last:
        same_year = first.end.year == last.start.year == start.year
        opening = first.label.removesuffix(f" {start.year}") if same_year else first.label
        return f"{opening} to {last.label}"
    return f"{describe_window(start, start, 'day')} to {describe_window(end, end, 'day')}"


def overlap(first: tuple[date | None, date | None], second: tuple[date | None, date | None]) -> bool:
    """True when two start..end windows share a day; a window without days ("no date") shares none."""
    (start, end), (other_start, other_end) = first, second
    if start is None or end is None or other_start is None or other_end is None:
        return False
    return start <= other_end and other_start <= end
