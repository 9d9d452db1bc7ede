"""Faults (issue 9): the store locked, PostgreSQL going away, a full disk, unreadable configuration.

Each is the real thing where the machine allows it: crawls are subprocesses against the sample
sites on 127.0.0.1, the lock is another SQLite connection's `BEGIN IMMEDIATE`, PostgreSQL is cut
off by a TCP proxy between the crawl and the server (the server itself keeps running: other tests
use it), the full disk is a small tmpfs. The one stand-in is an fsync that fails with ENOSPC, so
the publishing path is covered where nothing can be mounted.

A SIGKILL mid-crawl and a re-run is tests/test_crash.py.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from typing import TYPE_CHECKING, Any

import feedparser
import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, exists, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker

from aoud_tracker import store
from aoud_tracker.cli import main
from aoud_tracker.demo.server import SampleSites
from aoud_tracker.models import Article, ArticleUrl, Claim, CrawlRun, Story, Tag
from aoud_tracker.topic import load_topic
from aoud_tracker.urls import url_key
from tests.conftest import IN_CI, run_cli
from tests.factories import article
from tests.pacing import paced
from tests.test_crash import integrity
from tests.test_e2e import FAST

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from click.testing import Result

ARTICLE_DELAY = 0.1  # seconds per article page: a crawl long enough to be caught in the middle
CAUGHT_AFTER = 4  # article pages sent before the fault is injected
LOCK_SECONDS = 10


PacedArticles = paced(ARTICLE_DELAY, CAUGHT_AFTER)


@pytest.fixture(scope="module")
def paced_sites() -> Iterator[SampleSites]:
    with SampleSites(handler=PacedArticles) as sites:
        yield sites


def crawl_args(root: Path, db_url: str, topic: Path) -> list[str]:
    return ["crawl", "--topic", str(topic), "--db", db_url, "--storage-dir", str(root / "storage"),
            "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2", *FAST[:4]]  # fmt: skip


def start_crawl(root: Path, db_url: str, topic: Path) -> subprocess.Popen[str]:
    """A crawl in a subprocess, with its output kept (read it with communicate())."""
    root.mkdir(parents=True, exist_ok=True)
    environment = {k: v for k, v in os.environ.items() if not k.startswith("AOUD_")}
    PacedArticles.reset()
    return subprocess.Popen(
        [sys.executable, "-m", "aoud_tracker", *crawl_args(root, db_url, topic)], cwd=root, env=environment,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def snapshot(db_url: str) -> dict[str, Any]:
    """What a store holds, independent of row ids and fetch times (test_crash.snapshot's picture,
    read through SQLAlchemy so that it reads PostgreSQL too)."""
    engine = create_engine(db_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                select(Article.id, Article.url_key, Article.story_id, Article.content_hash)
            )
            articles = {row.id: row for row in rows}
            stories: dict[int, set[str]] = {}
            for row in articles.values():
                stories.setdefault(row.story_id, set()).add(row.url_key)
            tags = connection.execute(select(Tag.article_id, Tag.name)).all()
            claims = connection.execute(select(Claim.article_id, Claim.kind, Claim.sentence)).all()
            addresses = connection.execute(select(ArticleUrl.url)).scalars().all()
    finally:
        engine.dispose()
    key = {article_id: row.url_key for article_id, row in articles.items()}
    return {
        "articles": sorted((row.url_key, row.content_hash) for row in articles.values()),
        "stories": sorted(sorted(keys) for keys in stories.values()),
        "tags": sorted((key[a], name) for a, name in tags),
        "claims": sorted((key[a], kind, sentence) for a, kind, sentence in claims),
        # by URL identity: which variant of an address (AMP, mobile, tracking) reached an article
        # first is a race between the two spiders, in any crawl; that each is kept is the point
        "addresses": sorted({url_key(url).split("/", 1)[-1] for url in addresses}),
    }


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory: pytest.TempPathFactory, paced_sites: SampleSites) -> dict[str, Any]:
    """The store an uninterrupted crawl of the paced sample sites builds (SQLite), and its topic file."""
    root = tmp_path_factory.mktemp("uninterrupted")
    topic = root / "topic.toml"
    topic.write_text(paced_sites.render_topic(), encoding="utf-8")
    db_url = f"sqlite:///{root / 'whole.db'}"
    result = run_cli(*crawl_args(root, db_url, topic), cwd=root)
    assert result.returncode == 0, result.stderr
    return {"topic": topic, "snapshot": snapshot(db_url)}


def stored_articles(db_url: str) -> int:
    engine = create_engine(db_url)
    try:
        with engine.connect() as connection:
            return len(connection.execute(select(Article.id)).all())
    finally:
        engine.dispose()


# ---- the SQLite store locked by another writer ----------------------------------------------------


@pytest.mark.e2e
def test_a_store_locked_by_another_writer_for_10_s_is_waited_for_and_nothing_is_lost(
    tmp_path: Path, uninterrupted: dict[str, Any]
) -> None:
    db = tmp_path / "locked.db"
    crawler = start_crawl(tmp_path / "locked", f"sqlite:///{db}", uninterrupted["topic"])
    try:
        assert PacedArticles.caught.wait(timeout=120), "the crawl fetched no article in two minutes"
        other_writer = sqlite3.connect(db, timeout=30, isolation_level=None)
        try:
            other_writer.execute("BEGIN IMMEDIATE")  # the write lock, as another program's transaction
            at_lock = int(other_writer.execute("SELECT count(*) FROM articles").fetchone()[0])
            time.sleep(LOCK_SECONDS)
            assert crawler.poll() is None, "the crawl is still there, waiting for the lock"
            other_writer.execute("COMMIT")
        finally:
            other_writer.close()
        _, stderr = crawler.communicate(timeout=120)
    finally:
        crawler.kill()
    assert crawler.returncode == 0, stderr
    assert "database is locked" not in stderr
    assert at_lock < len(uninterrupted["snapshot"]["articles"]), (
        "articles were still to be stored at the lock"
    )
    assert integrity(db) == "ok"
    assert snapshot(f"sqlite:///{db}") == uninterrupted["snapshot"], "nothing lost, nothing stored twice"


# ---- PostgreSQL going away mid-crawl ------------------------------------------------------------


class CuttingProxy:
    """A TCP proxy on 127.0.0.1 in front of PostgreSQL that can be cut: every connection through it
    closed at once and new ones turned away for a while, which is what a server restart looks like
    from the client's side, without restarting the server other tests are using."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.listener.getsockname()[1]
        self.open: set[socket.socket] = set()
        self.lock = threading.Lock()
        self.accepting = threading.Event()
        self.accepting.set()
        self.cuts = 0
        threading.Thread(target=self._accept, name="pg-proxy", daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return  # closed
            if not self.accepting.is_set():
                _drop(client)  # the server is "restarting": the client's startup fails
                continue
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                _drop(client)
                continue
            server.settimeout(None)
            with self.lock:
                self.open |= {client, server}
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, target):
                _drop(end)
                with self.lock:
                    self.open.discard(end)

    def cut(self) -> None:
        """Close every connection and turn new ones away until resume()."""
        self.accepting.clear()
        with self.lock:
            ends, self.open = list(self.open), set()
        for end in ends:
            _drop(end)
        self.cuts += 1 if ends else 0

    def resume(self) -> None:
        self.accepting.set()

    def close(self) -> None:
        self.listener.close()
        self.cut()


