"""The main site (K-Screen Daily): the article cases on both routes and the hostile sources.

Cases 1–6, 16–18, 20, 25, 26 (what a page says), 8–13 and 15a (how it is delivered) and 21–24
(hostile feeds and sitemaps).
"""

from __future__ import annotations

import json
from dataclasses import replace
from html import escape
from typing import TYPE_CHECKING, Final

from tests.hostile import hostile_pages as hp
from tests.hostile.pages import Entry, article_html, entry_for, lastmod_of, rss, sitemap_index, urlset
from tests.hostile.sites import DATED, RETRY_AFTER, TENK, after, busy_then, page, redirect, reset, stall

if TYPE_CHECKING:
    from tests.hostile.sites import Site

KOREAN_SITE: Final = "케이스크린데일리"  # the main site's name on its Korean pages


# ---- cases 1–6, 16–18, 20, 25, 26: what the page says -------------------------------------------


def content_cases(main: Site, route: str) -> None:
    """The cases about what a page says, on `route` of the main site."""
    path, article = main.story(route, "malformed")  # 1
    main.article(route, path, article, hp.malformed(article).encode())
    path = f"/{route}/empty.html"  # 2
    main.routes[path] = page(b"<html><head></head><body></body></html>")
    main.list(route, Entry(main.url(path), "All of Us Are Dead Season 2: live updates", summary="Live."))
    for key in ("euckr-as-utf8", "utf8-as-euckr"):  # 3
        path = f"/{route}/{key}.html"
        korean = replace(main.catalogue.korean_story(main.url(path), key, route), site_name=KOREAN_SITE)
        declared = "utf-8" if key == "euckr-as-utf8" else "euc-kr"
        encoded = article_html(korean, charset=declared).encode("euc-kr" if declared == "utf-8" else "utf-8")
        main.article(route, path, korean, encoded, f"text/html; charset={declared}")
    path, article = main.story(route, "mixed-bytes")  # 4
    main.article(route, path, article, hp.mixed_bytes(article))
    path, article = main.story(route, "control-chars")  # 5
    article = replace(article, author="Kim Ha-neul")
    main.article(route, path, article, hp.control_chars(article).encode())
    path, article = main.story(route, "entities")  # 6
    main.article(route, path, article, hp.entities(article).encode())
    not_html(main, route)  # 16
    path = f"/{route}/app-shell.html"  # 17
    main.routes[path] = page(hp.app_shell(path).encode())
    main.list(route, Entry(main.url(path), "All of Us Are Dead Season 2 interactive cast guide"))
    for key, when in DATED.items():  # 18
        path, article = main.story(route, key)
        article = replace(article, published=when)
        main.article(route, path, article, article_html(article).encode())
    path, article = main.story(route, "xss")  # 20
    article = replace(article, author="<script>alert(4)</script>Min Seo-yeon")
    main.article(route, path, article, hp.xss(article).encode())
    path = f"/{route}/korean.html"  # 25
    korean = replace(main.catalogue.korean_story(main.url(path), "korean", route), site_name=KOREAN_SITE)
    main.article(route, path, korean, article_html(korean).encode())
    for name, html in hp.error_pages(main.catalogue.site_name).items():  # 26
        path = f"/{route}/{name}.html"
        main.routes[path] = page(html.encode())
        main.list(route, Entry(main.url(path), hp.ERROR_PAGE_TITLES[name], summary="Read more."))


def not_html(main: Site, route: str) -> None:
    """Case 16: a PDF press kit, a PNG poster and a JSON episode guide, each under an .html URL."""
    lead = "All of Us Are Dead Season 2 press kit: Netflix, Film Monster and JTBC Studios present"
    lines = [lead, *(s for p in hp.pool_text(30 if route == "f" else 31) for s in p.split(". "))]
    json_text = json.dumps(
        {
            "@type": "NewsArticle",
            "headline": f"All of Us Are Dead Season 2 episode guide ({route})",
            "articleBody": " ".join(hp.pool_text(32 if route == "f" else 33)),
        }
    )
    for name, body, content_type in (
        ("press-kit", hp.pdf_document(lines), "application/pdf"),
        ("poster", hp.png_image(), "image/png"),
        ("episode-guide", json_text.encode(), "application/json"),
    ):
        path = f"/{route}/{name}.html"
        main.routes[path] = page(body, content_type)
        main.list(route, Entry(main.url(path), f"All of Us Are Dead Season 2 {name.replace('-', ' ')}"))


