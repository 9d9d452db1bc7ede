"""What every aoud-tracker spider shares: the topic, article pages to ArticleItem, error accounting."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar, Final, Self

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.defer import maybe_deferred_to_future
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from aoud_tracker import workpool
from aoud_tracker.byline import clean_author
from aoud_tracker.conditional import FROM_COPY, MARK, NOT_MODIFIED, validators_of
from aoud_tracker.dates import plausible
from aoud_tracker.freshness import DEFAULT_REVISIT_DAYS, StoredPages
from aoud_tracker.inflight import request_done
from aoud_tracker.items import ArticleItem
from aoud_tracker.models import utcnow
from aoud_tracker.reading import PageHints, Reading
from aoud_tracker.redirect_guard import RedirectRefused
from aoud_tracker.robots import UNREACHABLE
from aoud_tracker.runtime import db_url_from, topic_from
from aoud_tracker.status import SOURCE_OUTCOME
from aoud_tracker.store import StoreError, make_engine, mark_gone
from aoud_tracker.urls import clean_url, same_site, site_of, url_key

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator

    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings
    from sqlalchemy import Engine
    from twisted.python.failure import Failure

    from aoud_tracker.extracted import Extracted
    from aoud_tracker.topic import Source, Topic

logger = logging.getLogger(__name__)


@dataclass
class SharedCrawl:
    """What the spiders of one process share: the URL identities already asked for (an article a
    feed and a sitemap both list is fetched once per crawl), and the stored articles old enough
    not to ask for again (freshness.py), read from the store once rather than once per spider."""

    article_keys: set[str] = field(default_factory=set)
    stored: StoredPages | None = None

    def stored_pages(self, settings: BaseSettings, topic: str) -> StoredPages:
        if self.stored is None:
            self.stored = StoredPages({})
            days = settings.getint("AOUD_REVISIT_DAYS", DEFAULT_REVISIT_DAYS)
            if days > 0:
                engine = make_engine(db_url_from(settings))
                try:
                    with Session(engine) as session:
                        self.stored = StoredPages.load(session, topic, days, utcnow())
                finally:
                    engine.dispose()
        return self.stored


class TopicSpider(scrapy.Spider):
    """A spider over the topic's sources of some kinds; subclasses parse the source documents."""

    source_kinds: ClassVar[tuple[str, ...]] = ()
    topic: Topic
    max_articles: int
    shared: SharedCrawl
    per_source: dict[str, int]
    stored: StoredPages
    pool: workpool.WorkPool | None  # extraction in worker processes (AOUD_WORK_PROCESSES)
    gone_engine: Engine | None  # the store, opened when a stored article's page answers 404 or 410

    @classmethod
    def from_crawler(
        cls, crawler: Crawler, *args: Any, shared: SharedCrawl | None = None, **kwargs: Any
    ) -> Self:
        """`shared`: what the spiders of one process share (crawl.run_spiders passes one)."""
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.topic = topic_from(crawler.settings)
        spider.max_articles = crawler.settings.getint("AOUD_MAX_ARTICLES_PER_SOURCE", 500)
        spider.shared = shared if shared is not None else SharedCrawl()
        spider.per_source = {}
        spider.stored = StoredPages({})
        processes = workpool.configured_processes(crawler.settings)
        spider.pool = workpool.acquire(spider.topic, processes) if processes > 0 else None
        spider.gone_engine = None
        return spider

    def closed(self, reason: str) -> None:
        if self.pool is not None:
            workpool.release(self.pool)
            self.pool = None
        if self.gone_engine is not None:
            self.gone_engine.dispose()

    def sources(self) -> list[Source]:
        return [s for s in self.topic.sources if s.enabled and s.kind in self.source_kinds]

    async def start(self) -> AsyncIterator[Any]:
        self.stored = self.shared.stored_pages(self.crawler.settings, self.topic.slug)
        if self.crawler.settings.get("AOUD_REDIS_URL"):
            return  # a distributed crawl: `aoud-tracker seed` queued the sources in the shared frontier
        for request in self.start_requests_for_sources():
            self.count("sources/requested")
            yield request

    def start_requests_for_sources(self) -> list[Request]:
        """A request for each of the topic's sources this spider reads (what `seed` queues)."""
        return [self.source_request(source.url, source) for source in self.sources()]

    def source_request(self, url: str, source: Source, **cb_kwargs: Any) -> Request:
        """A request for a source document (or a later page of one), read from its copy on a 304."""
        return Request(
            url,
            callback=self.parse_source,
            errback=self.source_failed,
            cb_kwargs={"source": source, **cb_kwargs},
            meta={"aoud_source": source.url, MARK: "source"},
        )

    def parse_source(self, response: Response, source: Source) -> Iterator[Any]:
        raise NotImplementedError

    # ---- article pages --------------------------------------------------------------------

    def article_request(
        self, url: str, source: Source, changed_at: datetime | None = None, **hints: Any
    ) -> Request | None:
        """A request for an article page, once per URL identity per crawl.

        `changed_at` is when the source says the entry last changed (feed `updated`, sitemap
        `lastmod`): an old stored article is asked for again only when that is after our last fetch.
        """
        key = url_key(url)
        if key in self.shared.article_keys:
            self.count("skipped/duplicate_link")
            return None
        if self.stored.skip(url, changed_at):
            self.count("skipped/old_unchanged")
            return None
        if self.per_source.get(source.url, 0) >= self.max_articles:
            self.count("skipped/source_limit")
            if self.per_source.get(source.url, 0) == self.max_articles:  # said once per source
                self.per_source[source.url] = self.max_articles + 1
                logger.info(
                    "source %s: limit of %d articles reached (AOUD_MAX_ARTICLES_PER_SOURCE); rest skipped",
                    source.url, self.max_articles,
                )  # fmt: skip
            return None
        self.shared.article_keys.add(key)
        self.per_source[source.url] = self.per_source.get(source.url, 0) + 1
        return Request(
            url,
            callback=self.parse_article,
            errback=self.article_failed,
            cb_kwargs={"source": source, "hints": hints},
            meta={"aoud_source": source.url, MARK: "article"},
        )

    async def parse_article(
        self, response: Response, source: Source, hints: dict[str, Any]
    ) -> AsyncIterator[ArticleItem]:
        """Extract the page into an ArticleItem (in a worker process when there are any);
        pipelines decide whether it is kept."""
        if response.status == NOT_MODIFIED:
            return  # the page is as stored: nothing to parse
        self.count("articles/fetched")
        content_type = _header(response, "Content-Type") or None
        if not is_html(response, content_type):
            self.count("skipped/not_html")
            logger.warning("%s: not HTML (%s); skipped", response.url, content_type or "no Content-Type")
            return
        now = datetime.now(UTC)
        official = self.topic.is_official(response.url)
        known = PageHints(hints.get("title", ""), hints.get("published_at"), official)
        try:
            page, reading = await self._extract(response.body, response.url, content_type, now, known)
        except Exception:  # an I/O edge: one bad page must not stop the crawl
            self.count("errors/extract")
            logger.error("%s: extraction failed", response.url, exc_info=True)
            return
        if page.control_chars:  # counted by the extraction (in a work process, if there is one)
            self.count("pages/control_chars_removed")
            logger.info(
                "%s: %d control characters removed (XML forbids them)", response.url, page.control_chars
            )
        if page.refused_date is not None:
            self.count("dates/implausible")
            logger.info(
                "%s: the page's date %s is implausible; not used", response.url, page.refused_date.isoformat()
            )
        if page.encoding_note:
            self.count("pages/charset_repaired" if page.encoding_repaired else "pages/undecodable")
            logger.warning("%s: %s", response.url, page.encoding_note)
        site_name = page.site_name
        if site_name == site_of(response.url) and same_site(response.url, source.url):
            site_name = source.name  # the page names no site; its own feed or listing does
        yield ArticleItem(
            url=clean_url(response.url),
            canonical_url=clean_url(page.canonical_url or response.url),
            title=page.title or hints.get("title", ""),
            body=page.body,
            fetched_at=now,
            published_at=page.published_at
            or self.plausible_hint(hints.get("published_at"), response.url, now),
            modified_at=page.modified_at,
            author=page.author or clean_author(hints.get("author", ""), site_name),
            site_name=site_name,
            language=page.language,
            summary=page.description or hints.get("summary", ""),
            source_name=source.name,
            source_url=source.url,
            official=official,
            status=page.status,
            status_reason=page.reason,
            validators=validators_of(response),
            reading=reading,
        )

    async def _extract(
        self, page: bytes, url: str, content_type: str | None, now: datetime, hints: PageHints
    ) -> tuple[Extracted, Reading | None]:
        """The page extracted, and with work processes its text read ahead for the pipelines."""
        if self.pool is None:
            from aoud_tracker.extract import extract  # here: with work processes, this process never extracts

            return extract(page, url, content_type=content_type, now=now), None
        self.count("extracted_in_workers")
        return await maybe_deferred_to_future(self.pool.read(page, url, content_type, now, hints))

    def plausible_hint(self, when: datetime | None, url: str, now: datetime) -> datetime | None:
        """A date a feed or sitemap gave for the page, if it could be one (not 2099, not 1970)."""
        if when is None or plausible(when, now=now) is not None:
            return when
        self.count("dates/implausible")
        logger.info("%s: the source's date %s is implausible; not used", url, when.isoformat())
        return None

    # ---- accounting -----------------------------------------------------------------------

    def without_entities(self, response: Response) -> bytes:
        """A source document without its DOCTYPE when it declares entities: feeds and sitemaps have
        no use for them, and an external entity (XXE) or a billion-laughs expansion is an attack.
        Removed here, whatever the XML parser behind would do with them (counted, logged)."""
        body = response.body
        declaration = _ENTITY_DOCTYPE.search(body, 0, 65536)
        if declaration is None:
            return body
        self.count("sources/entities_refused")
        logger.warning("source %s: declares XML entities; they are not expanded", response.url)
        return body[: declaration.start()] + body[declaration.end() :]

    def count(self, key: str, amount: int = 1) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"aoud/{key}", amount)

    def source_read(self, response: Response) -> None:
        self.count("sources/read")
        source_url = response.request.meta.get("aoud_source") if response.request is not None else None
        self.note_source(source_url or response.url, "ok")
        if FROM_COPY in response.flags:
            logger.info("source %s: not modified, read from the stored copy", response.url)
        else:
            logger.info("source %s: read (%d bytes)", response.url, len(response.body))

    def note_source(self, source_url: str, outcome: str) -> None:
        """How this run's visit to a source went ("ok" or the failure's kind), kept in the run's stats."""
        assert self.crawler.stats is not None
        self.crawler.stats.set_value(f"{SOURCE_OUTCOME}{source_url}", outcome)

    def source_failed(self, failure: Failure) -> None:
        self._failed(failure, "source")

    def article_failed(self, failure: Failure) -> None:
        self._failed(failure, "article")

    def _failed(self, failure: Failure, what: str) -> None:
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "?"
        if request is not None:
            request_done(self.crawler, request)  # a distributed crawl's in-flight set forgets it
        kind, reason = describe_failure(failure)
        if what == "source" and request is not None:
            self.note_source(request.meta.get("aoud_source", url), kind)
        if kind in REFUSALS:  # the crawler's own choice, not the site failing
            self.count(f"skipped/{kind}")
            logger.info("%s %s: %s", what, url, reason)
            return
        if what == "article" and kind in GONE and self._mark_gone(url, GONE[kind]):
            self.count(f"gone/{GONE[kind]}")
            logger.info("article %s: gone (%s); kept in the store, marked gone", url, reason)
            return
        self.count("errors")
        self.count(f"errors/{kind}")
        logger.warning("%s %s: %s", what, url, reason)

    def _mark_gone(self, url: str, status: int) -> bool:
        """Mark a stored article gone; False when none is stored under that URL."""
        try:
            if self.gone_engine is None:
                self.gone_engine = make_engine(db_url_from(self.crawler.settings))
            with Session(self.gone_engine) as session, session.begin():
                return mark_gone(session, self.topic.slug, url, status, utcnow())
        except (DBAPIError, StoreError) as error:  # the store is away: counted as the error it was
            logger.warning("article %s: not marked gone (%s)", url, error)
            return False


