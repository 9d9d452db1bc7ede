"""The later pipeline steps' results for an article, worked out ahead in a work process.

With AOUD_WORK_PROCESSES above 0, the article spider hands each page to a worker for extraction.
The worker then also runs what the relevance, dedupe and tag steps would compute (after the
extraction, the costliest CPU of a page) on the title and body the validate step will keep, and
sends it back with the page: one round trip a page, and the crawl's own process is left with
fetching, the validate step and the store. Each step takes a result only if it was made from
exactly the text, date and source the item carries when the step runs (`Ahead.fits`); anything
else (a title taken from the feed because the page had none, say) is computed by the step as
before. Pure: no Scrapy, no database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from aoud_tracker.dates import plausible
from aoud_tracker.dedupe import body_fingerprint
from aoud_tracker.neardup import signature
from aoud_tracker.relevance import Relevance
from aoud_tracker.tagging import Tagging
from aoud_tracker.text import MAX_TITLE_CHARS, clean_text, cut_text

if TYPE_CHECKING:
    from aoud_tracker.extract import Extracted
    from aoud_tracker.relevance import RelevanceScorer
    from aoud_tracker.tagging import Tagger


@dataclass(frozen=True)
class Ahead:
    """Relevance, text identity and tags of one cleaned title and body, as of a date."""

    title: str
    body: str
    as_of: datetime
    official: bool
    relevance: Relevance
    fingerprint: str = ""
    signature: bytes = b""
    tagging: Tagging | None = None  # None when the page is not relevant: it will be dropped

    def fits(self, title: str, body: str) -> bool:
        """True when these results were made from exactly this title and body."""
        return self.title == title and self.body == body


def cleaned(title: str, body: str, max_body: int) -> tuple[str, str]:
    """The title and body as the validate step leaves them (control characters out, cut)."""
    return (
        cut_text(clean_text(title), MAX_TITLE_CHARS),
        cut_text(clean_text(body, keep_paragraphs=True), max_body),
    )


def work_ahead(
    page: Extracted,
    *,
    scorer: RelevanceScorer,
    tagger: Tagger,
    official: bool,
    feed_date: datetime | None,
    fetched_at: datetime,
    max_body: int,
) -> Ahead | None:
    """The relevance, dedupe and tag steps' results for an extracted page, or None when the page
    will not reach them (not an article, no title of its own)."""
    if not page.ok or not page.title:
        return None
    title, body = cleaned(page.title, page.body, max_body)
    # The date the tag step will judge by: the page's, else the feed's if plausible, else the fetch.
    as_of = page.published_at or plausible(feed_date, now=fetched_at) or fetched_at
    verdict = scorer.score(title, body)
    if not verdict.relevant:
        return Ahead(title, body, as_of, official, verdict)
    tagging = tagger.tag(title, body, official_source=official, as_of=as_of)
    return Ahead(title, body, as_of, official, verdict, body_fingerprint(body), signature(body), tagging)
