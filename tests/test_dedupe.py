"""Body fingerprints: equal for verbatim copies whatever furniture surrounds them, different otherwise."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from aoud_tracker.dedupe import MIN_FINGERPRINT_WORDS, body_fingerprint, content_hash, normalized_words
from aoud_tracker.extract import extract

PAGES = Path(__file__).parent / "fixtures" / "pages"

# A wire story in three reported paragraphs, invented for these tests.
WIRE = [
    "Netflix confirmed on Wednesday that cameras are rolling on the second season of its school zombie "
    "drama, more than three years after the series was renewed.",
    "Park Ji-hu, Yoon Chan-young, Cho Yi-hyun and Lomon return as the surviving students, while four new "
    "actors join the cast as students from a neighbouring town.",
    "The streamer has not announced a premiere date, and director Lee Jae-kyoo said only that the wait "
    "would be worth it for patient fans.",
]
ORIGINAL = "\n\n".join(["By Seo Da-bin", WIRE[0], "Advertisement", WIRE[1], WIRE[2], "Photo: Netflix"])


def _reprint(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs)


@pytest.mark.parametrize(
    "copy",
    [
        _reprint("K-Culture Wire staff", "Published 2 hours ago", *WIRE, "Share this article"),
        _reprint(WIRE[0].upper(), WIRE[1], "ADVERTISEMENT", WIRE[2]),
        _reprint(WIRE[0].replace(",", " ,"), WIRE[1].replace("'", "’"), WIRE[2] + "  "),
        _reprint(WIRE[0].replace("Netflix", "Ｎｅｔｆｌｉｘ"), *WIRE[1:]),  # full-width letters (CJK sites)
        _reprint(*(" ".join(p.split()[:10]) + "\n" + " ".join(p.split()[10:]) for p in WIRE)),
    ],
    ids=["bylines-and-share-links", "case-and-ads", "punctuation-spacing", "full-width", "hard-wrapped"],
)
def test_copies_with_different_furniture_share_a_fingerprint(copy: str) -> None:
    """A reprint differs in byline, ads and typography, not in its reported paragraphs."""
    assert body_fingerprint(copy) == body_fingerprint(ORIGINAL) != ""


@pytest.mark.parametrize(
    "other",
    [
        _reprint(*WIRE[:2]) + "\n\n" + WIRE[2].replace("Lee Jae-kyoo", "Kim Nam-su"),
        _reprint(WIRE[1], WIRE[0], WIRE[2]),
        _reprint(*WIRE[:2], "A fourth reported paragraph adds that the script reading took place in March."),
    ],
    ids=["one-name-changed", "paragraphs-reordered", "extra-paragraph"],
)
def test_different_text_gives_a_different_fingerprint(other: str) -> None:
    """Only verbatim copies merge; a story that says something else stays its own story."""
    assert body_fingerprint(other) != body_fingerprint(ORIGINAL)


@pytest.mark.parametrize(
    "short",
    [
        "",
        "Advertisement",
        WIRE[0],  # one paragraph: fewer than MIN_FINGERPRINT_WORDS words
        "\n\n".join(["Photo: Netflix", "Share this", "Read more", "Subscribe now"] * 10),
    ],
)
def test_short_text_has_no_fingerprint(short: str) -> None:
    """Two teasers of one sentence are not proof of one story; '' means 'cannot tell'."""
    assert body_fingerprint(short) == ""


def test_fingerprint_threshold_counts_words_in_reporting_paragraphs_only() -> None:
    """Furniture lines add no words towards the threshold."""
    reporting = sum(len(normalized_words(p).split()) for p in WIRE[:2])

    assert reporting >= MIN_FINGERPRINT_WORDS
    assert body_fingerprint(_reprint(*WIRE[:2])) != ""


def test_fingerprint_is_a_stable_sha256_hex_digest() -> None:
    """Stored fingerprints are compared across crawls and processes, so no per-process salt."""
    fingerprint = body_fingerprint(ORIGINAL)

    assert len(fingerprint) == 64
    assert int(fingerprint, 16) >= 0
    assert fingerprint == body_fingerprint(ORIGINAL)


def test_same_story_extracted_from_two_sites_shares_a_fingerprint() -> None:
    """End to end through extract(): one article page and its syndicated copy on another site."""
    herald = (PAGES / "hanriverherald_graph.html").read_text(encoding="utf-8")
    reprint = herald.replace("Han River Herald", "K-Syndicate").replace(
        '<p class="byline">By <a href="/staff/seo-da-bin">Seo Da-bin</a> and Marcus Reyes</p>',
        '<p class="byline">K-Syndicate partner content</p>',
    )
    now = datetime(2025, 9, 1, tzinfo=UTC)

    first = extract(herald, "https://www.hanriverherald.example/culture/2025/07/23/aoud", now=now)
    second = extract(reprint, "https://k-syndicate.example/partners/aoud", now=now)

    assert body_fingerprint(first.body) == body_fingerprint(second.body) != ""


def test_syndication_note_does_not_change_the_fingerprint() -> None:
    """The reprint's attribution line is the one thing a wire copy always adds."""
    reprint = _reprint(
        *WIRE, "This article first appeared on Han River Herald and is republished here with permission."
    )

    assert body_fingerprint(reprint) == body_fingerprint(ORIGINAL)


def test_content_hash_changes_with_any_stored_field() -> None:
    """An edited title or a new modified time must count as an update."""
    base = content_hash("Title", "Body", datetime(2025, 7, 23, tzinfo=UTC))

    assert base == content_hash("Title", "Body", datetime(2025, 7, 23, tzinfo=UTC))
    assert base != content_hash("Title!", "Body", datetime(2025, 7, 23, tzinfo=UTC))
    assert base != content_hash("Title", "Body", datetime(2025, 7, 24, tzinfo=UTC))


def test_content_hash_keeps_field_boundaries() -> None:
    """Moving text from one field to the next is a change, not the same concatenation."""
    assert content_hash("ab", "c") != content_hash("a", "bc")