def _drop(end: socket.socket) -> None:
    """Close a socket another thread may be blocked reading (shutdown wakes it; close alone does not)."""
    with contextlib.suppress(OSError):
        end.shutdown(socket.SHUT_RDWR)
    end.close()


def half_written(db_url: str) -> list[str]:
    """Rows of one article's write that are without the rest of it: a story with no article, an
    article with no story, tags or claims filed under another story than their article's."""
    engine = create_engine(db_url)
    try:
        with engine.connect() as connection:
            problems = [
                *(f"article {i} has no story" for i in connection.scalars(
                    select(Article.id).where(~exists().where(Story.id == Article.story_id)))),
                *(f"story {i} has no article" for i in connection.scalars(
                    select(Story.id).where(~exists().where(Article.story_id == Story.id)))),
                *(f"tag {i} is not under its article's story" for i in connection.scalars(
                    select(Tag.id).join(Article, Article.id == Tag.article_id)
                    .where(Tag.story_id != Article.story_id))),
                *(f"claim {i} is not under its article's story" for i in connection.scalars(
                    select(Claim.id).join(Article, Article.id == Claim.article_id)
                    .where(Claim.story_id != Article.story_id))),
            ]  # fmt: skip
    finally:
        engine.dispose()
    return problems


def explains(line: str, key: str) -> bool:
    """Whether a log line gives the reason an article (by URL key) is missing: it names the article,
    or a source of the article's site that could not be read (its entries were not reached)."""
    site = key.split("/", 1)[0]
    return key in line or f"source http://{site}/" in line