_ENTITY_DOCTYPE: Final = re.compile(rb"<!DOCTYPE[^>\[]*\[[^\]]*<!ENTITY.*?\]\s*>", re.IGNORECASE | re.DOTALL)
_HTML_TYPES: Final = frozenset({"text/html", "application/xhtml+xml"})
_UNTYPED: Final = frozenset({"", "text/plain", "application/octet-stream"})  # may be HTML: look at it
_HTML_START: Final = re.compile(
    rb"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|div|p)\b", re.IGNORECASE | re.DOTALL
)
_BINARY_START: Final = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"RIFF", b"\x1f\x8b")


def is_html(response: Response, content_type: str | None) -> bool:
    """True for a page to read as HTML: its Content-Type says so (and it does not start like a
    PDF or an image), or it names none that fits and starts like HTML. Scrapy's response class is
    no test: it calls a PDF or an image under a .html address an HtmlResponse, and JSON text."""
    if not isinstance(response, TextResponse) or response.body[:64].lstrip().startswith(_BINARY_START):
        return False
    declared = (content_type or "").split(";")[0].strip().lower()
    if declared in _HTML_TYPES:
        return True
    return declared in _UNTYPED and _HTML_START.match(response.body[:4096]) is not None


def _header(response: Response, name: str) -> str:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else ""


