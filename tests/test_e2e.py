"""End to end: real Scrapy crawls (subprocesses) of the sample sites on 127.0.0.1 into a real SQLite file,
then feeds and digest, checked against tests/fixtures/demo_expected.json."""

from __future__ import annotations

import json
import shutil
import socket
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import feedparser
import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from aoud_tracker.demo.server import SampleSites, SiteHandler, sample_sites_dir
from aoud_tracker.models import Article, Claim, CrawlRun, Story, Tag
from aoud_tracker.urls import url_key
from tests.conftest import FIXTURES, run_cli
from tests.feedcheck import problems

if TYPE_CHECKING:
    from collections.abc import Iterator

pytestmark = pytest.mark.e2e
EXPECTED = json.loads((FIXTURES / "demo_expected.json").read_text(encoding="utf-8"))
FAST = [
    "-s",
    "AUTOTHROTTLE_ENABLED=False",
    "-s",
    "DOWNLOAD_DELAY=0",
    "-s",
    "CONCURRENT_REQUESTS_PER_DOMAIN=8",
]


@dataclass
class Crawled:
    """A workspace after a crawl: its paths, the sites' addresses and each run's output."""

    root: Path
    topic: Path
    db_url: str
    bases: dict[str, str]
    runs: list[Any]

    def run(self, *extra: str) -> Any:
        result = run_cli(
            "run", "--topic", str(self.topic), "--db", self.db_url, "--feeds-dir", str(self.root / "feeds"),
            "--storage-dir", str(self.root / "storage"), *FAST, *extra, cwd=self.root,
        )  # fmt: skip
        self.runs.append(result)
        return result

    def session(self) -> Session:
        return Session(create_engine(self.db_url))

    def key(self, site: str, path: str) -> str:
        return url_key(self.bases[site] + path)


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory, sample_sites: SampleSites) -> Crawled:
    root = tmp_path_factory.mktemp("e2e")
    topic = root / "topic.toml"
    topic.write_text(sample_sites.render_topic(), encoding="utf-8")
    workspace = Crawled(root, topic, f"sqlite:///{root / 'tracker.db'}", sample_sites.base_urls, [])
    first = workspace.run()
    assert first.returncode == 0, first.stderr
    return workspace


def test_exactly_the_expected_stories_are_stored(crawled: Crawled) -> None:
    with crawled.session() as session:
        articles = {a.url_key: a for a in session.scalars(select(Article))}
        stories = session.scalar(select(func.count()).select_from(Story))
    expected_keys = {crawled.key(a["site"], a["path"]) for s in EXPECTED["stories"] for a in s["articles"]}
    assert set(articles) == expected_keys
    assert stories == len(EXPECTED["stories"])


@pytest.mark.parametrize("expected", EXPECTED["stories"], ids=lambda s: s["key"])
def test_each_story_has_its_articles_and_tags(crawled: Crawled, expected: dict[str, Any]) -> None:
    keys = [crawled.key(a["site"], a["path"]) for a in expected["articles"]]
    with crawled.session() as session:
        rows = [session.scalars(select(Article).where(Article.url_key == k)).one() for k in keys]
        story_ids = {row.story_id for row in rows}
        tags = set(session.scalars(select(Tag.name).where(Tag.story_id.in_(story_ids))))
    assert len(story_ids) == 1, "copies on other sites are one story"
    assert tags == set(expected["tags"])


def test_articles_carry_their_publication_time_and_byline(crawled: Crawled) -> None:
    with crawled.session() as session:
        articles = {a.url_key: a for a in session.scalars(select(Article))}
    for story in EXPECTED["stories"]:
        for expected in story["articles"]:
            stored = articles[crawled.key(expected["site"], expected["path"])]
            assert stored.published_at == datetime.fromisoformat(expected["published"]), expected["path"]
            assert stored.author and "기자" not in stored.author, expected["path"]


def test_other_shows_listings_and_forbidden_pages_are_absent(crawled: Crawled) -> None:
    unwanted = [*EXPECTED["off_topic"], *EXPECTED["not_articles"], *EXPECTED["robots_disallowed"]]
    with crawled.session() as session:
        stored = set(session.scalars(select(Article.url_key)))
    assert not stored & {crawled.key(p["site"], p["path"]) for p in unwanted}


