"""The hostile web's building blocks: route handlers, a site under construction, the crawls' sources.

Article cases live on a site twice, under /f/ (listed only in its feed) and /s/ (listed only in its
sitemap), because one crawl fetches a URL once whichever source lists it. `Layout` tells the tests
what was served where and what each crawl must store.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import escape
from typing import TYPE_CHECKING, Final

from tests.hostile.pages import Article, Catalogue, Entry, article_html, entry_for, lastmod_of, rss, urlset

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from tests.hostile.server import HostileHandler, HostileSites

    Handler = Callable[[HostileHandler, int], None]

ARTICLE_LIMIT: Final = 60  # AOUD_MAX_ARTICLES_PER_SOURCE for the hostile crawls
TENK: Final = 10_000
HUGE: Final = 50 * 1000 * 1000
HTML: Final = "text/html; charset=utf-8"
RETRY_AFTER: Final = {"retry-500": (500, 1), "retry-503": (503, 2), "retry-429": (429, 3)}
DATED: Final = {
    "dated-2099": datetime(2099, 3, 14, 0, 0, tzinfo=UTC),
    "dated-1970": datetime(1970, 1, 1, 0, 0, tzinfo=UTC),
}


def page(
    body: bytes, content_type: str = HTML, status: int = 200, headers: Iterable[tuple[str, str]] = ()
) -> Handler:
    """A route that always answers with these bytes."""
    fixed = tuple(headers)

    def answer(handler: HostileHandler, number: int) -> None:
        handler.send(status, body, content_type, fixed)

    return answer


def redirect(location: str, status: int = 302) -> Handler:
    def answer(handler: HostileHandler, number: int) -> None:
        handler.redirect(location, status)

    return answer


def after(seconds: float, answer: Handler) -> Handler:
    """Case 10 (and the robots.txt that never answers in time): wait, then answer."""

    def slow(handler: HostileHandler, number: int) -> None:
        handler.wait(seconds)
        answer(handler, number)

    return slow


def stall(body: bytes, seconds: float) -> Handler:
    """Case 10: the headers and 1,500 bytes of `body`, then nothing for `seconds`."""

    def answer(handler: HostileHandler, number: int) -> None:
        handler.stall(body[:1500], len(body), seconds)

    return answer


def reset(body: bytes) -> Handler:
    """Case 11: the headers and 2,500 bytes of `body`, then a TCP reset."""

    def answer(handler: HostileHandler, number: int) -> None:
        handler.reset(body[:2500], len(body))

    return answer


def busy_then(status: int, seconds: int, body: bytes) -> Handler:
    """Cases 12 and 13: `status` with Retry-After the first time, the article afterwards."""
    busy = f"<html><body><h1>{status}</h1><p>Please try again later.</p></body></html>".encode()

    def answer(handler: HostileHandler, number: int) -> None:
        if number == 1:
            handler.send(status, busy, headers=[("Retry-After", str(seconds))])
        else:
            handler.send(200, body)

    return answer


def streamed(*, declare_length: bool) -> Handler:
    def answer(handler: HostileHandler, number: int) -> None:
        handler.stream(HUGE, declare_length=declare_length)

    return answer


def then_gone(body: bytes, status: int) -> Handler:
    def answer(handler: HostileHandler, number: int) -> None:
        if handler.state.phase == 1:
            handler.send(200, body)
        else:
            handler.send(status, b"<html><body><h1>This article is no longer available</h1></body></html>")

    return answer


@dataclass
class Layout:
    """What the tests need to know: every article by URL, the plain valid ones each crawl must store,
    each crawl's sources and the route table of each site."""

    articles: dict[str, Article] = field(default_factory=dict)
    good: dict[str, list[str]] = field(default_factory=dict)
    sources: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    tables: dict[str, dict[str, Handler]] = field(default_factory=dict)


