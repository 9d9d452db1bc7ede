"""Spiders called on responses built from the sample sites' files: no network, real Scrapy objects."""

from __future__ import annotations

import asyncio
import gzip
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from scrapy.http import HtmlResponse, Request, Response, TextResponse, XmlResponse
from scrapy.utils.test import get_crawler

from aoud_tracker.demo.server import fill_placeholders, sample_sites_dir
from aoud_tracker.items import ArticleItem
from aoud_tracker.spiders.feeds import FeedsSpider
from aoud_tracker.spiders.sites import SitesSpider
from aoud_tracker.topic import Source

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from aoud_tracker.spiders.base import TopicSpider

SITES = sample_sites_dir()
BASES = {site.name: f"http://{site.name}.example" for site in SITES.iterdir() if site.is_dir()}


def page(site: str, path: str, kind: type[TextResponse] = HtmlResponse) -> TextResponse:
    """A response for a sample-site file, as if served at http://<site>.example<path>."""
    file = SITES / site / path.lstrip("/")
    if path.endswith("/"):
        file = file / "index.html"
    return kind(url=BASES[site] + path, body=fill_placeholders(file.read_bytes(), BASES))


def spider(cls: type[TopicSpider]) -> Any:
    """A spider that extracts in this process: it is never closed, so it must not hold a share of
    a work pool (the pool is tested in test_workpool.py and with a whole crawl in test_e2e.py)."""
    crawler = get_crawler(cls, {"AOUD_TOPIC": "", "AOUD_WORK_PROCESSES": 0})
    return cls.from_crawler(crawler)


def articles(output: AsyncIterator[Any]) -> list[Any]:
    """What an async callback yields (parse_article awaits its extraction)."""

    async def collect() -> list[Any]:
        return [each async for each in output]

    return asyncio.run(collect())


def stats(spider: TopicSpider) -> dict[str, Any]:
    assert spider.crawler.stats is not None
    return spider.crawler.stats.get_stats()


def feed_source(site: str, path: str, **kw: Any) -> Source:
    return Source(name=site, url=BASES[site] + path, kind="feed", **kw)


def test_rss_entries_become_article_requests_with_hints() -> None:
    feeds = spider(FeedsSpider)
    requests = list(
        feeds.parse_source(
            page("seoulscreen", "/rss.xml", XmlResponse), feed_source("seoulscreen", "/rss.xml")
        )
    )
    assert requests and all(isinstance(r, Request) for r in requests)
    assert all(r.callback == feeds.parse_article for r in requests)
    tracked = [r for r in requests if "utm_source=rss" in r.url]
    assert tracked, "the feed's tracking-parameter link is fetched as given"
    hints = requests[0].cb_kwargs["hints"]
    assert hints["title"] and isinstance(hints["published_at"], datetime)
    assert hints["published_at"].tzinfo == UTC
    assert stats(feeds)["aoud/sources/read"] == 1


def test_atom_feed_is_read_too() -> None:
    feeds = spider(FeedsSpider)
    source = feed_source("undeadblog", "/feed.atom")
    requests = list(feeds.parse_source(page("undeadblog", "/feed.atom", XmlResponse), source))
    assert len(requests) >= 5
    assert all(r.url.startswith(BASES["undeadblog"] + "/posts/") for r in requests)


def test_feed_allow_patterns_filter_entries() -> None:
    feeds = spider(FeedsSpider)
    source = feed_source("seoulscreen", "/rss.xml", allow=("/2026/",))
    requests = list(feeds.parse_source(page("seoulscreen", "/rss.xml", XmlResponse), source))
    assert requests and all("/2026/" in r.url for r in requests)
    assert stats(feeds)["aoud/skipped/entry_link"] > 0


def test_a_page_that_is_not_a_feed_is_an_error_not_a_crash() -> None:
    feeds = spider(FeedsSpider)
    response = HtmlResponse(url="http://seoulscreen.example/rss.xml", body=b"<html><body>Moved</body></html>")
    assert list(feeds.parse_source(response, feed_source("seoulscreen", "/rss.xml"))) == []
    assert stats(feeds)["aoud/errors/feed_unparsable"] == 1


def test_url_variants_are_requested_once() -> None:
    feeds = spider(FeedsSpider)
    source = feed_source("seoulscreen", "/rss.xml")
    first = feeds.article_request("http://seoulscreen.example/a/story.html?utm_source=x", source)
    again = feeds.article_request("http://seoulscreen.example/amp/a/story.html", source)
    assert first is not None and again is None
    assert stats(feeds)["aoud/skipped/duplicate_link"] == 1


