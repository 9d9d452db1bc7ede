"""Every hostile URL of a case counted: the per-URL tests can only ask that a case's counter is not
zero (counters are per crawl, not per URL), so this test asks that it reaches the number of URLs
the case has in its crawl (both routes, every source), each URL counted once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, NamedTuple

import pytest

from tests.hostile.checks import Contract

if TYPE_CHECKING:
    from tests.hostile.conftest import HostileWeb
    from tests.hostile.crawls import Run

pytestmark = pytest.mark.e2e


class Tally(NamedTuple):
    name: str  # the test id: case and counter
    crawl: str  # the fixture holding the run
    keys: tuple[str, ...]  # counted under any of these
    urls: int  # how many of the case's URLs the crawl meets
    which: str


MAIN, D, E, P, S = "main_crawl", "aoud/dropped/", "aoud/errors/", "aoud/pages/", "aoud/skipped/"
TALLIES: Final = [
    Tally("2+17-no_body/no_title", MAIN, (f"{D}no_body", f"{D}no_title"), 4, "empty, app-shell x 2 routes"),
    Tally("3-charset_repaired", MAIN, (f"{P}charset_repaired",), 4, "2 Korean pages x 2 routes"),
    Tally(
        "4-undecodable", MAIN, (f"{P}charset_repaired", f"{P}undecodable"), 6, "mixed-bytes x 2, case 3's 4"
    ),
    Tally("5-control_chars_removed", MAIN, (f"{P}control_chars_removed",), 2, "control-chars x 2 routes"),
    Tally("7-too_large", "bulk_crawl", (f"{E}too_large",), 8, "huge, huge-stream, bomb x 2 routes; 2 bombs"),
    Tally("8-redirect_loop", MAIN, (f"{E}redirect_loop",), 2, "loop-a x 2 routes"),
    Tally("8-redirect_limit", MAIN, (f"{E}redirect_limit",), 2, "chain/0 x 2 routes"),
    Tally("9-offsite_redirect", MAIN, (f"{S}offsite_redirect",), 2, "offsite x 2 routes"),
    Tally("9-unsafe_redirect", MAIN, (f"{S}unsafe_redirect",), 4, "to-file, to-ftp x 2 routes"),
    Tally("9-unsafe_link", MAIN, (f"{S}unsafe_link",), 2, "a javascript: link in the feed and the sitemap"),
    Tally("10-timeout", MAIN, (f"{E}timeout",), 4, "slow, stall x 2 routes"),
    Tally("11-connection", MAIN, (f"{E}connection",), 2, "reset x 2 routes"),
    Tally("12-retry_after_500", MAIN, ("aoud/retry_after/500",), 2, "retry-500 x 2 routes"),
    Tally("12-retry_after_503", MAIN, ("aoud/retry_after/503",), 2, "retry-503 x 2 routes"),
    Tally("13-retry_after_429", MAIN, ("aoud/retry_after/429",), 2, "retry-429 x 2 routes"),
    Tally("14-gone_404", "gone_crawls", ("aoud/gone/404",), 2, "gone-404 x 2 routes, second run"),
    Tally("14-gone_410", "gone_crawls", ("aoud/gone/410",), 2, "gone-410 x 2 routes, second run"),
    Tally("15a-robots", MAIN, (f"{S}robots",), 4, "the /private/ pages of 2 sites x 2 routes"),
    Tally("16-not_html", MAIN, (f"{S}not_html",), 6, "press-kit, poster, episode-guide x 2 routes"),
    Tally("18-implausible", MAIN, ("aoud/dates/implausible",), 4, "dated-2099, dated-1970 x 2 routes"),
    Tally("19-truncated_title", "huge_crawl", ("aoud/truncated/title",), 2, "long-title x 2 routes"),
    Tally("19-truncated_body", "huge_crawl", ("aoud/truncated/body",), 2, "big-body x 2 routes"),
    Tally(
        "21-entities_refused",
        MAIN,
        ("aoud/sources/entities_refused",),
        4,
        "XXE, billion laughs x feed, sitemap",
    ),
    Tally("22-source_limit", MAIN, (f"{S}source_limit",), 2, "the 10,000-entry feed and sitemap"),
    Tally("23-duplicate_guid", MAIN, (f"{S}duplicate_guid",), 2, "the second and third entry"),
    Tally("26-soft_404", MAIN, (f"{D}soft_404",), 2, "soft-404 x 2 routes"),
    Tally("26-login_wall", MAIN, (f"{D}login_wall",), 2, "login-wall x 2 routes"),
    Tally("26-interstitial", MAIN, (f"{D}interstitial",), 2, "consent x 2 routes"),
]


@pytest.mark.parametrize("tally", TALLIES, ids=lambda t: t.name)
def test_every_hostile_url_of_a_case_is_counted(
    tally: Tally, web: HostileWeb, request: pytest.FixtureRequest
) -> None:
    crawl = request.getfixturevalue(tally.crawl)
    run: Run = crawl[-1] if isinstance(crawl, tuple) else crawl
    contract = Contract(f"{tally.name.split('-')[0]} (its counter)", run, web.sites)
    total = sum(run.stat(key) for key in tally.keys)
    contract.expect(
        total >= tally.urls,
        f"counted under {' + '.join(tally.keys)}: {total:g}, "
        f"expected >= {tally.urls} ({tally.which}, each counted)",
    )
    contract.check()
