"""Contract cases about how a page is delivered: size, redirects, timeouts, resets, Retry-After and
pages that disappear (cases 7–14). What reached the server is read from its own request log.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.hostile.checks import PASSWD, Contract
from tests.hostile.sites import HUGE, RETRY_AFTER

if TYPE_CHECKING:
    from tests.hostile.conftest import HostileWeb
    from tests.hostile.crawls import Run

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("name", ["huge", "huge-stream", "bomb"])
def test_case_07_huge_pages_and_gzip_bombs_are_cut_at_the_size_limit(
    bulk_crawl: Run, web: HostileWeb, route: str, name: str
) -> None:
    contract = Contract("7 (50 MB page, gzip bomb)", bulk_crawl, web.sites)
    path = f"/{route}/{name}.html"
    url = web.url("bulk", path)
    contract.requested("bulk", path)
    for sent in web.sites.state.sent.get(("bulk", path), []):
        contract.expect(
            sent < HUGE, f"not downloaded past DOWNLOAD_MAXSIZE: all {sent} bytes of {url} were read"
        )
    contract.not_stored(url)
    contract.counted("aoud/errors/too_large")
    contract.logged(url, "too large")
    contract.went_on()
    contract.check()


@pytest.mark.parametrize("source", ["/bomb-feed.xml", "/bomb-sitemap.xml.gz"], ids=["feed", "sitemap"])
def test_case_07_gzip_bomb_sources_are_cut_at_the_size_limit(
    bulk_crawl: Run, web: HostileWeb, source: str
) -> None:
    contract = Contract("7 (gzip bomb: Content-Encoding feed, .xml.gz sitemap)", bulk_crawl, web.sites)
    url = web.url("bulk", source)
    contract.requested("bulk", source)
    contract.counted("aoud/errors/too_large")
    contract.logged(url, "too large")
    contract.went_on()
    contract.check()


def test_case_08_redirect_loop_is_given_up(main_crawl: Run, web: HostileWeb, route: str) -> None:
    contract = Contract("8 (endless redirect loop A→B→A)", main_crawl, web.sites)
    a, b = f"/{route}/loop-a.html", f"/{route}/loop-b.html"
    contract.requested("main", a)
    contract.not_stored(web.url("main", a))
    contract.counted("aoud/errors/redirect_loop")
    contract.logged([web.url("main", a), web.url("main", b)], "redirect loop")
    contract.went_on()
    contract.check()


def test_case_08_redirect_chain_of_20_is_given_up(main_crawl: Run, web: HostileWeb, route: str) -> None:
    contract = Contract("8 (redirect chain of 20)", main_crawl, web.sites)
    contract.requested("main", f"/{route}/chain/0.html")
    contract.never_requested("main", f"/{route}/chain/20.html", "given up before the end of the chain")
    contract.not_stored(web.url("main", f"/{route}/chain/20.html"))
    contract.counted("aoud/errors/redirect_limit")
    contract.logged([web.url("main", f"/{route}/chain/{hop}.html") for hop in range(21)], "redirect")
    contract.went_on()
    contract.check()


def test_case_09_redirect_to_another_site_is_not_followed(
    main_crawl: Run, web: HostileWeb, route: str
) -> None:
    contract = Contract("9 (redirect to another site)", main_crawl, web.sites)
    path = f"/{route}/offsite.html"
    contract.requested("main", path)
    contract.never_requested("other", f"/{route}/landing.html", "never followed")
    contract.nothing_stored_from("other")
    contract.counted("aoud/skipped/offsite_redirect")
    contract.logged(web.url("main", path), "another site")
    contract.went_on()
    contract.check()


@pytest.mark.parametrize("name", ["to-file", "to-ftp"])
def test_case_09_redirect_to_file_or_ftp_is_not_followed(
    main_crawl: Run, web: HostileWeb, route: str, name: str
) -> None:
    contract = Contract("9 (redirect to file:///etc/passwd, to ftp://)", main_crawl, web.sites)
    path = f"/{route}/{name}.html"
    contract.requested("main", path)
    contract.expect(not web.sites.trap.connections, f"never followed: the ftp:// target was connected to: "
                    f"{web.sites.trap.connections[:2]}")  # fmt: skip
    contract.nothing_stored_containing(PASSWD, "no text from /etc/passwd")
    contract.nothing_published_containing(PASSWD, "no text from /etc/passwd")
    contract.counted("aoud/skipped/unsafe_redirect")
    contract.logged(web.url("main", path), "not http")
    contract.went_on()
    contract.check()


def test_case_09_javascript_links_are_never_followed(main_crawl: Run, web: HostileWeb, route: str) -> None:
    contract = Contract("9 (a javascript: link in a feed or sitemap)", main_crawl, web.sites)
    link = f"javascript:alert({1001 if route == 'f' else 2002})"
    contract.counted("aoud/skipped/unsafe_link")
    contract.logged(link, "not http")
    contract.expect(
        all(a["url"].startswith(("http://", "https://")) for a in main_crawl.articles),
        "only http(s) URLs stored",
    )
    contract.went_on()
    contract.check()


@pytest.mark.parametrize("name", ["slow", "stall"])
def test_case_10_slow_and_stalled_pages_time_out(
    main_crawl: Run, web: HostileWeb, route: str, name: str
) -> None:
    contract = Contract("10 (answer after 60 s; headers then stall)", main_crawl, web.sites)
    path = f"/{route}/{name}.html"
    url = web.url("main", path)
    contract.requested("main", path)
    contract.not_stored(url)
    contract.counted("aoud/errors/timeout")
    contract.logged(url, "timed out")
    contract.went_on()
    contract.check()


def test_case_11_connection_reset_mid_body_is_given_up_after_retries(
    main_crawl: Run, web: HostileWeb, route: str
) -> None:
    contract = Contract("11 (connection reset mid-body)", main_crawl, web.sites)
    path = f"/{route}/reset.html"
    url = web.url("main", path)
    contract.requested("main", path, times=2)  # the crawl runs with RETRY_TIMES=1
    contract.not_stored(url)
    contract.counted("aoud/errors/connection")
    contract.logged(url, "connection")
    contract.went_on()
    contract.check()


@pytest.mark.parametrize("name", ["retry-500", "retry-503", "retry-429"])
def test_case_12_13_retry_after_is_honoured(main_crawl: Run, web: HostileWeb, route: str, name: str) -> None:
    status, seconds = RETRY_AFTER[name]
    case = "13 (429 with Retry-After)" if status == 429 else "12 (500, 503 with Retry-After, then 200)"
    contract = Contract(case, main_crawl, web.sites)
    path = f"/{route}/{name}.html"
    url = web.url("main", path)
    hits = web.sites.hits("main", path, since=main_crawl.since)
    if contract.expect(len(hits) >= 2, f"retried: {url} was requested {len(hits)} time(s)"):
        waited = hits[1].at - hits[0].at
        contract.expect(
            waited >= seconds - 0.05,
            f"retried no sooner than Retry-After: {seconds} s after HTTP {status}, but after {waited:.2f} s",
        )
    if row := contract.stored(url):
        expected = web.layout.articles[url].headline
        contract.expect(row["title"] == expected, f"title {row['title']!r} != {expected!r}")
    contract.counted(f"aoud/retry_after/{status}")
    contract.logged(url, "retry-after")
    contract.went_on()
    contract.check()


@pytest.mark.parametrize("status", [404, 410])
def test_case_14_stored_article_that_disappears_is_kept_and_marked_gone(
    gone_crawls: tuple[Run, Run], web: HostileWeb, route: str, status: int
) -> None:
    first, second = gone_crawls
    contract = Contract(f"14 ({status} for an article already stored)", second, web.sites)
    path = f"/{route}/gone-{status}.html"
    url = web.url("gone", path)
    before = first.article(url)
    contract.expect(before is not None, f"the first crawl stored {url} (setup of the case)")
    contract.requested("gone", path)
    if row := contract.stored(url):
        contract.expect(
            before is None or row["id"] == before["id"], "the article stays in the store (same row)"
        )
        contract.expect("gone_at" in row, "articles.gone_at exists (the article can be marked gone)")
        contract.expect(
            row.get("gone_at") is not None, f"marked gone: articles.gone_at is {row.get('gone_at')!r}"
        )
        contract.expect(
            row.get("gone_status") == status, f"articles.gone_status is {row.get('gone_status')!r}"
        )
    errors = second.stat(f"aoud/errors/http_{status}")
    contract.expect(errors == 0, f"not counted as a crawl error: aoud/errors/http_{status} = {errors:g}")
    contract.counted(f"aoud/gone/{status}")
    contract.logged(url, "gone")
    contract.went_on()
    contract.check()
