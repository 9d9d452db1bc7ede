"""Incremental crawling: what a second crawl of an unchanged site costs, and whether a third finds edits.

    .venv/bin/python benchmarks/incremental.py                 # 1,200 articles on 3 local sites
    .venv/bin/python benchmarks/incremental.py --articles 3000 --changed-share 0.05 --seed 11 --keep

A news site of --articles generated articles about All of Us Are Dead Season 2 (three site
folders, each with an RSS feed of its newest 50 articles and a sitemap index whose entries carry
<lastmod>; 40% of the articles are under 14 days old) is served on 127.0.0.1 by the sample-site
server, which answers conditional requests with 304. The real CLI (`aoud-tracker crawl`, one
subprocess each) crawls it three times into one SQLite store: cold, unchanged, and after one
paragraph of --changed-share of the articles was edited (their sitemap <lastmod>, feed entry and
file time moved forward). Each run's figures are its spiders' rows in the store's `crawl_runs`.

How to read it: run 1 (cold) is the baseline. The requirement is run 2 / run 1 bytes received
<= 0.10 and time <= 0.33, on at least 1,000 articles, and run 3 updating exactly the edited
articles that run 1 stored (none missed, none extra). Targets are reported, not enforced: the
exit status is 0 unless a crawl fails.
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from string import Template
from typing import TYPE_CHECKING, Final
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from aoud_tracker import store
from aoud_tracker.demo.server import SampleSites, demo_topic_template
from aoud_tracker.models import Article, CrawlRun, Story

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sqlalchemy.engine import Engine

# Site folder: (name, share of the articles). Three sites, so that the largest has two child sitemaps.
SITES: Final = {"alpha": ("Seoul Night Desk", 0.5), "beta": ("Hallyu Ledger", 0.3), "gamma": ("K-Wave", 0.2)}
KST: Final = timezone(timedelta(hours=9))
STORE_FILE: Final = "bench.db"
FEED_SIZE: Final = 50
SITEMAP_SIZE: Final = 500
RECENT_SHARE: Final = 0.4  # published within the last 14 days, the crawler's revisit age
CRAWL_SETTINGS: Final = ("AUTOTHROTTLE_ENABLED=False", "DOWNLOAD_DELAY=0", "CONCURRENT_REQUESTS_PER_DOMAIN=8",
                         "AOUD_MAX_ARTICLES_PER_SOURCE=100000")  # fmt: skip


def _pool(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split("|"))


def _pools(text: str) -> dict[str, tuple[str, ...]]:
    """`name: a|b|c` lines as tuples by name; a line starting with `|` continues the one above."""
    lines = re.sub(r"\n\s*\|", "|", text.strip()).splitlines()
    return {name.strip(): _pool(values) for name, values in (line.split(":", 1) for line in lines)}


# Slots are dense (a few words apart) and varied, so two articles share few 5-word shingles.
POOLS: Final = _pools("""
    place: Paju|Incheon|Suwon|Goyang|Yongin|Cheongju|Jeonju|Gangneung|Daejeon|Busan|Pohang|Chuncheon
        |Seongnam|Ansan|Namyangju|Gimpo|Hwaseong|Asan
    setting: the quarantine camp|the abandoned subway line|a flooded shopping mall|the military checkpoint
        |Hyosan's city hall|the university dormitory|a ferry terminal|a shuttered hospital|a rooftop garden
        |the old broadcasting tower|the riverside shelter|a mountain temple|a container port
    outlet: Seoul Screen Daily|Hallyu Wire|K-Culture Now|Asia Entertainment Daily|DramaBeat|Star Insight
        |Busan Film Weekly|Korea Stage Report|TV Report Korea|Gangnam Post|Chungmuro Times|Drama Note
    source: a person close to the production|an unnamed crew member|a casting agency employee
        |a post-production insider|a Netflix Korea staffer|a location scout|a stunt coordinator
        |an extra on the shoot|a broadcasting industry official|a talent agency manager
    platform: X|Instagram|Reddit|TikTok|Weibo|Naver Cafe|Threads|YouTube
    weekday: Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday
    month: January|February|March|April|May|June|July|August|September|October|November|December
    window: early 2027|late 2026|spring 2027|the first half of 2027|summer 2027|the end of 2026
    ordinal: first|second|third|fourth|fifth|sixth|seventh|eighth
    vendor: Gimlet VFX|Moonbeam Digital|North Pine Effects|Redline Pixel|Haneul Post|Studio Ember
    hashtag: AllOfUsAreDead2|AOUD2|NowAtOurSchool2|HyosanReturns|OnjoLives|CheongsanIsAlive
    fate: apparently dead|as a half-zombie|alone on a rooftop|cornered in the gym|missing
    desc: a cadet with a grudge|a nurse who kept a clinic open|a rival student leader
        |a soldier who deserted|a pirate radio host|a survivor who trusts no one
    adjective: darker|faster|bigger|lonelier|angrier|stranger|bloodier
    event: fan meeting|film festival panel|press day|university lecture|podcast taping
    country: Brazil|France|India|Japan|Mexico|Thailand|the United States|Indonesia|Spain|Vietnam
    crew: director Lee Jae-kyoo|director Kim Nam-su|writer Chun Sung-il
    cast: Park Ji-hu/Nam On-jo|Yoon Chan-young/Lee Cheong-san|Cho Yi-hyun/Choi Nam-ra|Lomon/Lee Su-hyeok
    new cast: Lee Min-jae/Yong Ma-ru|Kim Si-eun/So Ju-ran|Roh Jae-won/Han Du-seok|Yoon Ga-i/Lee Jong-ah
    author: Kim Yoo-jin|Daniel Cho|Park Hye-rin|Lee Seo-yeon|Choi Min-ho|Jenna Lim|Han Ji-woo
    news: has locked its episode count at {episodes}|will bring {n} new students into the story
        |could arrive in {window}|is planning {n} days of reshoots in {place}|has added {newactor} to its cast
        |moved its night shoots to {place}|wrapped a {n}-week shoot at {setting}|is deep in post-production
    headline: {actor} spotted in {place} as night shoots run {n} weeks|report puts the release in {window}
        |{n} extras hired for scenes at {setting}|{role} could lead survivors to {setting}
        |{newactor} joins as {newrole}, {outlet} says|budget rises {pct} percent, insiders claim
        |table read in {place} gathers {big2} actors|{crew} promises a {adjective} story
        |{vendor} builds {n} zombie crowds|fans trend #{hashtag} after {platform} leak
    sentence: {actor}, who plays {role}, was seen on set in {place} on {weekday}, {n} days into night shoots.
        |Netflix set no date, but {source} named {window} as likely for All of Us Are Dead Season 2.
        |{outlet} counted {big} comments on its {platform} post about the casting within {n} hours.
        |The first season drew {hours} million viewing hours in its opening {n} days, {outlet} recalled.
        |A casting notice seen by {outlet} asks for {n} extras aged {age} to {age2} for scenes at {setting}.
        |{actor2} was spotted leaving a fitting in {place} with {actor3}, fuelling talk of a reunion scene.
        |Effects house {vendor} has reportedly assigned {n} artists to the zombie crowd shots in {setting}.
        |Fans on {platform} have shared {big} posts under the hashtag #{hashtag} since {month}.
        |{outlet} noted that {role} ended the first season {fate}, which leaves room for {n} flashbacks.
        |One of the new characters, {newrole}, played by {newactor}, is described as {desc}.
        |The budget is said to be around {budget} billion won, roughly {pct} percent more than season one.
        |A {month} report in {outlet} claimed that filming had moved to {setting} for {n} days.
        |{source} said the episode count had settled at {episodes}, down from the {episodes2} first planned.
        |Early test screenings in {place} reportedly drew a score of {score} out of 100 from {big} viewers.
        |Extras hired for the {setting} scenes signed {n}-page confidentiality agreements, {outlet} said.
        |Some fans on {platform} believe the {setting} arc will take up {n2} of the {episodes} episodes.
        |The stunt team rehearsed the escape from {setting} for {n} days at a warehouse outside {place}.
        |A {platform} poll of {big} readers found that {pct} percent want {role} back as a main character.
        |Viewers in {country} ranked the first season number {n2} among non-English series, {outlet} said.
        |{actor} has reportedly turned down {n} other projects to keep the shoot in {place} free of clashes.
        |On {weekday}, {outlet} published a set photo that seemed to show {setting} with {n} classroom sets.
        |The first season's composer is said to be recording {n} new cues with a {big2}-piece orchestra.
        |Industry watchers at {outlet} expect a global premiere on a {weekday} in {window}.
        |The cast gathered for a table read in {place} on a {weekday} in {month}, with {big2} actors present.
        |{actor2} posted a photo from {place} on {platform} that fans linked to All of Us Are Dead Season 2.
        |Residents of {place} told {outlet} they saw {n} buses of extras arrive before sunrise on a {weekday}.
        |The new season reportedly opens {n2} months after the events at Hyosan High School, near {setting}.
