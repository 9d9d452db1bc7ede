"""Contract cases about sources and sizes: huge titles and bodies (19, a crawl of its own), entity
attacks in feeds and sitemaps (21), broken and enormous feeds (22), repeated GUIDs (23) and a
sitemap index that lists itself (24).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Final

import feedparser
import pytest

from tests.hostile.checks import PASSWD, Contract
from tests.hostile.sites import ARTICLE_LIMIT

if TYPE_CHECKING:
    from tests.hostile.conftest import HostileWeb
    from tests.hostile.crawls import Run

pytestmark = pytest.mark.e2e
MAX_TITLE: Final = 500
MAX_BODY: Final = 200_000  # AOUD_MAX_BODY_CHARS
PROMPTLY: Final = 60.0  # seconds for a crawl of six pages, two of them 5 MB
SMALL_ENTRY: Final = 10_000  # characters of one published feed entry
SMALL_FEED: Final = 1_000_000  # bytes of one published feed file
PARSED_PROMPTLY: Final = 5.0  # seconds from reading an entity-laden source to following its entry


def test_case_19_ten_thousand_character_title_is_cut(huge_crawl: Run, web: HostileWeb, route: str) -> None:
    contract = Contract("19 (a 10,000-character title)", huge_crawl, web.sites)
    path = f"/{route}/long-title.html"
    url = web.url("huge", path)
    contract.requested("huge", path)
    if row := contract.stored(url):
        contract.expect(
            len(row["title"]) <= MAX_TITLE, f"title cut to {MAX_TITLE}: {len(row['title'])} characters"
        )
        start = web.layout.articles[url].headline[:40]
        contract.expect(row["title"].startswith(start), f"the title keeps its start: {row['title'][:60]!r}")
    contract.counted("aoud/truncated/title")
    contract.logged(url, "truncated")
    contract.went_on()
    contract.check()


def test_case_19_five_megabyte_body_is_cut_and_the_crawl_finishes_promptly(
    huge_crawl: Run, web: HostileWeb, route: str
) -> None:
    contract = Contract("19 (a 5 MB single-line body)", huge_crawl, web.sites)
    path = f"/{route}/big-body.html"
    url = web.url("huge", path)
    contract.requested("huge", path)
    contract.expect(
        huge_crawl.returncode is not None and huge_crawl.seconds < PROMPTLY,
        f"crawl finishes promptly: {huge_crawl.seconds:.0f} s"
        + (" and still running when killed" if huge_crawl.returncode is None else ""),
    )
    if row := contract.stored(url):
        contract.expect(
            len(row["body"]) <= MAX_BODY, f"body cut to {MAX_BODY}: {len(row['body'])} characters"
        )
    contract.counted("aoud/truncated/body")
    contract.logged(url, "truncated")
    big = [
        p.name
        for p in huge_crawl.feeds.rglob("*")
        if p.suffix in (".xml", ".json") and p.stat().st_size > SMALL_FEED
    ]
    contract.expect(not big, f"feed entries stay small: feed files over {SMALL_FEED} bytes: {big}")
    for name in ("rss.xml", "atom.xml"):
        file = huge_crawl.feeds / name
        entries = feedparser.parse(file.read_bytes()).entries if file.exists() else []
        sizes = [len(json.dumps(entry, default=str)) for entry in entries]
        contract.expect(
            all(s < SMALL_ENTRY for s in sizes), f"{name} entries stay small: {max(sizes, default=0)} chars"
        )
    contract.went_on()
    contract.check()


@pytest.mark.parametrize(
    "source", ["/xxe-feed.xml", "/lol-feed.xml", "/xxe-sitemap.xml", "/lol-sitemap.xml"],
    ids=["xxe-feed", "billion-laughs-feed", "xxe-sitemap", "billion-laughs-sitemap"],
)  # fmt: skip
def test_case_21_entities_in_sources_are_never_expanded(
    main_crawl: Run, web: HostileWeb, source: str
) -> None:
    contract = Contract("21 (XXE and billion laughs in a feed and a sitemap)", main_crawl, web.sites)
    url = web.url("main", source)
    contract.requested("main", source)
    kind, route = source.split("-")[0].lstrip("/"), "f" if "feed" in source else "s"
    read = web.sites.hits("main", source, since=main_crawl.since)
    followed = web.sites.hits("main", f"/x/{route}/{kind}-entry.html", since=main_crawl.since)
    if read and followed:  # refusing the whole source is allowed; reading it must not take long
        took = followed[0].at - read[0].at
        contract.expect(took < PARSED_PROMPTLY, f"parsed promptly: its entry was followed {took:.1f} s later")
    contract.expect(
        not web.sites.trap.connections, "no entity resolved: the external entity's URL was fetched"
    )
    weird = sorted(
        p for p in web.sites.paths("main", since=main_crawl.since) if "root:" in p or "lollol" in p
    )
    contract.expect(not weird, f"no entity resolved: requests for {weird}")
    contract.nothing_stored_containing([*PASSWD, "lollollol"], "no entity resolved, no file read")
    contract.nothing_published_containing([*PASSWD, "lollollol"], "no entity resolved, no file read")
    contract.counted("aoud/sources/entities_refused")
    contract.logged(url, "entit")
    contract.went_on()
    contract.check()


def test_case_22_html_served_as_a_feed_is_an_error_of_that_source(main_crawl: Run, web: HostileWeb) -> None:
    contract = Contract("22 (a source feed that is HTML)", main_crawl, web.sites)
    contract.requested("main", "/html-feed.xml")
    contract.counted("aoud/errors/feed_unparsable")
    contract.logged(web.url("main", "/html-feed.xml"), "not a readable feed")
    contract.went_on()
    contract.check()


def test_case_22_truncated_feed_has_its_complete_entries_followed(main_crawl: Run, web: HostileWeb) -> None:
    contract = Contract("22 (a truncated feed)", main_crawl, web.sites)
    contract.requested("main", "/truncated-feed.xml")
    for path in ("/t/f/trunc-1.html", "/t/f/trunc-2.html"):
        contract.requested("main", path)
        contract.stored(web.url("main", path))
    contract.never_requested("main", "/t/trunc-3.html", "the cut entry is not followed")
    contract.counted("aoud/feeds/partial")
    contract.logged(web.url("main", "/truncated-feed.xml"), "truncated")
    contract.went_on()
    contract.check()


@pytest.mark.parametrize("kind", ["feed", "sitemap"])
def test_case_22_ten_thousand_entries_are_followed_up_to_the_limit(
    main_crawl: Run, web: HostileWeb, kind: str
) -> None:
    contract = Contract("22 (a feed, and a sitemap, of 10,000 entries)", main_crawl, web.sites)
    source = f"/tenk-{kind}.xml"
    contract.requested("main", source)
    prefix = f"/many/{kind[0]}/"
    followed = {p for p in web.sites.paths("main", since=main_crawl.since) if p.startswith(prefix)}
    contract.expect(
        len(followed) == ARTICLE_LIMIT,
        f"AOUD_MAX_ARTICLES_PER_SOURCE ({ARTICLE_LIMIT}) followed: {len(followed)} entries were requested",
    )
    contract.counted("aoud/skipped/source_limit")
    contract.logged(web.url("main", source), "limit")
    contract.went_on()
    contract.check()


def test_case_23_entries_repeating_a_guid_are_skipped(main_crawl: Run, web: HostileWeb) -> None:
    contract = Contract("23 (duplicate feed entries: same GUID, different links)", main_crawl, web.sites)
    contract.requested("main", "/dupguid-feed.xml")
    contract.requested("main", "/g/f/guid-first.html")
    contract.stored(web.url("main", "/g/f/guid-first.html"))
    for name in ("second", "third"):
        contract.never_requested("main", f"/g/{name}.html", "the others skipped")
    contract.counted("aoud/skipped/duplicate_guid")
    skipped = [web.url("main", "/g/second.html"), web.url("main", "/g/third.html")]
    contract.logged([web.url("main", "/dupguid-feed.xml"), *skipped], "guid")
    contract.went_on()
    contract.check()


def test_case_24_sitemap_index_listing_itself_is_read_once(main_crawl: Run, web: HostileWeb) -> None:
    contract = Contract("24 (a sitemap index that lists itself)", main_crawl, web.sites)
    contract.requested("main", "/self-index.xml", times=1)
    contract.requested("main", "/self-child.xml", times=1)
    contract.stored(web.url("main", "/x/s/index-child.html"))
    contract.counted("aoud/skipped/sitemap_cycle")
    contract.logged(web.url("main", "/self-index.xml"), "already read")
    contract.went_on()
    contract.check()
