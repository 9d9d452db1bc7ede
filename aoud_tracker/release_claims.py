"""Release-date claims in one sentence: which windows are the season's release, and how sure.

A time window is a release claim when the nearest cue that governs it is a release word
("premieres in", "a fall 2026 drop", "2026년 하반기 공개") rather than another event's ("filming
wraps in", "a premiere event on", "announced on"). English puts the verb before the date,
Korean after it. Windows already past on the publication date are background, unless denied.

The hedge: a denial anywhere in the sentence wins; then the studio's own credit in the
window's clause (`confirmed`); then hearsay or guesswork up to the end of that clause
(`rumored`: "insiders say", "my gut says", "could"); else the plan as stated (`expected`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from aoud_tracker.cues import HEARSAY, HEDGE, NO_RELEASE_DATE, RELEASE, rx
from aoud_tracker.findings import ReleaseClaim
from aoud_tracker.phrases import HANGUL
from aoud_tracker.windows import Window, find_windows

if TYPE_CHECKING:
    from datetime import date

    from aoud_tracker.attribution import Attribution

HEDGES: Final = ("confirmed", "expected", "rumored", "denied", "no_date")
# When one article gives a window twice, the strongest statement about it stands.
HEDGE_STRENGTH: Final = {"denied": 4, "confirmed": 3, "rumored": 2, "expected": 1, "no_date": 0}

DENIAL = rx(
    r"\bden(?:y|ies|ied|ial)\b",
    r"\bwill not happen\b",
    r"\bis off the table\b",
    r"\bdismiss(?:ed|es)?\b",
    r"\b(?:is|was|are|were) ['‘\"“]?(?:simply |flatly |completely |just )?"
    r"(?:wrong|incorrect|not true|false|untrue|baseless|groundless|inaccurate)\b",
    r"\bdr(?:ew|aws?|awing) a line\b",
    r"\bnot true\b",
    r"\bno plans? to (?:release|premiere)\b",
    r"\bwill not (?:be released|premiere|arrive)\b",
    r"\bruled out\b",
    r"\bshot down\b",
    r"\b(?:there's|there is|there’s) no way\b",
    r"\bpoured cold water\b",
    "사실무근",
    "부인",
    "사실이 아니",
    "선을 그었",
    "일축",
    "계획이 없",
)
# Cues of events other than the season's release: their dates are not release claims.
_OTHER_EVENT = rx(
    r"\b(?:teasers?|trailers?|posters?|stills|first look|footage|clips?|featurette|soundtrack|ost)\b",
    r"\b(?:premiere|launch|fan|press|screening) (?:event|party|meeting|conference|night)s?\b",
    r"\bred[- ]carpet(?: premiere| event| screening)?\b",
    r"\b(?:gala|world|vip|special|fan) premiere\b",
    r"\b(?:host|hold|stage|throw)(?:s|ed|ing)? (?:the|a|an|its) (?:[\w-]+ ){0,3}premiere\b",
    r"\b(?:showcase|press conference|fan ?meeting|fan event|screening|festival|ceremony|awards?|"
    r"expo|panel)\b",
    r"\b(?:filming|shooting|shoot|cameras?|table read|script reading|reading|casting|auditions?)\b",
    r"\bwrap(?:s|ped|ping)?\b",
    r"\b(?:post-production|post production|effects work|vfx|editing|dubbing|subtitling)\b",
    r"\b(?:renew(?:ed|al|s)?|green-?lit)\b",
    r"\b(?:premiered|debuted|aired|was released|were released|came out|launched)\b",
    "공개된 (?:이후|뒤|후)",
    "공개됐",
    "공개돼",
    "방영됐",
    "촬영",
    "크랭크인",
    "크랭크업",
    "대본 리딩",
    "제작발표회",
    "쇼케이스",
    "시상식",
    "티저",
    "예고편",
    "포스터",
    "팬미팅",
    "시사회",
    "레드카펫",
    "행사",
)
# "Netflix confirmed on November 18 that…": the date of the announcement, not of the release.
_ANNOUNCED_ON = re.compile(
    r"\b(?:announced|announces|confirmed|confirms|revealed|said|says|reported|told|shared|posted|stated|"
    r"unveiled|wrote|added|noted)(?:\s+(?:it|this|the news|officially|publicly|first|late|early|earlier))?"
    r"\s+(?:on|in|last|this|earlier)\s*$",
    re.IGNORECASE,
)
# "Reports had pointed to 2026", "last year some sites said early 2024": rumours retold, not made.
_RETOLD = rx(
    r"\bhad (?:been )?"
    r"(?:pointed|rumou?red|reported|suggested|claimed|speculated|said|tipped|predicted|guessed|pencil+ed)\b",
    r"\b(?:earlier|previous|past|old|original|initial) "
    r"(?:reports?|rumou?rs?|predictions?|guesses|speculation)\b",
    r"\blast (?:year|month|spring|summer|fall|autumn|winter)\b[^.]*"
    r"\b(?:said|reported|claimed|predicted|guessed|suggested|pointed|tipped|speculated)\b",
)
# "still hasn't started filming, ruling out a late 2024 release": the window after it is denied.
_RULING_OUT = re.compile(r"\brul(?:e|es|ed|ing) out\s+(?:(?:a|an|the|any)\s+)?$", re.IGNORECASE)
# "in early 2027 rather than in the second half of 2026": the second window is ruled out, not claimed.
_RATHER_THAN = re.compile(r"\b(?:rather than|instead of|not)\s+(?:in\s+|for\s+|on\s+)?$", re.IGNORECASE)
# "the teaser could drop", "the trailer for Season 2 will be released", "poster released on": a
# media noun as the verb's subject, with at most its "for/of …" and auxiliaries in between.
_MEDIA_SUBJECT = re.compile(
    r"\b(?:teasers?|trailers?|posters?|stills|first look|footage|clips?|featurette|soundtrack|ost|single)\b"
    r"(?:\s+(?:for|of)\s+[^.]*?)?"
    r"(?:\s+(?:could|will|would|may|might|should|is|are|was|were|has|have|had|been|be|being|finally|"
    r"reportedly|also|officially|set to|expected to|likely to|due to|to))*\s*$"
    r"|(?:티저|예고편|포스터)(?![^.]*시즌)[^.]*$",
    re.IGNORECASE,
)
_SUBJECT_REACH: Final = 60
_AFTER_REACH: Final = (
    40  # English names the event after the date only close by: "March 5 as the premiere date"
)
# "That makes a 2023 premiere unlikely": a window doubted is not claimed.
_DOUBT = rx(r"\bunlikely\b", r"\bimprobable\b", r"\ba stretch\b", r"\bdoubtful\b", r"\bno chance\b")
# Where a retold rumour stops and the news starts: "Reports had pointed to 2026, but Netflix now says…"
_CONTRAST = re.compile(r"\b(?:but|however|now|this week|today|instead)\b", re.IGNORECASE)
# "It's February 2024, so the early-2024 crowd was wrong about the release date": the topic, not a claim.
_DATE_TALK = rx(r"\b(?:release|premiere|launch) (?:date|window)s?\b", "공개 ?(?:일|시기|시점|날짜)")
_DATELINE = re.compile(r"^\s*[A-Z][A-Z .]{2,},\s*$")
_CLAUSE_BREAK = re.compile(
    r"[;:—–]|,?\s+(?:but|though|although|while|whereas|depending on|because|since|once|after|before)\b"
    r"|,\s+(?:and|with|yet|so)\b",
    re.IGNORECASE,
)
_SEASON_NUMBER = re.compile(
    r"\bseason (?P<digit>\d+)\b|\b(?P<word>first|second|third|fourth|fifth|sixth) season\b"
    r"|시즌 ?(?P<korean>\d+)",
    re.IGNORECASE,
)
_ORDINAL_WORDS: Final = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6}
_RIGHT_AFTER: Final = 3  # "a fall 2026 release": the cue follows the window within a space or two


@dataclass(frozen=True)
class ReleaseReading:
    """What one sentence says about the release: its claims, and whether it talks about the date."""

    claims: list[ReleaseClaim]
    talk: bool


@dataclass(frozen=True)
class _Cue:
    start: int
    end: int
    is_release: bool


class ReleaseClaimFinder:
    """Release claims for one topic's season, sentence by sentence."""

    def __init__(self, attribution: Attribution, season: int) -> None:
        self.attribution = attribution
        self.season = season

    def read(self, sentence: str, as_of: date, official_source: bool) -> ReleaseReading:
        """Release windows claimed in one sentence, its "no release date yet", and whether it
        talks about the release date without claiming one (a rumour retold or doubted)."""
        windows = find_windows(sentence, as_of)
        denied = bool(windows) and DENIAL.search(sentence) is not None  # it only judges windows
        claims, talk = [], False
        for window in windows:
            if window.end < as_of and not denied:
                continue
            verdict = self.judge(sentence, window)
            talk = talk or verdict == "talk"
            if verdict == "claim":
                ruled_out = _RULING_OUT.search(sentence[: window.offset]) is not None
                hedge = self.hedge(sentence, window, official_source, denied or ruled_out)
                claims.append(
                    ReleaseClaim(window.start, window.end, window.precision, hedge, window.phrase, sentence)
                )
        if no_date := NO_RELEASE_DATE.search(sentence):
            claims.append(ReleaseClaim(None, None, None, "no_date", no_date.group(0), sentence))
        return ReleaseReading(claims, talk)

    def judge(self, sentence: str, window: Window) -> str:
        """ "claim" when the window is the season's release as the sentence states it; "talk" when
        it is a release window retold ("reports had pointed to 2026"), doubted ("a 2023 premiere
        is unlikely") or ruled out ("rather than in 2026"); "other" for another event's date."""
        before = sentence[: window.offset]
        if (
            _ANNOUNCED_ON.search(before)
            or _DATELINE.match(before)
            or self._other_season(_clause(sentence, window))
        ):
            return "other"
        cue = _governing_cue(_cues(sentence), window, korean=bool(HANGUL.search(sentence)))
        if cue is None or not cue.is_release:
            return "talk" if _DATE_TALK.search(sentence) else "other"
        contrasts = [m.end() for m in _CONTRAST.finditer(before)]
        retold = _RETOLD.search(before[contrasts[-1] if contrasts else 0 :])
        if retold or _RATHER_THAN.search(before) or _DOUBT.search(_clause(sentence, window)):
            return "talk"
        return "claim"

    def hedge(self, sentence: str, window: Window, official_source: bool, denied: bool) -> str:
        """denied, confirmed, rumored or expected, for one window of the sentence."""
        if denied:
            return "denied"
        korean = bool(HANGUL.search(sentence))
        own_clause = sentence if korean else _clause(sentence, window)
        if official_source or self.attribution.official(own_clause):
            return "confirmed"
        said_so_far = sentence if korean else sentence[: _clause_end(sentence, window)]
        if HEDGE.search(said_so_far) or HEARSAY.search(said_so_far):
            return "rumored"
        return "expected"

    def _other_season(self, clause: str) -> bool:
        """True when the clause numbers a season and none of its numbers is the tracked one."""
        numbers = {_season_number(m) for m in _SEASON_NUMBER.finditer(clause)}
        return bool(numbers) and self.season not in numbers