""")
PROSE: Final = ("cast", "new cast", "author", "news", "headline", "sentence")  # not slot values
# The show's cast as the demo topic has it (actor/character), so claims read as in real news.
CAST: Final = tuple(tuple(pair.split("/")) for pair in POOLS["cast"])
NEW_CAST: Final = tuple(tuple(pair.split("/")) for pair in POOLS["new cast"])
NUMBERS: Final = {"n": (2, 40), "n2": (2, 12), "big": (1200, 98000), "big2": (12, 90), "hours": (40, 900),
                  "age": (16, 30), "budget": (20, 90), "pct": (5, 80), "score": (60, 97), "hour": (5, 11),
                  "episodes": (6, 10), "episodes2": (11, 16)}  # fmt: skip


@dataclass(frozen=True)
class NewsPage:
    """One generated article: where it lives, what it says, when it was published and last changed."""

    site: str
    path: str
    headline: str
    summary: str
    author: str
    published: datetime
    modified: datetime
    paragraphs: tuple[str, ...]


class Writer:
    """Combinatorial news prose about the show, every slot drawn afresh for every sentence."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def slots(self) -> dict[str, str]:
        rng = self.rng
        (actor, role), (actor2, role2), (actor3, _) = rng.sample(CAST, 3)
        newactor, newrole = rng.choice(NEW_CAST)
        values = {name: rng.choice(pool) for name, pool in POOLS.items() if name not in PROSE}
        values |= {name: f"{rng.randint(low, high):,}" for name, (low, high) in NUMBERS.items()}
        values["age2"] = str(int(values["age"]) + rng.randint(5, 30))
        return values | {"actor": actor, "role": role, "actor2": actor2, "role2": role2, "actor3": actor3,
                         "newactor": newactor, "newrole": newrole}  # fmt: skip

    def sentence(self, template: str) -> str:
        text = template.format(**self.slots())
        return text[0].upper() + text[1:]

    def paragraph(self) -> str:
        chosen = self.rng.sample(POOLS["sentence"], self.rng.randint(2, 4))
        return " ".join(self.sentence(template) for template in chosen)

    def page(self, site: str, number: int, published: datetime) -> NewsPage:
        """An article of 300 to 700 words whose lead names the show's season (the relevance rule)."""
        headline = "All of Us Are Dead Season 2: " + self.sentence(self.rng.choice(POOLS["headline"]))
        slug = "-".join(re.findall(r"[a-z0-9]+", headline.lower())[:12])
        news = self.rng.choice(POOLS["news"])
        lead = self.sentence(
            f"All of Us Are Dead Season 2 {news}, {{source}} told {{outlet}} on {{weekday}}."
        )
        paragraphs, target = [lead], self.rng.randint(300, 610)  # a paragraph adds at most ~90 words
        while sum(len(p.split()) for p in paragraphs) < target:
            paragraphs.append(self.paragraph())
        modified = published + timedelta(hours=self.rng.choice((0, 0, 0, 2, 5)))
        path = f"/news/{published:%Y/%m/%d}/{slug}-{number}.html"
        author = self.rng.choice(POOLS["author"])
        return NewsPage(site, path, headline, lead, author, published, modified, tuple(paragraphs))


