"""The whole pipeline against raw Scrapy: pages per second over the same generated local site.

    .venv/bin/python benchmarks/crawl.py                      # 2,000 articles, pages of 111 KB, 3 rounds
    .venv/bin/python benchmarks/crawl.py --articles 20000 --rounds 1   # the issue's peak-memory figure
    .venv/bin/python benchmarks/crawl.py --keep-alive         # the sites keep connections open

The site is `incremental.py`'s (three sites, RSS feeds and sitemaps, pages as heavy as the
corpus's median real news page), served from memory by a separate process (`memory_sites.py`:
the sites share this machine's CPUs with the crawls, which the real web does not, so they cost as
little as they can). Two crawls, each its own process,
with the same Scrapy settings (16 requests at once, 8 per site, no delay, robots.txt obeyed):
- raw Scrapy: a SitemapSpider that fetches every article page and does nothing with it;
- aoud-tracker: `aoud-tracker crawl` (extract, relevance, dedupe, tag, store into SQLite).
They alternate for --rounds rounds: this machine's speed for one thread moves by a third from one
minute to the next, and a slow spell then hits both. Printed per crawl: pages fetched, seconds,
pages per second, peak resident memory (its processes' resident sets summed: the crawl's worker
processes count), CPU seconds (its processes', work processes included) and CPU milliseconds a
page, and the sites' CPU seconds meanwhile; per round, the ratio of the pipeline's
pages per second to raw Scrapy's; then the median ratio (the issue's target: >= 0.5).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from generated_site import load_incremental  # type: ignore[import-not-found]
from memory_sites import MemorySites  # type: ignore[import-not-found]

# First: it takes benchmarks/ off sys.path, where Twisted (imported with Scrapy by the settings
# below) would take benchmarks/incremental.py for the package of that name.
incremental = load_incremental()

from sqlalchemy import create_engine, select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from aoud_tracker import settings as default_settings  # noqa: E402
from aoud_tracker.demo.server import fill_placeholders  # noqa: E402
from aoud_tracker.models import CrawlRun  # noqa: E402

# Both crawls run without Scrapy's telnet console and remote control, as aoud-tracker always does
# (aoud_tracker/settings.py): neither listens, and the remote control is not even loaded.
SETTINGS: Final = {"CONCURRENT_REQUESTS": 16, "CONCURRENT_REQUESTS_PER_DOMAIN": 8, "DOWNLOAD_DELAY": 0,
                   "AUTOTHROTTLE_ENABLED": False, "ROBOTSTXT_OBEY": True, "LOG_LEVEL": "ERROR",
                   "TELNETCONSOLE_ENABLED": False, "REMOTE_CONTROL_ENABLED": False,
                   "EXTENSIONS_BASE": default_settings.EXTENSIONS_BASE}  # fmt: skip


OWN_SETTINGS: Final = ("LOG_LEVEL", "EXTENSIONS_BASE")  # the crawl sets these itself (-q; its settings)


class RemoteSites:
    """The served sites' addresses, as `incremental.write_topic` wants them."""

    def __init__(self, base_urls: dict[str, str]) -> None:
        self.base_urls = base_urls

    def render_topic(self, template: Path) -> str:
        return fill_placeholders(template.read_bytes(), self.base_urls).decode("utf-8")


def serve(root: Path, keep_alive: bool) -> None:
    """--serve: run the sites until stdin closes, after printing their addresses (once every page
    listed in their sitemaps was asked for once, so that each is compressed, as it is in a news
    site's cache, before the crawls that are timed)."""
    with MemorySites(root, keep_alive=keep_alive) as sites:
        with ThreadPoolExecutor(max_workers=4) as fetchers:
            for base_url in sites.base_urls.values():
                list(fetchers.map(_fetch, _sitemap_pages(f"{base_url}/sitemap.xml")))
        print(json.dumps(sites.base_urls), flush=True)
        sys.stdin.read()


