"""`aoud-tracker status`: a source answering 500 three runs in a row is flagged, in status and the digest."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any

import pytest

from aoud_tracker.static import QuietServer
from tests.conftest import run_cli

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from aoud_tracker.demo.server import SampleSites

FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0", "-s", "RETRY_TIMES=0"]


class Broken(BaseHTTPRequestHandler):
    """A site whose feed answers 500; its robots.txt is missing (no rules), not broken, so the
    crawler asks for the feed (a robots.txt answering 5xx would forbid the whole site)."""

    def do_GET(self) -> None:
        if self.path == "/robots.txt":
            self.send_error(404, "Not Found")
        else:
            self.send_error(500, "Internal Server Error")

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def broken_url() -> Iterator[str]:
    server = QuietServer(("127.0.0.1", 0), Broken)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/feed.xml"
    finally:
        server.shutdown()
        server.server_close()


def test_a_source_failing_three_runs_in_a_row_is_flagged(
    sample_sites: SampleSites, broken_url: str, tmp_path: Path
) -> None:
    topic = tmp_path / "topic.toml"
    broken = f'\n[[sources]]\nname = "Broken feed"\nurl = "{broken_url}"\nkind = "feed"\n'
    topic.write_text(sample_sites.render_topic() + broken, encoding="utf-8")
    common = ["--topic", str(topic), "--db", f"sqlite:///{tmp_path / 'tracker.db'}"]
    common += ["--storage-dir", str(tmp_path / "storage"), "--feeds-dir", str(tmp_path / "feeds")]
    for attempt in range(3):
        crawl = run_cli("crawl", "--spider", "feeds", "--quiet", *common, *FAST, cwd=tmp_path)
        assert crawl.returncode in (0, 1), crawl.stderr
        report = json.loads(run_cli("status", "--json", *common, cwd=tmp_path).stdout)
        sources = {s["name"]: s for s in report["sources"]}
        assert sources["Broken feed"]["failing_runs"] == attempt + 1
        assert sources["Broken feed"]["flagged"] == (attempt == 2)
        assert (
            sources["Broken feed"]["last_problem"] == "http_500"
            and sources["Broken feed"]["last_success"] is None
        )
    healthy = next(s for s in report["sources"] if s["visits"] and s["name"] != "Broken feed")
    assert (
        healthy["failing_runs"] == 0 and healthy["last_success"] is not None and healthy["news_per_run"] > 0
    )
    assert [run["spider"] for run in report["runs"]] == ["feeds"] * 3
    first, last = report["runs"][-1], report["runs"][0]
    assert first["items_new"] > 0 and first["bytes_received"] > last["bytes_received"] > 0
    assert first["dropped"].get("off_topic", 0) > 0, "drops are recorded by reason"
    assert last["errors_by_kind"]["http_500"] == 1, "errors are recorded by kind"
    assert last["not_modified"] > 0 and last["items_new"] == 0 and last["items_updated"] == 0
    log = (tmp_path / "storage" / "logs" / "aoud-tracker.log").read_text(encoding="utf-8")
    assert log.count("Spider closed (finished)") == 3, "every run logs to storage/logs, even with --quiet"
    assert f"source {broken_url}: HTTP 500" in log, "each failed visit is in the log with its reason"

    text = run_cli("status", *common, cwd=tmp_path).stdout
    assert "FAILING (http_500)" in text
    published = run_cli("publish", *common, cwd=tmp_path)
    assert published.returncode == 0, published.stderr
    digest = (tmp_path / "feeds" / "digest.md").read_text(encoding="utf-8")
    assert "**Sources failing:** Broken feed (3 runs, http_500)" in digest


def test_status_names_the_sources_its_runs_read_that_the_topic_file_does_not_list(tmp_path: Path) -> None:
    """A store filled with another topic file (the demo's) shows the topic's sources as never read:
    status says which sources the runs did read, and how to point it at the right topic file."""
    from aoud_tracker.topic import load_topic

    elsewhere = ["http://127.0.0.1:9/feed.xml", "http://127.0.0.1:9/sitemap.xml"]
    common = _store_with_runs(tmp_path, [[url] for url in elsewhere])

    report = json.loads(run_cli("status", "--json", *common, cwd=tmp_path).stdout)
    assert report["unlisted_sources"] == elsewhere  # the oldest run's first
    assert report["sources"] and all(source["last_success"] is None for source in report["sources"])

    table = run_cli("status", *common, cwd=tmp_path)
    assert table.returncode == 0, table.stderr
    assert f"2 source(s) that {load_topic(None).path} does not list: {', '.join(elsewhere)}" in table.stderr
    assert "Pass it with --topic" in table.stderr


def test_a_source_dropped_from_the_topic_file_is_listed_but_not_questioned(tmp_path: Path) -> None:
    """One source gone from an edited topic file is no sign of the wrong file: no hint on the terminal."""
    from aoud_tracker.topic import load_topic

    dropped = "http://127.0.0.1:9/old-feed.xml"
    kept = next(source for source in load_topic(None).sources if source.enabled)
    common = _store_with_runs(tmp_path, [[kept.url, dropped]])

    assert json.loads(run_cli("status", "--json", *common, cwd=tmp_path).stdout)["unlisted_sources"] == [
        dropped
    ]
    table = run_cli("status", *common, cwd=tmp_path)
    assert table.returncode == 0 and "--topic" not in table.stderr, table.stderr


def _store_with_runs(tmp_path: Path, sources_per_run: list[list[str]]) -> list[str]:
    """A store of the default topic holding one finished run per list, each having read those
    sources, oldest first; the CLI options that point status at it."""
    from sqlalchemy.orm import sessionmaker

    from aoud_tracker import store
    from aoud_tracker.topic import load_topic

    db = f"sqlite:///{tmp_path / 'tracker.db'}"
    engine = store.make_engine(db)
    with sessionmaker(engine).begin() as session:
        for urls in sources_per_run:
            run_id = store.start_run(session, load_topic(None).slug, "feeds")
            store.finish_run(session, run_id, "ok", "finished", {f"aoud/source/{url}": "ok" for url in urls})
    engine.dispose()
    return ["--db", db, "--storage-dir", str(tmp_path / "storage"), "--feeds-dir", str(tmp_path / "feeds")]