# ---- cases 8–13 and 15a: how the page is delivered ---------------------------------------------


def network_cases(main: Site, route: str) -> None:
    """Redirects (8, 9), timeouts (10), resets (11), Retry-After (12, 13), a disallowed path (15a)."""
    redirect_cases(main, route)
    spare = main.catalogue.spare(main.url(f"/{route}/slow.html"), 1, "All of Us Are Dead Season 2 event")
    html = article_html(spare).encode()
    main.routes[_listed(main, route, "slow.html", spare.headline)] = after(60, page(html))
    main.routes[_listed(main, route, "stall.html", "All of Us Are Dead Season 2 countdown")] = stall(html, 30)
    main.routes[_listed(main, route, "reset.html", "All of Us Are Dead Season 2 fan notes")] = reset(html)
    for key, (status, seconds) in RETRY_AFTER.items():
        path, article = main.story(route, key)
        main.article(route, path, article, b"")
        main.routes[path] = busy_then(status, seconds, article_html(article).encode())
    private = f"/private/{route}/casting-sheet.html"
    leak = main.catalogue.spare(main.url(private), 3, "All of Us Are Dead Season 2 internal casting sheet")
    main.article(route, private, leak, article_html(leak).encode())


def _listed(main: Site, route: str, name: str, title: str) -> str:
    """Path of page `name` on `route`, listed (with `title`) in the route's feed or sitemap."""
    path = f"/{route}/{name}"
    main.list(route, Entry(main.url(path), title))
    return path


def redirect_cases(main: Site, route: str) -> None:
    """A loop, a chain of 20, another site, file: and ftp: targets; javascript:, file:, ftp: links."""
    a, b = f"/{route}/loop-a.html", f"/{route}/loop-b.html"
    path = _listed(main, route, "loop-a.html", "All of Us Are Dead Season 2 ticket lottery")
    main.routes[path] = redirect(main.url(b))
    main.routes[b] = redirect(main.url(a))
    _listed(main, route, "chain/0.html", "All of Us Are Dead Season 2 short link")
    for hop in range(20):
        main.routes[f"/{route}/chain/{hop}.html"] = redirect(main.url(f"/{route}/chain/{hop + 1}.html"))
    end = main.catalogue.spare(
        main.url(f"/{route}/chain/20.html"), 0, "All of Us Are Dead Season 2 call sheet"
    )
    main.routes[f"/{route}/chain/20.html"] = page(article_html(end).encode())
    offsite = main.sites.url("other", f"/{route}/landing.html")
    path = _listed(main, route, "offsite.html", "All of Us Are Dead Season 2 partner story")
    main.routes[path] = redirect(offsite, 301)
    path = _listed(main, route, "to-file.html", "All of Us Are Dead Season 2 archive")
    main.routes[path] = redirect("file:///etc/passwd")
    ftp = f"ftp://{main.sites.trap_url}/pub/aoud-s2-{route}.html"
    path = _listed(main, route, "to-ftp.html", "All of Us Are Dead Season 2 press files")
    main.routes[path] = redirect(ftp)
    for link in (f"javascript:alert({1001 if route == 'f' else 2002})", "file:///etc/passwd", ftp):
        if route == "f":
            main.feed.append(Entry(link, "All of Us Are Dead Season 2 bonus", raw_link=escape(link)))
        else:
            main.sitemap.append((escape(link), ""))


# ---- cases 21–24: hostile sources ---------------------------------------------------------------


def source_cases(main: Site) -> None:
    entity_sources(main)
    broken_feeds(main)
    repeats(main)


