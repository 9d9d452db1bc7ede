"""Where a redirect may lead: the same publisher, over http(s), never in a circle.

Scrapy follows a redirect to any site (the spiders set no `allowed_domains`: feed entries may point
anywhere), lets its duplicate filter drop a redirect back to a page already asked for without a word
(an A → B → A loop vanished), and answers a redirect to `file:` or `ftp:` with the bare 3xx. This
downloader middleware sees every 3xx before RedirectMiddleware (it sits at 650, above 600) and
every meta-refresh request before it is sent, and refuses, each with its own reason:
- a target that is not http(s): never requested;
- a target already on the chain: a loop;
- a target on another registrable domain (`urls.domain_of`) than the page first asked for, unless
  it is a configured source's domain or the request is a redirect wrapper's (a shortener or
  FeedBurner link from a feed entry leads to the publisher by redirecting).
"""

from __future__ import annotations

import logging
from functools import cached_property
from typing import TYPE_CHECKING, Final, Self
from urllib.parse import urljoin

from scrapy.exceptions import IgnoreRequest
from w3lib.url import safe_url_string

from aoud_tracker.redirects import is_http_url
from aoud_tracker.runtime import topic_from
from aoud_tracker.urls import clean_url, domain_of

if TYPE_CHECKING:
    from collections.abc import Iterable

    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response

logger = logging.getLogger(__name__)

REDIRECT_STATUSES: Final = frozenset({301, 302, 303, 307, 308})
ANYWHERE: Final = "aoud_redirect_anywhere"  # request meta: a wrapper link, redirected to its publisher


class RedirectRefused(IgnoreRequest):
    """A redirect the crawler will not follow; `kind` names why (a stats key)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class RedirectGuard:
    """Refuses redirects to non-http URLs, in loops, or off the publisher's domain."""

    def __init__(self, source_urls: Iterable[str]) -> None:
        self.source_urls = tuple(source_urls)

    @cached_property
    def source_domains(self) -> frozenset[str]:
        """The configured sources' domains, worked out at the first redirect checked: the Public
        Suffix List they are read with took 31-51 ms to load (3 runs), which a crawl paid before its
        first request, redirected or not."""
        return frozenset(domain_of(url) for url in self.source_urls)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(source.url for source in topic_from(crawler.settings).sources)

    def process_request(self, request: Request) -> None:
        """A meta refresh leads here without a 3xx: its target is checked before it is sent."""
        chain = request.meta.get("redirect_urls")
        if chain and request.meta.get("redirect_reasons", [None])[-1] == "meta refresh":
            self._check(chain[0], chain, request.url, request)

    def process_response(self, request: Request, response: Response) -> Response:
        location = response.headers.get("Location")
        if response.status not in REDIRECT_STATUSES or not location or request.meta.get("dont_redirect"):
            return response
        target = urljoin(request.url, safe_url_string(location.decode("latin-1")))
        chain = [*request.meta.get("redirect_urls", []), request.url]
        self._check(chain[0], chain, target, request)
        return response

    def _check(self, first: str, chain: list[str], target: str, request: Request) -> None:
        if not is_http_url(target):
            raise RedirectRefused("unsafe_redirect", f"redirected to {target[:200]!r}, which is not http(s)")
        if clean_url(target) in {clean_url(url) for url in chain}:  # exact: http → https is no loop
            raise RedirectRefused("redirect_loop", f"redirect loop: {' -> '.join([*chain, target])}")
        if request.meta.get(ANYWHERE) or request.meta.get("dont_obey_robotstxt"):
            return  # a wrapper's hop to its publisher; robots.txt may move to its site's main host
        domain = domain_of(target)
        if domain != domain_of(first) and domain not in self.source_domains:
            raise RedirectRefused("offsite_redirect", f"redirected to {target}, on another site")
