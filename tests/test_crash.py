"""A crawl killed with SIGKILL mid-way, then run again, ends with the store an uninterrupted crawl builds.

Scrapy's JOBDIR does not survive SIGKILL, so this rests on the store alone: one transaction per
article keyed on its URL identity, validators kept only once their page's item is stored, and a
source's entries considered again on every run.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from typing import TYPE_CHECKING, Any

import pytest

from aoud_tracker.demo.server import SampleSites
from aoud_tracker.urls import url_key
from tests.conftest import run_cli
from tests.pacing import paced
from tests.test_e2e import FAST

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

pytestmark = pytest.mark.e2e
KILL_AFTER_ARTICLES = 4


# Article pages slow enough for a crawl to be caught in the middle: killing the crawler once
# KILL_AFTER_ARTICLES pages were sent in full catches a page between its answer and its store write.
SlowArticles = paced(0.3, KILL_AFTER_ARTICLES)


@pytest.fixture(scope="module")
def slow_sites() -> Iterator[SampleSites]:
    with SampleSites(handler=SlowArticles) as sites:
        yield sites


def crawl_args(root: Path, db: Path, topic: Path) -> list[str]:
    return ["crawl", "--topic", str(topic), "--db", f"sqlite:///{db}", "--storage-dir", str(root / "storage"),
            "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2", *FAST[:4]]  # fmt: skip


def stored_articles(db: Path) -> int:
    if not db.exists():
        return 0
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as connection:
        try:
            return int(connection.execute("SELECT count(*) FROM articles").fetchone()[0])
        except sqlite3.OperationalError:  # the schema is not there yet
            return 0


def snapshot(db: Path) -> dict[str, Any]:
    """What a store holds, independent of row ids and fetch times."""
    with sqlite3.connect(db) as connection:
        rows = connection.execute("SELECT id, url_key, story_id, content_hash FROM articles").fetchall()
        key_of = {article_id: key for article_id, key, _, _ in rows}
        stories: dict[int, set[str]] = {}
        for _, key, story_id, _ in rows:
            stories.setdefault(story_id, set()).add(key)
        tags = connection.execute("SELECT article_id, name FROM tags").fetchall()
        claims = connection.execute("SELECT article_id, kind, sentence FROM claims").fetchall()
        addresses = connection.execute("SELECT article_id, url FROM article_urls").fetchall()
        return {
            "articles": sorted((key, digest) for _, key, _, digest in rows),
            "stories": sorted(sorted(keys) for keys in stories.values()),
            "tags": sorted((key_of[a], name) for a, name in tags),
            "claims": sorted((key_of[a], kind, sentence) for a, kind, sentence in claims),
            # by URL identity: which variant of an address (AMP, mobile) reached an article first
            # is a race between the two spiders, in any crawl (as in test_faults.py)
            "addresses": sorted({url_key(url).split("/", 1)[-1] for _, url in addresses}),
        }


def integrity(db: Path) -> str:
    with sqlite3.connect(db) as connection:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])


def test_sigkill_mid_crawl_then_a_rerun_equals_an_uninterrupted_crawl(
    tmp_path: Path, slow_sites: SampleSites
) -> None:
    topic = tmp_path / "topic.toml"
    topic.write_text(slow_sites.render_topic(), encoding="utf-8")
    whole_db, killed_db = tmp_path / "whole.db", tmp_path / "killed.db"
    (tmp_path / "whole").mkdir()
    (tmp_path / "killed").mkdir()

    uninterrupted = run_cli(*crawl_args(tmp_path / "whole", whole_db, topic), cwd=tmp_path)
    assert uninterrupted.returncode == 0, uninterrupted.stderr
    expected = snapshot(whole_db)

    environment = {k: v for k, v in os.environ.items() if not k.startswith("AOUD_")}
    crawler = subprocess.Popen(
        [sys.executable, "-m", "aoud_tracker", *crawl_args(tmp_path / "killed", killed_db, topic)],
        cwd=tmp_path, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    SlowArticles.reset()
    assert SlowArticles.caught.wait(timeout=120), "the crawl fetched no article in two minutes"
    os.kill(crawler.pid, signal.SIGKILL)
    assert crawler.wait(timeout=30) == -signal.SIGKILL, "the crawl was still running when killed"
    interrupted_at = stored_articles(killed_db)
    assert interrupted_at < len(expected["articles"]), "killed in the middle"
    assert integrity(killed_db) == "ok"

    rerun = run_cli(*crawl_args(tmp_path / "killed", killed_db, topic), cwd=tmp_path)
    assert rerun.returncode == 0, rerun.stderr
    assert integrity(killed_db) == "ok"
    assert snapshot(killed_db) == expected, "nothing lost, nothing stored twice"
    with sqlite3.connect(killed_db) as connection:
        statuses = [s for (s,) in connection.execute("SELECT status FROM crawl_runs ORDER BY id")]
    assert statuses.count("interrupted") >= 1, "the killed run is recorded as interrupted"
    assert "running" not in statuses