def generate(count: int, seed: int, now: datetime) -> list[NewsPage]:
    """`count` articles over the sites; RECENT_SHARE of them published in the last 14 days, the
    rest 15 days to two years ago, so the crawler's revisit rule has old articles to leave alone."""
    rng, writer = random.Random(seed), Writer(random.Random(seed + 1))
    recent = set(rng.sample(range(count), round(count * RECENT_SHARE)))
    sites = rng.choices(list(SITES), weights=[share for _, share in SITES.values()], k=count)
    pages = []
    for number in range(count):
        age = timedelta(days=rng.uniform(0.05, 13) if number in recent else rng.uniform(15, 720))
        pages.append(writer.page(sites[number], number, (now - age).replace(microsecond=0)))
    return pages


# ---- the sites' files --------------------------------------------------------------------------


def base(site: str) -> str:
    """The placeholder the sample-site server replaces with the site's real address."""
    return "{{base:" + site + "}}"


PAGE: Final = Template("""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>$title | $site_name</title>
<meta name="description" content="$summary"><link rel="canonical" href="$url">
<meta property="og:type" content="article"><meta property="og:title" content="$title">
<meta property="og:description" content="$summary"><meta property="og:url" content="$url">
<meta property="og:site_name" content="$site_name">
<meta property="article:published_time" content="$published">
<meta property="article:modified_time" content="$modified">
<script type="application/ld+json">$jsonld</script>
$chrome</head>
<body><header class="site-header"><a class="logo" href="/">$site_name</a>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news/">News</a></li><li><a href="/tv/">TV</a></li>
<li><a href="/kpop/">K-pop</a></li><li><a href="/rss.xml">RSS</a></li></ul></nav></header>
<main><article class="story"><h1>$title</h1><p class="standfirst">$summary</p>
<div class="byline">By <a rel="author" href="/staff/">$author</a>
<time datetime="$published">$when</time></div>
<div class="article-body">
$paragraphs
</div>
<p class="tags">Tags: <a href="/tag/netflix/">Netflix</a>, <a href="/tag/k-drama/">K-drama</a></p></article>
<section class="related"><h2>Related stories</h2><ul>
$related
</ul></section></main>
<footer><nav><a href="/about/">About</a> | <a href="/contact/">Contact</a> | <a href="/terms/">Terms</a></nav>
<p>&copy; 2026 $site_name</p></footer></body></html>
""")


