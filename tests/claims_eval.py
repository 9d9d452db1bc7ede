"""Scoring the tagger and the claim extractor on the labelled paragraphs (tests/fixtures/claims).

Shared by tests/test_claims_eval.py (which fails below a floor) and benchmarks/claims.py (which
prints every figure beside a keyword baseline). `evaluate` takes any reader, so the baseline is
scored by the same code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aoud_tracker.findings import TAGS
from aoud_tracker.tagging import Tagger
from aoud_tracker.topic import Topic, load_topic

if TYPE_CHECKING:
    from collections.abc import Callable

SET = Path(__file__).parent / "fixtures" / "claims"

Window = tuple[str | None, str | None, str | None, str]  # start, end, precision, hedge
Person = tuple[str, str]  # actor, status


@dataclass(frozen=True)
class Reading:
    """What a reader made of one paragraph."""

    tags: set[str]
    release: set[Window]
    cast: set[Person]
    characters: dict[str, str | None] = field(default_factory=dict)


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
    paragraphs: int = 0
    tags: dict[str, Counts] = field(default_factory=lambda: {tag: Counts() for tag in TAGS})
    release_exact: int = 0
    release_total: int = 0
    release: Counts = field(default_factory=Counts)
    cast: Counts = field(default_factory=Counts)
    characters_right: int = 0
    characters_total: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def release_exact_share(self) -> float:
        return self.release_exact / self.release_total if self.release_total else 1.0

    @property
    def character_share(self) -> float:
        return self.characters_right / self.characters_total if self.characters_total else 1.0


def tagger_reader(topic: Topic) -> Callable[[str, date, bool], Reading]:
    """The product: Tagger (tags and claims) over one paragraph."""
    tagger = Tagger(topic)

    def read(text: str, as_of: date, official: bool) -> Reading:
        moment = datetime(as_of.year, as_of.month, as_of.day, 12, tzinfo=UTC)
        tagging = tagger.tag("", text, official_source=official, as_of=moment)
        claims = tagging.claims
        release = {
            (
                c.start.isoformat() if c.start else None,
                c.end.isoformat() if c.end else None,
                c.precision,
                c.hedge,
            )
            for c in claims.release_dates
        }
        cast = {(c.actor, c.status) for c in claims.cast}
        return Reading(set(tagging.tags), release, cast, {c.actor: c.character for c in claims.cast})

    return read


def evaluate(
    paragraphs_file: str = "paragraphs.json",
    topic: Topic | None = None,
    reader: Callable[[str, date, bool], Reading] | None = None,
) -> Report:
    """Every figure for one labelled file, read by `reader` (the product by default)."""
    topic = topic or load_topic()
    read = reader or tagger_reader(topic)
    report = Report()
    for paragraph in json.loads((SET / paragraphs_file).read_text(encoding="utf-8")):
        reading = read(
            paragraph["text"], date.fromisoformat(paragraph["as_of"]), bool(paragraph["official_source"])
        )
        _score(report, paragraph, reading)
    return report


def _score(report: Report, paragraph: dict[str, Any], reading: Reading) -> None:
    report.paragraphs += 1
    for tag in TAGS:
        report.tags[tag].add({tag} & reading.tags, {tag} & set(paragraph["tags"]))
    expected = {(c["start"], c["end"], c["precision"], c["hedge"]) for c in paragraph["release_dates"]}
    report.release.add(reading.release, expected)
    report.release_total += len(expected)
    report.release_exact += len(reading.release & expected)
    expected_cast = {(c["actor"], c["status"]) for c in paragraph["cast"]}
    report.cast.add(reading.cast, expected_cast)
    for claim in paragraph["cast"]:
        if claim["actor"] in reading.characters:
            report.characters_total += 1
            report.characters_right += reading.characters[claim["actor"]] == claim["character"]
    if reading.release != expected or reading.cast != expected_cast:
        report.misses.append(
            f"{paragraph['id']}: release got {sorted(reading.release, key=str)} "
            f"want {sorted(expected, key=str)}; cast got {sorted(reading.cast)} want {sorted(expected_cast)}"
        )
