"""The near-duplicate threshold against the labelled set: pairwise precision and recall per threshold.

    .venv/bin/python benchmarks/dedupe_threshold.py

Runs the evaluation of tests/test_dedupe_eval.py (35 stories, 234 articles rendered into page
templates, extracted and stored in publication order) once per threshold. The default in the
topic file (`[dedupe] threshold`) is the value chosen from this table.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(
    0, str(Path(__file__).resolve().parents[1])
)  # the labelled set and its harness live in tests/
from tests.test_dedupe_eval import evaluate


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--thresholds", type=float, nargs="+", default=[0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6])
    args = parser.parse_args()
    header = ("threshold", "precision", "recall", "false +", "false -", "siblings merged", "s")
    print("{:>9} {:>9} {:>7} {:>7} {:>7} {:>15} {:>5}".format(*header))
    for threshold in args.thresholds:
        start = time.perf_counter()
        with tempfile.TemporaryDirectory() as folder:
            scores = evaluate(Path(folder), threshold)
        seconds = time.perf_counter() - start
        print(
            f"{threshold:>9.2f} {scores.precision:>9.4f} {scores.recall:>7.4f} {scores.false_positives:>7}"
            f" {scores.false_negatives:>7} {len(scores.merged_siblings):>15} {seconds:>5.1f}"
        )


if __name__ == "__main__":
    main()
