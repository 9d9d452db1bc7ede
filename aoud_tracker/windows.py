"""Time windows written in news prose: "early January 2027", "the second half of next year",
"late 2023 or early 2024", "내년 상반기", each as a start..end of days with its precision.

Relative phrases resolve against `as_of`, the article's publication date. A disjunction of two
windows is one window spanning both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Final

from aoud_tracker.cues import rx
from aoud_tracker.periods import month_end, season_days
from aoud_tracker.phrases import HANGUL

PRECISIONS: Final = ("day", "part_of_month", "month", "quarter", "season", "half", "year")

MONTHS: Final = {
    name: number
    for number, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
         ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
         ("october", "oct"), ("november", "nov"), ("december", "dec")],
        start=1,
    )
    for name in names
}  # fmt: skip
_MONTH = r"(?P<month>january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?"
_MONTH2 = _MONTH.replace("?P<month>", "?P<month2>")
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_ORDINAL: Final = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}


@dataclass(frozen=True)
class Window:
    """Days from `start` to `end` inclusive, how precisely they were stated, and the words used."""

    start: date
    end: date
    precision: str
    phrase: str
    offset: int = 0  # where the phrase starts in the text


def _next_month_year(as_of: date, month: int) -> int:
    """The year of the next `month` on or after as_of's month (an article in November saying "in
    January" means next January)."""
    return as_of.year if month >= as_of.month else as_of.year + 1


