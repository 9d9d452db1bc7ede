"""Contract case 15: robots.txt, one site (port) per behaviour, checked on the servers' own logs.

- main and polite sites: `Disallow: /private/` (15a); polite also `Crawl-delay: 1` (15c);
- robots503: robots.txt answers 503; robotsslow: robots.txt answers after the timeout (15b).
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

import pytest

from tests.hostile.checks import Contract

if TYPE_CHECKING:
    from tests.hostile.conftest import HostileWeb
    from tests.hostile.crawls import Run

pytestmark = pytest.mark.e2e
CRAWL_DELAY = 1.0  # the polite site's robots.txt


@pytest.mark.parametrize(("site", "name"), [("main", "casting-sheet"), ("polite", "draft")])
def test_case_15a_disallowed_paths_are_never_fetched(
    main_crawl: Run, web: HostileWeb, route: str, site: str, name: str
) -> None:
    contract = Contract("15a (robots.txt disallowing a path)", main_crawl, web.sites)
    path = f"/private/{route}/{name}.html"
    url = web.url(site, path)
    contract.requested(site, "/robots.txt")
    contract.never_requested(site, path, "never fetched (server access log)")
    contract.not_stored(url)
    contract.counted("aoud/skipped/robots")
    contract.logged(url, "robots")
    contract.went_on()
    contract.check()


@pytest.mark.parametrize("site", ["robots503", "robotsslow"], ids=["robots-5xx", "robots-timeout"])
def test_case_15b_unreachable_robots_txt_leaves_the_site_alone(
    main_crawl: Run, web: HostileWeb, site: str
) -> None:
    contract = Contract("15b (robots.txt answering 5xx, or timing out)", main_crawl, web.sites)
    contract.requested(site, "/robots.txt")
    fetched = sorted(web.sites.paths(site, since=main_crawl.since) - {"/robots.txt"})
    contract.expect(not fetched, f"nothing of that site fetched but robots.txt: {fetched}")
    contract.nothing_stored_from(site)
    contract.counted("aoud/skipped/robots_unreachable")
    refused = ["/feed.xml", "/sitemap.xml", "/f/checkpoint.html", "/s/checkpoint.html", "/f/from-main.html"]
    contract.logged([web.url(site, path) for path in refused], "robots.txt")
    contract.went_on()
    contract.check()


def test_case_15c_crawl_delay_is_honoured(main_crawl: Run, web: HostileWeb) -> None:
    contract = Contract("15c (robots.txt Crawl-delay: 1)", main_crawl, web.sites)
    hits = [h for h in web.sites.hits("polite", since=main_crawl.since) if h.path != "/robots.txt"]
    contract.expect(len(hits) >= 4, f"the polite site's pages were fetched: {[h.path for h in hits]}")
    # robots.txt itself comes before the delay is known; every later request waits for it. The 0.05 s
    # margin is for connection set-up: the server sees arrivals, the crawler schedules sends.
    gaps = [(later.at - earlier.at, later.path) for earlier, later in itertools.pairwise(hits)]
    short = [f"{path} after {gap:.2f} s" for gap, path in gaps if gap < CRAWL_DELAY - 0.05]
    start = hits[0].at if hits else 0.0
    timeline = [f"{h.at - start:.2f} {h.path}" for h in hits]
    contract.expect(
        not short, f"that site's requests at least {CRAWL_DELAY:g} s apart: {short}; all: {timeline}"
    )
    values = main_crawl.stat_values("aoud/robots/crawl_delay")
    contract.expect(
        bool(values) and all(v == CRAWL_DELAY for v in values),
        f"counted: aoud/robots/crawl_delay set to {CRAWL_DELAY:g} in every spider's stats: {values}",
    )
    contract.logged(web.sites.base_urls["polite"], "crawl-delay")
    for path in ("/f/polite-a.html", "/s/polite-b.html"):
        contract.stored(web.url("polite", path))
    contract.went_on()
    contract.check()