def run_stats(db_url: str) -> dict[str, int]:
    """Every numeric stat of the store's crawl runs, summed (one row per spider and run)."""
    engine = create_engine(db_url)
    try:
        with engine.connect() as connection:
            runs = connection.scalars(select(CrawlRun.stats)).all()
    finally:
        engine.dispose()
    total: dict[str, int] = {}
    for stats in runs:
        for key, value in (stats or {}).items():
            if isinstance(value, int) and not isinstance(value, bool):
                total[key] = total.get(key, 0) + value
    return total


@pytest.mark.e2e
@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_postgresql_going_away_mid_crawl_half_writes_nothing_and_the_next_run_stores_the_rest(
    tmp_path: Path, db_url: str, uninterrupted: dict[str, Any]
) -> None:
    server = make_url(db_url)
    proxy = CuttingProxy((server.host or "127.0.0.1", server.port or 5432))
    through_proxy = server.set(port=proxy.port).render_as_string(hide_password=False)
    try:
        crawler = start_crawl(tmp_path / "first", through_proxy, uninterrupted["topic"])
        try:
            assert PacedArticles.caught.wait(timeout=120), "the crawl fetched no article in two minutes"
            proxy.cut()
            time.sleep(1.5)  # the "restart": connections refused meanwhile
            proxy.resume()
            _, stderr = crawler.communicate(timeout=180)
        finally:
            crawler.kill()
        assert proxy.cuts == 1, "the crawl had connections open when they were cut"
        assert crawler.returncode in (0, 1), stderr
        assert half_written(db_url) == []
        stored = {key for key, _ in snapshot(db_url)["articles"]}
        missing = {key for key, _ in uninterrupted["snapshot"]["articles"]} - stored
        logged = [line for line in stderr.splitlines() if " WARNING: " in line or " ERROR: " in line]
        unexplained = [key for key in sorted(missing) if not any(explains(line, key) for line in logged)]
        assert unexplained == [], f"not stored, and no log line says why:\n{stderr[-5000:]}"
        if run_stats(db_url).get("aoud/errors/store", 0):
            assert "not stored" in stderr and "the next run stores it" in stderr, stderr[-3000:]

        second = run_cli(
            *crawl_args(tmp_path / "second", through_proxy, uninterrupted["topic"]), cwd=tmp_path
        )
        assert second.returncode == 0, second.stderr
    finally:
        proxy.close()
    assert half_written(db_url) == []
    final = snapshot(db_url)
    lost = sorted(set(uninterrupted["snapshot"]["articles"]) - set(final["articles"]))
    assert lost == [], "not fetched again by the next run: were their validators kept though not stored?"
    assert final == uninterrupted["snapshot"], "the next run stored what the first could not"


# ---- a full disk while publishing ---------------------------------------------------------------


