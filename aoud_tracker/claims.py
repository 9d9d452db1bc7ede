"""Claims in an article: release windows with their hedge, cast members with their status, plot lines.

Pure. Each claim keeps the sentence it came from. Release windows and cast members have their
own modules (release_claims, cast_claims); this one runs them over the sentences of an article,
merges what an article says twice, and finds the plot: sentences that tell what happens in
the season, through a synopsis word ("the season follows", "picks up") or one of the
season's characters doing something, rather than an actor being cast as them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from aoud_tracker.attribution import Attribution
from aoud_tracker.cast_claims import CastClaimFinder, casting_cues
from aoud_tracker.cues import NO_DETAILS, NO_SPOILER, PLOT, SPOILER, WEAK_PLOT, looks_back, rx
from aoud_tracker.findings import CastClaim, Claims, PlotClaim, ReleaseClaim
from aoud_tracker.phrases import phrase_cue, phrase_pattern, split_sentences
from aoud_tracker.release_claims import HEDGES, ReleaseClaimFinder, strongest

if TYPE_CHECKING:
    from datetime import date

    from aoud_tracker.topic import Topic

__all__ = ["HEDGES", "CastClaim", "ClaimExtractor", "Claims", "PlotClaim", "ReleaseClaim"]

_SPOILER_EVENT = rx(
    r"\bdies\b",
    r"\bkill(?:s|ed)? off\b",
    r"\bkilled\b",
    r"\bdeath of\b",
    r"\bsacrific",
    r"\bturns? out to be\b",
    r"\b(?:finale|final episode|last scene|ending) (?:reveals|ends)\b",
    r"\bends with\b",
    r"\bin the end\b",
    "죽음",
    "사망",
    "희생",
    "최종회",
)
_KOREAN_APPEARS = re.compile("등장한다|등장할")
_PAST_TENSE = re.compile(r"(?:'s\s+\w+)?\s+(?:was|were|had|used to|did)\b", re.IGNORECASE)
_SPEECH = re.compile(r"\b(?:said|says|told|tells|added|explained|hinted|revealed)\b", re.IGNORECASE)
# "Yoon Ga-yi's Jong-ah is the first human who…": the role, not the actor, is the subject.
_ROLE_ACTS = re.compile(
    r"\s+(?:(?:is|are)(?! (?:played|portrayed|reprised|new|back|returning|a new|the new)\b)"
    r"|will|must|has to|can|becomes|finds|faces|learns|leads)\b"
)
# "a teaser poster that shows On-jo and Su-hyeok standing…": a picture of characters, not a plot.
_PICTURED = re.compile(
    r"\b(?:posters?|photos?|stills?|images?|pictures?)\b[^.]{0,20}?"
    r"\b(?:shows?|showing|features?|featuring|depicts?|depicting)\b[^.]{0,12}$",
    re.IGNORECASE,
)
_POSSESSIVE_END = re.compile(r"['’]s\s+$")
# "they're already looking for a new villain": a casting call, not the story.
_CASTING_CALL = rx(
    r"\b(?:looking for|searching for|search for|hunt for|casting|auditioning(?: for)?) (?:a|an|the) new\b"
)
# "새 드라마 '종이 왕관'에서 … 역을 맡았다": a quoted title followed by a particle or a season
# number names a work; quoted speech ends in a verb and is followed by 고/라고/며.
_QUOTED_TITLE = re.compile(
    r"['‘\"“《〈](?P<title>[^'’\"”》〉.]{1,25})['’\"”》〉]"
    r"(?=\s*(?:시즌|에서|에|의|은|는|이|가|로|으로|를|을|와|과|season\b|Season\b))"
)
# What someone says in quotes is read on its own: an actor on a set ('이번 시즌에서 남라는…').
_QUOTED = re.compile(r"['‘\"“](?P<said>[^'’\"”]{20,})['’\"”]")


class ClaimExtractor:
    """Claims for one topic; build once per crawl, call per article."""

    def __init__(self, topic: Topic, attribution: Attribution | None = None) -> None:
        self.releases = ReleaseClaimFinder(attribution or Attribution(topic), topic.season)
        self.cast = CastClaimFinder(topic)
        self.actors = phrase_cue([name for person in topic.cast for name in person.names])
        self.roles = phrase_pattern([name for person in topic.cast for name in person.character_names])
        self.markers = phrase_pattern(topic.season_markers)
        self.titles = phrase_cue(topic.titles)

    def extract(self, title: str, body: str, as_of: date, *, official_source: bool = False) -> Claims:
        """Every claim in the headline and body, in reading order."""
        return self.extract_sentences([title, *split_sentences(body)], as_of, official_source=official_source)

    def extract_sentences(
        self, sentences: list[str], as_of: date, *, official_source: bool = False
    ) -> Claims:
        """`extract` for a headline and body already split into sentences (the tagger splits them
        once for its own cues and for the claims)."""
        sentences = [s for s in sentences if s]
        spoiler_article = any(SPOILER.search(s) and not NO_SPOILER.search(s) for s in sentences)
        releases: list[ReleaseClaim] = []
        talk: list[str] = []
        cast: dict[str, CastClaim] = {}
        plot: list[PlotClaim] = []
        after_background = False  # "…premiered in 2022. The series follows…" is Season 1's synopsis
        for sentence in sentences:
            if self.about_another_title(sentence):
                after_background = False
                continue
            reading = self.releases.read(sentence, as_of, official_source)
            releases += reading.claims
            if reading.talk:
                talk.append(sentence)
            for claim in self.cast.claims(sentence):
                cast[claim.actor] = _firmer(cast.get(claim.actor), claim)
            if (not after_background or self._in_season(sentence)) and self.tells_plot(sentence, as_of):
                plot.append(PlotClaim(sentence, spoiler_article or bool(_SPOILER_EVENT.search(sentence))))
            after_background = looks_back(sentence, as_of.year)
        return Claims(tuple(strongest(releases)), tuple(cast.values()), tuple(plot), tuple(talk))

    def _in_season(self, sentence: str) -> bool:
        return self.markers is not None and self.markers.search(sentence) is not None

    def about_another_title(self, sentence: str) -> bool:
        """True when the sentence names another work in quotes and never names the show.

        Korean entertainment news quotes titles ("한편 조이현이 출연한 '종이 왕관' 시즌2는 오는 10월
        공개된다"); such a sentence's dates and castings belong to that work.
        """
        quoted = [m.group("title").strip() for m in _QUOTED_TITLE.finditer(sentence)]  # mostly none
        if not quoted or (self.titles is not None and self.titles.search(sentence)):
            return False
        return any(self.titles is None or not self.titles.fullmatch(title) for title in quoted)

    def tells_plot(self, sentence: str, as_of: date) -> bool:
        """True when the sentence states what happens in the season."""
        if looks_back(sentence, as_of.year) or NO_DETAILS.search(sentence) or _CASTING_CALL.search(sentence):
            return False
        if PLOT.search(sentence):
            return True
        weak = WEAK_PLOT.search(sentence) or _KOREAN_APPEARS.search(sentence)
        if weak or _QUOTED.search(sentence):  # only then do its casting verbs matter
            cues = casting_cues(sentence)
            if weak and not cues:
                return True  # "비밀 공동체가 등장한다", but not "윤찬영이 이청산으로 다시 등장한다"
            if cues and any(self._quote_tells(q.group("said"), as_of) for q in _QUOTED.finditer(sentence)):
                return True  # "남라 역의 조이현은 '이번 시즌에서 남라는 … 강요받는다'고 말했다"
        return self._character_acts(sentence)

    def _quote_tells(self, quote: str, as_of: date) -> bool:
        return not casting_cues(quote) and self.tells_plot(quote, as_of)

    def _character_acts(self, sentence: str) -> bool:
        """A character does something, and the sentence is not casting an actor as them (a casting
        word with nobody cast is not a casting: "Du-seok playing old recordings")."""
        if self.roles is None or not self.roles.search(sentence):
            return False
        cues = casting_cues(sentence)
        if any(cue.kind != "new" for cue in cues) or (cues and self.cast.claims(sentence)):
            return False  # "Nam-ra and Su-hyeok are coming back": who is in it, not what happens
        if any(_PAST_TENSE.match(sentence, role.end()) for role in self.roles.finditer(sentence)):
            return False  # "Gwi-nam was the scariest villain": Season 1, remembered
        if all(_PICTURED.search(sentence[: role.start()]) for role in self.roles.finditer(sentence)):
            return False
        if self.actors is None or not self.actors.search(sentence):
            return True
        if any(
            _ROLE_ACTS.match(sentence, role.end()) and _POSSESSIVE_END.search(sentence, 0, role.start())
            for role in self.roles.finditer(sentence)
        ):
            return True
        # "Cho Yi-hyun said Nam-ra must…" tells; "Lee Min-jae's Yong Ma-ru" only names a role.
        for actor in self.actors.finditer(sentence):
            for role in self.roles.finditer(sentence):
                between = sentence[min(actor.end(), role.end()) : max(actor.start(), role.start())]
                if not _SPEECH.search(between):
                    return False
        return True


def _firmer(known: CastClaim | None, claim: CastClaim) -> CastClaim:
    """One claim per person per article: a firm status beats a rumor; the first role named stays."""
    if known is None:
        return claim
    status = claim.status if known.status == "rumored" and claim.status != "rumored" else known.status
    return CastClaim(known.actor, known.character or claim.character, status, known.sentence)
