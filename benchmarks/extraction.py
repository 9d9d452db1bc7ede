"""Extraction quality and speed on real pages, aoud-tracker's extract() beside its anchors in one run.

    .venv/bin/python benchmarks/extraction.py ../shared/corpus            # both parts
    .venv/bin/python benchmarks/extraction.py ../shared/corpus --part dates --limit 200

Body: the scrapinghub article-extraction-benchmark metric (4-token shingles as multisets, per-page
precision/recall averaged, F1 of the means) against trafilatura.extract. Dates: accuracy of the
publication day against htmldate.find_date(extensive_search=True). Figures print side by side with
ratios (ours / baseline); the corpus is read from its folder, never copied.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import htmldate
import trafilatura

from aoud_tracker.extract import extract

if TYPE_CHECKING:
    from collections.abc import Callable

NOW = datetime(2030, 1, 1, tzinfo=UTC)  # corpus pages are years old; nothing in them is "future"


def shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = re.findall(r"\w+", text.lower())
    if len(tokens) < 4:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3))


@dataclass
class Score:
    """Per-page precision/recall in the benchmark's way, plus timings."""

    precisions: list[float] = field(default_factory=list)
    recalls: list[float] = field(default_factory=list)
    millis: list[float] = field(default_factory=list)

    def add(self, predicted: str, gold: str, ms: float) -> None:
        got, want = shingles(predicted), shingles(gold)
        tp = sum((got & want).values())
        fp, fn = sum(got.values()) - tp, sum(want.values()) - tp
        if tp + fp:
            self.precisions.append(tp / (tp + fp))
        if tp + fn:
            self.recalls.append(tp / (tp + fn))
        self.millis.append(ms)

    @property
    def f1(self) -> float:
        p, r = statistics.fmean(self.precisions or [0]), statistics.fmean(self.recalls or [0])
        return 2 * p * r / (p + r) if p + r else 0.0


def timed(call: Callable[[], str | None]) -> tuple[str, float]:
    start = time.perf_counter()
    result = call() or ""
    return result, (time.perf_counter() - start) * 1000


def read(folder: Path, entry: dict[str, str]) -> bytes:
    with gzip.open(folder / entry["file"], "rb") as handle:
        return handle.read()


def bench_articles(folder: Path, limit: int | None) -> None:
    entries = [json.loads(line) for line in (folder / "ground-truth.jsonl").open(encoding="utf-8")][:limit]
    ours, baseline = Score(), Score()
    for entry in entries:
        raw = read(folder, entry)
        html = raw.decode("utf-8", errors="replace")
        body, ms = timed(lambda: extract(raw, entry["url"], now=NOW).body)  # noqa: B023 (called at once)
        ours.add(body, entry["body"], ms)
        base, ms = timed(lambda: trafilatura.extract(html, include_comments=False))  # noqa: B023
        baseline.add(base, entry["body"], ms)
    print(f"\narticle bodies: {len(entries)} pages ({folder})")
    print(f"{'':28}{'precision':>10}{'recall':>8}{'F1':>8}{'median ms':>11}")
    for name, score in (("aoud_tracker extract()", ours), ("trafilatura.extract", baseline)):
        p, r = statistics.fmean(score.precisions or [0]), statistics.fmean(score.recalls or [0])
        print(f"{name:28}{p:>10.3f}{r:>8.3f}{score.f1:>8.3f}{statistics.median(score.millis):>11.1f}")
    speed = statistics.median(ours.millis) / statistics.median(baseline.millis)
    print(f"ratio ours/baseline: F1 {ours.f1 / baseline.f1:.3f}, median time {speed:.2f}")


def bench_dates(folder: Path, limit: int | None) -> None:
    entries = [json.loads(line) for line in (folder / "ground-truth.jsonl").open(encoding="utf-8")][:limit]
    counts = {"ours": Counter[str](), "htmldate": Counter[str]()}
    millis: dict[str, list[float]] = {"ours": [], "htmldate": []}
    for entry in entries:
        raw = read(folder, entry)
        html = raw.decode("utf-8", errors="replace")
        found, ms = timed(lambda: _day(extract(raw, entry["url"], now=NOW).published_day))  # noqa: B023
        _count(counts["ours"], found, entry["date"])
        millis["ours"].append(ms)
        found, ms = timed(
            lambda: htmldate.find_date(html, original_date=True, extensive_search=True)  # noqa: B023
        )
        _count(counts["htmldate"], found, entry["date"])
        millis["htmldate"].append(ms)
    print(f"\npublication dates: {len(entries)} pages ({folder})")
    print(f"{'':28}{'correct':>8}{'wrong':>7}{'none':>6}{'accuracy':>10}{'median ms':>11}")
    for name, label in (("ours", "aoud_tracker extract()"), ("htmldate", "htmldate (extensive)")):
        c = counts[name]
        accuracy = c["correct"] / len(entries)
        print(
            f"{label:28}{c['correct']:>8}{c['wrong']:>7}{c['none']:>6}{accuracy:>10.3f}"
            f"{statistics.median(millis[name]):>11.1f}"
        )
    ratio = counts["ours"]["correct"] / max(1, counts["htmldate"]["correct"])
    print(
        f"ratio ours/baseline: accuracy {ratio:.3f}, wrong dates {counts['ours']['wrong']} vs "
        f"{counts['htmldate']['wrong']} (a wrong date is worse than none)"
    )


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _count(counter: Counter[str], found: str, expected: str) -> None:
    counter["none" if not found else "correct" if found == expected else "wrong"] += 1


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", type=Path, help="the shared corpus folder (with articles/ and dates/)")
    parser.add_argument("--part", choices=("articles", "dates", "both"), default="both")
    parser.add_argument("--limit", type=int, help="only the first N pages of each part")
    args = parser.parse_args()
    if args.part in ("articles", "both"):
        bench_articles(args.corpus / "articles", args.limit)
    if args.part in ("dates", "both"):
        bench_dates(args.corpus / "dates", args.limit)


if __name__ == "__main__":
    main()
