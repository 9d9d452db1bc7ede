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

from aoud_tracker.phrases import phrase_pattern, split_sentences

if TYPE_CHECKING:
    from aoud_tracker.topic import Topic

TAGS: Final = ("release_date", "cast", "plot", "production", "spoiler", "official", "rumor")
LEDE_SENTENCES: Final = 4


def _rx(*alternatives: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{a})" for a in alternatives), re.IGNORECASE)


_RELEASE = _rx(
    r"\brelease[sd]?\b",
    r"\bpremiere\b",
    r"\bpremieres\b",
    r"\bdebuts?\b",
    r"\barriv(?:e|es|ing)\b",
    r"\bhits? (?:netflix|screens)\b",
    r"\bstream(?:ing)? (?:from|on|in)\b",
    r"\bdrops?\b",
    r"\bcome out\b",
    r"\blaunch(?:es)?\b",
    r"\breturn(?:s|ing)? (?:in|on|to screens)\b",
    r"\bpremiere date\b",
    r"\brelease window\b",
    "공개",
    "방영",
    "출시",
    "편성",
)
_TIME = _rx(
    r"\b(?:january|february|march|april|june|july|august|september|october|november|december)\b",
    r"\b(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?\s+\d{1,2}\b",
    # "may" is mostly a verb: the month only next to a day or year, or after early/mid/late/in/by
    r"\bmay\s+(?:\d{1,2}\b|20\d\d)|\b\d{1,2}\s+may\b|\b(?:early|mid|late|in|by|until|from)[- ]may\b",
    r"\b20[2-3]\d\b",
    r"\b(?:spring|summer|fall|autumn|winter)\b",
    r"\b(?:first|second) half\b",
    r"\bq[1-4]\b",
    r"\b(?:later|early|earlier|next|this) (?:this )?year\b",
    r"\bnext month\b",
    r"\bholiday season\b",
    r"\d{4}년",
    r"\d{1,2}월",
    "상반기",
    "하반기",
    "내년",
    "연내",
    "올해",
)
# "No release date has been set (but filming wrapped in July)": the time is another event's.
_NO_RELEASE_DATE = _rx(
    r"\bno (?:official )?(?:release|premiere) date\b",
    r"\b(?:release|premiere) date (?:has|have|is|was) (?:not|yet to)\b",
    r"\b(?:has|have|had) (?:not|yet to) (?:set|announce|confirm|reveal|give|share)"
    r"[^.]*\b(?:release|premiere) date\b",
    r"\bhasn't (?:set|announced|confirmed|revealed)[^.]*\b(?:release|premiere) date\b",
    "공개일(?:은|을|이)? (?:아직|미정)",
)
_EXPECTATION = _rx(
    r"\bexpected\b",
    r"\blikely\b",
    r"\bcould\b",
    r"\btipped\b",
    r"\brumou?red\b",
    r"\bslated\b",
    r"\baim(?:s|ing)? for\b",
    r"\btarget(?:s|ing)?\b",
    r"\bpegged\b",
    "예정",
    "유력",
    "전망",
)
_PAST_RELEASE = _rx(
    r"\b(?:premiered|debuted|was released|were released|first aired|came out|dropped) (?:on|in)\b",
    r"\bsince its (?:premiere|debut|release)\b",
    r"\b(?:season (?:1|one)|first season)\b",
    "시즌1",
    "시즌 1",
    "지난",
    "공개된 이후",
    "공개돼",
    "공개됐",
)
_FIRST_SEASON = _rx(r"\b(?:season (?:1|one)|first season)\b", "시즌 ?1(?!\\d)")
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
_CASTING = _rx(
    r"\breturn(?:s|ing)?\b",
    r"\breprise",
    r"\bjoin(?:s|ed|ing)?\b",
    r"\bcast (?:as|in)\b",
    r"\bcasting\b",
    r"\bnew cast\b",
    r"\b(?:cast )?line-?up\b",
    r"\bwill (?:play|portray|star)\b",
    r"\bset to (?:play|star|appear|return)\b",
    r"\bback as\b",
    r"\btakes? on the role\b",
    r"\b(?:plays|portrays|playing|portraying)\b",
    r"\bconfirmed to (?:appear|return)\b",
    r"\bback (?:from|for|as)\b",
    r"\bdrop(?:s|ped)? out\b",
    r"\bexit(?:s|ed)?\b",
    r"\bnewcomers?\b",
    "출연",
    "합류",
    "캐스팅",
    "복귀",
)
_PLOT = _rx(
    r"\bsynopsis\b",
    r"\blogline\b",
    r"\bplot\b",
    r"\bstoryline\b",
    r"\bwill (?:follow|focus|center|centre|explore|see|find|face|depict|pick up)\b",
    r"\bpicks? up\b",
    r"\bthis time\b",
    r"\bnew (?:wave|threat|outbreak|setting)\b",
    r"\bnow a (?:university|college)\b",
    "줄거리",
    "시놉시스",
    "그릴 예정",
    "펼쳐",
    "담을 예정",
)
_NO_DETAILS = _rx(
    r"\bno (?:details|word|information)\b",
    r"\b(?:did|does|has) not (?:say|share|reveal|give)\b",
    r"\bunder wraps\b",
    r"\byet to (?:reveal|share)\b",
    "알려지지 않았",
    "밝히지 않았",
    "공개되지 않았",
)
_PLAIN_CAST_BACKGROUND = _rx(r"\bstar(?:s|red|ring)\b", r"\bplayed\b", r"\bportrayed\b")
_PRODUCTION = _rx(
    r"\brenew(?:ed|al|s)?\b",
    r"\bgreen-?lit\b",
    r"\btable read\b",
    r"\bscript reading\b",
    r"\bfilming\b",
    r"\bshooting\b",
    r"\bwrapped\b",
    r"\bwraps?\b",
    r"\bin production\b",
    r"\bpre-?production\b",
    r"\bproduction (?:began|begins|has begun|start)",
    r"\bwriting (?:the )?scripts?\b",
    r"\bscripts? (?:is|are|was|were) (?:being |still )?(?:written|finished|completed|done|underway)\b",
    r"\bwriting stage\b",
    r"\bcameras? (?:roll|rolling)\b",
    "촬영",
    "대본 리딩",
    "제작",
)
_SPOILER = _rx(r"\bspoilers?\b", "스포일러", "스포")
_NO_SPOILER = _rx(
    r"\bspoiler[- ]free\b",
    r"\b(?:no|without|zero|free of) spoilers?\b",
    r"\bspoilers? aside\b",
    "스포(?:일러)? ?없",
    "스포(?:일러)? ?주의 ?없",
)
_ATTRIBUTION_VERBS = (
    r"(?:officially )?(?:announced|confirmed|revealed|unveiled|released|shared|said|dropped)"
    r"|has (?:officially )?(?:confirmed|announced)"
)
_ATTRIBUTION = _rx(
    r"\bofficially (?:announced|confirmed)\b",
    r"\bofficial(?:ly)? announce",
    r"\bin a (?:press release|statement)\b",
    r"\bpress release\b",
    r"공식 (?:발표|확정|입장을 밝|공개)",
)
_HEDGE = _rx(
    r"\breportedly\b",
    r"\brumou?r",
    r"\binsiders?\b",
    r"\bis expected to\b",
    r"\bare expected to\b",
    r"\bcould\b",
    r"\bmight\b",
    r"\bspeculat",
    r"\bindustry sources?\b",
    r"\bunconfirmed\b",
    r"\ballegedly\b",
    r"\bsources (?:say|said|claim)",
    r"\bleak",
    "알려졌다",
    "전해졌다",
    "관계자에 따르면",
)