# Real news pages in ../shared/corpus/articles weigh 111 KB (median), 24 KB gzipped: mostly inline
# code and configuration around the article. --page-kb pads the generated pages to such a weight.
CORPUS_MEDIAN_PAGE_KB: Final = 111
_IDENTIFIER: Final = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$"
# Distinct identifiers, recurring statements and their share: what makes a bundle compress like real code.
CHROME_NAMES: Final = 200
CHROME_SNIPPETS: Final = 300
CHROME_REPEAT_SHARE: Final = 0.6


def site_chrome(target_bytes: int, rng: random.Random) -> str:
    """A site's inline script bundle: minified-looking code whose statements recur as real code's do
    (so it compresses about as a real page does, 4-5:1), the same on every page of the site."""
    if target_bytes <= 0:
        return ""
    names = ["".join(rng.choice(_IDENTIFIER) for _ in range(rng.randint(1, 9))) for _ in range(CHROME_NAMES)]

    def name() -> str:
        return rng.choice(names)

    def statement() -> str:
        return rng.choice((
            f"var {name()}={rng.randint(0, 99)},{name()}=\"{name()}-{name()}\";",
            f"function {name()}({name()},{name()}){{return {name()}.{name()}({name()})||{rng.randint(0, 9)}}}",  # noqa: E501
            f"{name()}.prototype.{name()}=function(){{this.{name()}=[{rng.randint(0, 99)},{name()}]}};",
            f"if({name()}!=={name()}){{{name()}[\"{name()}\"]={name()}({rng.randint(0, 99)})}}",
        ))  # fmt: skip

    snippets = [statement() for _ in range(CHROME_SNIPPETS)]
    parts: list[str] = []
    size = 0
    while size < target_bytes:
        part = rng.choice(snippets) if rng.random() < CHROME_REPEAT_SHARE else statement()
        parts.append(part)
        size += len(part)
    return "<script>" + "".join(parts) + "</script>"


