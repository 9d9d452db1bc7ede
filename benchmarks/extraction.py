"""Extraction quality and speed on real pages: aoud-tracker's extract() beside trafilatura, one run.

    .venv/bin/python benchmarks/extraction.py --corpus ../shared/corpus
    .venv/bin/python benchmarks/extraction.py --corpus ../shared/corpus --part dates --limit 200

articles/ (annotated bodies): the scrapinghub benchmark's metric (4-token shingles as multisets,
per-page precision and recall averaged, F1 of the means) and median ms per page, against plain
`trafilatura.extract(html)`.
dates/ (publication days; titles, authors and text snippets on the pages trafilatura labelled):
date accuracy against trafilatura's own metadata and htmldate's extensive search; title and
author accuracy; snippet precision/recall (trafilatura's `with`/`without` metric).
The corpus is read where it lies, never copied.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
class BodyScore:
    """Per-page precision/recall in the article benchmark's way, plus timings."""

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
    def precision(self) -> float:
        return statistics.fmean(self.precisions or [0])

    @property
    def recall(self) -> float:
        return statistics.fmean(self.recalls or [0])

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class MetaScore:
    """Dates, titles, authors and snippets on the dates/ pages."""

    dates: Counter[str] = field(default_factory=Counter)
    titles: Counter[str] = field(default_factory=Counter)
    authors: Counter[str] = field(default_factory=Counter)
    snippets: Counter[str] = field(default_factory=Counter)
    millis: list[float] = field(default_factory=list)

    def add(self, found: Found, entry: dict[str, Any], ms: float) -> None:
        self.millis.append(ms)
        self.dates["none" if not found.day else "correct" if found.day == entry["date"] else "wrong"] += 1
        labels = entry.get("trafilatura")
        if not labels:
            return
        if labels.get("title"):
            self.titles["correct" if _same(found.title, labels["title"]) else "wrong"] += 1
        if labels.get("author"):
            self.authors["correct" if _same_people(found.author, labels["author"]) else "wrong"] += 1
        text = " ".join(found.text.split())
        for snippet in labels.get("with", []):
            self.snippets["tp" if " ".join(snippet.split()) in text else "fn"] += 1
        for snippet in labels.get("without", []):
            self.snippets["fp" if " ".join(snippet.split()) in text else "tn"] += 1

    def snippet_prf(self) -> tuple[float, float, float]:
        tp, fp, fn = self.snippets["tp"], self.snippets["fp"], self.snippets["fn"]
        p, r = tp / max(1, tp + fp), tp / max(1, tp + fn)
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass(frozen=True)
class Found:
    day: str
    title: str
    author: str
    text: str