def _looks_back(sentence: str, year: int) -> bool:
    """True when a sentence is about the past: only past years, or a past-release phrase."""
    years = [int(y) for y in _YEAR.findall(sentence)]
    if years and max(years) > year:
        return False  # a year still ahead is a claim about the future
    if years and max(years) < year:
        return True
    return _PAST_RELEASE.search(sentence) is not None


def _about_first_season(sentence: str, year: int) -> bool:
    """True for background on the first season: it names season 1, or only years long past.

    Production news is told in the past tense ("filming began in July 2025"), so only years
    before last year count as background.
    """
    if _FIRST_SEASON.search(sentence):
        return True
    years = [int(y) for y in _YEAR.findall(sentence)]
    return bool(years) and max(years) < year - 1


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
                rf"\b(?:{studios})\b(?:'s?)?\s+(?:{_ATTRIBUTION_VERBS})\b|\baccording to (?:{studios})\b"
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
        earns = self._attributes if stance == "official" else _HEDGE.search
        evidence[stance] = next((s for s in sentences if earns(s)), title)
        return Tagging(tuple(t for t in TAGS if t in evidence), evidence)

    def _sentence_tags(self, sentence: str, year: int) -> list[str]:
        tags = []
        looks_back = _looks_back(sentence, year)
        if _RELEASE.search(sentence) and _TIME.search(sentence) and not looks_back and self._dated(sentence):
            tags.append("release_date")
        if self._names_cast(sentence):
            tags.append("cast")
        if _PLOT.search(sentence) and not looks_back and not _NO_DETAILS.search(sentence):
            tags.append("plot")
        if _PRODUCTION.search(sentence) and not _about_first_season(sentence, year):
            tags.append("production")
        if _SPOILER.search(sentence) and not _NO_SPOILER.search(sentence):
            tags.append("spoiler")
        return tags

    @staticmethod
    def _dated(sentence: str) -> bool:
        """False when the sentence says there is no release date and expects none either."""
        return not _NO_RELEASE_DATE.search(sentence) or _EXPECTATION.search(sentence) is not None

    def _names_cast(self, sentence: str) -> bool:
        """An actor with a casting verb, or "Actor as Character" outside a Season 1 recap."""
        if self.people is None or not self.people.search(sentence):
            return False
        if _CASTING.search(sentence):
            return True
        return (
            self.as_role is not None
            and bool(self.as_role.search(sentence))
            and not _PLAIN_CAST_BACKGROUND.search(sentence)
        )

    def _attributes(self, sentence: str) -> bool:
        """True when the sentence credits news to the studio or an official announcement."""
        by_studio = self.attribution is not None and self.attribution.search(sentence) is not None
        return by_studio or _ATTRIBUTION.search(sentence) is not None

    def _stance(self, sentences: list[str], official_source: bool) -> str:
        """official when the source is official or the lede attributes its news to the studio."""
        if official_source:
            return "official"
        headline, lede = sentences[0], sentences[: LEDE_SENTENCES + 1]
        if _HEDGE.search(headline):
            return "rumor"
        return "official" if any(self._attributes(s) for s in lede) else "rumor"
