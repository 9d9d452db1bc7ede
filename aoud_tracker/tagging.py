"""Tags for an article: release_date, cast, plot, production, spoiler, and official or rumor.

Each tag needs a sentence that earns it, not just a keyword: a release-date tag needs a
release word *and* a time expression in one sentence, so the boilerplate "Netflix has not
announced a release date" earns nothing. Background about the first season is skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Final

from aoud_tracker.cues import (
    ATTRIBUTION,
    ATTRIBUTION_VERBS,
    CASTING,
    EXPECTATION,
    HEDGE,
    NO_DETAILS,
    NO_RELEASE_DATE,
    NO_SPOILER,
    PLAIN_CAST_BACKGROUND,
    PLOT,
    PRODUCTION,
    RELEASE,
    SPOILER,
    TIME,
    about_first_season,
    looks_back,
)
from aoud_tracker.phrases import phrase_pattern, split_sentences

if TYPE_CHECKING:
    from aoud_tracker.topic import Topic

TAGS: Final = ("release_date", "cast", "plot", "production", "spoiler", "official", "rumor")
LEDE_SENTENCES: Final = 4


@dataclass(frozen=True)
class Tagging:
    """The tags an article earned, each with the sentence that earned it."""

    tags: tuple[str, ...]
    evidence: dict[str, str] = field(default_factory=dict)


class Tagger:
    """Tags pages for one topic; build once per crawl, call per article."""

    def __init__(self, topic: Topic) -> None:
        studios = "|".join(re.escape(name) for name in topic.studios)
        self.attribution = (
            re.compile(
                rf"\b(?:{studios})\b(?:'s?)?\s+(?:{ATTRIBUTION_VERBS})\b|\baccording to (?:{studios})\b"
                rf"|(?:{studios})\S*\s.*(?:밝혔다|발표했다|공개했다|확정했다)",
                re.IGNORECASE,
            )
            if studios
            else None
        )
        self.people = phrase_pattern([n for p in topic.cast for n in (*p.names, *p.character_names)])
        actors = phrase_pattern([n for p in topic.cast for n in p.names])
        roles = phrase_pattern([n for p in topic.cast for n in p.character_names])
        self.as_role = (
            re.compile(f"(?:{actors.pattern})\\s+as\\s+(?:{roles.pattern})", re.IGNORECASE)
            if actors and roles
            else None
        )

    def tag(
        self, title: str, body: str, *, official_source: bool = False, as_of: datetime | None = None
    ) -> Tagging:
        """Tags for one article from its headline and body; `as_of` is its publication date."""
        year = (as_of or datetime.now(UTC)).year
        sentences = [title, *split_sentences(body)]
        evidence: dict[str, str] = {}
        for sentence in sentences:
            for tag in self._sentence_tags(sentence, year):
                evidence.setdefault(tag, sentence)
        stance = self._stance(sentences, official_source)
        earns = self.attributes if stance == "official" else HEDGE.search
        evidence[stance] = next((s for s in sentences if earns(s)), title)
        return Tagging(tuple(t for t in TAGS if t in evidence), evidence)

    def _sentence_tags(self, sentence: str, year: int) -> list[str]:
        tags = []
        backward = looks_back(sentence, year)
        if RELEASE.search(sentence) and TIME.search(sentence) and not backward and self._dated(sentence):
            tags.append("release_date")
        if self._names_cast(sentence):
            tags.append("cast")
        if PLOT.search(sentence) and not backward and not NO_DETAILS.search(sentence):
            tags.append("plot")
        if PRODUCTION.search(sentence) and not about_first_season(sentence, year):
            tags.append("production")
        if SPOILER.search(sentence) and not NO_SPOILER.search(sentence):
            tags.append("spoiler")
        return tags

    @staticmethod
    def _dated(sentence: str) -> bool:
        """False when the sentence says there is no release date and expects none either."""
        return not NO_RELEASE_DATE.search(sentence) or EXPECTATION.search(sentence) is not None

    def _names_cast(self, sentence: str) -> bool:
        """An actor with a casting verb, or "Actor as Character" outside a Season 1 recap."""
        if self.people is None or not self.people.search(sentence):
            return False
        if CASTING.search(sentence):
            return True
        return (
            self.as_role is not None
            and bool(self.as_role.search(sentence))
            and not PLAIN_CAST_BACKGROUND.search(sentence)
        )

    def attributes(self, sentence: str) -> bool:
        """True when the sentence credits news to the studio or an official announcement."""
        by_studio = self.attribution is not None and self.attribution.search(sentence) is not None
        return by_studio or ATTRIBUTION.search(sentence) is not None

    def _stance(self, sentences: list[str], official_source: bool) -> str:
        """official when the source is official or the lede attributes its news to the studio."""
        if official_source:
            return "official"
        headline, lede = sentences[0], sentences[: LEDE_SENTENCES + 1]
        if HEDGE.search(headline):
            return "rumor"
        return "official" if any(self.attributes(s) for s in lede) else "rumor"