def _fetch(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return bytes(answer.read())


def _sitemap_pages(url: str) -> list[str]:
    """The pages a sitemap lists (following a sitemap index), the sitemaps themselves included;
    read with Scrapy's own sitemap parser, as the crawls read them."""
    from scrapy.utils.gz import gunzip
    from scrapy.utils.sitemap import Sitemap

    body = _fetch(url)
    sitemap = Sitemap(gunzip(body) if body[:2] == b"\x1f\x8b" else body)  # small ones come plain
    listed = [entry["loc"] for entry in sitemap]
    if sitemap.type == "sitemapindex":
        return [url, *(page for child in listed for page in _sitemap_pages(child))]
    return [url, *listed]


def raw_crawl(sitemaps: list[str]) -> None:
    """--raw: fetch every page the sitemaps list, parse nothing; print the pages fetched."""
    from scrapy.crawler import CrawlerProcess
    from scrapy.spiders import SitemapSpider

    class RawSpider(SitemapSpider):
        name = "raw"
        sitemap_urls = sitemaps

        def parse(self, response: Any) -> None:
            return None

    process = CrawlerProcess(SETTINGS)
    crawler = process.create_crawler(RawSpider)
    process.crawl(crawler)
    process.start()
    assert crawler.stats is not None
    pages = {"fetched": crawler.stats.get_value("response_received_count", 0)}
    print(json.dumps(pages))


def timed(command: list[str], ok_codes: tuple[int, ...] = (0,)) -> tuple[float, int, float, str]:
    """Run `command`, polling the resident memory of it and its descendants (the crawl's worker
    processes count); return seconds, the peak of that sum in KB, the CPU seconds of the process
    and the descendants it waited for (its work processes), and its stdout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    # Files, not pipes: nothing reads a pipe until the child ends, and a full one would block it.
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        child = subprocess.Popen(command, stdout=out, stderr=err, text=True)
        peak = 0
        while child.poll() is None:
            peak = max(peak, sum(_rss_kb(pid) for pid in _tree(child.pid)))
            time.sleep(0.2)
        seconds = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        out.seek(0)
        err.seek(0)
        if child.returncode not in ok_codes:
            sys.exit(f"{' '.join(command[:4])}… failed:\n{err.read()[-3000:]}")
        return seconds, peak, cpu, out.read()


def _tree(root: int) -> list[int]:
    """`root` and every process descended from it (read from /proc)."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # gone meanwhile
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, waiting = [], [root]
    while waiting:
        pid = waiting.pop()
        found.append(pid)
        waiting += parents.get(pid, [])
    return found


def _rss_kb(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    line = next((line for line in status.splitlines() if line.startswith("VmRSS:")), "VmRSS: 0 kB")
    return int(line.split()[1])


def pipeline_pages(db_url: str) -> int:
    engine = create_engine(db_url)
    try:
        with Session(engine) as session:
            runs = session.scalars(select(CrawlRun)).all()
            return sum(int(run.stats.get("response_received_count", 0)) for run in runs)
    finally:
        engine.dispose()


def measure(folder: Path, args: argparse.Namespace) -> None:
    pages = incremental.generate(args.articles, args.seed, datetime.now(UTC))
    chrome = {site: incremental.site_chrome(args.page_kb * 1024, random.Random(f"{args.seed}:{site}"))
              for site in incremental.SITES}  # fmt: skip
    incremental.write_sites(folder / "site", pages, chrome)
    print(incremental.page_weight(folder / "site", pages))
    keep_alive = ["--keep-alive"] if args.keep_alive else []
    server = subprocess.Popen([sys.executable, __file__, "--serve", str(folder / "site"), *keep_alive],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)  # fmt: skip
    rounds: list[tuple[Crawl, Crawl]] = []
    try:
        assert server.stdout is not None
        base_urls = json.loads(server.stdout.readline())
        topic = incremental.write_topic(folder, RemoteSites(base_urls))
        sitemaps = [f"{url}/sitemap.xml" for url in base_urls.values()]
        print(f"{'':>9}{'':>22}{'pages':>8}{'seconds':>9}{'pages/s':>9}{'peak MB':>9}{'CPU s':>8}"
              f"{'ms/page':>9}{'site CPU s':>12}")  # fmt: skip
        for number in range(1, args.rounds + 1):  # alternated: a slow spell of the machine hits both
            raw = crawl_raw(sitemaps, server.pid)
            full = crawl_pipeline(folder / f"round{number}", topic, args.work_processes, server.pid)
            rounds.append((raw, full))
            for label, crawl in (("raw Scrapy (fetch)", raw), ("aoud-tracker crawl", full)):
                print(f"{f'round {number}':>9}{label:>22}{crawl.row()}")
            ratio = full.rate / raw.rate
            print(f"{f'round {number}':>9}  pipeline / raw pages per second: {ratio:.3f}", flush=True)
    finally:
        if server.stdin is not None:
            server.stdin.close()
        server.wait(timeout=30)
    ratio = statistics.median(full.rate / raw.rate for raw, full in rounds)
    verdict = "PASS" if ratio >= 0.5 else "FAIL"
    print(f"pipeline / raw pages per second, median of {len(rounds)} round(s): {ratio:.3f} (target >= 0.5) "
          f"{verdict}  [work processes {_processes(args.work_processes)}]")  # fmt: skip
    if args.articles >= 20_000:
        peak = max(full.peak_kb for _, full in rounds) / 1024
        print(f"peak memory of the {args.articles:,}-page crawl: {peak:.0f} MB (target < 400) "
              f"{'PASS' if peak < 400 else 'FAIL'}")  # fmt: skip


@dataclass(frozen=True)
class Crawl:
    """One timed crawl: pages fetched, seconds, peak resident KB, its CPU seconds (its processes'),
    and the sites' CPU seconds meanwhile."""

    pages: int
    seconds: float
    peak_kb: int
    cpu: float
    site_cpu: float

    @property
    def rate(self) -> float:
        return self.pages / self.seconds

    def row(self) -> str:
        return (f"{self.pages:>8}{self.seconds:>9.1f}{self.rate:>9.1f}{self.peak_kb / 1024:>9.0f}"
                f"{self.cpu:>8.1f}{self.cpu / self.pages * 1000:>9.2f}{self.site_cpu:>12.2f}")  # fmt: skip


def crawl_raw(sitemaps: list[str], server: int) -> Crawl:
    site_cpu = _cpu_seconds(server)
    seconds, peak, cpu, out = timed([sys.executable, __file__, "--raw", *sitemaps])
    pages = json.loads(out.strip().splitlines()[-1])["fetched"]
    return Crawl(pages, seconds, peak, cpu, _cpu_seconds(server) - site_cpu)


def crawl_pipeline(folder: Path, topic: Path, work_processes: int, server: int) -> Crawl:
    """`aoud-tracker crawl` of the sites into a new SQLite store under `folder`."""
    db_url = f"sqlite:///{folder / 'bench.db'}"
    overrides = [f"{name}={value}" for name, value in SETTINGS.items() if name not in OWN_SETTINGS]
    command = [str(Path(sys.executable).parent / "aoud-tracker"), "crawl", "--topic", str(topic),
               "--db", db_url, "--storage-dir", str(folder / "storage"), "-q",
               *(part for pair in overrides for part in ("-s", pair)),
               "-s", "AOUD_MAX_ARTICLES_PER_SOURCE=1000000",
               "-s", f"AOUD_WORK_PROCESSES={work_processes}"]  # fmt: skip
    folder.mkdir(parents=True)
    site_cpu = _cpu_seconds(server)
    seconds, peak, cpu, _ = timed(command)
    return Crawl(pipeline_pages(db_url), seconds, peak, cpu, _cpu_seconds(server) - site_cpu)


def _cpu_seconds(pid: int) -> float:
    """The CPU time process `pid` has used (user and system, from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _processes(setting: int) -> str:
    """The setting as the crawl resolves it ("auto: 1" for the default on two CPUs), and the CPUs."""
    # here, not at the top: Twisted would import benchmarks/incremental.py as its `incremental`
    from scrapy.settings import Settings

    from aoud_tracker.workpool import configured_processes, usable_cpus

    resolved = configured_processes(Settings({"AOUD_WORK_PROCESSES": setting}))
    return f"{'auto: ' if setting < 0 else ''}{resolved}, {usable_cpus()} CPUs"


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--serve":
        serve(Path(sys.argv[2]), keep_alive="--keep-alive" in sys.argv[3:])
        return
    if len(sys.argv) > 2 and sys.argv[1] == "--raw":
        raw_crawl(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=2000, help="at least 2,000 for the figure to count")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--page-kb", type=int, default=incremental.CORPUS_MEDIAN_PAGE_KB - 8)
    parser.add_argument(
        "--work-processes", type=int, default=default_settings.AOUD_WORK_PROCESSES,
        help="the crawl's extraction and tagging processes (default: a crawl's, -1: one from two CPUs on)",
    )  # fmt: skip
    parser.add_argument("--rounds", type=int, default=3, help="raw and pipeline crawls, alternated")
    parser.add_argument(
        "--keep-alive", action="store_true",
        help="the sites keep connections open between answers (by default each answer closes its own)",
    )  # fmt: skip
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="aoud-crawl-bench-") as name:
        measure(Path(name), args)


if __name__ == "__main__":
    main()
