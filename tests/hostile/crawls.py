"""Crawls of the hostile web and what they left: exit code, logs, stats, stored rows, published files.

A crawl is `aoud-tracker run` in a subprocess (the Twisted reactor runs once per process). The
store is read with sqlite3, not the ORM, so the tests can look for columns (`articles.gone_at`)
that the models may not have yet.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import time
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import aoud_tracker
from aoud_tracker.urls import url_key
from tests.conftest import run_cli
from tests.hostile.sites import ARTICLE_LIMIT
from tests.test_e2e import FAST

if TYPE_CHECKING:
    from tests.hostile.server import HostileSites
    from tests.hostile.sites import Layout

SETTINGS: Final = [
    *FAST,
    "--log-level", "INFO",
    "-s", "DOWNLOAD_TIMEOUT=2",
    "-s", "RETRY_TIMES=1",
    "-s", "AOUD_ERROR_RATE_LIMIT=1",
    "-s", f"AOUD_MAX_ARTICLES_PER_SOURCE={ARTICLE_LIMIT}",
    "-s", "CONCURRENT_REQUESTS=32",
]  # fmt: skip
# The hostile-web tests' topic: the bundled show (its text up to its own sources), the hostile sites
# as its sources.
_BUNDLED: Final = (Path(aoud_tracker.__file__).parent / "topics" / "aoud-s2.toml").read_text("utf-8")
TOPIC_HEADER: Final = _BUNDLED[: _BUNDLED.index("[[sources]]")]


def topic_template(sources: list[tuple[str, str, str]]) -> str:
    """The topic file with `{{base:SITE}}` placeholders in its sources' URLs."""
    blocks = [
        f'\n[[sources]]\nname = "{name}"\nurl = "{url}"\nkind = "{kind}"\n' for name, url, kind in sources
    ]
    return TOPIC_HEADER + "".join(blocks)


@dataclass
class Run:
    """One `aoud-tracker run` and what it left behind."""

    name: str
    root: Path
    returncode: int | None  # None: killed when it overran its time limit
    stdout: str
    stderr: str
    seconds: float
    time_limit: float
    log_file: str  # what this run added to STORAGE/logs/aoud-tracker.log
    rows: list[dict[str, Any]]  # its crawl_runs rows (one per spider), stats decoded
    articles: list[dict[str, Any]]  # every articles row of the store after the run
    since: int  # the server's request log position when the run started
    good: list[str] = field(default_factory=list)  # the plain valid articles it must store

    @property
    def db(self) -> Path:
        return self.root / "tracker.db"

    @property
    def feeds(self) -> Path:
        return self.root / "feeds"

    def stat(self, key: str) -> float:
        """A counter summed over the run's rows (one per spider)."""
        return sum(v for r in self.rows if isinstance(v := r["stats"].get(key), int | float))

    def stat_values(self, key: str) -> list[Any]:
        return [r["stats"][key] for r in self.rows if key in r["stats"]]

    def stats_under(self, prefix: str) -> dict[str, float]:
        keys = {k for r in self.rows for k in r["stats"] if k.startswith(prefix)}
        return {k: self.stat(k) for k in sorted(keys)}

    def article(self, url: str) -> dict[str, Any] | None:
        key = url_key(url)
        return next((a for a in self.articles if a["url_key"] == key or a["url"] == url), None)

    def log_lines(self, url: str, keywords: tuple[str, ...], where: str) -> list[str]:
        text = self.stderr if where == "stderr" else self.log_file
        wanted = [k.lower() for k in keywords]
        return [line for line in text.splitlines() if url in line and any(k in line.lower() for k in wanted)]


def _rows(db: Path, query: str, *parameters: Any) -> list[dict[str, Any]]:
    if not db.exists():
        return []
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as connection:
        connection.row_factory = sqlite3.Row
        try:
            return [dict(row) for row in connection.execute(query, parameters)]
        except sqlite3.OperationalError:
            return []


def read_store(db: Path, first_row: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """This run's crawl_runs rows (stats decoded) and every stored article."""
    rows = _rows(db, "SELECT * FROM crawl_runs WHERE id > ? ORDER BY id", first_row)
    for row in rows:
        row["stats"] = json.loads(row["stats"] or "{}")
    articles = _rows(db, "SELECT * FROM articles")
    for article in articles:
        for column in ("published_at", "modified_at", "fetched_at", "gone_at"):
            if isinstance(value := article.get(column), str):
                article[column] = datetime.fromisoformat(value).replace(tzinfo=UTC)
    return rows, articles


def crawl(
    name: str,
    root: Path,
    sites: HostileSites,
    layout: Layout,
    *,
    time_limit: float = 150,
    extra: tuple[str, ...] = (),
) -> Run:
    """Run `aoud-tracker run` over crawl `name`'s sources into `root` (store, feeds, storage)."""
    root.mkdir(parents=True, exist_ok=True)
    topic = root / "topic.toml"
    topic.write_text(sites.render(topic_template(layout.sources[name])), encoding="utf-8")
    db, log = root / "tracker.db", root / "storage" / "logs" / "aoud-tracker.log"
    first_row = max((r["id"] for r in _rows(db, "SELECT id FROM crawl_runs")), default=0)
    log_start = log.stat().st_size if log.exists() else 0
    since, started = sites.mark(), time.monotonic()
    arguments = [
        "run", "--topic", str(topic), "--db", f"sqlite:///{db}", "--feeds-dir", str(root / "feeds"),
        "--storage-dir", str(root / "storage"), *SETTINGS, *extra,
    ]  # fmt: skip
    try:
        result = run_cli(*arguments, cwd=root, timeout=time_limit)
        code, stdout, stderr = result.returncode, result.stdout, result.stderr
    except subprocess.TimeoutExpired as overran:  # run_cli's subprocess.run has SIGKILLed it
        code, stdout, stderr = None, _text(overran.stdout), _text(overran.stderr)
    seconds = time.monotonic() - started
    log_file = _log_since(log, log_start)
    rows, articles = read_store(db, first_row)
    return Run(name, root, code, stdout, stderr, seconds, time_limit, log_file, rows, articles, since,
               list(layout.good.get(name, [])))  # fmt: skip


def _log_since(log: Path, start: int) -> str:
    """What the run wrote to its log file; a first run's rotated backups (5 MB each) included."""
    files = [log] if start else [*sorted(log.parent.glob(f"{log.name}.*"), reverse=True), log]
    data = b"".join(path.read_bytes() for path in files if path.exists())
    return data[start:].decode("utf-8", "replace")


def _text(data: bytes | str | None) -> str:
    if isinstance(data, bytes):
        return data.decode("utf-8", "replace")
    return data or ""
