"""When was this article published? The page's own statement, checked against its URL, else its text.

A careful reader's rules:
1. The date the page states (JSON-LD, article meta, microdata, <time>), if it can be true.
2. A date in the URL is the publisher's own calendar day. When the stated date agrees with
   it (within a day: time zones), the URL gives the day; when it is far away, the stated
   date is a later edit or republication and the URL's day is the original.
3. Otherwise the page's words: a day it calls the publication's ("Posted on 3 March 2025",
   "Veröffentlicht am 16.08.2019"), a dateline opening a paragraph ("27.1.2022 – …"), the
   first day written in the headline's block or just below it (the byline). Readers'
   comments are not the article. Last, htmldate reads the page without its prose, but a
   bare year it turned into 1 January ("© 2025") is no date. A date in the future, or before
   the web, is no date either: an article without a trustworthy date has none, never the
   fetch time in disguise.
"""

from __future__ import annotations

import re
from copy import deepcopy
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Final

import htmldate

from aoud_tracker.dates import date_from_url, find_written_day, parse_local, plausible
from aoud_tracker.metadata import in_comments, is_comments

if TYPE_CHECKING:
    from lxml import html as lxml_html

    from aoud_tracker.metadata import PageMeta

AGREEMENT: Final = timedelta(days=1)
SAME_INSTANT: Final = timedelta(minutes=1)
_OFFSET_STAMP: Final = re.compile(r"\b20\d\d-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?[+-]\d\d:?\d\d\b")
# "Published on 3 March 2025", "Veröffentlicht am 16.08.2019", "publié le 3 mars 2021": the page
# says which of its dates is the publication's. "Updated" is left out: it names the later date.
_PUBLISHED_CUE: Final = re.compile(
    r"\b(?:first\s+published|published|posted|veröffentlicht|gepostet|erschienen|publiziert|publié|"
    r"mis\s+en\s+ligne|publicado|pubblicato|gepubliceerd)(?:\s+(?:on|am|le|el|il|em|op))?\b[\s:]*",
    re.IGNORECASE,
)
# German puts the verb last: "… wurde am 19. Mai 2010 um 23:03 Uhr gepostet".
_PUBLISHED_CUE_AFTER: Final = re.compile(
    r"\bam\s+(?P<date>\S.{4,24}?)(?:\s+um\s+[\d:.]+\s*Uhr)?\s+(?:gepostet|veröffentlicht|erschienen)\b"
)
UNSEEN: Final = frozenset({"script", "style", "noscript", "template", "head"})
# A dateline opens a paragraph: "27.1.2022 – …", "Berlin, 4. Februar 2022 – …".
_DATELINE_PLACE: Final = re.compile(r"(?:[^\W\d][\w .'/()-]{0,30},\s*)?")
_DATELINE_DASH: Final = re.compile(r"\s*[-–—]\s")
BYLINE_REACH: Final = 200  # characters past the headline's own: the byline block, not the story
CUE_REACH: Final = 16  # "Published: Monday, " may stand between the cue and the date
LONGEST_DATE: Final = 30  # "15 de septiembre de 2021", "September 15th, 2021"
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
    return _from_text(tree, now, meta.title)


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


def _from_text(tree: lxml_html.HtmlElement, now: datetime, title: str = "") -> PublicationDate:
    """The date the page calls its publication's, else htmldate on the page without its prose."""
    day = (
        _said_published(tree)
        or _dateline(tree)
        or _under_headline(tree, title)
        or _htmldate(_without_prose(tree), now, extensive=True)
    )
    if day is None:
        return PublicationDate()
    at = plausible(datetime(day.year, day.month, day.day, tzinfo=UTC), now=now)
    return PublicationDate(at, day if at else None, "text" if at else "")


def _without_prose(tree: lxml_html.HtmlElement) -> lxml_html.HtmlElement:
    """A copy of the page minus its sentences: bylines ("Posted on March 3, 2025") stay."""
    copy = deepcopy(tree)
    for element in copy.xpath("//p | //blockquote"):
        if _is_prose(element):
            element.drop_tree()
    return copy