class Site:
    """One site being built: its routes, its feed's entries and its sitemap's URLs."""

    def __init__(
        self,
        layout: Layout,
        sites: HostileSites,
        site: str,
        name: str,
        lines: itertools.count[int] | None = None,
    ) -> None:
        self.layout, self.sites, self.site = layout, sites, site
        self.base = sites.base_urls[site]
        self.catalogue = Catalogue(name, itertools.count() if lines is None else lines)  # shared by a crawl
        self.routes: dict[str, Handler] = layout.tables.setdefault(site, {})
        self.feed: list[Entry] = []
        self.sitemap: list[tuple[str, str]] = []

    def url(self, path: str) -> str:
        return self.base + path

    def list(self, route: str, entry: Entry, lastmod: str = "") -> None:
        """Make `entry` reachable from this site's feed (route f) or sitemap (route s)."""
        if route == "f":
            self.feed.append(entry)
        else:
            self.sitemap.append((escape(entry.link), lastmod))

    def article(self, route: str, path: str, article: Article, body: bytes, content_type: str = HTML) -> None:
        """Serve `body` for an article at `path` and list it on `route`."""
        self.routes[path] = page(body, content_type)
        self.layout.articles[article.url] = article
        self.list(route, entry_for(article), lastmod_of(article))

    def story(self, route: str, key: str, name: str | None = None, prefix: str = "") -> tuple[str, Article]:
        path = f"{prefix}/{route}/{name or key}.html"
        return path, self.catalogue.story(self.url(path), key, route)

    def plain(self, route: str, key: str, *, good: str | None = None) -> Article:
        """A well-formed article page; `good`: the crawl that must store it."""
        path, article = self.story(route, key)
        self.article(route, path, article, article_html(article).encode())
        if good:
            self.layout.good.setdefault(good, []).append(article.url)
        return article

    def publish(self, *, robots: str | None = "User-agent: *\nDisallow: /private/\n") -> None:
        """The site's /feed.xml, /sitemap.xml and /robots.txt from what was listed."""
        self.routes["/feed.xml"] = page(
            rss(self.catalogue.site_name, self.base, self.feed).encode(), "application/rss+xml; charset=utf-8"
        )
        self.routes["/sitemap.xml"] = page(urlset(self.sitemap).encode(), "application/xml")
        if robots is not None:
            self.routes["/robots.txt"] = page(robots.encode(), "text/plain")


def topic_sources() -> dict[str, list[tuple[str, str, str]]]:
    """Each crawl's sources: (name, URL with {{base:SITE}}, kind)."""
    main = [
        ("K-Screen Daily", "{{base:main}}/feed.xml", "feed"),
        ("K-Screen Daily sitemap", "{{base:main}}/sitemap.xml", "sitemap"),
        ("Casting desk", "{{base:main}}/xxe-feed.xml", "feed"),
        ("Casting desk sitemap", "{{base:main}}/xxe-sitemap.xml", "sitemap"),
        ("Fan club", "{{base:main}}/lol-feed.xml", "feed"),
        ("Fan club sitemap", "{{base:main}}/lol-sitemap.xml", "sitemap"),
        ("Old RSS address", "{{base:main}}/html-feed.xml", "feed"),
        ("Partner feed", "{{base:main}}/truncated-feed.xml", "feed"),
        ("Daily roundup", "{{base:main}}/tenk-feed.xml", "feed"),
        ("Daily roundup sitemap", "{{base:main}}/tenk-sitemap.xml", "sitemap"),
        ("Stunt diary", "{{base:main}}/dupguid-feed.xml", "feed"),
        ("News sitemap index", "{{base:main}}/self-index.xml", "sitemap"),
        ("Slow Reel", "{{base:polite}}/feed.xml", "feed"),
        ("Slow Reel sitemap", "{{base:polite}}/sitemap.xml", "sitemap"),
        ("Backlot Bulletin", "{{base:robots503}}/feed.xml", "feed"),
        ("Backlot Bulletin sitemap", "{{base:robots503}}/sitemap.xml", "sitemap"),
        ("Quiet Frame", "{{base:robotsslow}}/feed.xml", "feed"),
        ("Quiet Frame sitemap", "{{base:robotsslow}}/sitemap.xml", "sitemap"),
    ]
    gone = [
        ("Seoul Set Report", "{{base:gone}}/feed.xml", "feed"),
        ("Seoul Set Report sitemap", "{{base:gone}}/sitemap.xml", "sitemap"),
    ]
    bulk = [
        ("Picture Desk", "{{base:bulk}}/feed.xml", "feed"),
        ("Picture Desk sitemap", "{{base:bulk}}/sitemap.xml", "sitemap"),
        ("Archive sitemap", "{{base:bulk}}/bomb-sitemap.xml.gz", "sitemap"),
        ("Compressed feed", "{{base:bulk}}/bomb-feed.xml", "feed"),
    ]
    huge = [
        ("Fan Archive Weekly", "{{base:huge}}/feed.xml", "feed"),
        ("Fan Archive Weekly sitemap", "{{base:huge}}/sitemap.xml", "sitemap"),
    ]
    return {"main": main, "gone": gone, "bulk": bulk, "huge": huge}
