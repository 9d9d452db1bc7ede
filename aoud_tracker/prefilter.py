"""Cue patterns with a literal pre-test: no regex run on a sentence that lacks every word it needs.

A cue pattern is an alternation of dozens of phrases ("reportedly", "rumo(u)r", "industry
sources", "could"...), and the tagger tries about twenty of them on every sentence of every
article. Python's `re` tries each branch at each word start, so a sentence costs 10-40 µs per
pattern even when nothing matches, which is most of the time. Each branch needs some literal text
("industry sources?" needs "industry "), and `str.__contains__` finds a literal at memory speed:
when a sentence holds none of a pattern's literals, the pattern cannot match and is not run.
One Aho-Corasick pass (pyahocorasick) per case mode finds every cue's literals in a sentence at
once, and the answer is kept for the next cue: testing each literal with `in` cost 2.0 µs a cue
(24 cues of 3 to 85 literals, 3,000 generated sentences), the one pass 2.1 µs a sentence for all of
them. Both passes' bits share one cache and one test inside `search`: with a cache per case mode
and a method call more, tagging took 2.73-3.67 ms a page against 2.59-2.90 (4.09 once; 300
generated pages, 6 alternated runs each).

The literals are read from the parsed pattern (`leading.parse_tree`: CPython's private parser); a
pattern the analysis does not understand, or with a branch that needs no literal, is run
as it is. Case-blind patterns are pre-tested on the lowercased sentence, unless it holds one of
the four characters a case-blind regex matches to an ASCII letter ("ſ" matches "s"); a literal
never holds a cased letter beyond ASCII ("ς" matches "σ", which lowercasing does not give).
"""

from __future__ import annotations

import re
import sys
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Final

import ahocorasick

from aoud_tracker.leading import parse_tree

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

Literals = frozenset[str]
# The only characters a case-blind regex matches to an ASCII letter, besides its other case: "İ"
# and "ı" (i), "ſ" (s), the Kelvin sign (k); found by trying every code point against every
# letter. Text without them lowercases to what the regex compares (tests/test_prefilter.py).
_MATCHES_ASCII_CASE_BLIND = re.compile("[\u0130\u0131\u017f\u212a]")


