"""What tagging finds in an article, as plain data: its tags, with the sentences that earned them,
and its claims (release windows, cast members, plot lines).

Apart from the modules that find them (tagging, claims, release_claims, cast_claims), whose
patterns take a fifth of a second to build: the crawl's process receives these from its work
process and stores them, and reading them back must not build the tagger there (tests/test_startup.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Final

TAGS: Final = ("release_date", "cast", "plot", "production", "spoiler", "official", "rumor")


@dataclass(frozen=True)
class ReleaseClaim:
    """A window for the season's release as one sentence states it, with how sure it is."""

    start: date | None
    end: date | None
    precision: str | None
    hedge: str
    phrase: str
    sentence: str


@dataclass(frozen=True)
class CastClaim:
    """Someone said to be in (or out of) the season, under the canonical spelling."""

    actor: str
    character: str | None
    status: str
    sentence: str


@dataclass(frozen=True)
class PlotClaim:
    """A sentence that says what happens in the season."""

    sentence: str
    spoiler: bool


@dataclass(frozen=True)
class Claims:
    release_dates: tuple[ReleaseClaim, ...] = ()
    cast: tuple[CastClaim, ...] = ()
    plot: tuple[PlotClaim, ...] = ()
    release_talk: tuple[str, ...] = ()  # sentences about the release date that claim no window


@dataclass(frozen=True)
class Tagging:
    """The tags an article earned, each with the sentence that earned it, and its claims."""

    tags: tuple[str, ...]
    evidence: dict[str, str] = field(default_factory=dict)
    claims: Claims = field(default_factory=Claims)
