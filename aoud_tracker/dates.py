"""Date strings from pages and feeds to aware UTC datetimes, refusing what cannot be true."""

from __future__ import annotations

import re
import warnings
from datetime import UTC, date, datetime, timedelta, tzinfo
from email.utils import parsedate_to_datetime
from typing import Final

from dateutil import parser as dateutil_parser

# A page may be stamped a little ahead by a publisher in a later time zone; more is an error.
FUTURE_TOLERANCE: Final = timedelta(days=1)
EARLIEST: Final = datetime(1995, 1, 1, tzinfo=UTC)
# The abbreviations news pages actually print, as UTC offsets in seconds (ambiguous ones left out).
ZONE_ABBREVIATIONS: Final = {
    "UTC": 0,
    "GMT": 0,
    "Z": 0,
    "BST": 3600,
    "CET": 3600,
    "CEST": 7200,
    "EET": 7200,
    "EEST": 10800,
    "EST": -18000,
    "EDT": -14400,
    "CST": -21600,
    "CDT": -18000,
    "MST": -25200,
    "MDT": -21600,
    "PST": -28800,
    "PDT": -25200,
    "KST": 32400,
    "JST": 32400,
    "HKT": 28800,
    "SGT": 28800,
    "AEST": 36000,
    "AEDT": 39600,
}
_DEFAULTS: Final = (datetime(2000, 1, 1), datetime(2001, 2, 2))
_KOREAN_DATE: Final = re.compile(
    r"(\d{4})\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일(?:\s*\(\w\))?(?:\s*(오전|오후)?\s*(\d{1,2}):(\d{2}))?"
)
_URL_DATE: Final = re.compile(
    r"/((?:19|20)\d\d)(?:[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])|(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01]))"
    r"(?=/|[^0-9])"
)
_ZONE_AFTER_OFFSET: Final = re.compile(r"(?<=[+-]\d\d:\d\d)\s*[A-Z]{2,5}$")  # "…+02:00CET"


def parse_date(value: object, *, assume_tz: tzinfo = UTC) -> datetime | None:
    """Parse ISO 8601, RFC 822 or a common written date into aware UTC; None when it is not a date."""
    local = parse_local(value, assume_tz=assume_tz)
    return None if local is None else local.astimezone(UTC)


def parse_local(value: object, *, assume_tz: tzinfo = UTC) -> datetime | None:
    """Like parse_date, but in the offset the text states: its calendar day is the publisher's."""
    if isinstance(value, datetime):
        parsed: datetime | None = value
    elif not isinstance(value, str) or not value.strip():
        return None
    else:
        parsed = _parse_text(_ZONE_AFTER_OFFSET.sub("", value.strip()))
    if parsed is None:
        return None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        parsed = parsed.replace(tzinfo=assume_tz)
    return parsed


def _parse_text(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    if not re.search(r"\d{4}", text):
        return None  # "Monday" or "5 min ago" is not a publication date
    if korean := _KOREAN_DATE.search(text):
        return _korean(korean)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dateutil_parser.UnknownTimezoneWarning)  # unknown zone: naive
        try:
            # Parsed against two different defaults: a part taken from a default was never written.
            first, second = (
                dateutil_parser.parse(text, default=default, tzinfos=ZONE_ABBREVIATIONS)
                for default in _DEFAULTS
            )
        except (ValueError, OverflowError, TypeError):
            pass
        else:
            return first if first.date() == second.date() else None
    try:
        return parsedate_to_datetime(text)  # RFC 822 forms dateutil refuses
    except (TypeError, ValueError, IndexError):
        return None


def _korean(match: re.Match[str]) -> datetime | None:
    """'2025년 7월 23일 오후 4:40' (오전 = a.m., 오후 = p.m.)."""
    year, month, day, half, hour, minute = match.groups()
    hours = int(hour or 0) % 12 + (12 if half == "오후" else 0) if half else int(hour or 0)
    try:
        return datetime(int(year), int(month), int(day), hours, int(minute or 0))
    except ValueError:
        return None


