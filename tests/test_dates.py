"""Date strings to aware UTC datetimes; impossible publication dates refused."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from aoud_tracker.dates import EARLIEST, date_from_url, parse_date, plausible, written_day

SEOUL = ZoneInfo("Asia/Seoul")
NOW = datetime(2025, 9, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-07-23T16:40:00+09:00", datetime(2025, 7, 23, 7, 40, tzinfo=UTC)),
        ("2025-07-23T07:40:00Z", datetime(2025, 7, 23, 7, 40, tzinfo=UTC)),
        ("2025-07-23T07:40:00.000Z", datetime(2025, 7, 23, 7, 40, tzinfo=UTC)),
        ("2025-07-23", datetime(2025, 7, 23, tzinfo=UTC)),
        ("20250723", datetime(2025, 7, 23, tzinfo=UTC)),
        ("Wed, 23 Jul 2025 16:40:00 +0900", datetime(2025, 7, 23, 7, 40, tzinfo=UTC)),
        ("Wed, 23 Jul 2025 07:40:00 GMT", datetime(2025, 7, 23, 7, 40, tzinfo=UTC)),
        ("July 23, 2025", datetime(2025, 7, 23, tzinfo=UTC)),
        ("23 July 2025", datetime(2025, 7, 23, tzinfo=UTC)),
        ("Jul 23rd, 2025", datetime(2025, 7, 23, tzinfo=UTC)),
        ("2025.07.23 16:40", datetime(2025, 7, 23, 16, 40, tzinfo=UTC)),
        ("  2025-07-23T07:40:00Z\n", datetime(2025, 7, 23, 7, 40, tzinfo=UTC)),
    ],
)
def test_parse_date_reads_the_formats_pages_and_feeds_use(text: str, expected: datetime) -> None:
    """JSON-LD, RSS pubDate and written dates all end up as one aware UTC instant."""
    parsed = parse_date(text)

    assert parsed == expected
    assert parsed is not None and parsed.utcoffset() == timedelta(0)


def test_parse_date_gives_naive_values_the_assumed_zone() -> None:
    """A Korean site that omits the offset means Seoul time, not UTC."""
    assert parse_date("2025-07-23T16:40:00", assume_tz=SEOUL) == datetime(2025, 7, 23, 7, 40, tzinfo=UTC)


def test_parse_date_assumes_utc_by_default() -> None:
    """Without a hint, a naive time is taken as UTC so that the result is always aware."""
    assert parse_date("2025-07-23T16:40:00") == datetime(2025, 7, 23, 16, 40, tzinfo=UTC)


def test_parse_date_accepts_datetimes_and_converts_them_to_utc() -> None:
    """Feed parsers hand over datetimes already; they go through the same normalisation."""
    assert parse_date(datetime(2025, 7, 23, 16, 40, tzinfo=SEOUL)) == datetime(2025, 7, 23, 7, 40, tzinfo=UTC)
    assert parse_date(datetime(2025, 7, 23, 16, 40), assume_tz=SEOUL) == datetime(
        2025, 7, 23, 7, 40, tzinfo=UTC
    )


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "   ",
        1753250000,
        "Monday",
        "5 min ago",
        "yesterday",
        "2025-13-45",
        "Season 2 in 2026",
        "n/a",
    ],
)
def test_parse_date_returns_none_for_what_is_not_a_date(value: object) -> None:
    """Relative times and stray numbers must not become a publication date."""
    assert parse_date(value) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("July 23, 2025 6:30 PM", datetime(2025, 7, 23, 18, 30, tzinfo=UTC)),
        ("Jul 23 2025 11:00 pm", datetime(2025, 7, 23, 23, 0, tzinfo=UTC)),
    ],
)
def test_parse_date_keeps_the_afternoon_in_twelve_hour_times(text: str, expected: datetime) -> None:
    """Bylines on US sites are written in 12-hour time; PM must not be dropped."""
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("July 23, 2025 6:30 PM KST", datetime(2025, 7, 23, 9, 30, tzinfo=UTC)),
        ("Jul 23, 2025 09:30 AM EDT", datetime(2025, 7, 23, 13, 30, tzinfo=UTC)),
    ],
)
def test_parse_date_understands_common_zone_abbreviations(text: str, expected: datetime) -> None:
    """Korean and US outlets write 'KST'/'EDT' after the time; the offset changes the day order of stories."""
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["July 2025", "2026"])
def test_parse_date_does_not_invent_the_missing_day(text: str) -> None:
    """A month or a bare year is not a publication instant; a day taken from the clock is not reproducible."""
    assert parse_date(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025년 7월 23일", datetime(2025, 7, 23, tzinfo=UTC)),
        ("2025년 7월 23일 오후 4:40", datetime(2025, 7, 23, 16, 40, tzinfo=UTC)),
    ],
)
def test_parse_date_reads_korean_written_dates(text: str, expected: datetime) -> None:
    """Half of the sources for this show are Korean; their bylines write dates this way."""
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "value",
    [
        NOW,
        NOW - timedelta(days=900),
        NOW + timedelta(hours=20),  # a publisher a few time zones ahead
        EARLIEST,
    ],
)
def test_plausible_keeps_dates_that_could_be_publication_dates(value: datetime) -> None:
    """Past dates back to the early web, and a stamp a little ahead of our clock, are kept."""
    assert plausible(value, now=NOW) == value


@pytest.mark.parametrize(
    "value",
    [None, NOW + timedelta(days=2), datetime(2031, 7, 24, tzinfo=UTC), datetime(1970, 1, 1, tzinfo=UTC)],
)
def test_plausible_refuses_future_and_absurd_dates(value: datetime | None) -> None:
    """A CMS default (1970) or a scheduled date in the future would sort the story wrongly in feeds."""
    assert plausible(value, now=NOW) is None


@pytest.mark.parametrize(
    "url",
    [
        "https://k.example/culture/2025/07/23/all-of-us-are-dead-season-2-cast",
        "https://k.example/culture/2025/07/23",
        "https://k.example/news/20250723-aoud-season-2",
        "https://k.example/2025-07-23-aoud-season-2.html",
    ],
)
def test_date_from_url_reads_the_day_in_the_path(url: str) -> None:
    """Many CMSs put the publication day in the path; it is a good fallback when the page says nothing."""
    assert date_from_url(url) == datetime(2025, 7, 23, tzinfo=UTC)


@pytest.mark.parametrize(
    "url",
    [
        "https://k.example/culture/2025/07/aoud-season-2",  # month only
        "https://k.example/2025/02/30/impossible-day",
        "https://k.example/news/view.html?no=20250723",  # an id in the query, not a path date
        "https://k.example/id/202507231234/story",  # a longer number that merely starts like a date
        "https://k.example/aoud-season-2",
    ],
)
def test_date_from_url_ignores_numbers_that_are_not_a_day(url: str) -> None:
    """Article ids and month archives must not be read as a publication day."""
    assert date_from_url(url) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Veröffentlicht am 16.08.2019", date(2019, 8, 16)),
        ("Von Hafenamt 4.\u2009 2.\u2009 2022.", date(2022, 2, 4)),
        ("27.1.2022 – Der Hafen bleibt gesperrt", date(2022, 1, 27)),
        ("28.09.19 12:44", date(2019, 9, 28)),
        ("1. Februar 2022, Anna Beispiel", date(2022, 2, 1)),
        ("am 19. Mai 2010 um 23:03 Uhr", date(2010, 5, 19)),
        ("publié le 3 déc. 2021", date(2021, 12, 3)),
        ("5 de marzo de 2020", date(2020, 3, 5)),
        ("1er janvier 2021", date(2021, 1, 1)),
        ("13 Oct 2020 18:29", date(2020, 10, 13)),
        ("Posted March 3rd, 2025", date(2025, 3, 3)),
        ("2019-06-24", date(2019, 6, 24)),
    ],
)
def test_written_day_reads_european_languages_and_day_first_dots(text: str, expected: date) -> None:
    """Bylines of German, French and Spanish pages: dotted numbers are day first, month names
    are their language's (4.2.2022 is 4 February, not 2 April)."""
    assert written_day(text) == expected


@pytest.mark.parametrize(
    "text", ["03/04/2022", "Mai 2010", "31.02.2022", "Season 2 in 2026", "Version 2.3.1"]
)
def test_written_day_refuses_what_is_not_one_clear_day(text: str) -> None:
    """A slashed date is month first in one country and day first in the next; months, years and
    impossible days are not a day."""
    assert written_day(text) is None