def invoke(*args: str) -> Result:
    clean_env: dict[str, str | None] = {name: None for name in os.environ if name.startswith("AOUD_")}
    return CliRunner(env=clean_env).invoke(main, list(args), prog_name="aoud-tracker")


MILESTONE = (
    "Report number {n}: Netflix told Korean reporters that All of Us Are Dead Season 2 reached production "
    "milestone {n} this week, with Park Ji-hu back as Nam On-jo.\n\nMilestone {n} came {days} days after "
    "the previous one, the company said, and the next update is due in {next} days from the studio in Paju."
)


def fill_store(db_url: str, stories: range) -> None:
    """Distinct stories about the show straight into a real store (what a crawl would have stored)."""
    topic = load_topic()
    engine = store.make_engine(db_url)
    try:
        with sessionmaker(engine).begin() as session:
            for n in stories:
                body = MILESTONE.format(n=n, days=n * 3, next=n + 7)
                url, title = f"https://news{n}.example/aoud-s2/{n}.html", f"Milestone {n} for AOUD S2"
                item = article(url, title=title, body=body, site=f"News {n}")
                store.save_article(session, topic.slug, item)
    finally:
        engine.dispose()


def published(feeds: Path) -> dict[str, bytes]:
    return {p.relative_to(feeds).as_posix(): p.read_bytes() for p in sorted(feeds.rglob("*")) if p.is_file()}


def assert_previous_feeds_intact(feeds: Path, before: dict[str, bytes]) -> None:
    """The files are the previous publish's, byte for byte, every one still readable; no temporary left."""
    assert published(feeds) == before
    for name, data in before.items():
        if name.endswith(".json"):
            json.loads(data)
        elif name.endswith(".xml"):
            assert not feedparser.parse(data).bozo, name


def assert_one_line_error(stderr: str, feeds: Path) -> None:
    [line] = stderr.splitlines()
    assert line.startswith("Error: ") and str(feeds) in line and "No space left on device" in line, line
    assert "the files there are intact" in line


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MiB tmpfs (mounting needs root or CAP_SYS_ADMIN: skipped without, failed in CI)."""
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    program = shutil.which("mount")
    mounted = program is not None and subprocess.run(
        [program, "-t", "tmpfs", "-o", "size=1m,mode=0755", "tmpfs", str(mount_point)],
        capture_output=True, check=False,
    ).returncode == 0  # fmt: skip
    if not mounted:
        if IN_CI:
            pytest.fail("CI=true but a tmpfs cannot be mounted (run the tests as root)")
        pytest.skip("mounting a tmpfs is not permitted here (needs root or CAP_SYS_ADMIN)")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], capture_output=True, check=False)


def test_a_full_disk_while_publishing_leaves_the_previous_feeds_whole(
    tmp_path: Path, small_disk: Path
) -> None:
    db_url = f"sqlite:///{tmp_path / 'tracker.db'}"
    feeds = small_disk / "feeds"
    fill_store(db_url, range(1, 3))
    assert invoke("publish", "--db", db_url, "--feeds-dir", str(feeds)).exit_code == 0
    before = published(feeds)
    fill_store(db_url, range(3, 9))  # every feed and the digest change
    usage = os.statvfs(small_disk)
    filler_bytes = usage.f_bavail * usage.f_frsize - 24 * 1024  # a few files fit, then the disk is full
    (small_disk / "filler").write_bytes(b"\0" * filler_bytes)

    result = run_cli("publish", "--db", db_url, "--feeds-dir", str(feeds), cwd=tmp_path, timeout=60)
    assert result.returncode == 1 and result.stdout == ""
    assert_one_line_error(result.stderr, feeds)
    assert_previous_feeds_intact(feeds, before)

    (small_disk / "filler").unlink()
    assert invoke("publish", "--db", db_url, "--feeds-dir", str(feeds)).exit_code == 0
    assert b"Milestone 8 for AOUD S2" in (feeds / "rss.xml").read_bytes(), "with space again, it publishes"


@pytest.mark.parametrize("command", ["publish", "digest"])
def test_a_write_failing_with_enospc_is_one_line_and_exit_1_and_replaces_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    """The same on any machine: the disk fills up after three files were written (ext4, XFS and NFS
    may report it only when the file is synced)."""
    db_url = f"sqlite:///{tmp_path / 'tracker.db'}"
    feeds = tmp_path / "feeds"
    fill_store(db_url, range(1, 3))
    assert invoke("publish", "--db", db_url, "--feeds-dir", str(feeds)).exit_code == 0
    before = published(feeds)
    fill_store(db_url, range(3, 9))
    synced = []
    real_fsync = os.fsync

    def fsync_until_full(fd: int) -> None:
        if len(synced) == (1 if command == "digest" else 3):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        synced.append(fd)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync_until_full)
    result = invoke(command, "--db", db_url, "--feeds-dir", str(feeds))
    assert result.exit_code == 1 and result.stdout == ""
    assert_one_line_error(result.stderr, feeds)
    assert synced, "some files were written before the disk was full"
    assert_previous_feeds_intact(feeds, before)


# ---- unreadable configuration: exit 2, one line, nothing touched --------------------------------

LOCAL_TOPIC = """\
[topic]
name = "Local show"
slug = "local"
titles = ["Local show"]
season = 2

