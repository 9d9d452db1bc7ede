"""Building the whole hostile web once every site's port is known."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from tests.hostile.main_site import content_cases, network_cases, source_cases
from tests.hostile.other_sites import bulk_site, gone_site, huge_site, partner_site, robots_sites
from tests.hostile.pages import ROUTES
from tests.hostile.sites import Site, topic_sources

if TYPE_CHECKING:
    from tests.hostile.server import HostileSites
    from tests.hostile.sites import Handler, Layout


def build(layout: Layout, sites: HostileSites) -> dict[str, dict[str, Handler]]:
    """Every site's routes (called once every site's port is known)."""
    lines = itertools.count()  # the main crawl's sites draw pool lines from one sequence
    main = Site(layout, sites, "main", "K-Screen Daily", lines)
    for route in ROUTES:
        for number in range(1, 5):
            main.plain(route, f"good-{number}", good="main")
        content_cases(main, route)
        network_cases(main, route)
    source_cases(main)
    robots_sites(layout, sites, main, lines)
    partner_site(layout, sites, lines)
    main.publish(robots=f"User-agent: *\nDisallow: /private/\n\nSitemap: {main.base}/sitemap.xml\n")
    gone_site(layout, sites)
    bulk_site(layout, sites)
    huge_site(layout, sites)
    layout.sources = topic_sources()
    return layout.tables
