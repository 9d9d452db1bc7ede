"""When was this article published? The page's own statement, checked against its URL, else its text.

A careful reader's rules:
1. The date the page states (JSON-LD, article meta, microdata, <time>), if it can be true.
2. A date in the URL is the publisher's own calendar day. When the stated date agrees with
   it (within a day: time zones), the URL gives the day; when it is far away, the stated
   date is a later edit or republication and the URL's day is the original.
3. Otherwise htmldate reads the page, but a bare year it turned into 1 January ("© 2025")
   is no date. A date in the future, or before the web, is no date either: an article
   without a trustworthy date has none, never the fetch time in disguise.
"""

from __future__ import annotations

import re
from copy import deepcopy
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Final

import htmldate

from aoud_tracker.dates import date_from_url, parse_local, plausible

if TYPE_CHECKING:
    from lxml import html as lxml_html

    from aoud_tracker.metadata import PageMeta

AGREEMENT: Final = timedelta(days=1)
SAME_INSTANT: Final = timedelta(minutes=1)
_OFFSET_STAMP: Final = re.compile(r"\b20\d\d-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?[+-]\d\d:?\d\d\b")
PROSE_WORDS: Final = 12  # a byline or dateline is shorter than this; a sentence of news is not


@dataclass(frozen=True)
class PublicationDate:
    """The instant (UTC) and the publisher's calendar day, with where they came from."""

    at: datetime | None = None
    day: date | None = None
    source: str = ""


def publication_date(tree: lxml_html.HtmlElement, url: str, meta: PageMeta, now: datetime) -> PublicationDate:
    """The article's publication date by the rules above."""
    in_url = plausible(date_from_url(url), now=now)
    stated = parse_local(meta.published)
    if stated is not None and plausible(stated.astimezone(UTC), now=now) is None:
        stated = None  # in the future or before the web: wrong, so not evidence
    if stated is not None and in_url is not None:
        if abs(stated.date() - in_url.date()) > AGREEMENT:
            return PublicationDate(in_url, in_url.date(), "url (stated date is a later edit)")
        if _in_utc(stated):  # a UTC stamp's day may not be the publisher's; its URL's is
            return PublicationDate(stated.astimezone(UTC), in_url.date(), "metadata+url")
    if stated is not None:
        return PublicationDate(stated.astimezone(UTC), _local_day(stated, tree, now), "metadata")
    if in_url is not None:
        return PublicationDate(in_url, in_url.date(), "url")
    if meta.published and parse_local(meta.published) is not None:
        return PublicationDate()  # a stated but impossible date is not replaced by a guess
    return _from_text(tree, now)


def _in_utc(stated: datetime) -> bool:
    return stated.utcoffset() == timedelta(0)


def _local_day(stated: datetime, tree: lxml_html.HtmlElement, now: datetime) -> date:
    """The publisher's day: the stated offset's, or for a UTC stamp the day the page shows.

    "2023-11-09T06:35Z" on a Los Angeles station's page is its 8 November: the page's own
    visible date (htmldate, fast) settles it when it is the day before or after.
    """
    if not _in_utc(stated):
        return stated.date()
    if (local := _same_instant_with_offset(stated, tree)) is not None:
        return local  # "uploadDate": "2023-11-08T21:11:03-05:00" beside "2023-11-09T02:11:03Z"
    shown = _htmldate(tree, now, extensive=False)
    if shown is not None and abs(shown - stated.date()) == AGREEMENT:
        return shown
    return stated.date()


def _same_instant_with_offset(stated: datetime, tree: lxml_html.HtmlElement) -> date | None:
    """The day of another stamp in the page's metadata for the same instant, written in a zone."""
    places = tree.xpath('//script[@type="application/ld+json"]/text() | //meta/@content | //time/@datetime')
    for text in places:
        for match in _OFFSET_STAMP.finditer(str(text)):
            other = parse_local(match.group(0))
            if other is not None and other.utcoffset() and abs(other - stated) <= SAME_INSTANT:
                return other.date()
    return None


def _htmldate(page: lxml_html.HtmlElement, now: datetime, *, extensive: bool) -> date | None:
    """htmldate's reading (it works on its own copy of the tree)."""
    try:
        found = htmldate.find_date(
            page, original_date=True, extensive_search=extensive, max_date=now.strftime("%Y-%m-%d")
        )
    except (ValueError, TypeError):
        return None
    if not found or found.endswith("-01-01"):
        return None  # a bare year turned into 1 January ("© 2025") is no date
    return date.fromisoformat(found)


def _from_text(tree: lxml_html.HtmlElement, now: datetime) -> PublicationDate:
    """htmldate on the page without its prose: dates in sentences are other events' dates."""
    day = _htmldate(_without_prose(tree), now, extensive=True)
    if day is None:
        return PublicationDate()
    at = plausible(datetime(day.year, day.month, day.day, tzinfo=UTC), now=now)
    return PublicationDate(at, day if at else None, "text" if at else "")


def _without_prose(tree: lxml_html.HtmlElement) -> lxml_html.HtmlElement:
    """A copy of the page minus its sentences: bylines ("Posted on March 3, 2025") stay."""
    copy = deepcopy(tree)
    for element in copy.xpath("//p | //blockquote"):
        if len(element.text_content().split()) >= PROSE_WORDS:
            element.drop_tree()
    return copy
