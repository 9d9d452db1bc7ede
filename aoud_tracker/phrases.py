"""Phrase matching shared by relevance and tagging: names and titles as the press writes them.

"Park Ji-hu", "Park Jihu" and "PARK JI HU" are one name; Latin phrases match on word
boundaries, Hangul phrases anywhere (Korean attaches particles to the word: 학교는, 박지후가).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from aoud_tracker.prefilter import Cue

if TYPE_CHECKING:
    from collections.abc import Iterable

HANGUL = re.compile(r"[\uac00-\ud7a3]")  # a Hangul syllable: the text is (partly) Korean


_SEPARATOR = r"[\s\-‐–_]"


def _phrase_body(phrase: str) -> str:
    words = [re.escape(w) for w in re.split(rf"{_SEPARATOR}+", phrase.strip()) if w]
    return rf"{_SEPARATOR}?".join(words)


@lru_cache(maxsize=256)
def _compiled(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    """Latin phrases share one pair of word-boundary checks, and a look-ahead at the phrases' first
    letters leads: a boundary check per phrase at every position made matching ten to twenty-five
    times slower (Python's engine skips ahead only on a known first character)."""
    kept = [p.strip() for p in phrases if p.strip()]
    if not kept:
        return None
    by_script: dict[str, set[str]] = {"latin": set(), "hangul": set()}
    for phrase in kept:
        by_script["hangul" if HANGUL.search(phrase) else "latin"].add(_phrase_body(phrase))
    latin, hangul = (sorted(by_script[script], key=len, reverse=True) for script in ("latin", "hangul"))
    branches = [rf"(?<!\w)(?:{'|'.join(latin)})(?!\w)"] if latin else []
    branches += hangul
    first = "".join(sorted({re.escape(c) for p in kept for c in {p[0].lower(), p[0].upper()}}))
    return re.compile(rf"(?=[{first}])(?:{'|'.join(branches)})", re.IGNORECASE)


def phrase_pattern(phrases: Iterable[str]) -> re.Pattern[str] | None:
    """One compiled pattern that matches any of the phrases (longest first); None for none."""
    return _compiled(tuple(phrases))


@lru_cache(maxsize=256)  # one Cue per set of phrases: each new Cue takes a bit of the pre-test
def _cue(phrases: tuple[str, ...]) -> Cue | None:
    compiled = _compiled(phrases)
    return None if compiled is None else Cue(compiled)


def phrase_cue(phrases: Iterable[str]) -> Cue | None:
    """`phrase_pattern` pre-tested for its phrases' words (prefilter.py), for patterns tried on every
    sentence: most sentences name no actor and no title, and the pre-test is shared with the cues."""
    return _cue(tuple(phrases))


def spans(pattern: re.Pattern[str] | None, text: str) -> list[tuple[int, int]]:
    """Start and end of every non-overlapping match."""
    return [] if pattern is None else [m.span() for m in pattern.finditer(text)]


def mentions(phrases: Iterable[str], text: str) -> bool:
    """True when any of the phrases occurs in the text."""
    pattern = phrase_pattern(phrases)
    return pattern is not None and pattern.search(text) is not None


_ABBREVIATIONS = (
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "mr",
    "mrs",
    "ms",
    "dr",
    "st",
    "no",
    "vs",
    "inc",
    "co",
    "jr",
    "sr",
    "e.g",
    "i.e",
    "u.s",
    "u.k",
)
_SENTENCE_END = re.compile(r"(?<=[.!?。])[\"'”’)]*\s+")


def _short_or_numeric(word: str) -> bool:
    return len(word) <= 3 or word[-1:].isdigit()


def split_sentences(text: str) -> list[str]:
    """Sentences of plain text, good enough for news prose in English and Korean.

    A period after a common abbreviation ("Jan. 9", "Mr. Lee") ends nothing, nor one between a
    short token and a digit ("Vol. 2", "3. 5"); after a word, a digit starts a new sentence
    (Korean news opens sentences with the day: "…알려졌다. 8일 업계에 따르면…").
    """
    sentences: list[str] = []
    for block in re.split(r"\n+", text):
        start = 0
        for match in _SENTENCE_END.finditer(block):
            before = block[start : match.start()].rsplit(None, 1)
            last_word = before[-1].rstrip(".").lower() if before else ""
            before_digit = block[match.end() : match.end() + 1].isdigit()
            if last_word in _ABBREVIATIONS or (before_digit and _short_or_numeric(last_word)):
                continue
            sentences.append(block[start : match.start()])
            start = match.end()
        sentences.append(block[start:])
    return [s.strip() for s in sentences if s.strip()]
