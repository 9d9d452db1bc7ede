"""Where a crawled page's time goes: CPU per page of each pipeline step, without the network.

    .venv/bin/python benchmarks/stages.py                 # 150 pages
    .venv/bin/python benchmarks/stages.py --pages 500

The pages are `incremental.py`'s generated articles (109 KB, as heavy as the median real news
page), rendered in memory. Each step runs as the crawl runs it, one page at a time: extraction
(`extract`), relevance, the text's fingerprint and MinHash signature, tagging with its claims, and
the store's write path (`store.store_item`, one transaction, into a fresh SQLite file). Printed:
milliseconds per page for each step and its share of the whole; `crawl.py` puts the whole
pipeline beside raw Scrapy.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from generated_site import load_incremental  # type: ignore[import-not-found]
from sqlalchemy.orm import sessionmaker

from aoud_tracker import store
from aoud_tracker.dedupe import body_fingerprint
from aoud_tracker.extract import extract
from aoud_tracker.items import ArticleItem
from aoud_tracker.neardup import signature
from aoud_tracker.relevance import RelevanceScorer
from aoud_tracker.tagging import Tagger
from aoud_tracker.topic import load_topic
from aoud_tracker.urls import url_key


def measure(count: int, seed: int) -> dict[str, float]:
    """Seconds spent in each step over `count` generated pages."""
    incremental = load_incremental()
    now = datetime.now(UTC)
    pages = incremental.generate(count, seed, now)
    chrome = {site: incremental.site_chrome(101 * 1024, random.Random(f"{seed}:{site}"))
              for site in incremental.SITES}  # fmt: skip
    rendered = [incremental.render_page(page, pages[:5], chrome[page.site]).encode() for page in pages]
    topic = load_topic(None)
    scorer, tagger = RelevanceScorer(topic), Tagger(topic)
    spent = dict.fromkeys(("extraction", "relevance", "fingerprint and signature", "tagging", "store"), 0.0)
    with tempfile.TemporaryDirectory(prefix="aoud-stages-") as folder:
        engine = store.make_engine(f"sqlite:///{Path(folder) / 'stages.db'}")
        sessions = sessionmaker(engine, expire_on_commit=False)
        for page, html in zip(pages, rendered, strict=True):
            url = incremental.base(page.site) + page.path
            start = time.perf_counter()
            extracted = extract(html, url, now=now)
            spent["extraction"] += (lap := time.perf_counter()) - start
            verdict = scorer.score(extracted.title, extracted.body)
            spent["relevance"] += (start := time.perf_counter()) - lap
            fingerprint, text_signature = body_fingerprint(extracted.body), signature(extracted.body)
            spent["fingerprint and signature"] += (lap := time.perf_counter()) - start
            tagging = tagger.tag(extracted.title, extracted.body, official_source=False, as_of=now)
            spent["tagging"] += (start := time.perf_counter()) - lap
            item = ArticleItem(
                url=url, canonical_url=url, title=extracted.title, body=extracted.body, fetched_at=now,
                published_at=extracted.published_at, site_name=extracted.site_name, url_key=url_key(url),
                fingerprint=fingerprint, signature=text_signature, relevance=verdict.score,
                tags=tagging.tags, claims=tagging.claims, validators=(url, '"v1"', ""),
            )  # fmt: skip
            store.store_item(sessions, topic.slug, item)
            spent["store"] += time.perf_counter() - start
        engine.dispose()
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=150)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    spent = measure(args.pages, args.seed)
    total = sum(spent.values())
    print(f"{'step':<28}{'ms/page':>9}{'share':>8}")
    for step, seconds in spent.items():
        print(f"{step:<28}{seconds / args.pages * 1000:>9.1f}{seconds / total:>8.0%}")
    print(f"{'all steps':<28}{total / args.pages * 1000:>9.1f}{1:>8.0%}")


if __name__ == "__main__":
    main()
