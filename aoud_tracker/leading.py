"""Faster regular expressions for scanning prose: a look-ahead at the characters a match can start with.

Python's `re` skips quickly through text to a possible match only when it knows the pattern's
first character. Our cue patterns are alternations whose branches each open with `\\b` or a
look-behind, so it knew nothing and tried every branch at every position of every sentence (a
tenth of the crawl's time went there). `with_leading_class` works out, from the parsed pattern,
the class of characters any match must start with and puts a look-ahead for it in front: the
same matches, found in a fifth of the time.

The analysis reads `re._parser`'s tree, which is private to CPython. It is conservative (any
construct it does not know gives up) and guarded: if the parser changes shape, the pattern is
returned as it was, only slower.
"""

from __future__ import annotations

import re
from typing import Any, Final

try:
    from re import _constants as sre_constants  # type: ignore[attr-defined]
    from re import _parser as sre_parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - another Python: no look-ahead, same results
    sre_parser = sre_constants = None

_CATEGORY_CLASSES = {"CATEGORY_DIGIT": r"\d", "CATEGORY_SPACE": r"\s", "CATEGORY_WORD": r"\w"}


class _Unknown(Exception):
    """The pattern's first character cannot be bounded (or the parser's shape is not known)."""


def with_leading_class(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The same pattern led by a look-ahead at its possible first characters, when they are bounded.

    Characters that can start a match only at a word boundary (branches opening with `\\b`) are
    tested after a `\\b`: inside a word, most positions of prose, the lead then fails at once
    instead of letting every branch try its own `\\b` in turn.
    """
    source = pattern.pattern
    tree = parse_tree(pattern)
    if tree is None or _global_flags(source):
        return pattern
    try:
        at_boundary, anywhere, can_be_empty = _first(tree)
    except (_Unknown, AttributeError, TypeError, ValueError):
        return pattern
    if can_be_empty or not (at_boundary or anywhere):
        return pattern
    leads = [f"\\b(?=[{''.join(sorted(at_boundary))}])"] if at_boundary else []
    leads += [f"(?=[{''.join(sorted(anywhere))}])"] if anywhere else []
    lead = leads[0] if len(leads) == 1 else f"(?:{'|'.join(leads)})"
    return re.compile(f"{lead}(?:{source})", pattern.flags)


def parse_tree(pattern: re.Pattern[str]) -> Any | None:
    """The pattern's parse tree as `re` builds it (from CPython's private parser; its shape is
    read defensively by the callers); None where there is no such parser or the pattern is bytes."""
    if sre_parser is None or not isinstance(pattern.pattern, str):
        return None
    try:
        return sre_parser.parse(pattern.pattern, pattern.flags & ~re.UNICODE)
    except (re.error, AttributeError, TypeError, ValueError):
        return None


_LEAD: Final = re.compile(
    r"(?:\(\?:)?(?:\\b)?\(\?=\[(?:\\.|[^\]\\])*\]\)(?:\|\(\?=\[(?:\\.|[^\]\\])*\]\)\))?\(\?:"
)


def plain_source(source: str) -> str:
    """The pattern source without the look-ahead `with_leading_class` put in front of it."""
    lead = _LEAD.match(source)
    return source[lead.end() : -1] if lead else source


def _global_flags(source: str) -> bool:
    """True when the pattern opens with flags that must stay at its very start ("(?i)…")."""
    return re.match(r"\(\?[aiLmsux]+\)", source) is not None


def _first(sequence: Any, at_boundary: bool = False) -> tuple[set[str], set[str], bool]:
    """Class items any match of the sequence can start with, split by whether a word boundary
    must hold there (`at_boundary`: one already does), and whether it can match empty."""
    bounded: set[str] = set()
    anywhere: set[str] = set()
    for op, value in sequence:
        name = str(op)
        if name == "AT" and str(value) == "AT_BOUNDARY":
            at_boundary = True  # zero width: the next character starts a word
            continue
        if name in ("AT", "ASSERT", "ASSERT_NOT"):
            continue  # zero width: the next item gives the first character
        found_bounded, found_anywhere, can_be_empty = _first_of_item(name, value, at_boundary)
        bounded |= found_bounded
        anywhere |= found_anywhere
        if not can_be_empty:
            return bounded, anywhere, False
    return bounded, anywhere, True


def _first_of_item(name: str, value: Any, at_boundary: bool) -> tuple[set[str], set[str], bool]:
    def placed(items: set[str]) -> tuple[set[str], set[str]]:
        return (items, set()) if at_boundary else (set(), items)

    if name == "LITERAL":
        return *placed({_escaped(value)}), False
    if name == "IN":
        return *placed(_class_items(value)), False
    if name == "SUBPATTERN":
        return _first(value[-1], at_boundary)
    if name == "BRANCH":
        bounded: set[str] = set()
        anywhere: set[str] = set()
        any_empty = False
        for branch in value[1]:
            found_bounded, found_anywhere, can_be_empty = _first(branch, at_boundary)
            bounded |= found_bounded
            anywhere |= found_anywhere
            any_empty = any_empty or can_be_empty
        return bounded, anywhere, any_empty
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        low, _high, body = value
        found_bounded, found_anywhere, can_be_empty = _first(body, at_boundary)
        return found_bounded, found_anywhere, can_be_empty or low == 0
    if name == "ATOMIC_GROUP":
        return _first(value, at_boundary)
    raise _Unknown(name)  # ANY, NOT_LITERAL, GROUPREF, conditionals…


def _class_items(members: Any) -> set[str]:
    items: set[str] = set()
    for op, value in members:
        name = str(op)
        if name == "LITERAL":
            items.add(_escaped(value))
        elif name == "RANGE":
            items.add(f"{_escaped(value[0])}-{_escaped(value[1])}")
        elif name == "CATEGORY" and str(value) in _CATEGORY_CLASSES:
            items.add(_CATEGORY_CLASSES[str(value)])
        else:
            raise _Unknown(name)  # a negated class, \W, \S, \D: anything may start it
    return items


def _escaped(code: int) -> str:
    return re.escape(chr(code)) if chr(code).isprintable() and code < 0x10000 else f"\\U{code:08x}"