def test_url_variants_and_copies_were_merged(crawled: Crawled) -> None:
    with crawled.session() as session:
        stats = [run.stats for run in session.scalars(select(CrawlRun))]
    merged = sum(s.get("aoud/stored/merged", 0) for s in stats)
    copies = sum(len(s["articles"]) - 1 for s in EXPECTED["stories"])
    assert merged == copies
    skipped_variants = sum(
        s.get("aoud/skipped/duplicate_link", 0) + s.get("aoud/stored/unchanged", 0) for s in stats
    )
    assert skipped_variants >= 1, "the AMP and tracking-parameter URLs reached one article"
    assert sum(s.get("aoud/dropped/off_topic", 0) for s in stats) == len(EXPECTED["off_topic"])
    assert sum(s.get("aoud/skipped/robots", 0) for s in stats) >= 1
    assert sum(s.get("aoud/errors/http_404", 0) for s in stats) == len(EXPECTED["missing"])


def test_feeds_parse_and_list_the_stories(crawled: Crawled) -> None:
    headlines = {s["headline"] for s in EXPECTED["stories"]}
    for name in ("rss.xml", "atom.xml"):
        parsed = feedparser.parse((crawled.root / "feeds" / name).read_bytes())
        assert not parsed.bozo, parsed.get("bozo_exception")
        titles = {e.title.removeprefix("[Spoiler] ") for e in parsed.entries}
        assert titles == headlines
        assert len({e.id for e in parsed.entries}) == len(parsed.entries)


def test_digest_lists_the_stories(crawled: Crawled) -> None:
    digest = (crawled.root / "feeds" / "digest.md").read_text(encoding="utf-8")
    assert f"**{len(EXPECTED['stories'])} stories**" in digest
    for section in ("### Release date", "### Cast", "### Production"):
        assert section in digest
    newest = max(EXPECTED["stories"], key=lambda s: s["published"])
    assert newest["headline"] in digest


def test_latest_json_answers_the_cast_question(crawled: Crawled) -> None:
    result = run_cli(
        "latest", "--db", crawled.db_url, "--tag", "cast", "--json", "--limit", "50", cwd=crawled.root
    )
    assert result.returncode == 0, result.stderr
    stories = json.loads(result.stdout)
    expected = [s for s in EXPECTED["stories"] if "cast" in s["tags"]]
    assert len(stories) == len(expected)
    for story in stories:
        assert {"id", "title", "url", "published_at", "updated_at", "tags", "sources"} <= set(story)
        assert "cast" in story["tags"]
        assert all({"url", "site", "published_at"} <= set(source) for source in story["sources"])
    dates = [s["published_at"] for s in stories]
    assert dates == sorted(dates, reverse=True)


def test_second_crawl_adds_nothing_and_keeps_every_guid(crawled: Crawled, sample_sites: SampleSites) -> None:
    feeds = crawled.root / "feeds"
    logged = len(sample_sites.access_log)
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in feeds.rglob("*") if p.is_file()}
    with crawled.session() as session:
        counts = [session.scalar(select(func.count()).select_from(m)) for m in (Article, Story, Tag)]
    time.sleep(0.01)
    second = crawled.run()
    assert second.returncode == 0, second.stderr
    with crawled.session() as session:
        assert [session.scalar(select(func.count()).select_from(m)) for m in (Article, Story, Tag)] == counts
        last = session.scalars(select(CrawlRun).order_by(CrawlRun.id.desc()).limit(2)).all()
    assert all(run.items_new == 0 and run.items_updated == 0 for run in last)
    not_modified = sum(run.stats.get("aoud/not_modified/article", 0) for run in last)
    assert not_modified > 0, "article pages were asked for conditionally and answered 304"
    sources_not_modified = sum(run.stats.get("aoud/not_modified/source", 0) for run in last)
    assert sources_not_modified > 0, "feeds, sitemaps and listings were asked for conditionally too"
    answered_304 = sum(run.stats.get("downloader/response_status_count/304", 0) for run in last)
    assert answered_304 == not_modified + sources_not_modified
    server_304s = [e for e in sample_sites.access_log[logged:] if e.status == 304]
    assert len(server_304s) == answered_304, "the servers' own logs agree"
    fetched = sum(run.stats.get("aoud/articles/fetched", 0) for run in last)
    assert fetched < not_modified, "304s are not parsed"
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in feeds.rglob("*") if p.is_file()}
    assert after == before, "an unchanged store republishes byte-identical, untouched files"