def render_page(page: NewsPage, related: list[NewsPage], chrome: str = "") -> str:
    url, site_name = base(page.site) + page.path, SITES[page.site][0]
    published, modified = page.published.astimezone(KST), page.modified.astimezone(KST)
    jsonld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": page.headline,
              "datePublished": published.isoformat(), "dateModified": modified.isoformat(),
              "author": {"@type": "Person", "name": page.author}, "url": url,
              "publisher": {"@type": "Organization", "name": site_name}}  # fmt: skip
    escape = html.escape
    return PAGE.substitute(
        title=escape(page.headline), site_name=escape(site_name), summary=escape(page.summary), url=url,
        published=published.isoformat(), modified=modified.isoformat(), author=escape(page.author),
        when=f"{published:%B %d, %Y %H:%M} KST", jsonld=json.dumps(jsonld, ensure_ascii=False),
        paragraphs="\n".join(f"<p>{escape(p)}</p>" for p in page.paragraphs),
        related="\n".join(f'<li><a href="{r.path}">{escape(r.headline)}</a></li>' for r in related),
        chrome=chrome,
    )  # fmt: skip


def render_feed(site: str, pages: list[NewsPage]) -> str:
    """RSS 2.0 of the newest FEED_SIZE articles; atom:updated carries an entry's last change."""
    items = "".join(
        f"<item><title>{html.escape(p.headline)}</title><link>{base(site)}{p.path}</link>"
        f"<guid>{base(site)}{p.path}</guid><pubDate>{format_datetime(p.published)}</pubDate>"
        f"<atom:updated>{p.modified.isoformat()}</atom:updated>"
        f"<description>{html.escape(p.summary)}</description></item>\n"
        for p in pages[:FEED_SIZE]
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">'
        f"<channel><title>{SITES[site][0]}</title><link>{base(site)}/</link>"
        f"<description>Korean entertainment news</description>\n{items}</channel></rss>\n"
    )


def render_sitemaps(site: str, pages: list[NewsPage]) -> dict[str, str]:
    """A sitemap index and its children (at most SITEMAP_SIZE URLs each), by file name."""
    head = '<?xml version="1.0" encoding="UTF-8"?>\n'
    namespace = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    files, index = {}, []
    for start in range(0, len(pages), SITEMAP_SIZE):
        chunk, name = pages[start : start + SITEMAP_SIZE], f"sitemap-{start // SITEMAP_SIZE + 1}.xml"
        urls = "".join(
            f"<url><loc>{base(site)}{p.path}</loc><lastmod>{p.modified.isoformat()}</lastmod></url>\n"
            for p in chunk
        )
        files[name] = f"{head}<urlset {namespace}>\n{urls}</urlset>\n"
        newest = max(p.modified for p in chunk).isoformat()
        index.append(f"<sitemap><loc>{base(site)}/{name}</loc><lastmod>{newest}</lastmod></sitemap>\n")
    files["sitemap.xml"] = f"{head}<sitemapindex {namespace}>\n{''.join(index)}</sitemapindex>\n"
    return files


def by_site(pages: list[NewsPage]) -> dict[str, list[NewsPage]]:
    """Each site's articles, newest first (as feeds and sitemaps list them)."""
    sites: dict[str, list[NewsPage]] = {site: [] for site in SITES}
    for page in sorted(pages, key=lambda p: p.published, reverse=True):
        sites[page.site].append(page)
    return sites


