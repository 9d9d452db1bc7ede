"""The store at scale: items/s written, and `latest`, `search`, `publish` times with many articles stored.

    .venv/bin/python benchmarks/store.py                                   # 100,000 and 1,000,000
    .venv/bin/python benchmarks/store.py --sizes 100000 --postgres postgresql://postgres@127.0.0.1/postgres

Two figures per back-end (SQLite always; PostgreSQL with --postgres, in a throw-away database):
- items/s written through the crawl's own write path (`store.store_item`: dedupe, tags, claims,
  index, validators, one transaction each), on --items generated articles;
- with N articles stored (filled in bulk, as the same rows a crawl writes: stories, articles, tags,
  claims; the FTS index kept by its triggers), the median of 5 runs of `latest` (20 newest
  stories), `latest --tag cast`, `search` (two words) and `publish` (every feed and the digest).
Targets of the issue at 1,000,000 articles: latest < 50 ms, search < 200 ms, publish < 2 s.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy import create_engine, insert, text
from sqlalchemy.orm import Session, sessionmaker

from aoud_tracker import store
from aoud_tracker.dedupe import body_fingerprint
from aoud_tracker.items import ArticleItem
from aoud_tracker.models import Article, Claim, Story, Tag
from aoud_tracker.neardup import signature
from aoud_tracker.publish import publish
from aoud_tracker.search import search
from aoud_tracker.topic import load_topic
from aoud_tracker.urls import url_key

if TYPE_CHECKING:
    from collections.abc import Callable

BATCH: Final = 5_000
WORDS: Final = ("filming", "teaser", "premiere", "cast", "zombie", "Hyosan", "school", "Seoul",
                "trailer", "Netflix", "season", "release", "rumor", "script", "outbreak")  # fmt: skip
CAST: Final = ("Park Ji-hu", "Yoon Chan-young", "Cho Yi-hyun", "Lomon", "Roh Jae-won", "Yoon Ga-i")
TAGS: Final = ("cast", "release_date", "plot", "production", "rumor", "official", "spoiler")


def body(rng: random.Random, number: int) -> str:
    sentences = [
        f"All of Us Are Dead Season 2 update {number}: {rng.choice(CAST)} was seen "
        f"{' '.join(rng.choices(WORDS, k=6))} near set {rng.randint(1, 999)}."
        for _ in range(rng.randint(4, 8))
    ]
    return " ".join(sentences)


def fill(engine: Any, topic: str, count: int, first: int = 0, seed: int = 5) -> None:
    """`count` articles in bulk numbered from `first` (a store filled further keeps its addresses
    unique), one story each, with tags and a claim, dated over three years."""
    rng, now = random.Random(seed + first), datetime.now(UTC)
    for start in range(first, first + count, BATCH):
        numbers = range(start, min(start + BATCH, first + count))
        dates = {n: now - timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60)) for n in numbers}
        with Session(engine) as session, session.begin():
            stories = (
                session.execute(
                    insert(Story).returning(Story.id),
                    [
                        {
                            "topic": topic,
                            "title": f"Story {n}",
                            "url": f"https://s{n % 97}.example/{n}",
                            "published_at": dates[n],
                            "first_seen_at": dates[n],
                            "updated_at": dates[n],
                            "newest_at": dates[n],  # as store._refresh_story sets it
                        }
                        for n in numbers
                    ],
                )
                .scalars()
                .all()
            )
            articles = session.execute(
                insert(Article).returning(Article.id, Article.story_id),
                [
                    {
                        "topic": topic,
                        "story_id": story_id,
                        "url": f"https://s{n % 97}.example/{n}",
                        "url_key": f"s{n % 97}.example/{n}",
                        "canonical_url": f"https://s{n % 97}.example/{n}",
                        "title": f"All of Us Are Dead Season 2: {rng.choice(WORDS)} news {n}",
                        "body": body(rng, n),
                        "published_at": dates[n],
                        "fetched_at": dates[n],
                        "first_seen_at": dates[n],
                        "updated_at": dates[n],
                        "content_hash": f"{n:064x}",
                        "site_name": f"Site {n % 97}",
                    }
                    for n, story_id in zip(numbers, stories, strict=True)
                ],
            ).all()
            session.execute(insert(Tag), [
                {"story_id": story_id, "article_id": article_id, "name": name}
                for article_id, story_id in articles for name in rng.sample(TAGS, 2)
            ])  # fmt: skip
            session.execute(insert(Claim), [
                {"topic": topic, "story_id": story_id, "article_id": article_id, "kind": "cast",
                 "actor": rng.choice(CAST), "status": "returning", "sentence": "They return.",
                 "as_of": dates[n].date()}
                for n, (article_id, story_id) in zip(numbers, articles, strict=True) if n % 50 == 0
            ])  # fmt: skip


def write_rate(sessions: sessionmaker[Session], topic: str, items: int) -> float:
    """Items per second through the crawl's write path."""
    rng, now = random.Random(9), datetime.now(UTC)
    generated = []
    for n in range(items):
        url = f"https://write{n % 13}.example/{uuid.uuid4().hex}"
        text_body = body(rng, n) + " " + body(rng, n + 1)
        item = ArticleItem(
            url=url, canonical_url=url, title=f"Write test {n}", body=text_body, fetched_at=now,
            published_at=now, url_key=url_key(url), fingerprint=body_fingerprint(text_body),
            signature=signature(text_body), relevance=9.0, tags=("cast",),
        )  # fmt: skip
        generated.append(item)
    start = time.perf_counter()
    for item in generated:
        store.store_item(sessions, topic, item)
    return items / (time.perf_counter() - start)