[[sources]]
name = "Closed port"
url = "http://127.0.0.1:9/feed.xml"
kind = "feed"
"""
TRUNCATED_TOPIC = LOCAL_TOPIC[: LOCAL_TOPIC.index("Closed port") + 6]  # cut inside a string


@pytest.fixture
def unreadable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder with a truncated topic file, a store file of random bytes and a good topic;
    default storage/ and feeds/ would appear here."""
    work = tmp_path / "work"
    work.mkdir()
    (work / "truncated.toml").write_text(TRUNCATED_TOPIC, encoding="utf-8")
    (work / "local.toml").write_text(LOCAL_TOPIC, encoding="utf-8")
    (work / "tracker.db").write_bytes(os.urandom(8192))
    monkeypatch.chdir(work)
    return work


def folder_state(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def arguments(case: str, work: Path) -> tuple[list[str], Path]:
    """The options of a case and the file its message must name."""
    if case == "truncated topic":
        return [
            "--topic",
            str(work / "truncated.toml"),
            "--db",
            f"sqlite:///{work / 'new.db'}",
        ], work / "truncated.toml"
    return [
        "--topic",
        str(work / "local.toml"),
        "--db",
        f"sqlite:///{work / 'tracker.db'}",
    ], work / "tracker.db"


@pytest.mark.parametrize("case", ["truncated topic", "not a database"])
@pytest.mark.parametrize("command", ["run", "crawl", "publish", "latest"])
def test_an_unreadable_topic_or_store_exits_2_in_one_line_and_touches_nothing(
    unreadable: Path, command: str, case: str
) -> None:
    options, named = arguments(case, unreadable)
    before = folder_state(unreadable)
    result = invoke(command, *options)
    assert result.exit_code == 2 and result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("Error: ") and str(named) in line, line
    assert folder_state(unreadable) == before, "no file changed, none created (no storage/run.lock)"
    assert sorted(p.name for p in unreadable.iterdir()) == ["local.toml", "tracker.db", "truncated.toml"]


@pytest.mark.parametrize(("command", "case"), [("run", "not a database"), ("crawl", "truncated topic")])
def test_the_program_itself_says_so_in_one_line(unreadable: Path, command: str, case: str) -> None:
    """The same through a fresh process: nothing it prints on start-up adds to the one line."""
    options, named = arguments(case, unreadable)
    before = folder_state(unreadable)
    result = run_cli(command, *options, cwd=unreadable, timeout=60)
    assert result.returncode == 2 and result.stdout == ""
    [line] = result.stderr.splitlines()
    assert str(named) in line
    assert folder_state(unreadable) == before
