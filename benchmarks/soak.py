"""A long soak: `aoud-tracker run` again and again, as cron would, against the hostile web mixed with
a normal news site that grows between runs.

    .venv/bin/python benchmarks/soak.py                    # 30 minutes (the issue's figure)
    .venv/bin/python benchmarks/soak.py --minutes 3        # a quick look

The hostile web is tests/hostile's (every case of docs/RELIABILITY.md on eight local sites); the
normal site is tests/sitegen.py's, and each round adds `--new-per-round` articles to it, so every
run has news to store beside the hostile pages. Runs go one after another, each its own process,
into one store, with the polite defaults shortened only where the hostile cases would otherwise
wait minutes (a 2 s download timeout, one retry). Printed per round and in total: seconds, peak
resident memory of the run's processes, items stored, errors by kind; then the memory of the
first and of the last rounds side by side (the baseline: a store, a process and a server that
grow would show there), the store's integrity check and whether every published feed parses.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from contextlib import closing
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawl import timed  # type: ignore[import-not-found]  # noqa: E402

from aoud_tracker.demo.server import SampleSites  # noqa: E402
from tests import sitegen  # noqa: E402
from tests.feedcheck import problems  # noqa: E402
from tests.hostile.crawls import SETTINGS, topic_template  # noqa: E402
from tests.hostile.server import HostileSites  # noqa: E402
from tests.hostile.sites import Layout  # noqa: E402
from tests.hostile.web import build  # noqa: E402

HOSTILE_CRAWLS = ("main", "bulk", "huge")  # every case but the gone pages' second phase
INITIAL_ARTICLES = 50
MAX_ROUNDS = 400  # more than 30 minutes can hold


def topic(hostile: HostileSites, layout: Layout, normal: SampleSites) -> str:
    """One topic over every hostile source and the normal site's."""
    sources = [source for crawl in HOSTILE_CRAWLS for source in layout.sources[crawl]]
    return hostile.render(topic_template(sources)) + sitegen.topic_sources(normal.base_urls)


def round_figures(db: Path, first_row: int) -> dict[str, Any]:
    """Items stored and errors by kind in the crawl_runs rows after `first_row`."""
    with closing(sqlite3.connect(db)) as connection:
        rows = connection.execute("SELECT id, stats FROM crawl_runs WHERE id > ?", (first_row,)).fetchall()
    stats: Counter[str] = Counter()
    for _, raw in rows:
        for key, value in json.loads(raw or "{}").items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                stats[key] += value
    errors = {
        key.removeprefix("aoud/errors/"): int(v) for key, v in stats.items() if key.startswith("aoud/errors/")
    }
    stored = {
        key.removeprefix("aoud/stored/"): int(v) for key, v in stats.items() if key.startswith("aoud/stored/")
    }
    return {"last_row": max((row[0] for row in rows), default=first_row), "errors": errors, "stored": stored}


def soak(folder: Path, minutes: float, new_per_round: int) -> None:
    layout, started = Layout(), time.monotonic()
    # Written once with fixed dates: each round reveals newer ones, and a page once out never changes.
    every_page = sitegen.articles(INITIAL_ARTICLES + new_per_round * MAX_ROUNDS)
    count = INITIAL_ARTICLES
    sitegen.write_pages(folder / "normal", every_page[-count:], copies=10)
    with (
        HostileSites(lambda sites: build(layout, sites)) as hostile,
        SampleSites(folder / "normal") as normal,
    ):
        topic_file = folder / "topic.toml"
        topic_file.write_text(topic(hostile, layout, normal), encoding="utf-8")
        db = folder / "tracker.db"
        command = [str(Path(sys.executable).parent / "aoud-tracker"), "run", "--topic", str(topic_file),
                   "--db", f"sqlite:///{db}", "--feeds-dir", str(folder / "feeds"),
                   "--storage-dir", str(folder / "storage"), "--quiet", *SETTINGS,
                   "-s", "AOUD_MAX_ARTICLES_PER_SOURCE=500"]  # the default; the tests' is 60  # fmt: skip
        server_start = _own_rss_kb()
        rounds: list[dict[str, Any]] = []
        last_row, errors, stored = 0, Counter[str](), Counter[str]()
        print(f"{'round':>5} {'articles':>9} {'seconds':>8} {'peak MB':>8} {'new':>5} {'errors':>7}")
        while time.monotonic() - started < minutes * 60:
            seconds, peak_kb, _, _ = timed(command, ok_codes=(0, 1))  # 1: the hostile pages' errors
            figures = round_figures(db, last_row)
            last_row = figures["last_row"]
            errors.update(figures["errors"])
            stored.update(figures["stored"])
            rounds.append({"seconds": seconds, "peak_mb": peak_kb / 1024, **figures})
            new = figures["stored"].get("new", 0) + figures["stored"].get("merged", 0)
            print(f"{len(rounds):>5} {count:>9} {seconds:>8.1f} {peak_kb / 1024:>8.0f} {new:>5} "
                  f"{sum(figures['errors'].values()):>7}", flush=True)  # fmt: skip
            count = min(count + new_per_round, len(every_page))
            sitegen.write_pages(folder / "normal", every_page[-count:], copies=10)
        server_end = _own_rss_kb()
    report(rounds, errors, stored, server_start, server_end, db, folder / "feeds", minutes)


def report(
    rounds: list[dict[str, Any]], errors: Counter[str], stored: Counter[str], server_start: int,
    server_end: int, db: Path, feeds: Path, minutes: float,
) -> None:  # fmt: skip
    first, last, highest = rounds[0]["peak_mb"], rounds[-1]["peak_mb"], max(r["peak_mb"] for r in rounds)
    print(f"\n{len(rounds)} runs in {minutes:g} minutes")
    print(f"peak memory of a run: first {first:.0f} MB, last {last:.0f} MB (ratio {last / first:.2f}), "
          f"highest {highest:.0f} MB")  # fmt: skip
    print(
        f"servers' process: {server_start / 1024:.0f} MB at the start, {server_end / 1024:.0f} MB at the end"
    )
    print(f"items stored: {dict(stored)}")
    print("errors by kind: " + ", ".join(f"{kind} {n}" for kind, n in errors.most_common()))
    with closing(sqlite3.connect(db)) as connection:
        integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
        articles = connection.execute("SELECT count(*) FROM articles").fetchone()[0]
    print(f"store: {articles} articles, integrity_check {integrity}")
    files = [path for path in feeds.rglob("*") if path.suffix in (".xml", ".json")]
    base = feeds.resolve().as_uri() + "/"
    broken = {
        str(path): found
        for path in files
        if (found := problems(path, base + path.relative_to(feeds).as_posix()))
    }
    print(f"published feeds: {len(files)}, with problems: {broken or 'none'}")


def _own_rss_kb() -> int:
    status = Path("/proc/self/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("VmRSS:")).split()[1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument(
        "--new-per-round", type=int, default=20, help="articles added to the normal site per run"
    )
    parser.add_argument("--keep", type=Path, help="copy the store, feeds and logs here at the end")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="aoud-soak-") as name:
        soak(Path(name), args.minutes, args.new_per_round)
        if args.keep:
            shutil.copytree(name, args.keep)


if __name__ == "__main__":
    main()