def plausible(value: datetime | None, *, now: datetime) -> datetime | None:
    """The date if it could be a publication date seen at `now`; None if future or absurd."""
    if value is None or value < EARLIEST or value > now + FUTURE_TOLERANCE:
        return None
    return value


def date_from_url(url: str) -> datetime | None:
    """A publication day written in the URL path (/2025/07/23/…, /2017/7/12/, /20250723…), midnight UTC."""
    match = _URL_DATE.search(url + "/")
    if not match:
        return None
    year, month, day = match[1], match[2] or match[4], match[3] or match[5]
    try:
        return datetime(int(year), int(month), int(day), tzinfo=UTC)
    except ValueError:
        return None


# Month names and their usual abbreviations ("Okt.", "févr.", "Sept.") in English, German, French,
# Spanish, Italian, Dutch and Portuguese. No word names different months in two languages.
_MONTHS: Final = {
    month: number
    for number, names in enumerate(
        (
            "january januar jänner janvier enero gennaio januari janeiro jan",
            "february februar feber février fevrier febrero febbraio februari fevereiro feb févr fevr",
            "march märz maerz mars marzo maart março mar mär",
            "april avril abril aprile apr avr",
            "may mai mayo maggio mei maio",
            "june juni juin junio giugno junho jun",
            "july juli juillet julio luglio julho jul juil",
            "august août aout agosto augustus aug",
            "september septembre septiembre setiembre settembre setembro sep sept",
            "october oktober octobre octubre ottobre outubro oct okt",
            "november novembre noviembre novembro nov",
            "december dezember décembre decembre diciembre dicembre dezembro dec dez déc",
        ),
        start=1,
    )
    for month in names.split()
}
_GAP: Final = r"[\s\u00a0\u2009\u202f]*"
_MONTH_WORD: Final = r"(?P<name>[^\W\d_]{3,10})\.?"
_WRITTEN_DATES: Final = (
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]?\d)-(?P<day>[0-3]?\d)\b"),
    # Dotted numbers are day first wherever they are written: 4.2.2022 is 4 February.
    re.compile(rf"\b(?P<day>[0-3]?\d)\.{_GAP}(?P<month>[01]?\d)\.{_GAP}(?P<year>(?:19|20)\d\d|\d\d)\b"),
    re.compile(
        rf"\b(?P<day>[0-3]?\d)(?:\.|er|st|nd|rd|th)?{_GAP}(?:de\s+)?{_MONTH_WORD}{_GAP}(?:de\s+)?"
        rf"(?P<year>(?:19|20)\d\d)\b"
    ),
    re.compile(rf"\b{_MONTH_WORD}{_GAP}(?P<day>[0-3]?\d)(?:st|nd|rd|th)?,?{_GAP}(?P<year>(?:19|20)\d\d)\b"),
)


def written_day(text: str) -> date | None:
    """The first calendar day written in `text` in a common form of a European language, if any.

    Numeric dates with dots are day first (the European order); slashed ones are left out,
    because 03/04/2022 is March in one country and April in the next.
    """
    found = find_written_day(text)
    return found[0] if found else None


def find_written_day(text: str) -> tuple[date, int, int] | None:
    """The first written day in `text` with where it starts and ends."""
    found = [m for pattern in _WRITTEN_DATES for m in pattern.finditer(text)]
    for match in sorted(found, key=lambda m: m.start()):
        if (day := _day_of(match)) is not None:
            return day, match.start(), match.end()
    return None


def _day_of(match: re.Match[str]) -> date | None:
    parts = match.groupdict()
    month = _MONTHS.get(parts["name"].lower()) if parts.get("name") else int(parts["month"])
    year = int(parts["year"]) + (2000 if len(parts["year"]) == 2 else 0)
    try:
        return date(year, month, int(parts["day"])) if month else None
    except ValueError:
        return None