class SlowHandler(SiteHandler):
    """Serves the broken site; pages under /slow/ answer after the crawler has given up."""

    def respond(self, send_body: bool) -> None:
        if self.path.startswith("/slow/"):
            time.sleep(4)
        super().respond(send_body)


@pytest.fixture(scope="module")
def broken_site() -> Iterator[SampleSites]:
    with SampleSites(FIXTURES / "badsites", handler=SlowHandler) as sites:
        yield sites


def test_bad_pages_are_logged_counted_and_lose_nothing(crawled: Crawled, broken_site: SampleSites) -> None:
    topic = crawled.root / "broken-topic.toml"
    topic.write_text(broken_site.render_topic(FIXTURES / "badsites" / "topic.toml"), encoding="utf-8")
    with crawled.session() as session:
        before = set(session.scalars(select(Article.url_key)))
    result = run_cli(
        "run", "--topic", str(topic), "--db", crawled.db_url, "--feeds-dir", str(crawled.root / "feeds"),
        "--storage-dir", str(crawled.root / "storage"), "--log-level", "INFO", *FAST,
        "-s", "DOWNLOAD_TIMEOUT=2", "-s", "RETRY_TIMES=0", cwd=crawled.root,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    base = broken_site.base_urls["brokennews"]
    log = result.stderr
    for path, reason in [
        ("/garbage.html", "not HTML"),  # PNG bytes served as text/html
        ("/empty.html", "characters"),
        ("/slow/story.html", "timed out"),
        ("/missing.html", "HTTP 404"),
        ("/wrong-charset.html", "decoded as"),
        ("/not-a-feed.xml", "not a readable feed"),
    ]:
        lines = [line for line in log.splitlines() if f"{base}{path}" in line]
        assert any(reason in line for line in lines), f"{path}: no log line with {reason!r}"
    with crawled.session() as session:
        after = {a.url_key: a for a in session.scalars(select(Article))}
        run = session.scalars(select(CrawlRun).order_by(CrawlRun.id.desc())).first()
    assert before <= set(after), "nothing already stored was lost"
    new = {key: a for key, a in after.items() if key not in before}
    good = {url_key(base + p) for p in ("/good.html", "/control-chars.html", "/wrong-charset.html")}
    assert good == set(new), [line for line in log.splitlines() if "good.html" in line]
    repaired = new[url_key(base + "/wrong-charset.html")]
    assert "지금 우리 학교는" in repaired.title and "\ufffd" not in repaired.body
    cleaned = new[url_key(base + "/control-chars.html")]
    assert cleaned.title == "All of Us Are Dead Season 2 cast confirmed at last"
    assert run is not None
    assert run.stats["aoud/errors/timeout"] == 1 and run.stats["aoud/errors/http_404"] == 1
    assert run.stats["aoud/dropped/no_body"] == 1 and run.stats["aoud/skipped/not_html"] == 1
    assert run.stats["aoud/pages/charset_repaired"] == 1
    for name in ("rss.xml", "atom.xml"):
        assert not feedparser.parse((crawled.root / "feeds" / name).read_bytes()).bozo


def test_run_exits_1_when_no_source_can_be_read_and_still_publishes(tmp_path: Path) -> None:
    """Cron's signal: a crawl that read nothing fails, loudly, but the feeds are still written."""
    with socket.socket() as probe:  # a port that was free a moment ago: connection refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    topic = tmp_path / "down.toml"
    topic.write_text(
        '[topic]\nname = "Down"\nslug = "down"\ntitles = ["All of Us Are Dead"]\nseason = 2\n\n'
        f'[[sources]]\nname = "Gone"\nurl = "http://127.0.0.1:{port}/feed.xml"\nkind = "feed"\n',
        encoding="utf-8",
    )
    result = run_cli(
        "run", "--topic", str(topic), "--db", f"sqlite:///{tmp_path / 'down.db'}", "--feeds-dir",
        str(tmp_path / "feeds"), "--quiet", "-s", "RETRY_TIMES=0", cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 1
    assert "feeds: FAILED: none of the 1 sources could be read" in result.stderr
    assert result.stdout == ""
    assert not feedparser.parse((tmp_path / "feeds" / "rss.xml").read_bytes()).bozo


def test_quiet_run_of_a_healthy_crawl_prints_nothing(crawled: Crawled) -> None:
    result = crawled.run("--quiet")
    assert result.returncode == 0
    assert (result.stdout, result.stderr) == ("", "")


def test_an_edited_page_updates_its_story_in_place_and_keeps_its_guid(tmp_path: Path) -> None:
    """The publisher corrects an old article and its feed says so: the re-crawl updates it in place.

    Until the feed lists the change, the article (older than AOUD_REVISIT_DAYS) is not asked for.
    """
    sites = tmp_path / "site"
    shutil.copytree(sample_sites_dir(), sites)
    path = "/entertainment/2026/04/all-of-us-are-dead-season-2-wraps-filming.html"
    page, feed_file = sites / "seoulscreen" / path.lstrip("/"), sites / "seoulscreen" / "rss.xml"
    with SampleSites(sites) as served:
        workspace = Crawled(
            tmp_path, tmp_path / "topic.toml", f"sqlite:///{tmp_path / 't.db'}", served.base_urls, []
        )
        workspace.topic.write_text(served.render_topic(), encoding="utf-8")
        assert workspace.run().returncode == 0
        key = workspace.key("seoulscreen", path)
        with workspace.session() as session:
            before = session.scalars(select(Article).where(Article.url_key == key)).one()
            story_id, story_updated = before.story_id, before.story.updated_at
        guid_before = {e.id for e in feedparser.parse((tmp_path / "feeds" / "rss.xml").read_bytes()).entries}
        text = page.read_text(encoding="utf-8")
        before_fix = "wrapped principal photography in early April"
        assert before_fix in text
        page.write_text(text.replace(before_fix, "wrapped principal photography in mid-April"), "utf-8")

        logged = len(served.access_log)
        unlisted = workspace.run()
        assert unlisted.returncode == 0, unlisted.stderr
        assert "0 updated" in unlisted.stdout
        assert path not in {e.path for e in served.access_log[logged:]}, (
            "an old, unlisted page is not asked for"
        )

        entry_date = "<pubDate>Thu, 16 Apr 2026 10:40:00 +0900</pubDate>"
        feed_text = feed_file.read_text(encoding="utf-8")
        assert entry_date in feed_text
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        feed_file.write_text(feed_text.replace(entry_date, f"{entry_date}<atom:updated>{now}</atom:updated>"))
        second = workspace.run()
    assert second.returncode == 0, second.stderr
    assert "1 updated" in second.stdout
    with workspace.session() as session:
        after = session.scalars(select(Article).where(Article.url_key == key)).one()
        assert after.story_id == story_id
        assert "in mid-April" in after.body and "in early April" not in after.body
        assert after.story.updated_at > story_updated
        assert session.scalar(select(func.count()).select_from(Article).where(Article.url_key == key)) == 1
        runs = session.scalars(select(CrawlRun).order_by(CrawlRun.id.desc()).limit(4)).all()
        assert sum(r.stats.get("aoud/skipped/old_unchanged", 0) for r in runs[2:]) > 0
    feed = feedparser.parse((tmp_path / "feeds" / "rss.xml").read_bytes())
    assert {e.id for e in feed.entries} == guid_before, "no entry appears or disappears"


def test_a_copy_found_in_a_later_crawl_joins_the_stored_story(crawled: Crawled) -> None:
    """The near-duplicate index lives in the store: another process, another day, the same story."""
    with SampleSites(FIXTURES / "latecopy") as late:
        topic = crawled.root / "late-topic.toml"
        topic.write_text(late.render_topic(FIXTURES / "latecopy" / "topic.toml"), encoding="utf-8")
        result = run_cli(
            "run", "--topic", str(topic), "--db", crawled.db_url, "--feeds-dir", str(crawled.root / "feeds"),
            "--storage-dir", str(crawled.root / "storage"), *FAST, cwd=crawled.root,
        )  # fmt: skip
        late_key = url_key(late.base_urls["latewire"] + "/k-drama/aoud-season-2-table-read.html")
    assert result.returncode == 0, result.stderr
    original = crawled.key(
        "seoulscreen", "/entertainment/2025/07/all-of-us-are-dead-season-2-table-read-cast.html"
    )
    with crawled.session() as session:
        stories = dict(session.execute(select(Article.url_key, Article.story_id)).all())
    assert stories[late_key] == stories[original]
    explained = run_cli("stories", "--db", crawled.db_url, "--json", "--limit", "100", cwd=crawled.root)
    assert explained.returncode == 0, explained.stderr
    (story,) = [s for s in json.loads(explained.stdout) if s["id"] == stories[original]]
    joins = {source["url"]: source for source in story["sources"]}
    late_source = next(s for url, s in joins.items() if "k-drama/aoud-season-2-table-read" in url)
    assert late_source["joined_because"] == "near_duplicate"
    assert 0.35 <= late_source["similarity"] <= 1
    assert late_source["reached_as"] and late_source["matched_article_id"]


def test_stories_json_explains_verbatim_copies(crawled: Crawled) -> None:
    result = run_cli("stories", "--db", crawled.db_url, "--json", "--limit", "100", cwd=crawled.root)
    assert result.returncode == 0, result.stderr
    syndicated = next(s for s in EXPECTED["stories"] if s["key"] == "syndicated-cast-report")
    (story,) = [s for s in json.loads(result.stdout) if s["title"] == syndicated["headline"]]
    reasons = sorted(source["joined_because"] for source in story["sources"])
    assert reasons == ["fingerprint", "fingerprint", "fingerprint", "first"]


def test_claims_show_the_best_answer_the_timeline_and_a_contradiction(crawled: Crawled) -> None:
    result = run_cli("claims", "--db", crawled.db_url, "--json", cwd=crawled.root)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    release = report["release_date"]
    assert release["official"]["start"] == "2027-01-01" and release["official"]["end"] == "2027-04-30"
    assert release["official"]["hedge"] == "confirmed"
    assert release["best"] == release["official"], "an official window beats any rumor"
    firsts = [w["first_said"] for w in release["timeline"]]
    assert firsts == sorted(firsts) and len(release["timeline"]) >= 5
    rumored_2024 = [w for w in release["contradictions"] if w["start"].startswith("2024")]
    assert rumored_2024, "the early-2024 rumour is contradicted by the official window"
    members = {m["actor"]: m for m in report["cast"]["members"]}
    assert members["Roh Jae-won"]["status"] == "new" and members["Roh Jae-won"]["character"] == "Han Du-seok"
    assert members["Park Ji-hu"]["status"] == "returning"
    problems = [c["problem"] for c in report["cast"]["contradictions"]]
    assert any("Kim Si-eun given the role of Choi Nam-ra" in p for p in problems), (
        "the wrong-character report"
    )
    assert all(not p["spoiler"] for p in report["plot"]), "spoilers stay hidden without --spoilers"
    text = run_cli("claims", "--db", crawled.db_url, "--kind", "cast", cwd=crawled.root)
    assert "contradiction: Kim Si-eun given the role of Choi Nam-ra" in text.stdout


def test_digest_has_release_watch_and_cast(crawled: Crawled) -> None:
    feeds = crawled.root / "digest-feeds"
    arguments = ["publish", "--topic", str(crawled.topic), "--db", crawled.db_url, "--feeds-dir", str(feeds)]
    published = run_cli(*arguments, cwd=crawled.root)
    assert published.returncode == 0, published.stderr
    digest = (feeds / "digest.md").read_text(encoding="utf-8")
    watch = digest[digest.index("## Release date watch") : digest.index("## Cast\n")]
    assert "**Official:** early 2027 (confirmed 18 Nov 2026)" in watch
    assert "How it moved" in watch
    cast = digest[digest.index("## Cast\n") : digest.index("## Stories")]
    assert "**Returning:**" in cast and "Park Ji-hu (Nam On-jo)" in cast
    assert "**New:**" in cast and "Roh Jae-won (Han Du-seok)" in cast


def test_every_published_feed_of_the_sample_site_is_valid(crawled: Crawled) -> None:
    """feedparser and the validator's rules on all 30 feeds of a real crawl, plus the OPML list."""
    feeds = crawled.root / "valid-feeds"
    arguments = ["publish", "--topic", str(crawled.topic), "--db", crawled.db_url, "--feeds-dir", str(feeds)]
    published = run_cli(*arguments, cwd=crawled.root)
    assert published.returncode == 0, published.stderr
    base = feeds.resolve().as_uri() + "/"
    files = [p for p in feeds.rglob("*") if p.suffix in (".xml", ".json")]
    assert len(files) == 3 * (2 + 7)
    found = [
        problem for path in files for problem in problems(path, base + path.relative_to(feeds).as_posix())
    ]
    assert found == []
    cast = feedparser.parse((feeds / "tags" / "cast.xml").read_bytes())
    assert cast.entries and all("cast" in {t.term for t in e.tags} for e in cast.entries)
    official = feedparser.parse((feeds / "tags" / "official.xml").read_bytes())
    confirmed = [e for e in official.entries if "Release window: early 2027, confirmed" in e.description]
    assert confirmed, "the official window's story carries its claim"


def test_worker_processes_store_what_the_crawls_own_process_stores(crawled: Crawled, tmp_path: Path) -> None:
    """A crawl that extracts and tags in AOUD_WORK_PROCESSES worker processes stores the same
    articles, tags, claims and stories (the dedupe identities come from the workers) as one doing
    that work in its own process."""
    stores = {}
    for processes in (1, 0):
        stores[processes] = f"sqlite:///{tmp_path / f'processes-{processes}.db'}"
        result = run_cli(
            "crawl", "--topic", str(crawled.topic), "--db", stores[processes],
            "--storage-dir", str(tmp_path / f"storage-{processes}"),
            *FAST, "-s", f"AOUD_WORK_PROCESSES={processes}", cwd=crawled.root,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr

    def picture(db_url: str) -> tuple[dict[str, Any], int, Any, set[frozenset[str]]]:
        with Session(create_engine(db_url)) as session:
            tags: dict[str, set[str]] = {}
            for key, name in session.execute(select(Article.url_key, Tag.name).join(Tag.article)):
                tags.setdefault(key, set()).add(name)
            claims = session.scalar(select(func.count()).select_from(Claim))
            first_run = session.scalars(select(CrawlRun).order_by(CrawlRun.id)).first()
            stories: dict[int, set[str]] = {}
            for story_id, key in session.execute(select(Article.story_id, Article.url_key)):
                stories.setdefault(story_id, set()).add(key)
            groups = {frozenset(keys) for keys in stories.values()}
            return tags, int(claims or 0), first_run.stats if first_run else {}, groups

    pooled_tags, pooled_claims, pooled_stats, pooled_stories = picture(stores[1])
    inline_tags, inline_claims, inline_stats, inline_stories = picture(stores[0])
    assert pooled_stories == inline_stories
    assert any(len(group) > 1 for group in inline_stories), "the sample site's copies were merged"
    for work in ("aoud/extracted_in_workers", "aoud/tagged_in_workers"):
        assert pooled_stats.get(work, 0) > 0, f"the sample crawl did its {work} in worker processes"
        assert work not in inline_stats
    # every page was tagged with its extraction, in one trip to the worker: no reading went unused
    assert pooled_stats["aoud/tagged_with_extraction"] == pooled_stats["aoud/tagged_in_workers"]
    assert pooled_tags == inline_tags
    assert pooled_claims == inline_claims > 0
