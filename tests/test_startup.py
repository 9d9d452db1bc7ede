"""The crawl's process starts without the extraction and tagging machinery its work process runs.

trafilatura, htmldate, numpy, the tagger's cue patterns and PostgreSQL's dialect took about half a
second to import and build in every crawl and every query command (docs/SCALING.md), and the
crawl's process, with a work process, uses none of them: it receives each page's reading, plain
data, and stores it. A module-level import added to one of its modules would bring them back, so
this runs the crawl process's imports, and reads a real work result, in a fresh interpreter.
"""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from aoud_tracker.demo.server import sample_sites_dir
from aoud_tracker.reading import PageHints, read_page
from aoud_tracker.relevance import RelevanceScorer
from aoud_tracker.tagging import Tagger

if TYPE_CHECKING:
    from aoud_tracker.topic import Topic

HEAVY = (
    "trafilatura",
    "htmldate",
    "justext",
    "numpy",
    "datasketch",
    "aoud_tracker.extract",
    "aoud_tracker.body",
    "aoud_tracker.tagging",
    "aoud_tracker.claims",
    "aoud_tracker.cues",
    "aoud_tracker.windows",
    "aoud_tracker.neardup",
    "sqlalchemy.dialects.postgresql",
)
ARTICLE = sample_sites_dir() / "hallyuwire" / "news" / "2026" / "06" / "10"
# What a crawl's process imports: the CLI, and every component the settings name for Scrapy
CRAWL_PROCESS = """
import json, pickle, sys
from scrapy.utils.misc import load_object
import aoud_tracker.cli, aoud_tracker.crawl, aoud_tracker.settings as settings
for table in ("ITEM_PIPELINES", "SPIDER_MIDDLEWARES", "DOWNLOADER_MIDDLEWARES", "EXTENSIONS"):
    for path in getattr(settings, table):
        if path.startswith("aoud_tracker."):
            load_object(path)
before = sorted(name for name in sys.modules if name in HEAVY)
extracted, reading = pickle.loads(sys.stdin.buffer.read())
after = sorted(name for name in sys.modules if name in HEAVY)
print(json.dumps({"before": before, "after": after, "title": reading.clean_title,
                  "claims": len(reading.text.tagging.claims.release_dates), "status": extracted.status}))
"""


def test_the_crawl_process_reads_work_results_without_the_machinery_that_made_them(topic: Topic) -> None:
    page = next(ARTICLE.rglob("index.html"))
    now = datetime(2026, 7, 1, tzinfo=UTC)
    hints = PageHints("", None, official=False)
    extracted, reading = read_page(
        page.read_bytes(), "https://hallyuwire.example/news/", "text/html", now, hints,
        RelevanceScorer(topic), Tagger(topic),
    )  # fmt: skip
    assert reading is not None and reading.text is not None
    assert reading.text.tagging.claims.release_dates, "the page should give the result some claims"

    script = f"HEAVY = {HEAVY!r}\n{CRAWL_PROCESS}"
    done = subprocess.run(
        [sys.executable, "-c", script], input=pickle.dumps((extracted, reading)), capture_output=True,
        timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr.decode()
    seen = json.loads(done.stdout)
    assert seen["before"] == [], f"the crawl's process imports {seen['before']}"
    assert seen["after"] == [], f"reading a work result imports {seen['after']}"
    assert (seen["title"], seen["status"]) == (reading.clean_title, "ok")
    assert seen["claims"] == len(reading.text.tagging.claims.release_dates)


def test_the_query_commands_start_without_scrapy() -> None:
    """`latest`, `search`, `claims`… never crawl: importing the CLI once imported Scrapy and Twisted
    for every command (`import aoud_tracker.cli` 0.54-0.61 s with them, 0.34-0.37 s without: 5
    alternated runs, 2026-12-08). Only the commands that crawl import them, when they run."""
    check = (
        "import json, sys, aoud_tracker.cli\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    done = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    loaded = set(json.loads(done.stdout))
    crawl_only = {"scrapy", "twisted", "multiprocessing"}
    assert not loaded & crawl_only, f"importing the CLI imports {sorted(loaded & crawl_only)}"


def test_the_cli_offers_every_spider_by_the_name_it_has() -> None:
    """The CLI's spider names are written out (spiders.SPIDER_NAMES); the spiders name themselves."""
    import click

    from aoud_tracker import cli
    from aoud_tracker.crawl import SPIDERS
    from aoud_tracker.spiders import SPIDER_NAMES

    assert sorted(SPIDER_NAMES) == sorted(SPIDERS)  # SPIDERS is keyed by each spider's own name
    for command in (cli.crawl, cli.run, cli.seed):
        (option,) = [p for p in command.params if p.name == "spiders"]
        assert isinstance(option.type, click.Choice)
        assert sorted(option.type.choices) == sorted(SPIDERS), command.name
