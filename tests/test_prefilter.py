"""The literal pre-test prefilter.py puts in front of the cue patterns changes their speed, never
their matches."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from aoud_tracker import cast_claims, claims, cues, release_claims, windows
from aoud_tracker.phrases import split_sentences
from aoud_tracker.prefilter import Cue, required_literals
from aoud_tracker.topic import load_topic

FIXTURES = Path(__file__).parent / "fixtures"
SITE = Path(__file__).parent.parent / "aoud_tracker" / "demo" / "site"
ODD = [
    "",
    "?",
    "Is it coming back?",
    "REPORTEDLY, INSIDERS SAY NETFLIX MIGHT DROP IT IN 2026",
    "ſeason two is ſpeculated to ſtart filming; the Kelvin sign K is no k",
    "Season 2 (2027) — 시즌2는 2026년 하반기 공개 예정이라는 소문이 돌고 있다",
    "industry\u00a0sources said",
    "industry\tsources\nsaid",
    "All of Us Are Dead",  # whole names, a title and a year: what fullmatch is asked of
    "all-of-us-are-dead",
    "Park Ji-hu",
    "PARK JIHU",
    "지금 우리 학교는",
    "2026",
]


@cache
def _sentences() -> list[str]:
    """Every sentence of the sample site's pages and the claim fixtures, and odd ones."""
    files = [*sorted(SITE.rglob("*.html")), *sorted((FIXTURES / "claims").rglob("*"))]
    texts = [re.sub(r"<[^>]+>", " ", f.read_text("utf-8", "replace")) for f in files if f.is_file()]
    return [*(s for text in texts for s in split_sentences(text)), *texts, *ODD]


def _module_cues() -> list[tuple[str, Cue]]:
    """Each cue once, by the first module that names it (HEDGE is imported by several)."""
    found: dict[int, tuple[str, Cue]] = {}
    for module in (cues, cast_claims, release_claims, claims, windows):
        for name, value in vars(module).items():
            if isinstance(value, Cue):
                found.setdefault(id(value), (f"{module.__name__}.{name}", value))
    for index, rule in enumerate(windows._RULES):
        found.setdefault(id(rule.regex), (f"windows rule {index}", rule.regex))
    extractor = claims.ClaimExtractor(load_topic(None))  # the topic's names, tried on every sentence
    for name in ("actors", "titles"):
        phrases = getattr(extractor, name)
        found.setdefault(id(phrases), (f"the bundled topic's {name}", phrases))
    return list(found.values())


CUES = _module_cues()


def test_most_cues_have_a_pre_test() -> None:
    tested = [name for name, cue in CUES if cue.literals is not None]
    assert len(CUES) >= 20
    assert len(tested) >= len(CUES) * 3 // 4, f"only {len(tested)} of {len(CUES)} cues are pre-tested"


@pytest.mark.parametrize(("name", "cue"), CUES, ids=[name for name, _ in CUES])
def test_a_pre_tested_cue_finds_what_its_pattern_finds(name: str, cue: Cue) -> None:
    sentences = _sentences()
    assert len(sentences) > 2000
    for text in sentences:
        assert [m.span() for m in cue.finditer(text)] == [m.span() for m in cue.compiled.finditer(text)], text
        found, expected = cue.search(text), cue.compiled.search(text)
        assert (found and found.span()) == (expected and expected.span()), text
        assert cue.findall(text) == cue.compiled.findall(text), text
        for part in {text[:12], text[-12:], text.strip(" .")}:  # whole names, titles, years
            assert bool(cue.fullmatch(part)) == bool(cue.compiled.fullmatch(part)), part


def test_the_cues_of_many_phrases_are_searched_branch_by_branch() -> None:
    assert cues.HEDGE.branches is not None
    assert len(cues.HEDGE.branches.by_bit) + len(cues.HEDGE.branches.always) > 30
    assert cues.YEAR.branches is None  # one pattern with a group: searched whole