def write_sites(
    root: Path, pages: list[NewsPage], chrome: dict[str, str], only: set[str] | None = None
) -> None:
    """Each site's robots.txt, feed and sitemaps, and its article pages (those in `only`, if given),
    each page carrying its site's `chrome`."""
    for site, listed in by_site(pages).items():
        folder = root / site
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "robots.txt").write_text(f"User-agent: *\nAllow: /\n\nSitemap: {base(site)}/sitemap.xml\n")
        (folder / "rss.xml").write_text(render_feed(site, listed))
        for name, text in render_sitemaps(site, listed).items():
            (folder / name).write_text(text)
        for position, page in enumerate(listed):
            if only is None or page.path in only:
                related = [listed[(position + step) % len(listed)] for step in (1, 2, 3)]
                file = folder / page.path.lstrip("/")
                file.parent.mkdir(parents=True, exist_ok=True)
                file.write_text(render_page(page, related, chrome.get(site, "")))


def edit(
    root: Path, pages: list[NewsPage], chrome: dict[str, str], share: float, seed: int
) -> tuple[list[NewsPage], set[str]]:
    """Rewrite one paragraph of `share` of the articles, now; the new list and the edited paths.

    Their sitemap <lastmod> and feed entries move to now, and their files' times a little past
    it, so that Last-Modified changes as well as the ETag, as on a real site.
    """
    rng, writer = random.Random(seed + 2), Writer(random.Random(seed + 3))
    edited = {p.path for p in rng.sample(pages, round(len(pages) * share))}
    now = datetime.now(UTC).replace(microsecond=0)
    changed = []
    for page in pages:
        if page.path in edited:
            paragraphs = list(page.paragraphs)
            paragraphs[rng.randrange(1, len(paragraphs))] = f"Update, {now:%B %d}: " + writer.paragraph()
            page = replace(page, paragraphs=tuple(paragraphs), modified=now)
        changed.append(page)
    write_sites(root, changed, chrome, only=edited)
    later = time.time() + 2
    for page in changed:
        if page.path in edited:
            os.utime(root / page.site / page.path.lstrip("/"), (later, later))
    return changed, edited


def write_topic(folder: Path, sites: SampleSites) -> Path:
    """The demo topic (show, cast, rules) with the generated sites as its only sources."""
    kept, in_sources = [], False
    for line in demo_topic_template().read_text(encoding="utf-8").splitlines():
        if line.strip().startswith("["):
            in_sources = line.strip() == "[[sources]]"
        if not in_sources and not line.startswith("# ---- Sources"):
            kept.append(line)
    for site, (name, _) in SITES.items():
        kept += ["", "[[sources]]", f'name = "{name}"', f'url = "{base(site)}/rss.xml"', 'kind = "feed"']
        kept += ["", "[[sources]]", f'name = "{name} sitemap"', f'url = "{base(site)}/sitemap.xml"',
                 'kind = "sitemap"', 'allow = ["/news/"]']  # fmt: skip
    template = folder / "topic.template.toml"
    template.write_text("\n".join(kept) + "\n", encoding="utf-8")
    topic = folder / "topic.toml"
    topic.write_text(sites.render_topic(template), encoding="utf-8")
    return topic


# ---- crawling, and reading the runs back -------------------------------------------------------


@dataclass(frozen=True)
class RunFigures:
    """One crawl: its wall time, when it started, and its spiders' stats and item counts summed."""

    seconds: float
    started_at: datetime
    totals: Counter[str]


def crawl(folder: Path, topic: Path, db_url: str) -> float:
    """Run `aoud-tracker crawl` once; its wall time. A failed crawl ends the benchmark."""
    command = [str(Path(sys.executable).parent / "aoud-tracker"), "crawl", "--topic", str(topic),
               "--db", db_url, "--storage-dir", str(folder / "storage"), "-q"]  # fmt: skip
    for setting in CRAWL_SETTINGS:
        command += ["-s", setting]
    start = time.perf_counter()
    result = subprocess.run(command, cwd=folder, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        print(f"crawl failed (exit {result.returncode}):\n{result.stderr}{result.stdout}", file=sys.stderr)
        raise SystemExit(result.returncode)
    return seconds


@contextmanager
def opened(db_url: str) -> Iterator[Engine]:
    """An engine on the store, disposed of afterwards: the crawls run in between, in other processes."""
    engine = store.make_engine(db_url, create=False)
    try:
        yield engine
    finally:
        engine.dispose()


def last_run_id(engine: Engine) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.coalesce(func.max(CrawlRun.id), 0))) or 0


