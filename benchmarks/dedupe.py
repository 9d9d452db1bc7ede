"""Dedupe speed with many articles already stored: the store's LSH index beside brute-force Jaccard.

    .venv/bin/python benchmarks/dedupe.py                      # 1,000 / 10,000 / 100,000 stored
    .venv/bin/python benchmarks/dedupe.py --sizes 1000 10000 --items 300

For each size N, a SQLite store is filled with N generated articles (bodies of ~250 words drawn
from a vocabulary, each with one of six shared background paragraphs, as real news about one
show has), then `--items` new articles (a fifth of them rewrites of stored ones) are deduped one
by one as the crawl's store pipeline does it: in write transactions of `--batch` articles (the
crawl's AOUD_STORE_BATCH_ITEMS; `--batch 1` gives each its own), signature, candidate lookup and
comparison (timed: the dedupe step), then the article's save (timed with its share of the commit).
Five other new articles go first, untimed: a crawl compiles its statements once, not per item.
The baseline compares each new article's shingle set with every stored one (all-pairs Jaccard),
run on the sizes up to --baseline-max. Figures print side by side with ratios.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy.orm import Session, sessionmaker

from aoud_tracker import settings, store
from aoud_tracker.clusters import CROWDED_BUCKET, DEFAULT_THRESHOLD, find_story
from aoud_tracker.dedupe import body_fingerprint
from aoud_tracker.items import ArticleItem
from aoud_tracker.models import Article, DedupeEntry, LshBucket, LshBucketSize, Story
from aoud_tracker.neardup import banding, buckets, shingles, signature

TOPIC = "bench"
NOW = datetime(2026, 11, 25, tzinfo=UTC)
WARM_UP = 5  # articles deduped and stored before timing: statement compilation happens once per process


@dataclass(frozen=True)
class Generated:
    url: str
    body: str


class Corpus:
    """Deterministic synthetic news: random sentences plus a shared background paragraph."""

    def __init__(self, seed: int = 7) -> None:
        self.random = random.Random(seed)
        self.words = [f"w{i}" for i in range(6000)]
        self.background = [self.sentences(4) for _ in range(6)]

    def sentence(self) -> str:
        return " ".join(self.random.choices(self.words, k=self.random.randint(12, 22))).capitalize() + "."

    def sentences(self, count: int) -> str:
        return " ".join(self.sentence() for _ in range(count))

    def article(self, index: int) -> Generated:
        paragraphs = [self.sentences(3) for _ in range(4)] + [self.random.choice(self.background)]
        return Generated(f"https://site{index % 50}.example/news/{index}", "\n\n".join(paragraphs))

    def rewrite(self, original: Generated, index: int) -> Generated:
        """Keeps about 75% of the sentences, replaces the rest."""
        sentences = original.body.replace("\n\n", " ").split(". ")
        kept = [s if self.random.random() < 0.75 else self.sentence().rstrip(".") for s in sentences]
        return Generated(f"https://copy{index % 20}.example/a/{index}", ". ".join(kept))


def item(generated: Generated) -> ArticleItem:
    """The item as the dedupe pipeline hands it to the store."""
    return ArticleItem(
        url=generated.url, canonical_url=generated.url, title="t", body=generated.body, fetched_at=NOW,
        url_key=generated.url.split("//", 1)[1], fingerprint=body_fingerprint(generated.body),
        signature=signature(generated.body),
    )  # fmt: skip


def fill(session: Session, corpus: Corpus, count: int) -> list[Generated]:
    """Bulk-load `count` articles with their index rows (setup, not measured)."""
    layout = banding(DEFAULT_THRESHOLD)
    generated = [corpus.article(i) for i in range(count)]
    session.execute(insert(Story), [
        {"id": i + 1, "topic": TOPIC, "title": "t", "url": g.url, "first_seen_at": NOW, "updated_at": NOW}
        for i, g in enumerate(generated)
    ])  # fmt: skip
    session.execute(insert(Article), [
        {"id": i + 1, "topic": TOPIC, "story_id": i + 1, "url": g.url, "url_key": g.url.split("//", 1)[1],
         "canonical_url": g.url, "title": "t", "body": g.body, "fetched_at": NOW, "first_seen_at": NOW,
         "updated_at": NOW, "fingerprint": body_fingerprint(g.body), "content_hash": str(i)}
        for i, g in enumerate(generated)
    ])  # fmt: skip
    signatures = [signature(g.body) for g in generated]
    session.execute(insert(DedupeEntry), [
        {"article_id": i + 1, "signature": sig, "reason": "first"} for i, sig in enumerate(signatures)
    ])  # fmt: skip
    keys = [buckets(sig, layout) for sig in signatures]
    sizes = Counter(key for article_keys in keys for key in set(article_keys))
    session.execute(insert(LshBucket), [  # crowded buckets are pruned, as the store does
        {"topic": TOPIC, "bucket": key, "band": band, "article_id": i + 1}
        for i, article_keys in enumerate(keys) for band, key in enumerate(article_keys)
        if sizes[key] <= CROWDED_BUCKET
    ])  # fmt: skip
    session.execute(insert(LshBucketSize), [
        {"topic": TOPIC, "bucket": key, "articles": count} for key, count in sizes.items()
    ])  # fmt: skip
    return generated


def measure(count: int, items: int, batch: int, baseline: bool) -> dict[str, float]:
    corpus = Corpus()
    with tempfile.TemporaryDirectory() as folder:
        engine = store.make_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        with Session(engine) as session, session.begin():
            stored = fill(session, corpus, count)
        new = [
            corpus.rewrite(stored[i * 7 % count], i) if i % 5 == 0 else corpus.article(count + i)
            for i in range(items)
        ]
        sessions = sessionmaker(engine, expire_on_commit=False)
        for generated in (corpus.article(count + items + i) for i in range(WARM_UP)):
            with store.write_transaction(sessions) as session:  # not measured: first-use costs
                find_story(session, TOPIC, body_fingerprint(generated.body), signature(generated.body),
                           DEFAULT_THRESHOLD)  # fmt: skip
                store.save_article(session, TOPIC, item(generated))
        merged, dedupe, saving = 0, [], []
        for first in range(0, len(new), batch):
            start = time.perf_counter()
            with store.write_transaction(sessions) as session:  # as the crawl's store pipeline writes
                for generated in new[first : first + batch]:
                    began = time.perf_counter()
                    text_signature = signature(generated.body)
                    match = find_story(
                        session, TOPIC, body_fingerprint(generated.body), text_signature, DEFAULT_THRESHOLD
                    )
                    dedupe.append(time.perf_counter() - began)
                    merged += match is not None
                    store.save_article(session, TOPIC, item(generated))
                    session.flush()  # the save's writes, not the next item's lookup
            saving.append((time.perf_counter() - start) / len(new[first : first + batch]))
        engine.dispose()
        figures = {
            "ms": statistics.median(dedupe) * 1000, "per_s": len(dedupe) / sum(dedupe),
            "save_ms": statistics.mean(saving) * 1000 - statistics.mean(dedupe) * 1000, "merged": merged,
            "expected": sum(1 for i in range(items) if i % 5 == 0),
        }  # fmt: skip
        if baseline:
            sets = [shingles(g.body) for g in stored]
            start = time.perf_counter()
            for generated in new[:50]:
                mine = shingles(generated.body)
                max(len(mine & other) / len(mine | other) for other in sets)
            figures["baseline_ms"] = (time.perf_counter() - start) / min(50, len(new)) * 1000
        return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--items", type=int, default=500, help="new articles deduped per size")
    parser.add_argument("--baseline-max", type=int, default=10_000)
    parser.add_argument(
        "--batch", type=int, default=settings.AOUD_STORE_BATCH_ITEMS,
        help="articles per transaction, as the crawl's store pipeline writes (1: one transaction each)",
    )  # fmt: skip
    args = parser.parse_args()
    header = (
        "stored",
        "dedupe ms/item",
        "items/s",
        "merged",
        "brute-force ms/item",
        "speed-up",
        "rest of save ms",
    )
    print(f"({args.items} new articles per size, {args.batch} per transaction)")
    print("{:>8} {:>15} {:>8} {:>9} {:>20} {:>9} {:>16}".format(*header))
    results = {}
    for size in args.sizes:
        figures = measure(size, args.items, args.batch, size <= args.baseline_max)
        results[size] = figures
        base = figures.get("baseline_ms")
        brute = f"{base:.2f}" if base else "-"
        speedup = f"{base / figures['ms']:.0f}x" if base else "-"
        merged = f"{int(figures['merged'])}/{int(figures['expected'])}"
        print(
            f"{size:>8} {figures['ms']:>15.2f} {figures['per_s']:>8.0f} {merged:>9} {brute:>20} {speedup:>9}"
            f" {figures['save_ms']:>16.2f}"
        )
    smallest, largest = min(results), max(results)
    ratio = results[largest]["ms"] / results[smallest]["ms"]
    print(f"per-item time at {largest:,} stored / at {smallest:,}: {ratio:.2f}")


if __name__ == "__main__":
    main()