@pytest.mark.parametrize(
    ("alternatives", "text", "span"),
    [
        ((r"\bmay be\b", r"\bmay\b"), "it may be out", (3, 9)),  # the earlier branch, where both match
        ((r"\bmay\b", r"\bmay be\b"), "it may be out", (3, 6)),
        ((r"\bout\b", r"\bmay\b"), "it may be out", (3, 6)),  # the first match in the text
        ((r"\bout\b", r"\d{4}"), "out in 2027", (0, 3)),  # a branch that needs no literal still runs
        ((r"\bout\b", r"\d{4}"), "due in 2027", (7, 11)),
        ((r"\breportedly\b", r"\bsources? say\b"), "nothing here", None),
    ],
)
def test_a_branched_search_finds_what_the_alternation_finds(
    alternatives: tuple[str, ...], text: str, span: tuple[int, int] | None
) -> None:
    cue = cues.rx(*alternatives)
    assert cue.branches is not None
    found, expected = cue.search(text), cue.compiled.search(text)
    assert (found and found.span()) == (expected and expected.span()) == span
    for start in range(len(text)):  # from every position, as `pos` asks
        found, expected = cue.search(text, start), cue.compiled.search(text, start)
        assert (found and found.span()) == (expected and expected.span()), start


@pytest.mark.parametrize(
    ("source", "flags", "literals"),
    [
        (r"\breportedly\b|\binsiders?\b", re.IGNORECASE, {"reportedly", "insider"}),
        (r"\bindustry (?:sources?|insiders?)\b", re.IGNORECASE, {"industry "}),
        (r"\bi (?:think|bet)\b|\?", re.IGNORECASE, {"think", "bet", "?"}),
        (r"Netflix|넷플릭스", 0, {"Netflix", "넷플릭스"}),
        (r"\bcould\b|\d{4}", re.IGNORECASE, None),  # a branch that needs no literal: no pre-test
        (r"\ba\b|\bmay\b", re.IGNORECASE, None),  # a one-letter word tells nothing
        (r"(?-i:Lee)\s+said", re.IGNORECASE, {"said"}),  # a group with its own flags is skipped
        (r"ſeason", re.IGNORECASE, {"eason"}),  # "ſ" matches "s": the literal starts after it
        # "season" is in a third of a show's news: the rarer words are tested for instead
        (r"\bseason\b.{0,20}\b(?:follows?|explores?)\b", re.IGNORECASE, {"follow", "explore"}),
    ],
)
def test_required_literals(source: str, flags: int, literals: set[str] | None) -> None:
    found = required_literals(re.compile(source, flags))
    assert (set(found) if found is not None else None) == literals


def test_non_ascii_text_is_pre_tested_unless_it_holds_a_character_that_matches_ascii() -> None:
    cue = Cue(re.compile(r"season", re.IGNORECASE))
    assert cue.cannot_match("the next episode")
    assert cue.cannot_match("“the next épisode” — 넷플릭스")  # curly quotes, accents, Hangul: pre-tested
    assert cue.search("“SEASON two” — 넷플릭스") is not None
    assert cue.search("ſeason two") is not None  # "ſ" is "s" to a case-blind regex: not pre-tested
    assert cue.search("SEASON İS HERE") is not None


def test_a_cased_letter_beyond_ascii_is_never_part_of_a_literal() -> None:
    """A case-blind "σ" also matches "ς", which lowercasing does not give."""
    assert required_literals(re.compile(r"σειρά", re.IGNORECASE)) is None
    cue = Cue(re.compile(r"σειρά", re.IGNORECASE))
    assert cue.search("ΣΕΙΡΆ") is not None


def test_only_four_characters_match_an_ascii_letter_case_blind() -> None:
    """What `prefilter` assumes of Python's regex engine, checked against every code point."""
    letters = re.compile("[a-z]", re.IGNORECASE)
    found = {chr(code) for code in range(0x80, 0x110000) if letters.fullmatch(chr(code))}
    assert found == {"\u0130", "\u0131", "\u017f", "\u212a"}