class Cue:
    """A compiled pattern with the literal pre-test, searched as `re.Pattern` is (the methods the
    cues are asked for).

    Given the pattern's `branches` (its alternatives, each compiled alone), `search` runs only the
    branches whose own literals the text holds, and those that need none (`_Branches`).
    """

    def __init__(self, compiled: re.Pattern[str], branches: Sequence[re.Pattern[str]] = ()) -> None:
        self.compiled = compiled
        self.literals = required_literals(compiled)
        self.case_blind = bool(compiled.flags & re.IGNORECASE)
        self.bit = 0 if self.literals is None else _LITERALS.register(self.literals, self.case_blind)
        self.branches = _Branches(branches) if len(branches) > 1 and not compiled.groups else None

    def cannot_match(self, text: str) -> bool:
        """True when the text lacks every literal one of the pattern's branches needs."""
        return bool(self.bit) and not _present(text) & self.bit

    # search and finditer test inline: a sentence meets some twenty cues, and a call less each counts
    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        if self.bit and not _present(text) & self.bit:
            return None
        if self.branches is not None:
            return self.branches.leftmost(text, pos, endpos)
        return self.compiled.search(text, pos, endpos)

    def finditer(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        if self.bit and not _present(text) & self.bit:
            return iter(())
        return self.compiled.finditer(text, pos, endpos)

    def findall(self, text: str) -> list[Any]:
        return [] if self.cannot_match(text) else self.compiled.findall(text)

    def fullmatch(self, text: str) -> re.Match[str] | None:
        return None if self.cannot_match(text) else self.compiled.fullmatch(text)

    def __repr__(self) -> str:
        return f"Cue({self.compiled!r})"


class _Branches:
    """A pattern's alternatives compiled one by one, each with a bit of the pre-test of its own.

    The hedge cue has 53 branches ("could", "some reports", "according to sources"…), and its
    literals, taken together, are words most sentences hold ("some", "may", "say"): the whole
    pattern then ran on five sentences in six it was tried on, trying every branch at every
    word, 22 µs a sentence. Most sentences hold the literals of a branch or two: only those run, and the
    branches that need no literal. The first match in the text is the pattern's, and of two
    branches matching at the same place the earlier one's, as the alternation would choose; the
    patterns have no groups (a match from one branch would number them otherwise).
    """

    def __init__(self, branches: Sequence[re.Pattern[str]]) -> None:
        self.always: list[tuple[int, re.Pattern[str]]] = []  # branches that need no literal
        self.by_bit: dict[int, tuple[int, re.Pattern[str]]] = {}
        self.bits = 0
        for index, branch in enumerate(branches):
            literals = required_literals(branch)
            if literals is None:
                self.always.append((index, branch))
                continue
            bit = _LITERALS.register(literals, bool(branch.flags & re.IGNORECASE))
            self.by_bit[bit] = (index, branch)
            self.bits |= bit

    def leftmost(self, text: str, pos: int, endpos: int) -> re.Match[str] | None:
        """The alternation's match: the first in the text, the earliest branch's at one place."""
        best: re.Match[str] | None = None
        best_index = 0
        candidates = list(self.always)
        present = _present(text) & self.bits
        while present:
            lowest = present & -present
            candidates.append(self.by_bit[lowest])
            present ^= lowest
        for index, branch in candidates:
            found = branch.search(text, pos, endpos)
            if found is not None and (best is None or (found.start(), index) < (best.start(), best_index)):
                best, best_index = found, index
        return best


class _Literals:
    """Every cue's literals in two automata, one per case mode, over one space of bits:
    `present(text)` has the bit of each cue one of whose literals the text holds."""

    def __init__(self) -> None:
        self.bits_by_literal: dict[bool, dict[str, int]] = {True: {}, False: {}}  # by case-blindness
        self.case_blind_bits = 0
        self.cues = 0
        self.automata: dict[bool, ahocorasick.Automaton] | None = None

    def register(self, literals: Literals, case_blind: bool) -> int:
        """A new cue's bit; the automata are rebuilt at their next use, and what was found forgotten."""
        bit = 1 << self.cues
        self.cues += 1
        found = self.bits_by_literal[case_blind]
        for literal in literals:
            found[literal] = found.get(literal, 0) | bit
        if case_blind:
            self.case_blind_bits |= bit
        self.automata = None
        _present.cache_clear()
        return bit

    def present(self, text: str) -> int:
        if self.automata is None:
            self.automata = {mode: _automaton(found) for mode, found in self.bits_by_literal.items()}
        bits = _bits_in(self.automata[False], text)
        view = _case_blind_view(text)  # None: such text leaves every case-blind cue to its regex
        return bits | (self.case_blind_bits if view is None else _bits_in(self.automata[True], view))


def _automaton(bits_by_literal: dict[str, int]) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for literal, bits in bits_by_literal.items():
        automaton.add_word(literal, bits)
    automaton.make_automaton()
    return automaton


def _bits_in(automaton: ahocorasick.Automaton, text: str) -> int:
    bits = 0
    if len(automaton):  # an empty automaton refuses to be searched
        for _end, literal_bits in automaton.iter(text):
            bits |= literal_bits
    return bits


_LITERALS = _Literals()


@lru_cache(maxsize=64)  # the same sentence is pre-tested by one cue after another
def _present(text: str) -> int:
    return _LITERALS.present(text)


def _case_blind_view(text: str) -> str | None:
    """The text as a case-blind pre-test reads it, lowercased; None when it holds a character a
    case-blind regex matches to an ASCII letter (then the regex decides)."""
    if not text.isascii() and _MATCHES_ASCII_CASE_BLIND.search(text):
        return None
    return text.lower()


def required_literals(compiled: re.Pattern[str]) -> Literals | None:
    """Literals one of which every match contains (lowercased for a case-blind pattern); None when
    some branch needs none, or the pattern is not understood."""
    tree = parse_tree(compiled)
    if tree is None:
        return None
    try:
        return _needed(tree, bool(compiled.flags & re.IGNORECASE))
    except (AttributeError, TypeError, ValueError):  # a parser of another shape
        return None


def _needed(sequence: Any, case_blind: bool) -> Literals | None:
    """The best set of literals, one of which every match of the sequence contains."""
    candidates: list[Literals] = []
    run: list[str] = []

    def end_run() -> None:
        if run:
            candidates.append(frozenset(["".join(run)]))
            run.clear()

    for op, value in sequence:
        name = str(op)
        if name == "LITERAL" and not (case_blind and _cased_beyond_ascii(chr(value))):
            run.append(chr(value).lower() if case_blind else chr(value))
            continue
        if name == "AT":
            continue  # zero width: "\b" between two letters of a run leaves them next to each other
        end_run()
        if name == "SUBPATTERN" and not (value[1] or value[2]):  # a group with flags of its own: skipped
            inner = _needed(value[-1], case_blind)
            candidates += [inner] if inner else []
        elif name == "ATOMIC_GROUP":
            inner = _needed(value, case_blind)
            candidates += [inner] if inner else []
        elif name == "BRANCH":
            branches = [_needed(branch, case_blind) for branch in value[1]]
            if all(branches):
                candidates.append(frozenset().union(*(b for b in branches if b)))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and value[0] >= 1:
            inner = _needed(value[2], case_blind)
            candidates += [inner] if inner else []
    end_run()
    usable = [c for c in candidates if all(_telling(literal) for literal in c)]
    return max(usable, key=_strength) if usable else None


def _cased_beyond_ascii(char: str) -> bool:
    """A non-ASCII letter with case ("é", "ſ", "Σ"): a case-blind regex matches it in ways
    lowercasing does not ("ſ" matches "s", "ς" matches "σ"), so no literal holds it."""
    return not char.isascii() and char.lower() != char.upper()


def _telling(literal: str) -> bool:
    """A literal worth testing for: two characters or more, or one that is not a letter ("?")."""
    return len(literal.strip()) >= 2 or not literal.strip().isalnum()


def _strength(literals: Literals) -> tuple[int, int]:
    """Longer literals first (rarer in prose: "industry" before "on "), then fewer of them; a word
    every article about a show is full of counts as short ("season" in "season 2 will follow")."""
    return min(_rarity(literal) for literal in literals), -len(literals)


# Words the news of a show is full of: "season" is in 32 % of the generated pages' sentences (8 %
# of the demo site's and the claim fixtures'), the others in 1-4 %. PLOT, pre-tested for
# "season", ran its regex on 3,969 of 10,652 sentences and matched none of them; for its rarer
# words, on 1,304.
_EVERYWHERE: Final = frozenset({"season", "series", "will", "story", "show", "shot", "shots"})


def _rarity(literal: str) -> int:
    word = literal.strip()
    return 1 if word in _EVERYWHERE else len(word)
