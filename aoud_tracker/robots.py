"""robots.txt as RFC 9309 reads it: an unreachable file forbids the site, and `Crawl-delay` is kept.

Scrapy's RobotsTxtMiddleware allows everything when robots.txt answers 5xx or cannot be fetched
(it parses the error page, or gives up), and it ignores `Crawl-delay`. RFC 9309 (2.3.1.4) says a
crawler must assume complete disallow when robots.txt is unreachable through a server or network
error; a 4xx answer means there are no rules. So a site whose robots.txt answers 5xx or never
answers is left alone for this run, and a site asking for a delay between requests gets it (capped
by AOUD_CRAWL_DELAY_MAX: a robots.txt asking for an hour between pages would stop the crawl),
between any two requests of this process to that site (`SiteTurns`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING, Any, Final

from scrapy.core.downloader import Slot
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request
from scrapy.http.request import NO_CALLBACK
from scrapy.robotstxt import RobotParser
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

DEFAULT_CRAWL_DELAY_MAX: Final = 30.0
POLL_SECONDS: Final = 0.1
UNREACHABLE: Final = "robots.txt unreachable"  # in the refusal's text: spiders/base.py counts it apart


class Unreachable(RobotParser):
    """The rules of a site whose robots.txt could not be read: nothing is allowed."""

    def __init__(self, netloc: str, why: str) -> None:
        self.netloc, self.why = netloc, why

    @classmethod
    def from_crawler(cls, crawler: Crawler, robotstxt_body: bytes) -> Unreachable:
        raise NotImplementedError  # built by StrictRobotsTxt, never from a body

    def allowed(self, url: str | bytes, user_agent: str | bytes) -> bool:
        return False


class SiteTurns:
    """Our requests to a site that asked for a Crawl-delay, for every crawler of this process (the
    feeds and sites spiders run side by side, each with its own downloader, and the delay is
    between any two of our requests, not between one spider's): one at a time, each sent `delay`
    seconds after the one before was answered. Timed from what happened, not planned ahead: a busy
    crawl sends a request late (a DNS thread, a blocked loop), and planned times would bunch up."""

    def __init__(self) -> None:
        self.last: dict[str, float] = {}  # when the site last heard from us or answered us
        self.in_flight: dict[str, float] = {}  # when the request still unanswered was let go
        self.queues: dict[str, asyncio.Lock] = {}

    async def wait_turn(self, netloc: str, delay: float, give_up_after: float) -> None:
        """Wait, behind the site's earlier requests, for the one in flight to be answered (or to be
        older than `give_up_after`: a request dropped on its way never answers), then `delay`."""
        async with self.queues.setdefault(netloc, asyncio.Lock()):
            while True:
                sent = self.in_flight.get(netloc)
                if sent is not None and time.monotonic() - sent < give_up_after:
                    await asyncio.sleep(POLL_SECONDS)
                    continue
                wait = self.last.get(netloc, -delay) + delay - time.monotonic()
                if wait <= 0:
                    break
                await asyncio.sleep(wait)
            self.in_flight[netloc] = self.last[netloc] = time.monotonic()

    def answered(self, netloc: str) -> None:
        """The site answered (or the request failed): the next one waits `delay` from now."""
        self.in_flight.pop(netloc, None)
        self.last[netloc] = max(self.last.get(netloc, 0.0), time.monotonic())


CRAWL_DELAYS: Final = SiteTurns()


class StrictRobotsTxt(RobotsTxtMiddleware):
    """RobotsTxtMiddleware with RFC 9309's unreachable rule and `Crawl-delay` (replaces it at 100)."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.max_delay = crawler.settings.getfloat("AOUD_CRAWL_DELAY_MAX", DEFAULT_CRAWL_DELAY_MAX)
        self.delays: dict[str, float] = {}  # netloc → seconds between its requests
        self.give_up_after = crawler.settings.getfloat("DOWNLOAD_TIMEOUT", 180) + 5

    async def process_request(self, request: Request) -> None:  # type: ignore[override]
        await super().process_request(request)
        netloc = urlparse_cached(request).netloc
        if delay := self.delays.get(netloc):
            self._own_slot(request, netloc, delay)
            await CRAWL_DELAYS.wait_turn(netloc, delay, self.give_up_after)

    def process_response(self, request: Request, response: Response) -> Response:
        netloc = urlparse_cached(request).netloc
        if netloc in self.delays:
            CRAWL_DELAYS.answered(netloc)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        netloc = urlparse_cached(request).netloc
        if netloc in self.delays:
            CRAWL_DELAYS.answered(netloc)

    def process_request_2(self, rp: RobotParser | None, request: Request) -> None:
        if isinstance(rp, Unreachable):
            self._stats.inc_value("robotstxt/forbidden")
            raise IgnoreRequest(f"{UNREACHABLE} ({rp.why}): {rp.netloc} is left alone this run")
        super().process_request_2(rp, request)

    async def robot_parser(self, request: Request) -> RobotParser | None:
        """The site's rules, fetched once per site (Scrapy's method, but a failed fetch forbids the
        site with one clear warning instead of allowing it after a logged traceback)."""
        url = urlparse_cached(request)
        netloc = url.netloc
        if netloc not in self._parsers:
            self._parsers[netloc] = Deferred()
            robots_url = f"{url.scheme}://{netloc}/robots.txt"
            robots_request = Request(
                robots_url, priority=self.DOWNLOAD_PRIORITY, meta={"dont_obey_robotstxt": True},
                callback=NO_CALLBACK,
            )  # fmt: skip
            try:
                assert self.crawler.engine is not None
                response = await self.crawler.engine.download_async(robots_request)
            except Exception as error:  # a network edge: timeout, reset, refused, too large…
                self._stats.inc_value(f"robotstxt/exception_count/{type(error)}")
                self._settle(netloc, Unreachable(netloc, f"{type(error).__name__}: {error}"), robots_url)
            else:
                await self._parse_robots(response, netloc, request)
            self._stats.inc_value("robotstxt/request_count")
        parser = self._parsers[netloc]
        if isinstance(parser, Deferred):
            return await maybe_deferred_to_future(parser)
        return parser

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if response.status >= 500:  # a 4xx means "no rules" (RFC 9309 2.3.1.3); a 5xx, unreachable
            self._stats.inc_value(f"robotstxt/response_status_count/{response.status}")
            self._settle(netloc, Unreachable(netloc, f"HTTP {response.status}"), response.url)
            return
        await super()._parse_robots(response, netloc, request)
        parser = self._parsers.get(netloc)
        if isinstance(parser, RobotParser):
            self._note_delay(parser, netloc, response.url)

    def _settle(self, netloc: str, rules: Unreachable, robots_url: str) -> None:
        """Forbid the site for this run, and answer the requests that waited for its rules."""
        waiting = self._parsers[netloc]
        self._parsers[netloc] = rules
        logger.warning(
            "%s: %s (%s): the site is treated as disallowed for this run", robots_url, UNREACHABLE, rules.why
        )
        if isinstance(waiting, Deferred):
            waiting.callback(rules)

    def _note_delay(self, parser: RobotParser, netloc: str, robots_url: str) -> None:
        agent = self._robotstxt_useragent or self._default_useragent
        asked = _crawl_delay(parser, agent)
        if not asked:
            return
        delay = min(asked, self.max_delay)
        self.delays[netloc] = delay
        self._stats.set_value("aoud/robots/crawl_delay", delay)
        logger.info(
            "%s: Crawl-delay %s s asked; %s s between requests to %s", robots_url, asked, delay, netloc
        )

    def _own_slot(self, request: Request, netloc: str, delay: float) -> None:
        """Send the request through a downloader slot of its site alone that starts one download
        at a time, `delay` apart, with no random shortening, and that AutoThrottle leaves alone:
        released requests never wait behind other sites' and then leave together."""
        key = f"robots-delay:{netloc}"
        request.meta["download_slot"] = key
        request.meta["autothrottle_dont_adjust_delay"] = True
        assert self.crawler.engine is not None
        slots = self.crawler.engine.downloader.slots
        if key not in slots:
            slots[key] = Slot(concurrency=1, delay=delay, jitter=0.0)


def _crawl_delay(parser: RobotParser, agent: str) -> float | None:
    """The parser's Crawl-delay for our agent (Protego's parser knows it; others may not)."""
    asked: Any = getattr(parser, "crawl_delay", lambda _agent: None)(agent)
    try:
        return float(asked) if asked else None
    except (TypeError, ValueError):
        return None