def _normal(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    return " ".join(re.findall(r"\w+", folded))


def _same(found: str, label: str) -> bool:
    return bool(found) and _normal(found) == _normal(label)


def _same_people(found: str, label: str | list[str]) -> bool:
    def people(text: str | list[str]) -> set[str]:
        joined = "; ".join(text) if isinstance(text, list) else text or ""
        return {_normal(p) for p in re.split(r",|;|\band\b|\bund\b|&|\|", joined) if _normal(p)}

    return bool(found) and people(found) == people(label)


def timed(call: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    result = call()
    return result, (time.perf_counter() - start) * 1000


def entries_of(folder: Path, limit: int | None) -> list[dict[str, Any]]:
    lines = (folder / "ground-truth.jsonl").open(encoding="utf-8")
    return [json.loads(line) for line in lines][:limit]


def read(folder: Path, entry: dict[str, Any]) -> bytes:
    with gzip.open(folder / entry["file"], "rb") as handle:
        return handle.read()


def bench_articles(folder: Path, limit: int | None) -> None:
    entries = entries_of(folder, limit)
    ours, baseline = BodyScore(), BodyScore()
    for entry in entries:
        raw = read(folder, entry)
        html = raw.decode("utf-8", errors="replace")
        page, ms = timed(lambda: extract(raw, entry["url"], now=NOW))  # noqa: B023 (called at once)
        ours.add(page.body, entry["body"], ms)
        text, ms = timed(lambda: trafilatura.extract(html, include_comments=False))  # noqa: B023
        baseline.add(text or "", entry["body"], ms)
    print(f"\narticle bodies: {len(entries)} pages ({folder})")
    print(f"{'':30}{'precision':>10}{'recall':>8}{'F1':>8}{'median ms':>11}")
    for name, score in (("aoud_tracker extract()", ours), ("trafilatura.extract()", baseline)):
        print(
            f"{name:30}{score.precision:>10.3f}{score.recall:>8.3f}{score.f1:>8.3f}"
            f"{statistics.median(score.millis):>11.1f}"
        )
    speed = statistics.median(ours.millis) / statistics.median(baseline.millis)
    print(f"ours - baseline: F1 {ours.f1 - baseline.f1:+.3f}; median time ratio {speed:.2f}")


def _ours(raw: bytes, url: str) -> Found:
    page = extract(raw, url, now=NOW)
    day = page.published_day.isoformat() if page.published_day else ""
    return Found(day, page.title, page.author, page.body)


def _trafilatura(html: str) -> Found:
    document = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    if document is None:
        return Found("", "", "", "")
    day = (document.date or "")[:10]
    return Found(day, document.title or "", document.author or "", document.text or "")


def _htmldate(html: str) -> Found:
    day = htmldate.find_date(html, original_date=True, extensive_search=True) or ""
    return Found(day, "", "", "")


def bench_dates(folder: Path, limit: int | None) -> None:
    entries = entries_of(folder, limit)
    scores = {
        "aoud_tracker extract()": MetaScore(),
        "trafilatura (metadata)": MetaScore(),
        "htmldate": MetaScore(),
    }
    for entry in entries:
        raw = read(folder, entry)
        html = raw.decode("utf-8", errors="replace")
        for name, call in (
            ("aoud_tracker extract()", lambda: _ours(raw, entry["url"])),  # noqa: B023
            ("trafilatura (metadata)", lambda: _trafilatura(html)),  # noqa: B023
            ("htmldate", lambda: _htmldate(html)),  # noqa: B023
        ):
            found, ms = timed(call)
            scores[name].add(found, entry, ms)
    labelled = sum(1 for e in entries if e.get("trafilatura"))
    print(
        f"\npublication dates: {len(entries)} pages; titles, authors, snippets: {labelled} pages ({folder})"
    )
    header = f"{'':26}{'date acc':>9}{'wrong':>6}{'none':>5}{'title acc':>10}{'author acc':>11}"
    print(header + f"{'snippet P':>10}{'R':>6}{'F1':>6}{'median ms':>10}")
    for name, score in scores.items():
        accuracy = score.dates["correct"] / max(1, len(entries))
        title = score.titles["correct"] / max(1, sum(score.titles.values())) if score.titles else float("nan")
        author = (
            score.authors["correct"] / max(1, sum(score.authors.values())) if score.authors else float("nan")
        )
        p, r, f1 = score.snippet_prf() if score.snippets else (float("nan"),) * 3
        print(
            f"{name:26}{accuracy:>9.3f}{score.dates['wrong']:>6}{score.dates['none']:>5}{title:>10.3f}"
            f"{author:>11.3f}{p:>10.3f}{r:>6.3f}{f1:>6.3f}{statistics.median(score.millis):>10.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--corpus", type=Path, required=True, help="the corpus folder (with articles/ and dates/)"
    )
    parser.add_argument("--part", choices=("articles", "dates", "both"), default="both")
    parser.add_argument("--limit", type=int, help="only the first N pages of each part")
    args = parser.parse_args()
    if args.part in ("articles", "both"):
        bench_articles(args.corpus / "articles", args.limit)
    if args.part in ("dates", "both"):
        bench_dates(args.corpus / "dates", args.limit)


if __name__ == "__main__":
    main()