def _said_published(tree: lxml_html.HtmlElement) -> date | None:
    """A day the page's own words call the publication's ("Posted on …", "… gepostet")."""
    text = " ".join(_visible_text(tree).split())
    for cue in _PUBLISHED_CUE.finditer(text):
        found = find_written_day(text[cue.end() : cue.end() + CUE_REACH + LONGEST_DATE])
        if found is not None and found[1] <= CUE_REACH:
            return found[0]
    for cue in _PUBLISHED_CUE_AFTER.finditer(text):
        found = find_written_day(cue["date"])
        if found is not None:
            return found[0]
    return None


def _visible_text(
    tree: lxml_html.HtmlElement, mark: lxml_html.HtmlElement | None = None, *, prose: bool = True
) -> str:
    """The text a reader sees: no scripts or styles, and no readers' comments.

    With `mark`, a NUL character stands where that element begins; without `prose`, the
    page's sentences are left out (their dates are other events').
    """
    parts: list[str] = []
    body = tree.find("body")
    stack: list[lxml_html.HtmlElement | str] = [tree if body is None else body]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            parts.append(item)
        elif _is_seen(item) and (prose or not _is_prose(item)):
            parts.append(item.text or "")
            for child in reversed(item):
                stack.extend((child.tail or "", child, "\0" if child is mark else ""))
    return " ".join(parts)


def _is_seen(element: lxml_html.HtmlElement) -> bool:
    return isinstance(element.tag, str) and element.tag not in UNSEEN and not is_comments(element)


def _is_prose(element: lxml_html.HtmlElement) -> bool:
    """A paragraph or quotation long enough to be a sentence of the story, not a byline."""
    return element.tag in ("p", "blockquote") and len(element.text_content().split()) >= PROSE_WORDS


def _under_headline(tree: lxml_html.HtmlElement, title: str = "") -> date | None:
    """The first day written in the headline's block or just below it, where bylines put it."""
    headline = _headline(tree, title)
    if headline is None:
        return None
    text = " ".join(_visible_text(tree, mark=headline, prose=False).split())
    reach = len(" ".join(headline.text_content().split())) + BYLINE_REACH
    after = text[text.find("\0") + 1 :][:reach]
    found = find_written_day(after) if "\0" in text else None
    return found[0] if found else None


def _dateline(tree: lxml_html.HtmlElement) -> date | None:
    """The day a paragraph opens with, before a dash: a news dateline ("Berlin, 27.1.2022 – …")."""
    for paragraph in tree.iter("p"):
        text = " ".join(paragraph.text_content().split())[:80]
        place = _DATELINE_PLACE.match(text)
        found = find_written_day(text)
        if found is None or place is None or found[1] != place.end():
            continue
        if _DATELINE_DASH.match(text, found[2]) and not in_comments(paragraph):
            return found[0]
    return None


def _headline(tree: lxml_html.HtmlElement, title: str = "") -> lxml_html.HtmlElement | None:
    """The heading that reads as the page's headline (`title`, as the metadata found it: blog
    themes put the headline in an <h2> under the blog's name in <h1>), else the longest <h1> that
    <title> repeats (not the site's logo), else the first <h1> with text."""
    wanted = " ".join(title.split()).lower()
    if wanted:
        for heading in tree.iter("h1", "h2"):
            if " ".join(heading.text_content().split()).lower() == wanted:
                return heading
    headings = {h: " ".join(h.text_content().split()).lower() for h in tree.iter("h1")}
    headings = {h: text for h, text in headings.items() if text}
    page_title = " ".join(tree.findtext(".//title", "").split()).lower()
    repeated = [h for h, text in headings.items() if text in page_title]
    if repeated:
        return max(repeated, key=lambda h: len(headings[h]))
    return next(iter(headings), None)