def strongest(claims: list[ReleaseClaim]) -> list[ReleaseClaim]:
    """One claim per window (and one "no date"), keeping the strongest hedge, in first-seen order."""
    kept: dict[tuple[date | None, date | None, str | None], ReleaseClaim] = {}
    for claim in claims:
        key = (claim.start, claim.end, claim.precision)
        if key not in kept or HEDGE_STRENGTH[claim.hedge] > HEDGE_STRENGTH[kept[key].hedge]:
            kept[key] = claim if key not in kept else _replace_hedge(kept[key], claim.hedge)
    return list(kept.values())


def _replace_hedge(claim: ReleaseClaim, hedge: str) -> ReleaseClaim:
    return ReleaseClaim(claim.start, claim.end, claim.precision, hedge, claim.phrase, claim.sentence)


def _season_number(match: re.Match[str]) -> int:
    if match.group("word"):
        return _ORDINAL_WORDS[match.group("word").lower()]
    return int(match.group("digit") or match.group("korean"))


def _cues(sentence: str) -> list[_Cue]:
    """Release and other-event cues; where they overlap ("premiere event") the other event wins.

    A release verb whose subject is a trailer or a poster ("the teaser could drop") is the
    release of that, not of the season.
    """
    others = [_Cue(m.start(), m.end(), False) for m in _OTHER_EVENT.finditer(sentence)]
    cues = list(others)
    for m in RELEASE.finditer(sentence):
        if any(o.start < m.end() and m.start() < o.end for o in others):
            continue
        subject = _MEDIA_SUBJECT.search(sentence[max(0, m.start() - _SUBJECT_REACH) : m.start()])
        cues.append(_Cue(m.start(), m.end(), subject is None))
    return sorted(cues, key=lambda cue: cue.start)


