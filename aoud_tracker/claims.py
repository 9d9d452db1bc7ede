"""Claims in an article: release windows with their hedge, cast members with their status, plot lines.

Pure. Each claim keeps the sentence it came from. A release claim needs a release word and a
time window in one sentence about what is still to come; dates of other events (Season 1's
premiere, the filming start, an awards night) are not release claims. Names are matched with
every spelling the topic file lists and reported under their canonical form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Final, TypeVar

from aoud_tracker.cues import (
    HEDGE,
    NO_DETAILS,
    NO_RELEASE_DATE,
    NO_SPOILER,
    PAST_RELEASE,
    PLOT,
    RELEASE,
    SPOILER,
    looks_back,
    rx,
)
from aoud_tracker.phrases import phrase_pattern, split_sentences
from aoud_tracker.tagging import Tagger
from aoud_tracker.windows import find_windows

if TYPE_CHECKING:
    from aoud_tracker.topic import Person, Topic

Claim = TypeVar("Claim", "ReleaseClaim", "CastClaim")
HEDGES: Final = ("confirmed", "expected", "rumored", "denied", "no_date")
CAST_STATUSES: Final = ("returning", "new", "leaving", "rumored")

_DENIAL = rx(
    r"\bden(?:y|ies|ied)\b",
    r"\bunlikely\b",
    r"\bwill not happen\b",
    r"\bis off the table\b",
    r"\bdismiss(?:ed|es)?\b",
    r"\b(?:is|was|are) (?:not|false|untrue)\b",
    r"\bno plans? to (?:release|premiere)\b",
    r"\bwill not (?:be released|premiere|arrive)\b",
    r"\bruled out\b",
    r"\bshot down\b",
    "사실무근",
    "부인",
    "사실이 아니",
    "계획이 없",
)
_LEAVING = rx(
    r"\bwill not return\b",
    r"\bwon't return\b",
    r"\bnot (?:be )?returning\b",
    r"\bdrop(?:ped|s)? out\b",
    r"\bexit(?:s|ed)?\b",
    r"\bleav(?:es|ing)\b",
    r"\bleft the (?:cast|project|series)\b",
    r"\bwithdr[ae]w\b",
    r"\bpulled out\b",
    r"\bstep(?:s|ped)? (?:down|away)\b",
    r"\bdeparture\b",
    r"\bnot part of\b",
    "하차",
    "불발",
    "출연하지 않",
    "합류하지 않",
    "빠진다",
    "빠졌",
)
_RUMORED_CAST = rx(
    r"\breportedly\b",
    r"\brumou?red?\b",
    r"\bin talks\b",
    r"\bin negotiations\b",
    r"\bnegotiating\b",
    r"\bconsidering\b",
    r"\boffered\b",
    r"\bspeculat",
    r"\bcould\b",
    r"\bmight\b",
    r"\bmay\b",
    r"\bunconfirmed\b",
    r"\binsiders?\b",
    r"\bsources? (?:say|said|claim)",
    r"\bis said to\b",
    r"\bare said to\b",
    r"\blinked to\b",
    r"\btipped\b",
    r"\bexpected to\b",
    "검토",
    "물망",
    "알려졌다",
    "전해졌다",
    "제안",
    "논의",
)
_RETURNING = rx(
    r"\breturn(?:s|ing)?\b",
    r"\bback (?:as|for|from)\b",
    r"\breprise",
    r"\bcome(?:s)? back\b",
    r"\bis back\b",
    r"\bare back\b",
    r"\bagain as\b",
    "복귀",
    "돌아온",
    "다시",
    "재출연",
    "이어간다",
)
_NEW = rx(
    r"\bjoin(?:s|ed|ing)?\b",
    r"\bcast as\b",
    r"\bnew(?:comer| face| cast| addition)s?\b",
    r"\badded to\b",
    r"\bwill play\b",
    r"\bplays\b",
    r"\bboard(?:s|ed)?\b",
    r"\bsigned on\b",
    r"\btakes? on the role\b",
    r"\bnew role\b",
    "합류",
    "캐스팅",
    "새롭게",
    "새 얼굴",
    "출연 확정",
    "역을 맡",
)
_UNKNOWN_NEWCOMER = re.compile(
    r"\b(?P<name>[A-Z][a-z]+(?: [A-Z][a-z]+(?:-[a-z]+)?){1,2})\s*(?:,[^,]{1,60},\s*)?"
    r"(?:joins the cast|has joined the cast|has been cast|is cast|was cast|will play|boards the)"
    r"(?:\s+as\s+(?P<role>[A-Z][a-z]+(?: [A-Z][a-z]+(?:-[a-z]+)?){0,2}))?"
)
_AS_ROLE = re.compile(
    r"\s*(?:\(|,)?\s*(?:as|playing|who plays|in the role of)\s+"
    r"(?P<role>[A-Z][\w'-]+(?:[- ][A-Z][\w'-]+){0,2})"
)
_KOREAN_ROLE = re.compile(r"\s*\(?\s*(?P<role>[\uac00-\ud7a3]{2,4})\s*(?:역|役)")
_ROLE_NOUN = re.compile(r"^(?:(?:Newcomer|Rookie|Actor|Actress|Singer|Star|Idol|Model|Veteran|Comedian) )+")
# "Netflix confirmed on November 18 that…", "SEOUL, November 18, 2026 -": the date of the
# announcement or the dateline, not of the release.
_ANNOUNCED_ON = re.compile(
    r"\b(?:announced|confirmed|revealed|said|reported|told|shared|posted|stated|unveiled|released|wrote|added)"
    r"(?:\s+\w+){0,2}\s+(?:on|in|last)\s*$",
    re.IGNORECASE,
)
_DATELINE = re.compile(r"^\s*[A-Z][A-Z .]{2,},\s*$")
# "The teaser could drop in December": the release of something else than the season.
_OTHER_RELEASE = rx(
    r"\b(?:teasers?|trailers?|posters?|ost|soundtrack|single|album|webtoon|book|photos?|stills|first look|"
    r"clip|featurette|merch(?:andise)?|game)\b",
    "티저",
    "예고편",
    "포스터",
    "스틸",
    "음원",
)
_SEASON_RELEASE = rx(
    r"\bpremiere",
    r"\b(?:season|series|show|drama)\b[^.]{0,40}\b(?:release|arrive|debut|return|launch)",
    "시즌 ?2[가이는]? ?[^.]{0,20}공개",
)
_SPOILER_EVENT = rx(
    r"\bdies\b",
    r"\bkilled\b",
    r"\bdeath of\b",
    r"\bsacrific",
    r"\bthe finale reveals\b",
    r"\bin the end\b",
    "죽음",
    "사망",
)


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


class ClaimExtractor:
    """Claims for one topic; build once per crawl, call per article."""

    def __init__(self, topic: Topic, tagger: Tagger | None = None) -> None:
        self.tagger = tagger or Tagger(topic)
        self.cast = topic.cast
        self.actor_of = {_fold(name): person for person in topic.cast for name in person.names}
        self.role_of = {_fold(name): person for person in topic.cast for name in person.character_names}
        self.actors = phrase_pattern([name for person in topic.cast for name in person.names])
        self.roles = phrase_pattern([name for person in topic.cast for name in person.character_names])

    def extract(self, title: str, body: str, as_of: date, *, official_source: bool = False) -> Claims:
        """Every claim in the headline and body, in reading order."""
        sentences = [s for s in [title, *split_sentences(body)] if s]
        spoiler_article = any(SPOILER.search(s) and not NO_SPOILER.search(s) for s in sentences)
        releases: list[ReleaseClaim] = []
        cast: list[CastClaim] = []
        plot: list[PlotClaim] = []
        for sentence in sentences:
            releases += self.release_claims(sentence, as_of, official_source)
            cast += self.cast_claims(sentence)
            if (
                PLOT.search(sentence)
                and not looks_back(sentence, as_of.year)
                and not NO_DETAILS.search(sentence)
            ):
                plot.append(PlotClaim(sentence, spoiler_article or bool(_SPOILER_EVENT.search(sentence))))
        return Claims(tuple(_unique(releases)), tuple(_unique(cast)), tuple(plot))

    # ---- release dates ---------------------------------------------------------------------

    def release_claims(self, sentence: str, as_of: date, official_source: bool) -> list[ReleaseClaim]:
        """Release windows stated in one sentence (or its "no date yet")."""
        if not RELEASE.search(sentence):
            return []
        if _OTHER_RELEASE.search(sentence) and not _SEASON_RELEASE.search(sentence):
            return []
        hedge = self.hedge(sentence, official_source)
        windows = [
            w for w in find_windows(sentence, as_of)
            if (w.end >= as_of or hedge == "denied")
            and not _ANNOUNCED_ON.search(sentence[: w.offset]) and not _DATELINE.match(sentence[: w.offset])
        ]  # fmt: skip
        if looks_back(sentence, as_of.year) and not any(w.start.year > as_of.year for w in windows):
            windows = []
        claims = [ReleaseClaim(w.start, w.end, w.precision, hedge, w.phrase, sentence) for w in windows]
        if NO_RELEASE_DATE.search(sentence) and not claims:
            match = NO_RELEASE_DATE.search(sentence)
            return [ReleaseClaim(None, None, None, "no_date", match.group(0) if match else "", sentence)]
        if NO_RELEASE_DATE.search(sentence):
            claims = [c for c in claims if c.hedge != "confirmed"]  # "no date yet, but insiders expect…"
        return claims

    def hedge(self, sentence: str, official_source: bool) -> str:
        """How sure the sentence is: denied, confirmed, rumored or expected."""
        if _DENIAL.search(sentence):
            return "denied"
        if HEDGE.search(sentence):
            return "rumored"
        if official_source or self.tagger.attributes(sentence):
            return "confirmed"
        return "expected"  # "will premiere in…", "is slated for…": stated, not attributed

    # ---- cast ------------------------------------------------------------------------------

    def cast_claims(self, sentence: str) -> list[CastClaim]:
        """Who the sentence says is in or out of the season."""
        if PAST_RELEASE.search(sentence) and not (_NEW.search(sentence) or _RETURNING.search(sentence)):
            return []
        mentions = [
            (m.start(), m.end(), self.actor_of[_fold(m.group(0))]) for m in self._actor_matches(sentence)
        ]
        claims = []
        for index, (begin, end, person) in enumerate(mentions):
            following = mentions[index + 1][0] if index + 1 < len(mentions) else len(sentence)
            status = self.status(sentence, person, begin, end)
            if status is None:
                continue
            claims.append(
                CastClaim(person.name, self.character(sentence[end:following], person), status, sentence)
            )
        named = {c.actor.lower() for c in claims}
        for match in _UNKNOWN_NEWCOMER.finditer(sentence):
            name = _ROLE_NOUN.sub("", match.group("name"))
            if (
                name.lower() not in named
                and _fold(name) not in self.actor_of
                and _fold(name) not in self.role_of
            ):
                status = "rumored" if _RUMORED_CAST.search(sentence) else "new"
                claims.append(CastClaim(name, match.group("role"), status, sentence))
        return claims

    def _actor_matches(self, sentence: str) -> list[re.Match[str]]:
        return (
            [m for m in self.actors.finditer(sentence) if _fold(m.group(0)) in self.actor_of]
            if self.actors
            else []
        )

    def status(self, sentence: str, person: Person, at: int = 0, end: int | None = None) -> str | None:
        """The status the sentence gives the person mentioned at sentence[at:end], or None.

        The verb that governs a name is the first status cue after it ("A, B and C return"),
        else the nearest before it ("Joining them are A as X, B as Y"); a hedge anywhere in the
        sentence makes a joining or return only rumored.
        """
        end = at if end is None else end
        cues = sorted(
            (m.start(), kind)
            for kind, pattern in (("leaving", _LEAVING), ("returning", _RETURNING), ("new", _NEW))
            for m in pattern.finditer(sentence)
        )
        after = [kind for position, kind in cues if position >= end]
        before = [kind for position, kind in cues if position < at]
        kind = (
            after[0] if after else (before[-1] if before else ("role" if self._as_a_role(sentence) else None))
        )
        if kind is None:
            return None
        if kind == "leaving":
            return "leaving"
        if _RUMORED_CAST.search(sentence):
            return "rumored"
        if kind == "returning":
            return "returning"
        if kind == "new":
            return "returning" if person.status == "returning" else "new"
        return person.status if person.status in ("returning", "new") else "new"

    def _as_a_role(self, sentence: str) -> bool:
        return (
            self.roles is not None
            and bool(re.search(r"\b(?:as|역)\b|역", sentence))
            and bool(self.roles.search(sentence))
        )

    def character(self, after_name: str, person: Person) -> str | None:
        """The role named right after the actor ("as Han Du-seok", "(한두석 역)"), canonical if known."""
        match = _AS_ROLE.match(after_name) or _KOREAN_ROLE.match(after_name)
        if match:
            role = match.group("role")
            known = self.role_of.get(_fold(role))
            return known.character if known else role
        if self.roles is not None and (hit := self.roles.search(after_name[:40])):
            return self.role_of[_fold(hit.group(0))].character
        return None


def _fold(name: str) -> str:
    return " ".join(re.split(r"[\s\-‐–_]+", name.strip())).lower()


def _unique(claims: list[Claim]) -> list[Claim]:
    return list(dict.fromkeys(claims))
