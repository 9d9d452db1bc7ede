"""Tags and claims against the labelled paragraphs: precision, recall and F1, beside a keyword baseline.

    .venv/bin/python benchmarks/claims.py [--misses]

For each labelled set in tests/fixtures/claims (the one the rules were developed on, a second
show read with its own topic file, a held-out set written afterwards) it prints, for the
product and for a keyword baseline read by the same scorer:
- precision, recall and F1 per tag;
- for release-date claims, the share whose window, precision and hedge are all exact;
- cast actor+status F1, and how often the character is right when the actor is found;
- time per paragraph.
The baseline is what a feed reader with keyword rules would do: a tag when its keyword
appears, every date in a sentence with a release word as an `expected` window, every actor
named with the topic file's status, `official` when a studio is named.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the labelled set and its scorer live in tests/
from aoud_tracker.cues import HEDGE, PLOT, PRODUCTION, RELEASE, SPOILER
from aoud_tracker.findings import TAGS
from aoud_tracker.phrases import phrase_pattern, split_sentences
from aoud_tracker.topic import Topic, load_topic
from aoud_tracker.windows import find_windows
from tests.claims_eval import SET, Reading, Report, evaluate, tagger_reader

SETS = (
    ("developed on", "paragraphs.json", None),
    ("second show", "other_show_paragraphs.json", SET / "other_show.toml"),
    ("held out", "heldout_paragraphs.json", None),
    ("fresh (written without sight of the code)", "fresh_paragraphs.json", None),
)


def keyword_reader(topic: Topic):  # type: ignore[no-untyped-def]
    """The baseline: keywords, no grammar."""
    actors = {name: person for person in topic.cast for name in person.names}
    actor_pattern = phrase_pattern(list(actors))
    studios = phrase_pattern(list(topic.studios))

    def read(text: str, as_of: date, official: bool) -> Reading:
        tags: set[str] = set()
        release = set()
        for sentence in split_sentences(text):
            if RELEASE.search(sentence):
                for window in find_windows(sentence, as_of):
                    release.add(
                        (window.start.isoformat(), window.end.isoformat(), window.precision, "expected")
                    )
        cast = set()
        for match in actor_pattern.finditer(text) if actor_pattern else ():
            person = next(p for name, p in actors.items() if name.lower() == match.group(0).lower())
            cast.add((person.name, person.status or "rumored"))
        for tag, found in (
            ("release_date", bool(release)),
            ("cast", bool(cast)),
            ("plot", PLOT.search(text) is not None),
            ("spoiler", SPOILER.search(text) is not None),
            ("production", PRODUCTION.search(text) is not None),
        ):
            if found:
                tags.add(tag)
        named_studio = studios is not None and studios.search(text) is not None
        tags.add("official" if official or (named_studio and not HEDGE.search(text)) else "rumor")
        return Reading(tags, release, cast)

    return read


def timed(paragraphs: str, topic: Topic, reader) -> tuple[Report, float]:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    report = evaluate(paragraphs, topic, reader)
    return report, (time.perf_counter() - start) * 1000 / max(report.paragraphs, 1)


def ratio(ours: float, theirs: float) -> str:
    return f"{ours / theirs:5.2f}x" if theirs else "    -"


def show(name: str, ours: Report, ours_ms: float, base: Report, base_ms: float) -> None:
    print(f"\n## {name}: {ours.paragraphs} paragraphs")
    print(f"{'figure':<28} {'P':>5} {'R':>5} {'F1':>5}   {'baseline F1':>11}   ratio")
    for tag in TAGS:
        mine, theirs = ours.tags[tag], base.tags[tag]
        print(
            f"{'tag ' + tag:<28} {mine.precision:5.2f} {mine.recall:5.2f} {mine.f1:5.2f}   {theirs.f1:11.2f}"
            f"   {ratio(mine.f1, theirs.f1)}"
        )
    mine = ours.release
    print(
        f"{'release claims':<28} {mine.precision:5.2f} {mine.recall:5.2f} {mine.f1:5.2f}"
        f"   {base.release.f1:11.2f}   {ratio(mine.f1, base.release.f1)}"
    )
    print(
        f"{'release exact (of labels)':<28} {'':>5} {'':>5} {ours.release_exact_share:5.2f}"
        f"   {base.release_exact_share:11.2f}   {ratio(ours.release_exact_share, base.release_exact_share)}"
    )
    print(
        f"{'cast actor+status':<28} {ours.cast.precision:5.2f} {ours.cast.recall:5.2f} {ours.cast.f1:5.2f}"
        f"   {base.cast.f1:11.2f}   {ratio(ours.cast.f1, base.cast.f1)}"
    )
    print(f"{'cast character right':<28} {'':>5} {'':>5} {ours.character_share:5.2f}")
    blank = ""
    print(
        f"{'ms per paragraph':<28} {blank:>11} {ours_ms:5.2f}   {base_ms:11.2f}   {ratio(ours_ms, base_ms)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--misses", action="store_true", help="List every paragraph the product got wrong.")
    args = parser.parse_args()
    for name, paragraphs, topic_file in SETS:
        topic = load_topic(topic_file) if topic_file else load_topic()
        tagger_reader(topic)("warm-up", date(2026, 1, 1), False)
        ours, ours_ms = timed(paragraphs, topic, tagger_reader(topic))
        base, base_ms = timed(paragraphs, topic, keyword_reader(topic))
        show(name, ours, ours_ms, base, base_ms)
        if args.misses:
            print("\n".join(f"  {miss}" for miss in ours.misses))


if __name__ == "__main__":
    main()