def _add_months(day: date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


class _Rule:
    """A regex, how to turn its match into a window, and what a sentence must hold for the regex
    to match there at all: a year (1900-2099 in digits, as the regexes write it), Hangul, or both."""

    def __init__(self, pattern: str, build: str, *, year: bool = False, hangul: bool = False) -> None:
        self.regex = rx(pattern)
        self.build = build
        self.year, self.hangul = year, hangul

    def may_match(self, has_year: bool, has_hangul: bool) -> bool:
        return (has_year or not self.year) and (has_hangul or not self.hangul)


# Most specific first: a span already claimed by a rule is not matched again by a later one.
_RULES: Final = [
    _Rule(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+{_YEAR}\b", "day", year=True),
    # "5 March 2027", but not "Season 2 March 2027" (a headline run together)
    _Rule(
        rf"(?<!season )(?<!part )(?<!episode )(?<!vol\. )\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b",
        "day",
        year=True,
    ),
    _Rule(r"\b(?P<year>(?:19|20)\d\d)-(?P<num_month>\d\d)-(?P<day>\d\d)\b", "day", year=True),
    _Rule(
        r"(?P<year>(?:19|20)\d\d)\s*년\s*(?P<num_month>\d{1,2})\s*월\s*(?P<day>\d{1,2})\s*일",
        "day",
        year=True,
        hangul=True,
    ),
    _Rule(
        rf"\b(?P<part>early|mid|late|the end of|end of|the beginning of|beginning of|the start of|start of)[- ]?{_MONTH}(?:,?\s+{_YEAR})?\b",
        "part_of_month",
    ),
    _Rule(
        r"(?:(?P<year>(?:19|20)\d\d)\s*년\s*|(?P<krel>올해|내년|올)\s*)?"
        r"(?P<num_month>\d{1,2})\s*월\s*(?P<kpart>초|중순|말|하순|상순)",
        "part_of_month",
        hangul=True,
    ),
    _Rule(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?!,?\s+(?:19|20)\d\d)", "day_no_year"),
    _Rule(
        r"(?<![\d년])(?<!년 )(?<!지난 )(?P<num_month>\d{1,2})\s*월\s*(?P<day>\d{1,2})\s*일",
        "day_no_year",
        hangul=True,
    ),
    _Rule(r"(?:다음 ?달|내달)\s*(?P<day>\d{1,2})\s*일", "next_month_day", hangul=True),
    # "November or December 2026": the first month takes the second one's year
    _Rule(rf"\b{_MONTH}\s+(?:or|to|and|-|–)\s+{_MONTH2},?\s+{_YEAR}\b", "month_pair", year=True),
    _Rule(rf"\b{_MONTH},?\s+{_YEAR}\b", "month", year=True),
    _Rule(r"(?P<year>(?:19|20)\d\d)\s*년\s*(?P<num_month>\d{1,2})\s*월", "month", year=True, hangul=True),
    _Rule(r"(?P<krel>올해|내년|올)\s*(?P<num_month>\d{1,2})\s*월", "month", hangul=True),
    _Rule(r"\bq(?P<quarter>[1-4])\s+(?P<year>(?:19|20)\d\d)\b", "quarter", year=True),
    _Rule(
        r"\b(?:the\s+)?(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter\s+(?:of\s+)?(?P<year>(?:19|20)\d\d)\b",
        "quarter",
        year=True,
    ),
    _Rule(r"(?:(?P<year>(?:19|20)\d\d)\s*년\s*)?(?P<quarter>[1-4])\s*분기", "quarter", hangul=True),
    _Rule(
        r"\b(?:the\s+)?(?P<ord>first|second)\s+half\s+(?:of\s+)?(?P<rel>next year|this year|(?:19|20)\d\d)\b",
        "half",
    ),
    _Rule(r"\bh(?P<h>[12])\s+(?P<year>(?:19|20)\d\d)\b", "half", year=True),
    _Rule(
        r"(?:(?P<year>(?:19|20)\d\d)\s*년\s*|(?P<krel>내년|올해|올)\s*)?(?P<khalf>상반기|하반기)",
        "half",
        hangul=True,
    ),
    _Rule(
        r"\b(?P<part>early|mid|late|the end of|end of|the beginning of|beginning of|the start of|start of|the middle of|middle of)[- ]?(?P<rel>next year|this year|(?:19|20)\d\d)\b",
        "season",
    ),
    _Rule(
        r"\b(?:the\s+)?(?P<part>holiday season|spring|summer|fall|autumn|winter)\s+(?:of\s+)?(?P<rel>next year|this year|(?:19|20)\d\d)\b",
        "season",
    ),
    _Rule(r"\b(?P<part>this|next)\s+(?P<season>spring|summer|fall|autumn|winter)\b", "season_relative"),
    _Rule(r"\b(?:later|later on) this year\b", "later_this_year"),
    _Rule(
        r"\bby the end of (?:the|this) year\b|\bbefore the end of (?:the|this) year\b|\b(?:the )?end of (?:the|this) year\b",
        "end_of_this_year",
    ),
    _Rule(
        r"(?:(?P<year>(?:19|20)\d\d)\s*년|(?P<krel>내년|올해|올))\s*(?P<kseason>초|중반|말|연말|봄|여름|가을|겨울)|(?P<yearend>연말)",
        "season_korean",
        hangul=True,
    ),
    _Rule(r"\bnext month\b|다음 ?달|내달", "next_month"),
    _Rule(r"\bin (?P<count>two|three|four|five|six|2|3|4|5|6) months\b", "in_months"),
    _Rule(r"(?P<kcount>두|세|네|다섯|여섯|[2-6]) ?(?:달|개월) ?(?:뒤|후)", "in_months", hangul=True),
    _Rule(r"\bnext year\b", "next_year"),
    _Rule(r"\bthis year\b", "this_year"),
    _Rule(r"(?P<krel>내년|올해)", "year_korean", hangul=True),
    _Rule(r"(?P<year>(?:19|20)\d\d)\s*년", "year", year=True, hangul=True),
    _Rule(
        r"\b(?:in|for|during|until|by|of|around|sometime in)\s+(?P<year>(?:19|20)\d\d)\b", "year", year=True
    ),
    # A month named alone is its next occurrence ("will be released in October"), but not "last October".
    _Rule(rf"\b(?:in|by|for|this|until|before|around|coming|come)\s+{_MONTH}\b(?!\s*\d)", "month_ahead"),
    _Rule(
        r"(?<![\d년])(?<!지난 )(?<!지난)(?P<num_month>1[0-2]|[1-9])\s*월(?!\s*\d)", "month_ahead", hangul=True
    ),
    _Rule(r"\b(?P<year>20[2-3]\d)\b(?!\s*(?:년|-\d))", "year", year=True),
]
_COUNTS: Final = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "두": 2,
    "세": 3,
    "네": 4,
    "다섯": 5,
    "여섯": 6,
}
_KOREAN_PART: Final = {"초": (1, 10), "상순": (1, 10), "중순": (11, 20), "말": (21, 31), "하순": (21, 31)}


def _year_of(rel: str | None, as_of: date) -> int:
    if rel is None:
        return as_of.year
    lowered = rel.lower()
    if lowered in ("next year", "내년"):
        return as_of.year + 1
    if lowered in ("this year", "올해", "올"):
        return as_of.year
    return int(rel)


def _build(rule: _Rule, match: re.Match[str], as_of: date) -> tuple[date, date, str] | None:
    """The window of one match, or None if the words are not a calendar date after all."""
    g = match.groupdict()
    month = MONTHS.get((g.get("month") or "").lower().rstrip(".")) or (
        int(g["num_month"]) if g.get("num_month") else None
    )
    kind = rule.build
    try:
        if kind == "day":
            day = date(int(g["year"]), month or 0, int(g["day"]))
            return day, day, "day"
        if kind == "day_no_year" and month:
            year = _next_month_year(as_of, month)
            day = date(year, month, int(g["day"]))
            return day, day, "day"
        if kind == "part_of_month" and month:
            year = int(g["year"]) if g.get("year") else _next_month_year(as_of, month)
            year = _year_of(g["krel"], as_of) if g.get("krel") else year
            if g.get("kpart"):
                first, last = _KOREAN_PART[g["kpart"]]
            else:
                part = g["part"].lower()
                first, last = (1, 10) if part.endswith(("early", "beginning of", "start of")) else (
                    (11, 20) if part == "mid" else (21, 31))  # fmt: skip
            last = min(last, month_end(year, month).day)
            return date(year, month, first), date(year, month, last), "part_of_month"
        if kind == "month" and month:
            year = int(g["year"]) if g.get("year") else _year_of(g.get("krel"), as_of)
            return date(year, month, 1), month_end(year, month), "month"
        if kind == "month_ahead" and month:
            year = _next_month_year(as_of, month)
            return date(year, month, 1), month_end(year, month), "month"
        if kind == "month_pair" and month:
            year, last = int(g["year"]), MONTHS[g["month2"].lower().rstrip(".")]
            first_year = year if month <= last else year - 1
            return date(first_year, month, 1), month_end(year, last), "month"
        if kind == "quarter":
            quarter = int(g["quarter"]) if g.get("quarter") else _ORDINAL[g["ord"].lower()]
            year = int(g["year"]) if g.get("year") else as_of.year
            first = 3 * (quarter - 1) + 1
            return date(year, first, 1), month_end(year, first + 2), "quarter"
        if kind == "half":
            if g.get("khalf"):
                year = int(g["year"]) if g.get("year") else _year_of(g.get("krel"), as_of)
                second = g["khalf"] == "하반기"
            elif g.get("h"):
                year, second = int(g["year"]), g["h"] == "2"
            else:
                year, second = _year_of(g["rel"], as_of), g["ord"].lower() == "second"
            return (
                (date(year, 7, 1), date(year, 12, 31), "half")
                if second
                else (date(year, 1, 1), date(year, 6, 30), "half")
            )
        if kind == "season":
            start, end = season_days(_year_of(g["rel"], as_of), g["part"])
            return start, end, "season"
        if kind == "season_relative":
            year = as_of.year + (1 if g["part"].lower() == "next" else 0)
            start, end = season_days(year, g["season"])
            return start, end, "season"
        if kind == "later_this_year":
            year, month_after = _add_months(as_of, 1)
            if year != as_of.year:
                return None
            return date(year, month_after, 1), date(year, 12, 31), "season"
        if kind == "end_of_this_year":
            start, end = season_days(as_of.year, "late")
            return start, end, "season"
        if kind == "season_korean":
            if g.get("yearend"):
                start, end = season_days(as_of.year, "late")
                return start, end, "season"
            year = int(g["year"]) if g.get("year") else _year_of(g.get("krel"), as_of)
            part = {"초": "early", "중반": "mid", "말": "late", "연말": "late", "봄": "spring", "여름": "summer",
                    "가을": "fall", "겨울": "winter"}[g["kseason"]]  # fmt: skip
            start, end = season_days(year, part)
            return start, end, "season"
        if kind == "next_month_day":
            year, month_after = _add_months(as_of, 1)
            day = date(year, month_after, int(g["day"]))
            return day, day, "day"
        if kind == "next_month":
            year, month_after = _add_months(as_of, 1)
            return date(year, month_after, 1), month_end(year, month_after), "month"
        if kind == "in_months":
            written = g.get("count") or g["kcount"]
            count = _COUNTS.get(written.lower()) or int(written)
            year, month_after = _add_months(as_of, count)
            return date(year, month_after, 1), month_end(year, month_after), "month"
        if kind in ("next_year", "this_year", "year_korean", "year"):
            year = {"next_year": as_of.year + 1, "this_year": as_of.year}.get(kind) or (
                _year_of(g["krel"], as_of) if kind == "year_korean" else int(g["year"]))  # fmt: skip
            return date(year, 1, 1), date(year, 12, 31), "year"
    except (ValueError, KeyError, TypeError):
        return None
    return None


_YEAR_DIGITS: Final = re.compile(_YEAR)  # as every rule that needs a year writes it
_OR: Final = re.compile(
    r"^\s*(?:,\s*)?(?:or|to|and|–|-|or even|or perhaps|또는|혹은|아니면|이나|나|~)\s*$", re.IGNORECASE
)


# Every rule needs one of these: a year, Hangul, a month's name (a whole word: "Marvel" and
# "decided" are none), or the words of a relative window ("next year", "this spring", "end of the
# year", "in two months"); a day's number goes with a month. Most sentences of an article have
# none ("Season 2" is not a year), and one search spares them the rules' ~35 scans
# (tests/test_windows.py checks that the filter never hides a window). Hangul is tested apart
# (HANGUL): all the rest needs literal text, so the cue's pre-test skips most sentences at once.
_MAY_HOLD_A_WINDOW: Final = rx(
    r"(?:19|20)\d\d",
    r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b",
    r"\b(?:this|next)\s+(?:year|month|spring|summer|fall|autumn|winter)\b",
    r"\bend of (?:the|this) year\b",
    r"\bmonths\b",
)


def find_windows(text: str, as_of: date) -> list[Window]:
    """Every time window written in the text, in order; "X or Y" merged into one window."""
    has_hangul = HANGUL.search(text) is not None
    if not has_hangul and _MAY_HOLD_A_WINDOW.search(text) is None:
        return []
    return windows_by_rules(text, as_of, has_hangul=has_hangul)


def windows_by_rules(
    text: str, as_of: date, *, every_rule: bool = False, has_hangul: bool | None = None
) -> list[Window]:
    """`find_windows` without its first filter: every rule that may match tried on the text (a
    rule that needs a year or Hangul is skipped where there is none: most sentences that pass
    the filter name a month or "this year" and no more). `every_rule`: none skipped, for tests;
    `has_hangul`: whether the text holds Hangul, when the caller has looked already."""
    has_year = every_rule or _YEAR_DIGITS.search(text) is not None
    if has_hangul is None:
        has_hangul = HANGUL.search(text) is not None
    has_hangul = every_rule or has_hangul
    taken: list[tuple[int, int]] = []
    found: list[Window] = []
    for rule in _RULES:
        if not rule.may_match(has_year, has_hangul):
            continue
        for match in rule.regex.finditer(text):
            span = match.span()
            if any(span[0] < end and start < span[1] for start, end in taken):
                continue
            built = _build(rule, match, as_of)
            if built is None:
                continue
            taken.append(span)
            found.append(Window(built[0], built[1], built[2], match.group(0), span[0]))
    found.sort(key=lambda w: w.offset)
    return _merge_disjunctions(text, found)


def _merge_disjunctions(text: str, windows: list[Window]) -> list[Window]:
    merged: list[Window] = []
    for window in windows:
        if merged:
            previous = merged[-1]
            between = text[previous.offset + len(previous.phrase) : window.offset]
            if _OR.match(between):
                coarser = max(previous.precision, window.precision, key=PRECISIONS.index)
                merged[-1] = Window(
                    min(previous.start, window.start), max(previous.end, window.end), coarser,
                    text[previous.offset : window.offset + len(window.phrase)], previous.offset,
                )  # fmt: skip
                continue
        merged.append(window)
    return merged
