"""Cast claims in one sentence: who is said to be in (or out of) the season, as what, how surely.

Known people are matched with every spelling the topic file lists and reported under their
canonical name; an unknown name counts only next to a casting verb ("X joins the cast as",
"X has been cast", "배우 X이 … 합류"). Each name takes the status of the verb that governs it:
a verb fused to it in Korean ("하차한 공태림"), else the first verb after it ("A, B and C return"),
else the nearest before it ("Joining them are A as X"). A hedge anywhere in the sentence makes
a joining or a return only rumored; leaving stays leaving ("will not return, ending
speculation…").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Final

from aoud_tracker.cues import HEDGE, PAST_RELEASE, rx
from aoud_tracker.findings import CastClaim
from aoud_tracker.phrases import HANGUL, phrase_cue, phrase_pattern
from aoud_tracker.prefilter import Cue
from aoud_tracker.topic import Person

if TYPE_CHECKING:
    from collections.abc import Sequence

    from aoud_tracker.topic import Topic

# Kinds of cue, strongest first: where two overlap ("출연하지 않" inside "출연") the first wins.
_KIND_CUES: Final = (
    (
        "leaving",
        rx(
            r"\bwill not (?:return|appear|be back|be returning)\b",
            r"\bwon't (?:return|appear|be back)\b",
            r"\bnot (?:be )?(?:returning|appearing|coming back)\b",
            r"\bdrop(?:ped|s)? out\b",
            r"\bexit(?:s|ed)?\b",
            r"\bleav(?:es|ing)\b",
            r"\bleft the (?:cast|project|series|show|production|drama)\b",
            r"\bwithdr[ae]w\b",
            r"\bpulled out\b",
            r"\bquit(?:s)?\b",
            r"\bstep(?:s|ped)? (?:down|away)\b",
            r"\bdeparture\b",
            r"\bnot (?:be |being )?part of\b",
            r"\b(?:is|are|was|were|will be) not in (?:season|the (?:new |second |next )?season|s\d)\b",
            "하차",
            "불발",
            "출연하지 않",
            "합류하지 않",
            "함께하지 않",
            "빠진다",
            "빠졌",
        ),
    ),
    (
        "returning",
        rx(
            r"\breturn(?:s|ing)?\b(?! cast| members?| stars?| faces?| players?)",
            r"\bback (?:as|for|from|in)\b",
            r"\bis back\b",
            r"\bare back\b",
            r"\breprise",
            r"\b(?:come|comes|coming) back\b",
            r"\bbe back\b",
            r"\bbring(?:s|ing)? back\b",
            r"\b(?:again|once more|once again) (?:as|play|plays|playing|portray|star)",
            r"\bwill again\b",
            r"\breunit",
            "복귀",
            "돌아온",
            "돌아와",
            "다시",
            "재출연",
            "이어간다",
        ),
    ),
    (
        "new",
        rx(
            r"\bjoin(?:s|ed|ing)?\b",
            r"\b(?:been|was|is|were|be|gets?|got) cast\b",
            r"\bcast as\b",
            r"\bnew(?:comer| face| cast| addition)s?\b",
            r"\badditions? to the cast\b",
            r"\badded to\b",
            r"\bwill play\b",
            r"\bplays\b",
            r"\bplaying\b",
            r"\bboard(?:s|ed)?\b",
            r"\bsigned on\b",
            r"\btapped\b",
            r"\btak(?:es|ing) (?:on|over) the role\b",
            r"\breplac(?:es|ing)\b",
            r"\bnew role\b",
            r"\bcameo\b",
            r"\bappearance in\b",
            "합류",
            "캐스팅",
            "새롭게",
            "새로(?!운)",
            "새 얼굴",
            "출연",
            "역을 맡",
            "함께",
            "대신해",
        ),
    ),
)
# Talk of a casting rather than a casting: "in talks", "reviewing the offer", "검토 중".
_RUMORED = rx(
    r"\bin talks\b",
    r"\bin negotiations?\b",
    r"\bnegotiat",
    r"\bconsider(?:ing|ed)\b",
    r"\boffered\b",
    r"\breview(?:ing|s)?\b",
    r"\bdiscuss",
    r"\beye(?:d|ing)\b",
    r"\bapproached\b",
    r"\bexpected to (?:return|reprise|join|appear|be (?:back|cast|in)|play|star|come back|include|feature)\b",
    r"\bwould (?:return|reprise|join|play|appear|be back|be cast)\b",
    r"\bis said to\b",
    r"\bare said to\b",
    r"\blinked to\b",
    r"\btipped\b",
    r"\bfrontrunner\b",
    "검토",
    "물망",
    "제안",
    "논의",
)
# "The series starred Park Ji-hu as Nam On-jo": who played whom, told as history.
_PAST_CASTING = rx(
    r"\bstarred\b",
    r"\bplayed\b",
    r"\bportrayed\b",
    r"\blooking back\b",
    r"\b(?:years?|months?) ago\b",
    "출연했",
    "연기했",
)
# "조이현은 … '지금 우리 학교는'에서 최남라 역으로 눈도장을 찍었다": a role told in the past tense,
# with nobody quoted, is history.
_KOREAN_PAST_END = re.compile(r"(?:었|았|였|했|쳤|냈)다[.!]?\s*$")
_QUOTE_MARK = re.compile(r"['‘\"“]")
_NAME: Final = r"[A-Z][a-z]+(?: [A-Z][a-z]+(?:-[a-z]+)?){1,2}"
_CASTING_VERB: Final = (
    r"(?:joins? the cast|joined the cast|cast as|been cast|is cast|was cast|got cast|gets cast|been tapped|"
    r"tapped|will play|boards? the|signed on|exit(?:s|ed)?|left the (?:cast|series|show|project|production)|"
    r"drop(?:s|ped)? out|quit|withdr[ae]w|will not return|won't return)"
)
# An unknown name counts only right before a casting verb: "X, a rookie, has been cast as",
# "X is reportedly in talks to join the cast", "X's abrupt exit".
_UNKNOWN_NAME = Cue(
    re.compile(
        rf"\b(?P<name>{_NAME})(?:'s\s+(?:[a-z]+\s+){{0,2}}(?:exit|departure)\b"
        rf"|(?:,\s+(?!and\b|or\b)[^,.]{{1,60}},)?,?\s+(?:who\s+)?"
        r"(?:(?:is|was|has|have|had|will|would|also|now|officially|reportedly|been|be|"
        rf"in talks to|set to|said to)\s+){{0,4}}{_CASTING_VERB})"
    )
)  # pre-tested for its casting verbs: most sentences have capitalised words and none
# "배우 은하결이", "신예 배우 표민결이" and the adnominal "하차한 공태림을": a Korean name is three
# syllables, followed by a particle.
_KOREAN_NAME = Cue(
    re.compile(
        r"(?:(?:배우|신예|신인|연기자)\s+|(?:하차한|합류한|복귀한|빠진|떠난|대신한)\s+)"
        r"(?!배우|신예|신인)(?P<name>[\uac00-\ud7a3]{3})(?=(?:이|가|은|는|도|을|를|의|과|와)?[\s,.'\"])"
    )
)
# "cast as quarantine officer Kang Do-yoon": a name right after "as" is a role, not a person.
_ROLE_BEFORE = re.compile(r"\b(?:as|role of|playing|plays)\s+(?:[a-z]+\s+){0,2}$")
# "as Han Du-seok", "cast as quarantine officer Kang Do-yoon", "will play Su-hyeok"; not "as Nam-ra's sister".
_AS_ROLE = re.compile(
    r"\b(?:as|play|plays|playing|in the role of)\s+(?:[a-z]+\s+){0,2}"
    r"(?!(?:Season|Episode|Part|Netflix|Seoul)\b)(?P<role>[A-Z][\w-]+(?:[- ][A-Z][\w-]+){0,2})(?![\w'’-])"
)
_ROLE_REACH: Final = 60  # how far after the name its role may be named
_KOREAN_ROLE = re.compile(r"\s*\(?\s*(?P<role>[\uac00-\ud7a3]{2,4})\s*(?:역|役)")
# Capitalised words that start a sentence or describe a person, not part of their name.
_ROLE_NOUN = re.compile(
    r"^(?:(?:Newcomer|Rookie|Actor|Actress|Singer|Star|Idol|Model|Veteran|Comedian|Rising|Young|Following|"
    r"After|Before|With|Meanwhile|Also|And|But|Since|Then|Now|Reportedly|Former) )+"
)
_CLAUSE_BREAK = re.compile(r";|,?\s+(?:but|though|although|while|whereas)\b", re.IGNORECASE)
_FUSED: Final = 3  # "하차한 공태림": a Korean verb fused to the name that follows it


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    name: str
    person: Person | None  # None: a name the topic file does not know


@dataclass(frozen=True)
class _Cue:
    start: int
    end: int
    kind: str


class CastClaimFinder:
    """Cast claims for one topic, sentence by sentence."""

    def __init__(self, topic: Topic) -> None:
        self.actor_of = {fold(name): person for person in topic.cast for name in person.names}
        self.role_of = {fold(name): person for person in topic.cast for name in person.character_names}
        self.not_cast = {fold(name) for person in topic.crew for name in person.names}
        self.actors = phrase_cue([name for person in topic.cast for name in person.names])

    def claims(self, sentence: str) -> list[CastClaim]:
        """Who the sentence says is in or out of the season, one claim per person."""
        mentions = self._mentions(sentence)
        if not mentions:  # most sentences name nobody: their casting verbs need not be looked for
            return []
        cues = casting_cues(sentence)
        if PAST_RELEASE.search(sentence) and not any(c.kind in ("new", "returning") for c in cues):
            return []  # Season 1 background: "In the first season, X played Y"
        korean = bool(HANGUL.search(sentence))
        claims: dict[str, CastClaim] = {}
        for index, mention in enumerate(mentions):
            status = self._status(sentence, mention, mentions, cues, korean)
            if status is None:
                continue
            following = mentions[index + 1].start if index + 1 < len(mentions) else len(sentence)
            character = self.character(sentence[mention.end : following], mention.person)
            actor = mention.person.name if mention.person else mention.name
            known = claims.get(actor)
            claims[actor] = CastClaim(
                actor,
                (known.character if known else None) or character,
                known.status if known else status,
                sentence,
            )
        return list(claims.values())

    def _mentions(self, sentence: str) -> list[_Mention]:
        known = [
            _Mention(m.start(), m.end(), m.group(0), self.actor_of[fold(m.group(0))])
            for m in (self.actors.finditer(sentence) if self.actors else ())
            if fold(m.group(0)) in self.actor_of
        ]
        unknown = [
            _Mention(m.start("name"), m.end("name"), name, None)
            for m in [*_UNKNOWN_NAME.finditer(sentence), *_KOREAN_NAME.finditer(sentence)]
            if (name := _ROLE_NOUN.sub("", m.group("name")))
            and fold(name) not in self.actor_of
            and fold(name) not in self.role_of
            and fold(name) not in self.not_cast
            and not any(k.start <= m.start("name") < k.end for k in known)
            and not _ROLE_BEFORE.search(sentence[: m.start("name")])
        ]
        return sorted(known + unknown, key=lambda mention: mention.start)

    def _status(
        self, sentence: str, mention: _Mention, mentions: list[_Mention], cues: Sequence[_Cue], korean: bool
    ) -> str | None:
        kind = _governing_kind(mention, mentions, cues, korean)
        if (
            kind is None
            and mention.person is not None
            and not _PAST_CASTING.search(sentence)
            and not (korean and _KOREAN_PAST_END.search(sentence) and not _QUOTE_MARK.search(sentence))
            and self._names_own_role(sentence, mention.person)
        ):
            kind = "role"  # "Park Ji-hu said On-jo is still…": the actor speaks as the character
        if kind is None:
            return None
        if kind == "leaving":
            return "leaving"
        clause = _clause_of(sentence, mention)
        if _RUMORED.search(clause) or HEDGE.search(clause):
            return "rumored"
        if kind == "returning":
            return "returning"
        if (
            kind == "role"
            and mention.person is not None
            and mention.person.status not in ("returning", "new")
        ):
            return "rumored"  # the topic itself only has them as rumored
        if mention.person is not None and mention.person.status == "returning":
            return "returning"  # "joins the returning cast", "함께한다": back, in other words
        return "new"

    def _names_own_role(self, sentence: str, person: Person) -> bool:
        roles = phrase_pattern(person.character_names)
        return roles is not None and roles.search(sentence) is not None

    def character(self, after_name: str, person: Person | None) -> str | None:
        """The role named right after the actor ("as Han Du-seok", "(한두석 역)"), canonical if known."""
        match = _AS_ROLE.search(after_name[:_ROLE_REACH]) or _KOREAN_ROLE.match(after_name)
        if match:
            role = match.group("role")
            known = self.role_of.get(fold(role))
            return known.character if known else role
        if person is not None and (roles := phrase_pattern(person.character_names)):
            own = roles.search(after_name[:40])
            return person.character if own else None
        return None


def _clause_of(sentence: str, mention: _Mention) -> str:
    """The part of the sentence a hedge must share with the name: "X is back; according to
    reports, his scenes are flashbacks" hedges the flashbacks, not the return."""
    start = max((m.end() for m in _CLAUSE_BREAK.finditer(sentence, 0, mention.start)), default=0)
    following = _CLAUSE_BREAK.search(sentence, mention.end)
    return sentence[start : following.start() if following else len(sentence)]