def read_run(engine: Engine, after_id: int, seconds: float) -> RunFigures:
    """The crawl_runs rows written after `after_id` (one per spider; they run in one process), summed."""
    totals: Counter[str] = Counter()
    with Session(engine) as session:
        runs = session.scalars(select(CrawlRun).where(CrawlRun.id > after_id)).all()
        for run in runs:
            totals.update({k: v for k, v in run.stats.items() if isinstance(v, int | float)})
            totals.update({"new": run.items_new, "updated": run.items_updated,
                           "unchanged": run.items_unchanged, "dropped": run.items_dropped})  # fmt: skip
        started = min(run.started_at for run in runs)
    return RunFigures(seconds, started, totals)


def crawl_and_read(folder: Path, topic: Path, db_url: str) -> RunFigures:
    """Crawl once and read that crawl's figures from the store."""
    before = 0
    if (folder / STORE_FILE).exists():
        with opened(db_url) as engine:
            before = last_run_id(engine)
    seconds = crawl(folder, topic, db_url)
    with opened(db_url) as engine:
        return read_run(engine, before, seconds)


def stored_paths(engine: Engine, since: datetime | None = None) -> set[str]:
    """Paths of the stored articles (updated at or after `since`, if given); the port is the run's."""
    query = select(Article.url)
    if since is not None:
        query = query.where(Article.updated_at >= since)
    with Session(engine) as session:
        return {urlsplit(url).path for url in session.scalars(query)}


def story_count(engine: Engine) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count(Story.id))) or 0


# ---- report ------------------------------------------------------------------------------------

ROWS: Final = (
    ("bytes received", "downloader/response_bytes"), ("bytes sent", "downloader/request_bytes"),
    ("requests", "downloader/request_count"), ("200", "downloader/response_status_count/200"),
    ("304", "downloader/response_status_count/304"), ("parsed", "aoud/articles/fetched"),
    ("skipped old", "aoud/skipped/old_unchanged"),
    ("listed twice", "aoud/skipped/duplicate_link"), ("new", "new"), ("updated", "updated"),
    ("unchanged", "unchanged"), ("dropped", "dropped"), ("errors", "aoud/errors"),
)  # fmt: skip
WIDTHS: Final = (16, 17, 19, 20)


def row(cells: list[str]) -> str:
    """One line of the table: a label, then the three runs' cells under their headings."""
    return "".join(f"{cell:>{width}}" for cell, width in zip(cells, WIDTHS, strict=True))


def verdict(passed: bool) -> str:
    return "PASS" if passed else "FAIL"


def report(runs: list[RunFigures], share: float, edited_stored: set[str], picked: set[str]) -> None:
    """The three runs side by side, then the requirement's ratios."""
    print(row(["", "run 1 (cold)", "run 2 (unchanged)", f"run 3 ({share:.0%} changed)"]))
    print(row(["seconds", *(f"{r.seconds:.1f}" for r in runs)]))
    for label, key in ROWS:
        print(row([label, *(f"{int(r.totals[key]):,}" for r in runs)]))
    first, second = runs[0], runs[1]
    received = second.totals["downloader/response_bytes"] / max(first.totals["downloader/response_bytes"], 1)
    both = ("downloader/response_bytes", "downloader/request_bytes")
    total = sum(second.totals[k] for k in both) / max(sum(first.totals[k] for k in both), 1)
    timing = second.seconds / first.seconds
    print(f"run 2 / run 1 bytes received: {received:.3f} (target <= 0.10) {verdict(received <= 0.10)}")
    print(f"run 2 / run 1 bytes sent and received: {total:.3f} (target <= 0.10) {verdict(total <= 0.10)}")
    print(f"run 2 / run 1 time: {timing:.2f} (target <= 0.33) {verdict(timing <= 1 / 3)}")
    missed, extra = edited_stored - picked, picked - edited_stored
    print(f"run 3 picked up {len(edited_stored & picked)} of {len(edited_stored)} changed articles, "
          f"{len(extra)} extra: {verdict(not missed and not extra)}")  # fmt: skip
    if missed or extra:
        print(f"  missed: {sorted(missed)[:5]}  extra: {sorted(extra)[:5]}")


