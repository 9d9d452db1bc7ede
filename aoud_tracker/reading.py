"""What the pipelines make of an article's text, worked out in one call: in a work process right
after the page's extraction, so that the crawl's process only checks and applies it.

With one work process, the crawl's process was the limit (its GIL held nine tenths of the time):
its thread runs Scrapy and the pipelines, and cleaning the text (1.9 s), judging its relevance
(2.2 s) and sending it to the work process again to be tagged (2.3 s) took 6.3 s of that
thread's 36 s in the reactor (py-spy, 2,000 pages). The work process now does it with the
extraction and sends everything back at once; each pipeline step takes its part only while the
item still holds the text it was worked out from (`Reading.cleaned`, `judged`, `tagged`: anything
between them that changed the text, a headline cut at MAX_TITLE_CHARS, and the step does its own
work again), so what is stored is the same either way.

`read_page` and `text_work` import the extraction and the MinHash signature when first called: the
crawl's process imports this module for its data classes, and with a work process it never
extracts or signs a page itself (tests/test_startup.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from aoud_tracker.dates import plausible
from aoud_tracker.dedupe import body_fingerprint
from aoud_tracker.extracted import MIN_BODY_CHARS, Extracted, body_size
from aoud_tracker.findings import Tagging
from aoud_tracker.relevance import Relevance
from aoud_tracker.text import clean_text

if TYPE_CHECKING:
    from aoud_tracker.relevance import RelevanceScorer
    from aoud_tracker.tagging import Tagger


@dataclass(frozen=True)
class TextWork:
    """What the tag step makes of an article's text: its tags and claims, and the identities
    dedupe compares (fingerprint, MinHash signature)."""

    tagging: Tagging
    fingerprint: str
    signature: bytes


def text_work(tagger: Tagger, title: str, body: str, official: bool, as_of: datetime) -> TextWork:
    """The text's TextWork, in whichever process calls it."""
    from aoud_tracker.neardup import signature  # numpy: only where texts are signed

    tagging = tagger.tag(title, body, official_source=official, as_of=as_of)
    return TextWork(tagging, body_fingerprint(body), signature(body))


def clean_title(title: str) -> str:
    """A headline as the validate step keeps it (before any cut to MAX_TITLE_CHARS)."""
    return clean_text(title)


def clean_body(body: str) -> str:
    """A body as the validate step keeps it: paragraphs apart (before any cut to the body limit)."""
    return clean_text(body, keep_paragraphs=True)


@dataclass(frozen=True)
class Reading:
    """An article's text as each pipeline step would work it out, with what it was worked from."""

    title: str  # the item's headline and body as the spider gives them
    body: str
    clean_title: str  # the validate step's
    clean_body: str
    relevance: Relevance  # the relevance step's, on the cleaned text
    official: bool  # the tag step's inputs besides the cleaned text
    as_of: datetime
    text: TextWork | None  # the tag step's; None when the page is dropped before it

    def cleaned(self, title: str, body: str) -> tuple[str, str] | None:
        """The validate step's cleaned headline and body, if it is given the text read here."""
        return (self.clean_title, self.clean_body) if (title, body) == (self.title, self.body) else None

    def judged(self, title: str, body: str) -> Relevance | None:
        """The relevance step's verdict, if it is given the cleaned text read here."""
        return self.relevance if (title, body) == (self.clean_title, self.clean_body) else None

    def tagged(self, title: str, body: str, official: bool, as_of: datetime) -> TextWork | None:
        """The tag step's work, if it is given the cleaned text, source and date read here."""
        inputs = (self.clean_title, self.clean_body, self.official, self.as_of)
        return self.text if (title, body, official, as_of) == inputs else None


@dataclass(frozen=True)
class PageHints:
    """What the spider knows of a page from its feed or sitemap, as the item will take it."""

    title: str
    published_at: datetime | None
    official: bool


def read_page(
    page: bytes, url: str, content_type: str | None, now: datetime, hints: PageHints,
    scorer: RelevanceScorer, tagger: Tagger,
) -> tuple[Extracted, Reading | None]:  # fmt: skip
    """The page extracted, and its text read as the pipelines would (None when the page is no
    article: the validate step drops it)."""
    from aoud_tracker.extract import extract  # trafilatura, htmldate: only where pages are read

    extracted = extract(page, url, content_type=content_type, now=now)
    if extracted.status != "ok":
        return extracted, None
    title, body = extracted.title or hints.title, extracted.body
    clean = clean_title(title), clean_body(body)
    relevance = scorer.score(*clean)
    as_of = extracted.published_at or plausible(hints.published_at, now=now) or now
    kept = relevance.relevant and clean[0] and body_size(clean[1]) >= MIN_BODY_CHARS
    text = text_work(tagger, *clean, hints.official, as_of) if kept else None
    return extracted, Reading(title, body, *clean, relevance, hints.official, as_of, text)
