"""Date strings from pages and feeds to aware UTC datetimes, refusing what cannot be true."""

from __future__ import annotations

import re
import warnings
from datetime import UTC, datetime, timedelta, tzinfo
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
_URL_DATE: Final = re.compile(r"/((?:19|20)\d\d)[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?:/|[^0-9])")


def parse_date(value: object, *, assume_tz: tzinfo = UTC) -> datetime | None:
    """Parse ISO 8601, RFC 822 or a common written date; None when it is not a date."""
    if isinstance(value, datetime):
        parsed: datetime | None = value
    elif not isinstance(value, str) or not value.strip():
        return None
    else:
        parsed = _parse_text(value.strip())
    if parsed is None:
        return None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        parsed = parsed.replace(tzinfo=assume_tz)
    return parsed.astimezone(UTC)


def _parse_text(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    if not re.search(r"\d{4}", text):
        return None  # "Monday" or "5 min ago" is not a publication date
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dateutil_parser.UnknownTimezoneWarning)  # unknown zone: naive
        try:
            parsed: datetime = dateutil_parser.parse(text, fuzzy=False, tzinfos=ZONE_ABBREVIATIONS)
        except (ValueError, OverflowError, TypeError):
            pass
        else:
            return parsed
    try:
        return parsedate_to_datetime(text)  # RFC 822 forms dateutil refuses
    except (TypeError, ValueError, IndexError):
        return None


def plausible(value: datetime | None, *, now: datetime) -> datetime | None:
    """The date if it could be a publication date seen at `now`; None if future or absurd."""
    if value is None or value < EARLIEST or value > now + FUTURE_TOLERANCE:
        return None
    return value


def date_from_url(url: str) -> datetime | None:
    """A publication day written in the URL path (/2025/07/23/…), at midnight UTC."""
    match = _URL_DATE.search(url + "/")
    if not match:
        return None
    try:
        return datetime(int(match[1]), int(match[2]), int(match[3]), tzinfo=UTC)
    except ValueError:
        return None