def entity_sources(main: Site) -> None:
    """Case 21: XXE (a file and a URL on the trap port) and billion laughs, in a feed and a sitemap."""
    trap = main.sites.trap_url
    xxe = f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY probe SYSTEM "http://{trap}/xxe">]>'
    for name, prolog, marker in (("xxe", xxe, "&xxe;&probe;"), ("lol", hp.billion_laughs("rss"), "&lol9;")):
        path, article = main.story("f", f"{name}-entry", prefix="/x")
        main.routes[path] = page(article_html(article).encode())
        entry = Entry(article.url, "", raw_title=f"{escape(article.headline)} {marker}", raw_summary=marker)
        feed = rss("Casting desk", main.base, [entry], prolog=prolog, channel_title=f"Casting desk {marker}")
        main.routes[f"/{name}-feed.xml"] = page(feed.encode(), "application/rss+xml")
        path, article = main.story("s", f"{name}-entry", prefix="/x")
        main.routes[path] = page(article_html(article).encode())
        locs = [(escape(article.url), ""), (f"{main.base}/x/{marker}.html", "")]
        sitemap = urlset(locs, prolog=prolog.replace("DOCTYPE rss", "DOCTYPE urlset"))
        main.routes[f"/{name}-sitemap.xml"] = page(sitemap.encode(), "application/xml")


def broken_feeds(main: Site) -> None:
    """Case 22: a feed that is an HTML page, a truncated feed, 10,000 entries in a feed and a sitemap."""
    main.routes["/html-feed.xml"] = page(hp.moved_feed_page(main.catalogue.site_name).encode())
    entries = []
    for key in ("trunc-1", "trunc-2"):
        path, article = main.story("f", key, prefix="/t")
        main.routes[path] = page(article_html(article).encode())
        main.layout.articles[article.url] = article
        entries.append(entry_for(article))
    entries.append(Entry(main.url("/t/trunc-3.html"), "All of Us Are Dead Season 2 extended interview"))
    whole = rss("Partner feed", main.base, entries)
    cut = whole.index("extended interview")  # the third entry ends mid-title: no </item>, no link
    main.routes["/truncated-feed.xml"] = page(whole[:cut].encode(), "application/rss+xml")
    many = [Entry(main.url(f"/many/f/{i}.html"), f"Daily roundup #{i}") for i in range(TENK)]
    main.routes["/tenk-feed.xml"] = page(
        rss("Daily roundup", main.base, many).encode(), "application/rss+xml"
    )
    locs = [(main.url(f"/many/s/{i}.html"), "") for i in range(TENK)]
    main.routes["/tenk-sitemap.xml"] = page(urlset(locs).encode(), "application/xml")


def repeats(main: Site) -> None:
    """Case 23: three entries with one GUID and different links; case 24: an index listing itself."""
    guid = "tag:kscreendaily.example,2026:aoud-s2-stunt-diary"
    path, first = main.story("f", "guid-first", prefix="/g")
    main.routes[path] = page(article_html(first).encode())
    main.layout.articles[first.url] = first
    duplicates = [entry_for(first, guid=guid)]
    for number, name in enumerate(("second", "third")):
        other = main.catalogue.spare(main.url(f"/g/{name}.html"), number, first.headline)
        main.routes[f"/g/{name}.html"] = page(article_html(other).encode())
        duplicates.append(entry_for(other, guid=guid))
    feed = rss("Stunt diary", main.base, duplicates)
    main.routes["/dupguid-feed.xml"] = page(feed.encode(), "application/rss+xml")
    index = sitemap_index([main.url("/self-index.xml"), main.url("/self-child.xml")])
    main.routes["/self-index.xml"] = page(index.encode(), "application/xml")
    path, child = main.story("s", "index-child", prefix="/x")
    main.routes[path] = page(article_html(child).encode())
    main.layout.articles[child.url] = child
    main.routes["/self-child.xml"] = page(
        urlset([(escape(child.url), lastmod_of(child))]).encode(), "application/xml"
    )
