"""The look-ahead `leading.py` puts in front of a pattern changes its speed, never its matches."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from aoud_tracker import cast_claims, cues, phrases, release_claims, windows
from aoud_tracker.leading import plain_source, with_leading_class
from aoud_tracker.prefilter import Cue

FIXTURES = Path(__file__).parent / "fixtures"
SITE = Path(__file__).parent.parent / "aoud_tracker" / "demo" / "site"


def _texts() -> list[str]:
    """Prose in both languages: the sample site's pages and the claim fixtures, tags stripped."""
    files = [*sorted(SITE.rglob("*.html")), *sorted((FIXTURES / "claims").rglob("*"))]
    texts = [re.sub(r"<[^>]+>", " ", f.read_text("utf-8", "replace")) for f in files if f.is_file()]
    return [*texts, "", "2026", "Season 2 (2027) — 시즌2는 2026년 하반기", "ÉLAN 2 ½ ⅓ 𝟚𝟘𝟚𝟞"]


def _module_patterns() -> list[tuple[str, re.Pattern[str]]]:
    found = [
        (f"{module.__name__}.{name}", value.compiled if isinstance(value, Cue) else value)
        for module in (cues, cast_claims, release_claims, windows)
        for name, value in vars(module).items()
        if isinstance(value, Cue) or (isinstance(value, re.Pattern) and isinstance(value.pattern, str))
    ]
    found += [(f"windows rule {i}", rule.regex.compiled) for i, rule in enumerate(windows._RULES)]
    return found


PATTERNS = _module_patterns()
LED = [(name, pattern) for name, pattern in PATTERNS if plain_source(pattern.pattern) != pattern.pattern]


def test_most_cue_patterns_are_led() -> None:
    assert len(LED) >= 50, f"only {len(LED)} of {len(PATTERNS)} patterns have a look-ahead"


@pytest.mark.parametrize(("name", "pattern"), LED, ids=[name for name, _ in LED])
def test_every_led_pattern_finds_what_its_plain_form_finds(name: str, pattern: re.Pattern[str]) -> None:
    plain = _plain(pattern)
    assert plain.pattern != pattern.pattern
    for text in _texts():
        assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in plain.finditer(text)], name


def _plain(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The pattern without the look-ahead `with_leading_class` put in front of it."""
    return re.compile(plain_source(pattern.pattern), pattern.flags)


def test_phrase_pattern_matches_names_with_their_spelling_variants_only_on_word_edges() -> None:
    pattern = phrases.phrase_pattern(["Park Ji-hu", "Yoon Chan-young", "박지후"])
    assert pattern is not None
    text = "PARK JI HU and Yoon Chanyoung met 박지후가; xPark Ji-hu and Yoon Chan-youngs are not names."

    assert [m.group(0) for m in pattern.finditer(text)] == ["PARK JI HU", "Yoon Chanyoung", "박지후"]


@pytest.mark.parametrize(
    ("source", "leads"),
    [
        (r"\bpremieres?\b|\bdebut", True),
        (r"(?<!\w)(?:Lomon|Cho Yi-hyun)(?!\w)|지금", True),
        (r"\b(?:early|late)?\s*20\d\d\b", True),
        (r".x", False),  # any character may start it
        (r"[^a]x", False),
        (r"a?", False),  # may match empty
        (r"(?i)abc", False),  # global flags must stay first
    ],
)
def test_a_look_ahead_is_added_only_where_the_first_character_is_bounded(source: str, leads: bool) -> None:
    pattern = re.compile(source, re.IGNORECASE)
    wrapped = with_leading_class(pattern)

    assert (wrapped is not pattern) is leads
    if leads:
        assert plain_source(wrapped.pattern) == source
        assert wrapped.flags == pattern.flags


def test_characters_that_start_a_match_only_after_a_word_boundary_are_tested_after_one() -> None:
    """Inside a word the lead fails at once, where each branch would try its own `\\b`."""
    assert with_leading_class(re.compile(r"\bpremieres?\b|\bdebut")).pattern.startswith(r"\b(?=[dp])")
    mixed = with_leading_class(re.compile(r"\b(?:early|late)?\s*20\d\d\b|공개"))
    assert mixed.pattern.startswith(r"(?:\b(?=[2\sel])|(?=[공]))")
    assert [m.span() for m in mixed.finditer("x2026 early 2026 공개")] == [(6, 16), (17, 19)]
