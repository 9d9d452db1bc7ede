"""Scoring the tagger and the claim extractor on the labelled paragraphs (tests/fixtures/claims)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from aoud_tracker.tagging import TAGS, Tagger
from aoud_tracker.topic import Topic, load_topic

SET = Path(__file__).parent / "fixtures" / "claims"


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, predicted: set[Any], expected: set[Any]) -> None:
        self.tp += len(predicted & expected)
        self.fp += len(predicted - expected)
        self.fn += len(expected - predicted)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    tags: dict[str, Counts] = field(default_factory=lambda: {tag: Counts() for tag in TAGS})
    release_exact: int = 0
    release_total: int = 0
    release: Counts = field(default_factory=Counts)
    cast: Counts = field(default_factory=Counts)
    misses: list[str] = field(default_factory=list)

    @property
    def release_exact_share(self) -> float:
        return self.release_exact / self.release_total if self.release_total else 1.0


def _window(claim: dict[str, Any]) -> tuple[Any, ...]:
    return (claim["start"], claim["end"], claim["precision"], claim["hedge"])


def evaluate(paragraphs_file: str = "paragraphs.json", topic: Topic | None = None) -> Report:
    topic = topic or load_topic()
    tagger = Tagger(topic)
    report = Report()
    for paragraph in json.loads((SET / paragraphs_file).read_text(encoding="utf-8")):
        as_of = date.fromisoformat(paragraph["as_of"])
        official = bool(paragraph.get("official_source"))
        moment = datetime(as_of.year, as_of.month, as_of.day, 12, tzinfo=UTC)
        tagging = tagger.tag("", paragraph["text"], official_source=official, as_of=moment)
        tags, claims = set(tagging.tags), tagging.claims
        for tag in TAGS:
            report.tags[tag].add({tag} & tags, {tag} & set(paragraph["tags"]))
        got = {
            (
                c.start.isoformat() if c.start else None,
                c.end.isoformat() if c.end else None,
                c.precision,
                c.hedge,
            )
            for c in claims.release_dates
        }
        expected = {_window(c) for c in paragraph["release_dates"]}
        report.release.add(got, expected)
        report.release_total += len(expected)
        report.release_exact += len(got & expected)
        got_cast = {(c.actor, c.status) for c in claims.cast}
        expected_cast = {(c["actor"], c["status"]) for c in paragraph["cast"]}
        report.cast.add(got_cast, expected_cast)
        if got != expected or got_cast != expected_cast:
            report.misses.append(
                f"{paragraph['id']}: release got {sorted(got, key=str)} want {sorted(expected, key=str)}; "
                f"cast got {sorted(got_cast)} want {sorted(expected_cast)}"
            )
    return report