def test_listing_follows_allowed_same_site_links_and_next_page() -> None:
    sites = spider(SitesSpider)
    source = Source(
        name="Hallyu Wire", url=BASES["hallyuwire"] + "/news/", kind="listing", allow=("/news/20",)
    )
    requests = list(sites.parse_source(page("hallyuwire", "/news/"), source))
    articles = [r for r in requests if r.callback == sites.parse_article]
    listings = [r for r in requests if r.callback == sites.parse_source]
    assert articles and all(r.url.startswith(BASES["hallyuwire"] + "/news/20") for r in articles)
    assert [r.url for r in listings] == [BASES["hallyuwire"] + "/news/page/2/"]
    assert listings[0].cb_kwargs["depth"] == 1


def test_listing_depth_is_capped() -> None:
    sites = spider(SitesSpider)
    source = Source(name="Hallyu Wire", url=BASES["hallyuwire"] + "/news/", kind="listing")
    requests = list(
        sites.parse_listing(page("hallyuwire", "/news/"), source, depth=sites.max_listing_pages - 1)
    )
    assert not [r for r in requests if r.callback == sites.parse_source]


def test_sitemap_index_then_urlset() -> None:
    sites = spider(SitesSpider)
    source = Source(
        name="sitemap", url=BASES["hallyuwire"] + "/sitemap.xml", kind="sitemap", allow=("/news/",)
    )
    (child,) = list(sites.parse_source(page("hallyuwire", "/sitemap.xml", XmlResponse), source))
    assert child.url == BASES["hallyuwire"] + "/sitemap-posts.xml"
    urlset = page("hallyuwire", "/sitemap-posts.xml", XmlResponse)
    articles = list(sites.parse_source(urlset, source, depth=1))
    assert len(articles) >= 8 and all("/news/" in r.url for r in articles)


def test_gzipped_sitemap_is_read() -> None:
    sites = spider(SitesSpider)
    source = Source(name="sitemap", url=BASES["hallyuwire"] + "/sitemap.xml.gz", kind="sitemap")
    raw = page("hallyuwire", "/sitemap-posts.xml", XmlResponse).body
    response = Response(url=source.url, body=gzip.compress(raw))
    assert len(list(sites.parse_source(response, source))) >= 8


def test_article_page_becomes_an_item() -> None:
    feeds = spider(FeedsSpider)
    source = feed_source("seoulscreen", "/rss.xml")
    response = page("seoulscreen", "/entertainment/2025/07/all-of-us-are-dead-season-2-table-read-cast.html")
    (item,) = articles(feeds.parse_article(response, source, {"title": "feed title"}))
    assert isinstance(item, ArticleItem)
    assert item.status == "ok"
    assert item.title.startswith("Netflix starts production on All of Us Are Dead Season 2")
    assert item.site_name == "Seoul Screen Daily"
    assert item.published_at is not None and item.published_at.tzinfo == UTC
    assert item.author and len(item.body) > 500
    assert item.source_url == source.url


def test_amp_page_names_its_canonical_url() -> None:
    feeds = spider(FeedsSpider)
    response = page(
        "seoulscreen", "/amp/entertainment/2025/07/all-of-us-are-dead-season-2-table-read-cast.html"
    )
    (item,) = articles(feeds.parse_article(response, feed_source("seoulscreen", "/rss.xml"), {}))
    assert (
        item.canonical_url
        == BASES["seoulscreen"] + "/entertainment/2025/07/all-of-us-are-dead-season-2-table-read-cast.html"
    )


def test_official_site_marks_its_articles_official() -> None:
    """The demo topic marks netflixpress official; the bundled one marks netflix.com."""
    feeds = spider(FeedsSpider)
    response = HtmlResponse(
        url="https://about.netflix.com/en/news/x", body=b"<html><body><p>x</p></body></html>"
    )
    (item,) = articles(feeds.parse_article(response, feed_source("seoulscreen", "/rss.xml"), {}))
    assert item.official
    assert item.status == "no_body"


@pytest.mark.parametrize("content_type", [b"application/pdf", b"image/jpeg"])
def test_non_html_pages_are_counted_and_skipped(content_type: bytes) -> None:
    feeds = spider(FeedsSpider)
    response = Response(
        url="http://x.example/file", body=b"%PDF-1.4 ...", headers={"Content-Type": content_type}
    )
    assert articles(feeds.parse_article(response, feed_source("seoulscreen", "/rss.xml"), {})) == []
    assert stats(feeds)["aoud/skipped/not_html"] == 1