# ---- the whole measurement ---------------------------------------------------------------------


def page_weight(root: Path, pages: list[NewsPage]) -> str:
    """The median article page's size, plain and gzipped, beside the corpus's real pages."""
    sample = [(root / p.site / p.path.lstrip("/")).read_bytes() for p in pages[:: max(len(pages) // 50, 1)]]
    plain = statistics.median(len(b) for b in sample) / 1024
    packed = statistics.median(len(gzip.compress(b)) for b in sample) / 1024
    return (f"article pages: median {plain:.0f} KB, {packed:.0f} KB gzipped "
            f"(real news pages in the corpus: {CORPUS_MEDIAN_PAGE_KB} KB, 24 KB gzipped)")  # fmt: skip


@contextmanager
def workspace(keep: bool) -> Iterator[Path]:
    """A temporary folder, removed afterwards unless --keep."""
    if keep:
        folder = Path(tempfile.mkdtemp(prefix="aoud-incremental-"))
        print(f"working in {folder} (kept; the crawls' log is storage/logs/aoud-tracker.log)")
        yield folder
        return
    with tempfile.TemporaryDirectory(prefix="aoud-incremental-") as name:
        yield Path(name)


def measure(folder: Path, args: argparse.Namespace) -> None:
    """Generate and serve the sites, crawl them three times, edit them before the third, report.

    One server for all three runs: its ports are part of every stored article's identity.
    """
    root, db_url = folder / "site", f"sqlite:///{folder / STORE_FILE}"
    pages = generate(args.articles, args.seed, datetime.now(UTC))
    chrome = {site: site_chrome(args.page_kb * 1024, random.Random(f"{args.seed}:{site}")) for site in SITES}
    write_sites(root, pages, chrome)
    print(page_weight(root, pages))
    with SampleSites(root=root) as sites:
        topic = write_topic(folder, sites)
        runs = [crawl_and_read(folder, topic, db_url)]
        with opened(db_url) as engine:
            stored_first, stories = stored_paths(engine), story_count(engine)
        print(f"run 1 stored {len(stored_first):,} of {args.articles:,} articles in {stories:,} stories")
        runs.append(crawl_and_read(folder, topic, db_url))
        pages, edited = edit(root, pages, chrome, args.changed_share, args.seed)
        runs.append(crawl_and_read(folder, topic, db_url))
    with opened(db_url) as engine:
        picked = stored_paths(engine, since=runs[2].started_at)
    report(runs, args.changed_share, edited & stored_first, picked)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=1200, help="how many; at least 1000 to count")
    parser.add_argument("--changed-share", type=float, default=0.05, help="share edited before run 3")
    parser.add_argument("--seed", type=int, default=7, help="for the articles and the choice of edits")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print its path")
    parser.add_argument(
        "--page-kb", type=int, default=CORPUS_MEDIAN_PAGE_KB - 8,
        help="inline code added to each page, in KB (default: pages as heavy as the corpus's median "
        "real news page, 111 KB; 0: bare article pages of about 8 KB)",
    )  # fmt: skip
    args = parser.parse_args()
    if not 0 < args.changed_share <= 1:
        parser.error("--changed-share must be above 0 and at most 1")
    if args.articles < 1000:
        print(f"note: {args.articles} articles is below 1,000; the figures do not count for the requirement")
    with workspace(args.keep) as folder:
        measure(folder, args)


if __name__ == "__main__":
    main()