def median_ms(action: Callable[[], Any], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def measure(url: str, label: str, sizes: list[int], items: int, feeds: Path) -> None:
    topic = load_topic(None)
    engine = store.make_engine(url)
    sessions = sessionmaker(engine, expire_on_commit=False)
    print(label)
    filled = 0  # articles fill() wrote; store_item's come on top, under other addresses
    for size in sizes:
        start = time.perf_counter()
        fill(engine, topic.slug, size - filled, first=filled)
        filled = size
        if engine.dialect.name == "postgresql":
            with engine.begin() as connection:
                connection.execute(text("ANALYZE"))
        print(f"  filled to {size:,} articles in {time.perf_counter() - start:.0f} s")
        with sessions() as session:
            figures = {
                "latest": median_ms(lambda: store.list_stories(session, topic.slug, limit=20)),
                "latest --tag cast": median_ms(
                    lambda: store.list_stories(session, topic.slug, tag="cast", limit=20)
                ),
                "search": median_ms(lambda: search(session, topic.slug, "Lomon teaser")),
                "publish": median_ms(lambda: publish(session, topic, feeds), runs=3),
            }
        targets = {"latest": 50, "latest --tag cast": 50, "search": 200, "publish": 2000}
        for name, ms in figures.items():
            verdict = "PASS" if ms < targets[name] else "FAIL"
            print(f"  {size:>9,} stored  {name:<18} {ms:>9.1f} ms  (target < {targets[name]:,} ms) {verdict}")
        rate = write_rate(sessions, topic.slug, items)  # into the filled store: the lookups grow with it
        print(f"  {size:>9,} stored  {items:,} more written through store_item: {rate:,.0f} items/s")
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--items", type=int, default=1_000, help="articles written through store_item")
    parser.add_argument("--postgres", metavar="URL", help="also measure PostgreSQL (a throw-away database)")
    parser.add_argument("--no-sqlite", action="store_true", help="measure PostgreSQL only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="aoud-store-bench-") as folder:
        if not args.no_sqlite:
            measure(
                f"sqlite:///{Path(folder) / 'bench.db'}", "SQLite", args.sizes, args.items, Path(folder) / "f"
            )
        if args.postgres:
            name = f"aoud_bench_{uuid.uuid4().hex[:8]}"
            admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
            try:
                url = args.postgres.rsplit("/", 1)[0] + f"/{name}"
                measure(url, "PostgreSQL", args.sizes, args.items, Path(folder) / "g")
            finally:
                with admin.connect() as connection:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin.dispose()


if __name__ == "__main__":
    main()