REDIRECTS = Path(__file__).parent / "fixtures" / "redirects"
NEW_ID = "CBMiAU_yqLOpaqueTokenForTest"  # an id minted after July 2024: opaque, resolved over HTTP


def google_news_feed(*links: str) -> XmlResponse:
    items = "".join(
        f"<item><title>Story {i}</title><link>{link}</link></item>" for i, link in enumerate(links)
    )
    body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>{items}</channel></rss>'
    return XmlResponse(url="https://news.google.com/rss/search?q=x", body=body.encode())


def test_alert_and_bing_wrappers_are_decoded_before_anything_else_sees_them() -> None:
    feeds = spider(FeedsSpider)
    source = Source(name="alerts", url="https://news.google.com/rss/search?q=x", kind="feed")
    publisher = "https://seoulscreen.example/entertainment/2025/07/story.html"
    wrapped = [
        f"https://www.google.com/url?rct=j&amp;sa=t&amp;url={publisher}&amp;ct=ga&amp;cd=1&amp;usg=AOv",
        "http://www.bing.com/news/apiclick.aspx?ref=FexRss&amp;aid=&amp;url="
        "https%3a%2f%2fhallyu.example%2fnews%2f2025%2f07%2fstory%2f&amp;c=1&amp;mkt=en-us",
    ]
    requests = list(feeds.parse_source(google_news_feed(*wrapped), source))
    assert [r.url for r in requests] == [publisher, "https://hallyu.example/news/2025/07/story/"]
    assert stats(feeds)["aoud/redirects/decoded/google_alerts"] == 1


def test_opaque_google_news_id_is_resolved_through_googles_two_requests() -> None:
    feeds = spider(FeedsSpider)
    source = Source(name="gn", url="https://news.google.com/rss/search?q=x", kind="feed")
    link = f"https://news.google.com/rss/articles/{NEW_ID}?oc=5"
    (page_request,) = list(feeds.parse_source(google_news_feed(link), source))
    assert page_request.url.startswith(f"https://news.google.com/rss/articles/{NEW_ID}")
    page_html = (REDIRECTS / "google_news_article.html").read_bytes()
    page_response = HtmlResponse(url=page_request.url, body=page_html, request=page_request)
    (post,) = list(page_request.callback(page_response, **page_request.cb_kwargs))
    assert post.method == "POST" and b"garturlreq" in post.body and b"AVpWKhaWy_zjH7qm" in post.body
    answer = (REDIRECTS / "batchexecute_response.txt").read_bytes()
    (article,) = list(post.callback(TextResponse(url=post.url, body=answer, request=post), **post.cb_kwargs))
    assert article.url.startswith("https://www.hanriverherald.example/culture/2025/07/23/")
    assert article.cb_kwargs["hints"]["title"] == "Story 0"
    assert stats(feeds)["aoud/redirects/resolved/google_news"] == 1


def test_unresolvable_google_news_link_is_logged_and_counted(caplog: pytest.LogCaptureFixture) -> None:
    feeds = spider(FeedsSpider)
    source = Source(name="gn", url="https://news.google.com/rss/search?q=x", kind="feed")
    (page_request,) = list(
        feeds.parse_source(google_news_feed(f"https://news.google.com/articles/{NEW_ID}"), source)
    )
    sorry = HtmlResponse(
        url=page_request.url, body=b"<html><body>Sorry...</body></html>", request=page_request
    )
    assert list(page_request.callback(sorry, **page_request.cb_kwargs)) == []
    assert stats(feeds)["aoud/redirects/unresolved"] == 1
    assert any(
        NEW_ID in record.getMessage() and "could not be resolved" in record.getMessage()
        for record in caplog.records
    )


def test_javascript_links_in_feeds_are_never_followed() -> None:
    feeds = spider(FeedsSpider)
    source = Source(name="x", url="https://news.example/feed", kind="feed")
    requests = list(feeds.parse_source(google_news_feed("javascript:alert(1)", "file:///etc/passwd"), source))
    assert requests == []


def rss(items: str, prolog: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?>{prolog}<rss version="2.0"><channel><title>t</title>'
        f"<link>http://seoulscreen.example/</link>{items}</channel></rss>"
    ).encode()


def item_xml(guid: str, link: str, title: str = "All of Us Are Dead Season 2 news") -> str:
    return f"<item><title>{title}</title><link>{link}</link><guid>{guid}</guid></item>"


