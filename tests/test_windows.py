"""Written time windows to start..end with a precision, against an article's date."""

from __future__ import annotations

import html
import re
from datetime import date
from pathlib import Path

import pytest

from aoud_tracker.periods import describe_window
from aoud_tracker.phrases import split_sentences
from aoud_tracker.windows import find_windows, windows_by_rules

AS_OF = date(2025, 6, 27)


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("premieres on March 5, 2027", "2027-03-05", "2027-03-05", "day"),
        ("premieres 5 March 2027", "2027-03-05", "2027-03-05", "day"),
        ("2027년 3월 5일 공개", "2027-03-05", "2027-03-05", "day"),
        ("releases early January 2024", "2024-01-01", "2024-01-10", "part_of_month"),
        ("in mid-January", "2026-01-11", "2026-01-20", "part_of_month"),
        ("late February 2028", "2028-02-21", "2028-02-29", "part_of_month"),
        ("1월 말 공개", "2026-01-21", "2026-01-31", "part_of_month"),
        ("in January 2027", "2027-01-01", "2027-01-31", "month"),
        ("2027년 1월 공개", "2027-01-01", "2027-01-31", "month"),
        ("Q1 2027", "2027-01-01", "2027-03-31", "quarter"),
        ("the third quarter of 2026", "2026-07-01", "2026-09-30", "quarter"),
        ("late 2023", "2023-09-01", "2023-12-31", "season"),
        ("early 2027", "2027-01-01", "2027-04-30", "season"),
        ("summer 2026", "2026-06-01", "2026-08-31", "season"),
        ("winter 2026", "2026-12-01", "2027-02-28", "season"),
        ("the holiday season of 2026", "2026-11-15", "2026-12-31", "season"),
        ("내년 초 공개", "2026-01-01", "2026-04-30", "season"),
        ("연말 공개", "2025-09-01", "2025-12-31", "season"),
        ("the second half of 2026", "2026-07-01", "2026-12-31", "half"),
        ("H1 2027", "2027-01-01", "2027-06-30", "half"),
        ("내년 상반기", "2026-01-01", "2026-06-30", "half"),
        ("sometime in 2026", "2026-01-01", "2026-12-31", "year"),
        ("2027년 공개", "2027-01-01", "2027-12-31", "year"),
    ],
)
def test_written_windows(text: str, start: str, end: str, precision: str) -> None:
    (window,) = find_windows(text, AS_OF)
    assert (window.start.isoformat(), window.end.isoformat(), window.precision) == (start, end, precision)


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("later this year", "2025-07-01", "2025-12-31", "season"),
        ("next year", "2026-01-01", "2026-12-31", "year"),
        ("early next year", "2026-01-01", "2026-04-30", "season"),
        ("the first half of next year", "2026-01-01", "2026-06-30", "half"),
        ("this summer", "2025-06-01", "2025-08-31", "season"),
        ("next month", "2025-07-01", "2025-07-31", "month"),
        ("in two months", "2025-08-01", "2025-08-31", "month"),
        ("by the end of the year", "2025-09-01", "2025-12-31", "season"),
        ("내년", "2026-01-01", "2026-12-31", "year"),
    ],
)
def test_relative_windows_resolve_against_the_article_date(
    text: str, start: str, end: str, precision: str
) -> None:
    (window,) = find_windows(text, AS_OF)
    assert (window.start.isoformat(), window.end.isoformat(), window.precision) == (start, end, precision)


def test_a_disjunction_is_one_window() -> None:
    (window,) = find_windows("It could come late 2023 or early 2024.", AS_OF)
    assert (window.start, window.end, window.precision) == (date(2023, 9, 1), date(2024, 4, 30), "season")
    assert window.phrase == "late 2023 or early 2024"


def test_mixed_precisions_take_the_coarser() -> None:
    (window,) = find_windows("in December 2026 or in 2027", AS_OF)
    assert (window.start, window.end, window.precision) == (date(2026, 12, 1), date(2027, 12, 31), "year")


def test_two_separate_windows_stay_two() -> None:
    windows = find_windows(
        "One outlet said 2026; another, citing insiders, said the first half of 2027.", AS_OF
    )
    assert [w.precision for w in windows] == ["year", "half"]


@pytest.mark.parametrize(
    ("text", "as_of", "label"),
    [
        ("premieres on March 5, 2027", AS_OF, "5 March 2027"),
        ("releases early January 2024", AS_OF, "early January 2024"),
        ("내년 1월 말 공개", date(2026, 11, 12), "late January 2027"),
        ("2027년 상반기", AS_OF, "first half of 2027"),
        ("the third quarter of 2026", AS_OF, "Q3 2026"),
        ("late 2023 or early 2024", AS_OF, "late 2023 to early 2024"),
        ("November or December 2026", AS_OF, "November to December 2026"),
        ("내년 초", date(2026, 11, 12), "early 2027"),
        ("in 2026", AS_OF, "2026"),
    ],
)
def test_a_window_reads_the_same_whatever_words_claimed_it(text: str, as_of: date, label: str) -> None:
    (window,) = find_windows(text, as_of)

    assert describe_window(window.start, window.end, window.precision) == label


def test_a_span_no_name_fits_is_given_as_days() -> None:
    assert describe_window(date(2026, 6, 3), date(2026, 7, 9), "day") == "3 June 2026 to 9 July 2026"


def _prose() -> list[str]:
    """Every sentence of the sample site, the claim fixtures and the dedupe set, in both languages."""
    root = Path(__file__).parent
    site = root.parent / "aoud_tracker" / "demo" / "site"
    files = [*site.rglob("*.html"), *(root / "fixtures").rglob("*")]
    texts = [re.sub(r"<[^>]+>", " ", f.read_text("utf-8", "replace")) for f in files if f.is_file()]
    return [sentence for text in texts for sentence in split_sentences(html.unescape(text))]


ODD_PHRASINGS = [
    "NEXT YEAR", "later this year", "by the end of the year", "before the end of this year",
    "in two months", "this fall", "next spring", "the holiday season of next year", "다음달 5일",
    "내달 공개", "올봄", "연말 공개", "Sept. 5", "in ſeptember", "두 달 뒤", "first half of next year",
]  # fmt: skip


def test_the_first_filter_never_hides_a_window() -> None:
    """`find_windows` skips sentences without a year, Hangul, a month or a relative phrase, and the
    rules that need a year or Hangul where there is none; on every sentence of the fixtures it
    finds what trying every rule finds."""
    sentences = [*_prose(), *ODD_PHRASINGS]
    assert len(sentences) > 5000
    for sentence in sentences:
        assert find_windows(sentence, AS_OF) == windows_by_rules(sentence, AS_OF, every_rule=True), sentence
    assert all(find_windows(phrase, AS_OF) for phrase in ODD_PHRASINGS if phrase != "in ſeptember")