@lru_cache(maxsize=256)  # a sentence's cues are asked for by the cast claims and the plot test in turn
def casting_cues(sentence: str) -> tuple[_Cue, ...]:
    """Casting verbs in the sentence (joining, returning, leaving), in order."""
    cues: list[_Cue] = []
    for kind, pattern in _KIND_CUES:
        for m in pattern.finditer(sentence):
            if not any(c.start < m.end() and m.start() < c.end for c in cues):
                cues.append(_Cue(m.start(), m.end(), kind))
    return tuple(sorted(cues, key=lambda cue: cue.start))


def _governing_kind(
    mention: _Mention, mentions: list[_Mention], cues: Sequence[_Cue], korean: bool
) -> str | None:
    """The kind of the verb that governs one name (see the module docstring)."""

    def fused_to(cue: _Cue) -> _Mention | None:
        if not korean:
            return None
        return next((m for m in mentions if 0 <= m.start - cue.end <= _FUSED), None)

    fused = [c for c in cues if fused_to(c) is mention]
    if fused:
        return fused[-1].kind
    free = [c for c in cues if fused_to(c) is None]
    after = [c for c in free if c.start >= mention.end]
    before = [c for c in free if c.end <= mention.start]
    if after:
        return after[0].kind
    return before[-1].kind if before else None


def fold(name: str) -> str:
    """A name without case or separators, for matching spellings: "Park Ji-hu" = "park ji hu"."""
    return " ".join(re.split(r"[\s\-‐–_]+", name.strip())).lower()