# Failure kinds by exception class name, so Scrapy's and Twisted's names across versions all match.
_FAILURE_KINDS: Final = (
    ("timeout", "timed out", {"DownloadTimeoutError", "TimeoutError", "TCPTimedOutError"}),
    ("dns", "DNS lookup failed", {"CannotResolveHostError", "DNSLookupError"}),
    ("refused", "connection refused", {"DownloadConnectionRefusedError", "ConnectionRefusedError"}),
    ("too_large", "too large: more than DOWNLOAD_MAXSIZE", {"DownloadCancelledError"}),
    (
        "connection",
        "connection broken mid-response",
        {
            "ResponseDataLossError",
            "ResponseFailed",
            "ConnectionLost",
            "ConnectionDone",
            "DownloadFailedError",
        },
    ),
)


# Failures that are the crawler's own refusals (counted under aoud/skipped/, never as the site's errors).
REFUSALS: Final = frozenset({"robots", "robots_unreachable", "offsite_redirect", "unsafe_redirect"})
GONE: Final = {"http_404": 404, "http_410": 410}  # a stored article answering these is marked gone


def describe_failure(failure: Failure) -> tuple[str, str]:
    """A short stats key and a readable reason for a failed request."""
    error = failure.value
    if isinstance(error, HttpError):
        status = error.response.status
        return f"http_{status}", f"HTTP {status}"
    if isinstance(error, RedirectRefused):
        return error.kind, str(error)
    names = {cls.__name__ for cls in type(error).__mro__}
    for kind, reason, classes in _FAILURE_KINDS:
        if names & classes:
            return kind, f"{reason} ({str(error) or type(error).__name__})"
    message = str(error)
    if isinstance(error, IgnoreRequest):
        for kind, words, reason in _REFUSAL_WORDS:
            if words in message.lower():
                return kind, reason.format(message)
    name = type(error).__name__
    return name.lower(), f"{name}: {message}"


# IgnoreRequest's kinds by the words of its message (Scrapy's and ours).
_REFUSAL_WORDS: Final = (
    ("robots_unreachable", UNREACHABLE, "{}"),
    ("robots", "robots", "forbidden by robots.txt"),
    ("too_large", "max size", "too large: {}"),
    ("too_large", "download_maxsize", "too large once unpacked: {}"),  # HttpCompressionMiddleware's
    ("redirect_limit", "max redirections", "too many redirects ({})"),
)
