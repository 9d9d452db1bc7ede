"""A real feed reader against the served feeds: newsboat subscribed to the main feed and a tag feed.

newsboat keeps one item per id across every feed it follows, so this is where per-tag ids are
proven; and it reports unread items, so this is where "an edited story is not shown as new" is.
newsboat exits 0 even when a fetch fails, so its debug log is read for errors.
"""

from __future__ import annotations

import dataclasses
import os
import re
import sqlite3
import subprocess
from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from sqlalchemy.orm import sessionmaker

from aoud_tracker import store
from aoud_tracker.publish import publish
from aoud_tracker.serve import make_server, serve_in_background
from tests.conftest import require_program
from tests.factories import FETCHED, article

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from aoud_tracker.static import QuietServer
    from aoud_tracker.topic import Topic

RUMOR = (
    "Industry sources say All of Us Are Dead Season 2 could premiere in early 2027 after a long "
    "post-production period for the effects-heavy outbreak scenes set across Seoul.\n\n"
    "Netflix has not commented on the report, and earlier release rumours for the zombie drama turned out "
    "to be wrong more than once since the renewal in June 2022."
)


@pytest.fixture
def newsboat() -> str:
    return require_program("newsboat")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[QuietServer]:
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    server = make_server(feeds, "127.0.0.1", 0)
    serve_in_background(server)
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


class Reader:
    """newsboat with its own HOME, cache and config, run non-interactively."""

    def __init__(self, binary: str, home: Path, urls: list[str]) -> None:
        self.binary, self.home = binary, home
        home.mkdir()
        (home / "urls").write_text("\n".join(urls) + "\n", encoding="utf-8")
        (home / "config").write_text("reload-threads 1\n", encoding="utf-8")
        self.cache = home / "cache.db"

    def reload(self) -> int:
        """Fetch every feed; the number of unread items newsboat reports."""
        log = self.home / "newsboat.log"
        urls, config = str(self.home / "urls"), str(self.home / "config")
        command = [
            self.binary, "-u", urls, "-c", str(self.cache), "-C", config,
            "-d", str(log), "-l", "4", "-x", "reload", "print-unread",
        ]  # fmt: skip
        done = subprocess.run(
            command, env={**os.environ, "HOME": str(self.home)}, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        errors = [
            line for line in log.read_text(encoding="utf-8", errors="replace").splitlines() if "ERROR" in line
        ]
        assert errors == [], errors
        found = re.search(r"(\d+) unread articles?", done.stdout)
        assert found, done.stdout
        return int(found.group(1))

    def items(self) -> list[tuple[str, str]]:
        with sqlite3.connect(self.cache) as cache:
            return sorted(cache.execute("SELECT feedurl, title FROM rss_item"))

    def read_everything(self) -> None:
        with sqlite3.connect(self.cache) as cache:
            cache.execute("UPDATE rss_item SET unread = 0")


def test_newsboat_sees_each_story_in_each_feed_and_an_edit_is_not_new(
    newsboat: str, server: QuietServer, tmp_path: Path, topic: Topic
) -> None:
    port = server.server_address[1]
    base = f"http://127.0.0.1:{port}/"
    served_topic = dataclasses.replace(topic, publish=dataclasses.replace(topic.publish, base_url=base))
    feeds = tmp_path / "feeds"
    engine = store.make_engine(f"sqlite:///{tmp_path / 'tracker.db'}")
    sessions = sessionmaker(engine, expire_on_commit=False)
    rumour = article(
        "https://hallyu.example/news/rumour/", title="Season 2 could arrive in early 2027", body=RUMOR,
        tags=("release_date", "rumor"), fetched=FETCHED - timedelta(days=1),
    )  # fmt: skip
    with sessions.begin() as session:
        store.save_article(session, topic.slug, article())  # cast, official, production
        store.save_article(session, topic.slug, rumour)
        publish(session, served_topic, feeds)

    reader = Reader(newsboat, tmp_path / "home", [base + "rss.xml", base + "tags/cast.xml"])
    assert reader.reload() == 3, "two stories in the main feed, one of them also in the cast feed"
    assert reader.items() == [
        (base + "rss.xml", "All of Us Are Dead Season 2 starts filming"),
        (base + "rss.xml", "Season 2 could arrive in early 2027"),
        (base + "tags/cast.xml", "All of Us Are Dead Season 2 starts filming"),
    ]

    reader.read_everything()
    edited = article(
        title="All of Us Are Dead Season 2 starts filming in Seoul", fetched=FETCHED + timedelta(hours=2)
    )
    with sessions.begin() as session:
        assert store.save_article(session, topic.slug, edited) == "updated"
        publish(session, served_topic, feeds)
    engine.dispose()

    assert reader.reload() == 0, "an edited story is updated in place, not shown as new"
    titles = {title for _, title in reader.items()}
    assert "All of Us Are Dead Season 2 starts filming in Seoul" in titles
