"""Tags for an article: release_date, cast, plot, spoiler, production, and official or rumor.

Each tag needs a sentence that earns it, not just a keyword. The release-date, cast, plot
and spoiler tags are earned by claims (see claims.py), so a tag and the ledger never
disagree: the boilerplate "Netflix has not announced a release date" is a `no_date` claim
and tags release_date only because that is news, while Season 1 background earns nothing.
Production news is earned by its own cues; `official` by a studio credit in the lede.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Final

from aoud_tracker.attribution import Attribution
from aoud_tracker.claims import ClaimExtractor
from aoud_tracker.cues import HEARSAY, HEDGE, PRODUCTION, about_first_season
from aoud_tracker.findings import TAGS, Claims, Tagging
from aoud_tracker.phrases import split_sentences

if TYPE_CHECKING:
    from aoud_tracker.topic import Topic

LEDE_SENTENCES: Final = 4


class Tagger:
    """Tags and claims for one topic; build once per crawl, call per article."""

    def __init__(self, topic: Topic) -> None:
        self.attribution = Attribution(topic)
        self.extractor = ClaimExtractor(topic, self.attribution)

    def tag(
        self, title: str, body: str, *, official_source: bool = False, as_of: datetime | None = None
    ) -> Tagging:
        """Tags and claims for one article from its headline and body; `as_of` is its publication date."""
        moment = as_of or datetime.now(UTC)
        sentences = [title, *split_sentences(body)]
        claims = self.extractor.extract_sentences(sentences, moment.date(), official_source=official_source)
        evidence = _claim_evidence(claims, title)
        production = next(
            (s for s in sentences if PRODUCTION.search(s) and not about_first_season(s, moment.year)), None
        )
        if production is not None:
            evidence["production"] = production
        stance = self._stance(sentences, official_source)
        earns = self.attribution.official if stance == "official" else _hedged
        evidence[stance] = next((s for s in sentences if earns(s)), title)
        return Tagging(tuple(t for t in TAGS if t in evidence), evidence, claims)

    def _stance(self, sentences: list[str], official_source: bool) -> str:
        """official when the source is official or the lede credits its news to the studio."""
        if official_source:
            return "official"
        headline, lede = sentences[0], sentences[: LEDE_SENTENCES + 1]
        if HEDGE.search(headline):
            return "rumor"
        return "official" if any(self.attribution.official(s) for s in lede) else "rumor"


def _hedged(sentence: str) -> bool:
    return HEDGE.search(sentence) is not None or HEARSAY.search(sentence) is not None


def _claim_evidence(claims: Claims, title: str) -> dict[str, str]:
    """The first sentence behind each claim-earned tag.

    "No release date yet" is release news when the headline says it or when the article is
    about nothing else; as the closing line of a casting story it is boilerplate, and earns
    no tag (the claim is still kept for the ledger).
    """
    evidence: dict[str, str] = {}
    windows = [c for c in claims.release_dates if c.hedge != "no_date"]
    no_dates = [c for c in claims.release_dates if c.hedge == "no_date"]
    if windows or claims.release_talk:
        evidence["release_date"] = windows[0].sentence if windows else claims.release_talk[0]
    elif no_dates and (no_dates[0].sentence == title or not (claims.cast or claims.plot)):
        evidence["release_date"] = no_dates[0].sentence
    if claims.cast:
        evidence["cast"] = claims.cast[0].sentence
    if claims.plot:
        evidence["plot"] = claims.plot[0].sentence
    spoilers = [p.sentence for p in claims.plot if p.spoiler]
    if spoilers:
        evidence["spoiler"] = spoilers[0]
    return evidence