def _governing_cue(cues: list[_Cue], window: Window, *, korean: bool) -> _Cue | None:
    """The cue a window belongs to: one right after it, else the nearest on the language's side."""
    window_end = window.offset + len(window.phrase)
    right_after = [c for c in cues if window_end <= c.start <= window_end + _RIGHT_AFTER]
    if right_after and not korean:
        return right_after[0]
    before = [c for c in cues if c.start < window.offset and c.end <= window_end]  # "slated for 2026"
    after = [c for c in cues if c.start >= window_end and (korean or c.start <= window_end + _AFTER_REACH)]
    nearest_before = before[-1] if before else None
    nearest_after = after[0] if after else None
    first, second = (nearest_after, nearest_before) if korean else (nearest_before, nearest_after)
    return first or second


def _clause_start(sentence: str, window: Window) -> int:
    breaks = [m.end() for m in _CLAUSE_BREAK.finditer(sentence, 0, window.offset)]
    return breaks[-1] if breaks else 0


def _clause_end(sentence: str, window: Window) -> int:
    following = _CLAUSE_BREAK.search(sentence, window.offset + len(window.phrase))
    return following.start() if following else len(sentence)


def _clause(sentence: str, window: Window) -> str:
    """The clause holding the window: between the conjunctions or semicolons around it."""
    return sentence[_clause_start(sentence, window) : _clause_end(sentence, window)]