def test_repeated_guids_and_non_http_entry_links_are_skipped_and_counted(
    caplog: pytest.LogCaptureFixture,
) -> None:
    feeds = spider(FeedsSpider)
    source = feed_source("seoulscreen", "/rss.xml")
    body = rss(
        item_xml("g1", "http://seoulscreen.example/a.html")
        + item_xml("g1", "http://seoulscreen.example/a-copy.html")
        + item_xml("g2", "javascript:alert(1)")
        + item_xml("g3", "http://seoulscreen.example/b.html")
    )
    with caplog.at_level("INFO"):
        requests = list(feeds.parse_source(XmlResponse(url=source.url, body=body), source))
    assert [r.url for r in requests] == [
        "http://seoulscreen.example/a.html",
        "http://seoulscreen.example/b.html",
    ]
    counted = stats(feeds)
    assert counted["aoud/skipped/duplicate_guid"] == 1 and counted["aoud/skipped/unsafe_link"] == 1
    assert "repeats guid g1" in caplog.text and "'javascript:alert(1)' is not http(s)" in caplog.text


def test_a_truncated_feed_gives_its_complete_entries_and_says_so(caplog: pytest.LogCaptureFixture) -> None:
    feeds = spider(FeedsSpider)
    source = feed_source("seoulscreen", "/rss.xml")
    whole = rss(
        item_xml("g1", "http://seoulscreen.example/a.html") + item_xml("g2", "http://seoulscreen.example/b")
    )
    truncated = whole[: whole.index(b"<guid>g2")]
    requests = list(feeds.parse_source(XmlResponse(url=source.url, body=truncated), source))
    assert "http://seoulscreen.example/a.html" in [r.url for r in requests]
    assert stats(feeds)["aoud/feeds/partial"] == 1
    assert "truncated or malformed feed" in caplog.text


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>',
    ],
)
def test_entities_declared_by_a_source_are_never_expanded(doctype: str) -> None:
    feeds = spider(FeedsSpider)
    source = feed_source("seoulscreen", "/rss.xml")
    body = rss(item_xml("g1", "http://seoulscreen.example/a.html", title="Leak &xxe;&lol2;"), prolog=doctype)
    (request,) = list(feeds.parse_source(XmlResponse(url=source.url, body=body), source))
    title = request.cb_kwargs["hints"]["title"]
    assert "root:" not in title and "lollol" not in title
    assert stats(feeds)["aoud/sources/entities_refused"] == 1


def test_a_sitemap_index_listing_itself_is_read_once(caplog: pytest.LogCaptureFixture) -> None:
    sites = spider(SitesSpider)
    source = Source(name="sitemap", url=BASES["hallyuwire"] + "/sitemap.xml", kind="sitemap")
    index = (
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{source.url}</loc></sitemap>"
        f"<sitemap><loc>{BASES['hallyuwire']}/sitemap-posts.xml</loc></sitemap></sitemapindex>"
    ).encode()
    with caplog.at_level("INFO"):
        requests = list(sites.parse_source(XmlResponse(url=source.url, body=index), source))
    assert [r.url for r in requests] == [BASES["hallyuwire"] + "/sitemap-posts.xml"]
    assert stats(sites)["aoud/skipped/sitemap_cycle"] == 1
    assert "already read" in caplog.text


def test_a_gzip_bomb_sitemap_is_an_error_not_a_crash() -> None:
    sites = spider(SitesSpider)
    sites.max_size = 1024 * 1024
    source = Source(name="sitemap", url=BASES["hallyuwire"] + "/sitemap.xml.gz", kind="sitemap")
    bomb = gzip.compress(b"<urlset>" + b" " * (4 * 1024 * 1024))
    assert list(sites.parse_source(Response(url=source.url, body=bomb), source)) == []
    counted = stats(sites)
    assert counted["aoud/errors/too_large"] == 1 and "aoud/sources/read" not in counted


def test_a_feed_date_from_the_future_or_1970_is_not_the_articles(caplog: pytest.LogCaptureFixture) -> None:
    feeds = spider(FeedsSpider)
    source = feed_source("seoulscreen", "/rss.xml")
    response = page("hallyuwire", "/about/")  # a page without a date of its own
    for hint in (datetime(2099, 1, 1, tzinfo=UTC), datetime(1970, 1, 1, tzinfo=UTC)):
        with caplog.at_level("INFO"):
            items = articles(feeds.parse_article(response, source, {"title": "t", "published_at": hint}))
        for item in items:
            assert item.published_at is None or 1995 < item.published_at.year < 2099
    assert stats(feeds)["aoud/dates/implausible"] == 2
    assert "implausible" in caplog.text
