"""The other sites: robots.txt behaviours (case 15), the off-site redirect target (case 9) and the
sites crawled on their own (cases 7, 14 and 19).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from tests.hostile import hostile_pages as hp
from tests.hostile.pages import ROUTES, Entry, article_html, entry_for, gzip_bomb
from tests.hostile.sites import Site, after, page, streamed, then_gone

if TYPE_CHECKING:
    import itertools

    from tests.hostile.server import HostileSites
    from tests.hostile.sites import Layout


def partner_site(layout: Layout, sites: HostileSites, lines: itertools.count[int]) -> None:
    """Case 9: the other site the main site's off-site redirects point to (never to be fetched)."""
    other = Site(layout, sites, "other", "Partner Wire", lines)
    for route in ROUTES:
        path = f"/{route}/landing.html"
        landing = other.catalogue.spare(other.url(path), 2, "All of Us Are Dead Season 2 partner coverage")
        other.routes[path] = page(article_html(landing).encode())
    other.routes["/robots.txt"] = page(b"User-agent: *\nAllow: /\n", "text/plain")


# ---- case 15: robots.txt on other sites ---------------------------------------------------------


def robots_sites(layout: Layout, sites: HostileSites, main: Site, lines: itertools.count[int]) -> None:
    polite = Site(layout, sites, "polite", "Slow Reel", lines)
    for route in ROUTES:
        for key in ("polite-a", "polite-b"):
            polite.plain(route, key, good="main")
        private = f"/private/{route}/draft.html"
        draft = polite.catalogue.spare(polite.url(private), 0, "All of Us Are Dead Season 2 draft review")
        polite.article(route, private, draft, article_html(draft).encode())
    polite.publish(robots="User-agent: *\nCrawl-delay: 1\nDisallow: /private/\n")
    for site, name in (("robots503", "Backlot Bulletin"), ("robotsslow", "Quiet Frame")):
        closed = Site(layout, sites, site, name, lines)
        for number, route in enumerate(ROUTES):
            path = f"/{route}/checkpoint.html"
            spare = closed.catalogue.spare(
                closed.url(path), number, "All of Us Are Dead Season 2 checkpoint set"
            )
            closed.article(route, path, spare, article_html(spare).encode())
        from_main = closed.catalogue.spare(
            closed.url("/f/from-main.html"), 2, "All of Us Are Dead Season 2 extras"
        )
        closed.routes["/f/from-main.html"] = page(article_html(from_main).encode())
        main.list("f", entry_for(from_main))
        closed.publish(robots=None)
    robots503, robotsslow = layout.tables["robots503"], layout.tables["robotsslow"]
    robots503["/robots.txt"] = page(b"<html><body><h1>503 Service Unavailable</h1></body></html>", status=503)
    robotsslow["/robots.txt"] = after(10, page(b"User-agent: *\nAllow: /\n", "text/plain"))


# ---- cases 14 and 19: sites with crawls of their own --------------------------------------------


def gone_site(layout: Layout, sites: HostileSites) -> None:
    """Case 14: articles that answer 200 in phase 1 (first crawl), then 404 or 410."""
    gone = Site(layout, sites, "gone", "Seoul Set Report")
    for route in ROUTES:
        for key, status in (("gone-404", 404), ("gone-410", 410)):
            path, article = gone.story(route, key)
            gone.article(route, path, article, b"")
            gone.routes[path] = then_gone(article_html(article).encode(), status)
        gone.plain(route, "gone-good", good="gone")
    gone.publish()


def bulk_site(layout: Layout, sites: HostileSites) -> None:
    """Case 7: 50 MB pages and gzip bombs (a crawl of their own: reading 32 MiB within the tests'
    2-second download timeout needs a reactor that is not busy extracting other pages)."""
    bulk = Site(layout, sites, "bulk", "Picture Desk")
    bomb = gzip_bomb(b"<html><body><p>", b"</p></body></html>")
    for route in ROUTES:
        for name, title, handler in (
            ("huge", "photo gallery", streamed(declare_length=True)),
            ("huge-stream", "live blog", streamed(declare_length=False)),
            ("bomb", "fan art archive", page(bomb, headers=[("Content-Encoding", "gzip")])),
        ):
            path = f"/{route}/{name}.html"
            bulk.routes[path] = handler
            bulk.list(route, Entry(bulk.url(path), f"All of Us Are Dead Season 2 {title}"))
        bulk.plain(route, "bulk-good", good="bulk")
    bulk.publish()
    routes = bulk.routes
    urlset_head = (
        b'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    )
    routes["/bomb-sitemap.xml.gz"] = page(gzip_bomb(urlset_head, b"</urlset>"), "application/x-gzip")
    rss_head = b'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Archive</title>'
    routes["/bomb-feed.xml"] = page(
        gzip_bomb(rss_head, b"</channel></rss>"),
        "application/rss+xml",
        headers=[("Content-Encoding", "gzip")],
    )


def huge_site(layout: Layout, sites: HostileSites) -> None:
    """Case 19: a 10,000-character title and a 5 MB single-line body (a crawl of their own: today
    the big body can block the crawler for minutes)."""
    huge = Site(layout, sites, "huge", "Fan Archive Weekly")
    for route in ROUTES:
        path, article = huge.story(route, "long-title")
        long_title = hp.stuffed_title(article.headline, 10_000)
        article = replace(article, headline=long_title)
        huge.article(route, path, article, article_html(article).encode())
        path, article = huge.story(route, "big-body")
        huge.article(route, path, article, hp.single_line_page(article, route, 5 * 1024 * 1024).encode())
        huge.plain(route, "huge-good", good="huge")
    huge.publish()
