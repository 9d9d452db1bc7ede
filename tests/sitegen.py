"""A generated news site for crawl tests that need volume: hundreds of distinct articles about the
show on one site, and a second site reprinting some of them word for word (syndicated copies).

`write_site(root, articles, copies)` writes `root/wire/` (a sitemap index over child sitemaps,
and an RSS feed of the newest 50) and `root/reprint/` (an RSS feed of every page it carries).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from pathlib import Path

CAST: Final = ("Park Ji-hu", "Yoon Chan-young", "Cho Yi-hyun", "Lomon", "Roh Jae-won", "Yoon Ga-i")
PLACES: Final = ("Paju", "Incheon", "Suwon", "Goyang", "Busan", "Daejeon", "Gangneung", "Jeonju")
THINGS: Final = ("rooftop", "subway", "gymnasium", "ferry", "checkpoint", "dormitory", "hospital", "mall")
VERBS: Final = ("filmed", "rehearsed", "rebuilt", "lit", "dressed", "cleared", "scouted", "wrapped")
SITEMAP_SIZE: Final = 200


@dataclass(frozen=True)
class Page:
    path: str
    title: str
    paragraphs: tuple[str, ...]
    published: datetime


def _paragraph(rng: random.Random, number: int) -> str:
    words = [
        f"On day {rng.randint(1, 300)} the crew {rng.choice(VERBS)} the {rng.choice(THINGS)} set in "
        f"{rng.choice(PLACES)} for scene {rng.randint(1, 999)}, and {rng.choice(CAST)} spent "
        f"{rng.randint(2, 14)} hours on take {rng.randint(1, 60)} of sequence {number}-{rng.randint(1, 99)}."
        for _ in range(3)
    ]
    return " ".join(words)


def articles(count: int, seed: int = 3) -> list[Page]:
    """`count` distinct articles about All of Us Are Dead Season 2, newest first."""
    rng, now = random.Random(seed), datetime.now(UTC).replace(microsecond=0)
    pages = []
    for number in range(count):
        lead = (f"Netflix's All of Us Are Dead Season 2 production diary, entry {number}: "
                f"{rng.choice(CAST)} and {rng.choice(CAST)} were back on set this week.")  # fmt: skip
        paragraphs = (lead, *(_paragraph(rng, number) for _ in range(3)))
        title = (
            f"All of Us Are Dead Season 2 diary {number}: {rng.choice(THINGS)} scenes in {rng.choice(PLACES)}"
        )
        pages.append(Page(f"/news/{number:04d}.html", title, paragraphs, now - timedelta(hours=3 * number)))
    return pages


def _html(page: Page, site: str, name: str) -> str:
    url = "{{base:" + site + "}}" + page.path
    body = "\n".join(f"<p>{escape(p)}</p>" for p in page.paragraphs)
    title = escape(page.title)
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title} | {name}</title>'
        f'<link rel="canonical" href="{url}"><meta property="og:site_name" content="{name}">'
        f'<meta property="article:published_time" content="{page.published.isoformat()}"></head>'
        f'<body><nav><a href="/">{name}</a> <a href="/news/">News</a></nav><article><h1>{title}</h1>'
        f'<p class="byline">By Staff Reporter</p>\n{body}\n</article><footer>© {name}</footer></body></html>'
    )


def _rss(site: str, name: str, pages: list[Page]) -> str:
    items = "".join(
        f"<item><title>{escape(p.title)}</title><link>{{{{base:{site}}}}}{p.path}</link>"
        f"<pubDate>{format_datetime(p.published)}</pubDate></item>\n"
        for p in pages
    )
    head = f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>{name}</title>'
    return (
        f"{head}<link>{{{{base:{site}}}}}/</link><description>news</description>\n{items}</channel></rss>\n"
    )


def _sitemaps(site: str, pages: list[Page]) -> dict[str, str]:
    head = '<?xml version="1.0" encoding="UTF-8"?>\n'
    space = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    files, children = {}, []
    for start in range(0, len(pages), SITEMAP_SIZE):
        name = f"sitemap-{start // SITEMAP_SIZE + 1}.xml"
        urls = "".join(
            f"<url><loc>{{{{base:{site}}}}}{p.path}</loc></url>\n"
            for p in pages[start : start + SITEMAP_SIZE]
        )
        files[name] = f"{head}<urlset {space}>\n{urls}</urlset>\n"
        children.append(f"<sitemap><loc>{{{{base:{site}}}}}/{name}</loc></sitemap>\n")
    files["sitemap.xml"] = f"{head}<sitemapindex {space}>\n{''.join(children)}</sitemapindex>\n"
    return files


def write_site(root: Path, count: int, copies: int) -> list[Page]:
    """The wire service's `count` articles, and a reprint site carrying the first `copies` of them
    under its own addresses and template; return the wire's articles."""
    pages = articles(count)
    write_pages(root, pages, copies)
    return pages


def write_pages(root: Path, pages: list[Page], copies: int) -> None:
    """The wire service's pages (newest first), and the reprint site's copies of the first `copies`."""
    for site, name, carried in (("wire", "Zombie Wire", pages), ("reprint", "Reprint Daily", pages[:copies])):
        folder = root / site
        (folder / "news").mkdir(parents=True, exist_ok=True)
        (folder / "robots.txt").write_text("User-agent: *\nAllow: /\n", encoding="utf-8")
        for page in carried:
            (folder / page.path.lstrip("/")).write_text(_html(page, site, name), encoding="utf-8")
        (folder / "rss.xml").write_text(
            _rss(site, name, carried if site == "reprint" else carried[:50]), "utf-8"
        )
        if site == "wire":
            for file, text in _sitemaps(site, carried).items():
                (folder / file).write_text(text, encoding="utf-8")


def topic_sources(base_urls: dict[str, str]) -> str:
    """The [[sources]] tables of a topic file for the generated sites."""
    wire, reprint = base_urls["wire"], base_urls["reprint"]
    return (
        f'\n[[sources]]\nname = "Zombie Wire"\nurl = "{wire}/sitemap.xml"\nkind = "sitemap"\n'
        'allow = ["/news/"]\n'
        f'\n[[sources]]\nname = "Zombie Wire feed"\nurl = "{wire}/rss.xml"\nkind = "feed"\n'
        f'\n[[sources]]\nname = "Reprint Daily"\nurl = "{reprint}/rss.xml"\nkind = "feed"\n'
    )
